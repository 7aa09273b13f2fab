"""Face analysis speed on a 640×480 stream, against the naive loop measured in the same run.

- naive: full-frame `face_locations` + `face_encodings` on every frame (what a first version
  would write);
- ours: `FaceAnalyzer.analyze` on every frame (detection on a half-size copy every 5th frame,
  landmarks tracking in between), encodings only for the frames a decision needs;
- real time: a 25 fps camera thread, a preview consumer at camera rate and the analysis
  worker taking the newest frame (dropping the rest for itself), for a few seconds;
- decision: `IdentityCheck` on a camera paced in real time, wall time from the first good
  frame to the match decision (3 good frames embedded, median score);
- parts: YuNet detection on a full 640×480 frame and on the tracker's 320-px copy, against
  dlib's HOG on the same 640×480 frame (the detector it replaced); one embedding per face for
  each engine (openvino: aligned face and its mirror, two inferences; dlib: 68 landmarks plus
  the ResNet descriptor). Medians over repeated calls on the same frame.

The stream is the synthetic applicant (a real photo, turning and blinking), generated before
timing so the actor's drawing does not count. Run: `python bench/bench_face.py [--quick]`.
"""
from __future__ import annotations

import json
import os
import random
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from devices.base import Frame  # noqa: E402
from devices.camera.actor import SyntheticApplicant  # noqa: E402
from kiosk.config import IdentitySettings  # noqa: E402
from kiosk.identity import FaceAnalyzer, IdentityCheck  # noqa: E402
from kiosk.identity.evaluation import demo_photos, make_chip_photo  # noqa: E402
from kiosk.model import Policy  # noqa: E402


def _stream(photo: np.ndarray, n: int) -> list[np.ndarray]:
    actor = SyntheticApplicant(photo, seed=42)
    frames = []
    for i in range(n):
        if i % 60 == 20:
            actor.perform(("turn_left", "blink", "open_mouth", "turn_right", "nod")[(i // 60) % 5])
        frames.append(next(actor))
    return frames


def _naive_s(frames: list[np.ndarray]) -> float:
    import face_recognition

    t0 = time.perf_counter()
    for f in frames:
        locs = face_recognition.face_locations(f)
        face_recognition.face_encodings(f, locs)
    return time.perf_counter() - t0


def _ours_s(an: FaceAnalyzer, frames: list[np.ndarray], first_seq: int) -> float:
    t0 = time.perf_counter()
    for i, f in enumerate(frames, first_seq):
        an.analyze(f, i / 25.0, i)
    return time.perf_counter() - t0


def _rates(frames: list[np.ndarray], naive_every: int) -> tuple[float, float]:
    """(ours_hz, naive_hz), interleaved in chunks so that both see the same machine load."""
    an = FaceAnalyzer()
    _ours_s(an, frames[:10], 0)  # warm-up: model loading, caches
    ours_t = naive_t = 0.0
    ours_n = naive_n = 0
    chunk = 20
    for start in range(0, len(frames), chunk):
        part = frames[start:start + chunk]
        ours_t += _ours_s(an, part, start)
        ours_n += len(part)
        sample = part[::naive_every]
        naive_t += _naive_s(sample)
        naive_n += len(sample)
    return ours_n / ours_t, naive_n / naive_t


def _realtime(frames: list[np.ndarray], seconds: float, *, analyse: bool = True) -> dict[str, float]:
    """Camera at 25 fps; preview takes every frame; analysis takes the newest when it is free."""
    an = FaceAnalyzer()
    latest: list[Frame | None] = [None]
    cond = threading.Condition()
    stop = threading.Event()
    preview: list[float] = []
    analysed = [0]

    def camera() -> None:
        period = 1 / 25.0
        nxt = time.perf_counter()
        i = 0
        while not stop.is_set():
            nxt += period
            delay = nxt - time.perf_counter()
            if delay > 0:
                stop.wait(delay)
            with cond:
                latest[0] = Frame(frames[i % len(frames)], time.perf_counter(), i)
                cond.notify_all()
            preview.append(time.perf_counter())  # the preview draws every frame the camera gives
            i += 1

    def analysis() -> None:
        last = [-1]

        def fresh() -> bool:
            f = latest[0]
            return stop.is_set() or (f is not None and f.seq != last[0])

        while not stop.is_set():
            with cond:
                cond.wait_for(fresh, 0.5)
                f = latest[0]
            if f is None or f.seq == last[0]:
                continue
            last[0] = f.seq
            if analyse:
                an.analyze(f.image, f.t, f.seq)
            analysed[0] += 1

    threads = [threading.Thread(target=camera, name="bench-camera"), threading.Thread(target=analysis, name="bench-face")]
    for t in threads:
        t.start()
    stop.wait(seconds)
    stop.set()
    with cond:
        cond.notify_all()
    for t in threads:
        t.join()
    gaps = np.diff(preview) if len(preview) > 1 else np.array([0.0])
    return {"preview_hz": len(preview) / seconds, "realtime_analysis_hz": analysed[0] / seconds,
            "preview_max_gap_ms": float(gaps.max() * 1000)}


def _decision_s(photo: np.ndarray, frames: list[np.ndarray], runs: int) -> float:
    """Median wall time from the first good frame to the match decision, camera paced at 25 fps."""
    chip = make_chip_photo(photo)
    out = []
    for r in range(runs):
        camera = _PacedCamera(frames[:20], fps=25.0)
        chk = IdentityCheck(IdentitySettings(), Policy(face_attempts=1), random.Random(r))
        try:
            chk.run(chip, camera.next_frame, _stop_at_liveness)
        except _MatchDecided:
            pass
        ev = chk.last_evidence or {}
        out.append(float(ev["attempts"][-1]["match"]["decision_compute_s"]))
    return float(np.median(out))


class _PacedCamera:
    """Hands out frames no faster than a camera would: `next_frame` blocks until the next is due."""

    def __init__(self, frames: list[np.ndarray], fps: float) -> None:
        self.frames = frames
        self.period = 1.0 / fps
        self.seq = 0
        self.due = time.perf_counter()

    def next_frame(self) -> Frame:
        self.due += self.period
        delay = self.due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)  # a camera's read() blocks until the frame arrives
        f = Frame(self.frames[self.seq % len(self.frames)], time.perf_counter(), self.seq)
        self.seq += 1
        return f


class _MatchDecided(Exception):
    """Raised at the first liveness prompt: the match is decided, liveness is not timed here."""


def _stop_at_liveness(kind: str, text: str) -> None:
    if kind == "action":
        raise _MatchDecided(text)


def _median_ms(fn: object, n: int) -> float:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append((time.perf_counter() - t0) * 1000)
    return float(np.median(out))


def _parts(frame: np.ndarray, reps: int) -> dict[str, float]:
    """Detection ms at 640×480 (YuNet full frame, tracker copy, HOG) and embedding ms per face."""
    import face_recognition.api as fr

    from kiosk.identity.engine import detector, load_engine

    yunet = detector()
    an = FaceAnalyzer()
    dets = yunet.detect(frame)
    if not dets:
        raise RuntimeError("no face in the benchmark frame")
    out = {
        "face_detect_ms_640x480": _median_ms(lambda: yunet.detect(frame), reps),
        "face_detect_tracker_ms_640x480": _median_ms(lambda: an.find(frame), reps),
        "face_detect_hog_ms_640x480": _median_ms(lambda: fr.face_detector(frame, 0), max(3, reps // 4)),
    }
    for name in ("openvino", "dlib"):
        engine = load_engine(IdentitySettings(), name=name)
        engine.embed(frame, dets[0])  # warm-up
        out[f"face_embed_ms_{name}"] = _median_ms(lambda e=engine: e.embed(frame, dets[0]),  # type: ignore[misc]
                                                  reps if name == "openvino" else max(3, reps // 4))
    return out


def run(quick: bool) -> dict[str, float]:
    photo = demo_photos()["astronaut"]
    n = 60 if quick else 300
    frames = _stream(photo, n)
    load = os.getloadavg()[0]
    ours, naive = _rates(frames, naive_every=5)
    secs = 3.0 if quick else 8.0
    idle = _realtime(frames, secs / 2, analyse=False)  # baseline: the same threads, no analysis
    rt = _realtime(frames, secs)
    decision = _decision_s(photo, frames, 3 if quick else 7)
    parts = _parts(frames[0], 8 if quick else 40)
    return {
        "face_analysis_hz": round(ours, 2),
        "face_naive_hz": round(naive, 2),
        "face_speedup_vs_naive": round(ours / naive, 2),
        "face_realtime_analysis_hz": round(rt["realtime_analysis_hz"], 2),
        "face_preview_hz": round(rt["preview_hz"], 2),
        "face_preview_max_gap_ms": round(rt["preview_max_gap_ms"], 1),
        "face_preview_max_gap_ms_without_analysis": round(idle["preview_max_gap_ms"], 1),
        "face_decision_s": round(decision, 3),
        **{k: round(v, 1) for k, v in parts.items()},
        "face_detect_speedup_vs_hog": round(parts["face_detect_hog_ms_640x480"] / parts["face_detect_ms_640x480"], 2),
        "loadavg_1m": round(load, 2),
    }


if __name__ == "__main__":
    figures = run(quick="--quick" in sys.argv)
    width = max(len(k) for k in figures)
    for k, v in figures.items():
        print(f"{k:<{width}}  {v}")
    print(json.dumps(figures))
