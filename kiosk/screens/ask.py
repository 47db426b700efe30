"""One line asked for in a small dialog over a screen (a delivery note, a bin, a quantity, a reason)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from .base import KioskFooter, Feedback, attempt
from .job_dialogs import Dialog


class AskDialog(Dialog):
    """One line asked for; Enter checks it with `check` (a rule: its refusal shows here) and closes with what
    check returned. Escape closes with None."""

    def __init__(self, title: str, placeholder: str, check: Callable[[str], Any], value: str = "") -> None:
        super().__init__()
        self.title_text, self.placeholder, self.check, self.start = title, placeholder, check, value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text)
            yield Input(self.start, placeholder=self.placeholder, id="answer", max_length=200)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @on(Input.Submitted, "#answer")
    def answered(self, event: Input.Submitted) -> None:
        event.stop()
        ok, result = attempt(self.feedback, self.check, event.value, bell=self.app.bell)
        if ok:
            self.dismiss(result)
