"""Liveness actions: each one a small state machine over landmark measurements.

The applicant is asked for a random sequence of actions; each detector sees only what the
landmarks of frames *after its prompt* measure, relative to a baseline taken just before the
prompt. A still photo changes nothing and times out; a replayed recording performs the
actions of another challenge, which either never shows the requested one in time or shows a
contrary one (turning right when asked to turn left), which fails at once.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from kiosk.identity.faces import FaceObservation
from kiosk.texts import QT_TRANSLATE_NOOP

ACTIONS = ("blink", "turn_left", "turn_right", "open_mouth", "nod")

ACTION_PROMPTS: dict[str, str] = {
    "blink": QT_TRANSLATE_NOOP("kiosk", "请眨眨眼"),
    "turn_left": QT_TRANSLATE_NOOP("kiosk", "请向左转头，再转回来"),
    "turn_right": QT_TRANSLATE_NOOP("kiosk", "请向右转头，再转回来"),
    "open_mouth": QT_TRANSLATE_NOOP("kiosk", "请张张嘴"),
    "nod": QT_TRANSLATE_NOOP("kiosk", "请点点头"),
}

YAW_TURN_DEG = 15.0  # a deliberate turn; people standing still sway by a few degrees
PITCH_NOD_DEG = 9.0
SUSTAIN = 2  # consecutive frames a pose must hold, so one bad landmark fit cannot pass or fail


@dataclass(frozen=True)
class Baseline:
    ear: float
    mar: float
    yaw: float
    pitch: float

    @classmethod
    def of(cls, observations: list[FaceObservation]) -> Baseline:
        """Median of the recent face observations (neutral face before the prompt)."""
        obs = [o for o in observations if o.has_face]
        if not obs:
            return cls(ear=0.3, mar=0.1, yaw=0.0, pitch=0.0)
        return cls(ear=float(np.median([o.ear for o in obs])), mar=float(np.median([o.mar for o in obs])),
                   yaw=float(np.median([o.yaw for o in obs])), pitch=float(np.median([o.pitch for o in obs])))

    def is_near(self, obs: FaceObservation) -> bool:
        """Back to the neutral face: eyes open, mouth closed, facing the camera as before."""
        return (obs.ear > 0.8 * self.ear and obs.mar < self.mar + 0.1
                and abs(obs.yaw - self.yaw) < 7.0 and abs(obs.pitch - self.pitch) < 6.0)


@dataclass
class ActionDetector:
    """Feeds on observations after the prompt; `feed` returns "passed", "contrary" or None."""

    action: str
    base: Baseline
    peak: float = 0.0
    _phase: int = 0
    _run: int = 0
    _contrary_run: int = 0
    trace: list[tuple[float, float]] = field(default_factory=list)  # (t, measured value)

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown liveness action {self.action!r}")

    def feed(self, obs: FaceObservation) -> str | None:
        if not obs.has_face:
            return None
        dyaw = obs.yaw - self.base.yaw
        dpitch = obs.pitch - self.base.pitch
        a = self.action
        if a == "blink":
            value = obs.ear
            self.peak = max(self.peak, 1.0 - value / max(1e-6, self.base.ear))
            closed = value < min(0.22, 0.72 * self.base.ear)
            if self._phase == 0 and closed:
                self._phase = 1
            elif self._phase == 1 and value > 0.85 * self.base.ear:
                return self._done(obs, value)
        elif a in ("turn_left", "turn_right"):
            value = dyaw
            sign = 1.0 if a == "turn_left" else -1.0
            self.peak = max(self.peak, sign * dyaw)
            self._run = self._run + 1 if sign * dyaw > YAW_TURN_DEG else 0
            self._contrary_run = self._contrary_run + 1 if -sign * dyaw > YAW_TURN_DEG else 0
            if self._run >= SUSTAIN:
                return self._done(obs, value)
        elif a == "nod":
            value = dpitch
            self.peak = max(self.peak, dpitch)
            if self._phase == 0:
                self._run = self._run + 1 if dpitch > PITCH_NOD_DEG else 0
                if self._run >= SUSTAIN:
                    self._phase = 1
            elif dpitch < PITCH_NOD_DEG / 2:
                return self._done(obs, value)
        else:  # open_mouth
            value = obs.mar
            self.peak = max(self.peak, value)
            self._run = self._run + 1 if value > max(0.35, self.base.mar + 0.2) else 0
            if self._run >= SUSTAIN:
                return self._done(obs, value)
        if a not in ("turn_left", "turn_right"):
            # any deliberate turn while asked for something else is not this action
            self._contrary_run = self._contrary_run + 1 if abs(dyaw) > YAW_TURN_DEG + 5 else 0
        self.trace.append((obs.t, round(float(value), 4)))
        if self._contrary_run >= SUSTAIN:
            return "contrary"
        return None

    def _done(self, obs: FaceObservation, value: float) -> str:
        self.trace.append((obs.t, round(float(value), 4)))
        return "passed"
