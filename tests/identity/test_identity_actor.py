"""The synthetic applicant: deterministic, moves a little, and acts only in pixels."""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.actor import SyntheticApplicant


def test_same_seed_same_frames_and_natural_motion(astronaut: np.ndarray) -> None:
    a, b = SyntheticApplicant(astronaut, seed=7), SyntheticApplicant(astronaut, seed=7)
    fa = [next(a) for _ in range(5)]
    fb = [next(b) for _ in range(5)]
    assert all(np.array_equal(x, y) for x, y in zip(fa, fb, strict=True))
    assert fa[0].shape == (480, 640, 3) and fa[0].dtype == np.uint8
    assert not np.array_equal(fa[0], fa[4])  # noise and sway: never a frozen image


def test_actions_change_only_their_region_and_end(astronaut: np.ndarray) -> None:
    actor = SyntheticApplicant(astronaut, seed=0, noise=0.0)
    actor._drift[:] = 0  # noqa: SLF001 - compare the pure effect of the action
    pts = actor.landmarks
    neutral = actor._base  # noqa: SLF001
    eyes = actor._act(neutral, "blink", 0.5)  # noqa: SLF001
    diff = np.abs(eyes.astype(int) - neutral.astype(int)).sum(axis=2) > 30
    ys, xs = np.nonzero(diff)
    assert ys.size > 100
    assert ys.max() < pts[30, 1] and ys.min() > pts[19, 1] - 15  # between the brows and the nose tip
    mouth = actor._act(neutral, "open_mouth", 0.5)  # noqa: SLF001
    ys, _ = np.nonzero(np.abs(mouth.astype(int) - neutral.astype(int)).sum(axis=2) > 30)
    assert ys.min() > pts[30, 1]  # below the nose
    duration = actor.perform("turn_left")
    assert actor.busy
    for _ in range(int(duration * actor.fps) + 1):
        next(actor)
    assert not actor.busy


def test_unknown_action_is_refused(astronaut: np.ndarray) -> None:
    with pytest.raises(ValueError, match="unknown action"):
        SyntheticApplicant(astronaut, seed=0).perform("wink")


def test_photo_without_face_is_a_device_error() -> None:
    from devices.base import DeviceError

    with pytest.raises(DeviceError):
        SyntheticApplicant(np.full((200, 200, 3), 120, np.uint8))


def test_next_frame_runs_on_a_virtual_clock(hopper: np.ndarray) -> None:
    actor = SyntheticApplicant(hopper, fps=20, seed=1)
    frames = [actor.next_frame() for _ in range(3)]
    assert [f.seq for f in frames] == [0, 1, 2]
    assert [f.t for f in frames] == [0.0, 0.05, 0.1]
