"""A report table as landscape A4 pages of real text: title, totals, column heads repeated on every page, every
row (however many), each cell cut with an ellipsis to its column."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .document import Document, Table
from .text import _

TITLE_SIZE, LINE_SIZE, ROW_SIZE = 14, 9, 7


@dataclass(frozen=True)
class TableDocument:
    """What is printed above the rows: the title, a line about it, the totals, the columns and their weights."""

    title: str
    subtitle: str
    columns: tuple[str, ...]
    weights: tuple[float, ...]
    totals: tuple[str, ...] = ()
    # A column of long text (the claim list's problems) printed under its row across the page, not as a cell.
    note_column: str = ""


def to_pdf(doc: TableDocument, rows: Iterable[Sequence[object]]) -> bytes:
    """The report as one PDF; rows are drawn as they come (an iterator is never held whole)."""
    table: Table | None = None

    def page_top(pdf: Document) -> None:
        pdf.text(pdf.left, pdf.y, doc.title, TITLE_SIZE, bold=True, width=pdf.body_width - 80)
        pdf.page_numbers(pdf.right, pdf.y + 4)
        pdf.y += TITLE_SIZE * 1.4
        pdf.text(pdf.left, pdf.y, doc.subtitle, LINE_SIZE, width=pdf.body_width)
        pdf.y += LINE_SIZE * 1.6
        if pdf.pages == 1:
            for line in doc.totals:
                pdf.text(pdf.left, pdf.y, line, LINE_SIZE, bold=True, width=pdf.body_width)
                pdf.y += LINE_SIZE * 1.4
            pdf.y += 4
        if table is not None:
            table.heads()

    note = doc.columns.index(doc.note_column) if doc.note_column in doc.columns else None
    columns = [c for i, c in enumerate(doc.columns) if i != note]
    weights = [w for i, w in enumerate(doc.weights) if i != note]
    pdf = Document(doc.title, wide=True, on_new_page=page_top)
    table = Table.spread(pdf, columns, weights, ROW_SIZE)
    pdf.new_page()
    count = 0
    for cells in rows:
        count += 1
        if note is None:
            table.row(cells)
            continue
        table.row([c for i, c in enumerate(cells) if i != note])
        if cells[note]:
            table.note(f"{doc.note_column}: {cells[note]}", indent=table.columns[0].width)
    if not count:
        pdf.line(_("No rows for this period."), LINE_SIZE, bold=True)
    return pdf.finish()
