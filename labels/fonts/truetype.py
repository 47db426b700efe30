"""The shipped fonts with TrueType outlines, for PDF documents: reportlab embeds TrueType (glyf) fonts only, and
the Noto Sans CJK subsets shipped here are CFF-based OpenType.

The converted .ttf files ship beside the .otf (made by `python -m labels.fonts.truetype`, about ten seconds;
run it again after make_subset.py); if one is missing, it is converted once into the user's cache folder.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import LabelError

# How far the quadratic curves may stray from the cubic ones, in font units (1000 per em): invisible in print.
MAX_ERROR = 1.0


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "workshop-kiosk" / "fonts"


def convert(otf: Path, ttf: Path) -> Path:
    """Write otf's glyphs as TrueType outlines (cubic curves to quadratic) into ttf, under a temporary name."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(otf))
    order = font.getGlyphOrder()
    shapes = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(shapes)
        shapes[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for name in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                 "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, name, 0)
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    font.sfntVersion = "\000\001\000\000"
    ttf.parent.mkdir(parents=True, exist_ok=True)
    partial = ttf.with_name(ttf.name + f".{os.getpid()}.part")
    font.save(str(partial))
    os.replace(partial, ttf)
    return ttf


def truetype(otf: Path) -> Path:
    """The TrueType version of a shipped font: beside it, else from (or converted into) the cache. Raises
    LabelError when the font cannot be read or converted."""
    shipped = otf.with_suffix(".ttf")
    if shipped.is_file():
        return shipped
    digest = hashlib.sha1(otf.read_bytes()).hexdigest()[:12]
    cached = cache_dir() / f"{otf.stem}-{digest}.ttf"
    if cached.is_file():
        return cached
    try:
        return convert(otf, cached)
    except Exception as exc:  # noqa: BLE001 - fontTools raises many kinds; the message names the font
        raise LabelError(f"Cannot make a PDF font from {otf.name}: {exc}") from None


if __name__ == "__main__":
    from . import BOLD, REGULAR

    for source in (REGULAR, BOLD):
        print(convert(source, source.with_suffix(".ttf")))
