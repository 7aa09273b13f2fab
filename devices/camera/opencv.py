"""USB cameras through OpenCV: V4L2 on Linux, Media Foundation then DirectShow on Windows.

Each frame is stamped with `time.monotonic()` right after the grab returns, the clock the
audio path also uses, so the recorder can line the two up. A failed grab is retried a few
times (USB hiccups); after that the camera is reported disconnected, and the owning
`DeviceOwner` (devices.owner) closes it and reopens it until it comes back.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import cv2

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
from devices.texts import QT_TRANSLATE_NOOP, fmt

log = logging.getLogger(__name__)

_V4L_SYSFS = Path("/sys/class/video4linux")
_FAILED_GRABS_BEFORE_UNPLUG = 5


@dataclass(frozen=True)
class CameraEntry:
    index: int
    name: str
    path: str
    readable: bool = True


def _backends() -> list[int]:
    if sys.platform.startswith("linux"):
        return [cv2.CAP_V4L2, cv2.CAP_ANY]
    if sys.platform == "win32":
        return [cv2.CAP_MSMF, cv2.CAP_DSHOW]
    return [cv2.CAP_ANY]


def enumerate_cameras(sysfs: Path = _V4L_SYSFS, probe_indices: int = 4) -> list[CameraEntry]:
    """Cameras present: from sysfs on Linux (no device is opened), else by probing indices."""
    if sys.platform.startswith("linux"):
        out = []
        if sysfs.is_dir():
            for node in sorted(sysfs.glob("video*"), key=lambda p: int(p.name[5:] or 0)):
                index_file = node / "index"
                # a UVC camera exposes a capture node (index 0) and a metadata node; keep the first
                if index_file.exists() and index_file.read_text().strip() not in ("", "0"):
                    continue
                name = (node / "name").read_text(encoding="utf-8", errors="replace").strip() \
                    if (node / "name").exists() else node.name
                dev = Path("/dev") / node.name
                out.append(CameraEntry(int(node.name[5:]), name, str(dev),
                                       readable=os.access(dev, os.R_OK | os.W_OK) if dev.exists() else False))
        return out
    found = []
    for i in range(probe_indices):
        cap = cv2.VideoCapture(i, _backends()[0])
        try:
            if cap.isOpened():
                found.append(CameraEntry(i, fmt(QT_TRANSLATE_NOOP("kiosk", "摄像头 {number}"), number=i), str(i)))
        finally:
            cap.release()
    return found


class OpenCvCamera(Camera):
    """A camera by index (0, 1…), device path (/dev/video0) or, for tests, a video file."""

    def __init__(self, device: int | str = 0, width: int = 640, height: int = 480, fps: float = 25.0,
                 *, name: str = "") -> None:
        self.device = device
        self.width, self.height, self.fps = width, height, float(fps)
        self.info = DeviceInfo(kind="camera", name=name or fmt(QT_TRANSLATE_NOOP("kiosk", "摄像头 {number}"), number=device), adapter="opencv", path=str(device))
        self._cap: cv2.VideoCapture | None = None
        self._seq = 0
        self._failed = 0
        self.reopens = 0
        self._opened_once = False

    def open(self) -> None:
        target: int | str = self.device
        if isinstance(target, str) and target.isdigit():
            target = int(target)
        if isinstance(target, str) and target.startswith("/dev/") and not os.path.exists(target):
            raise DeviceDisconnected(QT_TRANSLATE_NOOP("kiosk", "摄像头未连接，请检查摄像头连接线"), detail=f"{target} missing",
                                     fix=QT_TRANSLATE_NOOP("kiosk", "插好摄像头USB线"))
        if isinstance(target, str) and target.startswith("/dev/") and not os.access(target, os.R_OK | os.W_OK):
            raise DeviceUnavailable(QT_TRANSLATE_NOOP("kiosk", "没有权限使用摄像头"), detail=f"{target} not readable",
                                    fix=QT_TRANSLATE_NOOP("kiosk", "把当前用户加入 video 组（sudo usermod -aG video 用户名）后重新登录"))
        cap = None
        for backend in _backends() if isinstance(target, int) or str(target).startswith("/dev/") else [cv2.CAP_ANY]:
            cap = cv2.VideoCapture(target, backend)
            if cap.isOpened():
                break
            cap.release()
            cap = None
        if cap is None:
            raise DeviceDisconnected(QT_TRANSLATE_NOOP("kiosk", "摄像头无法打开，请检查摄像头连接线"), detail=f"VideoCapture({target!r}) failed",
                                     fix=QT_TRANSLATE_NOOP("kiosk", "插好摄像头USB线；确认没有其他程序占用摄像头"))
        is_device = isinstance(target, int) or str(target).startswith("/dev/")
        if is_device and self.width * self.height > 640 * 480:
            # USB 2 cameras give HD at full rate only compressed; YUYV would cap it at ~10 fps
            cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        cap.set(cv2.CAP_PROP_FPS, self.fps)
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # newest frame, not a stale queue
        w = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH))
        h = int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
        if w and h:
            if (w, h) != (self.width, self.height):
                log.info("camera gave %dx%d instead of %dx%d", w, h, self.width, self.height)
            self.width, self.height = w, h
        self._cap = cap
        self._failed = 0
        if self._opened_once:
            self.reopens += 1
        self._opened_once = True

    def read(self, timeout: float = 1.0) -> Frame:
        cap = self._cap
        if cap is None:
            raise DeviceError(QT_TRANSLATE_NOOP("kiosk", "摄像头未打开"), detail="read() before open()")
        ok, bgr = cap.read()
        t = time.monotonic()
        if not ok or bgr is None:
            self._failed += 1
            if self._failed >= _FAILED_GRABS_BEFORE_UNPLUG:
                raise DeviceDisconnected(QT_TRANSLATE_NOOP("kiosk", "摄像头已断开，请检查摄像头连接线"),
                                         detail=f"{self._failed} failed grabs", fix=QT_TRANSLATE_NOOP("kiosk", "重新插好摄像头USB线"))
            raise TimeoutError("grab failed")
        self._failed = 0
        frame = Frame(image=cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), t=t, seq=self._seq)
        self._seq += 1
        return frame

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None

    def health(self) -> Health:
        return Health(DeviceState.OPEN if self._cap is not None else DeviceState.CLOSED,
                      counters={"frames": self._seq, "reopens": self.reopens})
