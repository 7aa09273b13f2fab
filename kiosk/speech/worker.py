"""Running a speech stream in its own thread, fed by the microphone's chunks.

The capture thread must never wait for recognition, so chunks go through a queue and the
recogniser runs here. While the kiosk itself is speaking (a question, a guidance prompt),
`mute_until` makes the worker replace the microphone's audio by silence: the kiosk's own
voice is never taken for the applicant's answer, and word times stay on the capture clock
because the muted span still counts as (silent) time.
"""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence

import numpy as np

from devices.base import AudioChunk
from kiosk.speech.engine import SpeechEngine, SpeechStream, Transcript

log = logging.getLogger(__name__)

_STOP = object()


class AsrWorker:
    """One recognition in a background thread.

    `on_partial(text)` is called from the worker thread whenever the heard text changes;
    `on_final(transcript)` once, from the thread that calls `stop()`. A UI hands both on to
    its own thread (a Qt signal); this class knows nothing of Qt.
    """

    def __init__(self, engine: SpeechEngine, grammar: Sequence[str] | None,
                 on_partial: Callable[[str], None] | None = None,
                 on_final: Callable[[Transcript], None] | None = None, *,
                 rate: int = 16000, free_pass: bool = True, max_queue: int = 600) -> None:
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
        self._thread = threading.Thread(target=self._run, name="asr-worker", daemon=True)
        self._thread.start()
        self._started.wait()

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
                if first:
                    stream.offset_s = item.t
                    first = False
                elif item.t > next_t + 0.2:
                    # a gap in capture: keep word times on the capture clock with silence
                    gap = int(round((item.t - next_t) * self._rate))
                    stream.accept(np.zeros(gap, dtype=np.int16))
                pcm = self._silence_muted(item)
                next_t = item.t + len(pcm) / item.rate
                self.fed_samples += len(pcm)
                partial = stream.accept(pcm)
                if partial is not None and self._on_partial is not None:
                    self._on_partial(partial)
            self._result = stream.finish()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller of stop()
            log.exception("speech recognition failed")
            self._error = exc
