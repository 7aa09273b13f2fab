"""The one place that finds a font with Chinese glyphs.

Looked up in order: `resources/fonts/` (a font shipped with the product), the usual system
locations (Debian/Kylin/UOS `fonts-wqy-zenhei` / `fonts-wqy-microhei` / Noto CJK, Windows
SimHei/SimSun/YaHei), then `fc-match :lang=zh-cn`. PDFs need TrueType outlines — reportlab
cannot embed CFF (.otf, Noto CJK's .ttc) — so `truetype_only` skips those; Pillow (the video
watermark) and Qt take either.
"""
from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from pathlib import Path

from kiosk.errors import UserFacingError
from kiosk.texts import QT_TRANSLATE_NOOP, fmt

REPORTLAB_FONT_NAME = "BdcCJK"
RESOURCES_FONTS = Path(__file__).resolve().parents[1] / "resources" / "fonts"

_TRUETYPE = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
_OUTLINE_ANY = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)
INSTALL_HINT = ("sudo apt-get install fonts-wqy-zenhei" if sys.platform.startswith("linux")
                else "把中文 TrueType 字体（如 simhei.ttf）放入 resources/fonts/")


@functools.lru_cache(maxsize=2)
def find_cjk_font(*, truetype_only: bool = False) -> Path | None:
    """Path of a font with Chinese glyphs, or None when the system has none."""
    shipped = sorted(RESOURCES_FONTS.glob("*.tt[cf]")) if RESOURCES_FONTS.is_dir() else []
    candidates = [*shipped, *map(Path, _TRUETYPE)]
    if not truetype_only:
        shipped_otf = sorted(RESOURCES_FONTS.glob("*.otf")) if RESOURCES_FONTS.is_dir() else []
        candidates += [*shipped_otf, *map(Path, _OUTLINE_ANY)]
    for p in candidates:
        if p.is_file():
            return p
    fc = shutil.which("fc-match")
    if fc:
        try:
            out = subprocess.run([fc, "-f", "%{file}", ":lang=zh-cn"], capture_output=True, text=True,
                                 timeout=5, check=False).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            out = ""
        found = Path(out) if out else None
        if found is not None and found.is_file() and (not truetype_only or found.suffix.lower() in (".ttf", ".ttc")):
            return found
    return None


def require_cjk_font(purpose: str, *, truetype_only: bool = True) -> Path:
    """Like `find_cjk_font`, but a clear error for the technician when there is none."""
    path = find_cjk_font(truetype_only=truetype_only)
    if path is None:
        raise UserFacingError(fmt(QT_TRANSLATE_NOOP("kiosk", "缺少中文字体，无法{purpose}，请联系技术人员（{hint}）"),
                                  purpose=purpose, hint=INSTALL_HINT),
                              detail=f"no CJK TrueType font found; {INSTALL_HINT}", code="no_font")
    return path


@functools.lru_cache(maxsize=1)
def register_reportlab_font() -> str:
    """Register the CJK font with reportlab once per process; returns its reportlab name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = require_cjk_font("生成PDF文书")
    kwargs = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
    pdfmetrics.registerFont(TTFont(REPORTLAB_FONT_NAME, str(path), **kwargs))
    return REPORTLAB_FONT_NAME
