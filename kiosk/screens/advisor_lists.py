"""The advisor's queues: draft job cards to reopen, and the follow-up calls due after delivery."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Label, Select, TextArea

from .. import followups, reception
from ..jobs import job_number
from ..text import first_line
from ..i18n import NC_, N_, format_short_datetime, gettext as _
from .advisor_dialogs import FormDialog
from .base import KioskFooter, KioskScreen, Feedback, attempt, writes
from .paged import MarkedTable, PagedTable


# The messages of codes the customer's file shows (a job card's and a complaint's status, a note's kind, a call's
# outcome), for the catalogue: the file and the call dialog show them translated.
_CODE_MSGIDS = (N_("draft"), N_("awaiting approval"), N_("approved"), N_("in progress"), N_("work done"),
                N_("quality checked"), N_("delivered"), N_("cancelled"), N_("open"), N_("resolved"),
                N_("followup"), N_("complaint"), N_("resolution"), N_("note"), N_("satisfied"),
                N_("a problem, rework booked"), N_("a complaint"), N_("no answer"))


class ListScreen(KioskScreen):
    """A title, one paged list, feedback and the footer; Enter on a row is the screen's `chosen`."""

    TITLE_TEXT = ""
    COLUMNS: tuple[str, ...] = ()
    AUTO_FOCUS = "PagedTable"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_(self.TITLE_TEXT), classes="screen-title")
        yield PagedTable([_(c) if c else c for c in self.COLUMNS], self.fetch, id="list")
        yield Feedback(id="feedback")
        yield KioskFooter()

    @property
    def table(self) -> PagedTable:
        return self.query_one("#list", PagedTable)

    def fetch(self, after, limit):
        raise NotImplementedError

    @on(DataTable.RowSelected, "#list")
    def row_selected(self) -> None:
        key = self.table.selected_key()
        if key is not None:
            self.chosen(key)

    def chosen(self, key) -> None:
        raise NotImplementedError

    def action_refresh(self) -> None:
        self.table.reload()


class DraftsScreen(ListScreen):
    """Draft job cards, newest first: a card left half-done (or by a dropped SSH session) is reopened here."""

    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="drafts-back"),
                Binding("f2", "everyone", N_("Mine/all"), id="drafts-everyone"),
                Binding("f9", "refresh", N_("Refresh"), id="drafts-refresh")]
    TITLE_TEXT = N_("Draft job cards: Enter reopens one as it was last saved")
    COLUMNS = (N_("Job card"), N_("Opened"), N_("Customer"), N_("Plate"), N_("Model"), N_("Lines"), N_("Complaint"))

    def __init__(self) -> None:
        super().__init__()
        self.everyone = False

    def fetch(self, after, limit):
        return [(key, (d.number, format_short_datetime(d.opened_at), d.customer[:14], d.plate, d.model[:10], d.lines,
                       first_line(d.complaint, 20) or "-"))
                for key, d in reception.list_drafts(self.actor, after, limit, everyone=self.everyone)]

    def action_everyone(self) -> None:
        self.everyone = not self.everyone
        self.query_one(Label).update(_("Draft job cards of every advisor: Enter reopens one") if self.everyone
                                     else _("Draft job cards of mine: Enter reopens one"))
        self.table.reload()

    def chosen(self, key) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .advisor_card import AdvisorCardScreen
        self.app.switch_screen(AdvisorCardScreen(key))


class FollowUpsScreen(ListScreen):
    """Follow-up calls: overdue first, then due; Enter records the call's outcome."""

    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="calls-back"),
                Binding("f9", "refresh", N_("Refresh"), id="calls-refresh")]
    TITLE_TEXT = N_("Follow-up calls after delivery: overdue first; Enter records the call")
    COLUMNS = (NC_("follow-up", "Due"), "", N_("Job card"), N_("Customer"), N_("Phone"), N_("Plate"), N_("Tries"))

    def fetch(self, after, limit):
        return [(key, (format_short_datetime(r.due_at), _("OVERDUE") if r.overdue else "", r.number, r.customer[:16],
                       r.phone[:16], r.plate, r.attempts))
                for key, r in followups.followup_queue(after, limit)]

    def chosen(self, key) -> None:
        self.app.push_screen(FollowUpDialog(key[1], self.table.get_row_at(self.table.cursor_row)), self._recorded)

    def _recorded(self, text: str | None) -> None:
        if text:
            self.feedback.show(text)
            self.table.reload()


class FollowUpDialog(FormDialog):
    def __init__(self, followup_id: int, row) -> None:
        super().__init__()
        self.followup_id = followup_id
        self.row = row

    def compose(self) -> ComposeResult:
        _due, _overdue, number, customer, phone, plate, _tries = self.row
        with Vertical(classes="dialog wide"):
            yield Label(_("Call {customer} {phone} about {number} ({plate}): how is the car?").format(
                customer=customer, phone=phone, number=number, plate=plate))
            yield Select([(_(words), outcome) for outcome, words in followups.OUTCOMES.items()], value="satisfied",
                         allow_blank=False, id="call-outcome")
            yield TextArea(id="call-note")
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    def on_mount(self) -> None:
        self.query_one("#call-note", TextArea).border_title = _(
            "What the customer said (a problem or complaint needs it)")

    @writes(moves_on=True)
    async def action_save(self) -> None:
        ok, result = await self.attempt_write(self.feedback, followups.record_followup, self.actor, self.followup_id,
                                              self.query_one("#call-outcome", Select).value, self.value("call-note"),
                                              bell=self.app.bell)
        if not ok:
            return
        if result.rework_job_id:
            text = _("Rework booked as draft {number}; it is on the customer's file.").format(
                number=job_number(result.rework_job_id))
        elif result.complaint_id:
            text = _("Complaint {number} registered and yours to follow; it is on the customer's file.").format(
                number=result.complaint_id)
        elif result.outcome == "no_answer":
            text = _("No answer: the call stays in the queue.")
        else:
            text = _("Customer satisfied: recorded on their file.")
        self.dismiss(text)


class CustomerFileScreen(KioskScreen):
    """The customer's file (客户档案): vehicles, job cards, follow-up outcomes, notes and complaints; F2 adds a
    note (what was agreed on the phone), Enter on a job card opens it."""

    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="file-back"),
                Binding("f2", "note", N_("Note"), id="file-note")]
    AUTO_FOCUS = "#file-jobs"

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(id="file-title", classes="screen-title")
        yield Label(id="file-vehicles", classes="section-title")
        yield MarkedTable(id="file-jobs", cursor_type="row")
        yield MarkedTable(id="file-notes", cursor_type="row")
        yield Feedback(id="feedback")
        yield KioskFooter()

    def on_mount(self) -> None:
        self.query_one("#file-jobs", DataTable).add_columns(_("Job card"), _("Status"), _("Opened"), _("Plate"), "km",
                                                            _("Complaint"))
        self.query_one("#file-notes", DataTable).add_columns(_("When"), _("What"), _("By"), _("Note"))
        self.refresh_file()

    def on_return(self) -> None:
        self.refresh_file()

    def refresh_file(self) -> None:
        ok, file = attempt(self.feedback, followups.customer_file, self.customer_id)
        if not ok:
            return
        self.file = file
        self.query_one("#file-title", Label).update(
            _("Customer file: {name} {phone} · since {since}").format(name=file.name[:30], phone=file.phone,
                                                                      since=f"{file.since:%Y-%m-%d}"))
        self.query_one("#file-vehicles", Label).update(
            _("Vehicles: {vehicles}").format(
                vehicles=", ".join(f"{v.plate or '-'} {v.model[:12]} …{v.vin[-6:]}" for v in file.vehicles[:4])
                or _("none")))
        jobs_table = self.query_one("#file-jobs", DataTable)
        jobs_table.clear()
        for j in file.jobs:
            jobs_table.add_row(j.number, _(j.status.replace("_", " ")), f"{j.opened_at:%Y-%m-%d}", j.plate,
                               f"{j.mileage_in:,}",
                               (_("rework: ") if j.rework_of else "") + first_line(j.complaint, 40))
        notes = self.query_one("#file-notes", DataTable)
        notes.clear()
        entries = [(n.at, _(n.kind), n.by, n.text) for n in file.notes]
        entries += [(c.opened_at, _("complaint {status}").format(status=_(c.status.replace("_", " "))), c.owner, c.text)
                    for c in file.complaints]
        for at, kind, by, text in sorted(entries, key=lambda e: e[0], reverse=True):
            notes.add_row(f"{at:%Y-%m-%d}", kind[:20], by[:12], first_line(text, 40))

    @on(DataTable.RowSelected, "#file-jobs")
    def open_job(self, event: DataTable.RowSelected) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .advisor_card import AdvisorCardScreen
        self.app.push_screen(AdvisorCardScreen(self.file.jobs[event.cursor_row].job_id))

    def action_note(self) -> None:
        self.app.push_screen(CustomerNoteDialog(self.customer_id), self._noted)

    def _noted(self, text: str | None) -> None:
        if text:
            self.feedback.show(text)  # the file is read again on return (on_return)


class CustomerNoteDialog(FormDialog):
    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(_("A note on the customer's file (what was agreed, a preference)"))
            yield TextArea(id="note-text")
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @writes(moves_on=True)
    async def action_save(self) -> None:
        await self.save(_("Note added to the customer's file."), followups.add_customer_note, self.actor,
                        self.customer_id, self.value("note-text"))
