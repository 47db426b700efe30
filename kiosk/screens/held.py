"""Held parts: search the warranty-parts room, a tag's whole history, and scrapping after retention."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Input, Label

from .. import claims, holding, permissions
from ..i18n import N_, gettext as _
from ..jobs import job_number
from .base import SIGN_OUT_SHOWN, KioskFooter, KioskScreen, Feedback, WritesInWorker, attempt, writes
from .paged import MarkedTable, PagedTable

# tags.TAG_STATES, marked here for the catalogue: a tag's state is shown with _(), in its own short words
_TAG_STATES = (N_("tagged"), N_("held"), N_("requested"), N_("packed"), N_("shipped"), N_("scrapped"),
               N_("missing"), N_("void"))
COLUMNS = [N_("Tag"), N_("Status"), N_("Shelf"), N_("Job card"), N_("Part"), N_("Mfr"), N_("Tagged"), N_("Keep until")]


def _cells(r: holding.TagRow) -> tuple:
    return (r.tag_number, _(r.status), r.location, job_number(r.job_id), r.part_number, r.manufacturer[:6],
            r.tagged_at.strftime("%Y-%m-%d"), r.keep_until.isoformat() if r.keep_until else "")


class HeldPartsScreen(KioskScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="held-back"),
        Binding("f2", "history", N_("History"), id="held-history"),
        Binding("f3", "search", N_("Search"), id="held-search"),
    ]
    AUTO_FOCUS = "#held-search"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Held parts: tag, job card, VIN or part number; shelf:X mfr:NAME age:DAYS"),
                    classes="screen-title")
        yield Input(placeholder=_("Search (Enter), e.g. RO000123 or shelf:BIN-3 age:60"), id="held-search",
                    max_length=120)
        yield Feedback(id="feedback")
        yield PagedTable([_(c) for c in COLUMNS], self._page(holding.HeldQuery()), id="held-table")
        yield KioskFooter()

    @staticmethod
    def _page(search: holding.HeldQuery):
        def page(after, limit):
            return [(key, _cells(r)) for key, r in holding.held_parts(search, after, limit)]
        return page

    @on(Input.Submitted, "#held-search")
    def search_now(self, event: Input.Submitted) -> None:
        feedback = self.query_one(Feedback)
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
            self.query_one(Feedback).show(_("Choose a part first."), "error")
            return
        tag_number = table.get_row_at(table.cursor_row)[0]
        self.app.push_screen(TagHistoryScreen(tag_number), lambda changed: changed and table.reload())


class TagHistoryScreen(WritesInWorker, ModalScreen[bool]):
    """Every event of one tag: status, shelf, who, when, terminal."""

    BINDINGS = [Binding("escape", "dismiss(False)", N_("Close"), id="history-close"),
                Binding("f8", "missing", N_("Mark missing"), id="history-missing"), SIGN_OUT_SHOWN]

    def __init__(self, tag_number: str) -> None:
        super().__init__()
        self.tag_number = tag_number

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(id="history-title")
            yield MarkedTable(id="history-events", cursor_type="row")
            yield Input(placeholder=_("Reason it is missing (Enter to record)"), id="missing-reason",
                        max_length=200, classes="hidden")
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "missing":
            return permissions.allowed(self.app.actor.role, "tag.mark_missing")
        return True

    def on_mount(self) -> None:
        ok, found = attempt(self.query_one(Feedback), holding.history, self.tag_number)
        if not ok:
            return
        row, events = found
        self.query_one("#history-title", Label).update(
            _("{tag}  {status}  shelf {shelf}  {part} {description}  VIN {vin}").format(
                tag=row.tag_number, status=_(row.status), shelf=row.location or "-", part=row.part_number,
                description=row.description[:30], vin=row.vin))
        table = self.query_one("#history-events", DataTable)
        table.add_columns(_("When"), _("Status"), _("Shelf"), _("Who"), _("Terminal"), _("Note"))
        for e in events:
            table.add_row(e.at.strftime("%Y-%m-%d %H:%M"), _(e.status), e.location, e.who[:16],
                          (e.client or e.terminal)[:18], e.note[:30])

    def action_missing(self) -> None:
        reason = self.query_one("#missing-reason", Input)
        reason.remove_class("hidden")
        reason.focus()

    @on(Input.Submitted, "#missing-reason")
    @writes(moves_on=True)
    async def record_missing(self, event: Input.Submitted) -> None:
        ok, _marked = await self.attempt_write(self.query_one(Feedback), holding.mark_missing, self.app.actor,
                                               self.tag_number, event.value, bell=self.app.bell)
        if ok:
            self.dismiss(True)


def _scrap_page(after, limit):
    return [(key, _cells(r)) for key, r in claims.may_scrap(after, limit)]


class MayScrapScreen(KioskScreen):
    """Held parts past retention that nobody asked for; scrapping needs the release reference."""

    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="scrap-back"),
                Binding("f8", "scrap", N_("Scrap part"), id="scrap-part")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("May scrap: retention over and not requested by the manufacturer"), classes="screen-title")
        yield PagedTable([_(c) for c in COLUMNS], _scrap_page, id="scrap-table")
        yield Feedback(id="feedback")
        yield KioskFooter()

    def action_scrap(self) -> None:
        table = self.query_one(PagedTable)
        if table.row_count == 0:
            self.query_one(Feedback).show(_("Nothing may be scrapped today."), "warn")
            return
        tag_number = table.get_row_at(table.cursor_row)[0]
        self.app.push_screen(ScrapScreen(tag_number), self._scrapped)

    def _scrapped(self, tag_number: str | None) -> None:
        if tag_number:
            self.query_one(Feedback).show(_("{tag} scrapped.").format(tag=tag_number))
            self.query_one(PagedTable).reload()


class ScrapScreen(WritesInWorker, ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", N_("Cancel"), id="scrap-cancel"), SIGN_OUT_SHOWN]

    def __init__(self, tag_number: str) -> None:
        super().__init__()
        self.tag_number = tag_number

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Scrap {tag}? Type the manufacturer's release reference and press Enter.").format(
                tag=self.tag_number))
            yield Input(placeholder=_("Release reference"), id="release", max_length=60)
            yield Feedback(id="dialog-message")
        yield KioskFooter()

    @on(Input.Submitted, "#release")
    @writes(moves_on=True)
    async def confirm(self, event: Input.Submitted) -> None:
        ok, _scrapped = await self.attempt_write(self.query_one(Feedback), claims.scrap, self.app.actor,
                                                 self.tag_number, event.value, bell=self.app.bell)
        if ok:
            self.dismiss(self.tag_number)
