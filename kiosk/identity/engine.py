"""Face engines: detect → align → embed → compare, behind one small interface.

Detection is YuNet (`cv2.FaceDetectorYN`, a 230 kB ONNX model) for every engine: boxes plus
five landmarks (eyes, nose tip, mouth corners) in about 20 ms at 640×480, where dlib's HOG
takes about 150 ms. Two embedders sit behind `FaceEngine`:

- `openvino`: Intel's face-reidentification-retail-0095 (MobileFaceNet, Apache-2.0) through
  the OpenVINO runtime. The face is warped by a similarity transform so that the five YuNet
  landmarks fall on the model's reference points in a 128×128 BGR crop; the 256-d output is
  compared by cosine similarity.
- `dlib`: face_recognition's 128-d ResNet descriptor on dlib's 68 landmarks (which liveness
  needs anyway); its Euclidean distance d is reported as the score 1 − d.

Both give a *score* where larger means "more alike" and decide `score >= threshold`; the
thresholds come from `bench/bench_face_accuracy.py` (docs/face-calibration.md). The models are
vendored in `resources/models/face/` and their sha256 is checked when they load: a file that
does not match is never used, `doctor` says so, and the engine falls back to dlib, which the
evidence then names (`fallback_reason`).
"""
from __future__ import annotations

import copy
import hashlib
import logging
import sys
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from kiosk.errors import UserFacingError
from kiosk.texts import QT_TRANSLATE_NOOP, fmt

log = logging.getLogger(__name__)

MODELS_DIR = Path(__file__).resolve().parents[2] / "resources" / "models" / "face"
ENGINES = ("openvino", "dlib")


@dataclass(frozen=True)
class ModelFiles:
    """A vendored model: its files with the sha256 each must have."""

    name: str
    files: tuple[tuple[str, str], ...]  # (file name, sha256)
    licence: str

    @property
    def sha256(self) -> str:
        """The hash of the file that carries the weights (the one the evidence names)."""
        return self.files[-1][1]


YUNET = ModelFiles(
    "face_detection_yunet_2023mar",
    (("face_detection_yunet_2023mar.onnx", "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4"),),
    "MIT (OpenCV Zoo)",
)
REID_0095 = ModelFiles(
    "face-reidentification-retail-0095 FP16",
    (("face-reidentification-retail-0095.xml", "ce53d2c9c08c0bd1c1660fb8a5b6d0e3e4ec19eb92f1036d2d83a85e83082dce"),
     ("face-reidentification-retail-0095.bin", "241229ca3d206321868d46ce74a3c0b06c49cea58db7dc70b2e842ff287545d1")),
    "Apache-2.0 (Intel Open Model Zoo)",
)

# 0095's reference points for (image-left eye, image-right eye, nose tip, image-left and
# image-right mouth corner), normalised to the crop: the 96×112 template the model was
# trained on, as Open Model Zoo's face recognition demo uses it. YuNet gives its five
# landmarks in the same order.
REID_SIZE = 128
REID_TEMPLATE = np.array(
    [(30.2946 / 96, 51.6963 / 112), (65.5318 / 96, 51.5014 / 112), (48.0252 / 96, 71.7366 / 112),
     (33.5493 / 96, 92.3655 / 112), (62.7299 / 96, 92.2041 / 112)], dtype=np.float32) * REID_SIZE

Box = tuple[int, int, int, int]  # (top, right, bottom, left), as face_recognition uses


class ModelError(UserFacingError):
    """A vendored model file is missing or is not the file that was calibrated."""

    def __init__(self, model: str, detail: str) -> None:
        super().__init__(fmt(QT_TRANSLATE_NOOP("kiosk", "人脸模型文件损坏或缺失（{model}），请重新安装本软件"), model=model),
                         detail=detail, code="face_model")
        self.model = model


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


_verified: dict[tuple[str, float, int], str] = {}
_verified_lock = threading.Lock()


def verify_model(model: ModelFiles, root: Path | None = None) -> list[Path]:
    """The model's paths after checking every file's sha256; `ModelError` when one is off.

    A file is hashed once per (path, mtime, size): the check costs ~10 ms per model.
    """
    root = root or MODELS_DIR
    paths = []
    for name, want in model.files:
        p = root / name
        try:
            st = p.stat()
        except OSError:
            raise ModelError(model.name, f"{p}: missing") from None
        key = (str(p), st.st_mtime, st.st_size)
        with _verified_lock:
            got = _verified.get(key)
        if got is None:
            got = sha256_of(p)
            with _verified_lock:
                _verified[key] = got
        if got != want:
            raise ModelError(model.name, f"{p}: sha256 {got}, expected {want}")
        paths.append(p)
    return paths


def model_state(root: Path | None = None) -> list[dict[str, Any]]:
    """One row per vendored model for `doctor`: name, ok, sha256 or the problem."""
    rows = []
    for model in (YUNET, REID_0095):
        try:
            verify_model(model, root)
        except ModelError as exc:
            rows.append({"model": model.name, "ok": False, "problem": exc.detail, "licence": model.licence})
        else:
            rows.append({"model": model.name, "ok": True, "sha256": model.sha256, "licence": model.licence})
    return rows


@dataclass(frozen=True)
class Detection:
    """One face: box (top, right, bottom, left) in pixels, five landmarks (x, y), YuNet's score."""

    box: Box
    landmarks: np.ndarray = field(repr=False)
    score: float = 1.0

    @property
    def width(self) -> int:
        return self.box[1] - self.box[3]

    @property
    def area(self) -> int:
        return max(0, self.box[1] - self.box[3]) * max(0, self.box[2] - self.box[0])


def five_points(pts68: np.ndarray) -> np.ndarray:
    """YuNet-style five landmarks from dlib's 68: eye centres, nose tip, outer mouth corners."""
    return np.array([pts68[36:42].mean(axis=0), pts68[42:48].mean(axis=0), pts68[30], pts68[48], pts68[54]],
                    dtype=np.float32)


def dlib_box(det: Detection, w: int, h: int) -> Box:
    """The box dlib's 68-point predictor expects for a YuNet detection.

    The predictor was trained on HOG boxes, which sit lower and tighter than YuNet's
    (brows to chin rather than hairline to chin). Measured on the calibration photos (median
    over 40 faces): HOG left = x − 0.08 w, top = y + 0.115 h, width 1.105 w, height 0.84 h.
    """
    top, right, bottom, left = det.box
    bw, bh = right - left, bottom - top
    x0 = left - 0.08 * bw
    y0 = top + 0.115 * bh
    x1, y1 = x0 + 1.105 * bw, y0 + 0.84 * bh
    return (int(max(0, y0)), int(min(w - 1, x1)), int(min(h - 1, y1)), int(max(0, x0)))


class YuNetDetector:
    """`cv2.FaceDetectorYN` sized to each image; thread-safe by a lock (it is stateful).

    Faces narrower than about 10 px are not found; the caller upsamples small photos.
    """

    def __init__(self, root: Path | None = None, *, score_threshold: float = 0.7) -> None:
        (path,) = verify_model(YUNET, root)
        self._net = cv2.FaceDetectorYN.create(str(path), "", (320, 320), score_threshold, 0.3, 50)
        self._size = (320, 320)
        self._lock = threading.Lock()

    def detect(self, rgb: np.ndarray) -> list[Detection]:
        """All faces, largest first, in the image's own pixels."""
        h, w = rgb.shape[:2]
        if h < 8 or w < 8:
            return []
        bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
        with self._lock:
            if self._size != (w, h):
                self._net.setInputSize((w, h))
                self._size = (w, h)
            _, faces = self._net.detect(bgr)
        if faces is None:
            return []
        out = []
        for f in faces:
            x, y, bw, bh = (float(v) for v in f[:4])
            if bw <= 1 or bh <= 1:
                continue
            box = (max(0, int(y)), min(w - 1, int(x + bw)), min(h - 1, int(y + bh)), max(0, int(x)))
            out.append(Detection(box, np.asarray(f[4:14], np.float32).reshape(5, 2), float(f[14])))
        out.sort(key=lambda d: -d.area)
        return out


def align(rgb: np.ndarray, landmarks: np.ndarray, size: int = REID_SIZE) -> np.ndarray:
    """The face warped (similarity transform) so that its five landmarks sit on 0095's template."""
    m, _ = cv2.estimateAffinePartial2D(np.asarray(landmarks, np.float32), REID_TEMPLATE, method=cv2.LMEDS)
    if m is None or not np.all(np.isfinite(m)):
        raise ValueError("landmarks do not define a similarity transform")
    return cv2.warpAffine(rgb, m, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


class FaceEngine(ABC):
    """detect → align → embed → compare. Scores: larger is more alike; match when ≥ threshold."""

    name: str
    model: ModelFiles | None

    def __init__(self, detector: YuNetDetector, threshold: float) -> None:
        self.detector = detector
        self.threshold = float(threshold)
        self.fallback_reason: str | None = None  # set when this engine stands in for another

    def detect(self, rgb: np.ndarray) -> list[Detection]:
        return self.detector.detect(rgb)

    @abstractmethod
    def embed(self, rgb: np.ndarray, det: Detection, *, pts68: np.ndarray | None = None) -> np.ndarray:
        """Embedding of the face `det` in `rgb`; `pts68` are dlib's landmarks when known."""

    @abstractmethod
    def score(self, a: np.ndarray, b: np.ndarray) -> float:
        """Similarity of two embeddings from this engine."""

    def matches(self, score: float) -> bool:
        return score >= self.threshold

    def describe(self) -> dict[str, Any]:
        """What decided, for the evidence and `face-verify`: engine, model + sha256, threshold."""
        out: dict[str, Any] = {"engine": self.name, "threshold": round(self.threshold, 4),
                               "detector": YUNET.name, "detector_sha256": YUNET.sha256}
        if self.model is not None:
            out.update(model=self.model.name, model_sha256=self.model.sha256)
        if self.fallback_reason:
            out["fallback_reason"] = self.fallback_reason
        return out


def openvino_runtime() -> Any:
    """The OpenVINO runtime, imported without its model-conversion tools.

    `import openvino` also imports `openvino.tools.ovc`, which sends a usage event to Intel's
    analytics (on by default, from a background thread). A kiosk holding applicants' faces
    never phones home and needs no model conversion: blocking that one submodule makes the
    package skip it (it imports it under `try/except ImportError`).
    """
    if "openvino" not in sys.modules:
        sys.modules.setdefault("openvino.tools.ovc", None)  # type: ignore[arg-type]
    import openvino

    return openvino


class OpenVinoEngine(FaceEngine):
    """face-reidentification-retail-0095 on the OpenVINO CPU plugin, cosine similarity."""

    name = "openvino"
    model = REID_0095

    def __init__(self, detector: YuNetDetector, threshold: float, root: Path | None = None) -> None:
        super().__init__(detector, threshold)
        xml, _bin = verify_model(REID_0095, root)
        core = openvino_runtime().Core()
        # two cores shared with the recorder and the GUI: one inference thread is enough
        self._compiled = core.compile_model(str(xml), "CPU", {"INFERENCE_NUM_THREADS": 1})
        self._request = self._compiled.create_infer_request()
        self._lock = threading.Lock()

    def embed(self, rgb: np.ndarray, det: Detection, *, pts68: np.ndarray | None = None) -> np.ndarray:
        """Mean of the unit embeddings of the aligned face and its mirror image, unit length.

        The mirror costs a second inference (~12 ms) and on the East-Asian calibration set
        cuts false rejects at 1 % false accepts from 13 % to 10 % (docs/face-calibration.md).
        """
        face = align(rgb, det.landmarks)
        total = np.zeros(0)
        for view in (face, face[:, ::-1]):
            blob = cv2.cvtColor(np.ascontiguousarray(view), cv2.COLOR_RGB2BGR).transpose(2, 0, 1)[None]
            with self._lock:
                out = self._request.infer({0: blob.astype(np.float32)})
                vec = np.asarray(next(iter(out.values())), dtype=np.float64).reshape(-1).copy()
            n = float(np.linalg.norm(vec))
            vec = vec / n if n > 0 else vec
            total = vec if total.size == 0 else total + vec
        n = float(np.linalg.norm(total))
        return total / n if n > 0 else total

    def score(self, a: np.ndarray, b: np.ndarray) -> float:
        a = np.asarray(a, np.float64)
        b = np.asarray(b, np.float64)
        den = float(np.linalg.norm(a) * np.linalg.norm(b))
        return float(np.dot(a, b) / den) if den > 0 else 0.0


class DlibEngine(FaceEngine):
    """face_recognition's ResNet descriptor; score = 1 − Euclidean distance."""

    name = "dlib"
    model = None

    def __init__(self, detector: YuNetDetector, threshold: float, *, jitters: int = 0) -> None:
        super().__init__(detector, threshold)
        from kiosk.identity.faces import _load_models

        _det, self._predictor, self._encoder = _load_models()
        self.jitters = jitters
        self._lock = threading.Lock()

    def shape(self, rgb: np.ndarray, box: Box) -> tuple[np.ndarray, object]:
        import dlib

        top, right, bottom, left = box
        with self._lock:
            shape = self._predictor(rgb, dlib.rectangle(left, top, right, bottom))  # type: ignore[operator]
        return np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64), shape

    def embed(self, rgb: np.ndarray, det: Detection, *, pts68: np.ndarray | None = None) -> np.ndarray:
        h, w = rgb.shape[:2]
        _pts, shape = self.shape(rgb, dlib_box(det, w, h))
        with self._lock:
            desc = self._encoder.compute_face_descriptor(rgb, shape, self.jitters)  # type: ignore[attr-defined]
        return np.asarray(desc, dtype=np.float64)

    def score(self, a: np.ndarray, b: np.ndarray) -> float:
        return 1.0 - float(np.linalg.norm(np.asarray(a, np.float64) - np.asarray(b, np.float64)))


_engines: dict[tuple[str, str], FaceEngine] = {}
_engines_lock = threading.Lock()
_detectors: dict[str, YuNetDetector] = {}


def detector(root: Path | None = None) -> YuNetDetector:
    """The process's YuNet (loaded once per models folder); `ModelError` if its hash is off."""
    key = str(root or MODELS_DIR)
    with _engines_lock:
        if key not in _detectors:
            _detectors[key] = YuNetDetector(root)
        return _detectors[key]


def engine_threshold(settings: Any, name: str) -> float:
    """The configured threshold of engine `name`, as a score (dlib's distance d → 1 − d)."""
    if name == "dlib":
        return 1.0 - float(settings.match_threshold)
    return float(settings.openvino_threshold)


def load_engine(settings: Any, *, name: str | None = None, threshold: float | None = None,
                root: Path | None = None) -> FaceEngine:
    """The configured engine; its models load once per process (per engine and models folder),
    and each call gets it with its own threshold (a shallow copy sharing the loaded models).

    If the OpenVINO model or runtime cannot be used (wrong hash, missing file, no runtime),
    the dlib engine decides instead with its own calibrated threshold and `fallback_reason`
    says why. Without a usable YuNet there is no detector at all: `ModelError`.
    """
    wanted = name or str(getattr(settings, "engine", "openvino"))
    if wanted not in ENGINES:
        raise ValueError(f"unknown face engine {wanted!r}; choose one of {ENGINES}")
    key = (wanted, str(root or MODELS_DIR))
    with _engines_lock:
        base = _engines.get(key)
    if base is None:
        det = detector(root)
        engine: FaceEngine
        if wanted == "openvino":
            try:
                engine = OpenVinoEngine(det, engine_threshold(settings, wanted), root)
            except (ModelError, ImportError, RuntimeError) as exc:
                reason = exc.detail if isinstance(exc, ModelError) else f"{type(exc).__name__}: {exc}"
                log.error("face engine openvino unusable, falling back to dlib: %s", reason)  # noqa: TRY400 - the reason says it all
                engine = DlibEngine(det, engine_threshold(settings, "dlib"))
                engine.fallback_reason = f"openvino unusable: {reason}"
        else:
            engine = DlibEngine(det, engine_threshold(settings, wanted))
        with _engines_lock:
            base = _engines.setdefault(key, engine)
    thr = engine_threshold(settings, base.name) if threshold is None else float(threshold)
    if thr == base.threshold:
        return base
    other = copy.copy(base)
    other.threshold = thr
    return other


def engine_state(settings: Any, root: Path | None = None) -> dict[str, Any]:
    """What `doctor` says about face matching: the engine that will decide and why, model rows.

    Does not load the models (only hashes them), so it is cheap and safe to run anywhere.
    """
    import importlib.util

    models = model_state(root)
    by_name = {r["model"]: r for r in models}
    wanted = str(getattr(settings, "engine", "openvino"))
    problems = [f"{r['model']}: {r['problem']}" for r in models if not r["ok"]]
    effective = wanted
    if not by_name[YUNET.name]["ok"]:
        effective = "none"
    elif wanted == "openvino":
        if not by_name[REID_0095.name]["ok"]:
            effective = "dlib"
        elif importlib.util.find_spec("openvino") is None:
            effective = "dlib"
            problems.append("openvino runtime not installed")
    return {"configured": wanted, "effective": effective, "ok": not problems and effective == wanted,
            "threshold": round(engine_threshold(settings, effective if effective != "none" else wanted), 4),
            "problems": problems, "models": models}
