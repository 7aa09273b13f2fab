"""Stroke → ink geometry: the one renderer behind both the printed signature and the screen.

The approach of signature_pad (Szymon Nowak): each new sample gives a cubic Bézier segment
through the middle points (control points from neighbouring chords), the ink width falls
with pen speed (`max_w / (1 + k·v)`, velocity low-pass filtered) and, where the pad reports
it, grows with pressure; the width is eased along the segment (t³) so it changes smoothly.

The output is plain geometry — polygons in millimetres of the writing area, meant to be
filled together with the non-zero rule (union) — so Qt (`ui/widgets/signature_canvas.py`)
and Pillow (`render.py`) paint exactly the same shapes: what the applicant sees on the
canvas is what is stamped on the document.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kiosk.signing.pen import PenData, Sample, Stroke

Point = tuple[float, float]
Polygon = list[Point]


@dataclass(frozen=True)
class InkStyle:
    min_width_mm: float = 0.35
    max_width_mm: float = 1.3
    velocity_filter: float = 0.7      # weight of the newest velocity (signature_pad: 0.7)
    velocity_scale: float = 12.0      # ms/mm: how fast speed thins the line
    pressure_weight: float = 0.5      # 0 ignores pressure; pressure 0.5 leaves the width as is
    min_distance_mm: float = 0.25     # closer samples are skipped (jitter)
    step_mm: float = 0.7              # sampling of each Bézier segment (capsules interpolate between)
    cap_vertices: int = 8             # vertices per half circle of a capsule


DEFAULT_INK = InkStyle()
_MAX_STEPS_PER_SEGMENT = 256  # 179 mm at the default step; consecutive pad samples are < 5 mm apart


@dataclass(frozen=True)
class _P:
    x: float
    y: float
    t: int
    p: float


def _control_points(s1: _P, s2: _P, s3: _P) -> tuple[Point, Point]:
    dx1, dy1 = s1.x - s2.x, s1.y - s2.y
    dx2, dy2 = s2.x - s3.x, s2.y - s3.y
    m1 = ((s1.x + s2.x) / 2.0, (s1.y + s2.y) / 2.0)
    m2 = ((s2.x + s3.x) / 2.0, (s2.y + s3.y) / 2.0)
    l1, l2 = math.hypot(dx1, dy1), math.hypot(dx2, dy2)
    k = l2 / (l1 + l2) if (l1 + l2) > 0 else 0.0
    cm = (m2[0] + (m1[0] - m2[0]) * k, m2[1] + (m1[1] - m2[1]) * k)
    tx, ty = s2.x - cm[0], s2.y - cm[1]
    return (m1[0] + tx, m1[1] + ty), (m2[0] + tx, m2[1] + ty)


def _bezier(p0: Point, c1: Point, c2: Point, p1: Point, t: float) -> Point:
    u = 1.0 - t
    a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
    return (a * p0[0] + b * c1[0] + c * c2[0] + d * p1[0], a * p0[1] + b * c1[1] + c * c2[1] + d * p1[1])


def _capsule(x0: float, y0: float, r0: float, x1: float, y1: float, r1: float, n: int) -> Polygon:
    """A convex outline around two discs: half circle at each end joined by straight sides."""
    ang = math.atan2(y1 - y0, x1 - x0)
    poly: Polygon = []
    for i in range(n + 1):
        a = ang + math.pi / 2 + math.pi * i / n
        poly.append((x0 + r0 * math.cos(a), y0 + r0 * math.sin(a)))
    for i in range(n + 1):
        a = ang - math.pi / 2 + math.pi * i / n
        poly.append((x1 + r1 * math.cos(a), y1 + r1 * math.sin(a)))
    return poly


def stroke_centreline(samples: Sequence[Sample], style: InkStyle = DEFAULT_INK) -> list[tuple[float, float, float]]:
    """(x, y, width) along the smoothed stroke, in mm; the spine the polygons are built around."""
    pts: list[_P] = []
    for s in samples:
        if pts and math.hypot(s.x - pts[-1].x, s.y - pts[-1].y) < style.min_distance_mm:
            continue
        pts.append(_P(s.x, s.y, s.t, s.pressure))
    if not pts:
        return []
    mid_w = (style.min_width_mm + style.max_width_mm) / 2.0

    def pressure_factor(p: float) -> float:
        return max(0.2, 1.0 + style.pressure_weight * (p - 0.5) * 2.0)

    if len(pts) == 1:
        return [(pts[0].x, pts[0].y, mid_w * pressure_factor(pts[0].p))]
    # signature_pad duplicates the first point so the first segment starts at the pen-down;
    # we also duplicate the last so the final segment reaches the pen-up.
    seq = [pts[0], *pts, pts[-1]]
    last_v, last_w = 0.0, mid_w * pressure_factor(pts[0].p)
    out: list[tuple[float, float, float]] = [(pts[0].x, pts[0].y, last_w)]
    for i in range(len(seq) - 3):
        a, b, c, d = seq[i], seq[i + 1], seq[i + 2], seq[i + 3]
        dt = max(c.t - b.t, 1)
        v_raw = math.hypot(c.x - b.x, c.y - b.y) / dt
        v = style.velocity_filter * v_raw + (1 - style.velocity_filter) * last_v
        w = max(style.max_width_mm / (1.0 + style.velocity_scale * v), style.min_width_mm) * pressure_factor(c.p)
        c1 = _control_points(a, b, c)[1]
        c2 = _control_points(b, c, d)[0]
        chord = math.hypot(c.x - b.x, c.y - b.y) + 1e-9
        # capped: a pen that jumps metres between two samples (a broken or hostile pad) must not
        # make rendering take minutes; real writing never comes near the cap
        steps = max(1, min(int(math.ceil(chord / style.step_mm)), _MAX_STEPS_PER_SEGMENT))
        for k in range(1, steps + 1):
            t = k / steps
            x, y = _bezier((b.x, b.y), c1, c2, (c.x, c.y), t)
            out.append((x, y, last_w + (t ** 3) * (w - last_w)))
        last_v, last_w = v, w
    return out


_POLYGONS_PER_CHUNK = 256


def stroke_polygons(samples: Sequence[Sample], style: InkStyle = DEFAULT_INK) -> list[Polygon]:
    """Polygons (mm) whose union is the inked stroke: one capsule per spine segment."""
    spine = stroke_centreline(samples, style)
    n = style.cap_vertices
    if not spine:
        return []
    if len(spine) == 1:
        x, y, w = spine[0]
        return [_capsule(x, y, w / 2, x, y, w / 2, n)]
    sp = np.asarray(spine, dtype=np.float64)
    x0, y0, r0 = sp[:-1, 0], sp[:-1, 1], sp[:-1, 2] / 2
    x1, y1, r1 = sp[1:, 0], sp[1:, 1], sp[1:, 2] / 2
    ang = np.arctan2(y1 - y0, x1 - x0)[:, None]
    k = np.pi * np.arange(n + 1) / n
    back, front = ang + np.pi / 2 + k, ang - np.pi / 2 + k       # (segments, n+1)
    xs = np.concatenate([x0[:, None] + r0[:, None] * np.cos(back), x1[:, None] + r1[:, None] * np.cos(front)], axis=1)
    ys = np.concatenate([y0[:, None] + r0[:, None] * np.sin(back), y1[:, None] + r1[:, None] * np.sin(front)], axis=1)
    pts = np.stack([xs, ys], axis=2)
    out: list[Polygon] = []
    # in chunks: one `tolist()` of a whole signature's vertices is a single C call that holds
    # the GIL for tens of milliseconds (the GUI thread waits that long); between chunks it can run
    for i in range(0, len(pts), _POLYGONS_PER_CHUNK):
        out += [[(p[0], p[1]) for p in poly] for poly in pts[i:i + _POLYGONS_PER_CHUNK].tolist()]
    return out


def ink_polygons(strokes: Sequence[Stroke] | PenData, style: InkStyle = DEFAULT_INK) -> list[Polygon]:
    """Polygons (mm) of a whole signature."""
    items = strokes.strokes if isinstance(strokes, PenData) else strokes
    out: list[Polygon] = []
    for s in items:
        out += stroke_polygons(s.samples, style)
    return out


def polygons_bbox(polys: Sequence[Polygon]) -> tuple[float, float, float, float]:
    xs = [x for p in polys for x, _ in p]
    ys = [y for p in polys for _, y in p]
    if not xs:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(xs), min(ys), max(xs), max(ys))


def fit_transform(bbox: tuple[float, float, float, float], width: float, height: float,
                  margin: float = 0.04) -> tuple[float, float, float]:
    """(scale, dx, dy) mapping mm → target units so the bbox fits centred, aspect kept."""
    x0, y0, x1, y1 = bbox
    bw, bh = max(x1 - x0, 1e-6), max(y1 - y0, 1e-6)
    avail_w, avail_h = width * (1 - 2 * margin), height * (1 - 2 * margin)
    scale = min(avail_w / bw, avail_h / bh)
    dx = (width - bw * scale) / 2.0 - x0 * scale
    dy = (height - bh * scale) / 2.0 - y0 * scale
    return scale, dx, dy


def transform_polygons(polys: Sequence[Polygon], scale: float, dx: float, dy: float) -> list[Polygon]:
    return [[(x * scale + dx, y * scale + dy) for x, y in p] for p in polys]
