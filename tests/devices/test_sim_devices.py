"""Simulators behave like devices: pacing, timestamps, end of source, unplug/replug."""
from __future__ import annotations

import threading
import time
import wave
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.audio.sim import SimulatedMicrophone
from devices.base import DeviceDisconnected, IdCardData, PadEvent, PenPoint
from devices.camera.sim import SimulatedCamera, SourceEnded
from devices.idcard.sim import SimulatedIdCardReader
from devices.signpad.sim import SimulatedSignaturePad, synth_signature


def _frames(n: int, w: int = 64, h: int = 48) -> list[np.ndarray]:
    return [np.full((h, w, 3), i * 10, np.uint8) for i in range(n)]


def test_camera_from_list_nonrealtime_timeline_and_loop() -> None:
    cam = SimulatedCamera(_frames(3), fps=10.0, realtime=False)
    cam.open()
    got = [cam.read() for _ in range(7)]
    assert [f.seq for f in got] == list(range(7))
    assert [int(f.image[0, 0, 0]) for f in got] == [0, 10, 20, 0, 10, 20, 0]
    steps = np.diff([f.t for f in got])
    assert np.allclose(steps, 0.1)
    assert (cam.width, cam.height) == (64, 48)


def test_camera_no_loop_ends() -> None:
    cam = SimulatedCamera(_frames(2), realtime=False, loop=False)
    cam.open()
    cam.read()
    cam.read()
    with pytest.raises(SourceEnded):
        cam.read()


def test_camera_live_actor_object_and_callable() -> None:
    class Actor:
        def __init__(self) -> None:
            self.n = 0

        def __next__(self) -> np.ndarray:
            self.n += 1
            return np.full((8, 8, 3), self.n, np.uint8)

    actor = Actor()
    cam = SimulatedCamera(actor, realtime=False)
    cam.open()
    assert [int(cam.read().image[0, 0, 0]) for _ in range(3)] == [1, 2, 3]
    cam2 = SimulatedCamera(lambda: np.zeros((4, 4), np.uint8), realtime=False)
    cam2.open()
    assert cam2.read().image.shape == (4, 4, 3)


def test_camera_from_video_file_and_image_dir(tmp_path: Path) -> None:
    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 25.0, (64, 48))
    for i in range(5):
        writer.write(np.full((48, 64, 3), (0, 0, 40 * i), np.uint8))  # BGR: red grows
    writer.release()
    cam = SimulatedCamera(video, realtime=False, loop=False)
    cam.open()
    reds = [int(cam.read().image[24, 32, 0]) for _ in range(5)]
    assert all(abs(r - 40 * i) < 12 for i, r in enumerate(reds)), reds
    with pytest.raises(SourceEnded):
        cam.read()
    cam.release()

    d = tmp_path / "imgs"
    d.mkdir()
    for i in range(3):
        cv2.imwrite(str(d / f"{i:03d}.png"), np.full((10, 12, 3), (i * 50, 0, 0), np.uint8))  # blue
    cam = SimulatedCamera(d, realtime=False, size=(24, 20))
    cam.open()
    imgs = [cam.read().image for _ in range(4)]
    assert imgs[0].shape == (20, 24, 3)
    assert [int(im[0, 0, 2]) for im in imgs] == [0, 50, 100, 0]


def test_camera_realtime_pacing_and_unplug() -> None:
    cam = SimulatedCamera(_frames(2), fps=50.0, realtime=True)
    cam.open()
    a = cam.read()
    b = cam.read()
    assert b.t - a.t == pytest.approx(0.02)
    assert time.monotonic() >= b.t  # never delivered before its capture time
    cam.disconnect()
    with pytest.raises(DeviceDisconnected):
        cam.read()
    with pytest.raises(DeviceDisconnected):
        cam.open()
    cam.reconnect()
    cam.open()
    c = cam.read()
    assert c.seq == 2 and c.t > b.t


def test_camera_unplug_wakes_blocked_read() -> None:
    cam = SimulatedCamera(_frames(1), fps=0.5, realtime=True)  # next frame due in 2 s
    cam.open()
    cam.read()
    timer = threading.Timer(0.05, cam.disconnect)
    timer.start()
    with pytest.raises(DeviceDisconnected):
        cam.read(timeout=5.0)
    timer.join()


def _write_wav(path: Path, pcm: np.ndarray, rate: int, channels: int = 1) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.astype("<i2").tobytes())


def test_microphone_wav_resampled_then_silence_then_append(tmp_path: Path) -> None:
    rate = 48000
    t = np.arange(rate // 2) / rate  # 0.5 s of 440 Hz, stereo
    tone = (8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)
    stereo = np.column_stack([tone, tone]).ravel()
    wav = tmp_path / "tone.wav"
    _write_wav(wav, stereo, rate, channels=2)
    mic = SimulatedMicrophone(wav, realtime=False)
    assert mic.pending_s == pytest.approx(0.5, abs=0.001)
    mic.open()
    chunks = [mic.read() for _ in range(7)]
    assert all(c.pcm.dtype == np.int16 and c.pcm.shape == (1600,) and c.rate == 16000 for c in chunks)
    speech = np.concatenate([c.pcm for c in chunks[:5]])
    spectrum = np.abs(np.fft.rfft(speech))
    assert abs(np.argmax(spectrum) * 16000 / speech.size - 440) < 5
    assert not chunks[5].pcm.any() and not chunks[6].pcm.any()  # silence after the source
    assert mic.health().counters["silent_s"] == pytest.approx(0.2)
    assert mic.meter.longest_silence_s == pytest.approx(0.2)
    assert np.allclose(np.diff([c.t for c in chunks]), 0.1)
    mic.append(np.full(800, 1000, np.int16))
    nxt = mic.read()
    assert (nxt.pcm[:800] == 1000).all() and not nxt.pcm[800:].any()
    assert mic.pending_s == 0


def test_microphone_loop_noise_and_unplug() -> None:
    src = np.arange(1000, dtype=np.int16)
    mic = SimulatedMicrophone(src, chunk_ms=100, realtime=False, loop=True)
    mic.open()
    first = mic.read()
    pcm = first.pcm
    assert (pcm[:1000] == src).all() and (pcm[1000:1600] == src[:600]).all()
    quiet = SimulatedMicrophone(None, realtime=False, noise_level=20.0)
    quiet.open()
    q = quiet.read().pcm
    assert 10 < np.std(q) < 30
    mic.disconnect()
    with pytest.raises(DeviceDisconnected):
        mic.read()
    mic.reconnect()
    mic.open()
    assert mic.read().t == pytest.approx(first.t + 0.1)  # no wall time passes in non-realtime mode


def test_microphone_realtime_pace() -> None:
    mic = SimulatedMicrophone(np.zeros(16000, np.int16), chunk_ms=20, realtime=True)
    mic.open()
    first = mic.read()
    assert time.monotonic() >= first.t + 0.02  # a chunk exists only after its last sample
    second = mic.read()
    assert second.t - first.t == pytest.approx(0.02)


def _card() -> IdCardData:
    return IdCardData("测试", "男", "汉", "19800101", "河南省漯河市", "411102198001011234", "漯河市公安局",
                      "20200101", "20400101")


def test_idcard_sim_waits_for_card() -> None:
    card = _card()
    reader = SimulatedIdCardReader(None)
    reader.open()
    with pytest.raises(TimeoutError):
        reader.read_card(timeout=0.05)
    threading.Timer(0.05, reader.insert, args=(card,)).start()
    assert reader.read_card(timeout=5.0) is card
    assert "411102" not in repr(card)
    slow = SimulatedIdCardReader(card, delay_s=2.0)
    slow.open()
    with pytest.raises(TimeoutError):
        slow.read_card(timeout=0.05)


def test_synth_signature_is_plausible_and_deterministic() -> None:
    strokes = synth_signature("张三", 7)
    assert strokes == synth_signature("张三", 7)
    assert strokes != synth_signature("张三", 8)
    assert len(strokes) >= 2
    pts = [p for s in strokes for p in s]
    assert 2.0 <= pts[-1].t - pts[0].t <= 4.0
    assert all(0.0 <= p.x <= 1.0 and 0.0 <= p.y <= 1.0 for p in pts)
    pressures = np.array([p.pressure for p in pts])
    assert pressures.min() >= 0.3 and pressures.max() <= 0.9 and pressures.std() > 0.05
    times = np.array([p.t for p in pts])
    assert (np.diff(times) > 0).all()
    xs = np.array([p.x for p in pts])
    assert xs.max() - xs.min() > 0.4  # spreads across the pad


def test_signature_pad_replays_with_pen_up_then_confirm() -> None:
    strokes = [[PenPoint(0.1, 0.1, 0.0, 0.5), PenPoint(0.2, 0.2, 0.01, 0.6)],
               [PenPoint(0.5, 0.5, 0.2, 0.4)]]
    pad = SimulatedSignaturePad(strokes)
    pad.open()
    out = list(pad.points(threading.Event()))
    assert out[-1] is PadEvent.CONFIRM
    pens = [p for p in out if isinstance(p, PenPoint)]
    assert [p.down for p in pens] == [True, True, False, True, False]
    assert pens[1].t - pens[0].t == pytest.approx(0.01)
    stop = threading.Event()
    stop.set()
    assert list(pad.points(stop)) == []


def test_demo_people_are_composed_before_anyone_steps_up(monkeypatch) -> None:
    """Finding a face in a photo holds the GIL for 100–150 ms: the demo does it for a case's
    people in `prepare` (the kiosk is idle then), and stepping up later does not do it again."""
    from devices.camera import actor
    from devices.idcard.sim import SimulatedIdCardReader
    from devices.signpad.sim import SimulatedSignaturePad
    from kiosk.platform.demo import DEMO_CASE_NO
    from kiosk.session.context import seed_cast
    from kiosk.session.demo_applicant import CounterScene, DemoApplicant

    monkeypatch.setattr(actor, "_SCENES", {})
    searched: list[tuple[int, ...]] = []
    find = actor._find_face
    monkeypatch.setattr(actor, "_find_face", lambda rgb: searched.append(rgb.shape) or find(rgb))
    scene = CounterScene(640, 480)
    demo = DemoApplicant(scene, None, SimulatedIdCardReader(None), SimulatedSignaturePad(realtime=False), seed_cast)
    demo.prepare(DEMO_CASE_NO)
    people = seed_cast(DEMO_CASE_NO)
    photos = {p.photo for p in people}
    assert len(photos) == 2 and len(searched) == 2 * len(photos)  # each photo, then its composed scene
    searched.clear()
    demo.expect_case(DEMO_CASE_NO)
    for person in people:
        demo._step_up(person)
        assert scene.actor is not None
    assert searched == []
