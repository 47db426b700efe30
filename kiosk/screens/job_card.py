"""One job card at the floor terminal: the lines with the three Cs, clocking, parts issued, returned and removed."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Label, Static

from .. import clocking, jobs, parts
from ..errors import KioskError, NotFound
from ..i18n import NC_, N_, gettext as _
from .base import KioskFooter, KioskScreen, Feedback, attempt, writes
from .paged import MarkedTable
from .job_dialogs import (CatalogueScreen, IssueDialog, RemovedPartDialog, ReturnDialog, ThreeCsDialog)
from .scan import ScanField

PAYER_WORDS = {"customer": N_("Customer"), "warranty": N_("Warranty"), "internal": N_("Internal")}


class JobCardScreen(KioskScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="job-back"),
        Binding("f2", "clock", N_("Clock"), id="job-clock"),
        Binding("f3", "search_part", N_("Part"), id="job-find-part"),
        Binding("f4", "return_part", N_("Return"), id="job-return"),
        Binding("f5", "three_cs", N_("3Cs"), id="job-three-cs"),
        Binding("f6", "removed_part", N_("Old"), id="job-removed"),
        Binding("f7", "line_done", N_("Done"), id="job-line-done"),
        Binding("f9", "tag", NC_("key", "Tag"), id="job-tag"),
    ]
    AUTO_FOCUS = "#job-lines"

    def __init__(self, job_id: int) -> None:
        super().__init__()
        self.job_id = job_id
        self.view: jobs.TechnicianView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(id="job-title", classes="screen-title")
        yield Static(id="job-vehicle")
        yield MarkedTable(id="job-lines", cursor_type="row")
        yield Static(id="line-detail")
        yield ScanField(_("Scan a part to issue it to the highlighted line"), id="part-scan")
        yield Feedback(id="feedback")
        yield KioskFooter()

    @property
    def scan_field(self) -> ScanField:
        return self.query_one(ScanField)

    @property
    def feedback(self) -> Feedback:
        return self.query_one(Feedback)

    def on_mount(self) -> None:
        self.query_one("#job-lines", DataTable).add_columns("#", _("Payer"), _("Status"), _("Hours"),
                                                           _("Technician"), _("Complaint"))
        self.refresh_view()

    def refresh_view(self) -> None:
        ok, view = attempt(self.feedback, jobs.technician_view, self.job_id)
        if not ok:
            return
        self.view = view
        self.query_one("#job-title", Label).update(
            f"{view.number}  {_(jobs.STATE_WORDS[view.status])}  ·  {view.customer}")
        vin = _("VIN")
        self.query_one("#job-vehicle", Static).update(
            f"{view.model}  {view.plate}  {vin} {view.vin}  {view.mileage_in:,} km\n"
            + _("Complaint: {text}").format(text=view.complaint))
        table = self.query_one("#job-lines", DataTable)
        row = table.cursor_row
        table.clear()
        for line in view.lines:
            table.add_row(str(line.position), _(PAYER_WORDS.get(line.payer, line.payer)), _(line.status),
                          f"{line.hours:.2f}", line.technician[:14], line.complaint[:30])
        if view.lines:
            table.move_cursor(row=min(max(row, 0), len(view.lines) - 1))
        self.show_line()
        self.app.show_clock()

    @on(DataTable.RowHighlighted, "#job-lines")
    def show_line(self) -> None:
        line = self.line
        detail = self.query_one("#line-detail", Static)
        if line is None:
            detail.update("")
            return
        issued = ", ".join(f"{p.quantity}× {p.part_number}" for p in line.issued) or _("none")
        causal, tagged, not_tagged = " " + _("CAUSAL"), _("tagged"), _("NOT TAGGED")

        def state(r) -> str:
            return tagged if r.tagged else not_tagged if r.disposition == "warranty" else _(r.disposition)
        removed = ", ".join(f"{r.quantity}× {r.part_number}{causal if r.causal else ''} ({state(r)})"
                            for r in line.removed) or _("none")
        estimate = ", ".join([f"{p.quantity:g}× {p.part_number}" for p in line.estimated]
                             + ([_("{hours} h labour").format(hours=f"{line.estimated_hours:g}")]
                                if line.estimated_hours else [])) or _("none")
        detail.update(_("Cause: {text}").format(text=line.cause or "-") + "\n"
                      + _("Correction: {text}").format(text=line.correction or "-") + "\n"
                      + _("Parts issued: {issued} · estimate: {estimate}").format(issued=issued, estimate=estimate)
                      + "\n" + _("Old parts: {removed}").format(removed=removed))

    @property
    def line(self) -> jobs.TechnicianLine | None:
        if not self.view or not self.view.lines:
            return None
        row = self.query_one("#job-lines", DataTable).cursor_row
        return self.view.lines[min(max(row, 0), len(self.view.lines) - 1)]

    def _need_line(self) -> jobs.TechnicianLine | None:
        if self.line is None:
            self.feedback.show(_("This job card has no lines."), "error")
        return self.line

    def _done(self, text: str | None) -> None:
        if text:
            self.feedback.show(text)
        self.refresh_view()

    # clocking
    @writes(once=True)
    async def action_clock(self) -> None:
        line = self._need_line()
        if line is None:
            return
        running = clocking.running_clock(self.actor.employee_id)
        if running and running.line_id == line.id:
            ok, seconds = await self.attempt_write(self.feedback, clocking.clock_off, self.actor, bell=self.app.bell)
            if ok:
                self._done(_("Clocked off line {position} after {minutes} min.").format(
                    position=line.position, minutes=seconds // 60))
            return
        ok, clock = await self.attempt_write(self.feedback, clocking.clock_on, self.actor, line.id,
                                             bell=self.app.bell)
        if ok:
            before = (_(" (stopped {job} line {position})").format(job=jobs.job_number(running.job_id),
                                                                   position=running.position) if running else "")
            self._done(_("Clocked on line {position}{before}.").format(position=line.position, before=before))

    # parts
    @on(ScanField.Scanned, "#part-scan")
    def part_scanned(self, message: ScanField.Scanned) -> None:
        line = self._need_line()
        if line is None:
            return
        try:
            part = parts.find_part_by_scan(message.code)
        except NotFound as exc:
            # An unknown barcode opens the catalogue search with what was scanned already typed in.
            self.app.bell()
            self.feedback.show(exc.message, "error")
            number = parts.scanned_number(message.code)
            self.app.push_screen(CatalogueScreen(number, note=_("No part {number}: search by number or by words of "
                                                              "its description.").format(number=number)),
                                 self._chosen)
            return
        except KioskError as exc:
            self.app.bell()
            self.feedback.show(exc.message, "error")
            return
        self.app.push_screen(IssueDialog(line.id, part), self._done)

    def _chosen(self, part: parts.PartRow | None) -> None:
        line = self.line
        if part is not None and line is not None:
            self.app.push_screen(IssueDialog(line.id, part), self._done)

    def action_search_part(self) -> None:
        self.app.push_screen(CatalogueScreen(""), self._chosen)

    def action_return_part(self) -> None:
        line = self._need_line()
        if line is None:
            return
        if not line.issued:
            self.feedback.show(_("Line {position} holds no parts to return.").format(position=line.position),
                               "error")
            return
        self.app.push_screen(ReturnDialog(line), self._done)

    def action_removed_part(self) -> None:
        line = self._need_line()
        if line is not None:
            self.app.push_screen(RemovedPartDialog(line), self._done)

    # the three Cs and completion
    def action_three_cs(self) -> None:
        line = self._need_line()
        if line is not None:
            self.app.push_screen(ThreeCsDialog(line), self._done)

    @writes(once=True)
    async def action_line_done(self) -> None:
        """Mark the highlighted line done; when it was the last one, the job card is done too (one rule)."""
        line = self._need_line()
        if line is None:
            return
        ok, finished = await self.attempt_write(self.feedback, jobs.finish_line, self.actor, line.id,
                                                bell=self.app.bell)
        if not ok:
            return
        # A part on the customer's estimate that the line (or the card) never got: the quote and the work
        # disagree, so the technician is told at "done".
        missing = ([_("line {position}: {part}").format(position=other.position, part=part) for other in self.view.lines
                    for part in other.estimated_not_issued()] if finished.job_done else line.estimated_not_issued())
        warning = (_(" Estimated but never issued: {parts}; tell the advisor.").format(parts=", ".join(missing))
                   if missing else "")
        if finished.job_done:
            self._done(None)
            self.feedback.show(_("{job} is done and waits for the quality check.").format(
                job=jobs.job_number(self.job_id)) + warning,
                               "warn" if warning else "ok")
        elif finished.job_waits:
            self.refresh_view()
            self.app.bell()
            self.feedback.show(finished.job_waits, "error")
        else:
            self._done(None)
            self.feedback.show(_("Line {position} done.").format(position=line.position) + warning,
                               "warn" if warning else "ok")

    def action_tag(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .tagging import TagDialog

        line = self._need_line()
        if line is None:
            return
        waiting = [r for r in line.removed if r.disposition == "warranty" and not r.tagged]
        if line.payer != "warranty":
            self.feedback.show(_("Line {position} is paid by the {payer}: only warranty parts are tagged.").format(
                position=line.position, payer=_(line.payer)),
                               "error")
        elif not waiting:
            self.feedback.show(_("Record the old part first (F6); every warranty part here is tagged."), "error")
        else:
            self.app.push_screen(TagDialog(self.job_id, waiting[0].id), self._done)
