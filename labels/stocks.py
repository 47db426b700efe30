"""Label stocks as configuration: size, the resolutions they print at, and whether the VIN is shortened."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stock:
    name: str
    width_mm: float
    height_mm: float | None  # None: continuous roll, the label is as long as its content
    dpis: tuple[int, ...]
    small: bool = False  # small stock prints the last 8 characters of the VIN

    def width_dots(self, dpi: int) -> int:
        # Brother QL 62 mm prints 696 dots at 300 dpi: its printable width, not 62 mm exactly.
        if self.name.startswith("brother-62") and dpi == 300:
            return 696
        return round(self.width_mm / 25.4 * dpi)

    def height_dots(self, dpi: int) -> int | None:
        if self.height_mm is None:
            return None
        if self.name == "brother-62x29" and dpi == 300:
            return 271
        return round(self.height_mm / 25.4 * dpi)


STOCKS: dict[str, Stock] = {
    "brother-62": Stock("brother-62", 62, None, (300,)),
    "brother-62x29": Stock("brother-62x29", 62, 29, (300,), small=True),
    "2x1in": Stock("2x1in", 50.8, 25.4, (203, 300), small=True),
    "4x2in": Stock("4x2in", 101.6, 50.8, (203, 300)),
}


def stock_from_config(name: str, values: dict) -> Stock:
    """A stock defined in the settings file: {width_mm, height_mm (omit for continuous), dpis, small}."""
    try:
        return Stock(name, float(values["width_mm"]),
                     float(values["height_mm"]) if values.get("height_mm") else None,
                     tuple(int(d) for d in values.get("dpis", (203, 300))), bool(values.get("small", False)))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"Label stock {name!r} needs width_mm and whole-number dpis: {exc}") from None
