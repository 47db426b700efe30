"""Fonts for labels: a CJK-capable font so Chinese part descriptions print, loaded once per size.

Debian's fonts-noto-cjk (Noto Sans CJK) is the one we depend on; KIOSK_LABEL_FONT or the
`label_font` setting names another. Without any, Latin text still prints with Pillow's own font.
"""

from __future__ import annotations

import functools
import os

from PIL import ImageFont

CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)


def font_path() -> str | None:
    chosen = os.environ.get("KIOSK_LABEL_FONT")
    if chosen and os.path.exists(chosen):
        return chosen
    return next((p for p in CANDIDATES if os.path.exists(p)), None)


def has_cjk() -> bool:
    path = font_path() or ""
    return "CJK" in path or "wqy" in path or "Droid" in path


@functools.lru_cache(maxsize=64)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = font_path()
    if path:
        # index 2 of Noto Sans CJK .ttc is Simplified Chinese (SC) glyph shapes.
        index = 2 if path.endswith("NotoSansCJK-Bold.ttc") or path.endswith("NotoSansCJK-Regular.ttc") else 0
        return ImageFont.truetype(path, size, index=index)
    return ImageFont.load_default(size)
