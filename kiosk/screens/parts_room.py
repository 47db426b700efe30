"""The parts clerk's home: scan tagged parts into the warranty-parts room, and see what is still out there."""

from __future__ import annotations

import asyncio

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Label, RichLog
from rich.markup import escape

from .. import holding
from ..errors import KioskError
from ..jobs import job_number
from .base import KioskFooter, KioskScreen, log
from .paged import PagedTable
from .scan import ScanField


def _not_scanned_page(after, limit):
    return [(key, (r.tag_number, r.tagged_at.strftime("%d %b %H:%M"), r.technician[:16], job_number(r.job_id),
                   r.part_number, r.description[:20]))
            for key, r in holding.not_scanned_in(after, limit)]


class NotScannedTable(PagedTable):
    """Tagged parts not yet in the room: the end-of-day chargeback risk (clerk's and advisor's homes)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(["Tag", "Tagged", "Technician", "Job card", "Part", "Description"], _not_scanned_page,
                         **kwargs)


class PartsRoomScreen(KioskScreen):
    """Scan-in: every scan is taken by the scan field and processed in order, one result line each."""

    BINDINGS = [
        Binding("f2", "held", "Held", id="room-held"),
        Binding("f3", "returns", "Returns", id="room-returns"),
        Binding("f4", "boxes", "Boxes", id="room-boxes"),
        Binding("f5", "scrap", "Scrap", id="room-scrap"),
        Binding("f6", "claims", "Claims", id="room-claims"),
        Binding("f7", "labels", "Labels", id="room-labels"),
        Binding("f9", "refresh", "Refresh", id="room-refresh"),
    ]
    AUTO_FOCUS = "ScanField"

    def __init__(self) -> None:
        super().__init__()
        self.location = ""
        self.count = 0
        self.pending_scans = 0
        self._reload_timer = None
        self._queue: asyncio.Queue[str] = asyncio.Queue()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Warranty-parts room: scan each tag (scan a shelf label to choose the shelf)",
                    classes="screen-title")
        yield ScanField("Scan a tag or shelf label", id="scan")
        with Horizontal(id="room-status"):
            yield Label(self._status_text(), id="room-count")
        yield RichLog(id="scan-log", max_lines=300, markup=True, wrap=True)
        yield Label("Tagged, not yet scanned in (end of day):", classes="section-title")
        yield NotScannedTable(id="not-scanned", page_size=30)
        yield KioskFooter()

    @property
    def scan_field(self) -> ScanField:
        return self.query_one(ScanField)

    def on_mount(self) -> None:
        self.run_worker(self._process_scans(), group="scans")

    def _status_text(self) -> str:
        shelf = self.location or ("ten-bin rule: last digit of the job card" if self.settings.shelf_rule == "ten-bin"
                                  else "scan a shelf label")
        return f"Shelf: {shelf}   Scanned in this session: {self.count}"

    def on_scan_field_scanned(self, message: ScanField.Scanned) -> None:
        self.pending_scans += 1
        self._queue.put_nowait(message.code)

    async def _process_scans(self) -> None:
        # One scan at a time, in the order they arrived, off the event loop so keys keep coming in.
        while True:
            code = await self._queue.get()
            ok, text, result = await asyncio.to_thread(self._scan_in, code, self.location)
            self._show(ok, text, result)
            self.pending_scans -= 1
            if ok and result.kind == "held":
                # The part leaves the end-of-day list at once; the list is read again once a pile is through.
                self.query_one(NotScannedTable).drop_rows(lambda cells, tag=result.tag_number: cells[0] == tag)
                self._reload_later()

    def _reload_later(self) -> None:
        # The end-of-day list follows the scans once a pile is through, not after every scan.
        if self._reload_timer is not None:
            self._reload_timer.stop()
        self._reload_timer = self.set_timer(1.0, self.query_one(NotScannedTable).reload)

    def _scan_in(self, code: str, location: str):
        # The worker thread keeps its own connection open between scans (peewee's per-thread state).
        try:
            result = holding.scan_in(self.actor, code, self.settings, location=location)
            return True, result.message, result
        except KioskError as exc:
            return False, exc.message, None
        except Exception:  # noqa: BLE001
            log.exception("scan-in failed")
            return False, "Something went wrong with that scan; nothing was saved. See the kiosk log.", None

    def _show(self, ok: bool, text: str, result) -> None:
        scan_log = self.query_one("#scan-log", RichLog)
        if not ok:
            self.app.bell()
            scan_log.write(f"[bold red]✗ {escape(text)}[/]")
            return
        if result.kind == "shelf":
            self.location = result.location
            scan_log.write(f"[bold cyan]▶ {escape(text)}[/]")
        else:
            self.count += 1
            scan_log.write(f"[green]✓ {self.count}. {escape(text)}[/]")
        self.query_one("#room-count", Label).update(self._status_text())

    def action_labels(self) -> None:
        from .print_queue import PrintQueueScreen
        self.app.push_screen(PrintQueueScreen())

    def action_refresh(self) -> None:
        self.query_one(NotScannedTable).reload()

    def action_held(self) -> None:
        from .held import HeldPartsScreen
        self.app.push_screen(HeldPartsScreen())

    def action_returns(self) -> None:
        from .returns import ReturnRequestsScreen
        self.app.push_screen(ReturnRequestsScreen())

    def action_boxes(self) -> None:
        from .returns import BoxScreen
        self.app.push_screen(BoxScreen())

    def action_scrap(self) -> None:
        from .held import MayScrapScreen
        self.app.push_screen(MayScrapScreen())

    def action_claims(self) -> None:
        from .returns import ClaimsScreen
        self.app.push_screen(ClaimsScreen())
