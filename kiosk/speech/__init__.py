"""Speech: ASR engine (Vosk), statement matching, answer checks and spoken guidance.

The session runner uses these names; everything else in the package is detail.
"""
from __future__ import annotations

from kiosk.speech.answers import AnswerCheck, check_answer
from kiosk.speech.engine import (
    ModelMissing,
    SpeechEngine,
    SpeechStream,
    Transcript,
    Word,
    answer_grammar,
    load_engine,
    statement_grammar,
)
from kiosk.speech.guidance import guidance_text, guidance_wav
from kiosk.speech.matching import PromptMatch, match_prompt, match_retry, match_statement
from kiosk.speech.models import default_model_dir, model_status
from kiosk.speech.readiness import SpeechReadiness, manual_verdict, prepare_speech

__all__ = [
    "AnswerCheck", "ModelMissing", "PromptMatch", "SpeechEngine", "SpeechReadiness", "SpeechStream", "Transcript",
    "Word", "answer_grammar", "check_answer", "default_model_dir", "guidance_text", "guidance_wav", "load_engine",
    "manual_verdict", "match_prompt", "match_retry", "match_statement", "model_status", "prepare_speech",
    "statement_grammar",
]
