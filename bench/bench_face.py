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

import cv2
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


class _Loop:
    """One live-video loop over the shared frames; `step` handles one frame, counting outcomes."""

    name = ""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.frames = 0
        self.looked = 0    # frames on which the loop looked for the face
        self.found = 0     # ... and found it
        self.identified = 0  # embeddings compared with the reference
        self.genuine = 0   # ... that matched the applicant's reference
        self.impostor = 0  # ... that matched the other person's reference (a false accept)

    def run(self, frames: list[np.ndarray]) -> None:
        t0 = time.perf_counter()
        for f in frames:
            self.step(f)
        self.seconds += time.perf_counter() - t0
        self.frames += len(frames)

    def step(self, rgb: np.ndarray) -> None:
        raise NotImplementedError

    @property
    def hz(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else 0.0

    def accuracy(self) -> dict[str, float]:
        return {"found": self.found / max(1, self.looked), "genuine": self.genuine / max(1, self.identified),
                "impostor": self.impostor / max(1, self.identified)}


class _RecipeLoop(_Loop):
    """face_recognition's examples/facerec_from_webcam_faster.py: quarter-size frame, every
    other frame `face_locations` (HOG, upsample 1) + `face_encodings` for each face found,
    `compare_faces` (tolerance 0.6) against the known encodings."""

    name = "recipe"

    def __init__(self, refs: tuple[np.ndarray, np.ndarray]) -> None:
        super().__init__()
        import face_recognition

        self.fr = face_recognition
        self.refs = [self._known(r) for r in refs]
        self.process = True

    def _known(self, chip: np.ndarray) -> np.ndarray:
        encs = self.fr.face_encodings(chip)
        if not encs:  # HOG misses a face this small: the recipe's user would pass the whole photo
            h, w = chip.shape[:2]
            encs = self.fr.face_encodings(chip, [(0, w - 1, h - 1, 0)])
        return np.asarray(encs[0])

    def step(self, rgb: np.ndarray) -> None:
        small = cv2.resize(rgb, (0, 0), fx=0.25, fy=0.25)
        if self.process:
            self.identify(small)
        self.process = not self.process

    def identify(self, rgb: np.ndarray) -> None:
        locs = self.fr.face_locations(rgb)
        encs = self.fr.face_encodings(rgb, locs)
        self.looked += 1
        self.found += bool(locs)
        for e in encs[:1]:
            self.identified += 1
            self.genuine += bool(self.fr.compare_faces([self.refs[0]], e)[0])
            self.impostor += bool(self.fr.compare_faces([self.refs[1]], e)[0])


class _NaiveLoop(_RecipeLoop):
    """What a first version writes: full-frame `face_locations` + `face_encodings` on every frame."""

    name = "naive"

    def step(self, rgb: np.ndarray) -> None:
        self.identify(rgb)


class _OursLoop(_Loop):
    """The product's analyser on every frame (YuNet on the 320-px copy every 5th frame, dlib's
    68 landmarks tracking in between: the liveness signals the recipe does not have) and, at the
    recipe's cadence (every other frame, `embed_every=2`) or the naive loop's (every frame), an
    embedding of the face by the configured engine scored against the references."""

    name = "ours"

    def __init__(self, refs: tuple[np.ndarray, np.ndarray], embed_every: int) -> None:
        super().__init__()
        from kiosk.identity.matcher import FaceMatcher

        self.matcher = FaceMatcher()
        self.an = FaceAnalyzer(engine=self.matcher.engine)
        self.refs = [self.matcher.encode_reference(r) for r in refs]
        self.every = embed_every
        self.i = 0

    def step(self, rgb: np.ndarray) -> None:
        obs = self.an.analyze(rgb, self.i / 25.0, self.i)
        if self.i % self.every == 0:
            self.looked += 1
            self.found += obs.has_face
            if obs.has_face:
                e = self.an.encode(rgb, obs)
                self.identified += 1
                self.genuine += self.matcher.matches(self.matcher.score(self.refs[0], e))
                self.impostor += self.matcher.matches(self.matcher.score(self.refs[1], e))
        self.i += 1


class _DetectLoop(_Loop):
    """YuNet on every full 640×480 frame (`copy=False`) or on the product's 320-px copy."""

    def __init__(self, an: FaceAnalyzer, *, tracker_copy: bool) -> None:
        super().__init__()
        self.detect = an.find if tracker_copy else an._yunet.detect

    def step(self, rgb: np.ndarray) -> None:
        self.looked += 1
        self.found += bool(self.detect(rgb))


class _HogLoop(_Loop):
    """dlib's HOG (`face_locations`, upsample 1, as face_recognition calls it) on every full frame."""

    def __init__(self) -> None:
        super().__init__()
        import face_recognition

        self.fr = face_recognition

    def step(self, rgb: np.ndarray) -> None:
        self.looked += 1
        self.found += bool(self.fr.face_locations(rgb))


class _TrackLoop(_Loop):
    """The product's `FaceAnalyzer.analyze` on every frame, no embedding (tracking rate)."""

    def __init__(self) -> None:
        super().__init__()
        self.an = FaceAnalyzer()
        self.i = 0

    def step(self, rgb: np.ndarray) -> None:
        self.looked += 1
        self.found += self.an.analyze(rgb, self.i / 25.0, self.i).has_face
        self.i += 1


def _side_by_side(frames: list[np.ndarray], refs: tuple[np.ndarray, np.ndarray],
                  slow_every: int) -> dict[str, _Loop]:
    """Every loop on the same frames, interleaved in chunks so that all see the same machine
    load; the slow full-frame loops (naive, HOG) on every `slow_every`-th frame of each chunk."""
    an = FaceAnalyzer()
    loops: dict[str, _Loop] = {
        "detect": _DetectLoop(an, tracker_copy=False), "detect_copy": _DetectLoop(an, tracker_copy=True),
        "hog": _HogLoop(), "track": _TrackLoop(), "recipe": _RecipeLoop(refs),
        "ours_recipe": _OursLoop(refs, embed_every=2), "naive": _NaiveLoop(refs),
        "ours_naive": _OursLoop(refs, embed_every=1),
    }
    for lp in loops.values():  # warm-up: model loading, caches; then reset the counters
        lp.run(frames[:4])
        lp.__dict__.update(seconds=0.0, frames=0, looked=0, found=0, identified=0, genuine=0, impostor=0)
    chunk = 20
    for start in range(0, len(frames), chunk):
        part = frames[start:start + chunk]
        for name, lp in loops.items():
            lp.run(part[::slow_every] if name in ("naive", "hog") else part)
    return loops


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


def _sleeper_gaps(seconds: float) -> tuple[float, float]:
    """(max, p99) ms between wake-ups of this thread sleeping 2 ms at a time: how long it waits
    for the GIL (and a core) while another thread works."""
    gaps = []
    last = time.perf_counter()
    end = last + seconds
    while time.perf_counter() < end:
        time.sleep(0.002)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    gaps.sort()
    return gaps[-1] * 1000, gaps[int(0.99 * (len(gaps) - 1))] * 1000


def _gil(frame: np.ndarray, seconds: float) -> dict[str, float]:
    """Does each engine call let other Python threads (the GUI's) run? Another thread calls it
    in a loop while this one measures its own wake-up gaps; the idle gaps are the baseline."""
    from kiosk.identity.engine import load_engine

    an = FaceAnalyzer()
    det = an._yunet.detect(frame)[0]
    box = an.detect(frame)[0]
    ov = load_engine(IdentitySettings(), name="openvino")
    dl = load_engine(IdentitySettings(), name="dlib")
    ops = {"idle": None, "yunet": lambda: an._yunet.detect(frame), "dlib_landmarks": lambda: an.landmarks(frame, box),
           "openvino_embed": lambda: ov.embed(frame, det), "dlib_embed": lambda: dl.embed(frame, det)}
    out = {}
    for name, op in ops.items():
        stop = threading.Event()

        def loop(op: object = op, stop: threading.Event = stop) -> None:
            while not stop.is_set():
                op()  # type: ignore[operator]

        worker = threading.Thread(target=loop, name=f"gil-{name}")
        if op is not None:
            worker.start()
        gap_max, gap_p99 = _sleeper_gaps(seconds)
        stop.set()
        if op is not None:
            worker.join()
        out[f"face_gil_wait_p99_ms_{name}"] = gap_p99
        out[f"face_gil_wait_max_ms_{name}"] = gap_max
    return out


def run(quick: bool) -> dict[str, float]:
    photos = demo_photos()
    photo = photos["astronaut"]
    refs = (make_chip_photo(photo), make_chip_photo(photos["grace_hopper"]))
    n = 60 if quick else 300
    frames = _stream(photo, n)
    load = os.getloadavg()[0]
    loops = _side_by_side(frames, refs, slow_every=5)
    secs = 3.0 if quick else 8.0
    idle = _realtime(frames, secs / 2, analyse=False)  # baseline: the same threads, no analysis
    rt = _realtime(frames, secs)
    decision = _decision_s(photo, frames, 3 if quick else 7)
    parts = _parts(frames[0], 8 if quick else 40)
    gil = _gil(frames[0], 1.5 if quick else 5.0)
    hz = {k: lp.hz for k, lp in loops.items()}
    out: dict[str, float] = {
        "face_detection_hz": hz["detect"],
        "face_detection_hz_tracker_copy": hz["detect_copy"],
        "face_detection_hz_hog": hz["hog"],
        "face_tracking_hz": hz["track"],
        "face_recipe_hz": hz["recipe"],
        "face_ours_at_recipe_cadence_hz": hz["ours_recipe"],
        "face_speedup_vs_recipe": hz["ours_recipe"] / hz["recipe"],
        "face_naive_hz": hz["naive"],
        "face_ours_at_naive_cadence_hz": hz["ours_naive"],
        "face_speedup_vs_naive": hz["ours_naive"] / hz["naive"],
    }
    for k in ("detect", "detect_copy", "hog", "recipe", "ours_recipe", "naive", "ours_naive"):
        acc = loops[k].accuracy()
        out[f"face_{k}_found_ratio"] = acc["found"]
        if k.startswith(("recipe", "ours", "naive")):
            out[f"face_{k}_genuine_match_ratio"] = acc["genuine"]
            out[f"face_{k}_impostor_match_ratio"] = acc["impostor"]
    out = {k: round(v, 3 if "ratio" in k else 2) for k, v in out.items()}
    return {
        **out,
        "face_realtime_analysis_hz": round(rt["realtime_analysis_hz"], 2),
        "face_preview_hz": round(rt["preview_hz"], 2),
        "face_preview_max_gap_ms": round(rt["preview_max_gap_ms"], 1),
        "face_preview_max_gap_ms_without_analysis": round(idle["preview_max_gap_ms"], 1),
        "face_decision_s": round(decision, 3),
        **{k: round(v, 1) for k, v in parts.items()},
        **{k: round(v, 1) for k, v in gil.items()},
        "face_detect_speedup_vs_hog": round(parts["face_detect_hog_ms_640x480"] / parts["face_detect_ms_640x480"], 2),
        "loadavg_1m": round(load, 2),
    }


if __name__ == "__main__":
    figures = run(quick="--quick" in sys.argv)
    width = max(len(k) for k in figures)
    for k, v in figures.items():
        print(f"{k:<{width}}  {v}")
    print(json.dumps(figures))
