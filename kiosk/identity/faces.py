"""Per-frame face analysis: detect on a downscaled frame, track between detections, measure.

Detection is YuNet (`kiosk.identity.engine`, ~6 ms on a 320-px copy) every few frames; dlib's
68 landmarks (2 ms) follow the face in between and give what liveness needs: eye and mouth
aspect ratios and the head pose from `cv2.solvePnP`. Embeddings are computed only for frames
that pass the quality gates, by the configured engine.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import cv2
import numpy as np

from kiosk.texts import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from kiosk.identity.engine import Detection, FaceEngine

# Problems a frame can have, in the order they are checked, with what the applicant is told.
GUIDANCE: dict[str, str] = {
    "no_face": QT_TRANSLATE_NOOP("kiosk", "请面对摄像头"),
    "many_faces": QT_TRANSLATE_NOOP("kiosk", "请确保镜头前只有您一人"),
    "too_small": QT_TRANSLATE_NOOP("kiosk", "请靠近一点"),
    "too_dark": QT_TRANSLATE_NOOP("kiosk", "光线太暗"),
    "too_bright": QT_TRANSLATE_NOOP("kiosk", "光线太亮，请避开强光"),
    "blurry": QT_TRANSLATE_NOOP("kiosk", "请保持不动"),
    "not_frontal": QT_TRANSLATE_NOOP("kiosk", "请正视摄像头"),
}

# A generic head in camera-aligned axes (x right, y down, z away from the camera), millimetres
# scaled as in the classic 6-point model; with these signs a frontal face gives R = I, so the
# Euler angles stay near 0 and never wrap around 180°.
_MODEL_POINTS = np.array(
    [
        (0.0, 0.0, 0.0),  # 30 nose tip
        (0.0, 330.0, 65.0),  # 8 chin
        (-225.0, -170.0, 135.0),  # 36 outer corner of the eye on the image left
        (225.0, -170.0, 135.0),  # 45 outer corner of the eye on the image right
        (-150.0, 150.0, 125.0),  # 48 mouth corner, image left
        (150.0, 150.0, 125.0),  # 54 mouth corner, image right
    ],
    dtype=np.float64,
)
_POSE_IDX = (30, 8, 36, 45, 48, 54)
MAX_DETECT_MISSES = 3  # detections in a row that find nothing before the track is dropped


def preload_models() -> None:
    """Load dlib's models (a second with the GIL held), YuNet and the default engine now,
    rather than at the first face."""
    from kiosk.config import IdentitySettings
    from kiosk.identity.engine import ModelError, load_engine

    _load_models()
    try:
        load_engine(IdentitySettings())
    except ModelError:
        pass  # doctor and the identity step report it; preloading only saves time


def _load_models() -> tuple[object, object, object]:
    """dlib's HOG detector, 68-point predictor and ResNet encoder, as face_recognition ships them."""
    import face_recognition.api as fr  # loads the models once per process

    return fr.face_detector, fr.pose_predictor_68_point, fr.face_encoder


@dataclass(frozen=True)
class QualityGates:
    """Thresholds a frame must meet before it is used for matching."""

    min_face_px: int = 80
    min_sharpness: float = 25.0  # variance of the Laplacian on a 128-px-wide face crop
    min_brightness: float = 50.0  # mean grey level of the face
    max_brightness: float = 215.0
    max_yaw_deg: float = 15.0
    max_pitch_deg: float = 15.0


@dataclass
class FaceObservation:
    """What one frame showed. `box` is (top, right, bottom, left) in full-frame pixels."""

    t: float
    seq: int
    faces: int
    detected: bool
    box: tuple[int, int, int, int] | None = None
    landmarks: np.ndarray | None = field(default=None, repr=False)
    ear: float = 0.0
    mar: float = 0.0
    yaw: float = 0.0
    pitch: float = 0.0
    roll: float = 0.0
    sharpness: float = 0.0
    brightness: float = 0.0
    problem: str | None = "no_face"
    detection: Detection | None = field(default=None, repr=False)  # YuNet's, on frames it ran on

    @property
    def has_face(self) -> bool:
        return self.landmarks is not None

    @property
    def good(self) -> bool:
        return self.problem is None

    @property
    def width(self) -> int:
        if self.box is None:
            return 0
        return self.box[1] - self.box[3]


def eye_aspect_ratio(pts: np.ndarray) -> float:
    """Soukupová & Čech's EAR over both eyes: about 0.3 open, below 0.2 closed."""

    def one(e: np.ndarray) -> float:
        a = np.linalg.norm(e[1] - e[5])
        b = np.linalg.norm(e[2] - e[4])
        c = np.linalg.norm(e[0] - e[3])
        return float((a + b) / (2.0 * c)) if c > 0 else 0.0

    return (one(pts[36:42]) + one(pts[42:48])) / 2.0


def mouth_aspect_ratio(pts: np.ndarray) -> float:
    """Inner-lip opening over inner-lip width: near 0 closed, above 0.4 clearly open."""
    opening = (np.linalg.norm(pts[61] - pts[67]) + np.linalg.norm(pts[62] - pts[66])
               + np.linalg.norm(pts[63] - pts[65])) / 3.0
    width = np.linalg.norm(pts[60] - pts[64])
    return float(opening / width) if width > 0 else 0.0


def head_pose(pts: np.ndarray, frame_w: int, frame_h: int) -> tuple[float, float, float]:
    """(yaw, pitch, roll) in degrees from solvePnP on six landmarks.

    yaw > 0: the nose points to the image right, i.e. the applicant turned to their own left
    (the camera image is not mirrored). pitch > 0: the face turned down (a nod's first half).
    """
    image_points = pts[list(_POSE_IDX)].astype(np.float64)
    focal = float(frame_w)
    cam = np.array([[focal, 0, frame_w / 2.0], [0, focal, frame_h / 2.0], [0, 0, 1]], dtype=np.float64)
    ok, rvec, _tvec = cv2.solvePnP(_MODEL_POINTS, image_points, cam, np.zeros(4), flags=cv2.SOLVEPNP_ITERATIVE)
    if not ok:
        return 0.0, 0.0, 0.0
    rot, _ = cv2.Rodrigues(rvec)
    angles = cv2.RQDecomp3x3(rot)[0]
    pitch, yaw, roll = (float(a) for a in angles)
    # RQDecomp's rotation about y is positive when the nose turns toward -x (image left) in
    # these axes; flip it so that yaw > 0 means the nose points image-right.
    return -yaw, pitch, roll


AROUND_PX = 160  # width YuNet sees when it re-finds a tracked face for an embedding


class FaceAnalyzer:
    """Stateful per-stream analyser: one instance per camera stream, not thread-safe.

    `detect_width`: width of the copy YuNet runs on (it finds faces down to about 15 px
    there, i.e. 30 px of a 640-px frame at the default). Faces narrower than half the
    quality gate's minimum are not counted (a poster far behind is not a second person).
    `engine` embeds the frames a decision uses; the configured one when not given.
    """

    def __init__(self, gates: QualityGates | None = None, *, detect_every: int = 5,
                 detect_width: int = 320, engine: FaceEngine | None = None) -> None:
        from kiosk.identity.engine import detector

        self.gates = gates or QualityGates()
        self.detect_every = max(1, detect_every)
        self.detect_width = detect_width
        self._yunet = engine.detector if engine is not None else detector()
        self._engine = engine
        _det, self._predictor, _enc = _load_models()
        self._track: tuple[int, int, int, int] | None = None
        self._track_det: Detection | None = None
        self._faces = 0
        self._since_detect = 10**9
        self._misses = 0
        self.frames = 0
        self.detections = 0
        self.encodings = 0

    @property
    def engine(self) -> FaceEngine:
        if self._engine is None:
            from kiosk.config import IdentitySettings
            from kiosk.identity.engine import load_engine

            self._engine = load_engine(IdentitySettings())
        return self._engine

    def reset(self) -> None:
        self._misses = 0
        self._track = None
        self._track_det = None
        self._faces = 0
        self._since_detect = 10**9

    # ------------------------------------------------------------------ detection
    def find(self, rgb: np.ndarray) -> list[Detection]:
        """YuNet on a downscaled copy: faces largest first, in full-frame pixels."""
        from kiosk.identity.engine import Detection

        h, w = rgb.shape[:2]
        scale = min(1.0, self.detect_width / float(w)) if w > 0 else 1.0
        small = rgb if scale >= 1.0 else cv2.resize(rgb, (max(1, int(w * scale)), max(1, int(h * scale))),
                                                    interpolation=cv2.INTER_AREA)
        self.detections += 1
        out = []
        for d in self._yunet.detect(small):
            top, right, bottom, left = (int(v / scale) for v in d.box)
            det = Detection((max(0, top), min(w - 1, right), min(h - 1, bottom), max(0, left)),
                            d.landmarks / scale, d.score)
            if det.width >= self.gates.min_face_px // 2:
                out.append(det)
        return out

    def detect(self, rgb: np.ndarray) -> list[tuple[int, int, int, int]]:
        """All faces, largest first, as the (top, right, bottom, left) boxes dlib's landmarks want."""
        from kiosk.identity.engine import dlib_box

        h, w = rgb.shape[:2]
        return [dlib_box(d, w, h) for d in self.find(rgb)]

    def landmarks(self, rgb: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
        """dlib's 68 points of the face in `box` (top, right, bottom, left), in `rgb`'s pixels."""
        import dlib

        top, right, bottom, left = box
        # dlib holds the GIL while it predicts and copies whatever image it is given: a crop
        # around the face (a quarter of the box as margin) halves the time it holds it
        h, w = rgb.shape[:2]
        mx, my = (right - left) // 4, (bottom - top) // 4
        x0, y0 = max(0, left - mx), max(0, top - my)
        x1, y1 = min(w, right + mx), min(h, bottom + my)
        crop = np.ascontiguousarray(rgb[y0:y1, x0:x1]) if x1 > x0 and y1 > y0 else rgb
        if crop is rgb:
            x0 = y0 = 0
        shape = self._predictor(crop, dlib.rectangle(left - x0, top - y0, right - x0, bottom - y0))  # type: ignore[operator]
        return np.array([(p.x + x0, p.y + y0) for p in shape.parts()], dtype=np.float64)

    def encode(self, rgb: np.ndarray, obs: FaceObservation) -> np.ndarray:
        """Embedding of the face in `obs` (which must come from the same `rgb`).

        The engine aligns on YuNet's five landmarks: on a frame YuNet did not run on, it runs
        now (only frames a decision uses are encoded); if it finds nothing there, the five
        points come from dlib's 68.
        """
        from kiosk.identity.engine import Detection, five_points

        if obs.landmarks is None or obs.box is None:
            raise ValueError("observation has no face")
        det = obs.detection
        if det is None:
            found = [(d, _overlap(d.box, obs.box)) for d in self._detect_around(rgb, obs.box)]
            found = [(d, o) for d, o in found if o > 0.3]
            det = max(found, key=lambda x: x[1])[0] if found else Detection(obs.box, five_points(obs.landmarks), 0.0)
        self.encodings += 1
        return self.engine.embed(rgb, det)

    def _detect_around(self, rgb: np.ndarray, box: tuple[int, int, int, int]) -> list[Detection]:
        """YuNet on a square around the tracked face (three times its size), scaled to at most
        `AROUND_PX` wide: a few ms against ~15 ms on a whole 640×480 frame. Full-frame pixels."""
        from kiosk.identity.engine import Detection

        h, w = rgb.shape[:2]
        top, right, bottom, left = box
        side = 3 * max(right - left, bottom - top)
        cx, cy = (left + right) // 2, (top + bottom) // 2
        y0, y1 = max(0, cy - side // 2), min(h, cy + side // 2)
        x0, x1 = max(0, cx - side // 2), min(w, cx + side // 2)
        crop = rgb[y0:y1, x0:x1]
        scale = min(1.0, AROUND_PX / max(1, x1 - x0))
        if scale < 1.0:
            crop = cv2.resize(crop, (max(1, round((x1 - x0) * scale)), max(1, round((y1 - y0) * scale))),
                              interpolation=cv2.INTER_AREA)
        off = np.array([x0, y0], np.float32)
        out = []
        for d in self._yunet.detect(np.ascontiguousarray(crop)):
            t, r, b, lft = (int(v / scale) for v in d.box)
            out.append(Detection((t + y0, r + x0, b + y0, lft + x0), d.landmarks / scale + off, d.score))
        return out

    # ------------------------------------------------------------------ per frame
    def analyze(self, rgb: np.ndarray, t: float = 0.0, seq: int = 0) -> FaceObservation:
        rgb = ensure_rgb(rgb)
        self.frames += 1
        h, w = rgb.shape[:2]
        detected = False
        if self._track is None or self._since_detect >= self.detect_every:
            from kiosk.identity.engine import dlib_box

            dets = self.find(rgb)
            detected = True
            self._since_detect = 0
            self._faces = len(dets)
            if dets:
                self._track = dlib_box(dets[0], w, h)
                self._track_det = dets[0]
                self._misses = 0
            elif self._track is not None:
                # the detector misses strongly turned heads, so one miss keeps the landmark
                # track; but landmarks fit *something* in any box, so after a few misses in a
                # row the person has left and the track goes.
                self._misses += 1
                if self._misses >= MAX_DETECT_MISSES:
                    self._track = None
        self._since_detect += 1
        if self._track is None:
            return FaceObservation(t=t, seq=seq, faces=self._faces, detected=detected, problem="no_face")
        pts = self.landmarks(rgb, self._track)
        box = _box_from_landmarks(pts, w, h)
        if box is None:
            self._track = None
            return FaceObservation(t=t, seq=seq, faces=self._faces, detected=detected, problem="no_face")
        self._track = box
        obs = FaceObservation(t=t, seq=seq, faces=max(self._faces, 1), detected=detected, box=box,
                              landmarks=pts,
                              detection=self._track_det if detected and self._faces else None)
        obs.ear = eye_aspect_ratio(pts)
        obs.mar = mouth_aspect_ratio(pts)
        obs.yaw, obs.pitch, obs.roll = head_pose(pts, w, h)
        obs.sharpness, obs.brightness = _crop_stats(rgb, box)
        obs.problem = self._judge(obs)
        return obs

    def _judge(self, obs: FaceObservation) -> str | None:
        g = self.gates
        if obs.faces > 1:
            return "many_faces"
        if obs.width < g.min_face_px:
            return "too_small"
        if obs.brightness < g.min_brightness:
            return "too_dark"
        if obs.brightness > g.max_brightness:
            return "too_bright"
        if obs.sharpness < g.min_sharpness:
            return "blurry"
        if abs(obs.yaw) > g.max_yaw_deg or abs(obs.pitch) > g.max_pitch_deg:
            return "not_frontal"
        return None


def ensure_rgb(image: np.ndarray) -> np.ndarray:
    """uint8 RGB, contiguous: greyscale and RGBA inputs are converted, others rejected."""
    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        raise ValueError(f"expected uint8 image, got {arr.dtype}")
    if arr.ndim == 2:
        arr = cv2.cvtColor(arr, cv2.COLOR_GRAY2RGB)
    elif arr.ndim == 3 and arr.shape[2] == 4:
        arr = cv2.cvtColor(arr, cv2.COLOR_RGBA2RGB)
    elif not (arr.ndim == 3 and arr.shape[2] == 3):
        raise ValueError(f"expected an RGB image, got shape {arr.shape}")
    return np.ascontiguousarray(arr)


def _box_from_landmarks(pts: np.ndarray, w: int, h: int) -> tuple[int, int, int, int] | None:
    """A detector-like box (brows to chin, cheek to cheek) around the landmarks, or None if absurd."""
    xs, ys = pts[:, 0], pts[:, 1]
    left, right = float(xs.min()), float(xs.max())
    top = float(min(pts[17:27, 1].min(), ys.min()))
    bottom = float(ys.max())
    bw, bh = right - left, bottom - top
    if bw < 8 or bh < 8 or not (0.5 < bh / bw < 2.0):
        return None
    cx, cy = (left + right) / 2.0, (top + bottom) / 2.0
    if not (0 <= cx < w and 0 <= cy < h):
        return None
    return (max(0, int(top)), min(w - 1, int(right)), min(h - 1, int(bottom)), max(0, int(left)))


def _crop_stats(rgb: np.ndarray, box: tuple[int, int, int, int]) -> tuple[float, float]:
    top, right, bottom, left = box
    crop = rgb[top:bottom, left:right]
    if crop.size == 0:
        return 0.0, 0.0
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    scale = 128.0 / max(1, grey.shape[1])
    grey = cv2.resize(grey, (128, max(1, int(math.ceil(grey.shape[0] * scale)))), interpolation=cv2.INTER_AREA)
    sharp = float(cv2.Laplacian(grey, cv2.CV_64F).var())
    return sharp, float(grey.mean())


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection over union of two (top, right, bottom, left) boxes."""
    top, bottom = max(a[0], b[0]), min(a[2], b[2])
    left, right = max(a[3], b[3]), min(a[1], b[1])
    inter = max(0, bottom - top) * max(0, right - left)
    area = (a[2] - a[0]) * (a[1] - a[3]) + (b[2] - b[0]) * (b[1] - b[3]) - inter
    return inter / area if area > 0 else 0.0
