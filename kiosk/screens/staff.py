"""The manager's home: staff list, registering employees and unlocking badges."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from .. import employees
from ..permissions import ROLE_TITLES, ROLES
from .base import SIGN_OUT_SHOWN, KioskFooter, Message, attempt
from .home import HomeScreen
from .paged import PagedTable


def _staff_page(after, limit):
    return [(key, (r.badge, r.name[:28], ROLE_TITLES[r.role], "yes" if r.active else "no",
                   "LOCKED" if r.locked else ""))
            for key, r in employees.list_employees(after, limit)]


class StaffScreen(HomeScreen):
    TITLE_TEXT = "Staff: employees, roles and badge lock-outs"
    BINDINGS = [
        Binding("f2", "add_employee", "Add employee", id="staff-add"),
        Binding("f3", "unlock", "Unlock badge", id="staff-unlock"),
        Binding("f4", "stock_count", "Stock count", id="staff-stock-count"),
        Binding("f5", "printer_test", "Printer test", id="staff-printer-test"),
        Binding("f6", "parts_import", "Parts import", id="staff-parts-import"),
    ]

    def compose_body(self) -> ComposeResult:
        yield PagedTable(["Badge", "Name", "Role", "Active", "Lock"], _staff_page, id="staff")

    def action_add_employee(self) -> None:
        self.app.push_screen(AddEmployeeScreen(), self._added)

    def _added(self, badge: str | None) -> None:
        if badge:
            self.feedback.show(f"Registered badge {badge}.")
            self.query_one(PagedTable).reload()

    def action_stock_count(self) -> None:
        from .stock_count import StockCountScreen
        self.app.push_screen(StockCountScreen())

    def action_printer_test(self) -> None:
        self.feedback.show("Printing a test label...")
        self._print_test(self.actor, self.thread_feedback)

    @work(thread=True, exclusive=True, group="printer-test")
    def _print_test(self, actor, feedback) -> None:
        from .. import printers
        from ..store import db

        with db.connection_context():
            ok, done = attempt(feedback, printers.print_test_label, actor, self.settings, bell=feedback.bell)
        if ok:
            feedback.show(done.message)
    def action_parts_import(self) -> None:
        from .parts_import import PartsImportScreen

        self.app.push_screen(PartsImportScreen())

    def action_unlock(self) -> None:
        badge = self.query_one(PagedTable).selected_key()
        if badge is None:
            self.feedback.show("Choose an employee first.", "error")
            return
        ok, _ = attempt(self.feedback, employees.unlock_badge, self.actor, badge, bell=self.app.bell)
        if ok:
            self.feedback.show(f"Badge {badge} unlocked.")
            self.query_one(PagedTable).reload()


class AddEmployeeScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="add-employee-cancel"),
                Binding("f10", "save", "Save", id="add-employee-save"), SIGN_OUT_SHOWN]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Register an employee")
            yield Input(placeholder="Badge number", id="badge", max_length=64)
            yield Input(placeholder="Name", id="name", max_length=200)
            yield Select([(ROLE_TITLES[r], r) for r in ROLES], prompt="Role", id="role")
            yield Input(placeholder="PIN (4-8 digits)", id="pin", password=True, max_length=8)
            yield Message(id="dialog-message")
        yield KioskFooter()

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        if event.input.id == "pin":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        role = self.query_one("#role", Select).value
        values = {name: self.query_one(f"#{name}", Input).value for name in ("badge", "name", "pin")}
        ok, employee = attempt(self.query_one(Message), employees.add_employee, self.app.actor,
                               values["badge"], values["name"], role if isinstance(role, str) else "",
                               values["pin"], bell=self.app.bell)
        if ok:
            self.dismiss(employee.badge)
