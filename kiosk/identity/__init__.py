"""Identity: face 1:1 against the reference photo, liveness challenge, presence monitor.

Pure Python on dlib (via face_recognition) and OpenCV; no Qt. See `check.IdentityCheck` for
the step a session runs and `presence.PresenceMonitor` for the recording.
"""
from __future__ import annotations

from kiosk.identity.check import IdentityCheck, IdentityResult
from kiosk.identity.faces import GUIDANCE, FaceAnalyzer, FaceObservation, QualityGates
from kiosk.identity.liveness import ACTION_PROMPTS, ACTIONS
from kiosk.identity.matcher import FaceComparison, FaceMatcher, NoFaceError
from kiosk.identity.presence import PresenceMonitor

__all__ = [
    "ACTIONS",
    "ACTION_PROMPTS",
    "GUIDANCE",
    "FaceAnalyzer",
    "FaceComparison",
    "FaceMatcher",
    "FaceObservation",
    "IdentityCheck",
    "IdentityResult",
    "NoFaceError",
    "PresenceMonitor",
    "QualityGates",
]
