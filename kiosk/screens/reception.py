"""Reception at the advisor's desk: find the customer or vehicle, put new ones on file, open the job card."""

from __future__ import annotations

from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Input, Label, Select, TextArea
from textual.widgets.input import Selection

from .. import customers, reception, vin as vins
from ..jobs import PAYERS
from ..text import first_line
from ..i18n import N_, gettext as _
from .base import KioskFooter, KioskScreen, Feedback, attempt, returns_refusals, writes
from .advisor_dialogs import FormDialog
from .paged import PagedTable

KIND_WORDS = {"name": N_("by name"), "phone": N_("by phone"), "plate": N_("by plate"), "vin": N_("by VIN")}
# customers.MATCHED_WORDS' messages, for the catalogue: the line above the results shows them translated.
_MATCHED_MSGIDS = (N_("by phone number"), N_("by the last digits of a phone"), N_("by the last characters of a VIN"))
RESULTS_HINT = N_("Results: Enter opens a job card · typing searches again · Shift+Tab back")


def found_rows(text: str, check_required: bool):
    """A fetch for the results table: one row per vehicle (a customer without one gets a row of their own).
    Each row's key carries the search key of its hit, so the next page starts after it."""
    def fetch(after, limit):
        rows = []
        for key, hit in customers.find(text, check_required=check_required, after=after[0] if after else None,
                                       limit=limit):
            for vehicle in hit.vehicles or (None,):
                cells = (hit.name[:18] or _("(no owner)"), hit.phone[:14],
                         vehicle.plate if vehicle else "-", vehicle.vin if vehicle else _("no vehicle on file"),
                         vehicle.model[:12] if vehicle else "", f"{vehicle.last_mileage:,}" if vehicle else "")
                rows.append(((key, hit.customer_id, vehicle.id if vehicle else None, hit.name, hit.matched), cells))
        return rows
    return fetch


def matched_words(keys) -> str:
    """What the rows found matched, in words ("by plate", "by the last digits of a phone or by name")."""
    matched = list(dict.fromkeys(key[4] for key in keys))
    return _(" or ").join(_(customers.MATCHED_WORDS.get(m, m)) for m in matched)


class ReceptionScreen(KioskScreen):
    """Type a plate, a VIN (or its last digits), a phone number or a name; Enter on a vehicle opens a card.

    The search field keeps the cursor after a search (Enter there searches again); Tab or Down moves into
    the results, where the line above them says so and Enter opens a job card; Shift+Tab goes back. Typing
    while in the results starts a new search, and its Enter searches: a re-search never opens a card."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="reception-back"),
        # Priority: the cursor moves as the key arrives, so an Enter typed straight after goes where it is.
        Binding("tab", "to_results", N_("Results"), id="reception-results", priority=True),
        Binding("down", "to_results", N_("Results"), show=False, priority=True),
        Binding("shift+tab", "to_search", N_("Search"), id="reception-search", priority=True),
        Binding("f2", "new_customer", N_("Customer"), id="reception-customer"),
        Binding("f3", "new_vehicle", N_("Vehicle"), id="reception-vehicle"),
        Binding("f4", "drafts", N_("Drafts"), id="reception-drafts"),
        Binding("f5", "customer_file", N_("File"), id="reception-file"),
    ]
    AUTO_FOCUS = "#find"
    searched = False  # set by the first search
    searched_text = ""
    # Keys typed in the results since the cursor went there: their Enter searches, it never opens a card.
    retyping = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Reception: find the customer or vehicle, Enter on a vehicle opens a job card"),
                    classes="screen-title")
        yield Input(placeholder=_("Plate, VIN or its last digits, phone or name, then Enter"), id="find",
                    max_length=80)
        yield Label("", id="find-kind", classes="section-title")
        yield PagedTable([_("Customer"), _("Phone"), _("Plate"), _("VIN"), _("Model"), _("Last km")],
                         lambda after, limit: [],
                         id="found")
        yield Feedback(id="feedback")
        yield KioskFooter()

    @property
    def table(self) -> PagedTable:
        return self.query_one("#found", PagedTable)

    def on_mount(self) -> None:
        self.find_field.select_on_focus = False

    @property
    def find_field(self) -> Input:
        return self.query_one("#find", Input)

    @on(Input.Submitted, "#find")
    def search(self, event: Input.Submitted | None = None) -> None:
        self.retyping = False
        self.feedback.clear()
        text = self.find_field.value
        ok, kind = attempt(self.feedback, customers.search_kind, text, bell=self.app.bell)
        if not ok:
            return
        if not kind:
            self.feedback.show(_("Type a plate, VIN, phone number or name to search."), "warn")
            return
        self.searched_text = text.strip()[:40]
        self.kind_line.update(_("Searching {how}: {text}").format(how=_(KIND_WORDS[kind]), text=self.searched_text))
        self.searched = True
        self.table.reload(found_rows(text, self.settings.vin_check_required))

    @property
    def kind_line(self) -> Label:
        return self.query_one("#find-kind", Label)

    @on(PagedTable.Loaded, "#found")
    def loaded(self, message: PagedTable.Loaded) -> None:
        # The empty table before the first search loads too: "nobody found" only answers a search.
        if not self.searched:
            return
        if message.table.row_count == 0:
            self.kind_line.update(_("Nobody found: {text}").format(text=self.searched_text))
            self.feedback.show(_("Nobody found. F2 puts a new customer on file."), "warn")
            self.find_field.focus()
            return
        self.kind_line.update(_("Found {how}: {text}").format(how=matched_words(message.table.keys),
                                                             text=self.searched_text))
        if self.focused is not self.table:
            self.feedback.show(_("Tab or Down moves into the results; Enter there opens a job card."))
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        # Tab shows "Results" in the search field once there are some; Shift+Tab "Search" in the results.
        if action == "to_results":
            return self.focused is not self.table and self.table.row_count > 0
        if action == "to_search":
            return self.focused is self.table
        return True

    def action_to_results(self) -> None:
        self.set_focus(self.table)

    def action_to_search(self) -> None:
        # Selected now, as the key arrives (not when the focus event comes, after keys typed meanwhile).
        field = self.find_field
        self.set_focus(field)
        field.selection = Selection(0, len(field.value))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget is self.table:
            self.retyping = False
            self.feedback.show(_(RESULTS_HINT))
        elif event.widget is self.find_field and self.searched:
            self.feedback.clear()
        self.refresh_bindings()

    def on_key(self, event: events.Key) -> None:
        # The search field stops the keys it types; a printable key that gets here was typed in the results
        # (perhaps before the cursor left them): it starts a new search, and its Enter will search.
        if not event.is_printable or event.character is None:
            return
        event.stop()
        field = self.find_field
        if not self.retyping:
            self.retyping = True
            field.value = ""
            self.set_focus(field)
        field.insert_text_at_cursor(event.character)

    def _selected(self):
        key = self.table.selected_key()
        if key is None:
            self.feedback.show(_("Search first, then pick a row with the arrow keys."), "error")
        return key

    @on(DataTable.RowSelected, "#found")
    def open_card(self) -> None:
        if self.retyping:  # the Enter of a search typed while the results had the cursor
            self.search()
            return
        key = self._selected()
        if key is None:
            return
        _kind, customer_id, vehicle_id, name, _rest = key
        if customer_id is None:
            self.feedback.show(_("This vehicle has no owner on file: F2 puts the customer on file first."), "error")
            return
        if vehicle_id is None:
            self.feedback.show(_("{name} has no vehicle on file: F3 adds one.").format(name=name), "error")
            return
        self.app.push_screen(NewCardDialog(customer_id, vehicle_id), self._card_opened)

    def _card_opened(self, job_id: int | None) -> None:
        self.retyping = False
        if job_id:
            # a screen's module loads when it is first opened: a session holds only what it uses
            from .advisor_card import AdvisorCardScreen
            self.app.switch_screen(AdvisorCardScreen(job_id))

    def action_new_customer(self) -> None:
        self.app.push_screen(NewCustomerDialog(), self._customer_added)

    def _customer_added(self, customer: tuple[int, str] | None) -> None:
        if customer:
            self.feedback.show(_("{name} is on file. Now the vehicle:").format(name=customer[1]))
            self.app.push_screen(NewVehicleDialog(*customer), self._vehicle_added)

    def action_new_vehicle(self) -> None:
        key = self.table.selected_key()
        if key is None or key[1] is None:
            self.feedback.show(_("Find the customer first (or F2 for a new one), then F3 adds their vehicle."),
                               "error")
            return
        self.app.push_screen(NewVehicleDialog(key[1], key[3]), self._vehicle_added)

    def _vehicle_added(self, added: tuple[int, int, str] | None) -> None:
        if not added:
            return
        customer_id, vehicle_id, warning = added
        if warning:
            self.feedback.show(warning, "warn")
        self.app.push_screen(NewCardDialog(customer_id, vehicle_id), self._card_opened)

    def action_customer_file(self) -> None:
        key = self._selected()
        if key is None:
            return
        if key[1] is None:
            self.feedback.show(_("This vehicle has no owner on file."), "error")
            return
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .advisor_lists import CustomerFileScreen
        self.app.push_screen(CustomerFileScreen(key[1]))

    def action_drafts(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .advisor_lists import DraftsScreen
        self.app.push_screen(DraftsScreen())


class KeyedForm(FormDialog):
    """A form that moves between its fields as the keys arrive. Textual hands a key to whatever has focus
    when it comes in and moves on only when the field has handled Enter, so a field typed straight after
    Enter went into the field before it (a promised time typed after the mileage landed in the mileage
    field, and was lost when the mileage was typed again). Here Enter and Tab move on at once (priority
    bindings, run before the next key is handed out), and a field entered again keeps its text instead of
    selecting it all, so the next key never wipes it."""

    BINDINGS = [Binding("enter", "next_field", show=False, priority=True),
                Binding("tab", "move(1)", show=False, priority=True),
                Binding("shift+tab", "move(-1)", show=False, priority=True)]

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.select_on_focus = False

    def action_next_field(self) -> None:
        focused = self.focused
        if not isinstance(focused, Input) or focused.id in self.SAVE_ON:
            raise SkipAction()  # a text area's new line, a list's choice, the field whose Enter saves
        self.focus_next()

    def action_move(self, step: int) -> None:
        if not isinstance(self.focused, (Input, TextArea, Select)):
            raise SkipAction()
        self.focus_next() if step > 0 else self.focus_previous()

    def show_field(self, field_id: str, message: str) -> None:
        """A field shown only when needed (the reason for an override), with the cursor in it now."""
        field = self.query_one(f"#{field_id}", Input)
        field.remove_class("hidden")
        self.set_focus(field)
        self.feedback.show(message, "error")


class NewCustomerDialog(KeyedForm):
    BINDINGS = [Binding("f10", "save", N_("Save"), id="customer-save")]
    SAVE_ON = ("customer-phone",)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("New customer: name as they give it, and a phone number"))
            yield Input(placeholder=_("Name (王小明, John Smith)"), id="customer-name", max_length=80)
            yield Input(placeholder=_("Phone (Enter or F10 saves)"), id="customer-phone", max_length=32)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @writes(moves_on=True)
    async def action_save(self) -> None:
        name = self.value("customer-name")
        ok, customer_id = await self.attempt_write(self.feedback, customers.create_customer, self.actor, name,
                                                   self.value("customer-phone"), bell=self.app.bell)
        if ok:
            self.dismiss((customer_id, name.strip()))


class NewVehicleDialog(KeyedForm):
    """The VIN (scanned or typed), plate, model, year, odometer. A VIN whose check digit does not match, where
    the region requires it (a European VIN has none), asks for the advisor's reason, kept on the vehicle."""

    BINDINGS = [Binding("f10", "save", N_("Save"), id="vehicle-save")]
    SAVE_ON = ("vehicle-mileage", "vehicle-reason")

    def __init__(self, customer_id: int, customer_name: str) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.customer_name = customer_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("New vehicle of {name}: scan or type the VIN").format(name=self.customer_name[:40]))
            yield Input(placeholder=_("VIN (17 characters)"), id="vehicle-vin", max_length=40)
            with Horizontal(classes="form-row"):
                yield Input(placeholder=_("Plate"), id="vehicle-plate", max_length=16)
                yield Input(placeholder=_("Model"), id="vehicle-model", max_length=60)
            with Horizontal(classes="form-row"):
                yield Input(placeholder=_("Model year"), id="vehicle-year", max_length=4)
                yield Input(placeholder=_("Odometer km (F10 saves)"), id="vehicle-mileage", max_length=20)
            yield Input(placeholder=_("Reason to put this VIN on file without its check digit"), id="vehicle-reason",
                        max_length=200, classes="hidden")
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @writes(moves_on=True)
    async def action_save(self) -> None:
        value = {name: self.value(f"vehicle-{name}")
                 for name in ("vin", "plate", "model", "year", "mileage", "reason")}
        create = returns_refusals(customers.create_vehicle, vins.CheckDigitMismatch)
        ok, added = await self.attempt_write(self.feedback, create, self.actor, self.customer_id, value["vin"],
                                             check_required=self.app.settings.vin_check_required,
                                             plate=value["plate"], model=value["model"], model_year=value["year"],
                                             mileage=value["mileage"] or 0, vin_override_reason=value["reason"],
                                             bell=self.app.bell)
        if not ok:
            return
        if isinstance(added, vins.CheckDigitMismatch):
            self.show_field("vehicle-reason", added.message + _(" Type the reason; Enter or F10 puts it on file."))
            self.app.bell()
            return
        self.dismiss((self.customer_id, added.vehicle_id, added.warning))


class NewCardDialog(KeyedForm):
    """Mileage in, the complaint in the customer's words, the first line's payer, labour operation and
    technician, the promised time. F10 opens the card as a draft; a lower mileage asks for the reason, a
    second open card for the vehicle asks for F10 again."""

    BINDINGS = [Binding("f10", "save", N_("Open card"), id="card-save")]
    SAVE_ON = ("card-technician", "card-reason")
    AUTO_FOCUS = "#card-mileage"

    def __init__(self, customer_id: int, vehicle_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.vehicle_id = vehicle_id
        self.confirm_duplicate = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(_("New job card"), id="card-heading")
            with Horizontal(classes="form-row"):
                yield Input(placeholder=_("Mileage in (km)"), id="card-mileage", max_length=20)
                yield Input(placeholder=_("Promised time, e.g. 17:30"), id="card-promised", max_length=30)
            yield TextArea(id="card-complaint")
            with Horizontal(classes="form-row"):
                yield Select([(_(p), p) for p in PAYERS], value="customer", allow_blank=False, id="card-payer")
                yield Input(placeholder=_("Labour op"), id="card-operation", max_length=20)
                yield Input(placeholder=_("Technician badge"), id="card-technician", max_length=64)
            yield Input(placeholder=_("Reason the mileage is lower than last time"), id="card-reason",
                        max_length=200, classes="hidden")
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#card-complaint", TextArea).border_title = _("Complaint, as the customer says it")
        ok, check = attempt(self.feedback, reception.check_reception, self.vehicle_id)
        if ok:
            heading = _("New job card · last recorded {mileage} km").format(mileage=f"{check.last_mileage:,}")
            self.query_one("#card-heading", Label).update(heading)
            if check.open_cards:
                numbers = ", ".join(c.number for c in check.open_cards)
                self.feedback.show(_("This vehicle already has an open job card: {numbers}.").format(numbers=numbers),
                                   "warn")

    @writes(moves_on=True)
    async def action_save(self) -> None:
        field = lambda name: self.value(f"card-{name}")  # noqa: E731
        complaint = field("complaint")
        ok, technician_id = attempt(self.feedback, reception.technician_by_badge, field("technician"),
                                    bell=self.app.bell)
        if not ok:
            return
        said = first_line(complaint, reception.LINE_COMPLAINT_MAX)
        lines = [reception.NewLine(said, self.query_one("#card-payer", Select).value, field("operation"),
                                   technician_id)] if said else []
        open_card = returns_refusals(reception.open_job, reception.MileageBelowLast, reception.OpenJobExists)
        ok, job_id = await self.attempt_write(self.feedback, open_card, self.actor, self.customer_id, self.vehicle_id,
                                              field("mileage"), complaint, lines=lines, promised_at=field("promised"),
                                              mileage_override_reason=field("reason"),
                                              confirm_duplicate=self.confirm_duplicate, bell=self.app.bell)
        if not ok:
            return
        if isinstance(job_id, reception.MileageBelowLast):
            self.show_field("card-reason", job_id.message)
        elif isinstance(job_id, reception.OpenJobExists):
            self.confirm_duplicate = True
            self.feedback.show(job_id.message + _(" F10 again opens it."), "warn")
        else:
            self.dismiss(job_id)
            return
        self.app.bell()
