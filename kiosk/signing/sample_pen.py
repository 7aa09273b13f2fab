"""Synthetic handwriting for the demo, the simulated pad input, the tests and the benchmark.

Strokes of Chinese characters (横, 竖, 撇, 捺, 点, 折, 钩) are laid out on a grid of two or three
characters and traversed with a minimum-jerk speed profile (slow at both ends, fast in the
middle) and a rise-and-fall pressure, sampled at 200 Hz, so the ink renderer sees the speed
and pressure variation of real writing. It is input for tests, not a model of any person.
"""
from __future__ import annotations

import math
import random

from devices.base import PenPoint

# stroke shapes in a unit character cell (x right, y down): control polylines
_SHAPES: dict[str, list[tuple[float, float]]] = {
    "heng": [(0.12, 0.5), (0.5, 0.47), (0.88, 0.45)],
    "shu": [(0.5, 0.1), (0.5, 0.5), (0.51, 0.92)],
    "pie": [(0.55, 0.15), (0.45, 0.5), (0.15, 0.88)],
    "na": [(0.45, 0.3), (0.65, 0.65), (0.92, 0.88)],
    "dian": [(0.45, 0.12), (0.55, 0.22)],
    "hengzhe": [(0.15, 0.2), (0.8, 0.18), (0.78, 0.55), (0.75, 0.88)],
    "shugou": [(0.6, 0.1), (0.6, 0.8), (0.55, 0.9), (0.45, 0.82)],
    "heng_short": [(0.25, 0.3), (0.75, 0.28)],
    "heng_low": [(0.15, 0.85), (0.85, 0.83)],
}
_CHARS = [
    ["dian", "heng", "pie", "na"],
    ["heng_short", "shu", "heng_low"],
    ["shugou", "heng", "pie", "dian"],
    ["hengzhe", "heng_short", "heng_low", "shu"],
    ["pie", "shu", "heng", "na", "dian"],
]


def _along(poly: list[tuple[float, float]], s: float) -> tuple[float, float]:
    seg = [math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in zip(poly, poly[1:], strict=False)]
    total = sum(seg) or 1e-9
    d = s * total
    for (a, b), L in zip(zip(poly, poly[1:], strict=False), seg, strict=False):
        if d <= L or b is poly[-1]:
            u = 0.0 if L == 0 else min(d / L, 1.0)
            return (a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u)
        d -= L
    return poly[-1]


def handwriting_points(seed: int = 1, chars: int = 3, *, rate_hz: float = 200.0,
                       start_t: float = 0.0) -> list[PenPoint]:
    """Pad samples (normalised 0..1) of `chars` characters; pen-up sample after each stroke."""
    rnd = random.Random(seed)
    out: list[PenPoint] = []
    t = start_t
    cell_w, cell_h = 0.8 / max(chars, 1), 0.62
    slant = rnd.uniform(0.05, 0.18)
    for c in range(chars):
        strokes = _CHARS[(seed + c * 3) % len(_CHARS)]
        ox, oy = 0.1 + c * cell_w, 0.19 + rnd.uniform(-0.03, 0.03)
        for name in strokes:
            poly = [(ox + (x + rnd.uniform(-0.04, 0.04) + (1 - y) * slant) * cell_w * 0.9,
                     oy + (y + rnd.uniform(-0.04, 0.04)) * cell_h) for x, y in _SHAPES[name]]
            length = sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in zip(poly, poly[1:], strict=False))
            duration = 0.08 + length * rnd.uniform(0.9, 1.4)   # seconds
            n = max(3, int(duration * rate_hz))
            peak = rnd.uniform(0.55, 0.85)
            for i in range(n + 1):
                tau = i / n
                s = 10 * tau**3 - 15 * tau**4 + 6 * tau**5        # minimum-jerk progress
                x, y = _along(poly, s)
                p = peak * math.sin(math.pi * min(max(tau, 0.04), 0.96)) ** 0.5
                out.append(PenPoint(x=x, y=y, t=t, pressure=p, tilt_x=rnd.uniform(-30, -20),
                                    tilt_y=rnd.uniform(20, 30)))
                t += 1.0 / rate_hz
            out.append(PenPoint(x=out[-1].x, y=out[-1].y, t=t, pressure=0.0, down=False))
            t += rnd.uniform(0.12, 0.3)
        t += rnd.uniform(0.2, 0.4)
    return out
