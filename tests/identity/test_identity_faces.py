"""Frame analysis on real photos: measurements, quality gates and guidance, bad frames."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.actor import SyntheticApplicant
from kiosk.identity.faces import GUIDANCE, FaceAnalyzer, QualityGates, ensure_rgb


@pytest.fixture(scope="module")
def scene(astronaut: np.ndarray) -> np.ndarray:
    return next(SyntheticApplicant(astronaut, seed=5, noise=0.0))


def test_frontal_face_is_good_with_plausible_measurements(scene: np.ndarray) -> None:
    obs = FaceAnalyzer().analyze(scene, 0.0, 0)
    assert obs.good, obs.problem
    assert obs.faces == 1 and obs.width >= 150
    assert 0.25 < obs.ear < 0.4  # eyes open
    assert obs.mar < 0.3  # smiling, lips together
    assert abs(obs.yaw) < 10 and abs(obs.pitch) < 15


def test_detection_is_yunet_with_five_landmarks_and_tracked_frames_still_embed(scene: np.ndarray) -> None:
    from kiosk.identity.engine import YuNetDetector

    an = FaceAnalyzer(detect_every=5)
    first = an.analyze(scene, 0.0, 0)
    assert isinstance(an._yunet, YuNetDetector)
    assert first.detection is not None and first.detection.landmarks.shape == (5, 2)
    box = first.box
    assert box is not None
    (lx, ly), (rx, _ry) = first.detection.landmarks[:2]
    assert box[3] < lx < rx < box[1] and box[0] < ly < box[2]  # YuNet's eyes inside dlib's box
    tracked = an.analyze(scene, 0.04, 1)
    assert not tracked.detected and tracked.detection is None
    a, b = an.encode(scene, first), an.encode(scene, tracked)
    assert an.engine.score(a, b) > 0.95  # a tracked frame aligns (YuNet runs for it) like a detected one


def test_tracking_between_detections_follows_the_face(scene: np.ndarray) -> None:
    an = FaceAnalyzer(detect_every=5)
    boxes = []
    for i in range(10):
        shifted = np.roll(scene, 3 * i, axis=1)  # the person drifts right, 3 px a frame
        boxes.append(an.analyze(shifted, i / 25, i).box)
    assert an.detections == 2  # frames 0 and 5; the landmarks carried the rest
    lefts = [b[3] for b in boxes if b]
    assert len(lefts) == 10
    assert lefts[-1] - lefts[0] == pytest.approx(27, abs=6)


@pytest.mark.parametrize(("change", "problem"), [
    (lambda im: cv2.copyMakeBorder(
        cv2.resize(im, (288, 216)), 132, 132, 176, 176, cv2.BORDER_CONSTANT, value=(190, 185, 175)), "too_small"),
    (lambda im: (im * 0.2).astype(np.uint8), "too_dark"),
    (lambda im: cv2.GaussianBlur(im, (0, 0), 4), "blurry"),
])
def test_quality_gates_name_the_problem(scene: np.ndarray, change, problem: str) -> None:
    # a face ~90 px wide (the person stands back) is found by the full-frame fallback
    obs = FaceAnalyzer(QualityGates(min_face_px=120)).analyze(np.ascontiguousarray(change(scene)), 0.0, 0)
    assert obs.problem == problem
    assert problem in GUIDANCE


def test_turned_head_is_not_frontal(astronaut: np.ndarray) -> None:
    actor = SyntheticApplicant(astronaut, seed=2, noise=0.0)
    actor.perform("turn_right")
    an = FaceAnalyzer()
    problems = [an.analyze(next(actor), i / 25, i).problem for i in range(20)]
    assert "not_frontal" in problems


def test_two_people_are_many_faces(astronaut: np.ndarray, hopper: np.ndarray) -> None:
    a = cv2.resize(astronaut[30:230, 120:320], (320, 320))
    b = cv2.resize(hopper[110:410, 120:420], (320, 320))
    both = np.vstack([np.hstack([a, b]), np.full((160, 640, 3), 180, np.uint8)])
    obs = FaceAnalyzer(QualityGates(min_face_px=60)).analyze(both, 0.0, 0)
    assert obs.faces == 2
    assert obs.problem == "many_faces"
    assert GUIDANCE["many_faces"] == "请确保镜头前只有您一人"


@pytest.mark.parametrize("frame", [
    np.zeros((480, 640, 3), np.uint8),
    np.full((480, 640, 3), 128, np.uint8),
    np.zeros((1, 1, 3), np.uint8),
    np.full((480, 640), 200, np.uint8),
])
def test_frames_without_faces_give_no_face(frame: np.ndarray) -> None:
    obs = FaceAnalyzer().analyze(frame, 0.0, 0)
    assert not obs.has_face and obs.problem == "no_face"


def test_non_image_arrays_are_rejected_clearly() -> None:
    with pytest.raises(ValueError, match="uint8"):
        ensure_rgb(np.zeros((10, 10, 3), np.float32))
    with pytest.raises(ValueError, match="shape"):
        ensure_rgb(np.zeros((10, 10, 2), np.uint8))


def test_track_is_dropped_when_the_person_leaves(scene: np.ndarray) -> None:
    an = FaceAnalyzer(detect_every=5)
    assert an.analyze(scene, 0.0, 0).good
    from skimage import data

    behind = cv2.resize(data.coffee(), (640, 480))  # a textured scene without a face
    seen = [an.analyze(behind, i / 25, i).has_face for i in range(1, 25)]
    assert not any(seen[-5:])  # landmarks fitted to an empty box do not keep a ghost alive


def test_landmarks_on_the_crop_are_the_full_frames_landmarks(scene: np.ndarray) -> None:
    """Landmarks are predicted on a crop around the face (dlib holds the GIL for less time);
    the points must be where dlib finds them on the whole frame, at the face and at an edge."""
    import dlib

    an = FaceAnalyzer()
    obs = an.analyze(scene, 0.0, 0)
    assert obs.box is not None
    for box, frame in ((obs.box, scene), (obs.box, np.ascontiguousarray(scene[:, obs.box[3] - 10:]))):
        top, right, bottom, left = box
        if frame is not scene:  # the face near the left edge: the margin is clipped
            right, left = right - (box[3] - 10), 10
        shape = an._predictor(frame, dlib.rectangle(left, top, right, bottom))
        whole = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
        cropped = an.landmarks(frame, (top, right, bottom, left))
        assert cropped.shape == (68, 2)
        assert np.abs(cropped - whole).max() <= 1.0
