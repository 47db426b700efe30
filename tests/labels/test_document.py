"""A4 documents through reportlab: the shipped CFF font made TrueType and embedded, text that pdftotext reads,
cells cut with an ellipsis, column heads on every page, barcodes that scan."""

import shutil
import subprocess

import pytest
from PIL import Image

from labels import document
from labels.fonts import BOLD
from labels.fonts.truetype import convert

from .conftest import read_barcodes

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def test_the_cff_font_converts_to_truetype_that_reportlab_embeds(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    ttf = convert(BOLD, tmp_path / "bold.ttf")
    pdfmetrics.registerFont(TTFont("ConvertedBold", str(ttf)))
    canvas = Canvas(str(tmp_path / "x.pdf"))
    canvas.setFont("ConvertedBold", 12)
    canvas.drawString(50, 700, "W0000123 LSVAU2180N2100000")
    canvas.save()
    assert "W0000123 LSVAU2180N2100000" in subprocess.run(["pdftotext", str(tmp_path / "x.pdf"), "-"],
                                                          capture_output=True, text=True).stdout


def test_a_table_over_pages_repeats_its_heads_cuts_long_cells_and_embeds_the_shipped_font(tmp_path):
    def top(pdf):
        pdf.text(pdf.left, pdf.y, "Claim list 索赔清单", 14, bold=True)
        pdf.barcode("RO000123", pdf.right, pdf.y, 30, right=True)
        pdf.page_numbers(pdf.right, pdf.y + 34)
        pdf.y += 50
        table.heads()

    pdf = document.Document("t", wide=True, on_new_page=top)
    table = document.Table.spread(pdf, ("Tag", "VIN", "Complaint"), (1, 2, 2))
    pdf.new_page()
    table.rows((f"W{i:07d}", "LSVAU2180N2100000", "刹车异响 noise when braking " * (20 if i == 3 else 1))
               for i in range(200))
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf.finish())
    pages = [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
                            capture_output=True, text=True).stdout for n in range(1, 6)]
    assert pdf.pages == 5 and all("Tag" in p and "Complaint" in p and f"Page {n} of 5" in p
                                  for n, p in enumerate(pages, start=1))
    row = next(line for line in pages[0].splitlines() if "W0000003" in line)
    assert "W0000199" in pages[-1] and row.rstrip().endswith("…") and row.count("刹车异响") >= 2
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "NotoSansCJKsc-Regular" in fonts and " yes yes yes " in fonts  # embedded, subset, with ToUnicode
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "2", "-l", "2", "-singlefile", str(path),
                    str(tmp_path / "p")], check=True)
    assert read_barcodes(Image.open(tmp_path / "p.png")) == ["RO000123"]


def test_wrap_breaks_at_spaces_and_anywhere_in_chinese_and_says_when_it_cut():
    lines = document.wrap("前轮异响" * 40 + " the end", 10, 100, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(document.text_width(line, 10) <= 100 for line in lines)
    assert document.wrap("brake noise when cold", 10, 60, 5) == ["brake noise", "when cold"]
    assert document.fit_width("x" * 10_000, 10, 50).endswith("…")
