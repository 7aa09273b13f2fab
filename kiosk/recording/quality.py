"""The quality check of a finished (or crashed) recording, done by decoding the file.

The evidence must state what the file really holds, not what the recorder meant to write, so
every figure here comes from demuxing and decoding the MP4: duration, resolution, frame rate,
dropped-frame share (from the gaps between presentation times), audio level, keyframe spacing,
and — when the recording carries a sync marker (a white flash in the picture and a tone burst
in the sound at the same instant) — the A/V offset. Failures are worded in Chinese for staff.
"""
from __future__ import annotations

import math
import struct
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import av
import numpy as np

from devices.audio.level import dbfs, rms_dbfs
from kiosk.config import RecordingSettings

if TYPE_CHECKING:
    from kiosk.recording.recorder import RecordingSpec

BEEP_HZ = 1000.0
_FLASH_JUMP = 60.0  # mean luma rise (0..255) that counts as the white flash
_FLASH_MIN_LUMA = 200.0  # the flash frame is nearly white
_TONE_SNR = 10.0  # tone envelope peak over its median for a beep to count
_TONE_PURITY = 0.7  # share of the signal's power in the tone just after its onset
_MARKER_MAX_APART_S = 1.0  # a flash and a beep further apart are not one marker


@dataclass
class RecordingQuality:
    """What decoding the recording found, and whether it meets the policy."""

    path: str
    passed: bool = False
    problems: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    video_codec: str = ""
    audio_codec: str = ""
    width: int = 0
    height: int = 0
    fps: float = 0.0
    nominal_fps: float = 0.0
    frames: int = 0
    expected_frames: int = 0
    dropped_share: float = 0.0
    max_keyframe_gap_s: float = 0.0
    audio_rate: int = 0
    audio_channels: int = 0
    audio_s: float = 0.0
    audio_rms_dbfs: float = -math.inf
    audio_level_dbfs: float = -math.inf  # loudest 5 % of 100 ms windows: the speaking level
    av_offset_ms: float | None = None  # sound minus picture, measured on a sync marker
    av_offset_source: str = "none"  # "marker" when measured, "none" when the file has no marker
    stream_gap_ms: float = 0.0  # difference between where the audio and the video end
    fragmented: bool = False
    truncated: bool = False  # decoding stopped at damaged data (a crash): figures cover what decoded

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for k, v in out.items():
            if isinstance(v, float):
                out[k] = None if not math.isfinite(v) else round(v, 4)
        return out


@dataclass
class _Decoded:
    video_codec: str = ""
    audio_codec: str = ""
    width: int = 0
    height: int = 0
    video_t: list[float] = field(default_factory=list)
    luma: list[float] = field(default_factory=list)
    key_t: list[float] = field(default_factory=list)
    audio_rate: int = 0
    audio_channels: int = 0
    audio_t0: float | None = None
    audio: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    truncated: bool = False


def _decode(path: Path) -> _Decoded:
    d = _Decoded()
    chunks: list[tuple[float, np.ndarray]] = []
    with av.open(str(path)) as c:
        vs = c.streams.video[0] if c.streams.video else None
        as_ = c.streams.audio[0] if c.streams.audio else None
        streams = [s for s in (vs, as_) if s is not None]
        if vs is not None:
            vs.thread_type = "AUTO"
            d.video_codec, d.width, d.height = vs.codec_context.name, vs.codec_context.width, vs.codec_context.height
        if as_ is not None:
            d.audio_codec, d.audio_rate = as_.codec_context.name, as_.codec_context.sample_rate
            d.audio_channels = as_.codec_context.channels
        try:
            for packet in c.demux(*streams):
                if packet.stream is vs and packet.is_keyframe and packet.pts is not None:
                    d.key_t.append(float(packet.pts * packet.time_base))
                for frame in packet.decode():
                    if not isinstance(frame, (av.VideoFrame, av.AudioFrame)) or frame.pts is None \
                            or frame.time_base is None:
                        continue
                    if isinstance(frame, av.VideoFrame):
                        d.video_t.append(float(frame.pts * frame.time_base))
                        d.luma.append(_mean_luma(frame))
                    elif isinstance(frame, av.AudioFrame):
                        samples = frame.to_ndarray().astype(np.float32).reshape(frame.layout.nb_channels, -1)[0]
                        chunks.append((float(frame.pts * frame.time_base), samples))
        except av.FFmpegError:
            # damaged data (typically the unfinished last fragment after a crash): keep what decoded
            d.truncated = True
    d.audio = _place_audio(chunks, d.audio_rate)
    if chunks:
        d.audio_t0 = chunks[0][0]
    order = np.argsort(d.video_t, kind="stable")
    d.video_t = [d.video_t[i] for i in order]
    d.luma = [d.luma[i] for i in order]
    return d


def _place_audio(chunks: list[tuple[float, np.ndarray]], rate: int) -> np.ndarray:
    """One array of samples, each decoded frame put at its own pts (a gap stays silent).

    Concatenating frames blindly would shift everything after a hole, which is exactly the
    kind of error the A/V check must not introduce itself.
    """
    if not chunks or rate <= 0:
        return np.zeros(0, np.float32)
    t0 = chunks[0][0]
    starts = [round((t - t0) * rate) for t, _ in chunks]
    total = max(s + len(x) for s, (_, x) in zip(starts, chunks, strict=True))
    out = np.zeros(total, np.float32)
    for s, (_, x) in zip(starts, chunks, strict=True):
        s = max(0, s)
        out[s:s + len(x)] = x
    return out


def _mean_luma(frame: av.VideoFrame) -> float:
    """Mean of the Y plane without converting the picture (the check must stay cheap)."""
    if frame.format.name not in ("yuv420p", "yuvj420p", "yuv422p", "yuv444p", "nv12", "gray"):
        return float(frame.to_ndarray(format="gray").mean())
    plane = frame.planes[0]
    arr = np.frombuffer(memoryview(plane), dtype=np.uint8).reshape(plane.height, plane.line_size)
    return float(arr[:, : plane.width].mean())


def _flash_time(d: _Decoded) -> float | None:
    """Time of the first nearly white frame that follows a darker scene (the marker's flash)."""
    if len(d.luma) < 3:
        return None
    luma = np.asarray(d.luma)
    for i in np.flatnonzero(luma >= _FLASH_MIN_LUMA):
        if i == 0:
            continue
        before = float(np.median(luma[max(0, i - 25):i]))
        if luma[i] - before >= _FLASH_JUMP:
            return d.video_t[int(i)]
    return None


def _moving_average(x: np.ndarray, win: int) -> np.ndarray:
    """Centred moving average in O(n) (a 5-minute track is millions of samples)."""
    c = np.cumsum(np.concatenate([np.zeros(1, x.dtype), x]))
    out = np.empty_like(x)
    half = win // 2
    lo = np.clip(np.arange(len(x)) - half, 0, len(x))
    hi = np.clip(np.arange(len(x)) - half + win, 0, len(x))
    out[:] = (c[hi] - c[lo]) / np.maximum(1, hi - lo)
    return out


def _beep_time(d: _Decoded, hz: float = BEEP_HZ) -> float | None:
    """Onset of the first pure tone burst at `hz` (the marker's beep), to a few milliseconds.

    The tone must stand far above its own background and be nearly pure (its power is most of
    the signal's just after the onset), so that speech with energy near `hz` is not taken for it.
    """
    rate = d.audio_rate
    if d.audio_t0 is None or rate <= 0 or len(d.audio) < rate // 10:
        return None
    x = d.audio.astype(np.float32)
    n = np.arange(len(x), dtype=np.float64)
    base = (x * np.exp(-2j * np.pi * hz * n / rate)).astype(np.complex64)
    env = np.abs(_moving_average(base, max(8, int(rate * 0.004))))
    peak = float(env.max())
    if peak <= 0 or peak < _TONE_SNR * float(np.median(env)) + 1e-6:
        return None
    for onset in np.flatnonzero(env >= 0.5 * peak)[:1]:
        a, b = int(onset) + int(rate * 0.005), int(onset) + int(rate * 0.035)
        power = float(np.mean(np.square(x[a:b], dtype=np.float64))) if b <= len(x) else 0.0
        purity = 2 * float(np.mean(np.square(env[a:b], dtype=np.float64))) / power if power > 0 else 0.0
        if purity >= _TONE_PURITY:
            return d.audio_t0 + int(onset) / rate
    return None


def measure_av_offset(path: Path | str, *, beep_hz: float = BEEP_HZ) -> float | None:
    """Milliseconds by which the first tone burst follows the first white flash (None: no marker).

    Positive means the sound comes later than the picture. The flash is located to the frame
    (the picture only exists at frame times), the tone's onset to a few milliseconds.
    """
    return _offset_ms(_decode(Path(path)), beep_hz)


def _offset_ms(d: _Decoded, beep_hz: float = BEEP_HZ) -> float | None:
    flash, beep = _flash_time(d), _beep_time(d, beep_hz)
    if flash is None or beep is None or abs(beep - flash) > _MARKER_MAX_APART_S:
        return None
    return (beep - flash) * 1000.0


def is_fragmented(path: Path) -> bool:
    """True when the MP4 has movie fragments (moof boxes) — the crash-safe layout."""
    with open(path, "rb") as f:
        while True:
            head = f.read(8)
            if len(head) < 8:
                return False
            size, kind = struct.unpack(">I4s", head)
            if kind == b"moof":
                return True
            if size == 1:
                size = struct.unpack(">Q", f.read(8))[0]
                f.seek(size - 16, 1)
            elif size == 0:
                return False
            else:
                f.seek(size - 8, 1)


def check_recording(path: Path | str, policy: RecordingSettings | None = None, *,
                    spec: RecordingSpec | None = None, min_duration_s: float | None = None,
                    expect_marker: bool = False) -> RecordingQuality:
    """Decode `path` and judge it against `policy` (defaults: `RecordingSettings()`).

    `spec` gives the expected resolution and frame rate; without it they are only reported.
    `expect_marker` makes a missing sync marker a failure (calibration and benchmark runs).
    """
    policy = policy or RecordingSettings()
    path = Path(path)
    q = RecordingQuality(path=str(path))
    if not path.is_file() or path.stat().st_size == 0:
        q.problems.append("录像文件不存在或为空，请重新录制。")
        return q
    try:
        d = _decode(path)
    except (av.FFmpegError, OSError) as exc:
        q.problems.append(f"录像文件无法解码，请重新录制（{type(exc).__name__}）。")
        return q
    q.fragmented = is_fragmented(path)
    q.truncated = d.truncated
    q.video_codec, q.audio_codec = d.video_codec, d.audio_codec
    q.width, q.height = d.width, d.height
    q.audio_rate, q.audio_channels = d.audio_rate, d.audio_channels
    n = len(d.video_t)
    q.frames = n
    nominal = float(spec.fps) if spec is not None else 0.0
    v_end = a_end = 0.0
    if n >= 2:
        dts = np.diff(d.video_t)
        if not nominal:
            nominal = round(1.0 / float(np.median(dts)), 2)
        span = d.video_t[-1] - d.video_t[0]
        q.fps = (n - 1) / span if span > 0 else 0.0
        q.expected_frames = int(round(span * nominal)) + 1
        q.dropped_share = max(0, q.expected_frames - n) / q.expected_frames
        v_end = d.video_t[-1] + 1.0 / nominal
    elif n == 1:
        q.expected_frames = 1
    q.nominal_fps = nominal
    keys = sorted(d.key_t)
    if len(keys) >= 2:
        q.max_keyframe_gap_s = float(np.max(np.diff(keys + ([v_end] if v_end else []))))
    if d.audio_t0 is not None and d.audio_rate:
        q.audio_s = len(d.audio) / d.audio_rate
        a_end = d.audio_t0 + q.audio_s
        q.audio_rms_dbfs = rms_dbfs(d.audio, full_scale=1.0, floor=-math.inf)
        win = max(1, d.audio_rate // 10)
        usable = len(d.audio) // win * win
        if usable:
            w = d.audio[:usable].astype(np.float64).reshape(-1, win)
            levels = np.sqrt(np.mean(w * w, axis=1))
            top = float(np.percentile(levels, 95))
            q.audio_level_dbfs = dbfs(top, full_scale=1.0, floor=-math.inf)
    starts = [t for t in ((d.video_t[0] if n else None), d.audio_t0) if t is not None]
    q.duration_s = max(v_end, a_end) - min(starts) if starts else 0.0
    if n and d.audio_t0 is not None:
        q.stream_gap_ms = abs(v_end - a_end) * 1000.0
    q.av_offset_ms = _offset_ms(d)
    q.av_offset_source = "marker" if q.av_offset_ms is not None else "none"
    _judge(q, policy, spec, min_duration_s, expect_marker)
    return q


def _judge(q: RecordingQuality, policy: RecordingSettings, spec: RecordingSpec | None,
           min_duration_s: float | None, expect_marker: bool) -> None:
    p = q.problems
    min_dur = min_duration_s if min_duration_s is not None else policy.min_duration_s
    min_level = policy.min_audio_dbfs
    max_gap = policy.max_stream_gap_ms
    if not q.video_codec:
        p.append("录像文件中没有画面，请检查摄像头后重新录制。")
    elif q.video_codec != "h264":
        p.append(f"录像画面编码为 {q.video_codec}，应为 H.264。")
    if not q.audio_codec:
        p.append("录像文件中没有声音，请检查麦克风后重新录制。")
    elif q.audio_codec != "aac":
        p.append(f"录像声音编码为 {q.audio_codec}，应为 AAC。")
    if q.truncated:
        p.append("录像文件不完整（可能因断电或异常退出），请重新录制。")
    if q.duration_s < min_dur:
        p.append(f"录像时长过短（{q.duration_s:.1f} 秒，至少 {min_dur:.1f} 秒），请重新录制。")
    if spec is not None and q.video_codec and (q.width, q.height) != (spec.width, spec.height):
        p.append(f"录像分辨率 {q.width}×{q.height} 与要求的 {spec.width}×{spec.height} 不符。")
    if q.frames and q.dropped_share > policy.max_dropped_share:
        p.append(f"录像丢帧比例 {q.dropped_share:.1%} 超过允许的 {policy.max_dropped_share:.1%}，"
                 "请关闭其他程序或联系技术人员后重新录制。")
    if q.max_keyframe_gap_s > max(2.5, 2 * policy.keyframe_s + 0.5):
        p.append(f"录像关键帧间隔 {q.max_keyframe_gap_s:.1f} 秒过长，断电时可能丢失较多内容。")
    if q.audio_codec and not q.audio_level_dbfs >= min_level:
        level = "无声" if not math.isfinite(q.audio_level_dbfs) else f"{q.audio_level_dbfs:.0f} dBFS"
        p.append(f"录音音量过低（{level}，至少 {min_level:.0f} dBFS），请检查麦克风并请申请人靠近后重新录制。")
    if q.video_codec and q.audio_codec and q.stream_gap_ms > max_gap:
        p.append(f"声音与画面长度相差 {q.stream_gap_ms:.0f} 毫秒（允许 {max_gap:.0f}），请重新录制。")
    if q.av_offset_ms is not None and abs(q.av_offset_ms) > policy.max_av_offset_ms:
        p.append(f"音画不同步：相差 {q.av_offset_ms:.0f} 毫秒（允许 {policy.max_av_offset_ms:.0f}），"
                 "请联系技术人员检查设备。")
    elif q.av_offset_ms is None and expect_marker:
        p.append("未能在录像中找到同步标记（闪光与提示音），无法测量音画同步。")
    q.passed = not p
