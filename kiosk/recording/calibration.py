"""A synthetic sync scene: camera frames with a white flash and microphone audio with a tone burst.

It is what proves the recorder's A/V sync and what a technician's calibration run records:
the flash and the beep are placed at known capture times (optionally apart on purpose), the
microphone may run on a crystal slightly off the monotonic clock, lose chunks, or the camera
may lose frames. `measure_av_offset` on the recorded file must then find the planted offset.
The same scene, paced in real time, drives the benchmark.
"""
from __future__ import annotations

import heapq
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from devices.base import AudioChunk, Frame
from kiosk.recording.quality import BEEP_HZ


@dataclass
class SyncScene:
    """`seconds` of capture starting at monotonic time `t0`.

    `audio_clock_ratio` is wall seconds per second of audio samples (1.01: the microphone
    delivers 1 % fewer samples than the wall clock says). `audio_holes` are wall-time spans
    whose chunks never arrive; `drop_frames` are frame indices the camera loses (their
    sequence numbers are skipped, as a real ring buffer would show).
    """

    seconds: float
    t0: float = 0.0
    flash_at: float = 2.0
    beep_at: float = 2.0
    width: int = 640
    height: int = 480
    fps: int = 25
    rate: int = 16000
    chunk_s: float = 0.1
    audio_clock_ratio: float = 1.0
    audio_holes: list[tuple[float, float]] = field(default_factory=list)
    drop_frames: set[int] = field(default_factory=set)
    frame_jitter_s: float = 0.0
    voice_level: float = 0.1
    sensor_noise: float = 0.0  # std-dev of per-frame camera noise (0..255 scale); real sensors give 2–4
    background: np.ndarray | None = None
    seed: int = 7

    def __post_init__(self) -> None:
        if self.background is None:
            y = np.linspace(40, 200, self.height, dtype=np.float32)[:, None]
            x = np.linspace(0, 60, self.width, dtype=np.float32)[None, :]
            base = (y + x).astype(np.uint8)
            self.background = np.stack([base, np.flipud(base), np.full_like(base, 90)], axis=-1)
        elif self.background.shape[:2] != (self.height, self.width):
            raise ValueError("background must be height×width×3")
        self._rng = np.random.default_rng(self.seed)
        self._noise: list[np.ndarray] = []
        if self.sensor_noise > 0:  # a few noise fields cycled: per-frame randomness at little cost
            self._noise = [self._rng.normal(0, self.sensor_noise, (self.height, self.width, 3)).astype(np.int16)
                           for _ in range(8)]

    # ---------------------------------------------------------------- video

    def frame_image(self, i: int) -> np.ndarray:
        t = i / self.fps
        assert self.background is not None
        if self.flash_at <= t < self.flash_at + 2 / self.fps:
            return np.full((self.height, self.width, 3), 255, np.uint8)
        img = self.background.copy()
        # a moving block, so that the encoder has motion to code and frames differ
        size = max(8, self.height // 8)
        x = int((self.width - size) * (0.5 + 0.5 * math.sin(t * 1.3)))
        y = int((self.height - size) * (0.5 + 0.5 * math.cos(t * 0.9)))
        img[y:y + size, x:x + size] = (200, 60, 40)
        if self._noise:
            img = np.clip(img.astype(np.int16) + self._noise[i % len(self._noise)], 0, 255).astype(np.uint8)
        return img

    def frames(self) -> Iterator[Frame]:
        n = int(round(self.seconds * self.fps))
        jitter = self._rng.uniform(-self.frame_jitter_s, self.frame_jitter_s, n) if self.frame_jitter_s else np.zeros(n)
        for i in range(n):
            if i in self.drop_frames:
                continue
            yield Frame(self.frame_image(i), self.t0 + i / self.fps + float(jitter[i]), i)

    # ---------------------------------------------------------------- audio

    def audio_samples(self, start: int, n: int) -> np.ndarray:
        """Samples [start, start+n) of the microphone's own sample clock, int16."""
        idx = np.arange(start, start + n)
        t_audio = idx / self.rate  # seconds of the microphone's clock
        # voice-like: low harmonics, syllable-rate envelope; nothing near the beep frequency
        env = 0.5 + 0.5 * np.sin(2 * np.pi * 3.0 * t_audio)
        voice = sum(np.sin(2 * np.pi * f * t_audio) / k for k, f in enumerate((150.0, 300.0, 450.0), 1))
        x = self.voice_level * env * voice / 1.8
        beep_start = self.beep_at / self.audio_clock_ratio  # the beep's wall time on the mic's clock
        m = (t_audio >= beep_start) & (t_audio < beep_start + 0.1)
        x = np.where(m, 0.5 * np.sin(2 * np.pi * BEEP_HZ * (t_audio - beep_start)), x)
        return np.clip(x * 32767, -32768, 32767).astype(np.int16)

    def chunks(self) -> Iterator[AudioChunk]:
        n = int(round(self.chunk_s * self.rate))
        total = int(self.seconds / self.audio_clock_ratio * self.rate)
        for start in range(0, total - n + 1, n):
            wall = start / self.rate * self.audio_clock_ratio
            if any(a <= wall < b for a, b in self.audio_holes):
                continue
            yield AudioChunk(self.audio_samples(start, n), self.t0 + wall, self.rate)

    def events(self) -> Iterator[tuple[float, Frame | AudioChunk]]:
        """Frames and chunks in the order a live system delivers them: (arrival time, item).

        A frame arrives at its capture time, a chunk when its last sample has been captured.
        Lazy, so that a five-minute scene never sits in memory at once.
        """
        frames: Iterator[tuple[float, Frame | AudioChunk]] = ((f.t, f) for f in self.frames())
        chunks: Iterator[tuple[float, Frame | AudioChunk]] = (
            (c.t + len(c.pcm) / c.rate * self.audio_clock_ratio, c) for c in self.chunks())
        yield from heapq.merge(frames, chunks, key=lambda e: e[0])
