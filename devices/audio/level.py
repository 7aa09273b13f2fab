"""Level meter for 16-bit audio: RMS and peak in dBFS, clipping and silence.

A microphone that is muted, unplugged into the wrong jack, or held too close shows up here
first: the counter and the kiosk show the level, the recorder's quality check reads the
clipped share and the longest silence.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FULL_SCALE = 32768.0
CLIP_LEVEL = 32000  # |sample| at or above this counts as clipped (≈ -0.2 dBFS)


def dbfs(value: float, *, full_scale: float = FULL_SCALE, floor: float = -120.0) -> float:
    """Amplitude relative to full scale in dB, never below `floor` (digital silence). The one
    dBFS in the product: the meters, the voice detector and the recording check use it."""
    if value <= 0:
        return floor
    return max(floor, 20.0 * math.log10(value / full_scale))


def rms_dbfs(pcm: np.ndarray, *, full_scale: float = FULL_SCALE, floor: float = -120.0) -> float:
    """RMS level of `pcm` (int16 samples, or floats with `full_scale=1.0`) in dBFS."""
    x = np.asarray(pcm, dtype=np.float64)
    rms = float(np.sqrt(np.mean(x * x))) if x.size else 0.0
    return dbfs(rms, full_scale=full_scale, floor=floor)


@dataclass(frozen=True)
class Level:
    rms_dbfs: float
    peak_dbfs: float
    clipped: int  # samples at or above CLIP_LEVEL
    silent: bool


def measure(pcm: np.ndarray, silence_dbfs: float = -50.0) -> Level:
    x = np.asarray(pcm, dtype=np.int16)
    if x.size == 0:
        return Level(-120.0, -120.0, 0, True)
    f = x.astype(np.float64)
    rms = float(np.sqrt(np.mean(f * f)))
    peak = float(np.max(np.abs(f)))
    clipped = int(np.count_nonzero(np.abs(x.astype(np.int32)) >= CLIP_LEVEL))
    r = dbfs(rms)
    return Level(r, dbfs(peak), clipped, r < silence_dbfs)


class LevelMeter:
    """Running statistics over a stream of chunks (the microphone's health counters)."""

    def __init__(self, rate: int = 16000, silence_dbfs: float = -50.0) -> None:
        self.rate = rate
        self.silence_dbfs = silence_dbfs
        self.samples = 0
        self.clipped = 0
        self.silent_run_s = 0.0  # current run of silence
        self.longest_silence_s = 0.0
        self.last = Level(-120.0, -120.0, 0, True)

    def update(self, pcm: np.ndarray) -> Level:
        level = measure(pcm, self.silence_dbfs)
        n = int(np.asarray(pcm).size)
        self.samples += n
        self.clipped += level.clipped
        if level.silent:
            self.silent_run_s += n / self.rate
            self.longest_silence_s = max(self.longest_silence_s, self.silent_run_s)
        else:
            self.silent_run_s = 0.0
        self.last = level
        return level

    @property
    def clipped_share(self) -> float:
        return self.clipped / self.samples if self.samples else 0.0

    def counters(self) -> dict[str, int | float]:
        return {
            "rms_dbfs": round(self.last.rms_dbfs, 1), "peak_dbfs": round(self.last.peak_dbfs, 1),
            "clipped_share": self.clipped_share, "silent_s": round(self.silent_run_s, 2),
            "longest_silence_s": round(self.longest_silence_s, 2),
        }
