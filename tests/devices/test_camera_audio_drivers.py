"""The OpenCV camera and PortAudio microphone drivers, and the level meter."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from devices.audio.level import CLIP_LEVEL, LevelMeter, dbfs, measure
from devices.audio.portaudio import SoundDeviceMicrophone, list_input_devices
from devices.base import DeviceDisconnected, DeviceError, DeviceState
from devices.camera.opencv import OpenCvCamera, enumerate_cameras
from devices.owner import DeviceOwner


def _video(path: Path, n: int = 6, size: tuple[int, int] = (64, 48)) -> Path:
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25.0, size)
    for i in range(n):
        w.write(np.full((size[1], size[0], 3), (0, 30 * i, 0), np.uint8))
    w.release()
    return path


def test_opencv_camera_reads_rgb_with_monotonic_stamps(tmp_path: Path) -> None:
    cam = OpenCvCamera(str(_video(tmp_path / "c.avi")), 64, 48, 25)
    cam.open()
    try:
        frames = [cam.read() for _ in range(6)]
    finally:
        cam.close()
    assert [f.seq for f in frames] == list(range(6))
    assert all(b.t >= a.t for a, b in zip(frames, frames[1:], strict=False))
    greens = [int(f.image[10, 10, 1]) for f in frames]
    assert all(abs(g - 30 * i) < 12 for i, g in enumerate(greens)), greens
    assert frames[0].image.shape == (48, 64, 3) and int(frames[-1].image[10, 10, 0]) < 12


def test_opencv_camera_end_of_stream_becomes_disconnect(tmp_path: Path) -> None:
    cam = OpenCvCamera(str(_video(tmp_path / "c.avi", n=2)), 64, 48, 25)
    cam.open()
    cam.read()
    cam.read()
    for _ in range(4):
        with pytest.raises(TimeoutError):
            cam.read()
    with pytest.raises(DeviceDisconnected):
        cam.read()
    cam.close()
    with pytest.raises(DeviceError):
        cam.read()


def test_opencv_camera_thread_pauses_while_unplugged_and_resumes(tmp_path: Path) -> None:
    """The source vanishes (renamed away) and comes back: DISCONNECTED, then OPEN and frames again."""
    src = _video(tmp_path / "cam.avi", n=3)
    away = tmp_path / "unplugged.avi"
    cam = OpenCvCamera(str(src), 64, 48, 25)
    th: DeviceOwner[Any] = DeviceOwner(cam, ring_capacity=16, retry_s=0.02, max_retry_s=0.05)
    assert th.ring is not None
    rec: Any = th.ring.consumer("recorder", lossless=True)
    th.start()
    lease = th.stream()
    try:
        assert th.wait_state(DeviceState.OPEN, 10)
        assert rec.get(10) is not None
        src.rename(away)  # the camera is gone: the stream ends and reopening fails
        assert th.wait_state(DeviceState.DISCONNECTED, 10)
        assert "摄像头" in th.health.message
        away.rename(src)
        assert th.wait_state(DeviceState.OPEN, 10)
        assert th.health.message == "摄像头已恢复"
        assert rec.get(10) is not None
    finally:
        lease.release()
        th.stop()
    assert cam.reopens >= 1


def test_opencv_missing_dev_node_is_disconnected_with_fix() -> None:
    with pytest.raises(DeviceDisconnected) as ei:
        OpenCvCamera("/dev/video-none-99").open()
    assert ei.value.fix


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sysfs is Linux")
def test_enumerate_cameras_from_sysfs(tmp_path: Path) -> None:
    for n, (name, index) in enumerate([("HD Webcam", "0"), ("HD Webcam", "1"), ("Face Camera", "0")]):
        d = tmp_path / f"video{n * 2}"
        d.mkdir()
        (d / "name").write_text(name + "\n")
        (d / "index").write_text(index + "\n")
    cams = enumerate_cameras(tmp_path)
    assert [(c.index, c.name) for c in cams] == [(0, "HD Webcam"), (4, "Face Camera")]
    assert all(c.path.startswith("/dev/video") for c in cams)
    assert enumerate_cameras(tmp_path / "none") == []


def test_level_measure_and_meter() -> None:
    assert dbfs(32768) == pytest.approx(0.0) and dbfs(0) == -120.0
    t = np.arange(16000) / 16000
    sine = (0.5 * 32767 * np.sin(2 * np.pi * 1000 * t)).astype(np.int16)
    lv = measure(sine)
    assert lv.peak_dbfs == pytest.approx(-6.02, abs=0.05)
    assert lv.rms_dbfs == pytest.approx(-9.03, abs=0.05)  # a sine's RMS is 3 dB under its peak
    assert lv.clipped == 0 and not lv.silent
    clipped = np.clip(sine.astype(np.int32) * 4, -32768, 32767).astype(np.int16)
    assert measure(clipped).clipped > 0.5 * clipped.size
    assert measure(np.zeros(10, np.int16)).silent and measure(np.array([], np.int16)).silent
    m = LevelMeter(16000)
    for _ in range(5):
        m.update(np.zeros(1600, np.int16))
    assert m.silent_run_s == pytest.approx(0.5)
    m.update(sine[:1600])
    assert m.silent_run_s == 0 and m.longest_silence_s == pytest.approx(0.5)
    m.update(np.full(1600, CLIP_LEVEL, np.int16))
    assert m.clipped_share == pytest.approx(1600 / (1600 * 7))
    assert m.counters()["peak_dbfs"] == pytest.approx(dbfs(CLIP_LEVEL), abs=0.1)


def test_portaudio_on_a_machine_without_inputs() -> None:
    """The build machine has PortAudio but no sound card: listing is empty, opening says so plainly."""
    inputs = list_input_devices()
    if inputs:
        pytest.skip("this machine has a microphone")
    mic = SoundDeviceMicrophone()
    with pytest.raises(DeviceError) as ei:
        mic.open()
    assert "麦克风" in ei.value.message and ei.value.fix
    assert mic.health().state is DeviceState.CLOSED


_MIC_SCRIPT = r"""
import json, shutil, sys
import numpy as np
from devices.audio.portaudio import SoundDeviceMicrophone, list_input_devices
from devices.base import DeviceDisconnected
cur, on, off = sys.argv[1:4]
out = {"inputs": [e.name for e in list_input_devices()]}
m = SoundDeviceMicrophone("kioskmic", chunk_ms=100)
m.open()
chunks = [m.read(5.0) for _ in range(5)]
m.close()
pcm = np.concatenate([c.pcm for c in chunks])
spec = np.abs(np.fft.rfft(pcm.astype(float)))
out.update(dtype=str(pcm.dtype), n=[int(c.pcm.size) for c in chunks], peak_hz=float(np.argmax(spec) * 16000 / pcm.size),
           first=[int(v) for v in pcm[:4]], rms=m.health().counters["rms_dbfs"], t_sorted=all(
               b.t >= a.t for a, b in zip(chunks, chunks[1:])))
shutil.copy(off, cur)  # the microphone is unplugged
try:
    m.open()
    out["unplugged"] = "opened"
except DeviceDisconnected as exc:
    out["unplugged"] = exc.message
shutil.copy(on, cur)  # and plugged back in
m.open()
out["replugged_n"] = int(m.read(5.0).pcm.size)
m.close()
print("RESULT " + json.dumps(out, ensure_ascii=False))
"""


def test_portaudio_microphone_through_an_alsa_capture_device(tmp_path: Path) -> None:
    """Real PortAudio/ALSA capture: an ALSA `file` PCM plays a known tone into the input side.

    Unplugging is done where the OS would do it: the capture device vanishes from the ALSA
    configuration, and the microphone must come back once it reappears.
    """
    import json
    import os
    import subprocess

    system_conf = Path("/usr/share/alsa/alsa.conf")
    if not sys.platform.startswith("linux") or not system_conf.exists():
        pytest.skip("needs ALSA")
    rate = 16000
    t = np.arange(rate * 3) / rate
    raw = tmp_path / "tone.raw"
    (8000 * np.sin(2 * np.pi * 440 * t)).astype("<i2").tofile(raw)
    on = tmp_path / "on.conf"
    on.write_text(f'<{system_conf}>\npcm.kioskmic {{\n type file\n slave.pcm "null"\n file "/dev/null"\n'
                  f' infile "{raw}"\n format "raw"\n}}\n')
    off = tmp_path / "off.conf"
    off.write_text(f"<{system_conf}>\n")
    cur = tmp_path / "cur.conf"
    cur.write_text(on.read_text())
    env = dict(os.environ, ALSA_CONFIG_PATH=str(cur))
    proc = subprocess.run([sys.executable, "-c", _MIC_SCRIPT, str(cur), str(on), str(off)], env=env,
                          capture_output=True, text=True, timeout=120, cwd=str(Path(__file__).resolve().parents[2]))
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    assert line is not None, proc.stderr[-2000:]
    out = json.loads(line[7:])
    assert "kioskmic" in out["inputs"]
    assert out["dtype"] == "int16" and out["n"] == [1600] * 5
    assert out["first"] == [0, 1375, 2709, 3963]  # the tone's first samples, bit-exact
    assert abs(out["peak_hz"] - 440) < 2
    assert out["rms"] == pytest.approx(20 * np.log10(8000 / np.sqrt(2) / 32768), abs=0.3)
    assert out["t_sorted"]
    assert "麦克风" in out["unplugged"]
    assert out["replugged_n"] == 1600
