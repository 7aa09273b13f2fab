"""A signature pad that replays strokes, and a generator of handwriting-like strokes.

`synth_signature` gives the demo and the tests a signature with the shape of real pad data:
a few strokes per character, 200 Hz samples bunched where the pen slows down (minimum-jerk
velocity), pressure rising and falling within 0.3–0.9, pauses between strokes, 2–4 s in all.
The pad replays them as a real pad reports: pen-down samples, a pen-up sample at the end
of each stroke, then the CONFIRM button.
"""
from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Iterator

import numpy as np

from devices.base import DeviceDisconnected, DeviceInfo, DeviceState, Health, PadEvent, PenPoint, SignaturePad
from devices.texts import QT_TRANSLATE_NOOP

_RATE_HZ = 200.0


def _catmull_rom(points: np.ndarray, samples: int) -> np.ndarray:
    """A smooth curve through `points` (k, 2), sampled uniformly in its parameter."""
    p = np.vstack([points[0], points, points[-1]])
    segs = len(points) - 1
    u = np.linspace(0.0, segs, samples, endpoint=True)
    i = np.minimum(u.astype(int), segs - 1)
    t = (u - i)[:, None]
    p0, p1, p2, p3 = p[i], p[i + 1], p[i + 2], p[i + 3]
    return 0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
                  + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3)


def synth_signature(text_seed: str, rng_seed: int) -> list[list[PenPoint]]:
    """Strokes (normalised 0..1, t from 0 s) that look handwritten; same seeds, same strokes."""
    rng = np.random.default_rng([zlib.crc32(text_seed.encode("utf-8")), rng_seed & 0xFFFFFFFF])
    n_chars = min(4, max(2, len(text_seed.strip()) or 3))
    cell_w = 0.84 / n_chars
    slant = rng.uniform(-0.05, 0.05)
    shapes: list[np.ndarray] = []
    for c in range(n_chars):
        x0 = 0.08 + c * cell_w
        for _ in range(int(rng.integers(1, 4))):
            k = int(rng.integers(3, 7))
            xs = x0 + cell_w * np.sort(rng.uniform(0.05, 0.95, k)) if rng.random() < 0.6 else \
                x0 + cell_w * rng.uniform(0.05, 0.95, k)
            ys = rng.uniform(0.22, 0.78, k) + slant * (xs - 0.5)
            shapes.append(np.column_stack([xs, ys]))
    lengths = [float(np.sum(np.hypot(*np.diff(s, axis=0).T))) + 0.02 for s in shapes]
    gaps = rng.uniform(0.08, 0.25, len(shapes) - 1)
    total = rng.uniform(2.2, 3.8)
    ink_time = max(0.5, total - float(gaps.sum()))
    durations = [max(0.08, ink_time * (ln / sum(lengths))) for ln in lengths]
    strokes: list[list[PenPoint]] = []
    t_start = 0.0
    for idx, (shape, dur) in enumerate(zip(shapes, durations, strict=True)):
        n = max(4, int(round(dur * _RATE_HZ)))
        tau = np.linspace(0.0, 1.0, n)
        progress = 10 * tau**3 - 15 * tau**4 + 6 * tau**5  # minimum-jerk: slow start and end
        curve = _catmull_rom(shape, 400)
        at = np.clip((progress * (len(curve) - 1)).round().astype(int), 0, len(curve) - 1)
        xy = curve[at] + rng.normal(0, 0.0006, (n, 2))
        xy = np.clip(xy, 0.02, 0.98)
        phase = rng.uniform(0, 2 * np.pi)
        pressure = 0.3 + 0.45 * np.sin(np.pi * tau) ** 0.6 + 0.12 * np.sin(2 * np.pi * 2.5 * tau + phase)
        pressure = np.clip(pressure, 0.3, 0.9)
        times = t_start + tau * dur
        strokes.append([PenPoint(x=float(x), y=float(y), t=float(t), pressure=float(p))
                        for (x, y), t, p in zip(xy, times, pressure, strict=True)])
        t_start += dur + (float(gaps[idx]) if idx < len(gaps) else 0.0)
    return strokes


class SimulatedSignaturePad(SignaturePad):
    """Replays strokes (t relative to the start of signing), then presses CONFIRM."""

    width_mm = 108.0
    height_mm = 65.0

    def __init__(self, strokes: list[list[PenPoint]] | None = None, realtime: bool = False,
                 *, name: str = QT_TRANSLATE_NOOP("kiosk", "模拟签字板")) -> None:
        self.strokes = strokes if strokes is not None else synth_signature("签名", 0)
        self.realtime = realtime
        self.info = DeviceInfo(kind="signpad", name=name, adapter="sim", simulated=True)
        self._open = False
        self._unplugged = threading.Event()
        self.shown: np.ndarray | None = None
        self.clears = 0
        self.signings = 0

    def set_strokes(self, strokes: list[list[PenPoint]]) -> None:
        """What the next signing will replay."""
        self.strokes = strokes

    def disconnect(self) -> None:
        """Pull the pad's cable: a signing in progress ends with `DeviceDisconnected`."""
        self._unplugged.set()

    def reconnect(self) -> None:
        self._unplugged.clear()

    def _check_plugged(self) -> None:
        if self._unplugged.is_set():
            raise DeviceDisconnected(QT_TRANSLATE_NOOP("kiosk", "签字板已断开，请检查连接线"), detail="simulated unplug", fix=QT_TRANSLATE_NOOP("kiosk", "重新插好签字板USB线"))

    def open(self) -> None:
        self._check_plugged()
        self._open = True

    def points(self, stop: threading.Event) -> Iterator[PenPoint | PadEvent]:
        self._check_plugged()
        start = time.monotonic()
        self.signings += 1
        for stroke in self.strokes:
            for p in stroke:
                if self.realtime:
                    wait = start + p.t - time.monotonic()
                    if wait > 0 and stop.wait(wait):
                        return
                self._check_plugged()
                if stop.is_set():
                    return
                yield PenPoint(p.x, p.y, start + p.t, p.pressure, True, p.tilt_x, p.tilt_y)
            if stroke:
                last = stroke[-1]
                yield PenPoint(last.x, last.y, start + last.t + 1.0 / _RATE_HZ, 0.0, False)
        if not stop.is_set():
            yield PadEvent.CONFIRM

    def show_image(self, rgb: np.ndarray) -> None:
        self.shown = np.asarray(rgb).copy()

    def clear(self) -> None:
        self.clears += 1

    def close(self) -> None:
        self._open = False

    def health(self) -> Health:
        if self._unplugged.is_set():
            return Health(DeviceState.DISCONNECTED, QT_TRANSLATE_NOOP("kiosk", "签字板已断开，请检查连接线"), QT_TRANSLATE_NOOP("kiosk", "重新插好签字板USB线"))
        return Health(DeviceState.OPEN if self._open else DeviceState.CLOSED,
                      counters={"signings": self.signings})
