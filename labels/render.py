"""Drawing a warranty-tag label: barcode of whole dots, the tag's facts, a clear CAUSAL mark; PNG and PDF."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from PIL import Image, ImageDraw

from . import code128
from .data import LabelData
from .fonts import font
from .stocks import Stock

ELLIPSIS = "…"


def printable(text: str) -> str:
    """Control characters never reach the printer."""
    return "".join(ch for ch in str(text) if unicodedata.category(ch)[0] != "C").strip()


def fit(text: str, face, width: int) -> str:
    """The text, cut with an ellipsis where it would run past width dots."""
    text = printable(text)
    if face.getlength(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if face.getlength(text[:mid] + ELLIPSIS) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + ELLIPSIS


def _lines(label: LabelData, small: bool) -> list[str]:
    vin = label.vin[-8:] if small else label.vin
    lines = [f"{label.repair_order}  {label.repair_date}  {label.mileage:,} km",
             f"VIN {vin}  {label.technician}",
             f"{label.part_number} ×{label.quantity}  {label.description}"]
    if not small:
        lines.append(f"Op {label.labour_operation}  {label.manufacturer}  {label.dealer_code}")
        lines.append(label.complaint)
    return lines


def render(label: LabelData, stock: Stock, dpi: int) -> Image.Image:
    """The label as a 1-bit image at the printer's resolution (image.info['dpi'] is set)."""
    if dpi not in stock.dpis:
        raise ValueError(f"Stock {stock.name} prints at {', '.join(map(str, stock.dpis))} dpi, not {dpi}")
    width = stock.width_dots(dpi)
    margin = max(4, round(dpi / 25.4 * 1.5))
    pattern = code128.modules(printable(label.tag_number))
    # The quiet zones may run into the side margins: blank paper either way.
    dots = code128.module_dots(pattern, dpi, width)
    fixed_height = stock.height_dots(dpi)
    small = stock.small
    bar_height = round(dpi / 25.4 * (7 if small else 12))
    big = font(round(dpi / 25.4 * (3.2 if small else 4.2)))
    text = font(round(dpi / 25.4 * (2.3 if small else 2.8)))
    line_gap = round(text.size * 1.15)
    lines = _lines(label, small)
    height = fixed_height or margin * 2 + bar_height + big.size + 6 + line_gap * len(lines)
    image = Image.new("1", (width, height), 1)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"  # no grey pixels on a thermal printer

    bars = code128.paint(pattern, dots, bar_height)
    image.paste(bars, ((width - bars.width) // 2, margin))
    y = margin + bar_height + 2
    tag_text = printable(label.tag_number)
    draw.text((margin, y), tag_text, font=big, fill=0)
    if label.causal:
        mark = "CAUSAL"
        left, top, right, bottom = draw.textbbox((0, 0), mark, font=big)
        pad = max(3, dpi // 100)
        x = width - margin - (right - left) - 2 * pad
        draw.rectangle([x, y + top - pad, width - margin, y + bottom + pad], fill=0)
        draw.text((x + pad - left, y), mark, font=big, fill=1)
        tag_right = x - pad
    else:
        tag_right = width - margin
    if big.getlength(tag_text) > tag_right - margin:
        raise code128.BarcodeTooWide("the tag number does not fit beside the CAUSAL mark")
    y += big.size + 6
    for line in lines:
        if y + text.size > height - margin // 2:
            break  # never draw past the label's edge
        draw.text((margin, y), fit(line, text, width - 2 * margin), font=text, fill=0)
        y += line_gap
    image.info["dpi"] = (dpi, dpi)
    return image


def to_png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=image.info.get("dpi", (300, 300)), optimize=False)
    return buffer.getvalue()


def to_pdf(image: Image.Image) -> bytes:
    """One page exactly the label's size, the image at its own resolution."""
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=float(image.info.get("dpi", (300, 300))[0]))
    return buffer.getvalue()


def save(image: Image.Image, path: str | Path) -> Path:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".pdf"):
        raise ValueError(f"Label files are .png or .pdf, not {suffix or 'no extension'}")
    path.write_bytes(to_png(image) if suffix == ".png" else to_pdf(image))
    return path
