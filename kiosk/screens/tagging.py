"""Tagging a removed warranty part: the warnings, an advisor's override when needed, then the label prints."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Label

from .. import warranty
from ..i18n import N_, gettext as _
from .base import KioskFooter, Feedback, attempt, writes
from .job_dialogs import Dialog


class TagDialog(Dialog):
    BINDINGS = [Binding("f10", "tag", N_("Tag + print"), id="tag-save"),
                Binding("f8", "major_fault", N_("Major fault"), id="tag-major-fault")]

    def __init__(self, job_id: int, removed_part_id: int) -> None:
        super().__init__()
        self.job_id = job_id
        self.removed_part_id = removed_part_id

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label(id="tag-part")
            yield Label(id="tag-warnings", classes="warn-text")
            for key, words in warranty.EXCLUSIONS.items():
                yield Checkbox(_("Not covered: {words}").format(words=_(words)), id=f"excl-{key}")
            with Vertical(id="override", classes="hidden"):
                yield Label(_("Advisor's override: badge, PIN and the reason"))
                with Horizontal(classes="form-row"):
                    yield Input(placeholder=_("Advisor badge"), id="advisor-badge", max_length=64)
                    yield Input(placeholder=_("Advisor PIN"), id="advisor-pin", password=True, max_length=8)
                yield Input(placeholder=_("Why the manufacturer should pay"), id="override-reason", max_length=200)
            with Vertical(id="fault", classes="hidden"):
                yield Input(placeholder=_("Major fault: what happened (Enter to report)"), id="fault-text",
                            max_length=2000)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    def on_mount(self) -> None:
        self.show_check()

    def _exclusions(self) -> tuple[str, ...]:
        return tuple(key for key in warranty.EXCLUSIONS if self.query_one(f"#excl-{key}", Checkbox).value)

    def show_check(self) -> None:
        ok, check = attempt(self.feedback, warranty.check, self.removed_part_id, self._exclusions())
        if not ok:
            return
        self.query_one("#tag-part", Label).update(
            _("Tag {quantity} × {part} {description}").format(quantity=check.quantity, part=check.part_number,
                                                              description=check.description[:40])
            + ("  " + _("CAUSAL") if check.causal else ""))
        self.query_one("#tag-warnings", Label).update("\n".join(f"! {w}" for w in check.warnings)
                                                      or _("No warranty warnings. F10 tags it and prints the label."))
        self.query_one("#override").set_class(not check.needs_override, "hidden")

    @on(Checkbox.Changed)
    def exclusion_changed(self) -> None:
        self.show_check()

    @on(Input.Submitted, "#advisor-badge")
    @on(Input.Submitted, "#advisor-pin")
    def next_field(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#override-reason")
    def reason_given(self) -> None:
        self.action_tag()

    @writes(moves_on=True)
    async def action_tag(self) -> None:
        settings, feedback, exclusions = self.app.settings, self.feedback, self._exclusions()
        ok, check = attempt(feedback, warranty.check, self.removed_part_id, exclusions)
        if not ok:
            return
        override = None
        if check.needs_override:
            pin = self.query_one("#advisor-pin", Input)
            # The signature counts a wrong PIN towards the badge's lock-out: a write.
            badge, pin_given, pin.value = self.query_one("#advisor-badge", Input).value, pin.value, ""
            ok, advisor = await self.attempt_write(feedback, warranty.advisor_signature, badge, pin_given,
                                                   terminal=settings.terminal, client=self.app.client,
                                                   attempts=settings.pin_attempts,
                                                   lock_minutes=settings.pin_lock_minutes, bell=self.app.bell)
            if not ok:
                self.query_one("#advisor-badge", Input).focus()
                return
            override = warranty.Override(advisor, self.query_one("#override-reason", Input).value)
        ok, tag = await self.attempt_write(feedback, warranty.tag_part, self.actor, self.removed_part_id, settings,
                                           exclusions=exclusions, override=override, bell=self.app.bell)
        if ok:
            self.app.print_labels()
            self.dismiss(_("Tagged {tag}: hang the label on the part. Printing…").format(tag=tag.tag_number))

    def action_major_fault(self) -> None:
        self.query_one("#fault").remove_class("hidden")
        self.query_one("#fault-text", Input).focus()

    @on(Input.Submitted, "#fault-text")
    @writes(moves_on=True)
    async def report_fault(self, event: Input.Submitted) -> None:
        ok, fault = await self.attempt_write(self.feedback, warranty.raise_major_fault, self.actor, self.job_id,
                                             event.value, bell=self.app.bell)
        if ok:
            self.feedback.show(_("Major fault report {fault} raised: the advisor sends it to the manufacturer now.")
                               .format(fault=fault))
            self.query_one("#fault").add_class("hidden")
