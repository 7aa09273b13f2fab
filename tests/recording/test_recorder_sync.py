"""The recorder's files, decoded: codecs, duration, keyframes, and A/V sync measured on a flash and a beep."""
from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from scene_recording import ffprobe, record_scene

from devices.base import Frame
from kiosk.config import RecordingSettings
from kiosk.errors import UserFacingError
from kiosk.recording import Recorder, RecordingSpec, check_recording, measure_av_offset
from kiosk.recording.calibration import SyncScene
from kiosk.recording.quality import is_fragmented

FRAME_MS = 1000 / 25


@pytest.mark.parametrize("planted_ms", [120.0, -80.0, 0.0, 17.0])
def test_planted_offset_is_measured_within_a_frame(tmp_path: Path, planted_ms: float) -> None:
    scene = SyncScene(seconds=4.0, t0=time.monotonic(), flash_at=2.0, beep_at=2.0 + planted_ms / 1000)
    path = tmp_path / "p1.mp4"
    info = record_scene(scene, path)
    assert info["frames_written"] == 100 and info["frames_dropped"] == 0
    measured = measure_av_offset(path)
    assert measured is not None
    assert abs(measured - planted_ms) <= FRAME_MS, measured
    q = check_recording(path, RecordingSettings(), spec=RecordingSpec())
    assert q.av_offset_source == "marker"
    if abs(planted_ms) <= 20:
        assert q.passed, q.problems
    else:
        assert not q.passed
        assert any("音画不同步" in p for p in q.problems), q.problems


@pytest.mark.media
def test_file_is_fragmented_h264_aac_mono_with_regular_keyframes(tmp_path: Path) -> None:
    scene = SyncScene(seconds=4.0, t0=time.monotonic())
    path = tmp_path / "p1.mp4"
    info = record_scene(scene, path)
    probe = ffprobe(path)
    streams = {s["codec_type"]: s for s in probe["streams"]}
    assert streams["video"]["codec_name"] == "h264" and streams["video"]["pix_fmt"] == "yuv420p"
    assert (streams["video"]["width"], streams["video"]["height"]) == (640, 480)
    assert streams["audio"]["codec_name"] == "aac"
    assert int(streams["audio"]["sample_rate"]) == 16000 and streams["audio"]["channels"] == 1
    assert abs(float(probe["format"]["duration"]) - 4.0) < 0.2
    assert is_fragmented(path)
    q = check_recording(path, spec=RecordingSpec())
    assert q.passed, q.problems
    assert q.frames == 100 and q.dropped_share == 0.0
    assert abs(q.fps - 25.0) < 0.01
    assert q.max_keyframe_gap_s <= 1.0 + 1e-6
    assert info["size_bytes"] == path.stat().st_size and len(info["sha256"]) == 64


def test_drifting_microphone_clock_keeps_picture_on_the_sound(tmp_path: Path) -> None:
    # The microphone delivers 1 % fewer samples than the monotonic clock: placing video by its
    # capture time alone would put the flash 79 ms away from the beep at 8 s.
    scene = SyncScene(seconds=10.0, t0=time.monotonic(), flash_at=8.0, beep_at=8.0, audio_clock_ratio=1.01)
    path = tmp_path / "drift.mp4"
    record_scene(scene, path)
    measured = measure_av_offset(path)
    assert measured is not None
    assert abs(measured) <= 20.0, measured


def test_audio_hole_is_filled_with_silence_and_sync_holds_after_it(tmp_path: Path) -> None:
    scene = SyncScene(seconds=8.0, t0=time.monotonic(), flash_at=6.0, beep_at=6.0, audio_holes=[(3.0, 3.5)])
    path = tmp_path / "hole.mp4"
    info = record_scene(scene, path)
    assert abs(info["audio_gap_s"] - 0.5) < 0.02
    q = check_recording(path, spec=RecordingSpec())
    assert q.av_offset_ms is not None and abs(q.av_offset_ms) <= FRAME_MS
    assert abs(q.audio_s - 8.0) < 0.2 and q.stream_gap_ms < 200
    assert q.passed, q.problems


def test_camera_starting_before_microphone_keeps_the_lead_in(tmp_path: Path) -> None:
    scene = SyncScene(seconds=5.0, t0=time.monotonic(), flash_at=3.0, beep_at=3.0, audio_holes=[(0.0, 0.6)])
    path = tmp_path / "late_mic.mp4"
    info = record_scene(scene, path)
    assert info["frames_written"] == 125 and info["audio_gap_s"] == 0.0
    q = check_recording(path, spec=RecordingSpec())
    assert q.av_offset_ms is not None and abs(q.av_offset_ms) <= FRAME_MS
    assert abs(q.duration_s - 5.0) < 0.2


def test_frames_lost_upstream_are_counted_and_seen_in_the_file(tmp_path: Path) -> None:
    lost = set(range(30, 40)) | {70, 71}
    scene = SyncScene(seconds=4.0, t0=time.monotonic(), drop_frames=lost)
    path = tmp_path / "lossy.mp4"
    info = record_scene(scene, path)
    assert info["frames_dropped_upstream"] == len(lost) and info["frames_written"] == 100 - len(lost)
    q = check_recording(path, RecordingSettings(max_dropped_share=0.05), spec=RecordingSpec())
    assert q.expected_frames == 100 and q.frames == 100 - len(lost)
    assert abs(q.dropped_share - len(lost) / 100) < 1e-9
    assert not q.passed and any("丢帧" in p for p in q.problems)


def test_slow_encoder_drops_frames_for_itself_and_counts_them(tmp_path: Path) -> None:
    spec = RecordingSpec(max_backlog_s=0.2)  # 5 frames of backlog
    scene = SyncScene(seconds=4.0, t0=time.monotonic())
    path = tmp_path / "burst.mp4"
    rec = Recorder(path, spec)
    rec.start()
    frames = list(scene.frames())
    # a burst far faster than real time, never waiting; the last frame waits so the file spans it all
    accepted = [rec.push_video(f) for f in frames[:-1]] + [rec.push_video(frames[-1], wait_s=30)]
    info = rec.stop()
    assert accepted.count(False) > 0
    assert info["frames_dropped_backlog"] == accepted.count(False)
    assert info["frames_dropped_upstream"] == 0  # our own drops are not counted twice
    assert info["frames_written"] + info["frames_dropped"] + info["frames_skipped"] == len(frames)
    q = check_recording(path, spec=spec)
    assert q.expected_frames - q.frames == info["frames_dropped"]


def test_unwritable_destination_is_a_user_facing_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("x")
    rec = Recorder(blocker / "p1.mp4", RecordingSpec())
    with pytest.raises(UserFacingError) as err:
        rec.start()
    assert "录像" in err.value.message


def test_frames_of_another_size_are_scaled_to_the_spec(tmp_path: Path) -> None:
    scene = SyncScene(seconds=2.0, t0=time.monotonic(), width=320, height=240)
    path = tmp_path / "small.mp4"
    rec = Recorder(path, RecordingSpec())
    rec.start()
    for _, item in scene.events():
        if isinstance(item, Frame):
            rec.push_video(item, wait_s=30)
        else:
            rec.push_audio(item)
    rec.stop()
    q = check_recording(path, spec=RecordingSpec())
    assert (q.width, q.height) == (640, 480)


def test_without_any_audio_the_video_is_still_recorded_and_the_check_says_so(tmp_path: Path) -> None:
    scene = SyncScene(seconds=3.0, t0=time.monotonic())
    path = tmp_path / "mute.mp4"
    rec = Recorder(path, RecordingSpec())
    rec.start()
    for f in scene.frames():
        rec.push_video(f, wait_s=30)
    info = rec.stop()
    assert info["frames_written"] == 75 and info["audio_samples"] == 0
    q = check_recording(path, spec=RecordingSpec())
    assert q.frames == 75 and not q.passed
    assert any("麦克风" in p for p in q.problems), q.problems


def test_spec_follows_the_configured_camera_and_policy() -> None:
    from kiosk.config import DeviceSettings

    spec = RecordingSpec.from_settings(RecordingSettings(crf=26, keyframe_s=2.0),
                                       DeviceSettings(camera_width=1280, camera_height=720, camera_fps=30))
    assert (spec.width, spec.height, spec.fps, spec.crf, spec.gop) == (1280, 720, 30, 26, 60)


def test_stopping_before_anything_arrived_is_a_user_facing_error(tmp_path: Path) -> None:
    rec = Recorder(tmp_path / "nothing.mp4", RecordingSpec())
    rec.start()
    with pytest.raises(UserFacingError) as err:
        rec.stop()
    assert "摄像头" in err.value.message


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX file modes")
def test_recording_file_is_private_to_the_kiosk_user(tmp_path: Path) -> None:
    path = tmp_path / "p1.mp4"
    record_scene(SyncScene(seconds=1.0, t0=time.monotonic()), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
