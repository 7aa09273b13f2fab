"""A recorder killed with SIGKILL mid-recording leaves a file that decodes up to about its last second."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import av
import pytest

from kiosk.recording import check_recording

CHILD = Path(__file__).with_name("record_until_killed.py")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.media
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_sigkill_mid_recording_leaves_a_playable_file(tmp_path: Path) -> None:
    path = tmp_path / "killed.mp4"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, str(CHILD), str(path)], stdout=subprocess.PIPE, text=True,
                            env=env, cwd=str(ROOT))
    encoded = 0.0
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            encoded = float(line.split()[1])
            if encoded >= 4.0:
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL, "the child must have been killed mid-recording"
    assert encoded >= 4.0

    # PyAV decodes it: count video frames and the time of the last one
    times = []
    with av.open(str(path)) as c:
        try:
            for frame in c.decode(video=0):
                times.append(float(frame.pts * frame.time_base))
        except av.FFmpegError:
            pass  # the unfinished last fragment; everything before it must have decoded
    assert times, "no frame decodable after the crash"
    assert times[-1] >= encoded - 2.5, (times[-1], encoded)

    # ffprobe reads the same file independently
    exe = shutil.which("ffprobe")
    assert exe
    out = subprocess.run([exe, "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                          "stream=codec_name,nb_read_frames", "-of", "csv=p=0", str(path)],
                         capture_output=True, text=True, timeout=60, check=True).stdout.strip()
    codec, read_frames = out.split(",")[:2]
    assert codec == "h264"
    assert int(read_frames) >= (encoded - 2.5) * 25

    q = check_recording(path)
    assert q.video_codec == "h264" and q.audio_codec == "aac"
    assert q.duration_s >= encoded - 2.5
