"""Child process of the crash test: records a live-paced scene until it is killed.

Prints `encoded <seconds>` after every audio chunk so the parent knows how far the encoder got.
"""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from devices.base import Frame
from kiosk.recording import Recorder, RecordingSpec, Watermark
from kiosk.recording.calibration import SyncScene


def main() -> None:
    path = Path(sys.argv[1])
    t0 = time.monotonic()
    scene = SyncScene(seconds=600.0, t0=t0)
    rec = Recorder(path, RecordingSpec(), Watermark("LH-KIOSK-0001", "LH2026-000123", "义务人"))
    rec.start()
    pace = threading.Event()  # never set: used only to wait until each item's capture time
    for arrival, item in scene.events():
        delay = arrival - time.monotonic()
        if delay > 0:
            pace.wait(delay)
        if isinstance(item, Frame):
            rec.push_video(item)
        else:
            rec.push_audio(item)
            print(f"encoded {rec.encoded_s:.3f}", flush=True)


if __name__ == "__main__":
    main()
