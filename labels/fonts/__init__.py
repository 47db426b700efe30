"""Fonts for labels: Noto Sans CJK SC cut to GB2312 ships in this folder, so Chinese prints on any machine.

Text with characters the shipped font lacks is drawn with a fallback: the font named by
configure_fallback() or KIOSK_LABEL_FONT, else Debian's full Noto Sans CJK if installed.
Fonts are loaded once per size.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from PIL import ImageFont

from ..errors import LabelError

HERE = Path(__file__).resolve().parent
REGULAR = HERE / "NotoSansCJKsc-Regular-subset.otf"
BOLD = HERE / "NotoSansCJKsc-Bold-subset.otf"
ENV_FALLBACK = "KIOSK_LABEL_FONT"
# Index 2 of Debian's Noto Sans CJK collection is the Simplified Chinese face.
SYSTEM_FALLBACKS = (("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
                    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
                    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0))

_configured: tuple[str, int] | None = None


def configure_fallback(path: str | os.PathLike | None, index: int = 0) -> None:
    """Use this font file (index: face in a .ttc) for characters the shipped font lacks; None: default."""
    global _configured
    if path is not None:
        try:
            ImageFont.truetype(str(path), 12, index=index)
        except OSError as exc:
            raise LabelError(f"Cannot use label font {path}: {exc}.") from None
    _configured = (str(path), index) if path is not None else None
    fallback.cache_clear()


@functools.lru_cache(maxsize=1)
def fallback() -> tuple[str, int] | None:
    """The font file for characters the shipped font lacks, or None."""
    if _configured:
        return _configured
    named = os.environ.get(ENV_FALLBACK, "")
    candidates = ([(named, 0)] if named else []) + list(SYSTEM_FALLBACKS)
    return next(((p, i) for p, i in candidates if p and os.path.isfile(p)), None)


@functools.lru_cache(maxsize=4)
def coverage(path: Path) -> frozenset[str]:
    """The characters a shipped font has (listed beside it by make_subset.py)."""
    try:
        return frozenset(path.with_suffix(".chars").read_text(encoding="utf-8"))
    except OSError:
        return frozenset()


@functools.lru_cache(maxsize=128)
def load(path: str, size: int, index: int = 0) -> ImageFont.FreeTypeFont:
    # Basic layout: CJK and Latin need no shaping, and it is several times faster than raqm.
    return ImageFont.truetype(path, size, index=index, layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=4)
def _shipped(path: Path) -> bool:
    return path.is_file()


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The shipped font at size pixels (the fallback, or Pillow's own, if the package lost it)."""
    path = BOLD if bold else REGULAR
    if _shipped(path):
        return load(str(path), size)
    if bold:
        return font(size)
    other = fallback()
    return load(other[0], size, other[1]) if other else ImageFont.load_default(size)


def font_for(text: str, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The font that draws all of text: bold if it has every character, else regular, else the fallback."""
    if bold and set(text) <= coverage(BOLD):
        return font(size, bold=True)
    if set(text) <= coverage(REGULAR):
        return font(size)
    other = fallback()
    return load(other[0], size, other[1]) if other else font(size)


def has_cjk() -> bool:
    """Can labels print Chinese (GB2312) on this machine?"""
    return ("刹" in coverage(REGULAR) and REGULAR.is_file()) or fallback() is not None
