"""The technician's home: my job cards, soonest due first; open one by selecting it or scanning its number."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Label

from .. import clocking, jobs
from ..i18n import N_, gettext as _, ngettext
from ..store.models import now
from ..text import fit_cells
from .base import KioskFooter, KioskScreen, Feedback, attempt, promised_cell, writes
from .paged import PagedTable
from .scan import ScanField


class MyJobsScreen(KioskScreen):
    BINDINGS = [
        Binding("f5", "clock_off", N_("Clock off"), id="jobs-clock-off"),
        Binding("f7", "labels", N_("Labels"), id="jobs-labels"),
        Binding("f9", "refresh", N_("Refresh"), id="jobs-refresh"),
    ]
    AUTO_FOCUS = "#my-jobs"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("My jobs: Enter opens the highlighted job card, or scan a job-card barcode"),
                    classes="screen-title")
        yield ScanField(_("Scan or type a job-card number (RO000123)"), id="job-scan")
        yield Feedback(id="feedback")
        yield PagedTable([_("Job card"), _("Status"), _("Due"), _("Plate"), _("Open"), _("Complaint")], self._page,
                         id="my-jobs")
        yield KioskFooter()

    @property
    def scan_field(self) -> ScanField:
        return self.query_one(ScanField)

    def _page(self, after, limit):
        at = now()
        return [(key, (jobs.job_number(r.job_id), fit_cells(_(jobs.STATE_WORDS[r.status]), 9),
                       promised_cell(r.promised_at, at), fit_cells(r.plate, 8), r.lines_open,
                       fit_cells(r.complaint, 24)))
                for key, r in jobs.my_jobs(self.actor, after, limit)]

    def on_return(self) -> None:
        self.action_refresh()

    def action_labels(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .print_queue import PrintQueueScreen
        self.app.push_screen(PrintQueueScreen())

    def action_refresh(self) -> None:
        self.query_one(PagedTable).reload()
        self.app.show_clock()

    @on(DataTable.RowSelected, "#my-jobs")
    def open_selected(self) -> None:
        key = self.query_one(PagedTable).selected_key()
        if key is not None:
            self.open_job(key[1])

    @on(ScanField.Scanned, "#job-scan")
    def scanned(self, message: ScanField.Scanned) -> None:
        ok, job_id = attempt(self.query_one(Feedback), jobs.parse_job_number, message.code, bell=self.app.bell)
        if ok:
            self.open_job(job_id)

    def open_job(self, job_id: int) -> None:
        feedback = self.query_one(Feedback)
        ok, view = attempt(feedback, jobs.technician_view, job_id, bell=self.app.bell)
        if not ok:
            return
        feedback.clear()
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .job_card import JobCardScreen
        self.app.push_screen(JobCardScreen(view.job_id))

    @writes(once=True)
    async def action_clock_off(self) -> None:
        ok, seconds = await self.attempt_write(self.query_one(Feedback), clocking.clock_off, self.actor,
                                               bell=self.app.bell)
        if ok:
            minutes = seconds // 60
            self.query_one(Feedback).show(ngettext("Clocked off after {minutes} minute.",
                                                  "Clocked off after {minutes} minutes.", minutes).format(
                                                      minutes=minutes))
            self.app.show_clock()
