"""The CJK font of stamped dates, seals and the evidence report (see `kiosk.fonts`)."""
from __future__ import annotations

from pathlib import Path

from kiosk.fonts import REPORTLAB_FONT_NAME as FONT_NAME
from kiosk.fonts import register_reportlab_font as register_cjk_font
from kiosk.fonts import require_cjk_font


def find_cjk_font() -> Path:
    """Path of a CJK TrueType font, or a UserFacingError telling the technician what to install."""
    return require_cjk_font("生成签名文书")


__all__ = ["FONT_NAME", "find_cjk_font", "register_cjk_font"]
