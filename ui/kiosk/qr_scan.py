"""Reading the 受理号 from the QR code on the acceptance slip, with the kiosk camera.

The slip's QR code carries the case number, alone or inside a URL/query; OpenCV's QR
detector finds it in the frame. The scan loop runs on a worker while the case-entry page is
up, reads the camera owner's ring like every other consumer (`devices.owner`) and hands the
preview its newest frame; it never opens the camera itself.
"""
from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # cv2 and numpy load on first scan, not before the kiosk's first paint
    import numpy as np

    from devices.owner import DeviceOwner


_SCANS = itertools.count(1)


def decode_case_no(rgb: np.ndarray, detector: Any = None) -> str | None:
    """The case number in a QR code visible in `rgb`, or None."""
    import cv2
    import numpy as np

    detector = detector or cv2.QRCodeDetector()
    gray = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)
    try:
        payload, _points, _ = detector.detectAndDecode(gray)
    except cv2.error:
        return None
    from kiosk.model import case_no_from_qr  # the case model (and its ID-number checks) after the first paint

    return case_no_from_qr(payload) if payload else None


def scan_loop(camera: DeviceOwner[Any], stop: threading.Event, put_frame: Callable[[Any], None],
              every_nth: int = 4) -> str | None:
    """Read the camera owner's frames until a case number is decoded or `stop` is set.

    Runs on a worker thread; the stream lease keeps the camera open meanwhile, and the session
    reads the same ring with cursors of its own."""
    import cv2

    if camera.ring is None:
        return None
    detector = cv2.QRCodeDetector()
    frames = camera.ring.consumer(f"qr-scan-{next(_SCANS)}")
    try:
        with camera.stream():
            n = 0
            while not stop.is_set():
                frame = frames.get(timeout=0.5)
                if frame is None:
                    if frames.ring_closed:
                        return None
                    continue
                put_frame(frame)
                n += 1
                if n % every_nth == 0:
                    found = decode_case_no(frame.image, detector)
                    if found:
                        return found
            return None
    finally:
        frames.close()
