"""The job card for the technician: an A4 page (PDF, text searchable) with the card's barcode, and a small label."""

from __future__ import annotations

from dataclasses import dataclass

from .data import LabelData
from .fonts import font_for
from .page import A4, Page, to_pdf as page_pdf
from .text import ELLIPSIS, clean, fit

MARGIN = 90
BODY = 24
ROW = 34
# Columns of the lines table: (heading, x from the margin, width); the complaint takes what is left.
COLUMNS = (("Pos", 0, 55), ("Complaint", 60, 400), ("Payer", 470, 120), ("Labour op", 595, 130),
           ("Technician", 730, A4[0] - 2 * MARGIN - 730))
COMPLAINT_LINES = 6  # of the card's complaint; each line's complaint gets 3
FOOTER = 80


@dataclass(frozen=True)
class JobCardLine:
    position: int
    complaint: str
    payer: str
    labour_operation: str
    technician: str


@dataclass(frozen=True)
class JobCardData:
    """What the printed job card says: plain strings, nothing from the database."""

    shop: str
    number: str  # the barcode carries exactly this: what the technician's My jobs screen accepts
    customer: str
    phone: str
    plate: str
    vin: str
    model: str
    mileage_in: int
    promised: str  # as printed, e.g. "2026-03-05 17:00", or ""
    advisor: str
    opened: str
    complaint: str  # the customer's words, several lines allowed
    lines: tuple[JobCardLine, ...]
    printed: str = ""


def _longest(text: str, face, width: float) -> int:
    """How many characters of text fit width dots (at least one, so a line always moves on)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if face.getlength(text[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def wrap(value: object, size: int, width: float, most: int, bold: bool = False) -> list[str]:
    """Text broken into at most `most` lines of width dots (at spaces where there are any, anywhere in
    Chinese); newlines kept; what does not fit ends in an ellipsis."""
    raw = ("" if value is None else str(value))[:most * 400]  # a pasted novel is not measured to the end
    out: list[str] = []
    for paragraph in filter(None, (clean(p) for p in raw.replace("\r\n", "\n").split("\n"))):
        face = font_for(paragraph, size, bold)
        rest = paragraph
        while rest and len(out) <= most:
            cut = _longest(rest, face, width)
            space = rest.rfind(" ", 0, cut + 1) if cut < len(rest) else -1
            cut = space if space > 0 else cut
            out.append(rest[:cut].rstrip())
            rest = rest[cut:].lstrip()
    if len(out) > most:  # the last line kept says that more was cut
        last = out[most - 1].rstrip() + ELLIPSIS
        out = out[:most - 1] + [fit(last, font_for(last, size, bold), width)]
    return out


def _header(page: Page, data: JobCardData, number: int, pages: int) -> int:
    """Shop, job number and barcode, customer and vehicle; returns where the body starts."""
    y = 70
    barcode = page.barcode(data.number, A4[0] - MARGIN, y, 110, 560, right=True)
    shown = font_for(data.number, 30, True).getlength(clean(data.number))
    page.text(A4[0] - MARGIN - round((barcode.width + shown) / 2), y + 118, data.number, 30, bold=True, width=560)
    page.text(MARGIN, y, data.shop or "Workshop", 34, bold=True, width=560)
    page.text(MARGIN, y + 50, f"Job card {data.number}", 40, bold=True, width=560)
    page.text(MARGIN, y + 104, f"Page {number} of {pages}", 22)
    y += 170
    page.pen.line([MARGIN, y, A4[0] - MARGIN, y], fill=0, width=3)
    y += 16
    half = (A4[0] - 2 * MARGIN) // 2
    facts = ((f"Customer: {data.customer}", f"Phone: {data.phone or '-'}"),
             (f"Plate: {data.plate or '-'}", f"Model: {data.model or '-'}"),
             (f"VIN: {data.vin or '-'}", f"Mileage in: {data.mileage_in} km"),
             (f"Promised: {data.promised or '-'}", f"Advisor: {data.advisor or '-'}"),
             (f"Opened: {data.opened or '-'}", f"Printed: {data.printed or '-'}"))
    for left, right in facts:
        page.text(MARGIN, y, left, 28 if left.startswith(("Customer", "Plate")) else BODY,
                  bold=left.startswith("Plate"), width=half - 20)
        page.text(MARGIN + half, y, right, BODY, width=half)
        y += 42
    return y + 6


def _complaint(page: Page, text: str, y: int) -> int:
    page.text(MARGIN, y, "Complaint (the customer's words):", BODY, bold=True)
    y += ROW
    for line in wrap(text, BODY, A4[0] - 2 * MARGIN - 20, COMPLAINT_LINES) or ["-"]:
        page.text(MARGIN + 20, y, line, BODY)
        y += ROW
    return y + 10


def _table_head(page: Page, y: int) -> int:
    for head, x, _ in COLUMNS:
        page.text(MARGIN + x, y, head, BODY, bold=True)
    y += ROW
    page.pen.line([MARGIN, y, A4[0] - MARGIN, y], fill=0, width=2)
    return y + 8


def _line_rows(line: JobCardLine) -> list[tuple[str, ...]]:
    """The cells of one job line, its complaint wrapped over up to three rows."""
    complaint = wrap(line.complaint, BODY, COLUMNS[1][2] - 10, 3) or [""]
    first = (str(line.position), complaint[0], line.payer, line.labour_operation, line.technician or "(unassigned)")
    return [first] + [("", text, "", "", "") for text in complaint[1:]]


def render_pages(data: JobCardData) -> list[Page]:
    """The job card on A4 pages at 150 dpi: header and barcode on every page, lines continued as needed."""
    rows = [_line_rows(line) for line in data.lines]
    bottom = A4[1] - FOOTER
    plans: list[list[list[tuple[str, ...]]]] = [[]]
    room = bottom - 620 - ROW * (COMPLAINT_LINES + 2)  # the first page also holds the complaint
    for line in rows:
        need = len(line) * ROW + 6
        if need > room and plans[-1]:
            plans.append([])
            room = bottom - 450
        plans[-1].append(line)
        room -= need
    pages = []
    for number, plan in enumerate(plans, start=1):
        page = Page()
        y = _header(page, data, number, len(plans))
        if number == 1:
            y = _complaint(page, data.complaint, y)
        y = _table_head(page, y)
        if not data.lines:
            page.text(MARGIN, y, "No job lines yet.", BODY)
        for line in plan:
            for cells in line:
                for (_, x, width), value in zip(COLUMNS, cells):
                    page.text(MARGIN + x, y, value, BODY, width=width - 10)
                y += ROW
            page.pen.line([MARGIN, y, A4[0] - MARGIN, y], fill=0, width=1)
            y += 6
        page.text(MARGIN, A4[1] - FOOTER + 20, "Scan the barcode at the floor terminal (My jobs) to open this card.",
                  20)
        pages.append(page)
    return pages


def to_pdf(data: JobCardData) -> bytes:
    """The job card as one PDF file."""
    return page_pdf(render_pages(data), title=f"Job card {clean(data.number)}")


def label_data(data: JobCardData) -> LabelData:
    """The job card's small label for a label printer (labels.render): the barcode and number, the plate with
    the promised time, VIN and mileage in, the technicians, the model, and on large stock the complaint."""
    technicians = " / ".join(dict.fromkeys(line.technician for line in data.lines if line.technician))
    due = f"due {data.promised}" if data.promised else ""
    return LabelData(tag_number=data.number, repair_date=" ".join(v for v in (clean(data.plate), due) if v),
                     vin=data.vin, mileage=data.mileage_in, technician=technicians, description=data.model,
                     complaint=data.complaint)
