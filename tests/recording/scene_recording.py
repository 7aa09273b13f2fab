"""Shared by the recording tests: record a synthetic sync scene offline, probe files with ffprobe."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from devices.base import Frame
from kiosk.recording import Recorder, RecordingSpec, Watermark
from kiosk.recording.calibration import SyncScene


def record_scene(scene: SyncScene, path: Path, *, watermark: Watermark | None = None,
                 spec: RecordingSpec | None = None, wall_offset: float | None = None) -> dict[str, Any]:
    """Feed every frame and chunk in arrival order; offline, so frames wait for room instead of dropping."""
    rec = Recorder(path, spec or RecordingSpec(width=scene.width, height=scene.height, fps=scene.fps,
                                               audio_rate=scene.rate), watermark, wall_offset=wall_offset)
    rec.start()
    for _, item in scene.events():
        if isinstance(item, Frame):
            assert rec.push_video(item, wait_s=30.0)
        else:
            assert rec.push_audio(item)
    return rec.stop()


def ffprobe(path: Path) -> dict[str, Any]:
    exe = shutil.which("ffprobe")
    assert exe, "ffprobe missing: apt-get install ffmpeg"
    out = subprocess.run([exe, "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True, timeout=60)
    return json.loads(out.stdout)
