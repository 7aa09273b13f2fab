"""What the evidence and the report say about the 1:1 decision: engine, model + sha256,
threshold and score (and the fallback, when the configured engine could not be used)."""
from __future__ import annotations

import random

import numpy as np

from devices.base import Frame
from devices.camera.actor import SyntheticApplicant
from kiosk.config import IdentitySettings
from kiosk.evidence.report import identity_summary
from kiosk.identity import IdentityCheck
from kiosk.identity.engine import REID_0095, YUNET
from kiosk.model import Policy


class _MatchDecided(Exception):
    pass


def _stop_at_liveness(kind: str, text: str) -> None:
    if kind == "action":
        raise _MatchDecided(text)


def test_identity_evidence_names_engine_model_threshold_and_score(astronaut: np.ndarray,
                                                                  astronaut_chip: np.ndarray) -> None:
    actor = SyntheticApplicant(astronaut, seed=3)
    n = [0]

    def next_frame() -> Frame:
        n[0] += 1
        return Frame(next(actor), n[0] / 25.0, n[0])

    chk = IdentityCheck(IdentitySettings(), Policy(face_attempts=1), random.Random(1))
    try:
        chk.run(astronaut_chip, next_frame, _stop_at_liveness)
    except _MatchDecided:
        pass
    ev = chk.last_evidence
    assert ev is not None
    assert ev["engine"] == "openvino" and ev["model_sha256"] == REID_0095.sha256
    assert ev["detector"] == YUNET.name and ev["detector_sha256"] == YUNET.sha256
    match = ev["attempts"][0]["match"]
    assert match["match"] and match["median_score"] >= ev["threshold"] == IdentitySettings().openvino_threshold
    cells = identity_summary({**ev, "score": match["median_score"], "passed": True})
    assert f"{match['median_score']:.3f}" in cells["distance"] and str(ev["threshold"]) in cells["distance"]
    assert REID_0095.sha256 in cells["engine"] and "openvino" in cells["engine"]


def test_report_reads_old_distance_evidence_and_a_fallback() -> None:
    old = identity_summary({"distance": 0.31, "threshold": 0.5, "passed": True})
    assert old["distance"] == "0.310（阈值 0.5）" and old["engine"] == "—"
    fb = identity_summary({"score": 0.71, "threshold": 0.5, "engine": "dlib",
                           "fallback_reason": "openvino unusable: sha256 mismatch"})
    assert "相似度 0.710" in fb["distance"] and "备用引擎" in fb["engine"] and "sha256" in fb["engine"]
