"""Every label decodes back to its tag number with a real barcode reader, on every stock and resolution."""

import io

import pytest
import zxingcpp
from PIL import Image

from labels import STOCKS, LabelData
from labels.code128 import QUIET_MODULES, BarcodeTooWide, modules, paint
from labels.render import ELLIPSIS, fit, render, save, to_pdf, to_png
from labels.fonts import font, has_cjk

CASES = [
    LabelData("W0000001"),
    LabelData("9900000123", repair_order="RO000042", part_number="9912345678", causal=True),
    LabelData("W1234567", repair_order="RO123456", repair_date="2026-11-23", vin="LSVAU2180N2183294",
              mileage=123456, technician="王芳 Wang Fang", part_number="VW000123",
              description="Front brake pad set 前刹车片 " * 5, causal=True, labour_operation="BR1001",
              complaint="刹车异响 noise when braking\x07\x1b[31m", manufacturer="VW", dealer_code="D0001"),
]
ALL = [(stock, dpi) for stock in STOCKS.values() for dpi in stock.dpis]


def decode(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]


@pytest.mark.parametrize("stock, dpi", ALL, ids=[f"{s.name}@{d}" for s, d in ALL])
@pytest.mark.parametrize("label", CASES, ids=["plain", "leading-99", "long-chinese"])
def test_every_stock_and_resolution_decodes_to_the_tag_number(stock, dpi, label):
    image = render(label, stock, dpi)
    assert image.mode == "1" and image.info["dpi"] == (dpi, dpi)
    assert image.width == stock.width_dots(dpi)
    if stock.height_mm:
        assert image.height == stock.height_dots(dpi)
    assert decode(image) == [label.tag_number]


@pytest.mark.parametrize("data", ["W0000001", "9912345678", "99", "990", "ABC-99-x", "1234567"])
@pytest.mark.parametrize("dots", [2, 3, 4])
def test_every_bar_and_space_is_a_whole_number_of_module_dots(data, dots):
    pattern = modules(data)
    image = paint(pattern, dots, 10)
    row = [image.getpixel((x, 5)) for x in range(image.width)]
    runs, start = [], 0
    for x in range(1, len(row) + 1):
        if x == len(row) or row[x] != row[start]:
            runs.append((row[start], x - start))
            start = x
    assert runs[0][0] != 0 and runs[-1][0] != 0  # white quiet zones at both ends
    assert runs[0][1] >= QUIET_MODULES * dots and runs[-1][1] >= QUIET_MODULES * dots
    assert all(length % dots == 0 for _, length in runs)
    rebuilt = "".join(("0" if colour else "1") * (length // dots) for colour, length in runs[1:-1])
    assert rebuilt == pattern
    assert decode(image.resize((image.width, 60))) == [data]


def test_python_barcodes_leading_99_bug_is_worked_around():
    from barcode.codex import Code128
    assert modules("9912345678") != Code128("9912345678").build()[0]  # the library alone drops the 99
    assert decode(paint(modules("9912345678"), 3, 80)) == ["9912345678"]


def test_long_text_is_cut_with_an_ellipsis_never_past_the_edge():
    face = font(30)
    cut = fit("Front brake pad set 前刹车片 " * 10, face, 300)
    assert cut.endswith(ELLIPSIS) and face.getlength(cut) <= 300
    assert fit("short", face, 300) == "short"
    assert fit("\x00\x1b[31mred", face, 300) == "[31mred"


def test_a_tag_too_long_for_the_stock_is_refused_not_shrunk():
    with pytest.raises(BarcodeTooWide):
        render(LabelData("W" + "A1B2C3D4E5" * 4), STOCKS["2x1in"], 203)


def test_chinese_needs_and_has_a_cjk_font():
    if not has_cjk():
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    face = font(40)
    assert face.getbbox("刹")[2] > face.getbbox(".")[2]  # a real glyph, not an empty box


def test_png_is_one_bit_with_its_dpi_and_pdf_is_the_label_size(tmp_path):
    image = render(CASES[1], STOCKS["brother-62x29"], 300)
    png = Image.open(io.BytesIO(to_png(image)))
    assert png.mode == "1" and round(png.info["dpi"][0]) == 300
    pdf = to_pdf(image)
    assert b"/MediaBox [ 0 0 167.04 65.04 ]" in pdf  # 696 x 271 dots at 300 dpi, in points
    assert save(image, tmp_path / "x.pdf").stat().st_size == len(pdf)
    with pytest.raises(ValueError, match="png or .pdf"):
        save(image, tmp_path / "x.jpg")
