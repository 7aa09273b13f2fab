"""The face engines on real photos: YuNet's landmarks, the alignment, the hash check and the
fallback it triggers, doctor's report, and no telemetry from the OpenVINO runtime."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from kiosk.cli.doctor import check_face_engine
from kiosk.config import IdentitySettings, Settings
from kiosk.identity.engine import (
    MODELS_DIR,
    REID_0095,
    REID_TEMPLATE,
    YUNET,
    ModelError,
    align,
    detector,
    engine_state,
    load_engine,
    model_state,
    sha256_of,
    verify_model,
)
from kiosk.identity.evaluation import make_chip_photo
from kiosk.identity.matcher import FaceMatcher


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    """A copy of the models folder whose 0095 weights have one byte changed."""
    root = tmp_path / "face"
    shutil.copytree(MODELS_DIR, root)
    weights = root / "face-reidentification-retail-0095.bin"
    weights.chmod(0o644)
    data = bytearray(weights.read_bytes())
    data[1000] ^= 0xFF
    weights.write_bytes(bytes(data))
    return root


def test_vendored_models_are_the_calibrated_files() -> None:
    for model in (YUNET, REID_0095):
        for path, (name, want) in zip(verify_model(model), model.files, strict=True):
            assert path.name == name and sha256_of(path) == want
    assert all(r["ok"] for r in model_state())
    notices = (MODELS_DIR / "README.md").read_text(encoding="utf-8")
    assert "MIT" in notices and "Apache" in notices and YUNET.sha256 in notices and REID_0095.sha256 in notices


def test_yunet_gives_box_and_five_landmarks_in_template_order(astronaut: np.ndarray) -> None:
    (det,) = detector().detect(astronaut)
    top, right, bottom, left = det.box
    (lx, ly), (rx, ry), (nx, ny), (mlx, mly), (mrx, mry) = det.landmarks
    assert left < lx < nx < rx < right and top < ly < ny < mly < bottom
    assert mlx < nx < mrx and abs(ly - ry) < 10
    assert det.score > 0.8


def test_alignment_puts_the_landmarks_on_the_template(astronaut: np.ndarray) -> None:
    import cv2

    (det,) = detector().detect(astronaut)
    face = align(astronaut, det.landmarks)
    assert face.shape == (128, 128, 3)
    m, _ = cv2.estimateAffinePartial2D(det.landmarks, REID_TEMPLATE, method=cv2.LMEDS)
    moved = cv2.transform(det.landmarks[None], m)[0]
    assert np.abs(moved - REID_TEMPLATE).max() < 6.0  # five points, four degrees of freedom


def test_wrong_hash_is_refused_and_dlib_decides_named_in_the_evidence(
        damaged: Path, astronaut: np.ndarray, hopper: np.ndarray, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(ModelError) as ei:
        verify_model(REID_0095, damaged)
    assert "sha256" in ei.value.detail and "重新安装" in ei.value.message
    engine = load_engine(IdentitySettings(), root=damaged)
    assert engine.name == "dlib"
    assert "falling back to dlib" in caplog.text  # the technician's log says it loudly
    assert engine.fallback_reason is not None and "sha256" in engine.fallback_reason
    described = FaceMatcher(IdentitySettings(), engine=engine).describe()
    assert described["engine"] == "dlib" and "openvino unusable" in str(described["fallback_reason"])
    matcher = FaceMatcher(IdentitySettings(), engine=engine)
    chip = make_chip_photo(astronaut)
    assert matcher.compare(chip, astronaut).match and not matcher.compare(chip, hopper).match


def test_doctor_names_the_bad_model_and_the_fallback(damaged: Path) -> None:
    good = check_face_engine(Settings())
    assert good.ok and "openvino" in good.detail and REID_0095.sha256[:12] in good.detail
    bad = check_face_engine(Settings(), damaged)
    assert not bad.ok
    assert "face-reidentification-retail-0095" in bad.detail and "dlib" in bad.detail and bad.fix
    st = engine_state(IdentitySettings(), damaged)
    assert (st["configured"], st["effective"]) == ("openvino", "dlib")


def test_damaged_detector_means_no_face_check_at_all(tmp_path: Path) -> None:
    root = tmp_path / "face"
    shutil.copytree(MODELS_DIR, root)
    onnx = root / YUNET.files[0][0]
    onnx.chmod(0o644)
    onnx.write_bytes(b"not a model")
    with pytest.raises(ModelError):
        load_engine(IdentitySettings(), root=root)
    bad = check_face_engine(Settings(), root)
    assert not bad.ok and "无法进行人脸核验" in bad.detail


def test_unknown_engine_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown face engine"):
        load_engine(IdentitySettings(), name="arcface")


def test_models_load_once_per_process() -> None:
    a = load_engine(IdentitySettings())
    b = load_engine(IdentitySettings())
    assert a is b and a.detector is detector()
    strict = load_engine(IdentitySettings(openvino_threshold=0.6))
    assert strict.threshold == 0.6 and a.threshold == IdentitySettings().openvino_threshold
    assert strict._request is a._request  # type: ignore[attr-defined]  # the same loaded model


def test_openvino_runtime_is_loaded_without_its_telemetry() -> None:
    load_engine(IdentitySettings())
    assert "openvino" in sys.modules
    assert sys.modules.get("openvino.tools.ovc") is None  # the module that reports usage to Intel
