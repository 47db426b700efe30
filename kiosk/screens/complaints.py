"""The advisor's complaints: the open ones oldest first; register, give to an owner, start, resolve, reopen."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Label, Static, TextArea

from .. import auth, complaints, customers, employees, reception
from ..jobs import parse_job_number
from ..i18n import NC_, N_, format_short_date, gettext as _, pgettext
from .base import KioskFooter, KioskScreen, Feedback, attempt, writes
from .job_dialogs import Form
from .paged import PagedTable

STATUS = {"open": NC_("complaint", "open"), "in_progress": NC_("complaint", "in work"), "resolved": N_("resolved")}
# A complaint here is the customer's complaint (投诉), not the fault a job card reports: the words have a context.
COLUMNS = [N_("No."), NC_("complaint", "Opened"), N_("Customer"), N_("Job card"), N_("Owner"), N_("Status"),
           NC_("complaint", "Complaint")]


def columns() -> list[str]:
    """The list's column heads in the reader's language."""
    return [_(c) for c in COLUMNS]


def complaint_rows(after, limit):
    """Open complaints as table rows (here and on the advisor's board), oldest first."""
    return [(key, (f"#{c.id}", format_short_date(c.opened_at), c.customer[:12], c.job_number or "-", c.owner[:12],
                   _(STATUS.get(c.status, c.status)), " ".join(c.text.split())[:30]))
            for key, c in complaints.open_complaints(after, limit)]


def describe(c: complaints.ComplaintRow) -> str:
    """The complaint as the detail panel shows it: a few lines, long text cut."""
    def short(text: str, width: int) -> str:
        text = " ".join(text.split())
        return text if len(text) <= width else text[:width - 1] + "…"

    lines = [f"#{c.id} {_(STATUS.get(c.status, c.status))} · "
             + _("owner {owner} · opened {opened}").format(owner=short(c.owner, 20),
                                                          opened=f"{c.opened_at:%Y-%m-%d %H:%M}"),
             _("Customer {customer} {phone} · job card {job}").format(customer=short(c.customer, 24), phone=c.phone,
                                                                     job=c.job_number or "-"),
             pgettext("complaint", "Complaint: {text}").format(text=short(c.text, 140))]
    if c.resolution:
        lines.append(_("Resolution: {text}").format(text=short(c.resolution, 130))
                     + (f" ({c.resolved_at:%Y-%m-%d %H:%M})" if c.resolved_at else ""))
    return "\n".join(lines)


class ComplaintsScreen(KioskScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="complaints-back"),
        Binding("f2", "new", N_("New"), id="complaints-new"),
        Binding("f3", "owner", N_("Owner"), id="complaints-owner"),
        Binding("f4", "start", N_("Start"), id="complaints-start"),
        Binding("f5", "resolve", N_("Resolve"), id="complaints-resolve"),
        Binding("f6", "reopen", N_("Reopen"), id="complaints-reopen"),
    ]
    AUTO_FOCUS = "#complaints"
    DEFAULT_CSS = """
    #complaint-detail { height: auto; max-height: 6; padding: 0 1; border-top: solid $panel; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.shown: complaints.ComplaintRow | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Open complaints, oldest first: Enter shows one; F2 registers a new one"),
                    classes="screen-title")
        yield PagedTable(columns(), complaint_rows,
                         id="complaints")
        yield Static("", id="complaint-detail", markup=False)
        yield Feedback(id="feedback")
        yield KioskFooter()

    @property
    def table(self) -> PagedTable:
        return self.query_one("#complaints", PagedTable)

    def show(self, complaint_id: int) -> None:
        ok, row = attempt(self.feedback, complaints.complaint_view, complaint_id)
        if ok:
            self.shown = row
            self.query_one("#complaint-detail", Static).update(describe(row))

    @on(DataTable.RowSelected, "#complaints")
    def selected(self) -> None:
        key = self.table.selected_key()
        if key is not None:
            self.feedback.clear()
            self.show(key)

    @on(DataTable.RowHighlighted, "#complaints")
    def highlighted(self) -> None:
        # The detail follows the highlight: what F3-F5 act on is always what the panel shows.
        key = self.table.selected_key()
        if key is not None and (self.shown is None or self.shown.id != key):
            self.show(key)

    def _selected(self) -> int | None:
        key = self.table.selected_key()
        if key is None:
            self.feedback.show(_("No open complaint is highlighted."), "error")
            self.app.bell()
        return key

    def done(self, result: tuple[int, str] | None) -> None:
        """After a dialog: say what happened, show that complaint, and read the list again."""
        if result is None:
            return
        complaint_id, text = result
        self.table.reload()
        self.show(complaint_id)
        self.feedback.show(text, "ok")

    def action_new(self) -> None:
        self.app.push_screen(NewComplaintDialog(), self.done)

    def action_owner(self) -> None:
        key = self._selected()
        if key is not None:
            self.app.push_screen(OwnerDialog(key), self.done)

    @writes(once=True)
    async def action_start(self) -> None:
        key = self._selected()
        if key is not None:
            ok, _result = await self.attempt_write(self.feedback, complaints.start_complaint, self.actor, key,
                                                   bell=self.app.bell)
            if ok:
                self.done((key, _("Complaint #{number} is being worked on.").format(number=key)))

    def action_resolve(self) -> None:
        key = self._selected()
        if key is not None:
            self.app.push_screen(TextDialog(
                key, _("Resolve complaint #{number}: what was done (F10 saves)").format(number=key),
                complaints.resolve_complaint, _("Complaint #{number} resolved.").format(number=key)), self.done)

    def action_reopen(self) -> None:
        resolved = self.shown.id if self.shown and self.shown.status == "resolved" else None
        self.app.push_screen(ReopenDialog(resolved), self.done)


class NewComplaintDialog(Form):
    """Find the customer (name, phone, plate, VIN, or a job card number), write the complaint, save."""

    BINDINGS = [Binding("f10", "save", N_("Save"), id="complaint-save")]

    def on_mount(self) -> None:
        # Bordered (so focus shows at 80x24 without colour): three lines of text, five rows of hits.
        self.query_one("#text", TextArea).styles.height = 5
        self.query_one("#hits", PagedTable).styles.height = 5

    def __init__(self) -> None:
        super().__init__()
        self.customer_id: int | None = None
        self.job_id: int | None = None
        self.hits: dict = {}
        self.searched_for = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(_("New complaint. Customer: name, phone, plate, VIN or job card (RO…), Enter:"))
            yield Input(placeholder=_("Name, phone, plate, VIN or RO…"), id="find", max_length=80, compact=True)
            yield PagedTable([_("Customer"), _("Phone"), _("Vehicles")], lambda after, limit: [], page_size=20,
                             id="hits")
            yield Static(_("Customer: none picked yet"), id="picked", markup=False)
            yield Static(_("The complaint, in the customer's words:"))
            yield TextArea(id="text", compact=True)
            yield Input(placeholder=_("Owner's badge (blank: you)"), id="owner", max_length=64, compact=True)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    def _pick(self, customer_id: int, name: str, job_id: int | None = None, job: str = "") -> None:
        self.customer_id, self.job_id = customer_id, job_id
        self.query_one("#picked", Static).update(_("Customer: {name}").format(name=name)
                                                  + (_(" · job card {job}").format(job=job) if job else ""))
        self.feedback.clear()
        self.query_one("#text", TextArea).focus()

    @on(Input.Submitted, "#find")
    def find(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text[:2].upper() == "RO" and text[2:].strip().isdigit():
            ok, job_id = attempt(self.feedback, parse_job_number, text, bell=self.app.bell)
            ok, card = (attempt(self.feedback, reception.advisor_view, job_id, bell=self.app.bell) if ok
                        else (False, None))
            if ok:
                self._pick(card.customer_id, card.customer, card.job_id, card.number)
            return
        ok, kind = attempt(self.feedback, customers.search_kind, text, bell=self.app.bell)
        if not ok:
            return
        if not kind:
            self.feedback.show(_("Type a name, phone, plate, VIN or job-card number."), "error")
            return
        self.feedback.clear()
        self.searched_for = text
        table = self.query_one("#hits", PagedTable)
        table.reload(self._fetch(text, self.app.settings.vin_check_required))
        table.focus()

    @on(PagedTable.Loaded, "#hits")
    def loaded(self, message: PagedTable.Loaded) -> None:
        # The empty table before the first search loads too: "nobody found" only answers a search.
        if message.table.row_count == 0 and self.searched_for:
            self.feedback.show(_("Nobody found for {text}.").format(text=repr(self.searched_for[:30])), "error")
            self.query_one("#find", Input).focus()

    def _fetch(self, text: str, check: bool):
        """Pages of hits for the table, remembering who each row is, so a selected row becomes a customer."""
        def fetch(after, limit):
            found = customers.find(text, check_required=check, after=after, limit=limit)
            self.hits.update(found)
            return [(key, (f.name or _("(no owner on file)"), f.phone,
                           " ".join(v.plate or v.vin for v in f.vehicles)[:30])) for key, f in found]
        return fetch

    @on(DataTable.RowSelected, "#hits")
    def picked(self) -> None:
        found = self.hits.get(self.query_one("#hits", PagedTable).selected_key())
        if found is None:
            return
        if found.customer_id is None:
            self.feedback.show(_("That vehicle has no owner on file; find the customer by name or phone."), "error")
            return
        self._pick(found.customer_id, found.name)

    @writes(moves_on=True)
    async def action_save(self) -> None:
        if self.customer_id is None:
            self.feedback.show(_("Find and pick the customer first (Enter in the first field)."), "error")
            self.app.bell()
            return
        ok, owner = attempt(self.feedback, employees.id_by_badge, self.query_one("#owner", Input).value,
                            bell=self.app.bell)  # blank: the one registering
        if not ok:
            return
        ok, complaint_id = await self.attempt_write(self.feedback, complaints.register_complaint, self.actor,
                                                    self.customer_id, self.query_one("#text", TextArea).text,
                                                    job_id=self.job_id, owner_id=owner, bell=self.app.bell)
        if ok:
            self.dismiss((complaint_id, _("Complaint #{number} registered.").format(number=complaint_id)))


class OwnerDialog(Form):
    def __init__(self, complaint_id: int) -> None:
        super().__init__()
        self.complaint_id = complaint_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Give complaint #{number} to: scan or type the badge, Enter").format(
                number=self.complaint_id))
            yield Input(placeholder=_("Owner's badge"), id="owner-badge", max_length=64, compact=True)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @on(Input.Submitted, "#owner-badge")
    @writes(moves_on=True)
    async def assign(self, event: Input.Submitted) -> None:
        badge = event.value
        ok, owner = attempt(self.feedback, employees.id_by_badge, badge, bell=self.app.bell)
        if ok and owner is None:
            self.feedback.show(_("Scan or type the new owner's badge."), "error")
            return
        if ok:
            ok, _result = await self.attempt_write(self.feedback, complaints.assign_complaint, self.actor,
                                                   self.complaint_id, owner, bell=self.app.bell)
        if ok:
            self.dismiss((self.complaint_id, _("Complaint #{number} given to badge {badge}.").format(
                number=self.complaint_id, badge=auth.normalise_badge(badge))))


class TextDialog(Form):
    """Some text for a complaint (the resolution), saved by a rule with F10."""

    BINDINGS = [Binding("f10", "save", N_("Save"), id="complaint-text-save")]

    def __init__(self, complaint_id: int, title: str, rule, done: str) -> None:
        super().__init__()
        self.complaint_id, self.title_text, self.rule, self.done_text = complaint_id, title, rule, done

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, markup=False)
            yield TextArea(id="words", compact=True)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @writes(moves_on=True)
    async def action_save(self) -> None:
        words = self.query_one("#words", TextArea).text
        ok, _result = await self.attempt_write(self.feedback, self.rule, self.actor, self.complaint_id, words,
                                               bell=self.app.bell)
        if ok:
            self.dismiss((self.complaint_id, self.done_text))


class ReopenDialog(Form):
    """Reopen a resolved complaint (by its number) with the reason."""

    BINDINGS = [Binding("f10", "save", N_("Save"), id="complaint-reopen-save")]

    def __init__(self, complaint_id: int | None) -> None:
        super().__init__()
        self.complaint_id = complaint_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Reopen a resolved complaint: its number, and why (F10 saves)"))
            yield Input(f"{self.complaint_id}" if self.complaint_id else "", placeholder=_("Complaint number, e.g. 12"),
                        id="reopen-number", max_length=12, compact=True)
            yield TextArea(id="reopen-reason", compact=True)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @on(Input.Submitted, "#reopen-number")
    def to_reason(self) -> None:
        self.query_one("#reopen-reason", TextArea).focus()

    @writes(moves_on=True)
    async def action_save(self) -> None:
        raw = self.query_one("#reopen-number", Input).value.strip().lstrip("#")
        if not (raw.isascii() and raw.isdigit()):
            self.feedback.show(_("Type the complaint's number (the digits after #)."), "error")
            self.app.bell()
            return
        ok, _result = await self.attempt_write(self.feedback, complaints.reopen_complaint, self.actor, int(raw),
                                               self.query_one("#reopen-reason", TextArea).text, bell=self.app.bell)
        if ok:
            self.dismiss((int(raw), _("Complaint #{number} reopened.").format(number=raw)))
