"""PNG and PDF files: 1-bit with the resolution in it, and a PDF page of the label's physical size that
rasterizes back dot for dot."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess

import pytest
from PIL import Image, ImageChops

from labels import STOCKS, FormatError
from labels.render import render, save, to_pdf, to_png

from .conftest import read_barcodes

ALL = [(stock, dpi) for stock in STOCKS.values() for dpi in stock.dpis]
IDS = [f"{s.name}@{d}" for s, d in ALL]
POINTS = 72 / 25.4


@pytest.mark.parametrize("stock, dpi", ALL, ids=IDS)
def test_png_is_one_bit_and_carries_its_dpi(stock, dpi, full_label):
    data = to_png(render(full_label, stock, dpi))
    width, height, bit_depth, colour_type = struct.unpack(">IIBB", data[16:26])
    assert (bit_depth, colour_type) == (1, 0)  # 1-bit greyscale in the file itself
    png = Image.open(io.BytesIO(data))
    assert png.mode == "1" and round(png.info["dpi"][0]) == dpi and round(png.info["dpi"][1]) == dpi
    assert read_barcodes(png) == [full_label.tag_number]


def media_box(pdf: bytes) -> tuple[float, float]:
    found = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    return float(found.group(1)), float(found.group(2))


@pytest.mark.parametrize("stock, dpi", ALL, ids=IDS)
def test_pdf_page_is_the_physical_label(stock, dpi, full_label):
    image = render(full_label, stock, dpi)
    width, height = media_box(to_pdf(image))
    assert width == pytest.approx(stock.width_mm * POINTS, abs=0.01)
    expected = stock.height_mm if stock.height_mm else image.height / dpi * 25.4
    assert height == pytest.approx(expected * POINTS, abs=0.01)


def test_brother_62x29_is_a_62_by_29_mm_page_for_pdfinfo_too(full_label, tmp_path):
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo missing (apt-get install poppler-utils)")
    path = save(render(full_label, STOCKS["brother-62x29"], 300), tmp_path / "label.pdf")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (round(width / POINTS, 1), round(height / POINTS, 1)) == (62.0, 29.0)


@pytest.mark.parametrize("stock, dpi", ALL, ids=IDS)
def test_pdf_rasterized_at_the_printer_resolution_is_the_label_dot_for_dot(stock, dpi, full_label, tmp_path):
    # Ghostscript is what cups-pdf and many CUPS drivers use; poppler's image scaler moves some edges by a dot.
    if not shutil.which("gs"):
        pytest.skip("Ghostscript missing (apt-get install ghostscript; printer-driver-cups-pdf brings it)")
    image = render(full_label, stock, dpi)
    (tmp_path / "label.pdf").write_bytes(to_pdf(image))
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pngmono", f"-r{dpi}", "-o",
                    str(tmp_path / "page.png"), str(tmp_path / "label.pdf")], check=True)
    page = Image.open(tmp_path / "page.png").convert("L")
    # Centred on the physical label at whole dots: Brother's 696 x 271 printable area on 62 x 29 mm.
    label_w, label_h = (mm / 25.4 * dpi for mm in image.info["label_mm"])
    left, top = int((label_w - image.width) // 2), int((label_h - image.height) // 2)
    crop = page.crop((left, top, left + image.width, top + image.height))
    assert ImageChops.difference(crop, image.convert("L")).getbbox() is None
    assert read_barcodes(page) == [full_label.tag_number]


def test_save_chooses_the_format_by_extension(full_label, tmp_path):
    image = render(full_label, STOCKS["2x1in"], 203)
    assert save(image, tmp_path / "a.PNG").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert save(image, tmp_path / "a.pdf").read_bytes()[:5] == b"%PDF-"
    for bad in ("a.jpg", "a"):
        with pytest.raises(FormatError, match=r"\.png or \.pdf"):
            save(image, tmp_path / bad)
    with pytest.raises(ValueError):  # FormatError is a ValueError, as callers catch it
        to_png(Image.new("1", (10, 10)))
