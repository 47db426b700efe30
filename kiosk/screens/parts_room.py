"""The parts clerk's home: scan tagged parts into the warranty-parts room, and see what is still out there."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Label, RichLog
from rich.markup import escape

from .. import holding
from ..i18n import N_, format_short_datetime, gettext as _
from ..jobs import job_number
from .base import KioskFooter
from .paged import PagedTable
from .scan import ScanField, ScanningScreen


def _not_scanned_page(after, limit):
    return [(key, (r.tag_number, format_short_datetime(r.tagged_at), r.technician[:16], job_number(r.job_id),
                   r.part_number, r.description[:20]))
            for key, r in holding.not_scanned_in(after, limit)]


class NotScannedTable(PagedTable):
    """Tagged parts not yet in the room: the end-of-day chargeback risk (clerk's and advisor's homes)."""

    def __init__(self, **kwargs) -> None:
        super().__init__([_("Tag"), _("Tagged"), _("Technician"), _("Job card"), _("Part"), _("Description")],
                         _not_scanned_page, **kwargs)


class TwoRowFooter(KioskFooter):
    """Nine keys and sign-out do not fit one line of 80 columns: two rows of five (Footer sets its grid to one
    column per key each time it composes, so the columns are set after it)."""

    DEFAULT_CSS = "TwoRowFooter { height: 2; layout: grid; grid-columns: 16; grid-rows: 1; }"

    def compose(self):
        yield from super().compose()
        self.styles.grid_size_columns = 5


class PartsRoomScreen(ScanningScreen):
    """Scan-in: every scan is taken by the scan field and processed in order, one result line each."""

    BINDINGS = [
        Binding("f2", "held", N_("Held"), id="room-held"),
        Binding("f3", "returns", N_("Returns"), id="room-returns"),
        Binding("f4", "boxes", N_("Boxes"), id="room-boxes"),
        Binding("f5", "scrap", N_("Scrap"), id="room-scrap"),
        Binding("f6", "claims", N_("Claims"), id="room-claims"),
        Binding("f7", "labels", N_("Labels"), id="room-labels"),
        Binding("f8", "goods_in", N_("Goods in"), id="room-goods-in"),
        Binding("f9", "refresh", N_("Refresh"), id="room-refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.location = ""
        self.count = 0
        self._reload_timer = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Warranty-parts room: scan each tag (scan a shelf label to choose the shelf)"),
                    classes="screen-title")
        yield ScanField(_("Scan a tag or shelf label"), id="scan")
        with Horizontal(id="room-status"):
            yield Label(self._status_text(), id="room-count")
        yield RichLog(id="scan-log", max_lines=300, markup=True, wrap=True)
        yield Label(_("Tagged, not yet scanned in (end of day):"), classes="section-title")
        yield NotScannedTable(id="not-scanned", page_size=30)
        yield TwoRowFooter()

    def _status_text(self) -> str:
        shelf = self.location or (_("ten-bin rule: last digit of the job card") if self.settings.shelf_rule == "ten-bin"
                                  else _("scan a shelf label"))
        return _("Shelf: {shelf}   Scanned in this session: {count}").format(shelf=shelf, count=self.count)

    def _reload_later(self) -> None:
        # The end-of-day list follows the scans once a pile is through, not after every scan.
        if self._reload_timer is not None:
            self._reload_timer.stop()
        self._reload_timer = self.set_timer(1.0, self.query_one(NotScannedTable).reload)

    def handle_scan(self, code: str):
        # The shelf of the scans before this one: they are shown before the next is handled.
        result = holding.scan_in(self.actor, code, self.settings, location=self.location)
        return result.message, result

    def show_scan(self, ok: bool, text: str, result) -> None:
        scan_log = self.query_one("#scan-log", RichLog)
        if not ok:
            self.refuse_scan(scan_log, text)
            return
        if result.kind == "held":
            # The part leaves the end-of-day list at once; the list is read again once a pile is through.
            self.query_one(NotScannedTable).drop_rows(lambda cells, tag=result.tag_number: cells[0] == tag)
            self._reload_later()
        if result.kind == "shelf":
            self.location = result.location
            scan_log.write(f"[bold cyan]▶ {escape(text)}[/]")
        else:
            self.count += 1
            scan_log.write(f"[green]✓ {self.count}. {escape(text)}[/]")
        self.query_one("#room-count", Label).update(self._status_text())

    def action_goods_in(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .goods_in import GoodsInScreen
        self.app.push_screen(GoodsInScreen())

    def action_labels(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .print_queue import PrintQueueScreen
        self.app.push_screen(PrintQueueScreen())

    def action_refresh(self) -> None:
        self.query_one(NotScannedTable).reload()

    def action_held(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .held import HeldPartsScreen
        self.app.push_screen(HeldPartsScreen())

    def action_returns(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .returns import ReturnRequestsScreen
        self.app.push_screen(ReturnRequestsScreen())

    def action_boxes(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .returns import BoxScreen
        self.app.push_screen(BoxScreen())

    def action_scrap(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .held import MayScrapScreen
        self.app.push_screen(MayScrapScreen())

    def action_claims(self) -> None:
        # a screen's module loads when it is first opened: a session holds only what it uses
        from .returns import ClaimsScreen
        self.app.push_screen(ClaimsScreen())
