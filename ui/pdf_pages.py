"""One PDF page to a PNG, off the GUI thread, with poppler's `pdftoppm`.

The signing screen needs the page with the signature place; poppler is already a system
dependency (its `pdfsig` checks the signed PDFs), and rendering in a subprocess keeps a
large page from ever stalling the GUI.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from kiosk.errors import UserFacingError


def page_size(pdf: bytes, page: int) -> tuple[float, float]:
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(pdf)).pages[page - 1].mediabox
    return float(box.width), float(box.height)


def render_page_png(pdf: bytes, page: int, dpi: int = 96) -> tuple[bytes, tuple[float, float]]:
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise UserFacingError("无法显示文书，请联系技术人员安装 poppler-utils", detail="pdftoppm not found",
                              code="no_poppler")
    with tempfile.TemporaryDirectory(prefix="bdc-page-") as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        out = Path(tmp) / "page"
        try:
            subprocess.run([exe, "-f", str(page), "-l", str(page), "-r", str(dpi), "-png", "-singlefile",
                            str(src), str(out)], check=True, capture_output=True, timeout=30)
        except (subprocess.SubprocessError, OSError) as exc:
            raise UserFacingError("文书无法显示，请联系窗口工作人员", detail=f"pdftoppm: {exc}",
                                  code="bad_pdf") from None
        return (out.with_suffix(".png")).read_bytes(), page_size(pdf, page)
