"""A camera that plays a video file, an image directory, arrays or a live actor.

It stands behind the same `Camera` interface as the OpenCV driver so that the session, the
demo and the tests run unchanged. Frames are paced at `fps` on the monotonic clock when
`realtime` (the demo, hot-plug tests); with `realtime=False` they come as fast as asked but
still carry timestamps on a regular `1/fps` timeline, so recordings made from them have the
right duration. `disconnect()`/`reconnect()` simulate a pulled cable where the OS would
report it: `open` and `read` fail with `DeviceDisconnected` until the cable is back.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Union

import cv2
import numpy as np

from devices.base import (
    Camera,
    DeviceDisconnected,
    DeviceError,
    DeviceInfo,
    DeviceState,
    DeviceUnavailable,
    Frame,
    Health,
)
from devices.simcable import SimulatedCable
from devices.texts import QT_TRANSLATE_NOOP

CameraSource = Union[str, Path, list[np.ndarray], Iterator[np.ndarray], Callable[[], np.ndarray],
                     Iterable[np.ndarray]]

_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"}


class SourceEnded(DeviceError):
    """A non-looping source has no more frames (a live camera never ends)."""


def _as_rgb(image: Any) -> np.ndarray:
    arr = np.asarray(image)
    if arr.ndim == 2:
        arr = np.repeat(arr[:, :, None], 3, axis=2)
    if arr.ndim != 3 or arr.shape[2] not in (3, 4):
        raise DeviceError(QT_TRANSLATE_NOOP("kiosk", "模拟摄像头的画面格式不对"), detail=f"expected (h, w, 3) RGB, got shape {arr.shape}")
    if arr.shape[2] == 4:
        arr = arr[:, :, :3]
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(arr)


class _Frames:
    """Restartable access to the configured source, one RGB array at a time."""

    def __init__(self, source: CameraSource) -> None:
        self._source = source
        self._video: cv2.VideoCapture | None = None
        self._files: list[Path] = []
        self._items: list[np.ndarray] | None = None
        self._index = 0
        self._iter: Iterator[Any] | None = None
        self._call: Callable[[], Any] | None = None
        self.restartable = True
        self.kind = "array"
        if isinstance(source, (str, Path)):
            path = Path(source)
            if path.is_dir():
                self._files = sorted(p for p in path.iterdir() if p.suffix.lower() in _IMAGE_SUFFIXES)
                if not self._files:
                    raise DeviceUnavailable(QT_TRANSLATE_NOOP("kiosk", "模拟摄像头的图片目录是空的"), detail=str(path))
                self.kind = "images"
            elif path.is_file():
                self.kind = "video"
                self._path = path
            else:
                raise DeviceUnavailable(QT_TRANSLATE_NOOP("kiosk", "找不到模拟摄像头的视频文件"), detail=str(path))
        elif isinstance(source, (list, tuple)):
            if not source:
                raise DeviceUnavailable(QT_TRANSLATE_NOOP("kiosk", "模拟摄像头没有画面"), detail="empty frame list")
            self._items = list(source)
        elif hasattr(source, "__next__"):
            self._iter = source  # type: ignore[assignment]
            self.restartable = False
            self.kind = "live"
        elif callable(source):
            self._call = source
            self.restartable = False
            self.kind = "live"
        elif hasattr(source, "__iter__"):
            self._iter = iter(source)
            self.restartable = False
            self.kind = "iterable"
        else:
            raise DeviceUnavailable(QT_TRANSLATE_NOOP("kiosk", "模拟摄像头的画面来源无法识别"), detail=type(source).__name__)

    def next(self) -> np.ndarray | None:
        """The next frame, or None at the end of a finite source."""
        if self.kind == "video":
            if self._video is None:
                self._video = cv2.VideoCapture(str(self._path))
                if not self._video.isOpened():
                    raise DeviceUnavailable(QT_TRANSLATE_NOOP("kiosk", "模拟摄像头的视频文件无法打开"), detail=str(self._path))
            ok, bgr = self._video.read()
            if not ok:
                return None
            return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        if self.kind == "images":
            if self._index >= len(self._files):
                return None
            path = self._files[self._index]
            self._index += 1
            img = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if img is None:
                raise DeviceError(QT_TRANSLATE_NOOP("kiosk", "模拟摄像头的图片无法读取"), detail=str(path))
            return cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        if self._items is not None:
            if self._index >= len(self._items):
                return None
            item = self._items[self._index]
            self._index += 1
            return _as_rgb(item)
        if self._call is not None:
            out = self._call()
            return None if out is None else _as_rgb(out)
        assert self._iter is not None
        try:
            return _as_rgb(next(self._iter))
        except StopIteration:
            return None

    def restart(self) -> None:
        self._index = 0
        if self._video is not None:
            self._video.release()
            self._video = None

    def close(self) -> None:
        if self._video is not None:
            self._video.release()
            self._video = None


class SimulatedCamera(SimulatedCable, Camera):
    """A `Camera` fed from a file, a directory, arrays or a live actor object."""

    def __init__(self, source: CameraSource, fps: float = 25.0, realtime: bool = True, loop: bool = True,
                 *, size: tuple[int, int] | None = None, name: str = QT_TRANSLATE_NOOP("kiosk", "模拟摄像头")) -> None:
        if fps <= 0:
            raise ValueError("fps must be > 0")
        self.fps = float(fps)
        self.realtime = realtime
        self.loop = loop
        self._size = size  # (width, height) to resize to; None keeps the source size
        self._source = source
        self._frames: _Frames | None = None
        self.width, self.height = size if size else (0, 0)
        self.info = DeviceInfo(kind="camera", name=name, adapter="sim", simulated=True,
                               path=str(source) if isinstance(source, (str, Path)) else "")
        self._lock = threading.Lock()
        self._wake = threading.Event()  # set by disconnect/close to cut a paced wait short
        self._plugged = True
        self._open = False
        self._seq = 0
        self._t0 = 0.0  # monotonic time of frame `_seq0`
        self._seq0 = 0
        self._disconnects = 0
        self._last_t = 0.0

    # ---- Camera
    def open(self) -> None:
        with self._lock:
            if not self._plugged:
                raise DeviceDisconnected(QT_TRANSLATE_NOOP("kiosk", "摄像头未连接，请检查摄像头连接线"), detail="simulated unplug",
                                         fix=QT_TRANSLATE_NOOP("kiosk", "重新插好摄像头USB线"))
            if self._frames is None:
                self._frames = _Frames(self._source)
            self._wake.clear()
            self._open = True
            now = time.monotonic()
            # a reopened stream starts its timeline now, never before the last frame given out
            self._t0 = max(now, self._last_t + 1.0 / self.fps) if self.realtime else (
                self._last_t + 1.0 / self.fps if self._seq else now)
            self._seq0 = self._seq

    def _due(self, seq: int) -> float:
        return self._t0 + (seq - self._seq0) / self.fps

    def read(self, timeout: float = 1.0) -> Frame:
        if not self._open:
            raise DeviceError(QT_TRANSLATE_NOOP("kiosk", "摄像头未打开"), detail="read() before open()")
        if not self._plugged:
            self._open = False
            raise DeviceDisconnected(QT_TRANSLATE_NOOP("kiosk", "摄像头已断开，请检查摄像头连接线"), detail="simulated unplug",
                                     fix=QT_TRANSLATE_NOOP("kiosk", "重新插好摄像头USB线"))
        due = self._due(self._seq)
        if self.realtime:
            wait = due - time.monotonic()
            if wait > timeout:
                self._wake.wait(timeout)
                raise TimeoutError("no frame within timeout")
            if wait > 0 and _paced_wait(self._wake, due):
                return self.read(timeout)  # woken by unplug/close: report that instead
        image = self._next_image()
        if self._size is not None and (image.shape[1], image.shape[0]) != self._size:
            image = cv2.resize(image, self._size, interpolation=cv2.INTER_AREA)
        self.height, self.width = image.shape[:2]
        frame = Frame(image=image, t=due, seq=self._seq)
        self._seq += 1
        self._last_t = due
        return frame

    def _next_image(self) -> np.ndarray:
        assert self._frames is not None
        image = self._frames.next()
        if image is None:
            if not (self.loop and self._frames.restartable):
                raise SourceEnded(QT_TRANSLATE_NOOP("kiosk", "模拟摄像头的画面已播放完"), detail=f"source ended after {self._seq} frames")
            self._frames.restart()
            image = self._frames.next()
            if image is None:
                raise SourceEnded(QT_TRANSLATE_NOOP("kiosk", "模拟摄像头没有画面"), detail="source yields no frame")
        return image

    def close(self) -> None:
        # the source keeps its position: a replugged camera goes on where it was
        self._open = False
        self._wake.set()

    def release(self) -> None:
        """Free the decoder of a file source (the object is not used again)."""
        self.close()
        if self._frames is not None:
            self._frames.close()
            self._frames = None

    def health(self) -> Health:
        counters: dict[str, int | float] = {"frames": self._seq, "disconnects": self._disconnects}
        if not self._plugged:
            return Health(DeviceState.DISCONNECTED, QT_TRANSLATE_NOOP("kiosk", "摄像头已断开，请检查摄像头连接线"), QT_TRANSLATE_NOOP("kiosk", "重新插好摄像头USB线"), counters)
        return Health(DeviceState.OPEN if self._open else DeviceState.CLOSED, counters=counters)


def pattern_source(width: int = 640, height: int = 480) -> Callable[[], np.ndarray]:
    """A moving colour pattern for demos without any media (a live source, never ends)."""
    count = [0]
    yy, xx = np.mgrid[0:height, 0:width]
    base = np.stack([(xx * 255 // max(1, width - 1)), (yy * 255 // max(1, height - 1)),
                     np.full_like(xx, 128)], axis=2).astype(np.uint8)

    def frame() -> np.ndarray:
        count[0] += 1
        out = base.copy()
        x = (count[0] * 8) % max(1, width - 40)
        out[height // 2 - 20:height // 2 + 20, x:x + 40] = 255
        return out

    return frame


def _paced_wait(wake: threading.Event, due: float) -> bool:
    """Wait until monotonic `due`; True when `wake` was set first (unplug, close).

    A condition wait alone wakes a few milliseconds late under load; the last 2 ms are slept,
    which keeps delivery within about a millisecond of the nominal time.
    """
    coarse = due - time.monotonic() - 0.002
    if coarse > 0 and wake.wait(coarse):
        return True
    rest = due - time.monotonic()
    if rest > 0:
        time.sleep(rest)
    return wake.is_set()
