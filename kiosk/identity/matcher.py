"""1:1 face match: a reference photo (chip or platform) against live faces.

The chip photo of a 二代身份证 is 102×126 pixels with a face about 60 px wide — below what
dlib's HOG detector finds unaided, and the 150-px aligned chip the encoder wants would be
mostly upsampling blur. The reference is therefore upscaled (bicubic) before detection and
landmarking; if the detector still finds nothing, the standardised layout of an ID photo
gives the face box. Distances are Euclidean between 128-d dlib descriptors: the same person
is typically 0.25–0.45 apart, different people 0.6 and more.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.config import IdentitySettings
from kiosk.errors import UserFacingError
from kiosk.identity.faces import FaceAnalyzer, FaceObservation, QualityGates, ensure_rgb

_REFERENCE_MIN_HEIGHT = 480  # upscale small reference photos to about this height


@dataclass(frozen=True)
class FaceComparison:
    """Outcome of one 1:1 comparison; `faces` counts the faces seen in the live image."""

    match: bool
    distance: float
    faces: int

    def as_dict(self) -> dict[str, object]:
        return {"match": self.match, "distance": round(self.distance, 4), "faces": self.faces}


class NoFaceError(UserFacingError):
    def __init__(self, which: str, detail: str = "") -> None:
        super().__init__(f"{which}中没有找到清晰的人脸，请重新拍摄或联系工作人员", detail=detail, code="no_face")
        self.which = which


def face_distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(a, np.float64) - np.asarray(b, np.float64)))


class FaceMatcher:
    """Encodes faces and decides match / no match against `settings.match_threshold`."""

    def __init__(self, settings: IdentitySettings | None = None, *, threshold: float | None = None,
                 analyzer: FaceAnalyzer | None = None) -> None:
        self.settings = settings or IdentitySettings()
        self.threshold = float(threshold if threshold is not None else self.settings.match_threshold)
        self.analyzer = analyzer or FaceAnalyzer(QualityGates(min_face_px=self.settings.min_face_px))

    # ------------------------------------------------------------------ encodings
    def encode_reference(self, rgb: np.ndarray, *, jitters: int = 2) -> np.ndarray:
        """Descriptor of the reference photo; small photos are upscaled first.

        A few jitters (random crops averaged by dlib) steady the descriptor of a tiny, often
        JPEG-damaged chip photo; it is computed once per session, so the cost does not matter.
        """
        img = _checked(rgb, "证件照片")
        h, w = img.shape[:2]
        if h < _REFERENCE_MIN_HEIGHT:
            f = _REFERENCE_MIN_HEIGHT / float(h)
            img = cv2.resize(img, (max(1, int(round(w * f))), _REFERENCE_MIN_HEIGHT), interpolation=cv2.INTER_CUBIC)
        boxes = self._locate(img)
        if boxes:
            box = boxes[0]
        elif _looks_like_id_photo(rgb):
            box = _id_photo_face_box(img.shape[1], img.shape[0])
        else:
            raise NoFaceError("证件照片", detail=f"no face in reference photo {w}x{h}")
        return self._encode_box(img, box, jitters)

    def encode_live(self, rgb: np.ndarray, *, jitters: int = 0) -> tuple[np.ndarray | None, int]:
        """Descriptor of the largest face in a live image and how many faces it shows."""
        img = _checked(rgb, "现场照片")
        h = img.shape[0]
        if h < _REFERENCE_MIN_HEIGHT // 2:
            f = _REFERENCE_MIN_HEIGHT / float(h)
            img = cv2.resize(img, (max(1, int(round(img.shape[1] * f))), _REFERENCE_MIN_HEIGHT),
                             interpolation=cv2.INTER_CUBIC)
        boxes = self._locate(img)
        if not boxes:
            return None, 0
        return self._encode_box(img, boxes[0], jitters), len(boxes)

    def encode_observation(self, rgb: np.ndarray, obs: FaceObservation) -> np.ndarray:
        """Descriptor of a tracked face, reusing the landmarks the analyser already found."""
        return self.analyzer.encode(rgb, obs)

    def _locate(self, img: np.ndarray) -> list[tuple[int, int, int, int]]:
        import face_recognition.api as fr

        # one upsampling pass finds faces down to ~40 px (a photo of a photo, a tilted head)
        locs = fr.face_locations(img, number_of_times_to_upsample=1 if max(img.shape[:2]) <= 800 else 0)
        return sorted(locs, key=lambda b: -(b[1] - b[3]) * (b[2] - b[0]))

    def _encode_box(self, img: np.ndarray, box: tuple[int, int, int, int], jitters: int) -> np.ndarray:
        pts, shape = self.analyzer.landmarks(img, box)
        obs = FaceObservation(t=0.0, seq=0, faces=1, detected=True, box=box, landmarks=pts, shape=shape)
        return self.analyzer.encode(img, obs, jitters)

    # ------------------------------------------------------------------ decisions
    def decide(self, distances: list[float]) -> tuple[bool, float]:
        """Match when the median distance over several good frames is within the threshold."""
        if not distances:
            return False, float("inf")
        med = float(np.median(distances))
        return med <= self.threshold, med

    def compare(self, id_photo_rgb: np.ndarray, live_rgb: np.ndarray) -> FaceComparison:
        """One reference photo against one live image (the `face-verify` command).

        Raises `NoFaceError` when either image has no face; several faces in the live image
        are compared by the largest and reported in `faces`.
        """
        ref = self.encode_reference(id_photo_rgb)
        live, faces = self.encode_live(live_rgb)
        if live is None:
            raise NoFaceError("现场照片", detail="no face in live image")
        d = face_distance(ref, live)
        return FaceComparison(match=d <= self.threshold, distance=d, faces=faces)


def _checked(rgb: np.ndarray, which: str) -> np.ndarray:
    try:
        img = ensure_rgb(rgb)
    except ValueError as exc:
        raise NoFaceError(which, detail=str(exc)) from None
    h, w = img.shape[:2]
    if h < 32 or w < 32:
        raise NoFaceError(which, detail=f"image too small: {w}x{h}")
    if float(img.std()) < 2.0:
        raise NoFaceError(which, detail="blank image (uniform pixels)")
    return img


def _looks_like_id_photo(rgb: np.ndarray) -> bool:
    """Chip photos are 102×126 (or a multiple): portrait, aspect 0.81."""
    h, w = rgb.shape[:2]
    return h <= 400 and abs(w / float(h) - 102 / 126) < 0.05


def _id_photo_face_box(w: int, h: int) -> tuple[int, int, int, int]:
    """Where the face sits in a standard ID photo: (top, right, bottom, left)."""
    return (int(h * 0.30), int(w * 0.80), int(h * 0.78), int(w * 0.20))
