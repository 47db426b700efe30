"""Held parts: search the warranty-parts room, a tag's whole history, and scrapping after retention."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Input, Label

from .. import claims, holding, permissions
from ..jobs import job_number
from .base import SIGN_OUT_SHOWN, KioskFooter, KioskScreen, Message, attempt
from .paged import MarkedTable, PagedTable

COLUMNS = ["Tag", "Status", "Shelf", "Job card", "Part", "Mfr", "Tagged", "Keep until"]


def _cells(r: holding.TagRow) -> tuple:
    return (r.tag_number, r.status, r.location, job_number(r.job_id), r.part_number, r.manufacturer[:6],
            r.tagged_at.strftime("%Y-%m-%d"), r.keep_until.isoformat() if r.keep_until else "")


class HeldPartsScreen(KioskScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="held-back"),
        Binding("f2", "history", "History", id="held-history"),
        Binding("f3", "search", "Search", id="held-search"),
    ]
    AUTO_FOCUS = "#held-search"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Held parts: tag, job card, VIN or part number; shelf:X mfr:NAME age:DAYS",
                    classes="screen-title")
        yield Input(placeholder="Search (Enter), e.g. RO000123 or shelf:BIN-3 age:60", id="held-search",
                    max_length=120)
        yield Message(id="feedback")
        yield PagedTable(COLUMNS, self._page(holding.HeldQuery()), id="held-table")
        yield KioskFooter()

    @staticmethod
    def _page(search: holding.HeldQuery):
        def page(after, limit):
            return [(key, _cells(r)) for key, r in holding.held_parts(search, after, limit)]
        return page

    @on(Input.Submitted, "#held-search")
    def search_now(self, event: Input.Submitted) -> None:
        feedback = self.query_one(Message)
        ok, search = attempt(feedback, holding.parse_search, event.value)
        if ok:
            feedback.clear()
            self.query_one(PagedTable).reload(self._page(search))
            self.query_one(PagedTable).focus()

    def action_search(self) -> None:
        self.query_one("#held-search", Input).focus()

    @on(DataTable.RowSelected, "#held-table")
    def open_row(self) -> None:
        self.action_history()

    def action_history(self) -> None:
        table = self.query_one(PagedTable)
        if table.cursor_row < 0 or table.row_count == 0:
            self.query_one(Message).show("Choose a part first.", "error")
            return
        tag_number = table.get_row_at(table.cursor_row)[0]
        self.app.push_screen(TagHistoryScreen(tag_number), lambda changed: changed and table.reload())


class TagHistoryScreen(ModalScreen[bool]):
    """Every event of one tag: status, shelf, who, when, terminal."""

    BINDINGS = [Binding("escape", "dismiss(False)", "Close", id="history-close"),
                Binding("f8", "missing", "Mark missing", id="history-missing"), SIGN_OUT_SHOWN]

    def __init__(self, tag_number: str) -> None:
        super().__init__()
        self.tag_number = tag_number

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(id="history-title")
            yield MarkedTable(id="history-events", cursor_type="row")
            yield Input(placeholder="Reason it is missing (Enter to record)", id="missing-reason",
                        max_length=200, classes="hidden")
            yield Message(id="dialog-message")
        yield KioskFooter()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "missing":
            return permissions.allowed(self.app.actor.role, "tag.mark_missing")
        return True

    def on_mount(self) -> None:
        ok, found = attempt(self.query_one(Message), holding.history, self.tag_number)
        if not ok:
            return
        row, events = found
        self.query_one("#history-title", Label).update(
            f"{row.tag_number}  {row.status}  shelf {row.location or '-'}  {row.part_number} "
            f"{row.description[:30]}  VIN {row.vin}")
        table = self.query_one("#history-events", DataTable)
        table.add_columns("When", "Status", "Shelf", "Who", "Terminal", "Note")
        for e in events:
            table.add_row(e.at.strftime("%Y-%m-%d %H:%M"), e.status, e.location, e.who[:16],
                          (e.client or e.terminal)[:18], e.note[:30])

    def action_missing(self) -> None:
        reason = self.query_one("#missing-reason", Input)
        reason.remove_class("hidden")
        reason.focus()

    @on(Input.Submitted, "#missing-reason")
    def record_missing(self, event: Input.Submitted) -> None:
        ok, _ = attempt(self.query_one(Message), holding.mark_missing, self.app.actor, self.tag_number,
                        event.value, bell=self.app.bell)
        if ok:
            self.dismiss(True)


def _scrap_page(after, limit):
    return [(key, _cells(r)) for key, r in claims.may_scrap(after, limit)]


class MayScrapScreen(KioskScreen):
    """Held parts past retention that nobody asked for; scrapping needs the release reference."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="scrap-back"),
                Binding("f8", "scrap", "Scrap part", id="scrap-part")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("May scrap: retention over and not requested by the manufacturer", classes="screen-title")
        yield PagedTable(COLUMNS, _scrap_page, id="scrap-table")
        yield Message(id="feedback")
        yield KioskFooter()

    def action_scrap(self) -> None:
        table = self.query_one(PagedTable)
        if table.row_count == 0:
            self.query_one(Message).show("Nothing may be scrapped today.", "warn")
            return
        tag_number = table.get_row_at(table.cursor_row)[0]
        self.app.push_screen(ScrapScreen(tag_number), self._scrapped)

    def _scrapped(self, tag_number: str | None) -> None:
        if tag_number:
            self.query_one(Message).show(f"{tag_number} scrapped.")
            self.query_one(PagedTable).reload()


class ScrapScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="scrap-cancel"), SIGN_OUT_SHOWN]

    def __init__(self, tag_number: str) -> None:
        super().__init__()
        self.tag_number = tag_number

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Scrap {self.tag_number}? Type the manufacturer's release reference and press Enter.")
            yield Input(placeholder="Release reference", id="release", max_length=60)
            yield Message(id="dialog-message")
        yield KioskFooter()

    @on(Input.Submitted, "#release")
    def confirm(self, event: Input.Submitted) -> None:
        ok, _ = attempt(self.query_one(Message), claims.scrap, self.app.actor, self.tag_number, event.value,
                        bell=self.app.bell)
        if ok:
            self.dismiss(self.tag_number)
