"""Code 128 as whole printer dots: python-barcode encodes, this module paints every module as N dots.

python-barcode 0.16.1 drops a leading "99" when the code starts in set C: its start-code optimiser
mistakes the data value 99 for the "switch to set C" code. The subclass below keeps it.
"""

from __future__ import annotations

from barcode.charsets import code128 as charset
from barcode.codex import Code128
from PIL import Image, ImageDraw

QUIET_MODULES = 10
# Dots per module, widest first: 2-3 at 203 dpi (about 10-15 mil), 3-4 at 300 dpi.
MODULE_DOTS = {203: (3, 2), 300: (4, 3)}


class BarcodeTooWide(ValueError):
    """The code does not fit the label at the narrowest module that still scans."""


class _Code128(Code128):
    def _try_to_optimize(self, encoded: list[int]) -> list[int]:
        if encoded[0] == charset.START_CODES["C"] and encoded[1] == 99:
            return encoded  # "99" is data here, not a switch to set C
        return super()._try_to_optimize(encoded)


def modules(data: str) -> str:
    """The bar pattern, '1' for a bar module and '0' for a space module, without quiet zones."""
    if not data or not data.isascii() or not data.isprintable():
        raise ValueError(f"Code 128 takes printable ASCII, not {data!r}")
    return _Code128(data).build()[0]


def module_dots(pattern: str, dpi: int, max_width: int) -> int:
    """The widest whole-dot module for which the code and its quiet zones fit max_width dots."""
    choices = MODULE_DOTS.get(dpi) or (max(2, round(dpi / 100)),)
    total = len(pattern) + 2 * QUIET_MODULES
    for dots in choices:
        if total * dots <= max_width:
            return dots
    raise BarcodeTooWide(f"{total} modules need {total * choices[-1]} dots; the label has {max_width}")


def paint(pattern: str, dots: int, height: int) -> Image.Image:
    """A 1-bit image of the code with its quiet zones: white is 1, black bars are 0."""
    width = (len(pattern) + 2 * QUIET_MODULES) * dots
    image = Image.new("1", (width, height), 1)
    draw = ImageDraw.Draw(image)
    x = QUIET_MODULES * dots
    run_start = None
    for i, bit in enumerate(pattern + "0"):
        if bit == "1" and run_start is None:
            run_start = i
        elif bit == "0" and run_start is not None:
            draw.rectangle([x + run_start * dots, 0, x + i * dots - 1, height - 1], fill=0)
            run_start = None
    return image
