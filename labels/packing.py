"""The packing list that goes in a box of returned warranty parts: A4 pages (PDF, real text) with the box barcode."""

from __future__ import annotations

from dataclasses import dataclass

from .document import Document, Table, font_name, text_width
from .text import _, clean


@dataclass(frozen=True)
class PackingLine:
    tag_number: str
    repair_order: str
    part_number: str
    description: str
    hazardous: bool


@dataclass(frozen=True)
class PackingListData:
    box: str
    request_number: str
    manufacturer: str
    due: str
    dealer_code: str
    lines: tuple[PackingLine, ...]

    @property
    def hazardous(self) -> bool:
        return any(line.hazardous for line in self.lines)


def to_pdf(data: PackingListData) -> bytes:
    """The packing list as one PDF of real text: box barcode and request on every page, the parts under column
    heads repeated on each page, a hazardous-goods warning when a battery or airbag is in the box."""
    table: Table | None = None

    def page_top(pdf: Document) -> None:
        pdf.text(pdf.left, pdf.y, _("Packing list - box {box}").format(box=clean(data.box)), 20, bold=True, width=260)
        pdf.barcode(clean(data.box), pdf.right, pdf.y - 4, 40, right=True)
        pdf.y += 50
        for text in (_("Return request {request}   Manufacturer {manufacturer}").format(
                         request=clean(data.request_number), manufacturer=clean(data.manufacturer) or "-"),
                     _("Due {due}   Dealer {dealer}   Parts {parts}").format(
                         due=clean(data.due) or "-", dealer=clean(data.dealer_code), parts=len(data.lines))):
            pdf.text(pdf.left, pdf.y, text, 11, width=pdf.body_width - 90)
            pdf.y += 16
        pdf.page_numbers(pdf.right, pdf.y - 16, 9)
        if data.hazardous:
            warning = _("HAZARDOUS GOODS: batteries / airbags inside, ship under hazmat rules")
            pdf.box(pdf.left - 3, pdf.y + 2, text_width(warning, 11, font_name(warning, True)) + 6, 16, fill=True)
            pdf.text(pdf.left, pdf.y + 4, warning, 11, bold=True, white=True)
            pdf.y += 24
        pdf.y += 8
        if table is not None:
            table.heads()

    pdf = Document(_("Packing list - box {box}").format(box=clean(data.box)), on_new_page=page_top)
    table = Table.spread(pdf, (_("Tag"), _("Job card"), _("Part"), _("Description"), _("Haz")), (20, 15, 20, 37, 8), 10)
    pdf.new_page()
    table.rows((line.tag_number, line.repair_order, line.part_number, line.description,
                _("YES") if line.hazardous else "") for line in data.lines)
    return pdf.finish()
