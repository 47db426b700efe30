"""The advisor's job card: lines and technicians, the quote and the customer's approval, quality check,
delivery, and correction notes on a closed card. The keys shown are those the card's state allows."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Label, Static

from .. import delivery, jobcard, quotes, reception
from ..store import db
from ..approval import APPROVAL_WAYS
from ..jobcard import AFTER_APPROVAL, CANCELLED, DELIVERED, STATE_WORDS
from ..text import first_line, fit_cells
from ..i18n import NC_, N_, format_short_datetime, gettext as _
from .advisor_dialogs import (AddLineDialog, ApprovalDialog, AssignDialog, CardEditDialog, CorrectionDialog,
                              EstimateDialog, QualityCheckDialog)
from ..store.models import now
from .base import FromThread, KioskFooter, KioskScreen, Feedback, attempt, promised_cell, writes
from .paged import MarkedTable


# The messages of codes shown as they are stored (a line's status and payer, how an approval was given), for the
# catalogue: the card shows them translated.
_CODE_MSGIDS = (N_("open"), N_("in_progress"), N_("done"), N_("declined"), N_("customer"), N_("warranty"),
                N_("internal"), N_("in person"), N_("by phone"), N_("by message"))

# An estimate's state after its amount (the whole bracket, a message of its own: "pending" says other things elsewhere).
ESTIMATE_STATES = {"pending": N_(" (pending)"), "declined": N_(" (declined)")}


def _money(amount) -> str:
    return f"{amount:,.2f}"


class AdvisorCardScreen(KioskScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="card-back"),
        Binding("f2", "add_line", N_("Line"), id="card-add-line"),
        Binding("f3", "estimate", N_("Estimate"), id="card-estimate"),
        Binding("f4", "approve", NC_("customer", "Approve"), id="card-approve"),
        Binding("f5", "assign", N_("Tech"), id="card-assign"),
        Binding("f7", "quality_check", N_("QC"), id="card-qc"),
        Binding("f8", "deliver", N_("Deliver"), id="card-deliver"),
        Binding("f9", "print_card", N_("Print"), id="card-print"),
        Binding("f10", "correct", N_("Note"), id="card-correct"),
        Binding("f11", "edit", N_("Edit"), id="card-edit"),
    ]
    AUTO_FOCUS = "#card-lines"

    def __init__(self, job_id: int) -> None:
        super().__init__()
        self.job_id = job_id
        self.view: reception.AdvisorView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(id="card-title", classes="screen-title")
        yield Static(id="card-vehicle")
        yield MarkedTable(id="card-lines", cursor_type="row")
        yield Static(id="card-estimate", markup=False)
        yield Static(id="card-status")
        yield Feedback(id="feedback")
        yield KioskFooter()

    @property
    def lines(self) -> DataTable:
        return self.query_one("#card-lines", DataTable)

    def on_mount(self) -> None:
        self.lines.add_columns("#", _("Payer"), _("Op"), _("Technician"), _("Status"), _("Approved"), _("Complaint"))
        self.refresh_view()

    def check_action(self, action: str, parameters) -> bool | None:
        # A key is offered only in the card states whose rule accepts it (kiosk.jobcard.ACTIONS).
        if action in jobcard.KNOWN_ACTIONS:
            return self.view is not None and jobcard.allows(self.view.status, action)
        return True

    def refresh_view(self) -> None:
        ok, view = attempt(self.feedback, reception.advisor_view, self.job_id)
        if not ok:
            return
        self.view = view
        promised = (_("due {promised}").format(promised=promised_cell(view.promised_at, now())) if view.promised_at
                    else _("no promised time"))
        self.query_one("#card-title", Label).update(
            f"{view.number} · {_(STATE_WORDS[view.status])} · {view.customer[:20]} {view.phone}")
        mileage = f"{view.mileage_in:,} km" + (_(" (below last: {reason})").format(
            reason=view.mileage_override_reason[:30]) if view.mileage_override_reason else "")
        # One screen line each at 80 columns: the vehicle (model cut first; the promised time before the mileage,
        # so a long reason for a lower mileage is what gets cut), then the complaint.
        self.query_one("#card-vehicle", Static).update(
            fit_cells(f"{fit_cells(view.model, 12)} {view.plate} VIN {view.vin} · {promised} · {mileage}", 78)
            + "\n" + _("Complaint: {text}").format(text=fit_cells(view.complaint, 67) or _("(not written yet)")))
        row = self.lines.cursor_row
        self.lines.clear()
        for line in view.lines:
            approved = _("yes") if line.approved else (_("declined") if line.status == "declined" else _("waiting"))
            self.lines.add_row(str(line.position), _(line.payer), fit_cells(line.labour_operation, 6) or "-",
                               fit_cells(line.technician, 10) or "-", _(line.status), approved,
                               fit_cells(("+ " if line.further_work else "") + line.complaint, 20))
        if view.lines:
            self.lines.move_cursor(row=min(max(row, 0), len(view.lines) - 1))
        self.query_one("#card-status", Static).update(self._status_text(view))
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#card-lines")
    def show_estimate(self) -> None:
        """The highlighted line's estimate, item by item (the card's total is in the status below)."""
        line, quote = self.highlighted_line(), getattr(self, "_quote", None)
        rows = [r for r in (quote.rows if quote and line else ()) if r.line_id == line.id]
        items = [(f"{r.quantity:g}× {r.part_number or r.description[:16]}" if r.kind == "part"
                  else _("{hours} h labour").format(hours=f"{r.quantity:g}")) + f" {_money(r.amount)}"
                 + ("" if r.state == "approved" else _(ESTIMATE_STATES.get(r.state, f" ({r.state})"))) for r in rows]
        text = (fit_cells(_("Line {position}: {complaint}").format(position=line.position, complaint=line.complaint),
                          78) + "\n"
                + fit_cells(_("Estimate: {items}").format(items="; ".join(items) if items else _("none (F3 adds one)")),
                            78)) if line else ""
        self.query_one("#card-estimate", Static).update(text)

    def _status_text(self, view: reception.AdvisorView) -> str:
        parts = []
        ok, quote = attempt(self.feedback, quotes.quote, view.job_id)
        self._quote = quote if ok else None
        self.show_estimate()
        if ok and quote.rows:
            parts.append(_("Quote {total}, customer pays {customer}").format(total=_money(quote.total),
                                                                          customer=_money(quote.customer_total))
                         + (_(", {amount} waiting for approval").format(amount=_money(quote.pending_total))
                            if quote.pending_total else ""))
        if view.approvals:
            last = view.approvals[-1]
            parts.append(_("Approved by {name} {how} {at} ({recorded_by})").format(
                name=last.customer_name[:16], how=_(APPROVAL_WAYS.get(last.how, last.how)),
                at=format_short_datetime(last.at), recorded_by=last.recorded_by[:14]))
        if view.quality_checks:
            check = view.quality_checks[-1]
            parts.append(_("Quality check {result} by {name}").format(
                result=_("passed") if check.passed else _("FAILED"), name=check.checked_by[:14])
                + (f": {check.note[:30]}" if check.note else ""))
        if view.status == CANCELLED:
            reason = first_line(view.corrections[0].text, 50) if view.corrections else _("Cancelled")
            parts.append(_("{reason} ({at}); read-only, F10 adds a note").format(
                reason=reason, at=format_short_datetime(view.closed_at)))
        elif view.status == DELIVERED:
            parts.append(_("Delivered {at}; read-only, F10 adds a correction note").format(
                at=format_short_datetime(view.closed_at))
                         + (_(" ({count} so far)").format(count=len(view.corrections)) if view.corrections else ""))
        elif view.status in AFTER_APPROVAL:
            # What stands between the card and the customer, first things first (a running clock, an untagged
            # warranty part), so the advisor knows whom to ask before the customer arrives.
            ok, blockers = attempt(self.feedback, delivery.delivery_blockers, view.job_id)
            if ok:
                # Every one of them, each on its line: the lines table gives way (it has the room).
                parts.append(_("Ready to deliver (F8).") if not blockers else _("Before delivery: ") + blockers[0]
                             if len(blockers) == 1 else
                             _("Before delivery:") + "\n" + "\n".join(f" {n}. {b}" for n, b in enumerate(blockers, 1)))
        return "\n".join(parts)

    def highlighted_line(self) -> reception.AdvisorLine | None:
        if self.view is None or not self.view.lines:
            return None
        return self.view.lines[min(max(self.lines.cursor_row, 0), len(self.view.lines) - 1)]

    def selected_line(self) -> reception.AdvisorLine | None:
        line = self.highlighted_line()
        if line is None:
            self.feedback.show(_("This card has no lines yet: F2 adds one."), "error")
        return line

    def _done(self, text: str | None) -> None:
        if text:
            self.feedback.show(text)
        self.refresh_view()

    def action_add_line(self) -> None:
        self.app.push_screen(AddLineDialog(self.view), self._done)

    def action_estimate(self) -> None:
        line = self.selected_line()
        if line:
            self.app.push_screen(EstimateDialog(line), self._done)

    def action_approve(self) -> None:
        self.app.push_screen(ApprovalDialog(self.view, self.highlighted_line()), self._done)

    def action_assign(self) -> None:
        line = self.selected_line()
        if line:
            self.app.push_screen(AssignDialog(line), self._done)

    def action_quality_check(self) -> None:
        self.app.push_screen(QualityCheckDialog(self.view), self._done)

    @writes(once=True)
    async def action_deliver(self) -> None:
        ok, _result = await self.attempt_write(self.feedback, delivery.deliver, self.actor, self.job_id,
                                               bell=self.app.bell)
        if ok:
            self._done(_("{number} delivered and closed; the follow-up call is due within two days.").format(
                number=self.view.number))

    def action_correct(self) -> None:
        self.app.push_screen(CorrectionDialog(self.view), self._done)

    def action_edit(self) -> None:
        self.app.push_screen(CardEditDialog(self.view), self._done)

    def action_print_card(self) -> None:
        self.feedback.show(_("Printing {number}…").format(number=self.view.number) if self.view else _("Printing…"),
                           "warn")
        self._print(self.actor, self.thread_feedback)

    @work(thread=True, exclusive=True, group="print-card")
    def _print(self, actor, feedback: FromThread) -> None:
        """The printer may take seconds to answer: off the event loop, so the screen keeps working."""
        from .. import jobcard_print  # the PDF writer and its CJK font load only when a job card is printed

        with db.connection_context():
            ok, printed = attempt(feedback, jobcard_print.print_job_card, actor, self.job_id, self.settings,
                                  bell=feedback.bell)
        if ok:
            feedback.show(printed.message, "ok" if printed.printer else "warn")

    @on(DataTable.RowSelected, "#card-lines")
    def line_selected(self) -> None:
        line = self.selected_line()
        if line:
            self.feedback.show(_("Line {position}: {complaint}").format(position=line.position,
                                                                          complaint=line.complaint[:60])
                               + (_(" · cause: {cause}").format(cause=line.cause[:30]) if line.cause else ""), "ok")
