"""Code 128 as whole printer dots: python-barcode chooses the symbols, every module is painted as N dots.

python-barcode 0.16.1 drops a leading "99": its start-code optimiser folds "START C + switch" into
one start code, and tests the first data value against {99, 100, 101}. In set C the value 99 is
the digit pair "99", not a switch (set C's switches are 100 and 101), so "9912345678" became
"12345678" (python-barcode issue #251). The subclass below folds only real switches, and every
pattern is decoded back here before it is used, so a wrong encoding can never reach a label.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from barcode.charsets import code128 as charset
from barcode.codex import Code128
from PIL import ImageDraw

from .errors import BarcodeError, BarcodeTooWide

QUIET_MODULES = 10
# About 10 mil: the narrowest module general-purpose scanners read reliably off a thermal label.
MIN_MODULE_MM = 0.25
# About 15 mil: wider still reads, but only takes room from the text.
MAX_MODULE_MM = 0.38

START_A, START_B, START_C = 103, 104, 105
SWITCH_TO_A, SWITCH_TO_B = 101, 100  # as seen from set C
STOP = charset.STOP + "11"  # python-barcode keeps the final 2-module bar apart
_VALUES = {pattern: value for value, pattern in enumerate(charset.CODES)}


class _Code128(Code128):
    def _try_to_optimize(self, encoded: list[int]) -> list[int]:
        if encoded[0] == START_C and len(encoded) > 1 and encoded[1] in (SWITCH_TO_A, SWITCH_TO_B):
            encoded[:2] = [charset.TO[encoded[1]]]
        return encoded


def modules(data: str) -> str:
    """The bar pattern of data, '1' for a bar module and '0' for a space, without quiet zones."""
    if not data:
        raise BarcodeError("A barcode needs a tag number; this one is empty.")
    bad = sorted({ch for ch in data if not " " <= ch <= "~"})
    if bad:
        raise BarcodeError(f"Tag number {data!r} has characters a Code 128 label cannot carry: "
                           f"{' '.join(repr(c) for c in bad)}; use letters, digits and - . / only.")
    pattern = _Code128(data).build()[0]
    read = decode(pattern)
    if read != data:
        raise BarcodeError(f"The barcode for {data!r} would read {read!r}; not printing a wrong label.")
    return pattern


def decode(pattern: str) -> str:
    """Read a module pattern back (sets A, B and C): the check that the encoder said what we meant."""
    body, stop = pattern[:-len(STOP)], pattern[-len(STOP):]
    if stop != STOP or len(body) % 11:
        raise BarcodeError("Not a Code 128 pattern: bad stop or length.")
    try:
        values = [_VALUES[body[i:i + 11]] for i in range(0, len(body), 11)]
    except KeyError:
        raise BarcodeError("Not a Code 128 pattern: unknown symbol.") from None
    if len(values) < 2 or values[0] not in (START_A, START_B, START_C):
        raise BarcodeError("Not a Code 128 pattern: no start code.")
    *symbols, check = values
    if (symbols[0] + sum(i * v for i, v in enumerate(symbols[1:], start=1))) % 103 != check:
        raise BarcodeError("Not a Code 128 pattern: wrong check symbol.")
    code_set, out = "ABC"[symbols[0] - START_A], []
    for value in symbols[1:]:
        if code_set == "C" and value < 100:
            out.append(f"{value:02d}")
        elif code_set != "C" and value < 96:
            out.append(chr(value + 32) if code_set == "B" or value < 64 else chr(value - 64))
        elif value == 99 and code_set != "C":
            code_set = "C"
        elif value == 100 and code_set != "B":
            code_set = "B"
        elif value == 101 and code_set != "A":
            code_set = "A"
        else:
            raise BarcodeError(f"Code 128 function code {value} in set {code_set} is not used on labels.")
    return "".join(out)


def module_widths(dpi: int) -> tuple[int, ...]:
    """Whole dots per module that this resolution can print, widest first (203 dpi: 3, 2; 300 dpi: 4, 3)."""
    narrowest = math.ceil(MIN_MODULE_MM / 25.4 * dpi - 0.01)
    widest = max(narrowest, math.floor(MAX_MODULE_MM / 25.4 * dpi))
    return tuple(range(widest, narrowest - 1, -1))


@dataclass(frozen=True)
class Barcode:
    """A barcode laid out in dots: `width` includes the quiet zones."""

    data: str
    pattern: str
    module: int  # dots per module
    quiet: int = QUIET_MODULES  # modules of blank each side

    @property
    def width(self) -> int:
        return (len(self.pattern) + 2 * self.quiet) * self.module


def fit(data: str, dpi: int, width: int) -> Barcode:
    """The barcode at the widest module that fits width dots, quiet zones included; never narrower
    than what scans: BarcodeTooWide instead."""
    pattern = modules(data)
    choices = module_widths(dpi)
    total = len(pattern) + 2 * QUIET_MODULES
    for module in choices:
        if total * module <= width:
            return Barcode(data, pattern, module)
    narrowest = choices[-1]
    raise BarcodeTooWide(
        f"Tag number {data!r} is too long for this label: its barcode needs {total * narrowest} dots "
        f"({total * narrowest / dpi * 25.4:.1f} mm) at {dpi} dpi and the label has {width} "
        f"({width / dpi * 25.4:.1f} mm). Use wider label stock or a shorter tag number.")


def draw(image, barcode: Barcode, x: int, y: int, height: int) -> None:
    """Paint the bars on a 1-bit image, quiet zones starting at x: every bar exactly N whole dots."""
    pen = ImageDraw.Draw(image)
    left = x + barcode.quiet * barcode.module
    pattern, dots, start = barcode.pattern, barcode.module, None
    for i, bit in enumerate(pattern + "0"):
        if bit == "1" and start is None:
            start = i
        elif bit == "0" and start is not None:
            pen.rectangle((left + start * dots, y, left + i * dots - 1, y + height - 1), fill=0)
            start = None
