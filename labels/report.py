"""A report table as landscape A4 pages: title, totals, column heads repeated on every page, rows cut to fit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .page import DPI, Page
from .page import to_pdf as pages_pdf

LANDSCAPE = (round(297 / 25.4 * DPI), round(210 / 25.4 * DPI))
MARGIN = 60
ROW_SIZE, ROW_HEIGHT = 17, 25
GAP = 8  # dots between two columns


@dataclass(frozen=True)
class TableDocument:
    """What is printed above the rows: the title, a line about it, the totals, the columns and their weights."""

    title: str
    subtitle: str
    columns: tuple[str, ...]
    weights: tuple[float, ...]
    totals: tuple[str, ...] = ()
    # Printed after the last row when the rows were cut short (the CSV has them all).
    cut_note: str = ""


def column_edges(weights: Sequence[float], width: int) -> list[tuple[int, int]]:
    """(x, width) of each column, sharing width in proportion to the weights."""
    whole = sum(weights) or 1
    edges, x = [], MARGIN
    for weight in weights:
        span = int(width * weight / whole)
        edges.append((x, span - GAP))
        x += span
    return edges


class _Pages:
    """Pages filled row by row; a new page starts with the title line and the column heads."""

    def __init__(self, doc: TableDocument) -> None:
        self.doc = doc
        self.edges = column_edges(doc.weights, LANDSCAPE[0] - 2 * MARGIN)
        self.pages: list[Page] = []
        self.page: Page | None = None
        self.y = 0

    def start(self) -> None:
        self.page = Page(size=LANDSCAPE)
        self.pages.append(self.page)
        number = len(self.pages)
        self.y = 40
        self.page.text(MARGIN, self.y, self.doc.title, 32, bold=True, width=LANDSCAPE[0] - 2 * MARGIN - 200)
        self.page.text(LANDSCAPE[0] - MARGIN - 180, self.y + 10, f"Page {number}", 20)
        self.y += 50
        self.page.text(MARGIN, self.y, self.doc.subtitle, 20, width=LANDSCAPE[0] - 2 * MARGIN)
        self.y += 34
        if number == 1:
            for line in self.doc.totals:
                self.page.text(MARGIN, self.y, line, 20, bold=True, width=LANDSCAPE[0] - 2 * MARGIN)
                self.y += 30
        self.y += 10
        for (x, width), head in zip(self.edges, self.doc.columns):
            self.page.text(x, self.y, head, ROW_SIZE, bold=True, width=width)
        self.y += ROW_HEIGHT + 2
        self.page.pen.line([MARGIN, self.y, LANDSCAPE[0] - MARGIN, self.y], fill=0, width=2)
        self.y += 6

    def line(self, cells: Sequence[object] | None = None, text: str = "") -> None:
        if self.page is None or self.y + ROW_HEIGHT > LANDSCAPE[1] - MARGIN:
            self.start()
        if cells is None:
            self.page.text(MARGIN, self.y, text, ROW_SIZE, bold=True, width=LANDSCAPE[0] - 2 * MARGIN)
        else:
            for (x, width), value in zip(self.edges, cells):
                self.page.text(x, self.y, value, ROW_SIZE, width=width)
        self.y += ROW_HEIGHT


def render_pages(doc: TableDocument, rows: Iterable[Sequence[object]]) -> list[Page]:
    """Every row on as many pages as it takes; an empty report is one page saying so."""
    pages = _Pages(doc)
    pages.start()
    count = 0
    for cells in rows:
        pages.line(cells)
        count += 1
    if not count:
        pages.line(text="No rows for this period.")
    if doc.cut_note:
        pages.line(text=doc.cut_note)
    return pages.pages


def to_pdf(doc: TableDocument, rows: Iterable[Sequence[object]]) -> bytes:
    """The report as one PDF; its text is searchable (pdftotext) while the pages print as drawn."""
    return pages_pdf(render_pages(doc, rows), title=doc.title)
