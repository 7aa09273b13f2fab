"""One PDF page to pixels, off the GUI thread, with poppler's `pdftoppm`.

The signing screen needs the page with the signature place; poppler is already a system
dependency (its `pdfsig` checks the signed PDFs), and rendering in a subprocess keeps a
large page from ever stalling the GUI.

The page comes back as raw RGB (poppler's PPM), not PNG: decoding a 2100×3000 PNG with
`QImage.loadFromData` takes 75–160 ms and holds the GIL all along (PySide does not release
it), which stalled the GUI thread wherever the decode ran. Raw rows wrap into a `QImage`
without decoding (bench/README.md, GUI stalls).
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import UserFacingError


@dataclass(frozen=True)
class PageImage:
    """A rendered page: `height` rows of `width` packed RGB888 pixels."""

    width: int
    height: int
    rgb: bytes


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Every page's size in PDF points, from one parse of the file."""
    from pypdf import PdfReader

    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(io.BytesIO(pdf)).pages]


def read_ppm(data: bytes) -> PageImage:
    """Binary PPM (P6, maxval 255) as poppler writes it; anything else is refused."""
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 4:
        while pos < len(data) and data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":  # a comment runs to the end of its line
            pos = data.find(b"\n", pos) + 1 or len(data)
            continue
        end = pos
        while end < len(data) and not data[end:end + 1].isspace():
            end += 1
        if end == pos:
            break
        fields.append(data[pos:end])
        pos = end
    pos += 1  # the single whitespace byte after maxval
    try:
        magic, width, height, maxval = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    except (IndexError, ValueError):
        raise ValueError("not a PPM image") from None
    size = width * height * 3
    if magic != b"P6" or maxval != 255 or width <= 0 or height <= 0 or len(data) - pos < size:
        raise ValueError(f"unexpected PPM: {magic!r} {width}x{height} maxval {maxval}, {len(data) - pos} bytes")
    return PageImage(width, height, data[pos:pos + size])


def render_page(pdf: bytes, page: int, dpi: int = 96) -> PageImage:
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise UserFacingError("无法显示文书，请联系技术人员安装 poppler-utils", detail="pdftoppm not found",
                              code="no_poppler")
    with tempfile.TemporaryDirectory(prefix="bdc-page-") as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        out = Path(tmp) / "page"
        try:
            subprocess.run([exe, "-f", str(page), "-l", str(page), "-r", str(dpi), "-singlefile",
                            str(src), str(out)], check=True, capture_output=True, timeout=30)
            return read_ppm(out.with_suffix(".ppm").read_bytes())
        except (subprocess.SubprocessError, OSError, ValueError) as exc:
            raise UserFacingError("文书无法显示，请联系窗口工作人员", detail=f"pdftoppm: {exc}",
                                  code="bad_pdf") from None
