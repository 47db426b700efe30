"""One line asked for in a small dialog over a screen (a delivery note, a bin, a quantity, a reason)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from .base import KioskFooter, Feedback, attempt, writes
from .job_dialogs import Dialog


class AskDialog(Dialog):
    """One line asked for; Enter checks it with `check` (a rule: its refusal shows here) and closes with what
    check returned. Escape closes with None. A check that writes (writes=True) runs in the writer thread."""

    def __init__(self, title: str, placeholder: str, check: Callable[[str], Any], value: str = "", *,
                 writes: bool = False) -> None:
        super().__init__()
        self.title_text, self.placeholder, self.check, self.start = title, placeholder, check, value
        self.check_writes = writes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text)
            yield Input(self.start, placeholder=self.placeholder, id="answer", max_length=200)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @on(Input.Submitted, "#answer")
    def answered(self, event: Input.Submitted) -> None:
        event.stop()
        if self.check_writes:
            self.write_answer(event.value)
            return
        ok, result = attempt(self.feedback, self.check, event.value, bell=self.app.bell)
        if ok:
            self.dismiss(result)

    @writes(moves_on=True)
    async def write_answer(self, value: str) -> None:
        ok, result = await self.attempt_write(self.feedback, self.check, value, bell=self.app.bell)
        if ok:
            self.dismiss(result)
