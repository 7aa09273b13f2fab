"""The burned-in watermark of a dual recording: date-time to the second, kiosk, case, role.

The watermark is evidence that a recording belongs to one session at one place and time, so it
is drawn into the pixels rather than stored as metadata that a player can hide. It runs at the
capture rate (25 fps) on the encoder thread, so the static part (kiosk id, case number, role)
is rendered once and the clock is re-rendered only when its second changes; per frame only an
alpha blend of two small strips remains. No raw ID number may appear: a field that looks like
one is refused.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from kiosk.errors import UserFacingError
from kiosk.fonts import find_cjk_font
from kiosk.texts import QT_TRANSLATE_NOOP

# 15 or 18 digit citizen numbers (old and new format), also with a trailing X.
_ID_LIKE = re.compile(r"(?<![0-9])(\d{17}[0-9Xx]|\d{15})(?![0-9])")


def _load_font(px: int) -> ImageFont.FreeTypeFont:
    path = find_cjk_font()
    if path is None:
        raise UserFacingError(
            QT_TRANSLATE_NOOP("kiosk", "系统缺少中文字体，无法生成录像水印，请联系技术人员安装字体（fonts-wqy-zenhei）。"),
            detail="no CJK font found in known paths nor via fc-match", code="no_cjk_font")
    return ImageFont.truetype(str(path), px)


def _strip(text: str, font: ImageFont.FreeTypeFont, pad: int) -> np.ndarray:
    """RGBA strip: white text with a dark outline on a translucent dark box (legible on any scene)."""
    left, top, right, bottom = font.getbbox(text, stroke_width=1)
    w, h = int(right - left) + 2 * pad, int(bottom - top) + 2 * pad
    img = Image.new("RGBA", (max(w, 1), max(h, 1)), (0, 0, 0, 110))
    ImageDraw.Draw(img).text((pad - left, pad - top), text, font=font, fill=(255, 255, 255, 255),
                             stroke_width=1, stroke_fill=(0, 0, 0, 255))
    return np.asarray(img, dtype=np.uint8)


def _blend(dst: np.ndarray, rgba: np.ndarray, x: int, y: int) -> None:
    """Alpha-blend `rgba` into `dst` (RGB, in place) at (x, y), clipped to the frame."""
    h = min(rgba.shape[0], dst.shape[0] - y)
    w = min(rgba.shape[1], dst.shape[1] - x)
    if h <= 0 or w <= 0:
        return
    src = rgba[:h, :w]
    a = src[..., 3:4].astype(np.uint16)
    region = dst[y:y + h, x:x + w]
    region[...] = ((src[..., :3].astype(np.uint16) * a + region.astype(np.uint16) * (255 - a) + 127) // 255
                   ).astype(np.uint8)


@dataclass
class Watermark:
    """What is burned into every frame of one party's recording.

    `role_label` is the party's role as shown to people (义务人, 权利人…). Names and ID numbers
    are deliberately not fields: the recording identifies the person by face and voice, the
    watermark ties it to the case.
    """

    kiosk_id: str
    case_no: str
    role_label: str
    _font_px: int = field(default=0, repr=False)
    _font: ImageFont.FreeTypeFont | None = field(default=None, repr=False)
    _static: np.ndarray | None = field(default=None, repr=False)
    _clock: np.ndarray | None = field(default=None, repr=False)
    _clock_second: int | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for name in ("kiosk_id", "case_no", "role_label"):
            value = str(getattr(self, name) or "")
            if _ID_LIKE.search(value):
                raise UserFacingError(
                    QT_TRANSLATE_NOOP("kiosk", "录像水印中不能出现身份证号，请联系技术人员。"),
                    detail=f"watermark field {name} looks like an ID number", code="watermark_id_number")
            setattr(self, name, value.strip())

    @property
    def static_text(self) -> str:
        return f"终端 {self.kiosk_id}  受理号 {self.case_no}  {self.role_label}"

    @staticmethod
    def clock_text(wall_time: float) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(wall_time))

    def _prepare(self, height: int) -> None:
        px = max(12, round(height / 26))
        if px != self._font_px or self._static is None:
            self._font_px = px
            font = _load_font(px)
            self._font = font
            self._static = _strip(self.static_text, font, max(2, px // 4))
            self._clock = None
            self._clock_second = None

    def apply(self, image: np.ndarray, wall_time: float) -> None:
        """Draw the watermark into `image` (RGB uint8, modified in place) for `wall_time`.

        The clock strip sits top-left, the static strip bottom-left, away from the face which
        the camera frames in the centre.
        """
        height = image.shape[0]
        self._prepare(height)
        second = int(wall_time)
        if second != self._clock_second or self._clock is None:
            assert self._font is not None
            self._clock = _strip(self.clock_text(wall_time), self._font, max(2, self._font_px // 4))
            self._clock_second = second
        margin = max(4, height // 60)
        assert self._static is not None
        _blend(image, self._clock, margin, margin)
        _blend(image, self._static, margin, height - margin - self._static.shape[0])
