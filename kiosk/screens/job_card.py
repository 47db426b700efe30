"""One job card at the floor terminal: the lines with the three Cs, clocking, parts issued, returned and removed."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Label, Static

from .. import clocking, jobs, parts
from ..errors import KioskError, NotFound
from .base import KioskFooter, KioskScreen, Message, attempt
from .paged import MarkedTable
from .job_dialogs import (CatalogueScreen, IssueDialog, RemovedPartDialog, ReturnDialog, ThreeCsDialog)
from .scan import ScanField

PAYER_WORDS = {"customer": "Customer", "warranty": "Warranty", "internal": "Internal"}


class JobCardScreen(KioskScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="job-back"),
        Binding("f2", "clock", "Clock", id="job-clock"),
        Binding("f3", "search_part", "Part", id="job-find-part"),
        Binding("f4", "return_part", "Return", id="job-return"),
        Binding("f5", "three_cs", "3Cs", id="job-three-cs"),
        Binding("f6", "removed_part", "Old", id="job-removed"),
        Binding("f7", "line_done", "Done", id="job-line-done"),
        Binding("f9", "tag", "Tag", id="job-tag"),
    ]
    AUTO_FOCUS = "#job-lines"

    def __init__(self, job_id: int) -> None:
        super().__init__()
        self.job_id = job_id
        self.view: jobs.JobView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(id="job-title", classes="screen-title")
        yield Static(id="job-vehicle")
        yield MarkedTable(id="job-lines", cursor_type="row")
        yield Static(id="line-detail")
        yield ScanField("Scan a part to issue it to the highlighted line", id="part-scan")
        yield Message(id="feedback")
        yield KioskFooter()

    @property
    def scan_field(self) -> ScanField:
        return self.query_one(ScanField)

    @property
    def feedback(self) -> Message:
        return self.query_one(Message)

    def on_mount(self) -> None:
        self.query_one("#job-lines", DataTable).add_columns("#", "Payer", "Status", "Hours", "Technician",
                                                           "Complaint")
        self.refresh_view()

    def refresh_view(self) -> None:
        ok, view = attempt(self.feedback, jobs.job_card_view, self.job_id)
        if not ok:
            return
        self.view = view
        self.query_one("#job-title", Label).update(
            f"{view.number}  {jobs.STATE_WORDS[view.status]}  ·  {view.customer}")
        self.query_one("#job-vehicle", Static).update(
            f"{view.model}  {view.plate}  VIN {view.vin}  {view.mileage_in:,} km\nComplaint: {view.complaint}")
        table = self.query_one("#job-lines", DataTable)
        row = table.cursor_row
        table.clear()
        for line in view.lines:
            table.add_row(str(line.position), PAYER_WORDS.get(line.payer, line.payer), line.status,
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
        issued = ", ".join(f"{p.quantity}× {p.part_number}" for p in line.issued) or "none"
        removed = ", ".join(f"{r.quantity}× {r.part_number}{' CAUSAL' if r.causal else ''} "
                            f"({'tagged' if r.tagged else 'NOT TAGGED' if r.disposition == 'warranty' else r.disposition})"  # noqa: E501
                            for r in line.removed) or "none"
        estimate = ", ".join([f"{p.quantity:g}× {p.part_number}" for p in line.estimated]
                             + ([f"{line.estimated_hours:g} h labour"] if line.estimated_hours else [])) or "none"
        detail.update(f"Cause: {line.cause or '-'}\nCorrection: {line.correction or '-'}\n"
                      f"Parts issued: {issued} · estimate: {estimate}\nOld parts: {removed}")

    @property
    def line(self) -> jobs.LineView | None:
        if not self.view or not self.view.lines:
            return None
        row = self.query_one("#job-lines", DataTable).cursor_row
        return self.view.lines[min(max(row, 0), len(self.view.lines) - 1)]

    def _need_line(self) -> jobs.LineView | None:
        if self.line is None:
            self.feedback.show("This job card has no lines.", "error")
        return self.line

    def _done(self, text: str | None) -> None:
        if text:
            self.feedback.show(text)
        self.refresh_view()

    # clocking
    def action_clock(self) -> None:
        line = self._need_line()
        if line is None:
            return
        running = clocking.running_clock(self.actor.employee_id)
        if running and running.line_id == line.id:
            ok, seconds = attempt(self.feedback, clocking.clock_off, self.actor, bell=self.app.bell)
            if ok:
                self._done(f"Clocked off line {line.position} after {seconds // 60} min.")
            return
        ok, clock = attempt(self.feedback, clocking.clock_on, self.actor, line.id, bell=self.app.bell)
        if ok:
            before = f" (stopped {jobs.job_number(running.job_id)} line {running.position})" if running else ""
            self._done(f"Clocked on line {line.position}{before}.")

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
            self.app.push_screen(CatalogueScreen(number, note=f"No part {number}: search by number or by words of "
                                                              "its description."), self._chosen)
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
            self.feedback.show(f"Line {line.position} holds no parts to return.", "error")
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

    def action_line_done(self) -> None:
        """Mark the highlighted line done; when it was the last one, the job card is done too (one rule)."""
        line = self._need_line()
        if line is None:
            return
        ok, finished = attempt(self.feedback, jobs.finish_line, self.actor, line.id, bell=self.app.bell)
        if not ok:
            return
        # A part on the customer's estimate that the line (or the card) never got: the quote and the work
        # disagree, so the technician is told at "done".
        missing = ([f"line {other.position}: {part}" for other in self.view.lines
                    for part in other.estimated_not_issued()] if finished.job_done else line.estimated_not_issued())
        warning = f" Estimated but never issued: {', '.join(missing)}; tell the advisor." if missing else ""
        if finished.job_done:
            self._done(None)
            self.feedback.show(f"{jobs.job_number(self.job_id)} is done and waits for the quality check.{warning}",
                               "warn" if warning else "ok")
        elif finished.job_waits:
            self.refresh_view()
            self.app.bell()
            self.feedback.show(finished.job_waits, "error")
        else:
            self._done(None)
            self.feedback.show(f"Line {line.position} done.{warning}", "warn" if warning else "ok")

    def action_tag(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .tagging import TagDialog

        line = self._need_line()
        if line is None:
            return
        waiting = [r for r in line.removed if r.disposition == "warranty" and not r.tagged]
        if line.payer != "warranty":
            self.feedback.show(f"Line {line.position} is paid by the {line.payer}: only warranty parts are tagged.",
                               "error")
        elif not waiting:
            self.feedback.show("Record the old part first (F6); every warranty part here is tagged.", "error")
        else:
            self.app.push_screen(TagDialog(self.job_id, waiting[0].id), self._done)
