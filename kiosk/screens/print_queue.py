"""Labels waiting for a printer, with the printer's last error; retry, retry a parked label, reprint a tag,
void a tag."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, Label

from .. import labelqueue, permissions, warranty
from ..i18n import N_, gettext as _
from .base import KioskFooter, KioskScreen, Feedback, writes
from .paged import PagedTable




class PrintQueueScreen(KioskScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="labels-back"),
        Binding("f2", "retry", N_("Retry printing"), id="labels-retry"),
        Binding("f3", "reprint", N_("Reprint a tag"), id="labels-reprint"),
        Binding("f4", "retry_parked", N_("Retry parked"), id="labels-retry-parked"),
        Binding("f8", "void", N_("Void a tag"), id="labels-void"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mode = ""
        self.errors: dict[int, str] = {}  # print job -> its whole last error, for the highlighted row

    def _page(self, after, limit):
        rows = labelqueue.waiting_jobs(after, limit)
        self.errors.update({key: r.last_error for key, r in rows})
        return [(key, (r.tag_number, r.printer, _(r.status), r.attempts, r.last_error[:44])) for key, r in rows]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Labels not printed yet, with the printer's last error"), classes="screen-title")
        yield Input(id="labels-input", classes="hidden", max_length=200)
        yield Feedback(id="feedback")
        yield PagedTable([_("Tag"), _("Printer"), _("Status"), _("Tries"), _("Last error")], self._page,
                         id="labels-table")
        yield KioskFooter()

    @on(DataTable.RowHighlighted, "#labels-table")
    def show_error(self) -> None:
        # The whole error of the highlighted label: the table cell is too narrow at 80 columns.
        error = self.errors.get(self.query_one(PagedTable).selected_key(), "")
        if error:
            self.query_one(Feedback).show(error, "error")

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "void":
            return self.app.actor is not None and permissions.allowed(self.app.actor.role, "tag.void")
        return True

    def action_retry(self) -> None:
        self.app.print_labels(failed_now=True)
        self.query_one(Feedback).show(_("Sending the waiting labels again…"))
        self.set_timer(2.0, self.query_one(PagedTable).reload)

    @writes(once=True)
    async def action_retry_parked(self) -> None:
        """The highlighted label, parked after failing too often, goes back in the queue and is sent."""
        feedback = self.query_one(Feedback)
        job_id = self.query_one(PagedTable).selected_key()
        if job_id is None:
            feedback.show(_("Highlight a parked label first."), "warn")
            return
        ok, tag_number = await self.attempt_write(feedback, labelqueue.retry_parked, self.actor, job_id,
                                                  bell=self.app.bell)
        if ok:
            self.app.print_labels()
            feedback.show(_("Label {tag} queued again; sending it now.").format(tag=tag_number))
            self.query_one(PagedTable).reload()
            self.set_timer(2.0, self.query_one(PagedTable).reload)

    def _ask(self, mode: str, placeholder: str) -> None:
        self.mode = mode
        field = self.query_one("#labels-input", Input)
        field.placeholder, field.value = placeholder, ""
        field.remove_class("hidden")
        field.focus()

    def action_reprint(self) -> None:
        self._ask("reprint", _("Tag number to print again (Enter)"))

    def action_void(self) -> None:
        self._ask("void", _("Tag number, a space, and why it is void (Enter)"))

    @on(Input.Submitted, "#labels-input")
    @writes(moves_on=True)
    async def given(self, event: Input.Submitted) -> None:
        feedback = self.query_one(Feedback)
        if self.mode == "reprint":
            ok, _queued = await self.attempt_write(feedback, labelqueue.reprint, self.actor, event.value,
                                                   self.settings, bell=self.app.bell)
            if ok:
                self.app.print_labels()
                feedback.show(_("Label {tag} queued again.").format(tag=event.value.strip().upper()))
        else:
            tag, _space, reason = event.value.strip().partition(" ")
            ok, _voided = await self.attempt_write(feedback, warranty.void_tag, self.actor, tag, reason,
                                                   bell=self.app.bell)
            if ok:
                feedback.show(_("Tag {tag} is void; its number is never used again.").format(tag=tag.upper()))
        if ok:
            event.input.add_class("hidden")
            self.query_one(PagedTable).reload()
