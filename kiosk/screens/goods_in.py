"""Goods in: the parts clerk receives a supplier's delivery by scanning each part (one each, or a typed quantity
for the next scan); every scan is a stock-ledger line carrying the delivery-note number."""

from __future__ import annotations

from typing import Any, Callable

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Input, Label, RichLog

from .. import parts
from ..errors import InvalidInput
from ..text import clean, parse_quantity
from .base import KioskFooter, KioskScreen, Message, attempt
from .job_dialogs import Dialog
from .scan import ScanField, ScanQueue

MAX_RECEIVE = 100000


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
            yield Message(id="dialog-message")
        yield KioskFooter()

    @on(Input.Submitted, "#answer")
    def answered(self, event: Input.Submitted) -> None:
        event.stop()
        ok, result = attempt(self.feedback, self.check, event.value, bell=self.app.bell)
        if ok:
            self.dismiss(result)


def ask_quantity(screen: KioskScreen, what: str, done: Callable[[int], None]) -> None:
    """The quantity the next scan stands for (F3 on the scanning screens)."""
    screen.app.push_screen(
        AskDialog(f"How many does the next scan of a part {what}?", "Quantity, then Enter",
                  lambda text: parse_quantity(text, maximum=MAX_RECEIVE), "1"),
        lambda quantity: quantity and done(quantity))


def _delivery_note(text: str) -> str:
    return clean(text, "Delivery note", max_len=60, required=True)


class GoodsInScreen(KioskScreen):
    BINDINGS = [
        Binding("f2", "delivery_note", "Delivery note", id="goods-in-note"),
        Binding("f3", "quantity", "Quantity", id="goods-in-quantity"),
        Binding("escape", "app.pop_screen", "Back", id="goods-in-back"),
    ]
    AUTO_FOCUS = "ScanField"

    def __init__(self) -> None:
        super().__init__()
        self.delivery_note = ""
        self.next_quantity = 1
        self.received = 0  # parts received on this delivery note in this session
        self.lines = 0
        self.scans = ScanQueue(self._receive, self._show)

    @property
    def pending_scans(self) -> int:
        return self.scans.pending

    @property
    def scan_field(self) -> ScanField:
        return self.query_one(ScanField)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Goods in: scan each part of the delivery (F3: a quantity for the next scan)",
                    classes="screen-title")
        yield ScanField("Scan a part barcode, or type its number and Enter", id="scan")
        yield Label(self._status_text(), id="goods-in-status")
        yield RichLog(id="goods-in-log", max_lines=500, markup=True, wrap=True)
        yield Message(id="feedback")
        yield KioskFooter()

    def on_mount(self) -> None:
        self.run_worker(self.scans.run(), group="scans")
        self.action_delivery_note()

    def _status_text(self) -> str:
        note = self.delivery_note or "(none yet: F2)"
        return (f"Delivery note: {note}   Next scan: {self.next_quantity}   "
                f"Received: {self.received} in {self.lines} scan(s)")

    def _update_status(self) -> None:
        self.query_one("#goods-in-status", Label).update(self._status_text())

    def action_delivery_note(self) -> None:
        self.app.push_screen(AskDialog("The supplier's delivery-note number (scan or type it):",
                                       "Delivery note number, then Enter", _delivery_note, self.delivery_note),
                             self._noted)

    def _noted(self, note: str | None) -> None:
        if not note:
            if not self.delivery_note:
                self.feedback.show("Give the delivery-note number (F2) before scanning the parts.", "warn")
            return
        if note != self.delivery_note:
            self.delivery_note, self.received, self.lines = note, 0, 0
            self.query_one("#goods-in-log", RichLog).write(f"[bold cyan]▶ Delivery note {escape(note)}[/]")
        self.feedback.clear()
        self._update_status()

    def action_quantity(self) -> None:
        ask_quantity(self, "received stand for", self._quantity_set)

    def _quantity_set(self, quantity: int) -> None:
        self.next_quantity = quantity
        self._update_status()

    def on_scan_field_scanned(self, message: ScanField.Scanned) -> None:
        # The quantity and delivery note in force when the scan arrived go with it.
        quantity, self.next_quantity = self.next_quantity, 1
        self.scans.put((message.code, quantity, self.delivery_note))
        self._update_status()

    def _receive(self, item: tuple[str, int, str]):
        code, quantity, note = item
        if not note:
            raise InvalidInput("Not received: give the delivery-note number first (F2), then scan the part again.")
        part = parts.find_part_by_scan(code)
        on_hand = parts.receive_stock(self.actor, part.part_number, quantity, delivery_note=note)
        return (f"{part.part_number} {part.description[:30]} +{quantity} → {on_hand} on hand "
                f"(bin {part.bin or '?'})"), quantity

    def _show(self, ok: bool, text: str, quantity) -> None:
        scan_log = self.query_one("#goods-in-log", RichLog)
        if not ok:
            self.app.bell()
            scan_log.write(f"[bold red]✗ {escape(text)}[/]")
            return
        self.received += quantity
        self.lines += 1
        scan_log.write(f"[green]✓ {self.lines}. {escape(text)}[/]")
        self._update_status()

