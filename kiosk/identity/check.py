"""The identity step of a session: face 1:1 against the reference, then a liveness challenge.

One attempt = collect several good frames and decide the match on their median score,
then ask for a random sequence of actions, then confirm with one more good frame that the
person who acted is the person who matched. The policy limits attempts; when they are used
up the result says `escalate` and staff take over. The applicant is told pass or fail only;
scores, frames and action timings go to `evidence` for the technician and the package, with
the engine, model (name and sha256) and threshold that decided.

Time is the frames' own timestamps, so a camera that delivers frames late is judged on when
they were taken, and tests can drive the check with a virtual clock.
"""
from __future__ import annotations

import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from devices.base import Frame
from kiosk.config import IdentitySettings
from kiosk.errors import Cancelled
from kiosk.identity.faces import GUIDANCE, FaceAnalyzer, FaceObservation, QualityGates
from kiosk.identity.liveness import ACTION_PROMPTS, ACTIONS, ActionDetector, Baseline
from kiosk.identity.matcher import FaceMatcher, NoFaceError
from kiosk.model import Policy
from kiosk.texts import QT_TRANSLATE_NOOP, fmt

log = logging.getLogger(__name__)

Prompt = Callable[[str, str], None]
# told of every try as it ends: ("face_match", {n, passed, failure, median_score}) once per attempt,
# ("liveness", {n, action, outcome, passed}) once per action asked — the session audits each
AttemptHook = Callable[[str, dict[str, Any]], None]

FACE_LOST_S = 2.0  # the face may leave the landmarks for this long during an action
CONFIRM_S = 4.0  # time allowed for the confirming frame after the actions
SETTLE_S = 3.0  # at most this long waiting for a neutral face between actions
SETTLE_FRAMES = 3
GUIDE_REPEAT_S = 3.0
SNAPSHOT_PX = 240  # the live-face snapshot's longer side: enough to compare by eye, small in the package
SNAPSHOT_MARGIN = 0.35  # context around the face box, as a share of its size


def face_snapshot(image_rgb: np.ndarray, box: tuple[int, int, int, int] | None, *,
                  size: int = SNAPSHOT_PX, quality: int = 85) -> bytes:
    """A JPEG of the face (`box` is top, right, bottom, left) with some context, at most `size` px.

    Without a box the whole image is scaled down (a reference photo is already a face crop)."""
    h, w = image_rgb.shape[:2]
    if box is not None:
        top, right, bottom, left = box
        mx, my = int((right - left) * SNAPSHOT_MARGIN), int((bottom - top) * SNAPSHOT_MARGIN)
        crop = image_rgb[max(0, top - my):min(h, bottom + my), max(0, left - mx):min(w, right + mx)]
        if crop.size:
            image_rgb = crop
    ch, cw = image_rgb.shape[:2]
    scale = min(1.0, size / max(ch, cw))
    if scale < 1.0:
        image_rgb = cv2.resize(image_rgb, (max(1, round(cw * scale)), max(1, round(ch * scale))),
                               interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(image_rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return bytes(buf)


@dataclass
class IdentityResult:
    passed: bool
    reason: str
    escalate: bool
    evidence: dict[str, Any]
    live_encoding: np.ndarray | None = field(default=None, repr=False)  # for the presence monitor
    reference_encoding: np.ndarray | None = field(default=None, repr=False)


class _AttemptFailed(Exception):
    def __init__(self, reason: str, code: str) -> None:
        super().__init__(code)
        self.reason = reason
        self.code = code


class IdentityCheck:
    """Runs face match + liveness for one party. Not thread-safe; one per session."""

    def __init__(self, settings: IdentitySettings, policy: Policy | None = None,
                 rng: random.Random | None = None, *, actions: Sequence[str] | None = None,
                 matcher: FaceMatcher | None = None) -> None:
        self.settings = settings
        self.policy = policy or Policy()
        self.rng = rng or random.SystemRandom()
        chosen = tuple(actions) if actions is not None else ACTIONS
        unknown = [a for a in chosen if a not in ACTIONS]
        if unknown or not chosen:
            raise ValueError(f"liveness actions must be drawn from {ACTIONS}, got {chosen}")
        self.actions = chosen
        self.matcher = matcher or FaceMatcher(settings)
        self.analyzer = FaceAnalyzer(QualityGates(min_face_px=settings.min_face_px), engine=self.matcher.engine)
        self._recent: deque[FaceObservation] = deque(maxlen=8)
        self._guide_last: tuple[str, float] = ("", -1e9)
        # the evidence of the latest run as it grows: still there when a run was cancelled
        self.last_evidence: dict[str, Any] | None = None
        # the best-scoring live frame of the latest match decision, as a face-crop JPEG (personal data)
        self.last_snapshot: bytes | None = None
        self.last_snapshot_info: dict[str, Any] = {}
        self._on_attempt: AttemptHook | None = None
        self._n = 0

    # ------------------------------------------------------------------ public
    def run(self, reference_rgb: np.ndarray, next_frame: Callable[[], Frame], on_prompt: Prompt,
            cancel: threading.Event | None = None, *, reference_source: str = "chip",
            on_attempt: AttemptHook | None = None) -> IdentityResult:
        evidence: dict[str, Any] = {
            "reference_source": reference_source,
            "clock": "t_* are the camera frames' monotonic timestamps (seconds), the recording's clock",
            **self.matcher.describe(),
            "frames_for_decision": self.settings.frames_for_decision,
            "liveness_actions": self.policy.liveness_actions,
            "action_timeout_s": self.settings.liveness_action_timeout_s,
            "attempts": [],
        }
        self.last_evidence = evidence
        self.last_snapshot, self.last_snapshot_info = None, {}
        self._on_attempt = on_attempt
        try:
            ref = self.matcher.encode_reference(reference_rgb)
        except NoFaceError as exc:
            log.warning("reference photo unusable: %s", exc.detail)
            evidence.update(passed=False, escalated=True, error="reference_unusable")
            return IdentityResult(False, QT_TRANSLATE_NOOP("kiosk", "证件照片无法用于比对，请联系工作人员"), True, evidence)
        self.analyzer.reset()
        last_reason = ""
        for n in range(1, self.policy.face_attempts + 1):
            record: dict[str, Any] = {"n": n}
            evidence["attempts"].append(record)
            self._n = n
            try:
                live = self._attempt(ref, next_frame, on_prompt, cancel, record)
            except _AttemptFailed as exc:
                record.update(passed=False, failure=exc.code)
                self._tell_attempt(record)
                last_reason = exc.reason
                log.info("identity attempt %d failed: %s", n, exc.code)
                if n < self.policy.face_attempts:
                    on_prompt("guide", fmt(QT_TRANSLATE_NOOP("kiosk", "{reason}，请再试一次"), reason=exc.reason))
                continue
            record["passed"] = True
            self._tell_attempt(record)
            self._finish(evidence, passed=True, escalated=False)
            on_prompt("result", QT_TRANSLATE_NOOP("kiosk", "身份核验通过"))
            return IdentityResult(True, QT_TRANSLATE_NOOP("kiosk", "身份核验通过"), False, evidence,
                                  live_encoding=live, reference_encoding=ref)
        self._finish(evidence, passed=False, escalated=True)
        on_prompt("result", QT_TRANSLATE_NOOP("kiosk", "身份核验未通过，请联系工作人员"))
        reason = (fmt(QT_TRANSLATE_NOOP("kiosk", "身份核验未通过（{reason}），请联系工作人员"), reason=last_reason)
                  if last_reason else QT_TRANSLATE_NOOP("kiosk", "身份核验未通过，请联系工作人员"))
        return IdentityResult(False, reason, True, evidence, reference_encoding=ref)

    # ------------------------------------------------------------------ steps
    def _tell(self, what: str, fields: dict[str, Any]) -> None:
        if self._on_attempt is not None:
            self._on_attempt(what, fields)

    def _tell_attempt(self, record: dict[str, Any]) -> None:
        match = record.get("match") or {}
        self._tell("face_match", {"n": record["n"], "passed": record["passed"], "failure": record.get("failure", ""),
                                  "median_score": match.get("median_score")})

    def _finish(self, evidence: dict[str, Any], *, passed: bool, escalated: bool) -> None:
        evidence.update(passed=passed, escalated=escalated, frames_analyzed=self.analyzer.frames,
                        detections=self.analyzer.detections, encodings=self.analyzer.encodings)

    def _observe(self, next_frame: Callable[[], Frame], cancel: threading.Event | None) -> tuple[Frame, FaceObservation]:
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        frame = next_frame()
        obs = self.analyzer.analyze(frame.image, frame.t, frame.seq)
        self._recent.append(obs)
        return frame, obs

    def _guide(self, on_prompt: Prompt, problem: str | None, t: float) -> None:
        """Say what to fix, once per change and then every few seconds, never per frame."""
        if problem is None:
            return
        last, when = self._guide_last
        if problem != last or t - when >= GUIDE_REPEAT_S:
            self._guide_last = (problem, t)
            on_prompt("guide", GUIDANCE[problem])

    def _attempt(self, ref: np.ndarray, next_frame: Callable[[], Frame], on_prompt: Prompt,
                 cancel: threading.Event | None, record: dict[str, Any]) -> np.ndarray:
        on_prompt("guide", QT_TRANSLATE_NOOP("kiosk", "请正视摄像头，保持不动"))
        live = self._match(ref, next_frame, on_prompt, cancel, record)
        # the frontal frames that matched are the neutral face every action is measured against
        neutral = Baseline.of([o for o in self._recent if o.good])
        k = min(self.policy.liveness_actions, len(self.actions))
        challenge = self.rng.sample(list(self.actions), k)
        record["challenge"] = challenge
        record["liveness"] = []
        for i, action in enumerate(challenge):
            if i:
                self._settle(neutral, next_frame, cancel)
            self._liveness(action, neutral, next_frame, on_prompt, cancel, record["liveness"])
        record["confirm"] = self._confirm(ref, next_frame, on_prompt, cancel)
        return live

    def _match(self, ref: np.ndarray, next_frame: Callable[[], Frame], on_prompt: Prompt,
               cancel: threading.Event | None, record: dict[str, Any]) -> np.ndarray:
        need = self.settings.frames_for_decision
        encs: list[np.ndarray] = []
        frames: list[int] = []
        shots: list[tuple[Frame, FaceObservation]] = []
        first_good_t: float | None = None
        first_good_clock = 0.0
        start: float | None = None
        while len(encs) < need:
            frame, obs = self._observe(next_frame, cancel)
            start = frame.t if start is None else start
            if frame.t - start > self.settings.face_capture_timeout_s:
                raise _AttemptFailed(QT_TRANSLATE_NOOP("kiosk", "未能采集到清晰的人脸"), "no_good_frames")
            if not obs.good:
                self._guide(on_prompt, obs.problem, frame.t)
                continue
            if first_good_t is None:
                first_good_t, first_good_clock = frame.t, time.perf_counter()
            encs.append(self.analyzer.encode(frame.image, obs))
            frames.append(frame.seq)
            shots.append((frame, obs))
        scores = [self.matcher.score(ref, e) for e in encs]
        ok, med = self.matcher.decide(scores)
        best = int(np.argmax(scores))
        shot, shot_obs = shots[best]
        self.last_snapshot = face_snapshot(shot.image, shot_obs.box)
        self.last_snapshot_info = {"attempt": record.get("n"), "frame": shot.seq, "t": round(shot.t, 3),
                                   "score": round(scores[best], 4)}
        record["match"] = {"frames": frames, "scores": [round(x, 4) for x in scores],
                           "median_score": round(med, 4), "match": ok,
                           "decision_s": round(frame.t - (first_good_t or frame.t), 3),
                           "decision_compute_s": round(time.perf_counter() - first_good_clock, 3)}
        if not ok:
            raise _AttemptFailed(QT_TRANSLATE_NOOP("kiosk", "人脸比对未通过"), "mismatch")
        return np.mean(encs, axis=0)

    def _settle(self, neutral: Baseline, next_frame: Callable[[], Frame], cancel: threading.Event | None) -> None:
        """Wait (briefly) for the face to come back to neutral, so one action cannot count for the next."""
        start: float | None = None
        calm = 0
        while calm < SETTLE_FRAMES:
            frame, obs = self._observe(next_frame, cancel)
            start = frame.t if start is None else start
            if frame.t - start > SETTLE_S:
                return
            calm = calm + 1 if obs.has_face and neutral.is_near(obs) else 0

    def _liveness(self, action: str, base: Baseline, next_frame: Callable[[], Frame], on_prompt: Prompt,
                  cancel: threading.Event | None, out: list[dict[str, Any]]) -> None:
        det = ActionDetector(action, base)
        on_prompt("action", action)
        on_prompt("guide", ACTION_PROMPTS[action])
        t0: float | None = None
        last_face: float | None = None
        entry: dict[str, Any] = {"action": action}
        out.append(entry)
        while True:
            frame, obs = self._observe(next_frame, cancel)
            t0 = frame.t if t0 is None else t0
            last_face = frame.t if (obs.has_face or last_face is None) else last_face
            outcome = det.feed(obs)
            elapsed = frame.t - t0
            if outcome is None and frame.t - last_face > FACE_LOST_S:
                outcome = "face_lost"
            if outcome is None and obs.faces > 1:
                outcome = "many_faces"
            if outcome is None and elapsed > self.settings.liveness_action_timeout_s:
                outcome = "timeout"
            if outcome is None:
                continue
            entry.update(t_prompt=round(t0, 3), t_done=round(frame.t, 3), outcome=outcome,
                         peak=round(det.peak, 4),
                         baseline={"ear": round(base.ear, 4), "mar": round(base.mar, 4),
                                   "yaw": round(base.yaw, 2), "pitch": round(base.pitch, 2)})
            self._tell("liveness", {"n": self._n, "action": action, "outcome": outcome,
                                    "passed": outcome == "passed"})
            if outcome == "passed":
                return
            reason = {"timeout": QT_TRANSLATE_NOOP("kiosk", "未检测到指定动作"), "contrary": QT_TRANSLATE_NOOP("kiosk", "动作与提示不符"),
                      "face_lost": QT_TRANSLATE_NOOP("kiosk", "请保持面部在画面中"), "many_faces": QT_TRANSLATE_NOOP("kiosk", "请确保镜头前只有您一人")}[outcome]
            raise _AttemptFailed(reason, f"liveness_{outcome}")

    def _confirm(self, ref: np.ndarray, next_frame: Callable[[], Frame], on_prompt: Prompt,
                 cancel: threading.Event | None) -> dict[str, Any]:
        """One good frontal frame after the actions: the person who acted is the one who matched."""
        on_prompt("guide", QT_TRANSLATE_NOOP("kiosk", "请正视摄像头"))
        start: float | None = None
        while True:
            frame, obs = self._observe(next_frame, cancel)
            start = frame.t if start is None else start
            if frame.t - start > CONFIRM_S:
                raise _AttemptFailed(QT_TRANSLATE_NOOP("kiosk", "未能确认本人"), "confirm_timeout")
            if not obs.good:
                continue
            score = self.matcher.score(ref, self.analyzer.encode(frame.image, obs))
            if not self.matcher.matches(score):
                raise _AttemptFailed(QT_TRANSLATE_NOOP("kiosk", "人脸比对未通过"), "confirm_mismatch")
            return {"frame": frame.seq, "score": round(score, 4)}
