"""The packing list that goes in a box of returned warranty parts: an A4 page (PDF) with the box barcode."""

from __future__ import annotations

from dataclasses import dataclass

from .page import A4, Page
from .page import to_pdf as page_pdf
from .text import clean


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


def render_pages(data: PackingListData) -> list[Page]:
    """One A4 page at 150 dpi per 40 parts; long lists continue on further pages."""
    rows_per_page = 40
    chunks = [data.lines[i:i + rows_per_page] for i in range(0, max(1, len(data.lines)), rows_per_page)] or [()]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        page = Page()
        margin, y = 90, 80
        page.text(margin, y, f"Packing list - box {clean(data.box)}", 40, bold=True)
        page.barcode(clean(data.box), A4[0] - margin, y - 10, 90, 500, right=True)
        y += 110
        for text in (f"Return request {clean(data.request_number)}   Manufacturer {clean(data.manufacturer) or '-'}",
                     f"Due {clean(data.due) or '-'}   Dealer {clean(data.dealer_code)}   "
                     f"Parts {len(data.lines)}   Page {number} of {len(chunks)}"):
            page.text(margin, y, text, 26)
            y += 40
        if data.hazardous:
            warning = "HAZARDOUS GOODS: batteries / airbags inside, ship under hazmat rules"
            box = page.text_box(margin, y + 10, warning, 26, bold=True)
            page.pen.rectangle([box[0] - 8, box[1] - 6, box[2] + 8, box[3] + 6], fill=0)
            page.text(margin, y + 10, warning, 26, bold=True, fill=1)
            y += 60
        y += 20
        columns = [(margin, "Tag", 230), (margin + 240, "Job card", 170), (margin + 420, "Part", 230),
                   (margin + 660, "Description", A4[0] - 2 * margin - 660 - 90), (A4[0] - margin - 80, "Haz", 80)]
        for x, head, _ in columns:
            page.text(x, y, head, 24, bold=True)
        y += 34
        page.pen.line([margin, y, A4[0] - margin, y], fill=0, width=2)
        y += 8
        for line in chunk:
            cells = (line.tag_number, line.repair_order, line.part_number, line.description,
                     "YES" if line.hazardous else "")
            for (x, _, width), value in zip(columns, cells):
                page.text(x, y, value, 22, width=width - 10)
            y += 32
        pages.append(page)
    return pages


def to_pdf(data: PackingListData) -> bytes:
    """All pages in one PDF file, its text searchable."""
    return page_pdf(render_pages(data), title=f"Packing list {clean(data.box)}")
