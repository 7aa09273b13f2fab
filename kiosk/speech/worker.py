"""Running a speech stream in its own thread, fed by the microphone's chunks.

The capture thread must never wait for recognition, so chunks go through a queue and the
recogniser runs here. While the kiosk itself is speaking (a question, a guidance prompt),
`mute_until` makes the worker replace the microphone's audio by silence: the kiosk's own
voice is never taken for the applicant's answer, and word times stay on the capture clock
because the muted span still counts as (silent) time.

Endpointing: the worker watches the voice activity of what it decodes. When the reader
falls silent for `endpoint_s`, it asks `is_done` whether what was heard so far is a
finished reading (a statement read to its last word); if so it finalises at once and
sets `ended`, instead of waiting for a long silence timeout. A pause between sentences
answers "not done" and the stream goes on untouched.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence

import numpy as np

from devices.base import AudioChunk
from kiosk.speech.engine import SpeechEngine, SpeechStream, Transcript

log = logging.getLogger(__name__)

_STOP = object()
VOICE_DBFS = -38.0  # the level the session's voice activity detector uses
_FRAME_S = 0.02


class VoiceEnd:
    """Energy voice activity on 20 ms frames: where voice was last heard, on the stream clock.

    Frames, not whole chunks: the microphone delivers 100 ms chunks and a chunk that ends a
    sentence is mostly silence, so judging it whole would move the end of speech by up to a
    chunk.
    """

    def __init__(self, rate: int, threshold_dbfs: float = VOICE_DBFS) -> None:
        self._frame = max(1, int(rate * _FRAME_S))
        self._rate = rate
        self._level = 32768.0 * 10 ** (threshold_dbfs / 20)
        self.samples = 0
        self.last_voice_sample: int | None = None

    def feed(self, pcm: np.ndarray) -> None:
        x = pcm.astype(np.float32)
        for i in range(0, len(x), self._frame):
            frame = x[i:i + self._frame]
            if frame.size and float(np.sqrt(np.mean(frame * frame))) > self._level:
                self.last_voice_sample = self.samples + i + frame.size
        self.samples += len(x)

    def silence_s(self) -> float | None:
        """Seconds of silence since voice was last heard; None before any voice."""
        if self.last_voice_sample is None:
            return None
        return (self.samples - self.last_voice_sample) / self._rate


class AsrWorker:
    """One recognition in a background thread.

    `on_partial(text)` is called from the worker thread whenever the heard text changes;
    `on_final(transcript)` once, from the thread that calls `stop()`. A UI hands both on to
    its own thread (a Qt signal); this class knows nothing of Qt.

    With `is_done`, the worker endpoints: after `endpoint_s` of silence following voice it
    calls `is_done(heard_so_far)` (worker thread); on True it finishes the stream, sets
    `ended` and ignores further audio, so `stop()` returns at once. `voice_end_s` is then
    where the reader stopped (seconds from the first sample), `ended_at` the monotonic
    time the final transcript was ready and `endpoint_cpu_s` the worker's CPU time from the
    chunk that completed the silence to then (what the latency costs on an idle machine).
    """

    def __init__(self, engine: SpeechEngine, grammar: Sequence[str] | None,
                 on_partial: Callable[[str], None] | None = None,
                 on_final: Callable[[Transcript], None] | None = None, *,
                 rate: int = 16000, free_pass: bool = True, max_queue: int = 600,
                 is_done: Callable[[Transcript], bool] | None = None, endpoint_s: float = 0.05) -> None:
        self._engine = engine
        self._grammar = list(grammar) if grammar is not None else None
        self._on_partial = on_partial
        self._on_final = on_final
        self._rate = rate
        self._free_pass = free_pass
        self._queue: queue.Queue[AudioChunk | object] = queue.Queue(maxsize=max_queue)
        self._mute_lock = threading.Lock()
        self._mute_until = float("-inf")
        self._result: Transcript | None = None
        self._error: BaseException | None = None
        self._started = threading.Event()
        self.muted_samples = 0
        self.dropped_chunks = 0
        self.fed_samples = 0
        self._is_done = is_done
        self.endpoint_s = endpoint_s
        self._vad = VoiceEnd(rate)
        self._judged: tuple[int | None, str] | None = None  # the pause and text judged "not done"
        self.ended = threading.Event()
        self.ended_at: float | None = None
        self.voice_end_s: float | None = None
        self.endpoint_checks = 0
        self.endpoint_cpu_s = 0.0  # CPU of the last chunk's decoding, the judgement and finishing
        self.finish_cpu_s = 0.0  # CPU of finishing the stream (the recognisers' final pass)
        self._thread = threading.Thread(target=self._run, name="asr-worker", daemon=True)
        self._thread.start()
        self._started.wait()

    def pending(self) -> int:
        """Chunks queued and not yet taken by the recogniser (how far it is behind)."""
        return self._queue.qsize()

    def mute_until(self, t: float) -> None:
        """Treat audio captured before monotonic time `t` as silence (the kiosk is speaking)."""
        with self._mute_lock:
            self._mute_until = max(self._mute_until, t)

    def feed(self, chunk: AudioChunk) -> None:
        """Queue a chunk; never blocks the capture thread (a full queue drops and counts)."""
        if chunk.rate != self._rate:
            raise ValueError(f"chunk rate {chunk.rate} != stream rate {self._rate}")
        try:
            self._queue.put_nowait(chunk)
        except queue.Full:
            self.dropped_chunks += 1

    def stop(self, timeout: float = 60.0) -> Transcript:
        """Finish the recognition of everything fed so far and return the transcript."""
        self._queue.put(_STOP)
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError("speech recognition did not finish in time")
        if self._error is not None:
            raise self._error
        assert self._result is not None  # set by the thread before it ends
        if self._on_final is not None:
            self._on_final(self._result)
        return self._result

    def _silence_muted(self, chunk: AudioChunk) -> np.ndarray:
        with self._mute_lock:
            until = self._mute_until
        pcm = chunk.pcm
        n = len(pcm)
        end_t = chunk.t + n / chunk.rate
        if until <= chunk.t:
            return pcm
        if until >= end_t:
            self.muted_samples += n
            return np.zeros(n, dtype=np.int16)
        k = int(round((until - chunk.t) * chunk.rate))
        self.muted_samples += k
        out = np.array(pcm, dtype=np.int16, copy=True)
        out[:k] = 0
        return out

    def _endpoint(self, stream: SpeechStream, cpu0: float) -> None:
        """At the end of voice, finish the stream if what was heard is a finished reading."""
        assert self._is_done is not None
        silence = self._vad.silence_s()
        voice_end = self._vad.last_voice_sample
        if silence is None or silence < self.endpoint_s:
            return
        heard = stream.heard()
        # judged once per pause, and again only if the recogniser's text moved on (its
        # partial result can trail the audio by a few frames)
        if (voice_end, heard.text) == self._judged:
            return
        self._judged = (voice_end, heard.text)
        self.endpoint_checks += 1
        if not self._is_done(heard):
            return
        cpu1 = time.thread_time()
        self._result = stream.finish()
        self.finish_cpu_s = time.thread_time() - cpu1
        self.voice_end_s = (voice_end or 0) / self._rate
        self.ended_at = time.monotonic()
        self.endpoint_cpu_s = time.thread_time() - cpu0
        self.ended.set()

    def _run(self) -> None:
        stream: SpeechStream | None = None
        try:
            stream = self._engine.stream(self._rate, self._grammar, free_pass=self._free_pass)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller of stop()
            self._error = exc
        self._started.set()
        if stream is None:
            return
        first = True
        next_t = 0.0
        try:
            while True:
                item = self._queue.get()
                if item is _STOP:
                    break
                assert isinstance(item, AudioChunk)  # only chunks and _STOP are queued
                if self.ended.is_set():
                    continue  # the reading is over; later audio is in the recording only
                if first:
                    stream.offset_s = item.t
                    first = False
                elif item.t > next_t + 0.2:
                    # a gap in capture: keep word times on the capture clock with silence
                    gap = np.zeros(int(round((item.t - next_t) * self._rate)), dtype=np.int16)
                    stream.accept(gap)
                    self._vad.feed(gap)
                pcm = self._silence_muted(item)
                next_t = item.t + len(pcm) / item.rate
                self.fed_samples += len(pcm)
                cpu0 = time.thread_time()
                partial = stream.accept(pcm)
                if partial is not None and self._on_partial is not None:
                    self._on_partial(partial)
                self._vad.feed(pcm)
                if self._is_done is not None:
                    self._endpoint(stream, cpu0)
            if self._result is None:
                cpu0 = time.thread_time()
                self._result = stream.finish()
                self.finish_cpu_s = time.thread_time() - cpu0
        except BaseException as exc:  # noqa: BLE001 - handed to the caller of stop()
            log.exception("speech recognition failed")
            self._error = exc
