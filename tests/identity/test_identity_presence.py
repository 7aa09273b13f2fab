"""Presence during the recording: sampling rate, absence, a second face, someone else."""
from __future__ import annotations

import numpy as np
import pytest

from devices.base import Frame
from devices.camera.actor import SyntheticApplicant
from kiosk.config import IdentitySettings
from kiosk.identity import FaceMatcher, IdentityResult, PresenceMonitor

SETTINGS = IdentitySettings(presence_sample_hz=2.0, presence_min_share=0.8)


@pytest.fixture(scope="module")
def reference(astronaut_chip: np.ndarray) -> np.ndarray:
    return FaceMatcher(SETTINGS).encode_reference(astronaut_chip)


@pytest.fixture(scope="module")
def frames(astronaut: np.ndarray, hopper: np.ndarray) -> dict[str, np.ndarray]:
    person = next(SyntheticApplicant(astronaut, seed=1))
    other = next(SyntheticApplicant(hopper, seed=1))
    wall = np.full_like(person, 185)
    wall[:, 500:] = (150, 120, 95)
    # someone looking over the applicant's shoulder: the other face, smaller, at the side
    two = person.copy()
    small = other[60:380, 160:480][::2, ::2]
    two[0:160, 480:640] = small
    return {"person": person, "other": other, "wall": wall, "two": two}


def _feed(pm: PresenceMonitor, seq: list[str], frames: dict[str, np.ndarray], fps: int = 10) -> None:
    for i, name in enumerate(seq):
        pm.feed(Frame(frames[name], i / fps, i))


def test_samples_at_its_own_rate_and_drops_the_rest(reference: np.ndarray, frames: dict[str, np.ndarray]) -> None:
    pm = PresenceMonitor(SETTINGS, reference)
    _feed(pm, ["person"] * 30, frames)  # 3 s at 10 fps, sampled at 2 Hz
    v = pm.verdict()
    assert v["samples"] == 6 and v["dropped"] == 24
    assert v["passed"] and v["present_share"] == 1.0 and v["events"] == []
    assert v["median_score"] > SETTINGS.openvino_threshold


def test_absence_is_an_event_with_times(reference: np.ndarray, frames: dict[str, np.ndarray]) -> None:
    pm = PresenceMonitor(SETTINGS, reference)
    _feed(pm, ["person"] * 20 + ["wall"] * 20 + ["person"] * 10, frames)
    v = pm.verdict()
    assert v["absent"] and not v["passed"]
    assert v["present_share"] == pytest.approx(6 / 10)
    (ev,) = v["events"]
    assert ev["kind"] == "absent" and ev["t0"] == pytest.approx(2.0) and ev["t1"] == pytest.approx(3.5)
    assert ev["samples"] == 4


def test_second_face_and_other_person_are_flagged(reference: np.ndarray, frames: dict[str, np.ndarray]) -> None:
    pm = PresenceMonitor(SETTINGS, reference)
    _feed(pm, ["person"] * 10 + ["two"] * 10 + ["other"] * 10 + ["person"] * 30, frames)
    v = pm.verdict()
    kinds = [e["kind"] for e in v["events"]]
    assert kinds == ["second_face", "other_person"]
    assert v["second_face"] and v["other_person"]
    assert v["present_share"] == pytest.approx(10 / 12, abs=1e-4)  # the applicant was there with the bystander
    assert v["passed"]  # share above the threshold; the flags go to the reviewer


def test_accepts_an_identity_result(reference: np.ndarray) -> None:
    res = IdentityResult(True, "身份核验通过", False, {}, live_encoding=reference)
    assert np.array_equal(PresenceMonitor(SETTINGS, res).reference, reference)
    with pytest.raises(ValueError, match="encoding"):
        PresenceMonitor(SETTINGS, IdentityResult(False, "x", True, {}))


def test_bad_frames_count_as_absent(reference: np.ndarray) -> None:
    pm = PresenceMonitor(SETTINGS, reference)
    pm.feed(Frame(np.zeros((1, 1, 3), np.uint8), 0.0, 0))
    pm.feed(Frame(np.zeros((4, 4), np.float32), 1.0, 1))
    v = pm.verdict()
    assert v["samples"] == 2 and v["present_share"] == 0.0 and not v["passed"]
    assert PresenceMonitor(SETTINGS, reference).verdict()["passed"] is False  # no samples, no pass
