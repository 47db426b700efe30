"""A4 documents drawn with Pillow (shipped CJK font, whole-dot Code 128) and written as a PDF with a text layer.

The page itself is a 1-bit image, as on the labels, so bars stay whole dots and Chinese prints without any
font on the printer. Every text drawn through Page.text is also written into the PDF as invisible text
(render mode 3, a Type 0 font whose ToUnicode map says which character each code is), so `pdftotext`,
search and copy work on the document while what prints is exactly the image.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from . import code128
from .fonts import font_for
from .pdf import POINTS_PER_INCH, number as _number, pdf_file
from .printing import CupsPrinter
from .text import clean, fit

DPI = 150
A4 = (round(210 / 25.4 * DPI), round(297 / 25.4 * DPI))


@dataclass(frozen=True)
class Run:
    """A piece of text as drawn, in dots: where its baseline starts, its font size and drawn width."""

    text: str
    x: int
    baseline: int
    size: int
    width: float


@dataclass
class Page:
    """One 1-bit page (1 = white paper) and the text drawn on it."""

    size: tuple[int, int] = A4
    dpi: int = DPI
    image: Image.Image = field(init=False)
    pen: ImageDraw.ImageDraw = field(init=False)
    runs: list[Run] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.image = Image.new("1", self.size, 1)
        self.image.info["dpi"] = (self.dpi, self.dpi)
        self.pen = ImageDraw.Draw(self.image)
        self.pen.fontmode = "1"  # no grey edges on a 1-bit page

    @property
    def width(self) -> int:
        return self.size[0]

    def text(self, x: int, y: int, value: object, size: int, *, bold: bool = False, width: float | None = None,
             fill: int = 0) -> str:
        """Draw one line of text with its top-left at (x, y), cleaned and, given width, cut with an ellipsis to
        fit; returns what was drawn."""
        text = clean(value)
        face = font_for(text, size, bold)
        if width is not None:
            text = fit(text, face, width)
        if text:
            self.pen.text((x, y), text, font=face, fill=fill)
            self.runs.append(Run(text, x, y + face.getmetrics()[0], size, face.getlength(text)))
        return text

    def text_box(self, x: int, y: int, value: object, size: int, *, bold: bool = False) -> tuple[int, int, int, int]:
        """The box the ink of a text would cover at (x, y)."""
        text = clean(value)
        return self.pen.textbbox((x, y), text, font=font_for(text, size, bold))

    def barcode(self, data: str, x: int, y: int, height: int, width: int, *, right: bool = False) -> code128.Barcode:
        """A Code 128 barcode of whole dots at most width dots wide (quiet zones included), its left quiet
        zone at x, or its right one ending at x when right. Raises BarcodeError, BarcodeTooWide."""
        barcode = code128.fit(data, self.dpi, width)
        code128.draw(self.image, barcode, x - barcode.width if right else x, y, height)
        return barcode


def _hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode(codes: dict[str, int]) -> bytes:
    """The CMap that tells a reader which character each two-byte code stands for."""
    pairs = sorted((code, ch) for ch, code in codes.items())
    chunks = [pairs[i:i + 100] for i in range(0, len(pairs), 100)]  # at most 100 entries per block
    body = "".join(f"{len(chunk)} beginbfchar\n" + "".join(f"<{code:04X}> <{_hex(ch)}>\n" for code, ch in chunk)
                   + "endbfchar\n" for chunk in chunks)
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + body
            + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode()


def _stream(head: str, data: bytes) -> bytes:
    return f"<< {head} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def _text_layer(page: Page, codes: dict[str, int], scale: float, height: float) -> str:
    """Invisible text (3 Tr) where each run was drawn, stretched (Tz) to its drawn width: every code is
    one em wide in the font (/DW 1000)."""
    out = []
    for run in page.runs:
        points = run.size * scale
        stretch = 100 * run.width / (len(run.text) * run.size)
        hexed = "".join(f"{codes[ch]:04X}" for ch in run.text)
        out.append(f"BT 3 Tr /T {_number(points)} Tf {_number(stretch)} Tz 1 0 0 1 {_number(run.x * scale)} "
                   f"{_number(height - run.baseline * scale)} Tm <{hexed}> Tj ET")
    return "\n".join(out)


def to_pdf(pages: list[Page], title: str = "") -> bytes:
    """All pages in one PDF, each image at 100 % on a page of its size, with the text layer."""
    codes: dict[str, int] = {}
    for page in pages:
        for run in page.runs:
            for ch in run.text:
                codes.setdefault(ch, len(codes) + 1)  # code 0 is .notdef
    safe_title = "".join(ch for ch in clean(title) if " " <= ch <= "~" and ch not in "()\\")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the pages have numbers
        b"<< /Type /Font /Subtype /Type0 /BaseFont /KioskText /Encoding /Identity-H "
        b"/DescendantFonts [4 0 R] /ToUnicode 6 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /KioskText /CIDToGIDMap /Identity "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R "
        b"/DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /KioskText /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "
        b"/Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>",
        _stream("", _to_unicode(codes)),
        f"<< /Title ({safe_title}) /Producer (workshop-kiosk labels) >>".encode(),
    ]
    kids = []
    for page in pages:
        scale = POINTS_PER_INCH / page.dpi
        width, height = page.image.width * scale, page.image.height * scale
        first = len(objects) + 1
        kids.append(f"{first} 0 R")
        pixels = zlib.compress(page.image.convert("1").tobytes(), 6)
        content = (f"q {_number(width)} 0 0 {_number(height)} 0 0 cm /Page Do Q\n"
                   + _text_layer(page, codes, scale, height)).encode()
        objects += [
            (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_number(width)} {_number(height)}] "
             f"/Resources << /XObject << /Page {first + 1} 0 R >> /Font << /T 3 0 R >> >> "
             f"/Contents {first + 2} 0 R >>").encode(),
            _stream(f"/Type /XObject /Subtype /Image /Width {page.image.width} /Height {page.image.height} "
                    f"/ColorSpace /DeviceGray /BitsPerComponent 1 /Interpolate false /Filter /FlateDecode", pixels),
            _stream("/Filter /FlateDecode", zlib.compress(content, 6)),
        ]
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode()
    return pdf_file(objects, info=7)


def print_pdf(printer: CupsPrinter, data: bytes, title: str, media: str = "A4") -> str:
    """Send a document's PDF to a CUPS queue, on its media at 100 %; returns the CUPS job id.
    A paused queue is refused unless the printer says when_paused = "hold". Raises PrintError."""
    printer.check_ready("document")
    options = ["-o", f"media={printer.media or media}", "-o", "print-scaling=none"]
    for name, value in printer.options:
        options += ["-o", f"{name}={value}"]
    return printer.lp(data, title, options)
