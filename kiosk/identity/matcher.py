"""1:1 face match: a reference photo (chip or platform) against live faces.

The engine (`kiosk.identity.engine`) detects with YuNet and embeds with the configured model;
this module decides what to compare. The chip photo of a 二代身份证 is 102×126 pixels with a
face about 60 px wide: small photos are upscaled (bicubic) before detection so that the five
landmarks the alignment rests on are found reliably. If no face is found on a photo with the
ID-photo layout, the standardised layout gives the face box and dlib's 68 landmarks give the
five points.

Scores: larger is more alike; `distance` is 1 − score (dlib: the Euclidean distance itself).
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.config import IdentitySettings
from kiosk.errors import UserFacingError
from kiosk.identity.engine import Detection, DlibEngine, FaceEngine, five_points, load_engine
from kiosk.identity.faces import ensure_rgb
from kiosk.texts import QT_TRANSLATE_NOOP, fmt

_REFERENCE_MIN_HEIGHT = 480  # upscale small reference photos to about this height
MAX_PIXELS = 40_000_000  # a larger "photo" is refused rather than decoded into gigabytes


@dataclass(frozen=True)
class FaceComparison:
    """Outcome of one 1:1 comparison; `faces` counts the faces seen in the live image."""

    match: bool
    score: float
    faces: int
    reference_faces: int = 1

    @property
    def distance(self) -> float:
        return 1.0 - self.score

    def as_dict(self) -> dict[str, object]:
        return {"match": self.match, "distance": round(self.distance, 4), "faces": self.faces}


class NoFaceError(UserFacingError):
    def __init__(self, which: str, detail: str = "") -> None:
        super().__init__(fmt(QT_TRANSLATE_NOOP("kiosk", "{which}中没有找到清晰的人脸，请重新拍摄或联系工作人员"), which=which),
                         detail=detail, code="no_face")
        self.which = which


class FaceMatcher:
    """Embeds faces with the configured engine and decides match / no match at its threshold.

    `threshold` is a score (larger = stricter); `None` takes the engine's configured one.
    """

    def __init__(self, settings: IdentitySettings | None = None, *, threshold: float | None = None,
                 engine: FaceEngine | None = None) -> None:
        self.settings = settings or IdentitySettings()
        self.engine = engine or load_engine(self.settings, threshold=threshold)
        self.threshold = float(threshold) if threshold is not None else self.engine.threshold

    def describe(self) -> dict[str, object]:
        out = self.engine.describe()
        out["threshold"] = round(self.threshold, 4)
        return out

    # ------------------------------------------------------------------ embeddings
    def encode_reference(self, rgb: np.ndarray) -> np.ndarray:
        """Embedding of the reference photo's largest face; small photos are upscaled first."""
        vec, faces = self._embed(rgb, QT_TRANSLATE_NOOP("kiosk", "证件照片"), id_layout=True)
        if vec is None:
            h, w = np.asarray(rgb).shape[:2]
            raise NoFaceError(QT_TRANSLATE_NOOP("kiosk", "证件照片"), detail=f"no face in reference photo {w}x{h}")
        return vec

    def encode_live(self, rgb: np.ndarray) -> tuple[np.ndarray | None, int]:
        """Embedding of the largest face in a live image and how many faces it shows."""
        return self._embed(rgb, QT_TRANSLATE_NOOP("kiosk", "现场照片"), id_layout=False)

    def _embed(self, rgb: np.ndarray, which: str, *, id_layout: bool) -> tuple[np.ndarray | None, int]:
        img = upscaled(_checked(rgb, which))
        dets = self.engine.detect(img)
        if dets:
            return self.engine.embed(img, dets[0]), len(dets)
        if id_layout and _looks_like_id_photo(rgb):
            return self.engine.embed(img, self._layout_detection(img)), 1
        return None, 0

    def count_faces(self, rgb: np.ndarray | None) -> int:
        """Faces YuNet finds in an image; 0 for anything that is not a usable image."""
        if rgb is None:
            return 0
        try:
            return len(self.engine.detect(upscaled(_checked(rgb, QT_TRANSLATE_NOOP("kiosk", "图片")))))
        except NoFaceError:
            return 0

    def _layout_detection(self, img: np.ndarray) -> Detection:
        """Where the face sits in a standard ID photo, with landmarks from dlib's 68 points."""
        box = _id_photo_face_box(img.shape[1], img.shape[0])
        dl = self.engine if isinstance(self.engine, DlibEngine) else _dlib_landmarker(self.engine)
        pts, _shape = dl.shape(img, box)
        return Detection(box, five_points(pts), 0.0)

    # ------------------------------------------------------------------ decisions
    def score(self, a: np.ndarray, b: np.ndarray) -> float:
        return self.engine.score(a, b)

    def matches(self, score: float) -> bool:
        return score >= self.threshold

    def decide(self, scores: list[float]) -> tuple[bool, float]:
        """Match when the median score over several good frames reaches the threshold."""
        if not scores:
            return False, float("-inf")
        med = float(np.median(scores))
        return self.matches(med), med

    def compare(self, id_photo_rgb: np.ndarray, live_rgb: np.ndarray) -> FaceComparison:
        """One reference photo against one live image (the `face-verify` command).

        Raises `NoFaceError` when either image has no face; several faces in the live image
        are compared by the largest and reported in `faces`.
        """
        ref = self.encode_reference(id_photo_rgb)
        live, faces = self.encode_live(live_rgb)
        if live is None:
            raise NoFaceError(QT_TRANSLATE_NOOP("kiosk", "现场照片"), detail="no face in live image")
        s = self.score(ref, live)
        return FaceComparison(match=self.matches(s), score=s, faces=faces)

    def compare_strict(self, id_photo_rgb: np.ndarray, live_rgb: np.ndarray) -> FaceComparison:
        """Batch form: exactly one face on each side, else no match with the counts (no raise
        for missing faces; unreadable arrays still raise `NoFaceError`)."""
        ref, ref_faces = self._embed(id_photo_rgb, QT_TRANSLATE_NOOP("kiosk", "证件照片"), id_layout=True)
        live, faces = self.encode_live(live_rgb)
        if ref is None or live is None or ref_faces != 1 or faces != 1:
            return FaceComparison(match=False, score=float("nan"), faces=faces, reference_faces=ref_faces)
        s = self.score(ref, live)
        return FaceComparison(match=self.matches(s), score=s, faces=faces, reference_faces=ref_faces)


_landmarkers: dict[int, DlibEngine] = {}


def _dlib_landmarker(engine: FaceEngine) -> DlibEngine:
    """A dlib engine sharing `engine`'s detector, used only for its 68-point shape predictor."""
    key = id(engine.detector)
    if key not in _landmarkers:
        _landmarkers[key] = DlibEngine(engine.detector, 0.0)
    return _landmarkers[key]


def upscaled(img: np.ndarray) -> np.ndarray:
    """Photos under 240 px high are upscaled (bicubic) to 480: chip photos, thumbnails."""
    h, w = img.shape[:2]
    if h >= _REFERENCE_MIN_HEIGHT // 2:
        return img
    f = _REFERENCE_MIN_HEIGHT / float(h)
    return cv2.resize(img, (max(1, int(round(w * f))), _REFERENCE_MIN_HEIGHT), interpolation=cv2.INTER_CUBIC)


def _checked(rgb: np.ndarray, which: str) -> np.ndarray:
    try:
        img = ensure_rgb(rgb)
    except ValueError as exc:
        raise NoFaceError(which, detail=str(exc)) from None
    h, w = img.shape[:2]
    if h < 32 or w < 32:
        raise NoFaceError(which, detail=f"image too small: {w}x{h}")
    if h * w > MAX_PIXELS:
        raise NoFaceError(which, detail=f"image too large: {w}x{h}")
    if float(img.std()) < 2.0:
        raise NoFaceError(which, detail="blank image (uniform pixels)")
    return img


def _looks_like_id_photo(rgb: np.ndarray) -> bool:
    """Chip photos are 102×126 (or a multiple): portrait, aspect 0.81."""
    h, w = np.asarray(rgb).shape[:2]
    return h <= 400 and abs(w / float(h) - 102 / 126) < 0.05


def _id_photo_face_box(w: int, h: int) -> tuple[int, int, int, int]:
    """Where the face sits in a standard ID photo: (top, right, bottom, left)."""
    return (int(h * 0.30), int(w * 0.80), int(h * 0.78), int(w * 0.20))
