"""The technician's device tests run through the devices' owners: the camera and microphone
tests read the owners' rings under a stream lease, the pad and reader tests are commands on the
owner threads, and while a test runs nobody but the owner touches a device."""
from __future__ import annotations

import threading
from types import SimpleNamespace

from devices.base import DeviceState
from devices.factory import open_devices
from devices.owner import DeviceOwners
from ui.technician.console import TechnicianConsole


def test_device_tests_go_through_the_owners(qtbot, state):
    settings, paths = state
    devs = open_devices({"camera": "sim", "microphone": "sim", "idcard": "sim", "signpad": "sim"}, demo=True,
                        sim_sources={"realtime": True})
    owners = DeviceOwners.start(devs.camera, devs.microphone, devs.idcard, devs.signpad)
    ctx = SimpleNamespace(devices=owners, idcard=devs.idcard)
    c = TechnicianConsole(settings, paths, control=SimpleNamespace(ctx=ctx, busy=False), demo=True)
    qtbot.addWidget(c)
    checks = c.devices.state.checks
    try:
        c.devices.start_camera()
        qtbot.waitUntil(lambda: owners.camera.items >= 5, timeout=10000)
        assert owners.camera.health.state is DeviceState.OPEN
        c.devices._stop("camera")
        qtbot.waitUntil(lambda: "摄像头" in checks, timeout=10000)
        assert checks["摄像头"]["ok"], checks["摄像头"]
        assert owners.camera.wait_state(DeviceState.CLOSED, 5)  # the lease went with the test

        c.devices.test_idcard()
        qtbot.waitUntil(lambda: "身份证读卡器" in checks, timeout=10000)
        assert checks["身份证读卡器"]["ok"] and "读卡成功" in c.devices.id_label.text()

        c.devices.test_pad()
        qtbot.waitUntil(lambda: "签字板" in checks, timeout=20000)
        assert checks["签字板"]["ok"], checks["签字板"]

        c.devices.record_microphone()
        qtbot.waitUntil(lambda: "麦克风" in checks, timeout=20000)
        # nobody speaks into the simulated microphone here: its noise floor is below the speech
        # minimum, and the check says so instead of passing a silent microphone
        mic = checks["麦克风"]
        level = float(mic["detail"].split("讲话电平 ")[1].split(" dBFS")[0])
        assert mic["ok"] == (level >= settings.recording.min_audio_dbfs), mic
        assert owners.microphone.wait_state(DeviceState.CLOSED, 5)
    finally:
        for stop in list(c.devices.state.stops.values()):
            stop.set()
        owners.stop()
    # every call ran on the owner threads; none of the test workers opened a device
    assert owners.idcard.calls_run >= 1 and owners.signpad.calls_run >= 1
    assert not [t for t in threading.enumerate() if t.name.startswith("device-") and t.is_alive()]
