"""1:1 match on real photos: chip-size references, the evaluation, bad input."""
from __future__ import annotations

import numpy as np
import pytest

from kiosk.config import IdentitySettings
from kiosk.identity.evaluation import evaluate
from kiosk.identity.matcher import FaceMatcher, NoFaceError


@pytest.fixture(scope="module")
def matcher() -> FaceMatcher:
    return FaceMatcher(IdentitySettings())


def test_chip_photo_matches_the_same_person_and_not_another(
        matcher: FaceMatcher, astronaut: np.ndarray, hopper: np.ndarray, astronaut_chip: np.ndarray) -> None:
    same = matcher.compare(astronaut_chip, astronaut)
    other = matcher.compare(astronaut_chip, hopper)
    assert matcher.engine.name == "openvino"  # the shipped default
    assert same.match and same.score > matcher.threshold + 0.2
    assert not other.match and other.score < matcher.threshold - 0.2
    assert other.faces == 1
    assert set(same.as_dict()) == {"match", "distance", "faces"}
    assert same.as_dict()["distance"] == pytest.approx(1 - same.score, abs=1e-4)


def test_dlib_engine_decides_the_same_pairs(astronaut: np.ndarray, hopper: np.ndarray, astronaut_chip: np.ndarray) -> None:
    dl = FaceMatcher(IdentitySettings(engine="dlib"))
    same = dl.compare(astronaut_chip, astronaut)
    other = dl.compare(astronaut_chip, hopper)
    assert dl.engine.name == "dlib" and dl.threshold == pytest.approx(1 - IdentitySettings().match_threshold)
    assert same.match and same.distance < 0.4  # dlib's distance is the Euclidean one, as before
    assert not other.match and other.distance > 0.6


def test_live_image_with_two_faces_reports_them(matcher: FaceMatcher, astronaut: np.ndarray, hopper: np.ndarray,
                                                astronaut_chip: np.ndarray) -> None:
    both = np.zeros((600, 1100, 3), np.uint8)
    both[:512, :512] = astronaut
    both[:, 560:1072] = hopper
    res = matcher.compare(astronaut_chip, both)
    assert res.faces == 2
    assert not res.match  # compared by the largest face, which is Grace Hopper's
    strict = matcher.compare_strict(astronaut_chip, both)
    assert not strict.match and (strict.reference_faces, strict.faces) == (1, 2)


def test_threshold_decides(astronaut_chip: np.ndarray, astronaut: np.ndarray) -> None:
    strict = FaceMatcher(IdentitySettings(), threshold=0.99).compare(astronaut_chip, astronaut)
    assert not strict.match and strict.score < 0.99


def test_decision_uses_the_median_of_several_frames(matcher: FaceMatcher) -> None:
    t = matcher.threshold
    ok, med = matcher.decide([t + 0.2, t - 0.4, t + 0.15])  # one bad frame does not sink a genuine applicant
    assert ok and med == pytest.approx(t + 0.15)
    ok, med = matcher.decide([t + 0.2, t - 0.4, t - 0.3])
    assert not ok
    assert matcher.decide([]) == (False, float("-inf"))


def test_reference_without_detectable_face_uses_id_photo_layout(matcher: FaceMatcher, astronaut_chip: np.ndarray,
                                                               astronaut: np.ndarray) -> None:
    # a 102x126 chip photo is always encodable, even heavily blurred (the layout gives the box)
    import cv2

    blurred = cv2.GaussianBlur(astronaut_chip, (0, 0), 4.0)
    enc = matcher.encode_reference(blurred)
    assert enc.shape == (256,)
    live, _ = matcher.encode_live(astronaut)
    assert live is not None and matcher.score(enc, live) > 0.0


@pytest.mark.parametrize("bad", [
    np.zeros((126, 102, 3), np.uint8),
    np.full((480, 640, 3), 128, np.uint8),
    np.zeros((1, 1, 3), np.uint8),
    np.zeros((5, 5), np.float64),
])
def test_unusable_images_raise_no_face(matcher: FaceMatcher, bad: np.ndarray, astronaut_chip: np.ndarray) -> None:
    with pytest.raises(NoFaceError) as ei:
        matcher.compare(bad, astronaut_chip if bad.shape != (126, 102, 3) else bad)
    assert "人脸" in ei.value.message
    with pytest.raises(NoFaceError):
        matcher.compare(astronaut_chip, bad)


def test_huge_array_is_refused_before_any_work(matcher: FaceMatcher, astronaut_chip: np.ndarray) -> None:
    huge = np.broadcast_to(np.uint8(7), (7000, 6000, 3))  # 42 Mpx, no memory behind it
    with pytest.raises(NoFaceError) as ei:
        matcher.compare(astronaut_chip, huge)
    assert "too large" in ei.value.detail


def test_face_at_the_border_is_compared_not_crashed(matcher: FaceMatcher, astronaut: np.ndarray,
                                                    astronaut_chip: np.ndarray) -> None:
    # the face cut by the left edge: half of it outside the image
    cut = np.ascontiguousarray(astronaut[:, 205:])
    res = matcher.compare_strict(astronaut_chip, cut)
    assert res.faces in (0, 1)
    if res.faces == 1:
        assert np.isfinite(res.score)


def test_greyscale_photo_is_matched(matcher: FaceMatcher, astronaut: np.ndarray, astronaut_chip: np.ndarray) -> None:
    import cv2

    grey = cv2.cvtColor(astronaut, cv2.COLOR_RGB2GRAY)
    res = matcher.compare(astronaut_chip, grey)
    assert res.match and res.faces == 1


def test_evaluation_has_no_false_accept_and_rejects_only_covered_faces(astronaut: np.ndarray, hopper: np.ndarray) -> None:
    report = evaluate({"astronaut": astronaut, "hopper": hopper})
    assert report["engine"] == "openvino"
    assert report["threshold"] == IdentitySettings().openvino_threshold
    assert report["impostor_pairs"] == report["genuine_pairs"] == 20
    assert report["false_accepts"] == 0
    assert report["impostor_max_score"] < report["threshold"] - 0.1  # margin, not luck
    rejected = {r["transform"] for r in report["rows"] if r["genuine"] and not r["accepted"]}
    assert rejected <= {"occlude_mouth", "occlude_eye"}  # a covered face may be refused; everything else passes
