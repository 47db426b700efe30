"""Fixtures for the label tests: a real barcode reader, sample labels, and the real CUPS queue when there is one."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from labels import LabelData

CUPS_QUEUE = "kiosk-pdf"
# Where .ci/setup-cups.sh makes cups-pdf write the kiosk-pdf queue's PDFs.
CUPS_PDF_OUT = Path(os.environ.get("KIOSK_CUPS_PDF_OUT", "/var/spool/cups-pdf/kiosk"))


def read_barcodes(image: Image.Image) -> list[str]:
    """What a real scanner library reads off the image (zxing-cpp), every barcode found."""
    return [result.text for result in zxingcpp.read_barcodes(image.convert("L"))]


def decode_printed(pdf: Path, tmp_path: Path) -> list[str]:
    """What a scanner reads off the label a CUPS queue printed: the raster in the queue's PDF, dot for dot
    (pdfimages). Drawing the page again (pdftoppm) put the label a fraction of a dot off the grid, and zxing then read
    one scan line of the smeared bars as another valid Code 128 (once in a dozen runs of the suite)."""
    subprocess.run(["pdfimages", "-png", str(pdf), str(tmp_path / "printed")], check=True)
    return [text for image in sorted(tmp_path.glob("printed-*.png")) for text in read_barcodes(Image.open(image))]


@pytest.fixture
def decode():
    return read_barcodes


@pytest.fixture
def full_label() -> LabelData:
    """A label with every field, Chinese in it, a part number starting with 99, causal."""
    return LabelData(tag_number="W0001234", dealer_code="D0001", repair_order="RO000042", repair_date="2026-11-23",
                     vin="LSVAU2180N2183294", mileage=123456, technician="王芳 Wang Fang",
                     part_number="9912345678", description="前刹车片 Front brake pad set", quantity=2, causal=True,
                     labour_operation="BR1001", complaint="刹车异响 noise when braking", manufacturer="VW")


@pytest.fixture
def cups():
    """The real kiosk-pdf queue on a running CUPS; skipped only where CUPS itself is not installed or running."""
    missing = [tool for tool in ("lp", "lpstat", "cupsenable", "cupsdisable") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"CUPS is not installed ({', '.join(missing)} missing): apt-get install cups "
                    f"printer-driver-cups-pdf poppler-utils, then run .ci/setup-cups.sh as root")
    scheduler = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"})
    if "scheduler is running" not in scheduler.stdout:
        pytest.skip("cupsd is not running: run .ci/setup-cups.sh as root (it starts cupsd and makes kiosk-pdf)")
    for tool in ("pdftoppm", "pdfinfo"):
        assert shutil.which(tool), f"{tool} is missing: apt-get install poppler-utils"
    queue = subprocess.run(["lpstat", "-p", CUPS_QUEUE], capture_output=True, text=True)
    assert queue.returncode == 0, f"CUPS runs but has no {CUPS_QUEUE} queue: run .ci/setup-cups.sh as root"
    return CUPS_QUEUE
