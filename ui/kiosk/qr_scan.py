"""Reading the 受理号 from the QR code on the acceptance slip, with the kiosk camera.

The slip's QR code carries the case number, alone or inside a URL/query; OpenCV's QR
detector finds it in the frame. The scan loop runs on a worker while the case-entry page is
up and hands the preview its newest frame; it closes the camera as soon as the page goes, so
the session's capture can open it.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np

CASE_NO_RE = re.compile(r"[A-Z]{2}\d{4}-\d{4,8}")


def case_no_from_payload(payload: str) -> str | None:
    m = CASE_NO_RE.search(payload.upper())
    return m.group(0) if m else None


def decode_case_no(rgb: np.ndarray, detector: Any = None) -> str | None:
    """The case number in a QR code visible in `rgb`, or None."""
    detector = detector or cv2.QRCodeDetector()
    gray = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)
    try:
        payload, _points, _ = detector.detectAndDecode(gray)
    except cv2.error:
        return None
    return case_no_from_payload(payload) if payload else None


def scan_loop(camera: Any, stop: threading.Event, put_frame: Callable[[Any], None],
              every_nth: int = 4) -> str | None:
    """Read frames until a case number is decoded or `stop` is set. Runs on a worker thread."""
    detector = cv2.QRCodeDetector()
    camera.open()
    try:
        n = 0
        while not stop.is_set():
            frame = camera.read(timeout=2.0)
            put_frame(frame)
            n += 1
            if n % every_nth == 0:
                found = decode_case_no(frame.image, detector)
                if found:
                    return found
        return None
    finally:
        camera.close()
