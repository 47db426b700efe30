"""Stock count: a manager scans what is in a bin, sees each part's difference from on-hand, and posts the
differences with a reason (kiosk.stockcount has the rules)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Label

from .. import stockcount
from ..errors import InvalidInput
from ..i18n import N_, gettext as _
from .ask import AskDialog
from .base import KioskFooter, Feedback
from .scan import ScanField, ScanningScreen


class StockCountScreen(ScanningScreen):
    BINDINGS = [
        Binding("f2", "new_bin", N_("Bin"), id="count-bin"),
        Binding("f3", "quantity", N_("Quantity"), id="count-quantity"),
        Binding("f4", "set_counted", N_("Set count"), id="count-set"),
        Binding("f10", "post", N_("Post"), id="count-post"),
        Binding("escape", "app.pop_screen", N_("Back"), id="count-back"),
    ]
    QUANTITY_QUESTION = N_("How many does the next scan of a part counted stand for?")

    def __init__(self) -> None:
        super().__init__()
        self.count: stockcount.StockCount | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Stock count: choose a bin (F2), scan every part in it, then post (F10)"), id="count-title",
                    classes="screen-title")
        yield ScanField(_("Scan each part in the bin"), id="scan")
        yield DataTable(id="count-lines", cursor_type="row", zebra_stripes=True)
        yield Feedback(id="feedback")
        yield KioskFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(_("Part"), _("Description"), _("On hand"), _("Counted"),
                                                 _("Difference"))
        self.action_new_bin()

    def action_new_bin(self) -> None:
        if self.count and not self.count.posted and self.count.differences:
            self.feedback.show(_("Bin {bin} was not posted; its count is dropped if you choose "
                                 "another bin.").format(bin=self.count.bin), "warn")
        self.app.push_screen(AskDialog(_("Which bin? Scan its shelf label or type it:"), _("Bin, then Enter"),
                                       lambda text: stockcount.start_count(self.actor, text)), self._started)

    def _started(self, count: stockcount.StockCount | None) -> None:
        if count is None:
            return
        self.count = count
        self.query_one("#count-title", Label).update(
            _("Count of bin {bin}: scan every part in it; F10 posts the differences").format(bin=count.bin))
        self.feedback.show(_("Counting bin {bin}: {count} part number(s) belong there.").format(
            bin=count.bin, count=len(count.lines)))
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for line in self.count.rows() if self.count else ():
            style = "bold red" if line.difference < 0 else "bold green" if line.difference > 0 else ""
            table.add_row(line.part_number, line.description[:28], str(line.snapshot), str(line.counted),
                          Text(f"{line.difference:+d}" if line.difference else "0", style=style),
                          key=line.part_number)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def quantity_changed(self) -> None:
        self.feedback.show(_("The next scan counts {quantity}.").format(quantity=self.next_quantity))

    def scan_item(self, code: str):
        return self.count, code, self.take_quantity()

    def handle_scan(self, item):
        count, code, quantity = item
        if count is None:
            raise InvalidInput(N_("Choose the bin first (F2), then scan its parts."))
        line = stockcount.count_scan(count, code, quantity)
        return _("{part}: counted {counted}, on hand {on_hand}.").format(
            part=line.part_number, counted=line.counted, on_hand=line.snapshot), line

    def show_scan(self, ok: bool, text: str, line) -> None:
        if not ok:
            self.app.bell()
            self.feedback.show(text, "error")
            return
        self.feedback.show(text)
        self._fill()
        table = self.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(line.part_number))

    def action_set_counted(self) -> None:
        table = self.query_one(DataTable)
        if self.count is None or not table.row_count:
            self.feedback.show(_("Choose the bin first (F2)."), "error")
            return
        number = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        count = self.count
        question = _("How many {part} are in bin {bin}? (0 for none)").format(part=number, bin=count.bin)
        self.app.push_screen(AskDialog(question,
                                       _("Count, then Enter"),
                                       lambda text: stockcount.set_counted(count, number, text)), self._set)

    def _set(self, line) -> None:
        if line is not None:
            self.feedback.show(_("{part}: counted {counted}.").format(part=line.part_number, counted=line.counted))
            self._fill()

    def action_post(self) -> None:
        if self.count is None:
            self.feedback.show(_("Choose the bin first (F2)."), "error")
            return
        if self.scans.pending:
            self.feedback.show(_("Scans are still being counted; post again in a moment."), "warn")
            return
        count = self.count
        differences = ", ".join(f"{line.part_number} {line.difference:+d}" for line in count.differences[:3])
        title = (_("Post the count of bin {bin}: {count} difference(s)").format(bin=count.bin,
                                                                                 count=len(count.differences))
                 + f"{' (' + differences if differences else ''}"
                 f"{', ...' if len(count.differences) > 3 else ''}{')' if differences else ''}" + _(". Reason:"))
        self.app.push_screen(AskDialog(title, _("Reason (e.g. monthly count), then Enter"),
                                       lambda text: stockcount.post_count(self.actor, count, text), writes=True),
                             self._posted)

    def _posted(self, result) -> None:
        if result is not None:
            self.feedback.show(result.message)
            self.query_one("#count-title", Label).update(
                _("Bin {bin} posted. F2 counts another bin").format(bin=result.bin))
