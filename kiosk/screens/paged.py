"""A table that pages rows in from the database as the cursor nears the end (keyset paging).

It never loads every row: a DataTable with 100,000 rows takes seconds to appear.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual import work
from textual.message import Message as TextualMessage
from textual.widgets import DataTable

from ..errors import KioskError
from ..i18n import gettext as _
from ..store import db
from .base import log

# fetch(after, limit) -> list of (key, cells); key is what the next page starts after.
Fetch = Callable[[Any, int], Sequence[tuple[Any, Sequence[Any]]]]


class PagedTable(DataTable):
    """DataTable fed page by page from a fetch function, in a thread worker."""

    class Loaded(TextualMessage):
        def __init__(self, table: PagedTable, count: int) -> None:
            super().__init__()
            self.table = table
            self.count = count

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(self, columns: Sequence[str], fetch: Fetch, *, page_size: int = 50, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._columns = columns
        self._fetch = fetch
        self.page_size = page_size
        self._after: Any = None
        self._exhausted = False
        self._loading = False
        self.keys: list[Any] = []
        self._generation = 0

    def on_mount(self) -> None:
        self.add_columns(*self._columns)
        self.reload()

    def reload(self, fetch: Fetch | None = None) -> None:
        """Start again from the first page (after a change, or with a new search)."""
        if fetch is not None:
            self._fetch = fetch
        self.clear()
        self.keys = []
        self._generation += 1
        self._after, self._exhausted, self._loading = None, False, False
        self._load_page(first=True)

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
        self.post_message(self.Loaded(self, len(rows)))

    def _update_dimensions(self, new_rows) -> None:
        # DataTable widens its columns for new rows when idle, but keeps a row it painted before then (the
        # highlighted first row, on a busy terminal) cut to the old widths: seen in tmux with Chinese, where
        # the headers are narrower than the cells ('已确' for '已确认'). Paint again at the new widths.
        super()._update_dimensions(new_rows)
        self._clear_caches()
        self.refresh()

    def selected_key(self) -> Any:
        if 0 <= self.cursor_row < len(self.keys):
            return self.keys[self.cursor_row]
        return None

    def watch_cursor_coordinate(self, old, new) -> None:  # noqa: D401 - Textual watcher
        super().watch_cursor_coordinate(old, new)
        if new.row >= self.row_count - 5:
            self._load_page()
