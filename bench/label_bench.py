"""How long one warranty-tag label takes to draw, against python-barcode's own bare Code 128 render."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from labels import STOCKS, LabelData  # noqa: E402
from labels.render import render, to_png  # noqa: E402


def _label(i: int) -> LabelData:
    # A new tag number every time: nothing is served from a cache that a real label would miss.
    return LabelData(tag_number=f"W{i:07d}", dealer_code="D0001", repair_order=f"RO{i % 999999:06d}",
                     repair_date="2026-11-23", vin="LSVAU2180N2183294", mileage=40000 + i, technician="王芳 Wang Fang",
                     part_number="9912345678", description="前刹车片 Front brake pad set", quantity=1 + i % 3,
                     causal=i % 2 == 0, labour_operation="BR1001", complaint="刹车异响 noise when braking",
                     manufacturer="VW")


def _median_ms(work, runs: int) -> float:
    times = []
    for i in range(runs):
        started = time.perf_counter()
        work(i)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def bench_label_render(runs: int = 300) -> list[str]:
    import barcode
    from barcode.writer import ImageWriter

    lines = []
    for stock_name, dpi in (("brother-62x29", 300), ("2x1in", 203), ("4x2in", 300)):
        stock = STOCKS[stock_name]
        render(_label(0), stock, dpi)  # fonts load once per size, as in a running kiosk
        ms = _median_ms(lambda i, stock=stock, dpi=dpi: render(_label(i + 1), stock, dpi), runs)
        lines.append(f"label_render_ms: {ms:.1f} ms per label ({dpi} dpi, {stock_name}; median of {runs}; "
                     f"goal under 5 ms)")
    stock = STOCKS["brother-62x29"]
    png_ms = _median_ms(lambda i: to_png(render(_label(i + 1), stock, 300)), runs)
    lines.append(f"label_png_ms: {png_ms:.1f} ms per label drawn and encoded as PNG (300 dpi, brother-62x29)")
    bare_ms = _median_ms(lambda i: barcode.Code128(f"W{i:07d}", writer=ImageWriter()).render(), runs)
    lines.append(f"bare_code128_ms: {bare_ms:.1f} ms for python-barcode's own Code 128 image, default options "
                 f"(for comparison)")
    return lines


if __name__ == "__main__":
    print("\n".join(bench_label_render()))
