"""A table that pages rows in from the database as the cursor nears the end (keyset paging).

It never loads every row: a DataTable with 100,000 rows takes seconds to appear.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual import work
from textual.message import Message as TextualMessage
from textual.widgets import DataTable

from ..errors import KioskError
from ..i18n import gettext as _
from ..store import db

log = logging.getLogger("kiosk")

# fetch(after, limit) -> list of (key, cells); key is what the next page starts after.
Fetch = Callable[[Any, int], Sequence[tuple[Any, Sequence[Any]]]]


MARKER = "▸"


class MarkedTable(DataTable):
    """A row-cursor table whose highlighted row also carries a marker character in the row-label column, so
    it shows under NO_COLOR and on a monochrome terminal, not only as a colour."""

    def add_row(self, *cells, height: int | None = 1, key: str | None = None, label=None):
        if label is None:
            label = MARKER if self.row_count == self.cursor_row else " "
        return super().add_row(*cells, height=height, key=key, label=label)

    def watch_cursor_coordinate(self, old, new) -> None:  # noqa: D401 - Textual watcher
        super().watch_cursor_coordinate(old, new)
        self._mark(old.row, " ")
        self._mark(new.row, MARKER)

    def _mark(self, row: int, mark: str) -> None:
        if 0 <= row < self.row_count:
            self.rows[self._row_locations.get_key(row)].label = Text(mark)
            self._update_count += 1  # the table caches rendered rows by this count
            self.refresh()


class PagedTable(MarkedTable):
    """DataTable fed page by page from a fetch function, in a thread worker."""

    class Loaded(TextualMessage):
        def __init__(self, table: PagedTable, count: int) -> None:
            super().__init__()
            self.table = table
            self.count = count

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(self, columns: Sequence[str], fetch: Fetch, *, page_size: int = 50, refresh_with_screen: bool = True,
                 **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        # Read again when its screen is shown again and every LIST_REFRESH_SECONDS (false: a search's results).
        self.refresh_with_screen = refresh_with_screen
        self._columns = columns
        self._fetch = fetch
        self.page_size = page_size
        self._after: Any = None
        self._exhausted = False
        self._loading = False
        self.keys: list[Any] = []
        self._generation = 0
        self._keep: tuple[Any, int] | None = None  # (key, row) the cursor goes back to after a reload

    def on_mount(self) -> None:
        self.add_columns(*self._columns)
        self.reload()

    def reload(self, fetch: Fetch | None = None) -> None:
        """Start again from the first page (after a change, or with a new search).

        The same list read again (fetch None) keeps the cursor on the row it was on (the row acted on), or
        at the same place when that row has left the list; a new search starts at its first row."""
        if fetch is not None:
            self._fetch = fetch
            self._keep = None
        elif self.row_count:
            self._keep = (self.selected_key(), self.cursor_row)
        self.clear()
        self.keys = []
        self._generation += 1
        self._after, self._exhausted, self._loading = None, False, False
        self._load_page(first=True)

    @property
    def reading(self) -> bool:
        """A page is being read (the type-ahead holds a Tab or Enter typed meanwhile for the rows to come)."""
        return self._loading

    def _load_page(self, first: bool = False) -> None:
        if self._exhausted or (self._loading and not first):
            return
        self._loading = True
        self._fetch_page(self._fetch, self._after, self._generation)

    @work(thread=True, exclusive=True, group="paged-table")
    def _fetch_page(self, fetch: Fetch, after: Any, generation: int) -> None:
        try:
            with db.connection_context():
                rows = list(fetch(after, self.page_size))
        except KioskError as exc:
            self.app.call_from_thread(self.app.notify, exc.message, severity="error")
            rows = []
        except Exception:  # noqa: BLE001 - a page that cannot be read must not take the screen down
            log.exception("could not read a page of %s", self.id)
            self.app.call_from_thread(self.app.notify, _("Could not read this list; see the kiosk log."),
                                      severity="error")
            rows = []
        self.app.call_from_thread(self._add_page, generation, rows)

    def _add_page(self, generation: int, rows) -> None:
        if generation != self._generation:  # a newer search replaced this one while it ran
            return
        self._loading = False
        if len(rows) < self.page_size:
            self._exhausted = True
        for key, cells in rows:
            self.keys.append(key)
            self.add_row(*[str(c) for c in cells])
        if rows:
            self._after = rows[-1][0]
        if self._keep is not None:
            self._back_to_kept_row()
        self.post_message(self.Loaded(self, len(rows)))

    def _update_dimensions(self, new_rows) -> None:
        # DataTable widens its columns for new rows when idle, but keeps a row it painted before then (the
        # highlighted first row, on a busy terminal) cut to the old widths: seen in tmux with Chinese, where
        # the headers are narrower than the cells ('已确' for '已确认'). Paint again at the new widths.
        super()._update_dimensions(new_rows)
        self._clear_caches()
        self.refresh()
    def _back_to_kept_row(self) -> None:
        key, row = self._keep
        if key in self.keys:
            self._keep = None
            self.move_cursor(row=self.keys.index(key), scroll=True)
        elif self._exhausted or len(self.keys) > row + self.page_size:
            self._keep = None  # the row left the list: stay at the same place
            if self.row_count:
                self.move_cursor(row=min(row, self.row_count - 1), scroll=True)
        else:
            self._load_page()  # the row is further down: read on until it is found

    def drop_rows(self, gone: Callable[[Sequence[Any]], bool]) -> int:
        """Take out at once the rows a screen's own action has just made stale (before the next reload)."""
        dropped = 0
        for index in reversed(range(self.row_count)):
            if gone(self.get_row_at(index)):
                self.remove_row(self._row_locations.get_key(index))
                del self.keys[index]
                dropped += 1
        return dropped

    def selected_key(self) -> Any:
        if 0 <= self.cursor_row < len(self.keys):
            return self.keys[self.cursor_row]
        return None

    def watch_cursor_coordinate(self, old, new) -> None:  # noqa: D401 - Textual watcher
        super().watch_cursor_coordinate(old, new)
        if new.row >= self.row_count - 5:
            self._load_page()
