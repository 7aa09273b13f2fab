"""The quality check judges what decoding finds, with reasons staff can act on."""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from scene_recording import record_scene

from devices.base import AudioChunk, Frame
from kiosk.config import RecordingSettings
from kiosk.recording import Recorder, RecordingSpec, check_recording, measure_av_offset
from kiosk.recording.calibration import SyncScene


@pytest.fixture(scope="module")
def good_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rec") / "good.mp4"
    record_scene(SyncScene(seconds=6.0, t0=time.monotonic(), flash_at=3.0, beep_at=3.0), path)
    return path


def test_good_recording_passes_and_reports_every_figure(good_file: Path) -> None:
    q = check_recording(good_file, RecordingSettings(), spec=RecordingSpec())
    assert q.passed and q.problems == []
    doc = json.loads(json.dumps(q.to_json(), allow_nan=False))
    for key in ("duration_s", "width", "height", "fps", "dropped_share", "audio_rms_dbfs", "audio_level_dbfs",
                "av_offset_ms", "passed", "problems"):
        assert key in doc
    assert abs(doc["duration_s"] - 6.0) < 0.2
    assert -30 < doc["audio_level_dbfs"] < -15  # the scene's voice is at about -20 dBFS peak


def test_silent_microphone_fails_with_a_clear_reason(tmp_path: Path) -> None:
    path = tmp_path / "silent.mp4"
    record_scene(SyncScene(seconds=3.0, t0=time.monotonic(), voice_level=0.0, flash_at=99, beep_at=99), path)
    q = check_recording(path)
    assert not q.passed
    assert any("音量过低" in p and "麦克风" in p for p in q.problems), q.problems
    assert q.to_json()["audio_level_dbfs"] is None  # digital silence: -inf, written as null
    assert q.av_offset_source == "none"


def test_wrong_resolution_and_short_duration_are_named(good_file: Path) -> None:
    q = check_recording(good_file, RecordingSettings(min_duration_s=30), spec=RecordingSpec(width=1280, height=720))
    assert any("分辨率" in p for p in q.problems)
    assert any("时长过短" in p for p in q.problems)


def test_missing_marker_fails_only_when_expected(tmp_path: Path) -> None:
    path = tmp_path / "plain.mp4"
    record_scene(SyncScene(seconds=2.0, t0=time.monotonic(), flash_at=99, beep_at=99), path)
    assert check_recording(path).passed
    q = check_recording(path, expect_marker=True)
    assert not q.passed and any("同步标记" in p for p in q.problems)


def test_missing_and_garbage_files(tmp_path: Path) -> None:
    q = check_recording(tmp_path / "nothing.mp4")
    assert not q.passed and "不存在" in q.problems[0]
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 20)
    q = check_recording(junk)
    assert not q.passed and q.problems


def test_cut_file_decodes_what_is_left(good_file: Path, tmp_path: Path) -> None:
    data = good_file.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) * 6 // 10])
    q = check_recording(cut, spec=RecordingSpec())
    assert q.video_codec == "h264"
    assert 1.5 < q.duration_s < 5.5


def test_noise_burst_and_scene_change_are_not_taken_for_a_marker(tmp_path: Path) -> None:
    """Speech-like broadband bursts and a brighter (not white) scene must not fake a sync marker."""
    scene = SyncScene(seconds=4.0, t0=time.monotonic(), flash_at=99, beep_at=99)
    rng = np.random.default_rng(3)
    path = tmp_path / "noisy.mp4"
    rec = Recorder(path, RecordingSpec())
    rec.start()
    for _, item in scene.events():
        if isinstance(item, Frame):
            img = item.image if item.t - scene.t0 < 2.0 else np.clip(item.image.astype(np.int16) + 70, 0, 190)
            rec.push_video(Frame(img.astype(np.uint8), item.t, item.seq), wait_s=30)
        else:
            pcm = item.pcm.astype(np.int32)
            if 1.9 <= item.t - scene.t0 < 2.3:  # loud broadband burst, energy at 1 kHz included
                pcm = pcm + rng.normal(0, 9000, len(pcm)).astype(np.int32)
            rec.push_audio(AudioChunk(np.clip(pcm, -32768, 32767).astype(np.int16), item.t, item.rate))
    rec.stop()
    assert measure_av_offset(path) is None


def test_flash_and_beep_far_apart_are_not_one_marker(tmp_path: Path) -> None:
    path = tmp_path / "apart.mp4"
    record_scene(SyncScene(seconds=5.0, t0=time.monotonic(), flash_at=1.0, beep_at=3.5), path)
    assert measure_av_offset(path) is None
