"""Benchmark of the dual-recording recorder under session load.

Records 640×480@25 + 16 kHz mono in real time (5 min, or 30 s with --quick) from a synthetic
sync scene (a face photo with camera-like noise and a moving block) while two load threads stand in for the session's other work: face analysis (an
dlib HOG face detection on the latest frame, upsampled once, ~8 per second) and ASR-like work
(spectral features plus a pure-Python scoring loop per 100 ms chunk, which holds the GIL as a
decoder's Python glue would). The file is then decoded and checked.

Figures: record_dropped_ratio (from the decoded file), av_offset_ms (flash vs beep near the
end, where drift would have accumulated), record_cpu_percent (encoder thread, % of one core),
and as the same-run baseline the unloaded offline encoding speed (encode_max_fps) with the
real-time headroom ratio it gives.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from devices.base import AudioChunk, Frame  # noqa: E402
from kiosk.recording import Recorder, RecordingSpec, Watermark, check_recording  # noqa: E402
from kiosk.recording.calibration import SyncScene  # noqa: E402


class _Load:
    """The stand-ins for face analysis and ASR, fed the same frames and chunks as the recorder."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.latest: np.ndarray | None = None
        self.chunks: list[np.ndarray] = []
        self.lock = threading.Lock()
        self.faces_runs = 0
        self.asr_runs = 0
        import dlib  # the detector the identity checks use (dlib-bin)

        self.detector = dlib.get_frontal_face_detector()

    def face_loop(self) -> None:
        while not self.stop.wait(0.12):
            img = self.latest
            if img is None:
                continue
            small = cv2.resize(img, (320, 240), interpolation=cv2.INTER_AREA)
            self.detector(small, 1)  # upsampled once, as for faces at kiosk distance
            self.faces_runs += 1

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
        load = _Load()
        workers = [threading.Thread(target=load.face_loop, name="face"),
                   threading.Thread(target=load.asr_loop, name="asr")]
        for w in workers:
            w.start()
        before = set(_task_cpu_s())
        rec.start()
        flash = seconds - 4.0
        scene = SyncScene(seconds=seconds, t0=time.monotonic() + 0.1, flash_at=flash, beep_at=flash,
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
                load.latest = item.image
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
        for w in workers:
            w.join()
        q = check_recording(tmp / "p1.mp4", spec=RecordingSpec())
        return {
            "seconds": seconds,
            "record_dropped_ratio": q.dropped_share,
            "recorder_dropped_ratio": float(info["dropped_share"]),
            "av_offset_ms": float(q.av_offset_ms) if q.av_offset_ms is not None else float("nan"),
            "record_cpu_percent": 100.0 * rec_cpu / wall,
            "encoder_thread_cpu_percent": 100.0 * float(info["encoder_cpu_s"]) / wall,
            "process_cpu_percent": 100.0 * proc_cpu / wall,
            "encode_max_fps": max_fps,
            "realtime_headroom_ratio": max_fps / 25.0,
            "file_mb_per_min": (tmp / "p1.mp4").stat().st_size / 1e6 / (seconds / 60),
            "producer_late_max_ms": late * 1000,
            "face_runs_per_s": load.faces_runs / wall,
            "asr_chunks_per_s": load.asr_runs / wall,
            "quality_passed": float(q.passed),
        }


if __name__ == "__main__":
    figures = run(quick="--quick" in sys.argv)
    width = max(len(k) for k in figures)
    for k, v in figures.items():
        print(f"{k:<{width}}  {v:10.3f}")
    print(json.dumps({k: round(v, 4) for k, v in figures.items()}))
