"""The advisor's home: what is due today (follow-up calls, open complaints, further work to approve, the
claim list), the job-card board soonest promised first, and the keys to reception and the advisor's queues."""

from __future__ import annotations

import time

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Label, Static

from .. import complaints, followups, quotes, reception, reports
from ..i18n import N_, gettext as _
from ..jobcard import BOARD_WORDS
from ..store import db
from ..jobs import job_number, parse_job_number
from . import complaints as complaint_screen
from ..store.models import now
from ..text import fit_cells
from .base import KioskFooter, KioskScreen, Feedback, attempt, promised_cell
from .paged import PagedTable
from .scan import ScanField

STATUS_TEXT = BOARD_WORDS
# BOARD_WORDS' messages, for the catalogue: the board shows them translated.
_BOARD_MSGIDS = (N_("draft"), N_("to approve"), N_("approved"), N_("in work"), N_("work done"), N_("checked"))


def _board_page(after, limit):
    at = now()
    # Cut to terminal cells so every column, the complaint too, fits 80 columns (Chinese takes two cells).
    return [(key, (job_number(r.job_id), _(STATUS_TEXT.get(r.status, r.status)), promised_cell(r.promised_at, at),
                   fit_cells(r.plate, 8), fit_cells(r.customer, 8), fit_cells(r.complaint, 19)))
            for key, r in reception.job_board(after, limit)]


def desk_summary() -> str:
    """One line of what waits for the advisors today."""
    due, overdue = followups.calls_due()
    waiting = len(quotes.further_work_waiting(limit=100))
    parts = [_("Calls due {due}").format(due=due)
             + (_(" ({overdue} overdue)").format(overdue=overdue) if overdue else ""),
             _("open complaints {count}").format(count=complaints.open_complaint_count()),
             _("further work to approve {count}").format(count=waiting if waiting < 100 else "100+")]
    reminder = reports.claim_list_reminder(reports.today())
    return " · ".join(parts) + (f"\n{reminder}" if reminder else "")


class JobBoardScreen(KioskScreen):
    BINDINGS = [
        Binding("f2", "reception", N_("Reception"), id="board-reception"),
        Binding("f3", "calls", N_("Calls"), id="board-calls"),
        Binding("f4", "complaints", N_("Complaints"), id="board-complaints"),
        Binding("f5", "reports", N_("Reports"), id="board-reports"),
        Binding("f6", "floor", N_("Floor"), id="board-floor"),
        Binding("f9", "refresh", N_("Refresh"), id="board-refresh"),
    ]
    AUTO_FOCUS = "#board"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Job-card board: soonest promised first; Enter or a job-card number opens one"),
                    classes="screen-title")
        yield Static(id="desk-summary")
        yield ScanField(_("Type or scan a job-card number (RO000123)"), id="board-scan")
        yield PagedTable([_("Job card"), _("Status"), _("Promised"), _("Plate"), _("Customer"), _("Complaint")],
                         _board_page, id="board")
        yield Label(_("Open complaints (F4)"), classes="section-title")
        yield PagedTable(complaint_screen.columns(), complaint_screen.complaint_rows, page_size=20,
                         id="open-complaints")
        yield Feedback(id="feedback")
        yield KioskFooter()

    @property
    def scan_field(self) -> ScanField:
        return self.query_one(ScanField)

    def on_mount(self) -> None:
        self._show_summary()

    def on_return(self) -> None:
        self.action_refresh()

    def _show_summary(self) -> None:
        ok, text = attempt(self.feedback, desk_summary)
        if ok:
            self.query_one("#desk-summary", Static).update(text)
            self._count_claims_not_ready(text, self.thread_feedback)

    # (when counted, the line): coming back to the board within READINESS_FRESH seconds shows the last count.
    _readiness: tuple[float, str | None] | None = None
    READINESS_FRESH = 300

    @work(thread=True, exclusive=True, group="claim-readiness")
    def _count_claims_not_ready(self, summary: str, feedback) -> None:
        """Last month's claims not ready (kiosk.readiness) under the summary: the whole month is read, so in
        a worker, and not again within a few minutes."""
        counted = self._readiness
        if counted and time.monotonic() - counted[0] < self.READINESS_FRESH:
            ok, line = True, counted[1]
        else:
            with db.connection_context():
                ok, line = attempt(feedback, reports.readiness_reminder, self.settings)
            if ok:
                self._readiness = (time.monotonic(), line)
        if ok and line:
            self.app.call_from_thread(self.query_one("#desk-summary", Static).update, f"{summary}\n{line}")

    def action_refresh(self) -> None:
        self._show_summary()
        for table in self.query(PagedTable):
            table.reload()

    @on(DataTable.RowSelected, "#board")
    def open_selected(self) -> None:
        key = self.query_one("#board", PagedTable).selected_key()
        if key is not None:
            self.open_card(key[1])

    @on(DataTable.RowSelected, "#open-complaints")
    def complaint_selected(self) -> None:
        self.action_complaints()

    @on(ScanField.Scanned, "#board-scan")
    def scanned(self, message: ScanField.Scanned) -> None:
        ok, job_id = attempt(self.feedback, parse_job_number, message.code, bell=self.app.bell)
        if ok:
            self.open_card(job_id)

    def open_card(self, job_id: int) -> None:
        ok, _result = attempt(self.feedback, reception.advisor_view, job_id, bell=self.app.bell)
        if ok:
            self.feedback.clear()
            # a screen's module loads when it is first opened: a session holds only what it uses
            from .advisor_card import AdvisorCardScreen
            self.app.push_screen(AdvisorCardScreen(job_id))

    def action_reception(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .reception import ReceptionScreen
        self.app.push_screen(ReceptionScreen())

    def action_calls(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .advisor_lists import FollowUpsScreen
        self.app.push_screen(FollowUpsScreen())

    def action_complaints(self) -> None:
        self.app.push_screen(complaint_screen.ComplaintsScreen())

    def action_reports(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .reports import ReportsScreen
        self.app.push_screen(ReportsScreen())

    def action_floor(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .floor import FloorToolsScreen
        self.app.push_screen(FloorToolsScreen())
