"""Frame ring consumers never block each other; one owner thread per device serialises every
call, streams into its ring on demand, fails commands cleanly while unplugged and resumes on replug."""
from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

from devices.audio.sim import SimulatedMicrophone
from devices.base import DeviceDisconnected, DeviceState, IdCardData, PadEvent, PenPoint
from devices.camera.sim import SimulatedCamera
from devices.factory import open_devices
from devices.idcard.sim import SimulatedIdCardReader, demo_card
from devices.owner import DeviceOwner, DeviceOwners, IdCardOwner, SignpadOwner
from devices.ring import FrameRing
from devices.signpad.sim import SimulatedSignaturePad, synth_signature
from devices.usb import UsbDevice


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


def test_owner_streams_on_demand_and_resumes_after_unplug() -> None:
    """Closed until a consumer leases the stream; unplug: DISCONNECTED with a message, then OPEN
    again and frames resume; the last lease released closes the camera."""
    cam = SimulatedCamera([np.zeros((8, 8, 3), np.uint8)], fps=200.0, realtime=True)
    events: list[tuple[str, DeviceState, str]] = []
    owner: DeviceOwner[SimulatedCamera] = DeviceOwner(cam, ring_capacity=8, retry_s=0.02)
    owner.add_listener(lambda info, h: events.append((info.kind, h.state, h.message)))
    assert owner.ring is not None
    cons = owner.ring.consumer("recorder", lossless=True)
    owner.start()
    try:
        assert not owner.wait_state(DeviceState.OPEN, 0.2) and cons.pending == 0  # nobody asked yet
        lease = owner.stream()
        assert owner.wait_state(DeviceState.OPEN, 5)
        first = cons.get(5)
        assert first is not None
        cam.disconnect()
        assert owner.wait_state(DeviceState.DISCONNECTED, 5)
        assert "摄像头" in owner.health.message and "连接" in owner.health.message
        cam.reconnect()
        assert owner.wait_state(DeviceState.OPEN, 5)
        assert owner.health.message == "摄像头已恢复"
        while True:  # frames resume, newer than before the unplug
            f = cons.get(5)
            assert f is not None
            if f.t > first.t + 0.01:
                break
        lease.release()
        assert owner.wait_state(DeviceState.CLOSED, 5)
    finally:
        owner.stop()
    states = [s for _, s, _ in events]
    assert states[:4] == [DeviceState.OPEN, DeviceState.DISCONNECTED, DeviceState.OPEN, DeviceState.CLOSED]
    assert not owner.alive and owner.ring.closed


def test_microphone_owner_unplug_replug() -> None:
    mic = SimulatedMicrophone(np.full(16000, 100, np.int16), chunk_ms=20, realtime=True)
    owner: DeviceOwner[SimulatedMicrophone] = DeviceOwner(mic, ring_capacity=64, retry_s=0.02).start()
    assert owner.ring is not None
    asr = owner.ring.consumer("asr", lossless=True)
    try:
        with owner.stream():
            chunk = asr.get(5)
            assert chunk is not None and chunk.pcm.size == 320
            mic.disconnect()
            assert owner.wait_state(DeviceState.DISCONNECTED, 5)
            assert "麦克风" in owner.health.message
            mic.reconnect()
            assert owner.wait_state(DeviceState.OPEN, 5)
            assert asr.get(5) is not None
    finally:
        owner.stop()


def test_slow_ring_consumer_of_a_live_camera_drops_only_for_itself() -> None:
    """Through the owner: a stalled analysis reader loses frames, the recorder gets every one in order."""
    cam = SimulatedCamera([np.zeros((8, 8, 3), np.uint8)], fps=100.0, realtime=True)
    owner: DeviceOwner[SimulatedCamera] = DeviceOwner(cam, ring_capacity=32).start()  # 0.3 s of slack
    assert owner.ring is not None
    recorder = owner.ring.consumer("recorder", lossless=True)
    analysis = owner.ring.consumer("analysis")
    seqs: list[int] = []
    try:
        with owner.stream():
            first = analysis.get(5)
            assert first is not None
            while len(seqs) < 200:
                f = recorder.get(5)
                assert f is not None
                seqs.append(f.seq)
            late = analysis.get(5)  # the analysis slept through ~200 frames
            assert late is not None
    finally:
        owner.stop()
    assert seqs == list(range(seqs[0], seqs[0] + 200)) and recorder.dropped == 0
    assert analysis.dropped >= 100 and late.seq - first.seq - 1 == analysis.dropped


class _GuardedReader(SimulatedIdCardReader):
    """The simulator, counting how many threads are inside a read at once (a driver would corrupt)."""

    def __init__(self, card: IdCardData) -> None:
        super().__init__(card, delay_s=0.01)
        self.inside = 0
        self.most_inside = 0
        self.threads: set[str] = set()
        self._count = threading.Lock()

    def read_card(self, timeout: float = 10.0) -> IdCardData:
        with self._count:
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)
            self.threads.add(threading.current_thread().name)
        try:
            return super().read_card(timeout)
        finally:
            with self._count:
                self.inside -= 1


def test_owner_serialises_commands_from_several_threads() -> None:
    reader = _GuardedReader(demo_card())
    owner = IdCardOwner(reader).start()
    results: list[str] = []
    start = threading.Barrier(4)

    def session() -> None:
        start.wait()
        for _ in range(10):
            results.append(owner.read_card(5.0).id_number)

    workers = [threading.Thread(target=session) for _ in range(4)]
    try:
        for t in workers:
            t.start()
        for t in workers:
            t.join(30)
    finally:
        owner.stop()
    assert len(results) == 40 and set(results) == {demo_card().id_number}
    assert reader.most_inside == 1 and reader.threads == {"device-idcard"}
    assert owner.calls_run == 40


def test_command_errors_come_back_through_the_future() -> None:
    owner = IdCardOwner(SimulatedIdCardReader(demo_card())).start()
    try:
        with pytest.raises(ZeroDivisionError):
            owner.call(lambda d: 1 / 0).result(5)
        assert owner.read_card(1.0).name == "张三"  # the owner lives on
    finally:
        owner.stop()
    with pytest.raises(Exception, match="已停止"):
        owner.call(lambda d: None).result(5)


def test_command_on_an_unplugged_reader_fails_cleanly_and_replug_resumes() -> None:
    reader = SimulatedIdCardReader(None)
    states: list[DeviceState] = []
    owner = IdCardOwner(reader, retry_s=0.02, max_retry_s=0.05)
    owner.add_listener(lambda i, h: states.append(h.state))
    owner.start()
    try:
        assert owner.wait_state(DeviceState.OPEN, 5)
        fut = owner.call(lambda d: d.read_card(5.0))  # waiting for a card when the cable goes
        threading.Timer(0.05, reader.disconnect).start()
        with pytest.raises(DeviceDisconnected, match="读卡器"):
            fut.result(5)
        assert owner.health.state is DeviceState.DISCONNECTED  # reported before the caller heard
        with pytest.raises(DeviceDisconnected, match="读卡器") as ei:  # while unplugged: fails, no hang
            owner.read_card(5.0)
        assert ei.value.fix
        reader.reconnect()
        reader.insert(demo_card())
        assert owner.wait_state(DeviceState.OPEN, 5)
        assert owner.read_card(1.0).id_number == demo_card().id_number
    finally:
        owner.stop()
    assert states[:3] == [DeviceState.OPEN, DeviceState.DISCONNECTED, DeviceState.OPEN]


def test_idle_pad_unplug_is_noticed_and_signing_resumes_after_replug() -> None:
    pad = SimulatedSignaturePad(synth_signature("签名", 1))
    owner = SignpadOwner(pad, retry_s=0.02, max_retry_s=0.05).start()
    try:
        assert owner.wait_state(DeviceState.OPEN, 5)
        pad.disconnect()  # nobody is signing: the owner's idle check notices
        assert owner.wait_state(DeviceState.DISCONNECTED, 5)
        with pytest.raises(DeviceDisconnected, match="签字板"):
            list(owner.points())
        pad.reconnect()
        assert owner.wait_state(DeviceState.OPEN, 5)
        items = list(owner.points())
    finally:
        owner.stop()
    assert items[-1] is PadEvent.CONFIRM
    pen = [p for p in items if isinstance(p, PenPoint)]
    assert len(pen) == sum(len(s) + 1 for s in pad.strokes)


def test_pad_pulled_mid_signature_raises_in_the_caller() -> None:
    pad = SimulatedSignaturePad(synth_signature("签名", 2), realtime=True)
    owner = SignpadOwner(pad, retry_s=0.02, max_retry_s=0.05).start()
    got: list[object] = []
    try:
        assert owner.wait_state(DeviceState.OPEN, 5)
        with pytest.raises(DeviceDisconnected):
            for item in owner.points():
                got.append(item)
                if len(got) == 5:
                    pad.disconnect()
        assert owner.health.state is DeviceState.DISCONNECTED
    finally:
        owner.stop()
    assert 5 <= len(got) < sum(len(s) for s in pad.strokes)


def test_owners_of_the_demo_devices() -> None:
    devs = open_devices({"camera": "auto", "microphone": "auto", "idcard": "auto", "signpad": "auto"}, demo=True,
                        sim_sources={"realtime": False})
    assert devs.all_simulated() and not devs.problems
    owners = DeviceOwners.start(devs.camera, devs.microphone, devs.idcard, devs.signpad)
    try:
        assert owners.camera.ring is not None and owners.microphone.ring is not None
        preview = owners.camera.ring.consumer("preview")
        asr = owners.microphone.ring.consumer("asr")
        with owners.camera.stream(), owners.microphone.stream():
            assert preview.get(5) is not None
            assert asr.get(5) is not None
        assert owners.idcard.read_card(5.0).id_number == demo_card().id_number
        assert owners.idcard.wait_state(DeviceState.OPEN, 5) and owners.signpad.wait_state(DeviceState.OPEN, 5)
        assert set(owners.health()) == {"camera", "microphone", "idcard", "signpad"}
    finally:
        owners.stop()
    assert all(not o.alive for o in owners.all())


def test_open_devices_sim_choice_and_screen_pen() -> None:
    devs = open_devices({"camera": "sim", "microphone": "sim", "idcard": "sim", "signpad": "screen"}, demo=False)
    assert devs.signpad is None and devs.screen_pen and not devs.problems
    assert devs.idcard is not None and devs.idcard.info.simulated


def test_open_devices_real_without_hardware_reports_problems_not_crash(monkeypatch: pytest.MonkeyPatch,
                                                                        tmp_path: Any,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("BDC_VENDOR_LIB_DIR", str(tmp_path))
    devs = open_devices({"idcard": "sdtapi", "signpad": "auto", "camera": "sim", "microphone": "sim"},
                        demo=False, usb_lister=lambda: [])
    assert devs.idcard is None and devs.signpad is None
    assert "idcard" in devs.problems and devs.problems["idcard"].fix
    assert "签字板" in devs.problems["signpad"].message
    assert {r.getMessage().split(" ")[0] for r in caplog.records if r.levelname == "WARNING"} == {"idcard", "signpad"}


def test_open_devices_matches_a_plugged_pad_to_its_adapter() -> None:
    from devices.signpad.hanvon import HanvonPad
    from devices.signpad.wacom_stu import WacomStuPad

    usb = [UsbDevice(0x056A, 0x00A8, "1-1"), UsbDevice(0x0B57, 0x8420, "1-2")]
    sims = {"camera": "sim", "microphone": "sim", "idcard": "sim"}
    auto = open_devices({**sims, "signpad": "auto"}, demo=False, usb_lister=lambda: usb)
    assert isinstance(auto.signpad, WacomStuPad) and auto.signpad.product_id == 0x00A8 and auto.signpad.colour
    hv = open_devices({**sims, "signpad": "hanvon"}, demo=False, usb_lister=lambda: usb)
    assert isinstance(hv.signpad, HanvonPad) and hv["signpad"] is hv.signpad


@pytest.mark.allow_log_warnings  # the hub logs the unplug as a warning for the technician
def test_session_hub_feeds_audio_listeners_and_reports_each_kind_once() -> None:
    """The session's hub over the four owners: audio listeners on their own cursor, a pulled
    reader reported once and its return reported once, streams released when the hub stops."""
    from kiosk.session.capture import DeviceHub

    devs = open_devices({"camera": "sim", "microphone": "sim", "idcard": "sim", "signpad": "sim"}, demo=True,
                        sim_sources={"realtime": True})
    owners = DeviceOwners.start(devs.camera, devs.microphone, devs.idcard, devs.signpad, retry_s=0.02,
                                max_retry_s=0.05)
    problems: list[tuple[str, str | None]] = []
    back = threading.Event()
    chunks: list[int] = []
    got_audio = threading.Event()

    def on_problem(kind: str, message: str | None) -> None:
        problems.append((kind, message))
        if message is None:
            back.set()

    def listener(chunk: Any) -> None:
        chunks.append(chunk.pcm.size)
        if len(chunks) >= 3:
            got_audio.set()

    hub = DeviceHub(owners, on_problem=on_problem)
    reader = devs.idcard
    assert isinstance(reader, SimulatedIdCardReader)
    try:
        hub.start()
        hub.add_audio_listener(listener)
        assert got_audio.wait(10) and hub.healthy
        assert owners.camera.wait_state(DeviceState.OPEN, 5)
        reader.disconnect()
        with pytest.raises(DeviceDisconnected):
            hub.read_card(5.0)
        assert problems == [("idcard", problems[0][1])] and "读卡器" in str(problems[0][1])
        assert not hub.healthy
        reader.reconnect()
        assert back.wait(10) and hub.healthy
        assert hub.read_card(5.0).id_number == demo_card().id_number
        hub.remove_audio_listener(listener)
    finally:
        hub.stop()
        assert owners.camera.wait_state(DeviceState.CLOSED, 5)  # nobody streams once the session is gone
        owners.stop()
    assert problems[-1] == ("idcard", None) and len(problems) == 2
