"""Signature → transparent PNG at print resolution, painted from `ink.py`'s polygons.

Pillow has no anti-aliased polygon fill, so the polygons are filled at 4× size into a
coverage mask and box-filtered down: the union is exact (no seams where capsules overlap)
and the edges are smooth at 300 dpi.
"""
from __future__ import annotations

import io

from PIL import Image, ImageDraw

from kiosk.signing.ink import (
    DEFAULT_INK,
    InkStyle,
    fit_transform,
    ink_polygons,
    polygons_bbox,
    transform_polygons,
)
from kiosk.signing.pen import PenData

INK_RGB = (18, 24, 58)  # blue-black, like a gel pen on a paper form
_SUPERSAMPLE = 4


def render_signature_image(pen: PenData, width_px: int, height_px: int, *, style: InkStyle = DEFAULT_INK,
                           color: tuple[int, int, int] = INK_RGB, margin: float = 0.04) -> Image.Image:
    """RGBA image of the signature, scaled to fit the box (aspect kept, centred)."""
    if width_px < 1 or height_px < 1:
        raise ValueError(f"image size must be positive, got {width_px}×{height_px}")
    polys = ink_polygons(pen, style)
    ss = _SUPERSAMPLE
    mask = Image.new("L", (width_px * ss, height_px * ss), 0)
    if polys:
        scale, dx, dy = fit_transform(polygons_bbox(polys), width_px * ss, height_px * ss, margin)
        draw = ImageDraw.Draw(mask)
        for poly in transform_polygons(polys, scale, dx, dy):
            draw.polygon(poly, fill=255)
    mask = mask.resize((width_px, height_px), Image.Resampling.BOX)
    img = Image.new("RGBA", (width_px, height_px), (*color, 0))
    img.putalpha(mask)
    return img


def render_signature_png(pen: PenData, width_px: int, height_px: int, dpi: int = 300, *,
                         style: InkStyle = DEFAULT_INK, color: tuple[int, int, int] = INK_RGB) -> bytes:
    """Transparent PNG of the signature; `dpi` is recorded so print layout knows its size."""
    img = render_signature_image(pen, width_px, height_px, style=style, color=color)
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(dpi, dpi), optimize=False)
    return buf.getvalue()


def png_size_for_rect(w_pt: float, h_pt: float, dpi: int = 300) -> tuple[int, int]:
    """Pixel size of an image that fills a w×h point rectangle at `dpi`."""
    return max(1, round(w_pt / 72.0 * dpi)), max(1, round(h_pt / 72.0 * dpi))
