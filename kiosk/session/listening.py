"""Listening for one utterance: voice activity on the microphone stream, and the ASR worker
fed from it. Used by the statement and Q&A steps."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from devices.audio.level import rms_dbfs
from devices.base import AudioChunk

if TYPE_CHECKING:
    from kiosk.session.steps.base import StepEnv


class VoiceActivity:
    """Knows when the applicant has spoken and then fallen silent (end of an utterance)."""

    def __init__(self, threshold_dbfs: float = -38.0) -> None:
        self.threshold = threshold_dbfs
        self.first_voice: float | None = None
        self.last_voice: float | None = None
        self.last_t = 0.0
        self.level = -96.0  # dBFS of the latest chunk, for the screen's level meter

    def __call__(self, chunk: AudioChunk) -> None:
        end = chunk.t + len(chunk.pcm) / chunk.rate
        self.last_t = end
        self.level = rms_dbfs(chunk.pcm, floor=-96.0)
        if self.level > self.threshold:
            if self.first_voice is None:
                self.first_voice = chunk.t
            self.last_voice = end

    def ended(self, tail_silence_s: float) -> bool:
        return self.last_voice is not None and self.last_t - self.last_voice >= tail_silence_s

    @property
    def voice_s(self) -> float:
        if self.first_voice is None or self.last_voice is None:
            return 0.0
        return round(self.last_voice - self.first_voice, 2)


def listen(env: StepEnv, *, max_s: float, tail_silence_s: float = 1.2, mute_key: str | None = None,
           mute_s: float = 0.0, on_partial: Callable[[str], None] | None = None,
           grammar: list[str] | None = None, is_done: Callable[[Any], bool] | None = None) -> Any:
    """Record one utterance through the ASR worker and return its `Transcript`; without a
    recogniser, how long the applicant spoke (the speech is in the recording for staff)."""
    from kiosk.speech.worker import AsrWorker

    engine = env.speech_engine
    worker = None
    if engine is not None:
        worker = AsrWorker(engine, grammar, on_partial=on_partial or (lambda _t: None), on_final=lambda _t: None,
                           is_done=is_done)
    vad = VoiceActivity()
    if worker is not None and getattr(env.view, "speaks", False):
        from kiosk.speech import guidance

        # the kiosk's own voice is never taken for the applicant's
        spoken_s = guidance.duration_s(mute_key) if mute_key else 0.0
        worker.mute_until(time.monotonic() + max(spoken_s, mute_s))

    def listener(chunk: AudioChunk) -> None:
        vad(chunk)
        if worker is not None:
            worker.feed(chunk)

    env.hub.add_audio_listener(listener)
    start = time.monotonic()
    try:
        while True:
            env.check_cancel()
            env.wait_devices()
            if worker is not None and worker.ended.wait(0.1):
                break  # the recogniser heard the reading end (`is_done` at a pause: AsrWorker)
            if worker is None:
                time.sleep(0.1)
            waited = time.monotonic() - start
            report = getattr(env.view, "listening", None)
            if report is not None and report(max(0.0, max_s - waited), vad.level):
                break  # the applicant pressed 读完了 / 答完了
            speaking = vad.last_voice is not None and not vad.ended(tail_silence_s)
            if vad.ended(tail_silence_s) or (waited > max_s and not speaking) or waited > 2 * max_s:
                break
    finally:
        env.hub.remove_audio_listener(listener)
    if worker is None:
        return {"voice_s": vad.voice_s}
    return worker.stop()
