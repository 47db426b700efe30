"""Labels on every stock and resolution read back to their tag number; text fits, Chinese prints,
control characters never crash."""

from __future__ import annotations

import dataclasses

import pytest
from PIL import Image, ImageDraw

from labels import STOCKS, LabelData, StockError, stock_from_config
from labels import fonts
from labels.render import ELLIPSIS, MARGIN_MM, layout, render
from labels.text import clean, fit

from .conftest import read_barcodes

ALL = [(stock, dpi) for stock in STOCKS.values() for dpi in stock.dpis]
IDS = [f"{s.name}@{d}" for s, d in ALL]

CASES = {
    "plain": LabelData("W0000001"),
    "leading-99": LabelData("9900000123", repair_order="RO000042", part_number="9912345678", causal=True),
    "part-99": LabelData("W0000042", part_number="99000-12345", description="99 O-ring 密封圈", quantity=12),
    "chinese": LabelData("W1234567", repair_order="RO123456", repair_date="2026-11-23", vin="LSVAU2180N2183294",
                         mileage=123456, technician="王芳", part_number="VW000123", description="前刹车片（左）",
                         causal=True, labour_operation="BR1001", complaint="刹车异响", manufacturer="一汽-大众"),
    "long": LabelData("W7654321", repair_order="RO" + "9" * 40, repair_date="2026-11-23" * 5,
                      vin="LSVAU2180N2183294" * 3, mileage=10**15, technician="Wang " * 30,
                      part_number="PN-" * 40, description="Front brake pad set 前刹车片 " * 20, quantity=10**6,
                      causal=True, labour_operation="OP" * 50, complaint="noise 异响 " * 50,
                      manufacturer="M" * 80, dealer_code="D" * 80),
    "control": LabelData("W00\x0000\x1b77", repair_order="RO\x00042\n", repair_date="2026-11-23\r\n",
                         vin="LSVAU2180N2183294\x07", technician="Wang\tFang\x1b[31m", part_number="99\x7f12",
                         description="Pads\u200b 前刹车片\x00\u2028cracked", complaint="\x1b\x1b\x1b",
                         labour_operation="\x0c", manufacturer="\ud800", dealer_code="\x1d"),
}


@pytest.mark.parametrize("stock, dpi", ALL, ids=IDS)
@pytest.mark.parametrize("name", CASES)
def test_every_stock_and_resolution_reads_back_to_the_tag_number(stock, dpi, name):
    label = CASES[name]
    image = render(label, stock, dpi)
    assert image.mode == "1" and image.info["dpi"] == (dpi, dpi)
    assert image.width == stock.width_dots(dpi)
    if stock.height_mm:
        assert image.height == stock.height_dots(dpi)
    assert read_barcodes(image) == [clean(label.tag_number)]


def test_brother_and_zebra_stocks_have_the_printers_dot_counts():
    assert (STOCKS["brother-62x29"].width_dots(300), STOCKS["brother-62x29"].height_dots(300)) == (696, 271)
    assert STOCKS["brother-62"].width_dots(300) == 696 and STOCKS["brother-62"].height_dots(300) is None
    assert (STOCKS["2x1in"].width_dots(203), STOCKS["2x1in"].height_dots(203)) == (406, 203)
    assert (STOCKS["4x2in"].width_dots(300), STOCKS["4x2in"].height_dots(300)) == (1200, 600)
    with pytest.raises(StockError, match="203 or 300 dpi, not 600"):
        render(CASES["plain"], STOCKS["2x1in"], 600)


def texts(label, stock, dpi) -> list[str]:
    return [cell.text for cell in layout(label, stock, dpi).cells]


@pytest.mark.parametrize("stock, dpi", ALL, ids=IDS)
def test_long_text_is_cut_with_an_ellipsis_and_never_leaves_the_label(stock, dpi):
    label = CASES["long"]
    plan = layout(label, stock, dpi)
    margin = round(MARGIN_MM / 25.4 * dpi)
    assert any(cell.text.endswith(ELLIPSIS) for cell in plan.cells)
    assert plan.barcode == layout(LabelData(label.tag_number), stock, dpi).barcode  # text never shrinks bars
    for cell in plan.cells:
        face = fonts.font_for(cell.text, cell.size, cell.bold)
        assert face.getlength(cell.text) <= cell.width, cell
        assert margin <= cell.x and cell.x + cell.width <= plan.width - margin, cell
        assert cell.top + cell.height <= plan.height - margin + 1, cell
    image = render(label, stock, dpi)
    # No ink in the side margins, nor in the bottom margin of die-cut stock.
    for x in [*range(margin - 1), *range(image.width - margin + 1, image.width)]:
        assert all(image.getpixel((x, y)) == 1 for y in range(image.height)), f"ink in column {x}"
    if stock.height_mm:
        for y in range(image.height - margin // 2, image.height):
            assert all(image.getpixel((x, y)) == 1 for x in range(image.width)), f"ink in row {y}"


def test_the_tag_number_itself_is_never_cut_on_any_stock():
    for stock, dpi in ALL:
        tag_cell = next(c for c in layout(CASES["long"], stock, dpi).cells if c.bold and not c.inverted)
        assert tag_cell.text == "W7654321"


def test_a_small_label_shows_the_last_8_of_the_vin_a_large_one_all_17(full_label):
    small = texts(full_label, STOCKS["brother-62x29"], 300)
    large = texts(full_label, STOCKS["4x2in"], 203)
    assert "VIN N2183294" in small and "VIN LSVAU2180N2183294" in large
    assert "CAUSAL" in small and "CAUSAL" in large
    assert {"RO000042", "2026-11-23", "ODO 123456", "P/N 9912345678 x2", "王芳 Wang Fang",
            "前刹车片 Front brake pad set"} <= set(small)
    assert {"Op BR1001", "D0001 / VW", "Complaint: 刹车异响 noise when braking"} <= set(large)


def test_not_causal_has_no_mark(full_label):
    label = dataclasses.replace(full_label, causal=False)
    assert all("CAUSAL" not in t for t in texts(label, STOCKS["2x1in"], 203))


def test_the_causal_mark_is_white_on_black(full_label):
    plan = layout(full_label, STOCKS["2x1in"], 203)
    mark = next(c for c in plan.cells if c.inverted)
    image = render(full_label, STOCKS["2x1in"], 203)
    box = image.crop((mark.x, mark.top, mark.x + mark.width, mark.top + mark.height))
    black = box.histogram()[0] / (box.width * box.height)
    assert mark.text == "CAUSAL" and black > 0.6


def test_control_characters_are_stripped_from_every_field():
    for stock, dpi in ALL:
        for text in texts(CASES["control"], stock, dpi):
            assert text.isprintable(), repr(text)
    small = texts(CASES["control"], STOCKS["brother-62x29"], 300)
    assert "W000077" in small and "Wang Fang[31m" in small and "Pads 前刹车片 cracked" in small
    assert clean("a\tb\r\nc\x00d\u200be") == "a b cde"


def test_chinese_is_drawn_with_real_glyphs_from_the_shipped_font():
    assert fonts.REGULAR.is_file() and fonts.REGULAR.stat().st_size < 3_000_000
    assert (fonts.HERE / "OFL.txt").is_file() and (fonts.HERE / "make_subset.py").is_file()
    assert fonts.has_cjk()
    text = "前刹车片左右密封圈发动机变速箱"
    assert set(text) <= fonts.coverage(fonts.REGULAR)
    face = fonts.font_for(text, 40)
    assert face.path == str(fonts.REGULAR)

    def ink(ch: str, face) -> bytes:
        image = Image.new("1", (60, 60), 1)
        ImageDraw.Draw(image).text((5, 50), ch, font=face, fill=0, anchor="ls")
        return image.tobytes()

    missing = ink("\U000e01ef", face)  # a character no font here has: drawn as the .notdef box
    glyphs = {ink(ch, face) for ch in text}
    assert len(glyphs) == len(set(text)) and missing not in glyphs


def test_characters_outside_the_shipped_font_use_the_fallback(tmp_path):
    rare = "喆"  # in GBK, not in GB2312
    assert rare not in fonts.coverage(fonts.REGULAR)
    if fonts.fallback() is None:
        pytest.skip("no system CJK font for the fallback (apt-get install fonts-noto-cjk)")
    assert fonts.font_for(f"王{rare}", 30).path == fonts.fallback()[0]
    fonts.configure_fallback(str(fonts.REGULAR))
    try:
        assert fonts.font_for(rare, 30).path == str(fonts.REGULAR)
        with pytest.raises(Exception, match="Cannot use label font"):
            fonts.configure_fallback(str(tmp_path / "nope.ttf"))
    finally:
        fonts.configure_fallback(None)


def test_fit_cuts_visibly_at_the_measured_width():
    face = fonts.font(30)
    cut = fit("Front brake pad set 前刹车片 " * 10, face, 300)
    assert cut.endswith(ELLIPSIS) and face.getlength(cut) <= 300
    assert fit("short", face, 300) == "short"
    assert fit("anything", face, 1) == ""


def test_a_stock_from_the_settings_prints_and_decodes():
    stock = stock_from_config("zebra-3x1", {"width_mm": 76.2, "height_mm": 25.4, "dpis": [203], "small": True})
    image = render(CASES["chinese"], stock, 203)
    assert image.size == (609, 203) and read_barcodes(image) == ["W1234567"]
    roll = stock_from_config("roll", {"width_mm": 62, "dpis": [300], "printable_dots": {"300": [696]}})
    assert roll.height_mm is None and render(CASES["plain"], roll, 300).width == 696
    for bad in ({}, {"width_mm": "wide", "dpis": [203]}, {"width_mm": 50}, {"width_mm": 50, "dpis": [203], "x": 1},
                {"width_mm": -5, "dpis": [203]}):
        with pytest.raises(StockError):
            stock_from_config("bad", bad)


def test_continuous_stock_is_as_long_as_its_content(full_label):
    image = render(full_label, STOCKS["brother-62"], 300)
    plan = layout(full_label, STOCKS["brother-62"], 300)
    assert image.height == plan.height and plan.cells[-1].top + plan.cells[-1].height < image.height
    assert abs(image.info["label_mm"][1] - image.height / 300 * 25.4) < 1e-9
