"""PCM loading and resampling shared by the simulated microphone and its users.

Everything in the product's audio path is 16 kHz mono int16 (what the ASR wants), so inputs
of any rate and channel count are brought there once, at the edge.
"""
from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from devices.base import DeviceUnavailable
from devices.texts import QT_TRANSLATE_NOOP


def resample_int16(pcm: np.ndarray, src_rate: int, dst_rate: int) -> np.ndarray:
    """Linear-interpolation resampling with a short moving-average low-pass when downsampling."""
    x = np.asarray(pcm)
    if x.ndim == 2:
        x = x.astype(np.float64).mean(axis=1)
    x = x.astype(np.float64)
    if src_rate == dst_rate or x.size == 0:
        return np.clip(np.round(x), -32768, 32767).astype(np.int16)
    if dst_rate < src_rate:
        width = int(round(src_rate / dst_rate))
        if width > 1:
            x = np.convolve(x, np.ones(width) / width, mode="same")
    n_out = int(round(x.size * dst_rate / src_rate))
    pos = np.arange(n_out) * (src_rate / dst_rate)
    y = np.interp(pos, np.arange(x.size), x)
    return np.clip(np.round(y), -32768, 32767).astype(np.int16)


def read_wav(path: str | Path, rate: int = 16000) -> np.ndarray:
    """A WAV file as mono int16 at `rate` (8/16/24/32-bit PCM, any channel count)."""
    p = Path(path)
    try:
        with wave.open(str(p), "rb") as w:
            channels, width, src_rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (OSError, wave.Error, EOFError) as exc:
        raise DeviceUnavailable(QT_TRANSLATE_NOOP("kiosk", "无法读取模拟麦克风的录音文件"), detail=f"{p}: {exc}") from None
    if width == 1:
        data = (np.frombuffer(raw, np.uint8).astype(np.int16) - 128) * 256
    elif width == 2:
        data = np.frombuffer(raw, "<i2")
    elif width == 3:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3)
        data = ((b[:, 2].astype(np.int32) << 24 | b[:, 1].astype(np.int32) << 16
                 | b[:, 0].astype(np.int32) << 8) >> 16)
    elif width == 4:
        data = np.frombuffer(raw, "<i4") >> 16
    else:
        raise DeviceUnavailable(QT_TRANSLATE_NOOP("kiosk", "录音文件的采样格式不支持"), detail=f"{p}: sample width {width}")
    data = data.reshape(-1, channels) if channels > 1 else data
    return resample_int16(data, src_rate, rate)
