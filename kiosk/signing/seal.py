"""Company seals (公章) for legal-person anchors.

A production kiosk is configured with each company's seal image (scanned, transparent PNG)
by credit code. `demo_seal_png` draws a recognisable stand-in — red double ring, star, the
company name along the arc, "演示专用" across — so a demo document can never be mistaken for
one stamped with a real seal.
"""
from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw, ImageFont

from kiosk.signing.fonts import find_cjk_font

SEAL_RED = (200, 20, 30)


def demo_seal_png(company: str, size_px: int = 600) -> bytes:
    ss = 2
    s = size_px * ss
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    red = (*SEAL_RED, 235)
    c = s / 2
    r = s / 2 - s * 0.02
    d.ellipse([c - r, c - r, c + r, c + r], outline=red, width=int(s * 0.035))
    d.ellipse([c - r * 0.9, c - r * 0.9, c + r * 0.9, c + r * 0.9], outline=red, width=int(s * 0.008))
    star_r = r * 0.22
    pts = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = star_r if i % 2 == 0 else star_r * 0.4
        pts.append((c + rr * math.cos(a), c + rr * math.sin(a)))
    d.polygon(pts, fill=red)
    font_path = str(find_cjk_font())
    name = company[:20] or "演示单位"
    fsize = int(s * (0.11 if len(name) <= 12 else 0.085))
    font = ImageFont.truetype(font_path, fsize, index=0)
    span = math.radians(min(250, 22 * len(name)))
    for i, ch in enumerate(name):
        a = -math.pi / 2 - span / 2 + span * (i + 0.5) / len(name)
        glyph = Image.new("RGBA", (fsize * 2, fsize * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((fsize, fsize), ch, font=font, fill=red, anchor="mm")
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.Resampling.BICUBIC)
        rr = r * 0.72
        img.alpha_composite(glyph, (int(c + rr * math.cos(a) - fsize), int(c + rr * math.sin(a) - fsize)))
    small = ImageFont.truetype(font_path, int(s * 0.075), index=0)
    d.text((c, c + r * 0.5), "演示专用", font=small, fill=red, anchor="mm")
    img = img.resize((size_px, size_px), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(300, 300))
    return buf.getvalue()
