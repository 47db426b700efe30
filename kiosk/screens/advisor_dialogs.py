"""Dialogs of the advisor's job card: a line, an estimate, the customer's approval, a technician, a declined
line, the quality check, a correction note, the card's own fields, cancelling a card not yet approved. Each
saves with F10 (or Enter in its last field) through one rule and shows the rule's refusal in place."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, TextArea

from .. import delivery, jobcard, quotes, reception
from ..approval import APPROVAL_WAYS
from ..jobs import PAYERS
from ..i18n import N_, gettext as _
from .base import KioskFooter, Feedback, attempt, writes
from .job_dialogs import Dialog


class FormDialog(Dialog):
    """A dialog whose Enter moves to the next field and, in the last Input, saves (F10 saves anywhere). Its saves
    are @writes(moves_on=True) handlers awaiting save(): the dialog closes once the write has landed."""

    BINDINGS = [Binding("f10", "save", N_("Save"), id="form-save")]
    SAVE_ON: tuple[str, ...] = ()  # the inputs whose Enter saves (the last one, or one shown only when needed)

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id in self.SAVE_ON:
            self.action_save()
        else:
            self.focus_next()

    def value(self, name: str) -> str:
        widget = self.query_one(f"#{name}")
        return widget.text if isinstance(widget, TextArea) else widget.value

    async def save(self, done: str, call, *args, **kwargs) -> None:
        ok, result = await self.attempt_write(self.feedback, call, *args, bell=self.app.bell, **kwargs)
        if ok and result is False:  # the rule found every field as it was: nothing saved, the dialog stays
            self.feedback.show(_("Nothing changed: edit a field, then F10 (Esc closes)."), "warn")
            self.app.bell()
        elif ok:
            self.dismiss(done)

    def action_save(self) -> None:  # pragma: no cover - every dialog has its own
        raise NotImplementedError


class AddLineDialog(FormDialog):
    SAVE_ON = ("line-technician",)

    def __init__(self, view: reception.AdvisorView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        further = jobcard.further_work(self.view.status)
        with Vertical(classes="dialog wide"):
            yield Label(_("New line on {number}").format(number=self.view.number)
                        + (_(": further work, it waits for the customer's approval (F4)") if further else ""))
            yield Input(placeholder=_("What the line is for (the complaint it answers)"), id="line-complaint",
                        max_length=reception.LINE_COMPLAINT_MAX)
            with Horizontal(classes="form-row"):
                yield Select([(_(p), p) for p in PAYERS], value="customer", allow_blank=False, id="line-payer")
                yield Input(placeholder=_("Labour op"), id="line-operation", max_length=20)
                yield Input(placeholder=_("Technician badge"), id="line-technician", max_length=64)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @writes(moves_on=True)
    async def action_save(self) -> None:
        ok, technician_id = attempt(self.feedback, reception.technician_by_badge, self.value("line-technician"),
                                    bell=self.app.bell)
        if not ok:
            return
        line = reception.NewLine(self.value("line-complaint"), self.query_one("#line-payer", Select).value,
                                 self.value("line-operation"), technician_id)
        await self.save(_("Line added."), reception.add_line, self.actor, self.view.job_id, line)


class EstimateDialog(FormDialog):
    """Parts by number and quantity, or labour by hours and rate, on the highlighted line."""

    SAVE_ON = ("estimate-description",)

    def __init__(self, line: reception.AdvisorLine) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(_("Estimate on line {position}: a part, or labour hours").format(position=self.line.position))
            with Horizontal(classes="form-row"):
                yield Input(placeholder=_("Part number"), id="estimate-part", max_length=40)
                yield Input(placeholder=_("Quantity"), id="estimate-quantity", max_length=12)
            with Horizontal(classes="form-row"):
                yield Input(placeholder=_("Labour hours"), id="estimate-hours", max_length=12)
                yield Input(str(self.app.settings.labour_rate or ""), placeholder=_("Rate per hour"),
                            id="estimate-rate",
                            max_length=12)
                yield Input(placeholder=_("Description"), id="estimate-description", max_length=200)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @on(Input.Submitted, "#estimate-quantity")
    def part_given(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @writes(moves_on=True)
    async def action_save(self) -> None:
        if self.value("estimate-part").strip():
            await self.save(_("Part estimate added to line {position}.").format(position=self.line.position),
                            quotes.add_part_estimate, self.actor,
                            self.line.id, self.value("estimate-part"), self.value("estimate-quantity") or "1")
        elif self.value("estimate-hours").strip():
            await self.save(_("Labour estimate added to line {position}.").format(position=self.line.position),
                            quotes.add_labour_estimate,
                            self.actor, self.line.id, self.value("estimate-hours"), self.value("estimate-rate"),
                            self.value("estimate-description"))
        else:
            self.feedback.show(_("Type a part number and quantity, or labour hours and the rate."), "error")
            self.app.bell()


class ApprovalDialog(FormDialog):
    """The customer's answer: yes (who said it and how), or no to the highlighted line (the note is the
    reason). On a draft, F8 records that the quote went out and the card waits for the answer."""

    BINDINGS = [Binding("f10", "save", N_("Approved"), id="approval-yes"),
                Binding("f8", "sent", N_("Quote sent"), id="approval-sent"),
                Binding("f6", "decline", N_("Decline line"), id="approval-decline")]
    SAVE_ON = ("approval-note",)

    def __init__(self, view: reception.AdvisorView, line: reception.AdvisorLine | None) -> None:
        super().__init__()
        self.view = view
        self.line = line

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(_("The customer's answer on {number}").format(number=self.view.number)
                        + (_(" (F6 declines line {position})").format(position=self.line.position)
                           if self._declinable() else ""))
            yield Input(self.view.customer, placeholder=_("Who approved (name as given)"), id="approval-name",
                        max_length=80)
            yield Select([(_(words), how) for how, words in APPROVAL_WAYS.items()], value="in_person",
                         allow_blank=False, id="approval-how")
            yield Input(placeholder=_("Note, or why a line is declined (Enter or F10 approves)"), id="approval-note",
                        max_length=200)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    def on_mount(self) -> None:
        ok, unpriced = attempt(self.feedback, quotes.lines_without_estimate, self.view.job_id)
        if ok and unpriced:
            self.feedback.show(_("No estimate on line {lines}: the customer would approve work without a price (Esc, "
                                 "then F3 adds one).").format(lines=", ".join(map(str, unpriced))), "warn")

    def _declinable(self) -> bool:
        return self.line is not None and not self.line.approved and self.line.status != "declined"

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "sent":
            return jobcard.allows(self.view.status, "submit")
        if action == "decline":
            return self._declinable()
        return True

    @writes(moves_on=True)
    async def action_save(self) -> None:
        await self.save(_("The customer's approval is recorded; the floor may start."), quotes.record_approval,
                        self.actor, self.view.job_id, self.query_one("#approval-how", Select).value,
                        self.value("approval-name"), self.value("approval-note"))

    @writes(moves_on=True)
    async def action_sent(self) -> None:
        await self.save(_("Quote sent: the card waits for the customer's approval."), quotes.submit_for_approval,
                        self.actor, self.view.job_id)

    @writes(moves_on=True)
    async def action_decline(self) -> None:
        await self.save(_("Line {position} declined; it stays on the card, never worked.").format(
                        position=self.line.position),
                        quotes.decline_line,
                        self.actor, self.line.id, self.value("approval-note"))


class AssignDialog(FormDialog):
    SAVE_ON = ("assign-badge",)

    def __init__(self, line: reception.AdvisorLine) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        now_with = (_("now {technician}").format(technician=self.line.technician) if self.line.technician
                    else _("nobody yet"))
        with Vertical(classes="dialog"):
            yield Label(_("Technician for line {position} ({now})").format(position=self.line.position, now=now_with))
            yield Input(placeholder=_("Technician's badge (blank: take it back)"), id="assign-badge", max_length=64)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @writes(moves_on=True)
    async def action_save(self) -> None:
        ok, technician_id = attempt(self.feedback, reception.technician_by_badge, self.value("assign-badge"),
                                    bell=self.app.bell)
        if ok:
            done = (_("Line {position} assigned.") if technician_id else _("Line {position} has no technician now.")
                    ).format(position=self.line.position)
            await self.save(done, reception.assign_technician, self.actor, self.line.id, technician_id)


class QualityCheckDialog(FormDialog):
    """F10 passes the check; F8 fails it (the note says why) and sends the card back into work."""

    BINDINGS = [Binding("f10", "save", N_("Passed"), id="qc-pass"), Binding("f8", "fail", N_("Failed"), id="qc-fail")]

    def __init__(self, view: reception.AdvisorView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(_("Quality check of {number} (by someone who did not work on it)").format(
                number=self.view.number))
            yield TextArea(id="qc-note")
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    def on_mount(self) -> None:
        self.query_one("#qc-note", TextArea).border_title = _("Note (what failed, if it failed)")

    @writes(moves_on=True)
    async def action_save(self) -> None:
        await self.save(_("Quality check passed: ready to deliver."), delivery.quality_check, self.actor,
                        self.view.job_id, True, self.value("qc-note"))

    @writes(moves_on=True)
    async def action_fail(self) -> None:
        await self.save(_("Quality check failed: the card is back in work."), delivery.quality_check, self.actor,
                        self.view.job_id, False, self.value("qc-note"))


class CorrectionDialog(FormDialog):
    def __init__(self, view: reception.AdvisorView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(_("Correction note on {number} (the closed card itself stays as it was)").format(
                number=self.view.number))
            yield TextArea(id="correction-text")
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @writes(moves_on=True)
    async def action_save(self) -> None:
        await self.save(_("Correction note added."), delivery.add_correction_note, self.actor, self.view.job_id,
                        self.value("correction-text"))


class CardEditDialog(FormDialog):
    """The card's own fields: the complaint and mileage until the customer approves, the promised time until
    delivery. Before approval F6 cancels the card (it stays on file)."""

    BINDINGS = [Binding("f6", "cancel_card", N_("Cancel job card"), id="edit-cancel-card")]
    SAVE_ON = ("edit-reason",)

    def __init__(self, view: reception.AdvisorView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        v = self.view
        before = jobcard.allows(v.status, "edit_received")
        with Vertical(classes="dialog wide"):
            yield Label(_("Edit {number}").format(number=v.number)
                        + ("" if before else _(": approved, only the promised time changes")))
            with Horizontal(classes="form-row"):
                yield Input(f"{v.mileage_in}", placeholder=_("Mileage in"), id="edit-mileage", max_length=20,
                            disabled=not before)
                yield Input(f"{v.promised_at:%Y-%m-%d %H:%M}" if v.promised_at else "",
                            placeholder=_("Promised time, e.g. 17:30"), id="edit-promised", max_length=30)
            yield TextArea(v.complaint, id="edit-complaint", disabled=not before)
            yield Input(v.mileage_override_reason, placeholder=_("Reason if the mileage is below last time"),
                        id="edit-reason", max_length=200, disabled=not before)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    def on_mount(self) -> None:
        self.query_one("#edit-complaint", TextArea).border_title = _("Complaint, as the customer says it")

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "cancel_card":
            return jobcard.allows(self.view.status, "cancel")
        return True

    def action_cancel_card(self) -> None:
        self.app.push_screen(CancelCardDialog(self.view), lambda said: said and self.dismiss(said))

    def _promised(self):
        """The promised time typed, or KEEP when it was not touched (a time already past stays as it was)."""
        before = f"{self.view.promised_at:%Y-%m-%d %H:%M}" if self.view.promised_at else ""
        typed = self.value("edit-promised")
        return reception.KEEP if typed.strip() == before else (typed or None)

    @writes(moves_on=True)
    async def action_save(self) -> None:
        if jobcard.allows(self.view.status, "edit_received"):
            await self.save(_("Job card saved."), reception.update_job, self.actor, self.view.job_id,
                            complaint=self.value("edit-complaint"), mileage_in=self.value("edit-mileage"),
                            mileage_override_reason=self.value("edit-reason"), promised_at=self._promised())
        else:
            await self.save(_("Promised time saved."), reception.update_job, self.actor, self.view.job_id,
                            promised_at=self._promised())


class CancelCardDialog(FormDialog):
    """Cancelling a card the customer has not approved, with the reason; the card stays on file."""

    SAVE_ON = ("cancel-reason",)

    def __init__(self, view: reception.AdvisorView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Cancel {number}? It stays on file as cancelled; nothing is deleted.").format(
                number=self.view.number))
            yield Input(placeholder=_("Why (the customer went elsewhere, opened by mistake…)"), id="cancel-reason",
                        max_length=200)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @writes(moves_on=True)
    async def action_save(self) -> None:
        await self.save(_("{number} cancelled; it stays on file with the reason.").format(number=self.view.number),
                        delivery.cancel, self.actor,
                        self.view.job_id, self.value("cancel-reason"))
