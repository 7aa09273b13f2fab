"""The dual-recording recorder: one fragmented H.264 + AAC MP4 per party, encoded on its own thread.

Why the pieces are as they are:

* **Fragmented MP4** (`frag_keyframe+empty_moov+default_base_moof`), a keyframe every
  `keyframe_s`, every packet flushed to the OS and the file fsynced every `fsync_s`: a crash or
  power cut leaves a file that plays up to about its last second. A plain MP4 writes its index
  (moov) only at the end and is unplayable after a crash.
* **Audio is the authoritative clock.** Audio pts are the running sample count, so the sound
  track has no jitter. Video pts come from the frames' capture timestamps mapped onto that
  sample clock (`_Clock`), so a microphone whose crystal runs slightly fast or slow drags the
  video with it instead of drifting apart over a long session. A gap in the audio (a lost USB
  transfer) is filled with silence so that what follows stays in place.
* **Never block the producers.** `push_video`/`push_audio` only append to a queue. When the
  encoder falls behind by more than `max_backlog_s` of video, further frames are dropped and
  counted (the camera's other consumers are not slowed); audio is never dropped unless the
  backlog reaches a hard memory bound.
* **Timestamps survive the muxer.** libx264 (with B-frames) and AAC (1024 samples of priming)
  both start with negative decode times; with an empty moov there is no edit list, so the
  muxer shifts both tracks by the same amount. Relative timing, which is what sync is, stays
  exact; `measure_av_offset` on a flash and a beep is what proves it.
"""
from __future__ import annotations

import collections
import datetime as dt
import hashlib
import logging
import math
import os
import threading
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import av
import cv2
import numpy as np

from devices.base import AudioChunk, Frame
from kiosk.errors import UserFacingError
from kiosk.recording.watermark import Watermark
from kiosk.texts import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from kiosk.config import DeviceSettings, RecordingSettings

log = logging.getLogger(__name__)

VIDEO_TIME_BASE = Fraction(1, 90000)
MOVFLAGS = "frag_keyframe+empty_moov+default_base_moof"
_AAC_FRAME = 1024
CLIP_LEVEL = 10 ** (-0.1 / 20)   # a sample this loud is (next to) clipped
CLIP_FLAG_DBFS = -1.0            # a peak at or above this is flagged as clipping


@dataclass(frozen=True)
class RecordingSpec:
    """How one party's recording is encoded. Defaults follow the issue: 640×480@25, 16 kHz mono."""

    width: int = 640
    height: int = 480
    fps: int = 25
    audio_rate: int = 16000
    crf: int = 27
    keyframe_s: float = 1.0
    preset: str = "veryfast"
    audio_bitrate: int = 48000
    max_backlog_s: float = 2.0  # video waiting for the encoder before frames are dropped
    fsync_s: float = 1.0  # how often written fragments are forced to the disk
    wait_audio_s: float = 1.0  # how long video waits for the first audio before starting alone
    audio_gap_s: float = 0.1  # a larger hole in the audio timestamps is filled with silence

    def __post_init__(self) -> None:
        if self.width % 2 or self.height % 2 or self.width < 16 or self.height < 16:
            raise ValueError(f"width/height must be even and >= 16, got {self.width}x{self.height}")
        if not 1 <= self.fps <= 120 or not 8000 <= self.audio_rate <= 48000:
            raise ValueError("fps or audio_rate out of range")
        if not 0.2 <= self.keyframe_s <= 10:
            raise ValueError("keyframe_s out of range")

    @property
    def gop(self) -> int:
        return max(1, round(self.keyframe_s * self.fps))

    @classmethod
    def from_settings(cls, recording: RecordingSettings, devices: DeviceSettings | None = None) -> RecordingSpec:
        """The spec the configured camera and policy call for."""
        if devices is None:
            return cls(crf=recording.crf, keyframe_s=recording.keyframe_s)
        return cls(width=devices.camera_width - devices.camera_width % 2,
                   height=devices.camera_height - devices.camera_height % 2,
                   fps=devices.camera_fps, crf=recording.crf, keyframe_s=recording.keyframe_s)


class _Clock:
    """Maps monotonic capture time onto media time, the audio sample count being the reference.

    `offset` is media time minus (capture time − origin) as seen by the audio chunks; it is
    smoothed because chunk timestamps carry scheduling jitter while the sample count does not.
    """

    def __init__(self, origin: float) -> None:
        self.origin = origin
        self.offset = 0.0
        self._seen = False

    def observe(self, media_s: float, capture_t: float) -> None:
        obs = media_s - (capture_t - self.origin)
        if not self._seen:
            self.offset, self._seen = obs, True
        else:
            self.offset += 0.2 * (obs - self.offset)

    def media(self, capture_t: float) -> float:
        return capture_t - self.origin + self.offset


class Recorder:
    """Records one party: frames and audio chunks in, a fragmented MP4 out.

    Lifecycle: `start()` opens the file and starts the encoder thread; `push_video` /
    `push_audio` from any thread; `stop()` drains, finalises and returns the figures that go
    into the evidence (frames written and dropped, duration, sha256…). A failure of the encoder
    (disk full, codec error) does not raise in the producers; `stop()` raises it as a
    `UserFacingError` so the session can retry the step.
    """

    def __init__(self, path: Path, spec: RecordingSpec | None = None, watermark: Watermark | None = None,
                 *, wall_offset: float | None = None) -> None:
        self.path = Path(path)
        self.spec = spec or RecordingSpec()
        self.watermark = watermark
        # wall-clock time of a capture timestamp = t + wall_offset (frames carry monotonic time)
        self.wall_offset = time.time() - time.monotonic() if wall_offset is None else wall_offset
        self._cond = threading.Condition()
        self._queue: collections.deque[Frame | AudioChunk | None] = collections.deque()
        self._queued_video = 0
        self._queued_audio_s = 0.0
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._error: BaseException | None = None
        self._started_mono = 0.0
        # counters, written by the encoder thread (and by the producers for queue drops)
        self.frames_written = 0
        self.frames_dropped_backlog = 0
        self.frames_dropped_upstream = 0
        self.frames_skipped = 0
        self.audio_samples = 0
        self.audio_dropped_s = 0.0
        self.audio_gap_s = 0.0
        self._encoded_s = 0.0
        self._first_t: float | None = None
        self._first_audio_t: float | None = None
        self.audio_clipped = 0      # samples at or beyond -0.1 dBFS
        self.audio_peak = 0.0       # largest absolute sample, full scale = 1.0
        self._last_t: float | None = None
        self._last_seq: int | None = None
        self._cpu_s = 0.0
        self._sync_fd: int | None = None

    # ------------------------------------------------------------------ producer side

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("recorder already started")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._open()
        except (av.FFmpegError, OSError) as exc:
            self._close_sync_fd()
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "无法开始录像，请联系工作人员检查存储空间。"),
                                  detail=f"open {self.path.name}: {exc!r}", code="recording_open") from exc
        self._started_mono = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="recorder-encoder", daemon=True)
        self._thread.start()
        log.info("recording started", extra={"file": self.path.name, "size": f"{self.spec.width}x{self.spec.height}",
                                             "fps": self.spec.fps})

    def push_video(self, frame: Frame, wait_s: float = 0.0) -> bool:
        """Queue a frame; False when it was dropped because the encoder is behind.

        Live capture never waits (`wait_s=0`); offline producers (a file being re-encoded,
        tests) may wait up to `wait_s` for room instead of dropping.
        """
        limit = self.spec.max_backlog_s * self.spec.fps
        with self._cond:
            # frames the camera side lost before reaching us show as holes in the sequence numbers
            if self._last_seq is not None and frame.seq > self._last_seq + 1:
                self.frames_dropped_upstream += frame.seq - self._last_seq - 1
            self._last_seq = max(frame.seq, self._last_seq if self._last_seq is not None else frame.seq)
            if wait_s > 0:
                self._cond.wait_for(lambda: self._queued_video < limit or self._stopping or self._error is not None,
                                    wait_s)
            if self._stopping or self._error is not None:
                return False
            if self._queued_video >= limit:
                self.frames_dropped_backlog += 1
                return False
            self._queue.append(frame)
            self._queued_video += 1
            self._cond.notify_all()  # the encoder and any waiting producer share this condition
        return True

    def push_audio(self, chunk: AudioChunk) -> bool:
        """Queue an audio chunk. Audio is only dropped past a hard bound (60 s of backlog)."""
        dur = len(chunk.pcm) / max(1, chunk.rate)
        with self._cond:
            if self._stopping or self._error is not None:
                return False
            if self._queued_audio_s > 60.0:
                self.audio_dropped_s += dur
                return False
            self._queue.append(chunk)
            self._queued_audio_s += dur
            self._cond.notify_all()  # the encoder and any waiting producer share this condition
        return True

    @property
    def encoded_s(self) -> float:
        """Media time handed to the muxer so far (seconds); what a crash now would roughly keep."""
        return self._encoded_s

    @property
    def backlog_frames(self) -> int:
        """Frames waiting for the encoder: the technician screen's early warning before drops."""
        return self._queued_video

    @property
    def error(self) -> BaseException | None:
        return self._error

    def stop(self, timeout: float = 60.0) -> dict[str, Any]:
        """Finish the file and return what the evidence records about it."""
        if self._thread is None:
            raise RuntimeError("recorder not started")
        with self._cond:
            self._stopping = True
            self._queue.append(None)
            self._cond.notify_all()  # the encoder and any waiting producer share this condition
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "录像保存超时，请联系工作人员。"), detail="encoder thread did not finish",
                                  code="recording_timeout")
        if self._error is not None:
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "录像保存失败，请联系工作人员检查存储空间后重新录制。"),
                                  detail=f"encoder: {self._error!r}", code="recording_failed") from self._error
        if not self.path.is_file() or self.path.stat().st_size == 0:
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "没有录到任何画面和声音，请检查摄像头和麦克风后重新录制。"),
                                  detail="recorder stopped before any frame or audio chunk arrived",
                                  code="recording_empty")
        info = self.info()
        info["sha256"] = _sha256(self.path)
        info["size_bytes"] = self.path.stat().st_size
        log.info("recording finished", extra={"file": self.path.name, "frames": self.frames_written,
                                              "dropped": info["frames_dropped"], "duration_s": info["duration_s"]})
        return info

    def info(self) -> dict[str, Any]:
        dropped = self.frames_dropped_backlog + self.frames_dropped_upstream
        return {
            "path": str(self.path),
            "frames_written": self.frames_written,
            "frames_dropped": dropped,
            "frames_dropped_backlog": self.frames_dropped_backlog,
            "frames_dropped_upstream": self.frames_dropped_upstream,
            "frames_skipped": self.frames_skipped,
            "dropped_share": dropped / max(1, dropped + self.frames_written),
            "audio_samples": self.audio_samples,
            "audio_gap_s": round(self.audio_gap_s, 3),
            "audio_dropped_s": round(self.audio_dropped_s, 3),
            "duration_s": round(self._encoded_s, 3),
            "first_t": self._first_t,
            "first_audio_t": self._first_audio_t,
            **self._sync_and_level(),
            "last_t": self._last_t,
            "encoder_cpu_s": round(self._cpu_s, 3),
            "wall_s": round(time.monotonic() - self._started_mono, 3) if self._started_mono else 0.0,
            "spec": {"width": self.spec.width, "height": self.spec.height, "fps": self.spec.fps,
                     "audio_rate": self.spec.audio_rate, "crf": self.spec.crf, "keyframe_s": self.spec.keyframe_s},
        }

    def _sync_and_level(self) -> dict[str, Any]:
        """Measured from the capture clocks: how much later the first video frame was captured
        than the first audio sample (`av_start_offset_ms`, positive: video later; the recording
        starts at the earlier and pads the other), the wall-clock time of media time 0
        (`started_at`, UTC, for step offsets), and the audio level (peak dBFS, samples at or
        beyond -0.1 dBFS; `clipping` when the peak reaches -1 dBFS: speech is distorted there)."""
        out: dict[str, Any] = {}
        firsts = [t for t in (self._first_t, self._first_audio_t) if t is not None]
        if self._first_t is not None and self._first_audio_t is not None:
            out["av_start_offset_ms"] = round((self._first_t - self._first_audio_t) * 1000.0, 1)
        if firsts:
            origin = dt.datetime.fromtimestamp(min(firsts) + self.wall_offset, dt.timezone.utc)
            out["started_at"] = origin.isoformat(timespec="milliseconds")
        peak_db = 20.0 * math.log10(self.audio_peak) if self.audio_peak > 0 else None
        out.update({"audio_peak_dbfs": round(peak_db, 2) if peak_db is not None else None,
                    "audio_clipped_samples": self.audio_clipped,
                    "clipping": peak_db is not None and peak_db >= CLIP_FLAG_DBFS})
        return out

    def __enter__(self) -> Recorder:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread is not None and not self._stopping:
            try:
                self.stop()
            except UserFacingError:
                if exc[0] is None:
                    raise

    # ------------------------------------------------------------------ encoder thread

    def _open(self) -> None:
        """Create the file (private to this user: a recording is personal data) and the streams.

        The file is created here rather than by the muxer's first packet so that an unwritable
        place fails at `start()`; the descriptor kept open serves the periodic fsync.
        """
        s = self.spec
        self._sync_fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
        self._container = av.open(str(self.path), mode="w", format="mp4",
                                  container_options={"movflags": MOVFLAGS, "flush_packets": "1"})
        if self.watermark is not None:
            self._container.metadata["comment"] = f"bdc-kiosk {self.watermark.static_text}"
        # creation_time: when the file was begun, UTC (ISO 8601, as ffprobe shows it)
        self._container.metadata["creation_time"] = dt.datetime.now(dt.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ")
        v = self._container.add_stream("libx264", rate=s.fps)
        v.width, v.height, v.pix_fmt = s.width, s.height, "yuv420p"
        v.time_base = VIDEO_TIME_BASE
        v.codec_context.time_base = VIDEO_TIME_BASE
        v.codec_context.gop_size = s.gop
        v.codec_context.options = {"preset": s.preset, "crf": str(s.crf),
                                   "x264-params": f"keyint={s.gop}:min-keyint={s.gop}:scenecut=0"}
        a = self._container.add_stream("aac", rate=s.audio_rate)
        a.layout = "mono"
        a.bit_rate = s.audio_bitrate
        a.time_base = Fraction(1, s.audio_rate)
        self._vstream, self._astream = v, a
        self._clock: _Clock | None = None
        self._pending_video: list[Frame] = []
        self._audio_buf = np.zeros(0, dtype=np.float32)
        self._audio_pts = 0  # samples handed to the encoder
        self._audio_pos = 0  # samples placed on the timeline (incl. buffered)
        self._last_vpts: int | None = None
        self._last_sync = time.monotonic()

    def _run(self) -> None:
        cpu0 = time.thread_time()
        try:
            while True:
                with self._cond:
                    while not self._queue:
                        self._cond.wait(self.spec.fsync_s)
                        if not self._queue:
                            break
                    item = self._queue.popleft() if self._queue else False
                    if isinstance(item, Frame):
                        self._queued_video -= 1
                        self._cond.notify_all()
                    elif isinstance(item, AudioChunk):
                        self._queued_audio_s -= len(item.pcm) / max(1, item.rate)
                if item is None:
                    break
                if isinstance(item, Frame):
                    self._on_video(item)
                elif isinstance(item, AudioChunk):
                    self._on_audio(item)
                self._cpu_s = time.thread_time() - cpu0
                self._maybe_fsync()
            self._finish()
        except BaseException as exc:  # noqa: BLE001 - reported by stop(), the thread must not die silently
            log.exception("recording encoder failed")
            with self._cond:
                self._error = exc
            self._close_quietly()
        finally:
            self._cpu_s = time.thread_time() - cpu0

    def _start_clock(self, origin: float) -> None:
        self._clock = _Clock(origin)
        pending, self._pending_video = self._pending_video, []
        for f in pending:
            self._encode_video(f)

    def _on_audio(self, chunk: AudioChunk) -> None:
        if self._clock is None:
            first_v = self._pending_video[0].t if self._pending_video else chunk.t
            # begin at whichever capture started first; audio is padded with silence up to its start
            self._clock = _Clock(min(chunk.t, first_v))
            pending, self._pending_video = self._pending_video, []
            self._place_audio(chunk)
            for f in pending:
                self._encode_video(f)
            return
        self._place_audio(chunk)

    def _place_audio(self, chunk: AudioChunk) -> None:
        assert self._clock is not None
        rate = self.spec.audio_rate
        pcm = np.asarray(chunk.pcm).reshape(-1)
        samples = pcm.astype(np.float32) / 32768.0 if pcm.dtype == np.int16 else pcm.astype(np.float32)
        if chunk.rate != rate and len(samples):
            n_out = round(len(samples) * rate / chunk.rate)
            samples = np.interp(np.arange(n_out) * (chunk.rate / rate), np.arange(len(samples)),
                                samples).astype(np.float32)
        if self._first_audio_t is None:
            self._first_audio_t = chunk.t
        if len(samples):
            peak = float(np.max(np.abs(samples)))
            self.audio_peak = max(self.audio_peak, peak)
            if peak >= CLIP_LEVEL:
                self.audio_clipped += int(np.count_nonzero(np.abs(samples) >= CLIP_LEVEL))
        gap = self._clock.media(chunk.t) - self._audio_pos / rate
        if gap > 0 and (self._audio_pos == 0 or gap > self.spec.audio_gap_s):
            pad = round(gap * rate)
            self._audio_buf = np.concatenate([self._audio_buf, np.zeros(pad, np.float32)])
            if self._audio_pos:  # a hole in the middle; the lead-in before the first chunk is not one
                self.audio_gap_s += pad / rate
            self._audio_pos += pad
        self._clock.observe(self._audio_pos / rate, chunk.t)
        self._audio_buf = np.concatenate([self._audio_buf, samples])
        self._audio_pos += len(samples)
        self.audio_samples += len(samples)
        self._drain_audio(final=False)

    def _drain_audio(self, *, final: bool) -> None:
        buf = self._audio_buf
        n_full = len(buf) // _AAC_FRAME * _AAC_FRAME
        if final and len(buf) > n_full:
            buf = np.concatenate([buf, np.zeros(_AAC_FRAME - (len(buf) - n_full), np.float32)])
            n_full = len(buf)
        for i in range(0, n_full, _AAC_FRAME):
            frame = av.AudioFrame.from_ndarray(buf[i:i + _AAC_FRAME].reshape(1, -1), format="fltp", layout="mono")
            frame.sample_rate = self.spec.audio_rate
            frame.pts = self._audio_pts
            frame.time_base = Fraction(1, self.spec.audio_rate)
            self._audio_pts += _AAC_FRAME
            self._mux(self._astream.encode(frame))
        self._audio_buf = buf[n_full:]
        self._encoded_s = max(self._encoded_s, self._audio_pts / self.spec.audio_rate)

    def _on_video(self, frame: Frame) -> None:
        if self._clock is None:
            self._pending_video.append(frame)
            if frame.t - self._pending_video[0].t >= self.spec.wait_audio_s:
                # no microphone yet: video starts alone, audio will be padded when it comes
                self._start_clock(self._pending_video[0].t)
            return
        self._encode_video(frame)

    def _encode_video(self, frame: Frame) -> None:
        assert self._clock is not None
        media = self._clock.media(frame.t)
        pts = round(media / VIDEO_TIME_BASE)
        min_step = round(0.5 / self.spec.fps / VIDEO_TIME_BASE)
        if pts < 0 or (self._last_vpts is not None and pts < self._last_vpts + min_step):
            self.frames_skipped += 1  # before the start, or faster than the recording's frame rate
            return
        img = frame.image
        if img.shape[1] != self.spec.width or img.shape[0] != self.spec.height:
            img = cv2.resize(img, (self.spec.width, self.spec.height), interpolation=cv2.INTER_AREA)
        else:
            img = img.copy()  # the frame is shared with the other consumers of the ring buffer
        if img.ndim == 2:
            img = cv2.cvtColor(img, cv2.COLOR_GRAY2RGB)
        if self.watermark is not None:
            self.watermark.apply(img, frame.t + self.wall_offset)
        vf = av.VideoFrame.from_ndarray(np.ascontiguousarray(img), format="rgb24")
        vf.pts = pts
        vf.time_base = VIDEO_TIME_BASE
        self._mux(self._vstream.encode(vf))
        self._last_vpts = pts
        self.frames_written += 1
        if self._first_t is None:
            self._first_t = frame.t
        self._last_t = frame.t
        self._encoded_s = max(self._encoded_s, media)

    def _mux(self, packets: list[av.Packet]) -> None:
        for p in packets:
            self._container.mux(p)

    def _maybe_fsync(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_sync < self.spec.fsync_s:
            return
        self._last_sync = now
        if self._sync_fd is not None:
            try:
                os.fsync(self._sync_fd)
            except OSError:
                log.warning("fsync of the recording failed", exc_info=True)

    def _finish(self) -> None:
        if self._clock is None and self._pending_video:
            self._start_clock(self._pending_video[0].t)
        if self._clock is not None:
            self._drain_audio(final=True)
            self._mux(self._astream.encode(None))
            self._mux(self._vstream.encode(None))
        self._container.close()
        self._maybe_fsync(force=True)
        self._close_sync_fd()

    def _close_sync_fd(self) -> None:
        if self._sync_fd is not None:
            try:
                os.close(self._sync_fd)
            except OSError:
                pass
            self._sync_fd = None

    def _close_quietly(self) -> None:
        try:
            self._container.close()
        except Exception:  # noqa: BLE001 - already failing; the first error is the one reported
            log.debug("closing the failed recording also failed", exc_info=True)
        self._close_sync_fd()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
