"""The packing list that goes in a box of returned warranty parts: an A4 page (PDF) with the box barcode."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw

from . import code128
from .fonts import font_for
from .text import clean, fit

DPI = 150
A4 = (round(210 / 25.4 * DPI), round(297 / 25.4 * DPI))


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


def render_pages(data: PackingListData) -> list[Image.Image]:
    """One image per A4 page at 150 dpi; long lists continue on further pages."""
    rows_per_page = 40
    chunks = [data.lines[i:i + rows_per_page] for i in range(0, max(1, len(data.lines)), rows_per_page)] or [()]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        page = Image.new("1", A4, 1)
        draw = ImageDraw.Draw(page)
        draw.fontmode = "1"
        margin, y = 90, 80
        title = font_for("Packing list", 40, bold=True)
        draw.text((margin, y), f"Packing list - box {clean(data.box)}", font=title, fill=0)
        barcode = code128.fit(clean(data.box), DPI, 500)
        code128.draw(page, barcode, A4[0] - margin - barcode.width, y - 10, 90)
        y += 110
        for text in (f"Return request {clean(data.request_number)}   Manufacturer {clean(data.manufacturer) or '-'}",
                     f"Due {clean(data.due) or '-'}   Dealer {clean(data.dealer_code)}   "
                     f"Parts {len(data.lines)}   Page {number} of {len(chunks)}"):
            draw.text((margin, y), text, font=font_for(text, 26), fill=0)
            y += 40
        if data.hazardous:
            warning = "HAZARDOUS GOODS: batteries / airbags inside, ship under hazmat rules"
            box = draw.textbbox((margin, y + 10), warning, font=font_for(warning, 26, bold=True))
            draw.rectangle([box[0] - 8, box[1] - 6, box[2] + 8, box[3] + 6], fill=0)
            draw.text((margin, y + 10), warning, font=font_for(warning, 26, bold=True), fill=1)
            y += 60
        y += 20
        columns = [(margin, "Tag", 230), (margin + 240, "Job card", 170), (margin + 420, "Part", 230),
                   (margin + 660, "Description", A4[0] - 2 * margin - 660 - 90), (A4[0] - margin - 80, "Haz", 80)]
        for x, head, _ in columns:
            draw.text((x, y), head, font=font_for(head, 24, bold=True), fill=0)
        y += 34
        draw.line([margin, y, A4[0] - margin, y], fill=0, width=2)
        y += 8
        for line in chunk:
            cells = (line.tag_number, line.repair_order, line.part_number, line.description,
                     "YES" if line.hazardous else "")
            for (x, _, width), value in zip(columns, cells):
                face = font_for(clean(value), 22)
                draw.text((x, y), fit(value, face, width - 10), font=face, fill=0)
            y += 32
        page.info["dpi"] = (DPI, DPI)
        pages.append(page)
    return pages


def to_pdf(data: PackingListData) -> bytes:
    """All pages in one PDF file."""
    import io

    pages = render_pages(data)
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=float(DPI), save_all=True, append_images=pages[1:])
    return buffer.getvalue()
