"""Drawing a warranty-tag label at the printer's resolution (whole-dot barcode, the tag's facts, a CAUSAL
mark) and writing it as a 1-bit PNG or a PDF page of the label's size."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from . import code128, pdf
from .data import LabelData
from .errors import FormatError, StockError
from .fonts import font, font_for
from .stocks import MM_PER_INCH, Stock
from .text import ELLIPSIS, clean, fit

__all__ = ["ELLIPSIS", "Cell", "Layout", "fit", "layout", "paint", "render", "save", "to_pdf", "to_png"]

MARGIN_MM = 1.0
GAP_MM = 0.6  # between the barcode and the text, and between two texts on one line
BAR_MM = {"small": 7.0, "large": 12.0, "continuous": 10.0}
LINE_MM = {"max": 4.5, "min": 1.7, "continuous": 3.2}  # height of one text line
TAG_LINE = 1.35  # the human-readable tag number is this many lines high
# Ink reaches from the top of "Å" to the bottom of "g" and of a CJK glyph: lines are sized to it.
INK_SAMPLE = "ÅHgjy|(刹鼎"


@dataclass(frozen=True)
class Cell:
    """One piece of text as drawn: already cleaned and cut to fit its box."""

    text: str
    x: int
    top: int
    width: int
    height: int
    size: int  # font size in pixels
    baseline: int
    bold: bool = False
    right: bool = False  # right-aligned in its box
    inverted: bool = False  # white on a black box


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    dpi: int
    label_mm: tuple[float, float]  # the physical label (the page of a PDF)
    barcode: code128.Barcode
    barcode_x: int  # where the left quiet zone starts
    barcode_y: int
    barcode_height: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class _Text:
    text: str
    bold: bool = False
    right: bool = False
    inverted: bool = False
    shrink: bool = False  # may get a smaller font rather than lose characters


def _count(value: object) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _rows(label: LabelData, small: bool) -> list[tuple[float, list[_Text]]]:
    """What the label says, line by line, most important first."""
    vin = "".join(clean(label.vin).split())
    mileage, quantity = _count(label.mileage), _count(label.quantity)
    part = clean(label.part_number)
    if part and quantity is not None and quantity != 1:
        part += f" x{quantity}"  # ASCII: the CJK font's "×" is full-width

    def labelled(prefix: str, value: str) -> str:
        return f"{prefix} {value}" if value else ""

    caption = label.caption
    order = clean(label.repair_order)
    if not (order[:2].upper() == "RO" and caption("order") == "RO"):  # "RO000042" needs no second "RO"
        order = labelled(caption("order"), order)

    rows = [
        (TAG_LINE, [_Text(clean(label.tag_number), bold=True, shrink=True)]
         + ([_Text(caption("causal"), bold=True, right=True, inverted=True)] if label.causal else [])),
        (1, [_Text(order), _Text(clean(label.repair_date), right=True)]),
        (1, [_Text(labelled(caption("vin"), vin[-8:] if small else vin)),
             _Text(labelled(caption("odometer"), str(mileage) if mileage else clean(label.mileage or "")),
                   right=True)]),
        (1, [_Text(labelled(caption("part"), part)), _Text(clean(label.technician), right=True)]),
        (1, [_Text(clean(label.description))]),
    ]
    if not small:
        makers = " / ".join(v for v in (clean(label.dealer_code), clean(label.manufacturer)) if v)
        rows += [(1, [_Text(labelled(caption("operation"), clean(label.labour_operation))),
                      _Text(makers, right=True)]),
                 (1, [_Text(labelled(caption("complaint"), clean(label.complaint)))])]
    return [row for i, row in enumerate(rows) if i == 0 or any(t.text for t in row[1])]


@functools.lru_cache(maxsize=256)
def _ink(size: int, bold: bool) -> tuple[int, int]:
    """How far ink reaches above (negative) and below the baseline at this font size."""
    _, top, _, bottom = font(size, bold).getbbox(INK_SAMPLE, anchor="ls")
    return top, bottom


@functools.lru_cache(maxsize=256)
def _size_for(height: int, bold: bool) -> int:
    """The largest font size whose ink fits a line height dots high."""
    size = max(4, int(height / 1.05))
    while size > 4 and _ink(size, bold)[1] - _ink(size, bold)[0] > height:
        size -= 1
    return size


def _baseline(size: int, height: int, bold: bool) -> int:
    """The baseline's distance from the top of a line, the ink centred in it."""
    top, bottom = _ink(size, bold)
    return -top + max(0, (height - (bottom - top)) // 2)


def _widths(wanted: list[int], room: int) -> list[int]:
    """Split room between a left and a right text: each gets what it needs while the other still fits."""
    if len(wanted) == 1:
        return [room]
    left, right = wanted
    half = room // 2
    if left + right <= room or right <= half:
        return [room - right, right]
    if left <= half:
        return [left, room - left]
    return [half, room - half]


def _place(texts: list[_Text], x: int, top: int, room: int, height: int, body: int, gap: int) -> list[Cell]:
    """The cells of one line: left texts from x, right-aligned ones from x + room, cut to fit."""
    cells, plain = [], [t for t in texts if not t.inverted]
    left, right = x, x + room
    for t in texts:
        if t.inverted:  # a mark keeps its size; the texts beside it share what is left
            pad = max(1, height // 10)
            size = _size_for(height - 2 * pad, t.bold)
            width = int(font_for(t.text, size, t.bold).getlength(t.text)) + 4 * pad
            right -= width
            cells.append(Cell(t.text, right, top, width, height, size,
                              top + pad + _baseline(size, height - 2 * pad, t.bold), t.bold, True, True))
            right -= gap
    size = {t.bold: _size_for(height, t.bold) for t in plain}
    natural = [int(font_for(t.text, size[t.bold], t.bold).getlength(t.text)) for t in plain]
    widths = _widths(natural, right - left - gap * (len(plain) - 1)) if plain else []
    for t, width in zip(plain, widths):
        width, text_size = max(0, width), size[t.bold]
        if t.shrink:  # the tag number rather shrinks to body size than loses a character
            while text_size > body and font_for(t.text, text_size, t.bold).getlength(t.text) > width:
                text_size -= 1
        shown = fit(t.text, font_for(t.text, text_size, t.bold), width)
        baseline = top + _baseline(text_size, height, t.bold)
        if t.right:
            cells.append(Cell(shown, right - width, top, width, height, text_size, baseline, t.bold, True))
            right -= width + gap
        else:
            cells.append(Cell(shown, left, top, width, height, text_size, baseline, t.bold, False))
            left += width + gap
    return cells


def layout(label: LabelData, stock: Stock, dpi: int) -> Layout:
    """Where everything goes, in dots; raises BarcodeTooWide rather than shrink the bars."""
    width, fixed_height = stock.width_dots(dpi), stock.height_dots(dpi)

    def dots(mm: float) -> int:
        return round(mm / MM_PER_INCH * dpi)

    margin, gap = dots(MARGIN_MM), max(2, dots(GAP_MM))
    kind = "continuous" if fixed_height is None else "small" if stock.small else "large"
    barcode = code128.fit(clean(label.tag_number), dpi, width)
    bar_height = dots(BAR_MM[kind])
    rows = _rows(label, stock.small)
    text_top = margin + bar_height + gap
    if fixed_height is None:
        line = dots(LINE_MM["continuous"])
        height = text_top + int(sum(w for w, _ in rows) * line) + margin
    else:
        height = fixed_height
        room = height - text_top - margin
        while True:
            line = min(dots(LINE_MM["max"]), room / sum(w for w, _ in rows))
            if line >= dots(LINE_MM["min"]) or len(rows) == 1:
                break
            rows.pop()  # a label too short for every line keeps the most important ones
        if line < dots(LINE_MM["min"]) * 0.75:
            raise StockError(f"Label stock {stock.name} is too short for a barcode and a line of text.")
    body = _size_for(int(line), False)
    cells, y = [], text_top
    for weight, texts in rows:
        row_height = int(weight * line)
        cells += _place(texts, margin, y, width - 2 * margin, row_height, body, gap)
        y += row_height
    label_mm = (stock.width_mm, stock.height_mm or height / dpi * MM_PER_INCH)
    return Layout(width, height, dpi, label_mm, barcode, (width - barcode.width) // 2, margin, bar_height,
                  tuple(cells))


def paint(plan: Layout) -> Image.Image:
    """The layout on a 1-bit image (1 = white paper): image.info holds dpi and the label's size in mm."""
    image = Image.new("1", (plan.width, plan.height), 1)
    code128.draw(image, plan.barcode, plan.barcode_x, plan.barcode_y, plan.barcode_height)
    pen = ImageDraw.Draw(image)
    pen.fontmode = "1"  # no grey edges: a thermal head prints dots or nothing
    for cell in plan.cells:
        if not cell.text:
            continue
        face = font_for(cell.text, cell.size, cell.bold)
        ink = 0
        if cell.inverted:
            pen.rectangle((cell.x, cell.top, cell.x + cell.width - 1, cell.top + cell.height - 1), fill=0)
            ink = 1
        x = cell.x + (cell.width - int(face.getlength(cell.text)) if cell.right and not cell.inverted else 0)
        if cell.inverted:
            x += (cell.width - int(face.getlength(cell.text))) // 2
        pen.text((x, cell.baseline), cell.text, font=face, fill=ink, anchor="ls")
    image.info["dpi"] = (plan.dpi, plan.dpi)
    image.info["label_mm"] = plan.label_mm
    return image


def render(label: LabelData, stock: Stock, dpi: int) -> Image.Image:
    """The label as a 1-bit image at the printer's resolution (image.info["dpi"] is set)."""
    return paint(layout(label, stock, dpi))


def _dpi(image: Image.Image) -> int:
    dpi = image.info.get("dpi")
    if not dpi:
        raise FormatError("The image has no resolution (image.info['dpi']); render it with labels.render.render.")
    return round(dpi[0])


def to_png(image: Image.Image) -> bytes:
    """A 1-bit PNG carrying its resolution, so any viewer or driver prints it at 100 %."""
    buffer = io.BytesIO()
    dpi = _dpi(image)
    image.convert("1").save(buffer, "PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


def to_pdf(image: Image.Image, title: str = "") -> bytes:
    """One page the physical size of the label, the image centred on it at 100 % and whole-dot offsets."""
    dpi = _dpi(image)
    label_mm = image.info.get("label_mm") or (image.width / dpi * MM_PER_INCH, image.height / dpi * MM_PER_INCH)
    page = (max(image.width, label_mm[0] / MM_PER_INCH * dpi), max(image.height, label_mm[1] / MM_PER_INCH * dpi))
    offset = (int((page[0] - image.width) // 2), int((page[1] - image.height) // 2))
    return pdf.image_page(image, dpi, page, offset, title)


def save(image: Image.Image, path: str | Path) -> Path:
    """Write the label as .png or .pdf, chosen by the file's extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".pdf"):
        raise FormatError(f"Label files are .png or .pdf, not {suffix or 'a name without extension'} ({path.name}).")
    path.write_bytes(to_png(image) if suffix == ".png" else to_pdf(image))
    return path
