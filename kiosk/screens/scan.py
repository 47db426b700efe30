"""The scan field: one widget that owns its buffer and splits scans on Enter the moment the key arrives.

A plain Input loses scans at scanner speed (its Submitted handler reads and clears the value after
the next scan's first keys have already landed). Here every key is appended to the buffer as it
comes, and Enter turns the buffer into a Scanned message and empties it in the same step, so scans
queue up in order and none is lost, merged or split.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from rich.markup import escape
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ..errors import KioskError
from ..i18n import N_, gettext as _
from .base import WAIT_SHOWN_AFTER, KioskScreen, Writer

log = logging.getLogger("kiosk")

MAX_SCAN = 200  # longer than any tag, part number, VIN or job-card barcode; the rest is dropped
MAX_QUANTITY = 100000  # one scan standing for a whole delivery's box, never more


class ScanField(Widget, can_focus=True):
    DEFAULT_CSS = """
    ScanField {
        height: 3;
        border: tall $accent;
        padding: 0 1;
        background: $surface;
    }
    ScanField:focus { border: tall $success; }
    """

    class Scanned(Message):
        """A complete scan or typed code, as it was entered (cleaning is the rules' job)."""

        def __init__(self, field: ScanField, code: str) -> None:
            super().__init__()
            self.field = field
            self.code = code

        @property
        def control(self) -> ScanField:
            return self.field

    buffer: reactive[str] = reactive("", layout=False)
    refusal: reactive[str] = reactive("", layout=False)  # why a paste was not taken, until the next key

    def __init__(self, placeholder: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.placeholder = placeholder or _("Scan or type, then Enter")

    def render(self) -> str | Text:
        if self.buffer:  # as typed: a code is never markup
            return Text(self.buffer + ("▏" if self.has_focus else ""))
        if self.refusal:
            return Text(f"✗ {self.refusal}", style="bold red")
        return f"[dim]{self.placeholder}[/dim]"

    def take_key(self, event: events.Key) -> bool:
        """Handle one key for the scan buffer; True when it was the field's to take."""
        self.refusal = ""
        if event.key in ("enter", "ctrl+m", "ctrl+j"):
            code, self.buffer = self.buffer, ""
            if code.strip():
                self.post_message(self.Scanned(self, code))
            return True
        if event.key == "backspace":
            self.buffer = self.buffer[:-1]
            return True
        if event.key == "ctrl+u":
            self.buffer = ""
            return True
        if event.character and event.is_printable and len(event.character) == 1:
            if len(self.buffer) < MAX_SCAN:
                self.buffer += event.character
            return True
        return False

    def on_key(self, event: events.Key) -> None:
        if self.take_key(event):
            event.stop()
            event.prevent_default()

    def on_paste(self, event: events.Paste) -> None:
        self.take_paste(event.text)
        event.stop()

    def take_paste(self, text: str) -> None:
        """A paste (a scanner never pastes: a person does) is one whole code, with what was typed before it, taken as
        one scan at once; text of several lines, or longer than any code, is refused whole, and the field says so."""
        code = (self.buffer + text).strip("\r\n")
        if "\n" in code or "\r" in code or len(code) > MAX_SCAN:
            self.buffer = ""
            self.refusal = (_("Not taken: paste one code at a time, or scan it.") if "\n" in code or "\r" in code
                            else _("Not taken: {count} characters is no code; scan it.").format(count=len(code)))
            self.app.bell()
            return
        self.refusal = self.buffer = ""
        if code.strip():
            self.post_message(self.Scanned(self, code))


class ScanQueue:
    """Scans handled one at a time, in the order they arrived, in the writer thread: the event loop keeps taking keys
    while the database works, and each outcome is shown on the event loop as it comes.

    handle(item) runs in the thread and returns (message, result) or raises a KioskError; show(ok, message,
    result) runs on the event loop. Run run(app.writer) as the screen's worker (group "scans"): the scans are
    handled in the session's writer thread, and those still waiting when the screen closes (Escape) are handled
    there all the same, in order, unshown (after a sign-out they are refused: nobody is signed in to write them).
    waiting(True) is called when a scan has waited WAIT_SHOWN_AFTER (a database held busy), waiting(False) once
    every scan taken is handled."""

    def __init__(self, handle: Callable[[Any], tuple[str, Any]], show: Callable[[bool, str, Any], None],
                 waiting: Callable[[bool], None] | None = None) -> None:
        self.handle, self.show, self.waiting = handle, show, waiting
        self.pending = 0
        self._queue: asyncio.Queue = asyncio.Queue()
        self._said_waiting = False

    def put(self, item) -> None:
        self.pending += 1
        self._queue.put_nowait(item)

    async def run(self, writer: Writer) -> None:
        while True:
            item = await self._queue.get()
            timer = asyncio.get_running_loop().call_later(WAIT_SHOWN_AFTER, self._say_waiting, True)
            try:
                _ran, (ok, text, result) = await asyncio.shield(writer.run(self._call, (item,), {}))
            except asyncio.CancelledError:
                # The screen closed: the scan under way goes on in the writer; the ones after it follow it there.
                while not self._queue.empty():
                    writer.run(self._call, (self._queue.get_nowait(),), {})
                raise
            finally:
                timer.cancel()
            try:
                self.show(ok, text, result)
            finally:
                self.pending -= 1
                if not self.pending:
                    self._say_waiting(False)

    def _say_waiting(self, waiting: bool) -> None:
        if self.waiting is not None and waiting != self._said_waiting:
            self._said_waiting = waiting
            self.waiting(waiting)

    def _call(self, item) -> tuple[bool, str, Any]:
        # The thread keeps its own database connection open between scans (peewee's per-thread state).
        try:
            text, result = self.handle(item)
            return True, text, result
        except KioskError as exc:
            return False, exc.message, None
        except Exception:  # noqa: BLE001 - one bad scan never stops the queue
            log.exception("scan failed")
            return False, _("Something went wrong with that scan; nothing was saved. See the kiosk log."), None


class ScanningScreen(KioskScreen):
    """A screen that takes scans through a ScanQueue: handle_scan(item) in a thread, show_scan(ok, text,
    result) on the event loop; F3 (action_quantity) sets how many the next scan stands for."""

    AUTO_FOCUS = "ScanField"
    QUANTITY_QUESTION = N_("How many does the next scan stand for?")

    def __init__(self) -> None:
        super().__init__()
        self.next_quantity = 1
        self.scans = ScanQueue(self.handle_scan, self.show_scan, self.scans_waiting)

    @property
    def pending_scans(self) -> int:
        return self.scans.pending

    @property
    def scan_field(self) -> ScanField:
        return self.query_one(ScanField)

    def on_mount(self) -> None:
        # Textual runs each class's on_mount, a subclass's first: no super() call needed.
        self.run_worker(self.scans.run(self.app.writer), group="scans")

    def on_scan_field_scanned(self, message: ScanField.Scanned) -> None:
        self.scans.put(self.scan_item(message.code))

    def scans_waiting(self, waiting: bool) -> None:
        """Scans wait for a database another terminal holds busy: the scan field's border says so (it takes the
        next scans meanwhile) until every scan taken is saved."""
        self.scan_field.border_subtitle = _("Saving… waiting for the database.") if waiting else ""

    def scan_item(self, code: str):
        """What goes into the queue for a scan: what was in force when it arrived goes with it."""
        return code

    def handle_scan(self, item) -> tuple[str, Any]:
        raise NotImplementedError

    def show_scan(self, ok: bool, text: str, result) -> None:
        raise NotImplementedError

    def refuse_scan(self, scan_log, text: str) -> None:
        """A refused scan in show_scan: the bell, and why, in red, on the screen's scan log (a RichLog)."""
        self.app.bell()
        scan_log.write(f"[bold red]✗ {escape(text)}[/]")

    def take_quantity(self) -> int:
        """The quantity for the scan that just arrived; the next one is 1 again."""
        quantity, self.next_quantity = self.next_quantity, 1
        return quantity

    def action_quantity(self) -> None:
        # the dialog's module loads when a quantity is first asked for
        from ..text import parse_quantity
        from .ask import AskDialog

        self.app.push_screen(AskDialog(_(self.QUANTITY_QUESTION), _("Quantity, then Enter"),
                                       lambda text: parse_quantity(text, maximum=MAX_QUANTITY), "1"),
                             self._quantity_set)

    def _quantity_set(self, quantity: int | None) -> None:
        if quantity:
            self.next_quantity = quantity
            self.quantity_changed()

    def quantity_changed(self) -> None:
        """Show the quantity the next scan stands for."""
