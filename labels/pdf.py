"""A one-page PDF holding a 1-bit label image at its exact printer resolution, on a page of the label's size.

Written by hand (about forty lines) because the image must sit at whole-dot offsets, at 100 %, with
interpolation off: a PDF viewer or CUPS filter that smooths or rescales bars makes a label that
will not scan.
"""

from __future__ import annotations

import zlib

from PIL import Image

POINTS_PER_INCH = 72


def number(value: float) -> str:
    """A PDF number: at most four decimals, no trailing zeros."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def image_page(image: Image.Image, dpi: int, page_dots: tuple[float, float], offset: tuple[int, int],
               title: str = "") -> bytes:
    """page_dots: page size in dots of dpi; offset: the image's top-left corner, in whole dots."""
    scale = POINTS_PER_INCH / dpi
    page_w, page_h = page_dots[0] * scale, page_dots[1] * scale
    img_w, img_h = image.width * scale, image.height * scale
    x, y = offset[0] * scale, page_h - (offset[1] + image.height) * scale
    # Mode "1" bytes are rows of packed bits, 1 = white: exactly DeviceGray at 1 bit per component.
    pixels = zlib.compress(image.convert("1").tobytes(), 6)
    content = f"q {number(img_w)} 0 0 {number(img_h)} {number(x)} {number(y)} cm /Label Do Q".encode()
    safe_title = "".join(ch for ch in title if " " <= ch <= "~" and ch not in "()\\")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {number(page_w)} {number(page_h)}] "
         f"/Resources << /XObject << /Label 4 0 R >> >> /Contents 5 0 R >>").encode(),
        (f"<< /Type /XObject /Subtype /Image /Width {image.width} /Height {image.height} "
         f"/ColorSpace /DeviceGray /BitsPerComponent 1 /Interpolate false /Filter /FlateDecode "
         f"/Length {len(pixels)} >>\nstream\n").encode() + pixels + b"\nendstream",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
        f"<< /Title ({safe_title}) /Producer (workshop-kiosk labels) >>".encode(),
    ]
    return pdf_file(objects, info=len(objects))


def pdf_file(objects: list[bytes], info: int) -> bytes:
    """A PDF file of numbered objects (1 is the catalog; info: the number of the document-info object)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)
