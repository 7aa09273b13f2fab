"""1:1 match on real photos: chip-size references, the evaluation, bad input."""
from __future__ import annotations

import numpy as np
import pytest

from kiosk.config import IdentitySettings
from kiosk.identity.evaluation import evaluate, make_chip_photo
from kiosk.identity.matcher import FaceMatcher, NoFaceError


@pytest.fixture(scope="module")
def matcher() -> FaceMatcher:
    return FaceMatcher(IdentitySettings())


def test_chip_photo_matches_the_same_person_and_not_another(
        matcher: FaceMatcher, astronaut: np.ndarray, hopper: np.ndarray, astronaut_chip: np.ndarray) -> None:
    same = matcher.compare(astronaut_chip, astronaut)
    other = matcher.compare(astronaut_chip, hopper)
    assert same.match and same.distance < 0.4
    assert not other.match and other.distance > 0.6
    assert other.faces == 1
    assert set(same.as_dict()) == {"match", "distance", "faces"}


def test_live_image_with_two_faces_reports_them(matcher: FaceMatcher, astronaut: np.ndarray) -> None:
    # skimage's astronaut photo: her face, and the HOG detector also fires on the suit's patch
    res = matcher.compare(make_chip_photo(astronaut), astronaut)
    assert res.faces == 2
    assert res.match  # compared by the largest face


def test_threshold_decides(astronaut_chip: np.ndarray, astronaut: np.ndarray) -> None:
    strict = FaceMatcher(IdentitySettings(), threshold=0.05).compare(astronaut_chip, astronaut)
    assert not strict.match and strict.distance > 0.05


def test_decision_uses_the_median_of_several_frames(matcher: FaceMatcher) -> None:
    ok, med = matcher.decide([0.3, 0.9, 0.35])  # one bad frame does not sink a genuine applicant
    assert ok and med == pytest.approx(0.35)
    ok, med = matcher.decide([0.3, 0.9, 0.8])
    assert not ok
    assert matcher.decide([]) == (False, float("inf"))


def test_reference_without_detectable_face_uses_id_photo_layout(matcher: FaceMatcher, astronaut_chip: np.ndarray) -> None:
    # a 102x126 chip photo is always encodable, even heavily blurred (the layout gives the box)
    import cv2

    blurred = cv2.GaussianBlur(astronaut_chip, (0, 0), 2.5)
    enc = matcher.encode_reference(blurred)
    assert enc.shape == (128,)


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


def test_evaluation_has_no_false_accept_and_rejects_only_covered_faces(astronaut: np.ndarray, hopper: np.ndarray) -> None:
    report = evaluate({"astronaut": astronaut, "hopper": hopper})
    assert report["threshold"] == IdentitySettings().match_threshold
    assert report["impostor_pairs"] == report["genuine_pairs"] == 20
    assert report["false_accepts"] == 0
    assert report["impostor_min_distance"] > report["threshold"] + 0.1  # margin, not luck
    rejected = {r["transform"] for r in report["rows"] if r["genuine"] and not r["accepted"]}
    assert rejected <= {"occlude_mouth"}  # a masked face must be unmasked; everything else passes
    genuine = [r["distance"] for r in report["rows"] if r["genuine"] and r["transform"] != "occlude_mouth"]
    assert max(genuine) < 0.4
