"""A recording in the package: step chapters and a subtitle track ffprobe sees, a WebVTT file,
`creation_time`, the A/V start offset from the capture clocks, clipping flagged."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from scene_recording import record_scene

from kiosk.recording.calibration import SyncScene
from kiosk.recording.chapters import copy_with_chapters, step_chapters, webvtt

pytestmark = pytest.mark.media


def _probe(path: Path) -> dict[str, object]:
    exe = shutil.which("ffprobe")
    assert exe, "apt-get install ffmpeg"
    out = subprocess.run([exe, "-v", "error", "-show_chapters", "-show_streams", "-show_format", "-of", "json",
                          str(path)], capture_output=True, text=True, check=True, timeout=60)
    return dict(json.loads(out.stdout))


def test_video_80ms_late_is_measured_and_a_loud_voice_is_flagged(tmp_path: Path) -> None:
    # the camera's first two frames never arrive: video starts 80 ms after audio; speech peaks at -0.4 dBFS
    scene = SyncScene(seconds=3.0, t0=time.monotonic(), drop_frames={0, 1}, voice_level=1.19)
    info = record_scene(scene, tmp_path / "p1.mp4")
    assert info["av_start_offset_ms"] == pytest.approx(80.0, abs=1.0)
    assert info["clipping"] is True and -1.0 < info["audio_peak_dbfs"] < 0.0
    quiet = record_scene(SyncScene(seconds=2.0, t0=time.monotonic()), tmp_path / "p2.mp4")
    assert quiet["clipping"] is False and quiet["av_start_offset_ms"] == pytest.approx(0.0, abs=1.0)
    created = _probe(tmp_path / "p1.mp4")["format"]["tags"]["creation_time"]  # type: ignore[index]
    started = dt.datetime.fromisoformat(info["started_at"])
    assert abs((dt.datetime.fromisoformat(created.replace("Z", "+00:00")) - started).total_seconds()) < 60


def test_steps_become_chapters_subtitles_and_webvtt(tmp_path: Path) -> None:
    scene = SyncScene(seconds=6.0, t0=time.monotonic())
    info = record_scene(scene, tmp_path / "raw.mp4")
    origin = dt.datetime.fromisoformat(info["started_at"])

    def at(s: float) -> str:
        return (origin + dt.timedelta(seconds=s)).isoformat()

    audit = [
        {"kind": "step_started", "party_id": "p1", "step": "identity", "ts": at(0.2)},
        {"kind": "step_result", "party_id": "p1", "step": "identity", "outcome": "passed", "ts": at(1.5)},
        {"kind": "step_started", "party_id": "p2", "step": "identity", "ts": at(1.0)},  # someone else's
        {"kind": "step_started", "party_id": "p1", "step": "statement", "ts": at(1.6)},
        {"kind": "step_result", "party_id": "p1", "step": "statement", "outcome": "manual_pass", "manual": True,
         "staff": "0001", "ts": at(3.9)},
        {"kind": "step_started", "party_id": "p1", "step": "qa", "ts": at(4.0)},
        {"kind": "step_result", "party_id": "p1", "step": "qa", "outcome": "passed", "ts": at(9.0)},  # past the end
    ]
    chapters = step_chapters("p1", info["started_at"], info["duration_s"], audit)
    assert [(c["step"], c["start_s"], c["end_s"]) for c in chapters] == [
        ("identity", 0.2, 1.5), ("statement", 1.6, 3.9), ("qa", 4.0, pytest.approx(info["duration_s"]))]
    assert chapters[1]["staff"] == "0001"
    transcript = {"statement": "本人张三自愿出售该房屋", "text": "本人张三自愿出售该房屋"}
    qa = [{"ask": "您是否自愿出售该房屋？", "answer": "是的", "verdict": "affirm"}]
    vtt = webvtt(chapters, transcript, qa)
    assert vtt.startswith("WEBVTT\n") and "00:00:01.600 --> 00:00:03.900" in vtt
    assert "陈述：人工通过（工作人员 0001 决定）" in vtt and "答：是的　判定：肯定" in vtt
    assert "提示：" in vtt and "识别：" in vtt
    out = tmp_path / "p1.mp4"
    assert copy_with_chapters(tmp_path / "raw.mp4", out, chapters, vtt) == ""
    probe = _probe(out)
    got = [(c["tags"]["title"], float(c["start_time"])) for c in probe["chapters"]]  # type: ignore[attr-defined]
    # MP4 chapter tracks begin at 0: the first chapter reaches back to the start of the file
    assert got == [("身份核验 通过", 0.0), ("陈述 人工通过", 1.6), ("问答 通过", 4.0)]
    kinds = [s["codec_type"] for s in probe["streams"]]  # type: ignore[attr-defined]
    assert sorted(k for k in kinds if k != "data") == ["audio", "subtitle", "video"]  # data: the chapter track
    assert "creation_time" in probe["format"]["tags"]  # type: ignore[index]
    # streams are copied, not re-encoded: the same number of video packets decode back
    assert next(s for s in probe["streams"] if s["codec_type"] == "video")["codec_name"] == "h264"  # type: ignore[attr-defined]
