"""The advisor's floor tools: assign technicians to job lines, close forgotten clocks, safety-part approvals."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Label, Static

from .. import clocking, reception, warranty
from ..i18n import N_, format_short_date, format_short_datetime, gettext as _, pgettext
from ..jobs import job_number, parse_job_number
from ..text import clean
from .base import KioskFooter, KioskScreen, Feedback, attempt, writes
from .job_dialogs import Form
from .paged import MarkedTable, PagedTable


def _clocks_page(after, limit):
    return [(key, (c.technician[:18], job_number(c.job_id), c.position, format_short_datetime(c.started_at),
                   c.running_for())) for key, c in clocking.running_clocks(after, limit)]


def _safety_page(after, limit):
    return [(key, (t.tag_number, job_number(t.job_id), t.part_number, t.description[:24],
                   format_short_date(t.tagged_at)))
            for key, t in warranty.awaiting_approval(after, limit)]


class FloorToolsScreen(KioskScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="floor-back"),
        Binding("f2", "assign", N_("Assign"), id="floor-assign"),
        Binding("f3", "close_clock", N_("Close clock"), id="floor-close-clock"),
        Binding("f4", "approve", N_("Approve"), id="floor-approve"),
        Binding("f5", "refuse", N_("Refuse"), id="floor-refuse"),
    ]
    AUTO_FOCUS = "#clocks"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Floor tools: F2 assigns technicians; Tab moves between the lists"), classes="screen-title")
        yield Label(_("Clocks running now (F3 closes the highlighted one)"), classes="section-title")
        yield PagedTable([_("Technician"), _("Job card"), _("Line"), _("Started"), _("Running")], _clocks_page,
                         id="clocks")
        yield Label(_("Safety parts awaiting the manufacturer's approval (F4 / F5)"), classes="section-title")
        yield PagedTable([_("Tag"), _("Job card"), _("Part"), _("Description"), _("Tagged")], _safety_page,
                         id="safety")
        yield Feedback(id="feedback")
        yield KioskFooter()

    def _key(self, table_id: str, what: str):
        key = self.query_one(table_id, PagedTable).selected_key()
        if key is None:
            self.feedback.show(_("There is no {what} to pick.").format(what=_(what)), "error")
            self.app.bell()
        return key

    def done(self, text: str | None) -> None:
        if text:
            self.feedback.show(text, "ok")
            for table in self.query(PagedTable):
                table.reload()

    def action_assign(self) -> None:
        self.app.push_screen(AssignDialog(), self.done)

    def action_close_clock(self) -> None:
        key = self._key("#clocks", N_("running clock"))
        if key is not None:
            ok, rows = attempt(self.feedback, clocking.running_clocks, key - 1, 1)
            if ok and rows and rows[0][0] == key:
                self.app.push_screen(CloseClockDialog(rows[0][1]), self.done)
            elif ok:
                self.done(_("That clock has stopped already."))

    def action_approve(self) -> None:
        self._answer(True)

    def action_refuse(self) -> None:
        self._answer(False)

    def _answer(self, approved: bool) -> None:
        key = self._key("#safety", N_("safety part waiting"))
        if key is not None:
            table = self.query_one("#safety", PagedTable)
            tag_number = table.get_row_at(table.cursor_row)[0]
            self.app.push_screen(ApprovalDialog(tag_number, approved), self.done)


class AssignDialog(Form):
    """Job card number, Enter; pick the line; the technician's badge (blank: nobody), Enter."""

    def __init__(self) -> None:
        super().__init__()
        self.card: reception.AdvisorView | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(_("Assign a technician. Job card number (RO000123), Enter; ↓ and Enter pick the line:"))
            yield Input(placeholder=_("Job card, e.g. RO000123"), id="assign-job", max_length=40, compact=True)
            yield MarkedTable(cursor_type="row", id="assign-lines")
            yield Static(_("Technician's badge (blank takes the line back), Enter:"), id="assign-hint")
            yield Input(placeholder=_("Technician's badge"), id="assign-badge", max_length=64, compact=True)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    def on_mount(self) -> None:
        table = self.query_one("#assign-lines", DataTable)
        table.styles.height = 7
        table.add_columns(_("Line"), _("Complaint"), _("Status"), _("Technician"))

    def _show(self, job_id: int) -> bool:
        ok, card = attempt(self.feedback, reception.advisor_view, job_id, bell=self.app.bell)
        if ok:
            self.card = card
            table = self.query_one("#assign-lines", DataTable)
            row = table.cursor_row
            table.clear()
            for line in card.lines:
                table.add_row(line.position, " ".join(line.complaint.split())[:34], _(line.status),
                              line.technician[:18] or "-", key=str(line.id))
            table.move_cursor(row=min(row, max(0, table.row_count - 1)))
        return ok

    @on(Input.Submitted, "#assign-job")
    def job_given(self, event: Input.Submitted) -> None:
        ok, job_id = attempt(self.feedback, parse_job_number, event.value, bell=self.app.bell)
        if ok and self._show(job_id):
            self.feedback.clear()
            self.query_one("#assign-lines", DataTable).focus()

    @on(DataTable.RowSelected, "#assign-lines")
    def line_picked(self) -> None:
        self.query_one("#assign-badge", Input).focus()

    @on(Input.Submitted, "#assign-badge")
    @writes(moves_on=True)
    async def badge_given(self, event: Input.Submitted) -> None:
        table = self.query_one("#assign-lines", DataTable)
        if self.card is None or not self.card.lines:
            self.feedback.show(_("Type the job card number first, then pick its line."), "error")
            self.app.bell()
            return
        line = self.card.lines[table.cursor_row]
        ok, technician_id = attempt(self.feedback, reception.technician_by_badge, event.value, bell=self.app.bell)
        if ok:
            ok, _assigned = await self.attempt_write(self.feedback, reception.assign_technician, self.actor, line.id,
                                                     technician_id, bell=self.app.bell)
        if ok and self._show(self.card.job_id):
            who = self.card.lines[table.cursor_row].technician or _("nobody")
            self.feedback.show(_("Line {position} of {job}: {who}.").format(
                position=line.position, job=self.card.number, who=who), "ok")
            event.input.value = ""
            table.focus()


class CloseClockDialog(Form):
    def __init__(self, clock: clocking.ClockRow) -> None:
        super().__init__()
        self.clock = clock

    def compose(self) -> ComposeResult:
        c = self.clock
        with Vertical(classes="dialog"):
            yield Static(_("Close {technician}'s clock on {job} line {position}, started {started}.").format(
                technician=c.technician, job=job_number(c.job_id), position=c.position,
                started=f"{c.started_at:%Y-%m-%d %H:%M}"), markup=False)
            yield Static(_("When did the work really stop? HH:MM (or YYYY-MM-DD HH:MM), Enter:"))
            yield Input(placeholder=_("Stop time, e.g. 17:30"), id="stop-time", max_length=20, compact=True)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @on(Input.Submitted, "#stop-time")
    @writes(moves_on=True)
    async def close(self, event: Input.Submitted) -> None:
        ok, at = attempt(self.feedback, clocking.parse_stop_time, event.value, self.clock.started_at,
                         bell=self.app.bell)
        if ok:
            ok, seconds = await self.attempt_write(self.feedback, clocking.close_forgotten_clock, self.actor,
                                                   self.clock.technician_id, at, bell=self.app.bell)
        if ok:
            self.dismiss(_("{technician}'s clock closed at {at}: {time} counted.").format(
                technician=self.clock.technician, at=f"{at:%H:%M}", time=clocking.hours_minutes(seconds)))


class ApprovalDialog(Form):
    def __init__(self, tag_number: str, approved: bool) -> None:
        super().__init__()
        self.tag_number, self.approved = tag_number, approved

    def compose(self) -> ComposeResult:
        text = (N_("The manufacturer approved safety part {tag}.") if self.approved
                else N_("The manufacturer refused safety part {tag}."))
        with Vertical(classes="dialog"):
            yield Static(_(text).format(tag=self.tag_number), markup=False)
            yield Static(_("Their reference (approval or case number), Enter:"))
            yield Input(placeholder=_("Manufacturer's reference"), id="approval-reference", max_length=60, compact=True)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @on(Input.Submitted, "#approval-reference")
    @writes(moves_on=True)
    async def record(self, event: Input.Submitted) -> None:
        ok, _answered = await self.attempt_write(self.feedback, warranty.set_approval, self.actor, self.tag_number,
                                                 self.approved, event.value, bell=self.app.bell)
        if ok:
            answer = pgettext("manufacturer's answer", "approved") if self.approved else _("refused")
            self.dismiss(_("Tag {tag}: {answer} ({reference}).").format(
                tag=self.tag_number, answer=answer, reference=clean(event.value, N_("Reference"), max_len=60)))
