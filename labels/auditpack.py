"""One job card's audit document (labels.document): sections of facts and tables, the card's barcode and number
on every page, tables continued under their heads on the next page."""

from __future__ import annotations

from dataclasses import dataclass

from .document import Document, Table
from .text import _, clean

TITLE, BODY, ROW = 15, 9, 7.5


@dataclass(frozen=True)
class Section:
    """A heading, lines of facts under it, then a table (heads, rows as strings, relative column widths)."""

    title: str
    heads: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    weights: tuple[float, ...] = ()
    empty: str = ""  # said when the table has no rows


@dataclass(frozen=True)
class AuditCard:
    number: str
    vin: str
    sections: tuple[Section, ...]


def to_pdf(card: AuditCard, shop: str = "") -> bytes:
    """The card's audit document as one PDF of real text."""
    table: list[Table | None] = [None]  # the table running when a page breaks: its heads repeat

    def page_top(pdf: Document) -> None:
        pdf.barcode(clean(card.number), pdf.right, pdf.y, 26, right=True, module=1.0)
        pdf.text(pdf.left, pdf.y, _("Audit pack · job card {number}").format(number=card.number), TITLE, bold=True,
                 width=pdf.body_width - 170)
        pdf.text(pdf.left, pdf.y + 20, f"{shop} · VIN {card.vin}".strip(" ·"), BODY, width=pdf.body_width - 170)
        pdf.page_numbers(pdf.right, pdf.y + 30, 8)
        pdf.y += 44
        pdf.rule(1, 6)
        if table[0] is not None:
            table[0].heads()

    pdf = Document(_("Audit pack · job card {number}").format(number=clean(card.number)), on_new_page=page_top)
    pdf.new_page()
    for section in card.sections:
        table[0] = None
        pdf.room(BODY * 6)
        pdf.y += 4
        pdf.line(section.title, BODY + 2, bold=True)
        for fact in section.facts:
            pdf.paragraph(fact, BODY, most=6)
        if section.heads:
            current = Table.spread(pdf, section.heads, section.weights or (1,) * len(section.heads), ROW)
            current.heads()
            table[0] = current
            if not current.rows(section.rows) and section.empty:
                pdf.line(section.empty, BODY)
            table[0] = None
    return pdf.finish()
