"""Regenerate the label fonts shipped here: Noto Sans CJK SC cut down to what a label needs.

Regular carries GB2312 (all 6,763 common hanzi) with Latin and punctuation; Bold only the Latin
side, for the tag number and the CAUSAL mark.

Run by a developer, not at run time (needs fontTools and Debian's fonts-noto-cjk):
    pip install fonttools && python labels/fonts/make_subset.py
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = Path(__file__).resolve().parent
NOTO = Path("/usr/share/fonts/opentype/noto")
SC_FACE = "Noto Sans CJK SC"  # the .ttc holds JP, KR, SC, TC, HK: Simplified Chinese glyph shapes

EXTRA_RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1: °, ×, ·, accented names
    (0x2010, 0x2027),  # dashes, quotes, the ellipsis that marks cut text
    (0x2030, 0x203A),
    (0x2103, 0x2103),  # ℃
    (0x2116, 0x2116),  # №
    (0x2160, 0x216B),  # Roman numerals, as in part descriptions
    (0x3000, 0x303F),  # CJK punctuation
    (0xFF01, 0xFF65),  # full-width forms typed by Chinese input methods
]


def gb2312() -> set[str]:
    """Every character of GB2312 (its 6,763 hanzi and the symbols around them)."""
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def latin() -> set[str]:
    chars = set()
    for first, last in EXTRA_RANGES:
        chars.update(chr(c) for c in range(first, last + 1) if not 0x3000 <= c <= 0xFFFF)
    return chars


def wanted() -> set[str]:
    chars = gb2312()
    for first, last in EXTRA_RANGES:
        chars.update(chr(c) for c in range(first, last + 1))
    return chars


def make(source: Path, weight: str, chars: set[str]) -> None:
    """Write NotoSansCJKsc-<weight>-subset.otf and, beside it, the characters it covers."""
    target = HERE / f"NotoSansCJKsc-{weight}-subset.otf"
    collection = TTCollection(str(source))
    font = next(f for f in collection.fonts if f["name"].getDebugName(4).startswith(SC_FACE))
    cmap = font.getBestCmap()
    kept = sorted(c for c in chars if ord(c) in cmap)
    options = subset.Options()
    options.notdef_outline = True  # a missing glyph prints as a visible box, not as nothing
    options.name_IDs = ["*"]  # keep the copyright and licence fields the OFL asks to keep
    options.name_languages = ["*"]
    # Labels are drawn with Pillow's basic layout, which reads no GSUB/GPOS features; dropping
    # them (vertical forms, alternates) halves the file. Hinting stays: it keeps 1-bit stems even.
    options.layout_features = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in kept])
    subsetter.subset(font)
    font.save(str(target))
    target.with_suffix(".chars").write_text("".join(kept), encoding="utf-8")
    print(f"{target.name}: {len(kept)} characters, {target.stat().st_size / 1e6:.2f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--noto", type=Path, default=NOTO, help="folder of NotoSansCJK-*.ttc")
    args = parser.parse_args()
    make(args.noto / "NotoSansCJK-Regular.ttc", "Regular", wanted())
    make(args.noto / "NotoSansCJK-Bold.ttc", "Bold", latin())


if __name__ == "__main__":
    main()
