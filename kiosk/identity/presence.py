"""Presence during the recording: is the verified person still the one in front of the camera?

The recorder runs at the camera's rate; this monitor looks at a frame now and then
(`presence_sample_hz`) and drops the rest, so it can be fed every frame from any consumer
thread at no cost. Each sample is a full-frame YuNet detection (to count faces) plus an
embedding of up to three faces by the engine that matched. Runs of samples with the same problem become events with start and end times.
"""
from __future__ import annotations

import threading
from typing import Any

import numpy as np

from devices.base import Frame
from kiosk.config import IdentitySettings
from kiosk.identity.check import IdentityResult
from kiosk.identity.faces import ensure_rgb
from kiosk.identity.matcher import FaceMatcher


class PresenceMonitor:
    """Feed it frames; ask for `verdict()` at the end of the recording."""

    def __init__(self, settings: IdentitySettings, reference: np.ndarray | IdentityResult,
                 *, matcher: FaceMatcher | None = None) -> None:
        if isinstance(reference, IdentityResult):
            enc = reference.live_encoding if reference.live_encoding is not None else reference.reference_encoding
            if enc is None:
                raise ValueError("identity result carries no face encoding")
            reference = enc
        self.reference = np.asarray(reference, dtype=np.float64)
        self.settings = settings
        self.matcher = matcher or FaceMatcher(settings)
        self._min_face_px = max(40, settings.min_face_px // 2)  # full frame: bystanders count
        self._period = 1.0 / settings.presence_sample_hz
        self._lock = threading.Lock()
        self._next_t: float | None = None
        self._samples: list[tuple[float, str, float | None]] = []  # (t, state, score)
        self.dropped = 0

    def feed(self, frame: Frame) -> bool:
        """Sample this frame if its time has come; returns whether it was analysed."""
        with self._lock:
            if self._next_t is not None and frame.t < self._next_t:
                self.dropped += 1
                return False
            self._next_t = frame.t + self._period
            self._samples.append(self._sample(frame))
            return True

    def _sample(self, frame: Frame) -> tuple[float, str, float | None]:
        try:
            img = ensure_rgb(frame.image)
        except ValueError:
            return frame.t, "absent", None
        engine = self.matcher.engine
        dets = [d for d in engine.detect(img) if d.width >= self._min_face_px]
        if not dets:
            return frame.t, "absent", None
        best: float | None = None
        for det in dets[:3]:  # the verified person may not be the largest face
            s = self.matcher.score(self.reference, engine.embed(img, det))
            best = s if best is None else max(best, s)
            if self.matcher.matches(s):
                break
        present = best is not None and self.matcher.matches(best)
        if present and len(dets) > 1:
            return frame.t, "second_face", best
        return frame.t, ("present" if present else "other_person"), best

    def verdict(self) -> dict[str, Any]:
        """JSON-able summary for the evidence: shares, events with times, pass/fail."""
        with self._lock:
            samples = list(self._samples)
            dropped = self.dropped
        n = len(samples)
        present = sum(1 for _, s, _ in samples if s in ("present", "second_face"))
        share = present / n if n else 0.0
        events: list[dict[str, Any]] = []
        prev = "present"
        for t, state, _ in samples:  # runs of consecutive samples with the same problem
            if state != "present":
                if state == prev:
                    events[-1]["t1"] = round(t, 3)
                    events[-1]["samples"] += 1
                else:
                    events.append({"kind": state, "t0": round(t, 3), "t1": round(t, 3), "samples": 1})
            prev = state
        cleaned = events
        scores = [d for _, _, d in samples if d is not None]
        return {
            "samples": n,
            "dropped": dropped,
            "sample_hz": self.settings.presence_sample_hz,
            "present_share": round(share, 4),
            "min_share": self.settings.presence_min_share,
            "second_face": any(e["kind"] == "second_face" for e in cleaned),
            "absent": any(e["kind"] == "absent" for e in cleaned),
            "other_person": any(e["kind"] == "other_person" for e in cleaned),
            "median_score": round(float(np.median(scores)), 4) if scores else None,
            "events": cleaned,
            "passed": n > 0 and share >= self.settings.presence_min_share,
        }
