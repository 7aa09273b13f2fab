"""Pen data: stroke splitting, quantisation, the two export formats, the quality checks."""
from __future__ import annotations

import json
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.base import PenPoint
from kiosk.errors import UserFacingError
from kiosk.signing import PenData, check_signature
from kiosk.signing.pen import MAGIC, points_from_strokes
from kiosk.signing.sample_pen import handwriting_points


def _pen(seed: int = 2) -> PenData:
    return PenData.from_points(handwriting_points(seed), "sim-pad", 150.0, 75.0)


def test_strokes_split_on_pen_up_and_hover_carries_no_ink() -> None:
    pts = [PenPoint(0.1, 0.1, 10.0, 0.5), PenPoint(0.2, 0.1, 10.01, 0.5),
           PenPoint(0.2, 0.1, 10.02, 0.0, down=False), PenPoint(0.5, 0.5, 10.03, 0.0, down=False),
           PenPoint(0.3, 0.3, 10.05, 0.7), PenPoint(0.4, 0.3, 10.06, 0.7)]
    pen = PenData.from_points(pts, "pad", 100, 50)
    assert len(pen.strokes) == 2 and pen.point_count == 4
    s0, s1 = pen.strokes
    assert (s0.samples[0].x, s0.samples[0].y, s0.samples[0].t) == (10.0, 5.0, 0)
    assert s1.samples[0].t == 50 and s1.samples[1].x == 40.0


def test_out_of_range_values_are_clamped_and_time_is_monotonic() -> None:
    pts = [PenPoint(-0.2, 1.3, 1.0, 1.7, tilt_x=120), PenPoint(0.5, 0.5, 0.999, 0.5)]
    pen = PenData.from_points(pts, "pad", 100, 50)
    a, b = pen.strokes[0].samples
    assert (a.x, a.y, a.pressure, a.tilt_x) == (0.0, 50.0, 1.0, 90.0)
    assert b.t >= a.t


def test_json_and_binary_round_trip_exactly() -> None:
    pen = _pen()
    assert PenData.from_json(pen.to_json()) == pen
    assert PenData.from_bin(pen.to_bin()) == pen
    assert pen.to_bin() == PenData.from_json(pen.to_json()).to_bin()


def test_binary_layout_is_what_the_docstring_says() -> None:
    pen = PenData.from_points(points_from_strokes([[(0.1, 0.2), (0.3, 0.4)]]), "板", 100.0, 50.0)
    b = pen.to_bin()
    assert b[:8] == MAGIC
    (n,) = struct.unpack(">H", b[8:10])
    assert b[10:10 + n].decode() == "板"
    off = 10 + n
    w, h, ns, npts = struct.unpack(">ffHI", b[off:off + 14])
    assert (w, h, ns, npts) == (100.0, 50.0, 1, 2)
    x, y, t, f, tx, ty, flags = struct.unpack(">IIIHhhB", b[off + 14:off + 33])
    assert (x, y, t, f, flags) == (1000, 1000, 0, 6000, 3)
    assert len(b) == off + 14 + 2 * 19


def test_json_names_channels() -> None:
    d = json.loads(_pen().to_json())
    assert d["channels"] == ["X", "Y", "T", "F", "TX", "TY"]
    assert "19794-7" in d["format"]
    assert {c["name"] for c in d["channel_info"]} >= {"X", "Y", "T", "F", "S"}


@pytest.mark.parametrize("blob", [b"", b"BDCPEN01", MAGIC + b"\x00\x00" + b"\x00" * 5, b"xx"])
def test_broken_binary_is_a_user_facing_error(blob: bytes) -> None:
    with pytest.raises(UserFacingError):
        PenData.from_bin(blob)


def test_good_signature_passes() -> None:
    assert check_signature(_pen()) == []


def test_empty_signature() -> None:
    problems = check_signature(PenData.from_points([], "pad", 100, 50))
    assert len(problems) == 1 and "没有检测到签名" in problems[0]


def test_tiny_signature_is_too_small() -> None:
    tiny = [[(0.5 + i * 0.0008, 0.5 + (i % 3) * 0.0005) for i in range(30)] for _ in range(3)]
    problems = check_signature(PenData.from_points(points_from_strokes(tiny), "pad", 100, 50))
    assert any("太小" in p for p in problems)


def test_a_dot_has_too_few_points_and_is_too_short() -> None:
    problems = check_signature(PenData.from_points(points_from_strokes([[(0.5, 0.5), (0.6, 0.5)]]), "pad", 100, 50))
    assert any("笔迹太少" in p for p in problems) and any("过短" in p for p in problems)


def test_one_quick_line_has_too_few_strokes() -> None:
    line = [[(0.1 + i * 0.02, 0.5) for i in range(40)]]
    problems = check_signature(PenData.from_points(points_from_strokes(line), "pad", 100, 50))
    assert any("笔画太少" in p for p in problems)


def test_writing_area_must_be_positive() -> None:
    with pytest.raises(ValueError):
        PenData.from_points([], "pad", 0, 50)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-0.5, 1.5), st.floats(-0.5, 1.5), st.floats(0, 0.05), st.floats(-1, 2),
                          st.booleans(), st.floats(-100, 100), st.floats(-100, 100)), max_size=80),
       st.floats(10, 1200), st.floats(10, 800))
def test_any_input_round_trips_through_both_formats(raw: list[tuple], w: float, h: float) -> None:
    t = 0.0
    pts = []
    for x, y, dt, p, down, tx, ty in raw:
        t += dt
        pts.append(PenPoint(x, y, t, p, down, tx, ty))
    pen = PenData.from_points(pts, "pad", w, h)
    assert PenData.from_bin(pen.to_bin()) == pen
    assert PenData.from_json(pen.to_json()) == pen
    assert all(0 <= s.x <= pen.width_mm and 0 <= s.y <= pen.height_mm for k in pen.strokes for s in k.samples)
