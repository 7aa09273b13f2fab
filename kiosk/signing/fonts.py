"""The CJK TrueType font embedded in stamped dates and in the evidence report.

Looked up, in order: `resources/fonts/` (a font shipped with the product), then the usual
system locations of WenQuanYi Zen Hei (Debian/Kylin/UOS package `fonts-wqy-zenhei`) and of
the Windows fonts SimHei/SimSun. Only TrueType outlines work: reportlab cannot embed CFF
(OTF) fonts, so Noto CJK's .otf/.ttc files are deliberately not on the list.
"""
from __future__ import annotations

import functools
import sys
from pathlib import Path

from kiosk.errors import UserFacingError

FONT_NAME = "BdcCJK"

_RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "fonts"
_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
]


def find_cjk_font() -> Path:
    """Path of a CJK TrueType font, or a UserFacingError telling the technician what to install."""
    shipped = sorted(_RESOURCES.glob("*.tt[fc]")) if _RESOURCES.is_dir() else []
    for p in [*shipped, *(Path(c) for c in _CANDIDATES)]:
        if p.is_file():
            return p
    fix = ("apt-get install fonts-wqy-zenhei" if sys.platform.startswith("linux")
           else "把中文TrueType字体放入 resources/fonts/")
    raise UserFacingError("缺少中文字体，无法生成签名文书，请联系技术人员",
                          detail=f"no CJK TrueType font found; {fix}", code="no_font")


@functools.lru_cache(maxsize=1)
def register_cjk_font() -> str:
    """Register the CJK font with reportlab once per process; returns its reportlab name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = find_cjk_font()
    kwargs = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), **kwargs))
    return FONT_NAME
