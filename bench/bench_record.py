"""Benchmark of the dual-recording recorder under session load, with a planted drift and offset.

Records 640×480@25 + 16 kHz mono in real time (5 min, or 30 s with --quick) from a synthetic
sync scene (a face photo with camera-like noise and a moving block). The load is the session's
own: the real `PresenceMonitor` (full-frame YuNet + an openvino embedding per sample, at the
configured `presence_sample_hz`) fed from its own ring consumer by the session's `FramePump`,
against the applicant's chip-photo embedding, plus an ASR-like thread (spectral features and a
pure-Python scoring loop per 100 ms chunk, which holds the GIL as a decoder's Python glue would).

Planted faults the recording must survive and the session must measure on the decoded file:
the microphone's crystal runs slow (`audio_clock_ratio` 1.001: 1 ms of drift per second, 30 ms
over the quick run, 300 ms over the full one) and the beep is placed `PLANTED_OFFSET_MS` after
the flash near the end. `check_recording` — the session's own check — must then report the
planted offset: `av_offset_ms` is measured minus planted (the recording's own sync error),
`av_offset_measured_ms` the raw reading.

Figures: record_dropped_ratio (from the decoded file), av_offset_ms, record_cpu_percent
(encoder thread + x264 threads, % of one core), presence samples and verdict, and as the
same-run baseline the unloaded offline encoding speed (encode_max_fps) with the real-time
headroom ratio it gives.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from devices.base import AudioChunk, Frame  # noqa: E402
from kiosk.recording import Recorder, RecordingSpec, Watermark, check_recording  # noqa: E402
from kiosk.recording.calibration import SyncScene  # noqa: E402

PLANTED_OFFSET_MS = 80.0  # the beep this long after the flash: sound later than picture
AUDIO_CLOCK_RATIO = 1.001  # the microphone delivers 0.1 % fewer samples than the wall clock says


class _AsrLoad:
    """The stand-in for ASR, fed the same chunks as the recorder."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.chunks: list[np.ndarray] = []
        self.lock = threading.Lock()
        self.asr_runs = 0

    def asr_loop(self) -> None:
        window = np.hanning(400)
        while not self.stop.wait(0.05):
            with self.lock:
                todo, self.chunks = self.chunks, []
            for pcm in todo:
                x = pcm.astype(np.float32) / 32768
                frames = np.lib.stride_tricks.sliding_window_view(x, 400)[::160] * window
                spec = np.abs(np.fft.rfft(frames, n=512, axis=1)) ** 2
                feats = np.log(spec @ np.ones((257, 40), np.float32) + 1e-6)
                score = 0.0
                for row in feats.tolist():  # a beam-search-like Python loop
                    for v in row:
                        score = max(score * 0.99, v)
                self.asr_runs += 1


def _presence() -> tuple[Any, Any, Any]:
    """The session's presence watch: monitor, its ring and its pump (as `PresenceWatch` wires them)."""
    from devices.ring import FrameRing
    from kiosk.config import IdentitySettings
    from kiosk.identity import PresenceMonitor
    from kiosk.identity.evaluation import make_chip_photo
    from kiosk.identity.matcher import FaceMatcher
    from kiosk.session.pumps import FramePump

    settings = IdentitySettings()
    matcher = FaceMatcher(settings)
    reference = matcher.encode_reference(make_chip_photo(_face_scene()))
    monitor = PresenceMonitor(settings, reference, matcher=matcher)
    ring: FrameRing[Frame] = FrameRing(8)
    pump = FramePump(ring.consumer("presence"), monitor.feed, "presence", 0.5)
    return monitor, ring, pump


def _task_cpu_s() -> dict[int, float]:
    """CPU seconds per thread of this process (Linux), so the encoder's native x264 threads count too."""
    out: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for task in Path("/proc/self/task").glob("*"):
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[int(task.name)] = (int(fields[11]) + int(fields[12])) / tick
    return out


def _face_scene() -> np.ndarray:
    """A real face photo (shipped by scikit-image) framed 640×480, as the kiosk camera sees a person."""
    from skimage import data

    img = np.zeros((480, 640, 3), np.uint8)
    img[:, 64:576] = data.astronaut()[16:496, :, :3]
    return img


def _encode_max_fps(tmp: Path, seconds: float) -> float:
    scene = SyncScene(seconds=seconds, t0=time.monotonic(), background=_face_scene(), sensor_noise=3.0)
    frames = list(scene.frames())
    rec = Recorder(tmp / "baseline.mp4", RecordingSpec())
    rec.start()
    t = time.perf_counter()
    for f in frames:
        rec.push_video(f, wait_s=30)
    rec.stop()
    return len(frames) / (time.perf_counter() - t)


def run(quick: bool) -> dict[str, float]:
    seconds = 30.0 if quick else 300.0
    with tempfile.TemporaryDirectory(prefix="bench_record_") as d:
        tmp = Path(d)
        max_fps = _encode_max_fps(tmp, 4.0 if quick else 10.0)
        rec = Recorder(tmp / "p1.mp4", RecordingSpec(), Watermark("LH-KIOSK-0001", "LH2026-000123", "义务人"))
        load = _AsrLoad()
        monitor, ring, pump = _presence()
        workers = [threading.Thread(target=load.asr_loop, name="asr")]
        for w in workers:
            w.start()
        before = set(_task_cpu_s())
        rec.start()
        flash = seconds - 4.0
        scene = SyncScene(seconds=seconds, t0=time.monotonic() + 0.1, flash_at=flash,
                          beep_at=flash + PLANTED_OFFSET_MS / 1000, audio_clock_ratio=AUDIO_CLOCK_RATIO,
                          background=_face_scene(), sensor_noise=3.0)
        cpu0, wall0 = time.process_time(), time.monotonic()
        pace = threading.Event()
        late = 0.0
        for arrival, item in scene.events():
            delay = arrival - time.monotonic()
            if delay > 0:
                pace.wait(delay)
            else:
                late = max(late, -delay)
            if isinstance(item, Frame):
                ring.put(item)
                rec.push_video(item)
            elif isinstance(item, AudioChunk):
                with load.lock:
                    load.chunks.append(item.pcm)
                rec.push_audio(item)
        rec_tasks = {tid: cpu for tid, cpu in _task_cpu_s().items() if tid not in before}
        info = rec.stop()
        wall = time.monotonic() - wall0
        # encoder thread plus libx264's own threads; without /proc only the encoder thread is known
        rec_cpu = sum(rec_tasks.values()) if rec_tasks else float(info["encoder_cpu_s"])
        proc_cpu = time.process_time() - cpu0
        load.stop.set()
        pump.stop()
        for w in workers:
            w.join()
        presence = monitor.verdict()
        q = check_recording(tmp / "p1.mp4", spec=RecordingSpec())
        return {
            "seconds": seconds,
            "record_dropped_ratio": q.dropped_share,
            "recorder_dropped_ratio": float(info["dropped_share"]),
            "av_offset_ms": float(q.av_offset_ms) - PLANTED_OFFSET_MS if q.av_offset_ms is not None else float("nan"),
            "av_offset_measured_ms": float(q.av_offset_ms) if q.av_offset_ms is not None else float("nan"),
            "av_offset_planted_ms": PLANTED_OFFSET_MS,
            "audio_clock_drift_ms_planted": (AUDIO_CLOCK_RATIO - 1) * 1000 * flash,
            "record_cpu_percent": 100.0 * rec_cpu / wall,
            "encoder_thread_cpu_percent": 100.0 * float(info["encoder_cpu_s"]) / wall,
            "process_cpu_percent": 100.0 * proc_cpu / wall,
            "encode_max_fps": max_fps,
            "realtime_headroom_ratio": max_fps / 25.0,
            "file_mb_per_min": (tmp / "p1.mp4").stat().st_size / 1e6 / (seconds / 60),
            "producer_late_max_ms": late * 1000,
            "presence_samples_per_s": presence["samples"] / wall,
            "presence_present_share": float(presence["present_share"]),
            "asr_chunks_per_s": load.asr_runs / wall,
            "quality_passed": float(q.passed),
        }


if __name__ == "__main__":
    figures = run(quick="--quick" in sys.argv)
    width = max(len(k) for k in figures)
    for k, v in figures.items():
        print(f"{k:<{width}}  {v:10.3f}")
    print(json.dumps({k: round(v, 4) for k, v in figures.items()}))
