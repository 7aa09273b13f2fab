"""Ink geometry and the PNG renderer: transparency, fit, speed and pressure shaping the line."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image

from kiosk.signing import PenData, render_signature_png
from kiosk.signing.ink import fit_transform, ink_polygons, polygons_bbox, stroke_centreline
from kiosk.signing.pen import Sample, Stroke, points_from_strokes
from kiosk.signing.sample_pen import handwriting_points


def _alpha(png: bytes) -> np.ndarray:
    img = Image.open(io.BytesIO(png))
    assert img.mode == "RGBA"
    return np.asarray(img)[:, :, 3]


def test_png_is_transparent_with_ink_and_records_dpi() -> None:
    pen = PenData.from_points(handwriting_points(4), "pad", 150, 75)
    png = render_signature_png(pen, 600, 240, dpi=300)
    img = Image.open(io.BytesIO(png))
    assert img.size == (600, 240)
    assert round(img.info["dpi"][0]) == 300
    a = _alpha(png)
    assert a[0, 0] == 0 and a[-1, -1] == 0
    inked = (a > 128).mean()
    assert 0.01 < inked < 0.3
    assert len(np.unique(a)) > 10  # anti-aliased edges, not a binary mask


def test_aspect_is_kept_and_ink_is_centred() -> None:
    # an L whose ink box is 4:1 wide, rendered into a square: the ink must stay 4:1
    pen = PenData.from_points(points_from_strokes([[(0.1 + i * 0.01, 0.5) for i in range(81)],
                                                   [(0.1, 0.4 + i * 0.01) for i in range(21)]]), "pad", 100, 100)
    a = _alpha(render_signature_png(pen, 400, 400))
    ys, xs = np.nonzero(a > 128)
    w, h = xs.max() - xs.min(), ys.max() - ys.min()
    assert 3.2 < w / h < 4.8
    assert abs((xs.max() + xs.min()) / 2 - 200) < 6 and abs((ys.max() + ys.min()) / 2 - 200) < 6


def _line(speed_mm_per_ms: float, pressure: float) -> list[Sample]:
    return [Sample(10 + i * 1.0, 20.0, int(i / speed_mm_per_ms), pressure) for i in range(60)]


def test_faster_writing_draws_thinner_ink() -> None:
    slow = np.median([w for _, _, w in stroke_centreline(_line(0.02, 0.5))])
    fast = np.median([w for _, _, w in stroke_centreline(_line(0.3, 0.5))])
    assert fast < slow * 0.6


def test_more_pressure_draws_wider_ink() -> None:
    light = np.median([w for _, _, w in stroke_centreline(_line(0.05, 0.2))])
    heavy = np.median([w for _, _, w in stroke_centreline(_line(0.05, 0.9))])
    assert heavy > light * 1.4


def test_polygons_cover_the_stroke_end_to_end() -> None:
    samples = _line(0.05, 0.5)
    polys = ink_polygons([Stroke(tuple(samples))])
    x0, y0, x1, y1 = polygons_bbox(polys)
    assert x0 < 10.0 and x1 > 69.0          # reaches both pen-down and pen-up
    assert 19.0 < y0 < 20.0 < y1 < 21.0


def test_fit_transform_maps_box_into_target() -> None:
    s, dx, dy = fit_transform((10, 10, 30, 20), 200, 100, margin=0.0)
    assert (10 * s + dx, 30 * s + dx) == (0.0, 200.0)
    assert abs((10 * s + dy) - 0.0) < 1e-9 and abs((20 * s + dy) - 100.0) < 1e-9
