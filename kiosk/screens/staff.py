"""The manager's home: staff list, registering employees and unlocking badges."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from .. import employees, i18n
from ..i18n import N_, gettext as _
from ..permissions import ROLE_TITLES, ROLES
from .base import SIGN_OUT_SHOWN, HomeScreen, KioskFooter, Feedback, WritesInWorker, attempt, writes
from .paged import PagedTable


# ROLE_TITLES' words, marked here for the catalogue: shown translated with _()
_ROLE_WORDS = (N_("Technician"), N_("Parts clerk"), N_("Service advisor"), N_("Manager"))


def _staff_page(after, limit):
    return [(key, (r.badge, r.name[:28], _(ROLE_TITLES[r.role]), _("yes") if r.active else _("no"),
                   _("LOCKED") if r.locked else "", i18n.LANGUAGES.get(r.language, "")))
            for key, r in employees.list_employees(after, limit)]


class StaffScreen(HomeScreen):
    TITLE_TEXT = N_("Staff: employees, roles and badge lock-outs")
    BINDINGS = [
        # Short words: seven keys and F12 fit 80 columns (with "Add employee", "Stock count"... F12 was cut off).
        Binding("f2", "add_employee", N_("Add"), id="staff-add"),
        Binding("f3", "unlock", N_("Unlock"), id="staff-unlock"),
        Binding("f4", "stock_count", N_("Count"), id="staff-stock-count"),
        Binding("f5", "printer_test", N_("Printer test"), id="staff-printer-test"),
        Binding("f6", "parts_import", N_("Import"), id="staff-parts-import"),
        Binding("f7", "language", N_("Language"), id="staff-language"),
    ]

    def compose_body(self) -> ComposeResult:
        yield PagedTable([_("Badge"), _("Name"), _("Role"), _("Active"), _("Lock"), _("Language")], _staff_page,
                         id="staff")

    def action_add_employee(self) -> None:
        self.app.push_screen(AddEmployeeScreen(), self._added)

    def _added(self, badge: str | None) -> None:
        if badge:
            self.feedback.show(_("Registered badge {badge}.").format(badge=badge))
            self.query_one(PagedTable).reload()

    def action_stock_count(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .stock_count import StockCountScreen
        self.app.push_screen(StockCountScreen())

    def action_printer_test(self) -> None:
        # F5 again while the label prints would print a second one (a thread is never stopped half-way): say so
        if any(w.group == "printer-test" and not w.is_finished for w in self.app.workers if w.node is self):
            self.feedback.show(_("The test label is still printing."), "warn")
            self.app.bell()
            return
        self.feedback.show(_("Printing a test label..."))
        self._print_test(self.actor, self.thread_feedback)

    @work(thread=True, group="printer-test")
    def _print_test(self, actor, feedback) -> None:
        from .. import printers  # the printing code loads with the first test label
        from ..store import db

        with db.connection_context():
            ok, done = attempt(feedback, printers.print_test_label, actor, self.settings, bell=feedback.bell)
        if ok:
            feedback.show(done.message)

    def action_parts_import(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .parts_import import PartsImportScreen

        self.app.push_screen(PartsImportScreen())

    @writes(once=True)
    async def action_unlock(self) -> None:
        badge = self.query_one(PagedTable).selected_key()
        if badge is None:
            self.feedback.show(_("Choose an employee first."), "error")
            return
        ok, _unlocked = await self.attempt_write(self.feedback, employees.unlock_badge, self.actor, badge,
                                                 bell=self.app.bell)
        if ok:
            self.feedback.show(_("Badge {badge} unlocked.").format(badge=badge))
            self.query_one(PagedTable).reload()

    @writes(once=True)
    async def action_language(self) -> None:
        """The highlighted employee's own language, in turn: the shop's, then each language the kiosk speaks."""
        table = self.query_one(PagedTable)
        badge = table.selected_key()
        if badge is None:
            self.feedback.show(_("Choose an employee first."), "error")
            return
        ok, employee = attempt(self.feedback, employees.by_badge, badge, bell=self.app.bell)
        if not ok:
            return
        choices = ["", *i18n.LANGUAGES]
        language = choices[(choices.index(employee.language) + 1) % len(choices)]
        ok, _set = await self.attempt_write(self.feedback, employees.set_language, self.actor, badge, language,
                                            bell=self.app.bell)
        if ok:
            named = i18n.LANGUAGES.get(language) or N_("the shop's language")
            self.feedback.show(i18n.render(N_("Badge {badge}: {language} from the next sign-in."),
                                           {"badge": badge, "language": named}))
            # This row's cell only: the cursor stays on the employee, so F7 again goes on to the next language.
            # The employee's row as it is now: the cursor may have moved while the write waited.
            if badge in table.keys:
                table.update_cell_at(Coordinate(table.keys.index(badge), 5), i18n.LANGUAGES.get(language, ""))


class AddEmployeeScreen(WritesInWorker, ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", N_("Cancel"), id="add-employee-cancel"),
                Binding("f10", "save", N_("Save"), id="add-employee-save"), SIGN_OUT_SHOWN]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Register an employee"))
            yield Input(placeholder=_("Badge number"), id="badge", max_length=64)
            yield Input(placeholder=_("Name"), id="name", max_length=200)
            yield Select([(_(ROLE_TITLES[r]), r) for r in ROLES], prompt=_("Role"), id="role")
            yield Input(placeholder=_("PIN (4-8 digits)"), id="pin", password=True, max_length=8)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        if event.input.id == "pin":
            self.action_save()
        else:
            self.focus_next()

    @writes(moves_on=True)
    async def action_save(self) -> None:
        role = self.query_one("#role", Select).value
        values = {name: self.query_one(f"#{name}", Input).value for name in ("badge", "name", "pin")}
        ok, employee = await self.attempt_write(self.query_one(Feedback), employees.add_employee, self.app.actor,
                                                values["badge"], values["name"], role if isinstance(role, str) else "",
                                                values["pin"], bell=self.app.bell)
        if ok:
            self.dismiss(employee.badge)
