"""Frame ring consumers never block each other; device threads pause and resume on unplug."""
from __future__ import annotations

import queue
import threading
from typing import Any

import numpy as np
import pytest

from devices.audio.sim import SimulatedMicrophone
from devices.base import DeviceInfo, DeviceState, Frame, Health
from devices.camera.sim import SimulatedCamera
from devices.idcard.sim import SimulatedIdCardReader
from devices.registry import DeviceRegistry, demo_card, open_devices, start_streams
from devices.ring import FrameRing
from devices.thread import DeviceThread


def test_ring_newest_for_normal_consumer_counts_drops() -> None:
    ring: FrameRing[int] = FrameRing(4)
    fast = ring.consumer("preview")
    slow = ring.consumer("analysis")
    for i in range(3):
        ring.put(i)
        assert fast.get(0) == i
    assert slow.get(0) == 2  # newest unseen
    assert slow.dropped == 2 and fast.dropped == 0
    assert slow.get(0.01) is None  # nothing new
    ring.put(3)
    assert slow.get(0) == 3 and slow.dropped == 2


def test_ring_lossless_in_order_until_overrun() -> None:
    ring: FrameRing[int] = FrameRing(4)
    rec = ring.consumer("recorder", lossless=True)
    for i in range(3):
        ring.put(i)
    assert [rec.get(0) for _ in range(3)] == [0, 1, 2]
    for i in range(3, 10):
        ring.put(i)  # 7 written, only 4 kept
    assert [rec.get(0) for _ in range(4)] == [6, 7, 8, 9]
    assert rec.dropped == 3
    with pytest.raises(ValueError):
        ring.consumer("recorder")


def test_ring_blocked_get_wakes_on_put_and_close() -> None:
    ring: FrameRing[str] = FrameRing(2)
    c = ring.consumer("x")
    got: list[Any] = []
    t = threading.Thread(target=lambda: got.append(c.get(5.0)))
    t.start()
    ring.put("a")
    t.join(5)
    assert got == ["a"]
    t = threading.Thread(target=lambda: got.append(c.get(5.0)))
    t.start()
    ring.close()
    t.join(5)
    assert got == ["a", None] and not t.is_alive()


def test_slow_consumer_does_not_hold_back_others() -> None:
    """A stalled analysis consumer: preview and recorder still get every frame."""
    ring: FrameRing[int] = FrameRing(8)
    preview = ring.consumer("preview")
    recorder = ring.consumer("recorder", lossless=True)
    stalled = ring.consumer("analysis")
    done = threading.Event()
    seen: dict[str, list[int]] = {"preview": [], "recorder": []}

    def reader(name: str, cons: Any) -> None:
        while True:
            item = cons.get(2.0)
            if item is None:
                return
            seen[name].append(item)

    threads = [threading.Thread(target=reader, args=(n, c)) for n, c in (("preview", preview), ("recorder", recorder))]
    for t in threads:
        t.start()
    for i in range(200):
        ring.put(i)
        if i % 4 == 3:  # let readers keep up within capacity, as a paced camera does
            while recorder.pending or preview.pending:
                threading.Event().wait(0.0005)
    ring.close()
    for t in threads:
        t.join(5)
    done.set()
    assert seen["recorder"] == list(range(200)) and recorder.dropped == 0
    assert seen["preview"][-1] == 199
    assert stalled.get(0) == 199 and stalled.dropped == 199


def test_device_thread_streams_and_resumes_after_unplug() -> None:
    """Unplug at the OS boundary: DISCONNECTED with a message, then OPEN again and frames resume."""
    cam = SimulatedCamera([np.zeros((8, 8, 3), np.uint8)], fps=200.0, realtime=True)
    ring: FrameRing[Frame] = FrameRing(8)
    cons = ring.consumer("recorder", lossless=True)
    events: list[tuple[str, DeviceState, str]] = []
    th: DeviceThread[Any] = DeviceThread(cam, ring, retry_s=0.02, listener=lambda info, h: events.append(
        (info.kind, h.state, h.message)))
    th.start()
    try:
        assert th.wait_state(DeviceState.OPEN, 5)
        first = cons.get(5)
        assert first is not None
        cam.disconnect()
        assert th.wait_state(DeviceState.DISCONNECTED, 5)
        assert "摄像头" in th.health.message and "连接" in th.health.message
        cam.reconnect()
        assert th.wait_state(DeviceState.OPEN, 5)
        assert th.health.message == "摄像头已恢复"
        while True:  # frames resume, newer than before the unplug
            f = cons.get(5)
            assert f is not None
            if f.t > first.t + 0.01:
                break
    finally:
        th.stop()
    states = [s for _, s, _ in events]
    assert states[:3] == [DeviceState.OPEN, DeviceState.DISCONNECTED, DeviceState.OPEN]
    assert states[-1] is DeviceState.CLOSED and not th.alive


def test_microphone_thread_unplug_replug_into_queue() -> None:
    mic = SimulatedMicrophone(np.full(16000, 100, np.int16), chunk_ms=20, realtime=True)
    q: queue.Queue[Any] = queue.Queue(maxsize=1000)
    th: DeviceThread[Any] = DeviceThread(mic, q, retry_s=0.02).start()
    try:
        assert q.get(timeout=5).pcm.size == 320
        mic.disconnect()
        assert th.wait_state(DeviceState.DISCONNECTED, 5)
        assert "麦克风" in th.health.message
        mic.reconnect()
        assert th.wait_state(DeviceState.OPEN, 5)
        assert q.get(timeout=5) is not None
    finally:
        th.stop()


def test_command_device_runs_calls_on_owning_thread() -> None:
    reader = SimulatedIdCardReader(demo_card())
    th: DeviceThread[Any] = DeviceThread(reader).start()
    try:
        names = th.call(lambda d: (threading.current_thread().name, d.read_card(1.0).name), timeout=5)
        assert names == ("device-idcard", "张三")
        fut = th.submit(lambda d: d.read_card(0.01) if False else 1 / 0)
        with pytest.raises(ZeroDivisionError):
            fut.result(5)
    finally:
        th.stop()


def test_open_devices_demo_gives_four_simulators_and_streams() -> None:
    devs = open_devices({"camera": "auto", "microphone": "auto", "idcard": "auto", "signpad": "auto"}, demo=True,
                        sim_sources={"realtime": False})
    assert devs.all_simulated() and not devs.problems
    assert devs.camera is not None and devs.microphone is not None
    assert devs.idcard is not None and devs.signpad is not None
    health: list[tuple[DeviceInfo, Health]] = []
    video, audio, reg = start_streams(devs, listener=lambda i, h: health.append((i, h)))
    try:
        assert video is not None and audio is not None
        assert video.consumer("preview").get(5) is not None
        assert audio.consumer("asr").get(5) is not None
        assert set(reg.health()) == {"camera", "microphone"}
    finally:
        reg.stop()
    assert all(not t.alive for t in reg.owned().values())


def test_open_devices_sim_choice_and_screen_pen() -> None:
    devs = open_devices({"camera": "sim", "microphone": "sim", "idcard": "sim", "signpad": "screen"}, demo=False)
    assert devs.signpad is None and devs.screen_pen and not devs.problems
    assert devs.idcard is not None and devs.idcard.info.simulated


def test_open_devices_real_without_hardware_reports_problems_not_crash(monkeypatch: pytest.MonkeyPatch,
                                                                        tmp_path: Any,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("BDC_VENDOR_LIB_DIR", str(tmp_path))
    empty = DeviceRegistry(usb_lister=lambda: [])
    devs = open_devices({"idcard": "sdtapi", "signpad": "auto", "camera": "sim", "microphone": "sim"},
                        demo=False, registry=empty)
    assert devs.idcard is None and devs.signpad is None
    assert "idcard" in devs.problems and devs.problems["idcard"].fix
    assert "签字板" in devs.problems["signpad"].message
    assert {r.getMessage().split(" ")[0] for r in caplog.records if r.levelname == "WARNING"} == {"idcard", "signpad"}


def test_command_device_unplugged_during_a_call_is_reopened() -> None:
    reader = SimulatedIdCardReader(None)
    states: list[DeviceState] = []
    th: DeviceThread[Any] = DeviceThread(reader, retry_s=0.02, listener=lambda i, h: states.append(h.state)).start()
    try:
        assert th.wait_state(DeviceState.OPEN, 5)
        fut = th.submit(lambda d: d.read_card(5.0))
        threading.Timer(0.05, reader.disconnect).start()
        with pytest.raises(Exception) as ei:
            fut.result(5)
        assert "读卡器" in str(ei.value)
        assert th.wait_state(DeviceState.DISCONNECTED, 5)
        reader.reconnect()
        reader.insert(demo_card())
        assert th.wait_state(DeviceState.OPEN, 5)
        assert th.call(lambda d: d.read_card(1.0).id_number, timeout=5) == demo_card().id_number
    finally:
        th.stop()
    assert states[:3] == [DeviceState.OPEN, DeviceState.DISCONNECTED, DeviceState.OPEN]


def test_open_devices_matches_a_plugged_pad_to_its_adapter() -> None:
    from devices.registry import UsbDevice
    from devices.signpad.hanvon import HanvonPad
    from devices.signpad.wacom_stu import WacomStuPad

    reg = DeviceRegistry(usb_lister=lambda: [UsbDevice(0x056A, 0x00A8, "1-1"), UsbDevice(0x0B57, 0x8420, "1-2")])
    sims = {"camera": "sim", "microphone": "sim", "idcard": "sim"}
    auto = open_devices({**sims, "signpad": "auto"}, demo=False, registry=reg)
    assert isinstance(auto.signpad, WacomStuPad) and auto.signpad.product_id == 0x00A8 and auto.signpad.colour
    hv = open_devices({**sims, "signpad": "hanvon"}, demo=False, registry=reg)
    assert isinstance(hv.signpad, HanvonPad) and hv["signpad"] is hv.signpad
