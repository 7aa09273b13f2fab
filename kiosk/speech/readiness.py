"""What a session does about speech when the model is there, and when it is not.

A missing model must not turn into silent automatic passes. In kiosk mode (no staff at the
screen) the session stops with a message to call staff; at the counter, staff listen to the
applicant and confirm, and the evidence records that decision as manual, with who and why.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from kiosk.speech.engine import ModelMissing, SpeechEngine, load_engine
from kiosk.texts import QT_TRANSLATE_NOOP

Mode = Literal["kiosk", "counter", "technician"]


@dataclass(frozen=True)
class SpeechReadiness:
    """`how` is "asr" (engine loaded), "manual" (staff confirm by listening) or "stop"."""

    how: Literal["asr", "manual", "stop"]
    engine: SpeechEngine | None
    message: str
    detail: str = ""


def prepare_speech(model_dir: Path, mode: Mode) -> SpeechReadiness:
    """Load the engine, or decide what the session does without one."""
    try:
        engine = load_engine(model_dir)
    except ModelMissing as exc:
        if mode == "kiosk":
            return SpeechReadiness("stop", None, QT_TRANSLATE_NOOP("kiosk", "语音识别暂不可用，请联系工作人员到柜台办理"), exc.detail)
        return SpeechReadiness("manual", None, QT_TRANSLATE_NOOP("kiosk", "语音识别不可用：请工作人员听取申请人朗读和回答后人工确认"), exc.detail)
    return SpeechReadiness("asr", engine, "")


def manual_verdict(step: Literal["statement", "answer"], passed: bool, *, staff_id: str, reason: str,
                   question: str = "", verdict: str = "") -> dict[str, Any]:
    """The evidence record of a staff decision made by listening, never disguised as ASR."""
    if not reason.strip():
        raise ValueError("a manual decision needs a reason")
    if not staff_id.strip():
        raise ValueError("a manual decision needs the staff member's id")
    record: dict[str, Any] = {"step": step, "method": "manual", "passed": passed, "staff_id": staff_id,
                              "reason": reason.strip(), "time": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    if step == "answer":
        record["question"] = question
        record["verdict"] = verdict or ("affirm" if passed else "unclear")
    return record
