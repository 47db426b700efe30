"""Goods in: the parts clerk receives a supplier's delivery by scanning each part (one each, or a typed quantity
for the next scan); every scan is a stock-ledger line carrying the delivery-note number."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Label, RichLog

from .. import parts
from ..errors import InvalidInput
from ..i18n import N_, gettext as _
from ..text import clean
from .ask import AskDialog
from .base import KioskFooter, Feedback
from .scan import ScanField, ScanningScreen


def _delivery_note(text: str) -> str:
    return clean(text, N_("Delivery note"), max_len=60, required=True)


class GoodsInScreen(ScanningScreen):
    BINDINGS = [
        Binding("f2", "delivery_note", N_("Delivery note"), id="goods-in-note"),
        Binding("f3", "quantity", N_("Quantity"), id="goods-in-quantity"),
        Binding("f4", "take_back", N_("Take back"), id="goods-in-take-back"),
        Binding("escape", "app.pop_screen", N_("Back"), id="goods-in-back"),
    ]
    QUANTITY_QUESTION = N_("How many does the next scan of a part received stand for?")

    def __init__(self) -> None:
        super().__init__()
        self.delivery_note = ""
        self.taking_back = False  # the next scan takes a part scanned by mistake back off the delivery
        self.received = 0  # parts received on this delivery note in this session
        self.lines = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Goods in: scan each part of the delivery (F3: a quantity for the next scan)"),
                    classes="screen-title")
        yield ScanField(_("Scan a part barcode, or type its number and Enter"), id="scan")
        yield Label(self._status_text(), id="goods-in-status")
        yield RichLog(id="goods-in-log", max_lines=500, markup=True, wrap=True)
        yield Feedback(id="feedback")
        yield KioskFooter()

    def on_mount(self) -> None:
        self.action_delivery_note()

    def _status_text(self) -> str:
        note = self.delivery_note or _("(none yet: F2)")
        upcoming = (_("takes back {quantity}").format(quantity=self.next_quantity) if self.taking_back
                    else str(self.next_quantity))
        return _("Delivery note: {note}   Next scan: {upcoming}   Received: {received} in {lines} scan(s)").format(
            note=note, upcoming=upcoming, received=self.received, lines=self.lines)

    def quantity_changed(self) -> None:
        self.query_one("#goods-in-status", Label).update(self._status_text())

    def action_delivery_note(self) -> None:
        self.app.push_screen(AskDialog(_("The supplier's delivery-note number (scan or type it):"),
                                       _("Delivery note number, then Enter"), _delivery_note, self.delivery_note),
                             self._noted)

    def _noted(self, note: str | None) -> None:
        if not note:
            if not self.delivery_note:
                self.feedback.show(_("Give the delivery-note number (F2) before scanning the parts."), "warn")
            return
        if note != self.delivery_note:
            self.delivery_note, self.received, self.lines = note, 0, 0
            shown = escape(_("Delivery note {note}").format(note=note))
            self.query_one("#goods-in-log", RichLog).write(f"[bold cyan]▶ {shown}[/]")
        self.feedback.clear()
        self.quantity_changed()

    def action_take_back(self) -> None:
        self.taking_back = not self.taking_back
        self.quantity_changed()

    def scan_item(self, code: str):
        # The quantity, delivery note and take-back in force when the scan arrived go with it.
        item = (code, self.take_quantity(), self.delivery_note, self.taking_back)
        self.taking_back = False
        self.quantity_changed()
        return item

    def handle_scan(self, item: tuple[str, int, str, bool]):
        code, quantity, note, taking_back = item
        if not note:
            raise InvalidInput(N_("Not received: give the delivery-note number first (F2), then scan the part again."))
        part = parts.find_part_by_scan(code)
        if taking_back:
            on_hand = parts.take_back_receipt(self.actor, part.part_number, quantity, note)
            quantity = -quantity
        else:
            on_hand = parts.receive_stock(self.actor, part.part_number, quantity, delivery_note=note)
        taken = _("taken back") + " " if taking_back else ""
        return (f"{part.part_number} {part.description[:30]} {taken}{quantity:+d} → "
                + _("{on_hand} on hand (bin {bin})").format(on_hand=on_hand, bin=part.bin or "?")), quantity

    def show_scan(self, ok: bool, text: str, quantity) -> None:
        scan_log = self.query_one("#goods-in-log", RichLog)
        if not ok:
            self.refuse_scan(scan_log, text)
            return
        self.received += quantity
        self.lines += 1
        scan_log.write(f"[green]✓ {self.lines}. {escape(text)}[/]")
        self.quantity_changed()
