"""Pen data of one handwritten signature: samples, strokes, quality checks and export.

Samples are stored already quantised to the resolution of the binary export (0.01 mm,
1 ms, 1/10000 pressure, 0.01° tilt), so JSON and binary round-trip to the identical
`PenData` and the bytes attached to a signed PDF are reproducible from either file.

Export follows the time-series model of ISO/IEC 19794-7 (signature/sign time series data):
a list of samples with named channels, pen-up/pen-down carried by the tip-switch channel S.
It is "19794-7 style", not a conformant 19794-7 record: the header is project-specific and
says so (`BDC-PEN/1`), because no verifier here needs the ISO container and claiming
conformance we did not test would mislead.

Channels (JSON `channels`, binary fixed order):
  X   mm, from the left edge of the pad's writing area      binary: uint32, 0.01 mm
  Y   mm, from the top edge (y grows downwards)              binary: uint32, 0.01 mm
  T   ms since the first sample of the signature             binary: uint32, 1 ms
  F   tip pressure, 0..1 of the device's full scale          binary: uint16, 1/10000
  TX  tilt along X, degrees (-90..90)                        binary: int16, 0.01°
  TY  tilt along Y, degrees (-90..90)                        binary: int16, 0.01°
  S   tip switch / stroke flags: bit0 pen down, bit1 first sample of a stroke   binary: uint8
Binary layout (big-endian, as ISO records are): magic b"BDCPEN01", u16 len + UTF-8 device,
f32 width_mm, f32 height_mm, u16 stroke count, u32 sample count, then 19-byte samples
(X and Y are 32-bit so a full-screen canvas on a large kiosk display still fits).
"""
from __future__ import annotations

import json
import math
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from devices.base import PenPoint
from kiosk.errors import UserFacingError
from kiosk.texts import QT_TRANSLATE_NOOP

FORMAT = "BDC-PEN/1 (ISO/IEC 19794-7 style time series)"
MAGIC = b"BDCPEN01"
MAX_AREA_MM = 10_000.0  # no pad or screen is 10 m wide; the binary format would hold 42 km
_SAMPLE = struct.Struct(">IIIHhhB")
CHANNELS: list[dict[str, Any]] = [
    {"name": "X", "unit": "mm", "resolution": 0.01, "origin": "left edge of writing area"},
    {"name": "Y", "unit": "mm", "resolution": 0.01, "origin": "top edge, downwards"},
    {"name": "T", "unit": "ms", "resolution": 1, "origin": "first sample"},
    {"name": "F", "unit": "fraction of full scale", "resolution": 0.0001},
    {"name": "TX", "unit": "degree", "resolution": 0.01},
    {"name": "TY", "unit": "degree", "resolution": 0.01},
    {"name": "S", "unit": "flags", "bits": {"1": "pen down", "2": "stroke start"}},
]


@dataclass(frozen=True)
class Sample:
    """One quantised pen sample: x, y in mm, t in ms, pressure 0..1, tilt in degrees."""

    x: float
    y: float
    t: int
    pressure: float
    tilt_x: float = 0.0
    tilt_y: float = 0.0

    def as_list(self) -> list[float | int]:
        return [self.x, self.y, self.t, self.pressure, self.tilt_x, self.tilt_y]


@dataclass(frozen=True)
class Stroke:
    """Samples from one pen-down to the next pen-up."""

    samples: tuple[Sample, ...]

    @property
    def duration_ms(self) -> int:
        return self.samples[-1].t - self.samples[0].t if self.samples else 0

    @property
    def length_mm(self) -> float:
        s = self.samples
        return sum(math.hypot(b.x - a.x, b.y - a.y) for a, b in zip(s, s[1:], strict=False))


def _q(v: float, step: float) -> float:
    return round(round(v / step) * step, 4)


def _clamp(v: float, lo: float, hi: float) -> float:
    return lo if not v >= lo else hi if v > hi else v  # NaN from a confused driver becomes `lo`


@dataclass(frozen=True)
class PenData:
    """A whole signature as captured: strokes on a writing area of width_mm × height_mm."""

    strokes: tuple[Stroke, ...]
    device: str
    width_mm: float
    height_mm: float
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_points(cls, points: Iterable[PenPoint], device: str, width_mm: float,
                    height_mm: float) -> PenData:
        """Build pen data from pad samples; strokes split where the pen lifts (`down=False`).

        Points outside 0..1 are clamped (pads report overshoot at the edges); hover samples
        (pen up) only end strokes, they carry no ink.
        """
        wq, hq = round(float(width_mm), 2), round(float(height_mm), 2)
        if not (0 < wq <= MAX_AREA_MM and 0 < hq <= MAX_AREA_MM):  # NaN fails too
            raise ValueError(f"writing area must be positive and at most {MAX_AREA_MM:.0f} mm, "
                             f"got {width_mm}×{height_mm} mm")
        strokes: list[Stroke] = []
        current: list[Sample] = []
        t0: float | None = None
        last_t = -1
        for p in points:
            if not p.down:
                if current:
                    strokes.append(Stroke(tuple(current)))
                    current = []
                continue
            if t0 is None:
                t0 = p.t
            t = max(int(round((p.t - t0) * 1000.0)), 0)
            t = max(t, last_t)  # monotonic even when a driver's clock jitters backwards
            last_t = t
            current.append(Sample(
                x=_q(_clamp(p.x, 0.0, 1.0) * wq, 0.01), y=_q(_clamp(p.y, 0.0, 1.0) * hq, 0.01), t=t,
                pressure=_q(_clamp(p.pressure, 0.0, 1.0), 0.0001),
                tilt_x=_q(_clamp(p.tilt_x, -90.0, 90.0), 0.01), tilt_y=_q(_clamp(p.tilt_y, -90.0, 90.0), 0.01)))
        if current:
            strokes.append(Stroke(tuple(current)))
        return cls(tuple(strokes), device, wq, hq)

    # ---------------------------------------------------------------- figures
    @property
    def point_count(self) -> int:
        return sum(len(s.samples) for s in self.strokes)

    @property
    def duration_ms(self) -> int:
        if not self.strokes:
            return 0
        return self.strokes[-1].samples[-1].t - self.strokes[0].samples[0].t

    @property
    def ink_length_mm(self) -> float:
        return sum(s.length_mm for s in self.strokes)

    def bbox(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) in mm of all samples; zeros when empty."""
        xs = [p.x for s in self.strokes for p in s.samples]
        ys = [p.y for s in self.strokes for p in s.samples]
        if not xs:
            return (0.0, 0.0, 0.0, 0.0)
        return (min(xs), min(ys), max(xs), max(ys))

    # ---------------------------------------------------------------- export
    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "device": self.device, "width_mm": self.width_mm,
                "height_mm": self.height_mm, "channels": ["X", "Y", "T", "F", "TX", "TY"],
                "channel_info": CHANNELS, "stroke_count": len(self.strokes),
                "point_count": self.point_count,
                "strokes": [[p.as_list() for p in s.samples] for s in self.strokes]}

    def to_json(self) -> bytes:
        """UTF-8 JSON, deterministic (sorted keys), one sample per `[x, y, t, f, tx, ty]`."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes | str) -> PenData:
        try:
            d = json.loads(data)
            strokes = tuple(Stroke(tuple(Sample(float(r[0]), float(r[1]), int(r[2]), float(r[3]),
                                                float(r[4]), float(r[5])) for r in s))
                            for s in d["strokes"])
            return _finite(cls(strokes, str(d["device"]), round(float(d["width_mm"]), 2),
                               round(float(d["height_mm"]), 2)))  # quantised as `from_points` does
        except (ValueError, KeyError, IndexError, TypeError, OverflowError, RecursionError) as exc:
            # OverflowError: a time of 1e400; RecursionError: arrays nested thousands deep
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "笔迹数据格式不正确"), detail=f"pen json: {type(exc).__name__}: {exc}",
                                  code="bad_pen") from None

    def to_bin(self) -> bytes:
        dev = self.device.encode("utf-8")[:65535]
        out = bytearray(MAGIC)
        out += struct.pack(">H", len(dev)) + dev
        out += struct.pack(">ffHI", self.width_mm, self.height_mm, len(self.strokes), self.point_count)
        for s in self.strokes:
            for i, p in enumerate(s.samples):
                out += _SAMPLE.pack(int(round(p.x * 100)), int(round(p.y * 100)), p.t,
                                    int(round(p.pressure * 10000)), int(round(p.tilt_x * 100)),
                                    int(round(p.tilt_y * 100)), 1 | (2 if i == 0 else 0))
        return bytes(out)

    @classmethod
    def from_bin(cls, data: bytes) -> PenData:
        try:
            return cls._decode_bin(data)
        except (ValueError, struct.error, UnicodeDecodeError) as exc:
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "笔迹数据格式不正确"), detail=f"pen bin: {exc}", code="bad_pen") from None

    @classmethod
    def _decode_bin(cls, data: bytes) -> PenData:
        if not data.startswith(MAGIC):
            raise ValueError("bad magic")
        off = len(MAGIC)
        (n,) = struct.unpack_from(">H", data, off)
        off += 2
        device = data[off:off + n].decode("utf-8")
        off += n
        w, h, n_strokes, n_points = struct.unpack_from(">ffHI", data, off)
        off += struct.calcsize(">ffHI")
        if len(data) != off + n_points * _SAMPLE.size:
            raise ValueError("length does not match sample count")
        strokes: list[list[Sample]] = []
        for i in range(n_points):
            x, y, t, f, tx, ty, flags = _SAMPLE.unpack_from(data, off + i * _SAMPLE.size)
            if flags & 2 or not strokes:
                strokes.append([])
            strokes[-1].append(Sample(x / 100, y / 100, t, f / 10000, tx / 100, ty / 100))
        if len(strokes) != n_strokes:
            raise ValueError("stroke count mismatch")
        return _finite(cls(tuple(Stroke(tuple(s)) for s in strokes), device, round(w, 2), round(h, 2)))


def _finite(pen: PenData) -> PenData:
    """`pen`, if it is what a pad could have produced: no NaN or infinity, no empty stroke, every
    value inside the binary format. Anything else would break rendering or re-export later,
    far from its cause (`from_points` guarantees all of this for live input)."""
    values = [pen.width_mm, pen.height_mm, *(v for s in pen.strokes for p in s.samples for v in p.as_list())]
    if not all(math.isfinite(v) for v in values):
        raise ValueError("NaN or infinite value in pen data")
    if not (0 < pen.width_mm <= MAX_AREA_MM and 0 < pen.height_mm <= MAX_AREA_MM):
        raise ValueError(f"writing area must be positive and at most {MAX_AREA_MM:.0f} mm, "
                         f"got {pen.width_mm}×{pen.height_mm} mm")
    if any(not s.samples for s in pen.strokes):
        raise ValueError("a stroke without samples")
    try:
        pen.to_bin()
    except (struct.error, OverflowError) as exc:
        raise ValueError(f"value outside the binary format: {exc}") from None
    return pen


@dataclass(frozen=True)
class SignatureRules:
    """Thresholds below which a signature is refused and the applicant asked to sign again."""

    min_points: int = 20
    min_strokes: int = 2
    min_extent_mm: float = 12.0   # the larger side of the ink's bounding box
    min_ink_mm: float = 25.0      # total pen travel while down
    min_duration_ms: int = 400


def check_signature(pen: PenData, rules: SignatureRules = SignatureRules()) -> list[str]:
    """Reasons, in plain Chinese, why this signature should be written again; empty when fine.

    The checks stop an empty confirm, a dot or a scribble from becoming the legal signature;
    they say nothing about who signed (that is what the recording and face check are for).
    """
    if not pen.strokes or pen.point_count == 0:
        return [QT_TRANSLATE_NOOP("kiosk", "没有检测到签名，请在签名区域内书写您的姓名后再确认")]
    problems: list[str] = []
    x0, y0, x1, y1 = pen.bbox()
    if max(x1 - x0, y1 - y0) < rules.min_extent_mm:
        problems.append(QT_TRANSLATE_NOOP("kiosk", "签名太小，请把字写大一些，重新签名"))
    if pen.point_count < rules.min_points:
        problems.append(QT_TRANSLATE_NOOP("kiosk", "笔迹太少，请用正楷完整书写姓名，重新签名"))
    elif len(pen.strokes) < rules.min_strokes:
        problems.append(QT_TRANSLATE_NOOP("kiosk", "笔画太少，请完整书写姓名，重新签名"))
    if pen.ink_length_mm < rules.min_ink_mm or pen.duration_ms < rules.min_duration_ms:
        problems.append(QT_TRANSLATE_NOOP("kiosk", "签名过短，请完整书写姓名，重新签名"))
    return problems


def points_from_strokes(strokes: Sequence[Sequence[tuple[float, float]]], *, start_t: float = 0.0,
                        dt: float = 0.012, pressure: float = 0.6) -> list[PenPoint]:
    """Pad samples for given normalised polylines, with a pen-up after each: test and demo input."""
    out: list[PenPoint] = []
    t = start_t
    for line in strokes:
        for x, y in line:
            out.append(PenPoint(x=x, y=y, t=t, pressure=pressure))
            t += dt
        if line:
            out.append(PenPoint(x=line[-1][0], y=line[-1][1], t=t, pressure=0.0, down=False))
            t += dt * 8
    return out
