"""The audit pack from the reports screen: VINs or job-card numbers typed (or the auditor's CSV), written in a
worker with a progress bar, one PDF per job card and an index."""

from __future__ import annotations

import datetime as dt
import re

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Input, Label, ProgressBar

from .. import auditpack
from ..config import data_dir
from ..store import db
from ..i18n import N_, gettext as _
from .base import KioskFooter, KioskScreen, Feedback, attempt
from .returns import csv_path


def keys_of(text: str) -> list[str]:
    """What was typed: a CSV file's path, or VINs and job-card numbers separated by spaces or commas."""
    value = text.strip()
    if value.lower().endswith(".csv"):
        return auditpack.keys_from_csv(csv_path(value))
    return [k for k in re.split(r"[\s,;，；]+", value) if k]


class AuditPackScreen(KioskScreen):
    """Type or paste the auditor's VINs or job-card numbers (or a CSV path), Enter or F2 writes the pack."""

    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="audit-pack-back"),
                Binding("f2", "write", N_("Write pack"), id="audit-pack-write")]
    AUTO_FOCUS = "#audit-keys"
    DEFAULT_CSS = """
    AuditPackScreen #audit-progress { margin: 1 1; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Audit pack: one PDF per job card and an index, for the manufacturer's auditor"),
                    classes="screen-title")
        yield Input(placeholder=_("VINs or job-card numbers (RO000123), or the auditor's CSV path"), id="audit-keys",
                    max_length=20000)
        yield ProgressBar(id="audit-progress", show_eta=False)
        yield Feedback(id="feedback")
        yield KioskFooter()

    @on(Input.Submitted, "#audit-keys")
    def submitted(self) -> None:
        self.action_write()

    def action_write(self) -> None:
        ok, keys = attempt(self.feedback, keys_of, self.query_one("#audit-keys", Input).value, bell=self.app.bell)
        if not ok:
            return
        folder = data_dir() / "audit-packs" / f"{dt.datetime.now():%Y%m%d-%H%M%S}"
        self.feedback.show(_("Writing the audit pack of {count} VIN(s) or number(s)…").format(count=len(keys)))
        self._write(keys, folder, self.thread_feedback)

    @work(thread=True, exclusive=True, group="audit-pack")
    def _write(self, keys: list[str], folder, feedback) -> None:
        bar = self.query_one("#audit-progress", ProgressBar)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=total, progress=done)

        with db.connection_context():
            ok, pack = attempt(feedback, auditpack.write_pack, self.actor, keys, folder,
                               shop=self.settings.shop_name, progress=progress, bell=feedback.bell)
        if ok:
            missing = sum(1 for r in pack.rows if r.note)
            feedback.show(_("Audit pack: {count} job card(s) in {folder}").format(count=pack.cards, folder=pack.folder)
                          + (_("; {count} line(s) of the index say what was not found or repeated.").format(
                              count=missing) if missing else "."), "warn" if missing else "ok")
