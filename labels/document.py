"""A4 documents (job card, packing list, reports, audit pack) as real text PDFs, drawn with reportlab.

Text is text: the shipped Noto Sans CJK subset is embedded (as TrueType, labels.fonts.truetype), so `pdftotext`,
search and copy read the VIN, the tag number and a Chinese complaint, and the file stays small. Barcodes are
vector bars, exact at any printer resolution. Tables repeat their column heads on every page. Labels are
different: they stay 1-bit images at whole printer dots (labels.render).

Coordinates are points from the page's top-left corner (reportlab counts from the bottom; Document turns them).
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from collections.abc import Callable, Iterable, Sequence

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from . import code128
from .fonts import BOLD, REGULAR, coverage
from .fonts.truetype import truetype
from .text import ELLIPSIS, _, clean

MM = 72 / 25.4
MARGIN = 15 * MM
REGULAR_FONT, BOLD_FONT = "KioskSans", "KioskSansBold"
LEADING = 1.3  # line height as a multiple of the font size


@functools.lru_cache(maxsize=1)
def register_fonts() -> None:
    """Make the shipped fonts known to reportlab (once per process)."""
    pdfmetrics.registerFont(TTFont(REGULAR_FONT, str(truetype(REGULAR))))
    pdfmetrics.registerFont(TTFont(BOLD_FONT, str(truetype(BOLD))))


class _Advances(dict):
    """A character's advance in thousandths of the font size; one the font lacks gets the default width."""

    def __init__(self, widths: dict, missing: float) -> None:
        super().__init__({chr(code): width for code, width in widths.items()})
        self.missing = missing

    def __missing__(self, ch: str) -> float:
        return self.missing


@functools.lru_cache(maxsize=2)
def _advances(name: str) -> _Advances:
    face = pdfmetrics.getFont(name).face
    return _Advances(face.charWidths, float(face.defaultWidth))


@functools.lru_cache(maxsize=8192)
def _units(text: str, font: str) -> float:
    """The width of text in thousandths of the size (cells repeat a lot: VW, yes, a status, a date)."""
    return sum(map(_advances(font).__getitem__, text))


def text_width(text: str, size: float, font: str = REGULAR_FONT) -> float:
    """The width of text in points (a table's cells are measured by the thousand: no reportlab call per cell)."""
    return _units(text, font) * size / 1000


def fit_width(text: str, size: float, width: float, font: str = REGULAR_FONT) -> str:
    """The longest start of text that fits width points, ending in an ellipsis when anything was cut: one pass
    over the characters (labels.text.fit measures again and again, too slow for a table of thousands)."""
    limit = width * 1000 / size
    if len(text) <= 300 and _units(text, font) <= limit:
        return text
    advances = _advances(font)
    budget, used = limit - advances[ELLIPSIS], 0.0
    if budget < 0:
        return ""
    for i, ch in enumerate(text):
        used += advances[ch]
        if used > budget or i >= 300:
            return text[:i].rstrip() + ELLIPSIS
    return text


def font_name(text: str, bold: bool) -> str:
    """Bold when the bold subset has every character (it is Latin only), else regular."""
    return BOLD_FONT if bold and set(text) <= coverage(BOLD) else REGULAR_FONT


class Document:
    """Pages of a PDF filled top to bottom. `y` is where the next line goes; `on_new_page` draws what every
    page starts with (a header, a table's column heads) and leaves `y` below it."""

    def __init__(self, title: str, *, wide: bool = False, on_new_page: Callable[[Document], None] | None = None
                 ) -> None:
        register_fonts()
        self.size = landscape(A4) if wide else A4
        self.width, self.height = self.size
        self._out = io.BytesIO()
        self.canvas = Canvas(self._out, pagesize=self.size, pageCompression=1, invariant=1)
        self.canvas.setTitle(clean(title))
        self.canvas.setCreator("workshop-kiosk")
        self.on_new_page = on_new_page
        self.pages = 0
        self._count_size = 8.0
        self.y = MARGIN
        self.left, self.right, self.bottom = MARGIN, self.width - MARGIN, self.height - MARGIN

    @property
    def body_width(self) -> float:
        return self.right - self.left

    def new_page(self) -> None:
        if self.pages:
            self.canvas.showPage()
        self.pages += 1
        self.y = MARGIN
        if self.on_new_page:
            self.on_new_page(self)

    def room(self, height: float) -> None:
        """Start a new page unless height points still fit above the bottom margin."""
        if not self.pages or self.y + height > self.bottom:
            self.new_page()

    def text(self, x: float, y: float, value: object, size: float, *, bold: bool = False,
             width: float | None = None, right: bool = False, white: bool = False) -> str:
        """One line of text with its top at y (cleaned, cut with an ellipsis to width); returns what was drawn."""
        text = clean(value)
        font = font_name(text, bold)
        if width is not None:
            text = fit_width(text, size, width, font)
        if text:
            canvas = self.canvas
            canvas.setFont(font, size)
            if white:
                canvas.setFillGray(1)
            baseline = self.height - y - size * 0.88
            if right:
                canvas.drawRightString(x, baseline, text)
            else:
                canvas.drawString(x, baseline, text)
            if white:
                canvas.setFillGray(0)
        return text

    def line(self, value: object = "", size: float = 10, *, bold: bool = False, indent: float = 0) -> None:
        """A line of text at y, across the page (cut to fit), then y moves down."""
        self.room(size * LEADING)
        self.text(self.left + indent, self.y, value, size, bold=bold, width=self.body_width - indent)
        self.y += size * LEADING

    def paragraph(self, value: object, size: float = 10, *, bold: bool = False, indent: float = 0,
                  most: int = 200) -> None:
        """Text wrapped over as many lines as it takes (at most `most`), newlines kept."""
        for text in wrap(value, size, self.body_width - indent, most, bold=bold) or [""]:
            self.line(text, size, bold=bold, indent=indent)

    def rule(self, weight: float = 0.6, gap: float = 3) -> None:
        self.canvas.setLineWidth(weight)
        self.canvas.line(self.left, self.height - self.y, self.right, self.height - self.y)
        self.y += gap

    def box(self, x: float, y: float, width: float, height: float, *, fill: bool = False) -> None:
        self.canvas.rect(x, self.height - y - height, width, height, stroke=0 if fill else 1, fill=1 if fill else 0)

    def barcode(self, data: str, x: float, y: float, height: float, *, module: float = 1.2,
                right: bool = False) -> float:
        """Code 128 as vector bars, quiet zones included, its left edge at x (right edge when right); returns
        its width. Raises BarcodeError."""
        pattern = code128.modules(data)
        width = (len(pattern) + 2 * code128.QUIET_MODULES) * module
        left = (x - width if right else x) + code128.QUIET_MODULES * module
        bottom = self.height - y - height
        start = None
        for i, bit in enumerate(pattern + "0"):
            if bit == "1" and start is None:
                start = i
            elif bit == "0" and start is not None:
                self.canvas.rect(left + start * module, bottom, (i - start) * module, height, stroke=0, fill=1)
                start = None
        return width

    def page_numbers(self, x: float, y: float, size: float = 8) -> None:
        """'Page N of M' at (x, y), right-aligned; M is written once the last page is known."""
        end = x - text_width("0000", size)
        self.text(end - text_width(" ", size), y, _("Page {page} of").format(page=self.pages), size, right=True)
        self.canvas.saveState()
        self.canvas.translate(end, self.height - y - size * 0.88)
        self.canvas.doForm("page-count")
        self.canvas.restoreState()
        self._count_size = size

    def finish(self) -> bytes:
        """The whole PDF."""
        if not self.pages:
            self.new_page()
        self.canvas.beginForm("page-count")
        self.canvas.setFont(REGULAR_FONT, self._count_size)
        self.canvas.drawString(0, 0, str(self.pages))
        self.canvas.endForm()
        self.canvas.save()
        return self._out.getvalue()


def wrap(value: object, size: float, width: float, most: int, *, bold: bool = False) -> list[str]:
    """Text as lines of at most width points (broken at spaces where it can; Chinese anywhere), at most
    `most` lines, the last ending in an ellipsis when more was cut."""
    raw = ("" if value is None else str(value))[:most * 400]  # a pasted novel is not measured to the end
    out: list[str] = []
    for paragraph in filter(None, (clean(p) for p in raw.replace("\r\n", "\n").split("\n"))):
        font = font_name(paragraph, bold)
        rest = paragraph
        while rest and len(out) <= most:
            cut = _longest(rest, size, font, width)
            space = rest.rfind(" ", 0, cut + 1) if cut < len(rest) else -1
            cut = space if space > 0 else cut
            out.append(rest[:cut].rstrip())
            rest = rest[cut:].lstrip()
    if len(out) > most:
        last = out[most - 1].rstrip() + ELLIPSIS
        out = out[:most - 1] + [fit_width(last, size, width, font_name(last, bold))]
    return out


def _longest(text: str, size: float, font: str, width: float) -> int:
    """How many characters of text fit width (at least one, so wrapping always moves on)."""
    advances = _advances(font)
    limit, used = width * 1000 / size, 0.0
    for i, ch in enumerate(text):
        used += advances[ch]
        if used > limit:
            return max(1, i)
    return len(text)


@dataclass(frozen=True)
class Column:
    head: str
    width: float  # points
    right: bool = False  # numbers and money line up on the right


class Table:
    """Rows under column heads that repeat at the top of every page the table runs onto."""

    def __init__(self, doc: Document, columns: Sequence[Column], size: float = 8, gap: float = 4) -> None:
        self.doc, self.columns, self.size, self.gap = doc, tuple(columns), size, gap
        self.height = size * LEADING
        self._headed = 0
        self.edges = []
        x = doc.left
        for column in self.columns:
            self.edges.append(x)
            x += column.width

    @classmethod
    def spread(cls, doc: Document, heads: Sequence[str], weights: Sequence[float], size: float = 8,
               right: Sequence[str] = ()) -> Table:
        """Columns sharing the page's width in proportion to their weights; the heads in `right` line up on the
        right (numbers, money)."""
        whole = sum(weights) or 1
        return cls(doc, [Column(h, doc.body_width * w / whole, h in right) for h, w in zip(heads, weights)], size)

    def heads(self) -> None:
        self.doc.room(self.height * 3)
        self._headed = self.doc.pages
        self._cells([c.head for c in self.columns], bold=True)
        self.doc.rule(0.8, 2)

    def _cells(self, cells: Sequence[object], *, bold: bool = False) -> None:
        """The row's cells in one text object (a thousand rows a second: no BT/ET and font switch per cell)."""
        doc, size = self.doc, self.size
        line = doc.canvas.beginText()
        baseline = doc.height - doc.y - size * 0.88
        current = None
        for x, column, value in zip(self.edges, self.columns, cells):
            text = clean(value)
            if not text:
                continue
            font = font_name(text, bold)
            room = column.width - self.gap
            text = fit_width(text, size, room, font)
            if font != current:
                line.setFont(font, size)
                current = font
            line.setTextOrigin(x + room - text_width(text, size, font) if column.right else x, baseline)
            line.textOut(text)
        doc.canvas.drawText(line)
        doc.y += self.height

    def row(self, cells: Sequence[object], *, bold: bool = False) -> None:
        """One row; on a new page the column heads come first."""
        self._room()
        self._cells(cells, bold=bold)

    def note(self, value: object, *, indent: float = 0, most: int = 3) -> None:
        """Text under the last row across the table's width (wrapped over at most `most` lines)."""
        doc = self.doc
        for text in wrap(value, self.size, doc.body_width - indent, most):
            self._room()
            doc.text(doc.left + indent, doc.y, text, self.size)
            doc.y += self.height

    def _room(self) -> None:
        """A new page, under the column heads, when the next line would not fit."""
        doc = self.doc
        if doc.y + self.height > doc.bottom:
            doc.new_page()
            if self._headed != doc.pages:  # unless the page's own top drew them
                self.heads()

    def rows(self, rows: Iterable[Sequence[object]]) -> int:
        count = 0
        for cells in rows:
            self.row(cells)
            count += 1
        return count
