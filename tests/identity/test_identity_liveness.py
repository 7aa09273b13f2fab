"""Liveness on real pixels: the synthetic applicant performs, the detectors measure landmarks.

A genuine actor passes every action and the whole check; a still photo and a replayed
recording of an earlier challenge fail; a different person is escalated after the attempts.
"""
from __future__ import annotations

import random
import threading

import numpy as np
import pytest

from devices.base import Frame
from devices.camera.actor import SUPPORTED_ACTIONS, SyntheticApplicant
from kiosk.config import IdentitySettings
from kiosk.errors import Cancelled
from kiosk.identity import ACTIONS, IdentityCheck
from kiosk.identity.engine import REID_0095
from kiosk.identity.faces import FaceAnalyzer, FaceObservation
from kiosk.identity.liveness import ActionDetector, Baseline
from kiosk.model import Policy

FAST = IdentitySettings(liveness_action_timeout_s=3.0, face_capture_timeout_s=5.0)


def _observe(actor: SyntheticApplicant, analyzer: FaceAnalyzer, n: int) -> list[FaceObservation]:
    return [analyzer.analyze(f.image, f.t, f.seq) for f in (actor.next_frame() for _ in range(n))]


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_is_detected_from_the_actors_pixels(astronaut: np.ndarray, action: str) -> None:
    actor = SyntheticApplicant(astronaut, seed=11)
    an = FaceAnalyzer()
    base = Baseline.of(_observe(actor, an, 6))
    det = ActionDetector(action, base)
    # before the action: nothing happens, nothing is detected
    assert all(det.feed(o) is None for o in _observe(actor, an, 5))
    frames = int(actor.perform(action) * actor.fps) + 5
    outcomes = [det.feed(o) for o in _observe(actor, an, frames)]
    assert "passed" in outcomes, det.trace
    assert "contrary" not in outcomes


@pytest.mark.parametrize(("asked", "done"), [("turn_left", "turn_right"), ("open_mouth", "turn_left"),
                                             ("blink", "turn_right")])
def test_a_contrary_action_fails_at_once(astronaut: np.ndarray, asked: str, done: str) -> None:
    actor = SyntheticApplicant(astronaut, seed=4)
    an = FaceAnalyzer()
    det = ActionDetector(asked, Baseline.of(_observe(actor, an, 6)))
    actor.perform(done)
    outcomes = [det.feed(o) for o in _observe(actor, an, 40)]
    assert "contrary" in outcomes and "passed" not in outcomes


def test_landmark_series_from_real_frames_drive_the_detector(astronaut: np.ndarray) -> None:
    """Record a blink as an EAR series from real frames, then replay that series in time-reversed
    order: a blink is symmetric, so it still passes; a series without the closed frames does not."""
    actor = SyntheticApplicant(astronaut, seed=8)
    an = FaceAnalyzer()
    base = Baseline.of(_observe(actor, an, 5))
    actor.perform("blink")
    series = _observe(actor, an, 20)
    closed = [o for o in series if o.ear < 0.7 * base.ear]
    assert closed, [round(o.ear, 3) for o in series]
    det = ActionDetector("blink", base)
    assert "passed" in [det.feed(o) for o in reversed(series)]
    det2 = ActionDetector("blink", base)
    assert "passed" not in [det2.feed(o) for o in series if o not in closed]


class _Session:
    """The session runner's wiring: frames from the actor, prompts make the actor act."""

    def __init__(self, actor: SyntheticApplicant, *, obey: bool = True) -> None:
        self.actor = actor
        self.obey = obey
        self.prompts: list[tuple[str, str]] = []
        self.recorded: list[Frame] = []

    def next_frame(self) -> Frame:
        f = self.actor.next_frame()
        self.recorded.append(f)
        return f

    def on_prompt(self, kind: str, text: str) -> None:
        self.prompts.append((kind, text))
        if kind == "action" and self.obey:
            self.actor.perform(text)


def test_genuine_applicant_passes_with_evidence(astronaut: np.ndarray, astronaut_chip: np.ndarray) -> None:
    s = _Session(SyntheticApplicant(astronaut, seed=21))
    res = IdentityCheck(FAST, Policy(liveness_actions=3), random.Random(7)).run(
        astronaut_chip, s.next_frame, s.on_prompt)
    assert res.passed and not res.escalate and res.reason == "身份核验通过"
    ev = res.evidence
    attempt = ev["attempts"][0]
    assert ev["reference_source"] == "chip" and ev["threshold"] == FAST.openvino_threshold
    assert ev["engine"] == "openvino" and ev["model"].startswith("face-reidentification-retail-0095")
    assert ev["model_sha256"] == REID_0095.sha256 and "fallback_reason" not in ev
    assert len(attempt["match"]["scores"]) == FAST.frames_for_decision
    assert attempt["match"]["median_score"] > FAST.openvino_threshold
    assert [a["action"] for a in attempt["liveness"]] == attempt["challenge"] and len(attempt["challenge"]) == 3
    assert all(a["outcome"] == "passed" and a["t_done"] >= a["t_prompt"] for a in attempt["liveness"])
    assert attempt["confirm"]["score"] > FAST.openvino_threshold
    import json

    json.dumps(ev)  # JSON-able
    actions = [t for k, t in s.prompts if k == "action"]
    assert actions == attempt["challenge"]
    assert ("result", "身份核验通过") in s.prompts
    assert res.live_encoding is not None and res.live_encoding.shape == (256,)


def test_challenges_differ_between_sessions(astronaut_chip: np.ndarray) -> None:
    chk = [IdentityCheck(FAST, Policy(), random.Random(seed)) for seed in range(6)]
    drawn = {tuple(c.rng.sample(list(c.actions), 2)) for c in chk}
    assert len(drawn) >= 4


def test_still_photo_fails_and_escalates(astronaut: np.ndarray, astronaut_chip: np.ndarray) -> None:
    # a printed photo held up: it sways and the sensor adds noise, but it never acts
    s = _Session(SyntheticApplicant(astronaut, seed=3), obey=False)
    res = IdentityCheck(FAST, Policy(face_attempts=2), random.Random(1)).run(astronaut_chip, s.next_frame, s.on_prompt)
    assert not res.passed and res.escalate
    assert "联系工作人员" in res.reason
    for attempt in res.evidence["attempts"]:
        assert attempt["match"]["match"]  # the photo does show the right face…
        assert attempt["liveness"][0]["outcome"] == "timeout"  # …but it is not alive


def test_identical_frames_fail(astronaut: np.ndarray, astronaut_chip: np.ndarray) -> None:
    still = next(SyntheticApplicant(astronaut, seed=3))
    n = iter(range(10**6))

    def frame() -> Frame:
        i = next(n)
        return Frame(still, i / 25, i)

    res = IdentityCheck(FAST, Policy(face_attempts=1), random.Random(2)).run(astronaut_chip, frame, lambda k, t: None)
    assert not res.passed and res.escalate


def test_replayed_recording_fails_a_new_challenge(astronaut: np.ndarray, astronaut_chip: np.ndarray) -> None:
    first = _Session(SyntheticApplicant(astronaut, seed=30))
    ok = IdentityCheck(FAST, Policy(), random.Random(100)).run(astronaut_chip, first.next_frame, first.on_prompt)
    assert ok.passed
    old = ok.evidence["attempts"][0]["challenge"]
    loop = first.recorded * 50  # the attacker loops the recording into a virtual camera
    k = iter(range(len(loop)))

    def replay() -> Frame:
        i = next(k)
        return Frame(loop[i].image, i / 25, i)

    rng = random.Random(5)
    res = IdentityCheck(FAST, Policy(), rng).run(astronaut_chip, replay, lambda kind, text: None)
    assert not res.passed and res.escalate
    challenges = [a["challenge"] for a in res.evidence["attempts"]]
    assert any(c != old for c in challenges)
    assert all(a["match"]["match"] for a in res.evidence["attempts"])  # the face itself is right
    failures = {a["failure"] for a in res.evidence["attempts"]}
    assert failures <= {"liveness_timeout", "liveness_contrary"}


def test_another_person_is_rejected_then_escalated(hopper: np.ndarray, astronaut_chip: np.ndarray) -> None:
    s = _Session(SyntheticApplicant(hopper, seed=9))
    res = IdentityCheck(FAST, Policy(face_attempts=2), random.Random(3)).run(astronaut_chip, s.next_frame, s.on_prompt)
    assert not res.passed and res.escalate
    assert [a["failure"] for a in res.evidence["attempts"]] == ["mismatch", "mismatch"]
    assert all(a["match"]["median_score"] < FAST.openvino_threshold - 0.2 for a in res.evidence["attempts"])
    assert not any(k == "action" for k, _ in s.prompts)  # no liveness for a mismatch
    assert "0." not in res.reason  # scores never reach the applicant


def test_actions_parameter_limits_the_draw(astronaut: np.ndarray, astronaut_chip: np.ndarray) -> None:
    s = _Session(SyntheticApplicant(astronaut, seed=12))
    res = IdentityCheck(FAST, Policy(liveness_actions=4), random.Random(0), actions=["blink", "open_mouth"]).run(
        astronaut_chip, s.next_frame, s.on_prompt)
    assert res.passed
    assert sorted(res.evidence["attempts"][0]["challenge"]) == ["blink", "open_mouth"]
    with pytest.raises(ValueError, match="liveness actions"):
        IdentityCheck(FAST, Policy(), random.Random(0), actions=["wink"])


def test_actor_supports_every_action() -> None:
    assert set(SUPPORTED_ACTIONS) == set(ACTIONS)


def test_cancel_unwinds(astronaut: np.ndarray, astronaut_chip: np.ndarray) -> None:
    actor = SyntheticApplicant(astronaut, seed=1)
    cancel = threading.Event()

    def frame() -> Frame:
        f = actor.next_frame()
        if f.seq == 5:
            cancel.set()
        return f

    with pytest.raises(Cancelled):
        IdentityCheck(FAST, Policy(), random.Random(0)).run(astronaut_chip, frame, lambda k, t: None, cancel)


def test_unusable_reference_escalates(astronaut: np.ndarray, caplog: pytest.LogCaptureFixture) -> None:
    actor = SyntheticApplicant(astronaut, seed=1)
    res = IdentityCheck(FAST, Policy(), random.Random(0)).run(
        np.zeros((126, 102, 3), np.uint8), actor.next_frame, lambda k, t: None)
    assert not res.passed and res.escalate and "证件照片" in res.reason
    assert any("reference photo unusable" in r.getMessage() for r in caplog.records)


def test_guidance_when_nobody_is_there(astronaut_chip: np.ndarray) -> None:
    prompts: list[tuple[str, str]] = []
    n = iter(range(10**6))

    def empty() -> Frame:
        i = next(n)
        return Frame(np.full((240, 320, 3), 90, np.uint8), i / 25, i)

    res = IdentityCheck(FAST, Policy(face_attempts=1), random.Random(0)).run(
        astronaut_chip, empty, lambda k, t: prompts.append((k, t)))
    assert not res.passed
    assert res.evidence["attempts"][0]["failure"] == "no_good_frames"
    guides = [t for k, t in prompts if k == "guide"]
    assert "请面对摄像头" in guides
    assert len(guides) < 10  # repeated every few seconds, not every frame


def _series(pts: np.ndarray, action: str, n: int = 30) -> list[np.ndarray]:
    """Landmarks of a real face moved as the action would move them (no pixels involved).

    Turns and nods rotate the landmarks in 3-D with a plausible depth per point (the nose tip
    in front, the jaw line behind) and project them back; blink and mouth move the lid and
    lip points.
    """
    cx, cy = pts[[0, 16], 0].mean(), (pts[27, 1] + pts[8, 1]) / 2.0
    fw = float(np.linalg.norm(pts[0] - pts[16]))
    rx, ry = 0.7 * fw, 0.9 * fw
    z = 0.42 * fw * np.clip(1 - ((pts[:, 0] - cx) / rx) ** 2 - ((pts[:, 1] - cy) / ry) ** 2, 0, None)
    z[27:31] += 0.2 * fw * np.linspace(0.4, 1.0, 4)  # the nose ridge
    out = []
    for k in range(n):
        s = np.sin(np.pi * k / (n - 1))  # there and back
        q = pts.copy()
        if action in ("turn_left", "turn_right", "nod"):
            th = np.radians((25 if action != "turn_right" else -25) * s if action != "nod" else 20 * s)
            if action == "nod":
                q[:, 1] = cy + (pts[:, 1] - cy) * np.cos(th) + z * np.sin(th)
            else:
                q[:, 0] = cx + (pts[:, 0] - cx) * np.cos(th) + z * np.sin(th)
        elif action == "blink":
            for up, low in ((37, 41), (38, 40), (43, 47), (44, 46)):
                q[up] = pts[up] + 0.9 * s * (pts[low] - pts[up])
        else:  # open_mouth
            q[[65, 66, 67]] += (0, 0.18 * fw * s)
            q[55:60] += (0, 0.18 * fw * s)
            q[5:12] += (0, 0.12 * fw * s)
        out.append(q)
    return out


@pytest.mark.parametrize("action", ACTIONS)
def test_landmark_motion_of_a_real_face_passes_its_action_only(hopper: np.ndarray, action: str) -> None:
    from kiosk.identity.faces import eye_aspect_ratio, head_pose, mouth_aspect_ratio

    obs0 = FaceAnalyzer().analyze(np.ascontiguousarray(hopper), 0.0, 0)
    assert obs0.landmarks is not None
    h, w = hopper.shape[:2]

    def observe(q: np.ndarray, k: int) -> FaceObservation:
        o = FaceObservation(t=k / 25, seq=k, faces=1, detected=False, box=(0, 1, 1, 0), landmarks=q)
        o.ear, o.mar = eye_aspect_ratio(q), mouth_aspect_ratio(q)
        o.yaw, o.pitch, o.roll = head_pose(q, w, h)
        return o

    base = Baseline.of([observe(obs0.landmarks, 0)])
    series = [observe(q, k) for k, q in enumerate(_series(obs0.landmarks, action))]
    for other in ACTIONS:
        det = ActionDetector(other, base)
        outcomes = [det.feed(o) for o in series]
        if other == action:
            assert "passed" in outcomes, (other, det.trace)
        else:
            assert "passed" not in outcomes, (other, det.trace)  # no action counts for another
