"""Label stocks as configuration: physical size, printable dots, resolutions, and whether the VIN is shortened.

Built-ins cover Brother QL 62 mm and Zebra-style 2 x 1 in / 4 x 2 in; the settings file can add more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .errors import StockError

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Stock:
    name: str
    width_mm: float
    height_mm: float | None  # None: continuous roll, the label is as long as its content
    dpis: tuple[int, ...]
    small: bool = False  # small stock prints the last 8 characters of the VIN and fewer lines
    # (dpi, width dots, height dots or None) where the printer's printable area is not the whole
    # label: a Brother QL prints 696 dots across 62 mm tape at 300 dpi, not 732.
    printable: tuple[tuple[int, int, int | None], ...] = ()

    def check_dpi(self, dpi: int) -> None:
        if dpi not in self.dpis:
            raise StockError(f"Label stock {self.name} prints at {_dpis(self.dpis)} dpi, not {dpi}.")

    def width_dots(self, dpi: int) -> int:
        self.check_dpi(dpi)
        for at, width, _ in self.printable:
            if at == dpi:
                return width
        return round(self.width_mm / MM_PER_INCH * dpi)

    def height_dots(self, dpi: int) -> int | None:
        """Dots down the label, or None on continuous stock."""
        self.check_dpi(dpi)
        if self.height_mm is None:
            return None
        for at, _, height in self.printable:
            if at == dpi and height:
                return height
        return round(self.height_mm / MM_PER_INCH * dpi)


def _dpis(dpis) -> str:
    return " or ".join(str(d) for d in dpis)


STOCKS: dict[str, Stock] = {
    "brother-62": Stock("brother-62", 62, None, (300,), printable=((300, 696, None),)),
    "brother-62x29": Stock("brother-62x29", 62, 29, (300,), small=True, printable=((300, 696, 271),)),
    "2x1in": Stock("2x1in", 50.8, 25.4, (203, 300), small=True),
    "4x2in": Stock("4x2in", 101.6, 50.8, (203, 300)),
}


def stock_from_config(name: str, values: Mapping) -> Stock:
    """A stock from the settings file, e.g. [label_stocks.zebra-3x1]:
    width_mm = 76.2, height_mm = 25.4 (omit for continuous), dpis = [203], small = true,
    and optionally printable_dots = {"300" = [696, 271]}."""
    if not isinstance(values, Mapping):
        raise StockError(f"Label stock {name!r} must be a table of settings, not {values!r}.")
    unknown = set(values) - {"name", "width_mm", "height_mm", "dpis", "dpi", "small", "printable_dots"}
    if unknown:
        raise StockError(f"Label stock {name!r} has unknown setting(s): {', '.join(sorted(unknown))}.")
    try:
        width = float(values["width_mm"])
        height = float(values["height_mm"]) if values.get("height_mm") else None
        raw_dpis = values.get("dpis", values.get("dpi", ()))
        dpis = tuple(int(d) for d in ([raw_dpis] if isinstance(raw_dpis, (int, str)) else raw_dpis))
        printable = tuple((int(dpi), int(dots[0]), int(dots[1]) if len(dots) > 1 and dots[1] else None)
                          for dpi, dots in dict(values.get("printable_dots", {})).items())
    except KeyError:
        raise StockError(f"Label stock {name!r} needs width_mm.") from None
    except (TypeError, ValueError, IndexError) as exc:
        raise StockError(f"Label stock {name!r}: sizes must be numbers and dpis whole numbers ({exc}).") from None
    if width <= 0 or (height is not None and height <= 0):
        raise StockError(f"Label stock {name!r} must have a positive size.")
    if not dpis or any(d < 100 or d > 1200 for d in dpis):
        raise StockError(f"Label stock {name!r} needs dpis, the printer resolutions it is used at (e.g. [203]).")
    return Stock(str(values.get("name", name)), width, height, dpis, bool(values.get("small", False)), printable)


def find_stock(stock: str | Mapping | Stock, extra: Mapping | None = None) -> Stock:
    """A stock by name (settings first, then built-ins), an inline table, or a Stock as is."""
    if isinstance(stock, Stock):
        return stock
    if isinstance(stock, Mapping):
        return stock_from_config(str(stock.get("name", "custom")), stock)
    extra = extra or {}
    if stock in extra:
        return stock_from_config(stock, extra[stock])
    if stock in STOCKS:
        return STOCKS[stock]
    known = ", ".join([*STOCKS, *extra])
    raise StockError(f"Unknown label stock {stock!r}; known stocks: {known}.")
