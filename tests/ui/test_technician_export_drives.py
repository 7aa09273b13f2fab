"""Exports onto a USB drive: finding the drives (a mountinfo and sysfs tree laid out as Linux
lays them out), writing whole files onto a directory that stands for the drive, and each way a
write fails — the drive pulled out mid-write, a full drive, a read-only one (real tmpfs mounts in
a private mount namespace where `unshare` allows it)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.usbdrives import Drive, ExportError, deliver, linux_drives, size_text
from ui.technician.exports import export_logs, send

RAW_ID = "411102198001010019"

MOUNTINFO = """\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw
120 27 8:17 / /media/kiosk/KINGSTON rw,nosuid,nodev,relatime shared:60 - vfat /dev/sdb1 rw,fmask=0022
121 27 8:33 / /media/kiosk/My\\040Stick ro,nosuid,nodev,relatime shared:61 - exfat /dev/sdc1 ro
122 27 8:49 / /mnt/usbdisk rw,relatime shared:62 - ext4 /dev/sdd1 rw
123 27 8:1 / /mnt/data rw,relatime shared:63 - ext4 /dev/sda1 rw
124 27 0:50 / /media/kiosk/scratch rw - tmpfs tmpfs rw
125 27 8:17 / /media/kiosk/KINGSTON rw,relatime - vfat /dev/sdb1 rw
126 27 179:1 / /run/media/tech/SDCARD rw,relatime - vfat /dev/mmcblk0p1 rw
"""


def _disk(sys_root: Path, bus: str, disk: str, removable: str, parts: dict[str, str]) -> None:
    """A disk under /sys/devices with its partitions, and /sys/dev/block/M:m links to them."""
    d = sys_root / "devices" / bus / "block" / disk
    d.mkdir(parents=True)
    (d / "removable").write_text(removable + "\n")
    links = sys_root / "dev" / "block"
    links.mkdir(parents=True, exist_ok=True)
    for name, major_minor in parts.items():
        (d / name).mkdir()
        (d / name / "partition").write_text("1\n")
        os.symlink(os.path.relpath(d / name, links), links / major_minor)


@pytest.fixture
def sysfs(tmp_path) -> Path:
    root = tmp_path / "sys"
    _disk(root, "pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0", "sda", "0", {"sda1": "8:1", "sda2": "8:2"})
    _disk(root, "pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0", "sdb", "1", {"sdb1": "8:17"})
    _disk(root, "pci0000:00/0000:00:14.0/usb2/2-2/2-2:1.0/host7/target7:0:0/7:0:0:0", "sdc", "1", {"sdc1": "8:33"})
    # a USB hard disk says removable=0; it is still a drive the technician can carry away
    _disk(root, "pci0000:00/0000:00:14.0/usb3/3-1/3-1:1.0/host8/target8:0:0/8:0:0:0", "sdd", "0", {"sdd1": "8:49"})
    return root


def test_linux_drives_from_mountinfo_and_sysfs(tmp_path, sysfs):
    info = tmp_path / "mountinfo"
    info.write_text(MOUNTINFO)
    drives = linux_drives(info, sysfs, free=lambda p: 8 << 30)
    by_path = {str(d.path): d for d in drives}
    # the udisks places are drives; /mnt only when sysfs says removable or USB; no tmpfs, no root disk
    assert list(by_path) == ["/media/kiosk/KINGSTON", "/media/kiosk/My Stick", "/mnt/usbdisk",
                             "/run/media/tech/SDCARD"]
    assert by_path["/media/kiosk/KINGSTON"].device == "/dev/sdb1" and not by_path["/media/kiosk/KINGSTON"].read_only
    assert by_path["/media/kiosk/My Stick"].read_only and by_path["/media/kiosk/My Stick"].label == "My Stick"
    assert by_path["/mnt/usbdisk"].free_bytes == 8 << 30 and size_text(8 << 30) == "8.0 GB"
    assert size_text(300 << 20) == "300 MB"
    # the internal disk mounted under /mnt is not offered
    assert "/mnt/data" not in by_path
    # no mountinfo (not Linux, or /proc hidden): no drives, no crash
    assert linux_drives(tmp_path / "absent", sysfs) == []


def test_this_machine_lists_without_error():
    """The real /proc and /sys of the machine the tests run on: whatever is there, a list comes back."""
    drives = linux_drives()
    assert all(str(d.path).startswith(("/media/", "/run/media/", "/mnt/")) for d in drives)


def _logs(tmp_path: Path) -> Path:
    logs = tmp_path / "logs"
    logs.mkdir()
    lines = [f'{{"msg": "card {RAW_ID} read", "n": {i}}}' for i in range(3000)]
    (logs / "kiosk.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return logs


def test_log_export_onto_a_drive_is_whole_and_masked(tmp_path):
    drive = tmp_path / "KINGSTON"
    drive.mkdir()
    local = export_logs(_logs(tmp_path), tmp_path / "exports")
    seen: list[tuple[int, int]] = []
    copy = send(local, drive, progress=lambda d, t: seen.append((d, t)))
    assert copy.parent == drive and copy.is_file() and not local.exists(), "moved onto the drive"
    assert [p.name for p in drive.iterdir()] == [copy.name], "no .part left behind"
    assert seen and seen[-1][0] == seen[-1][1] == copy.stat().st_size
    raw = copy.read_bytes()
    with zipfile.ZipFile(copy) as zf:
        text = zf.read("kiosk.jsonl").decode()
    assert RAW_ID not in text and RAW_ID.encode() not in raw and "4111**********0019" in text


def test_drive_pulled_mid_write_removes_the_part_and_keeps_the_local_file(tmp_path):
    drive = tmp_path / "stick"
    drive.mkdir()
    local = export_logs(_logs(tmp_path), tmp_path / "exports")

    def pull(done: int, total: int) -> None:
        if drive.exists():  # the stick vanishes after the first block
            shutil.rmtree(drive)

    with pytest.raises(ExportError) as err:
        send(local, drive, progress=pull)
    assert "拔出" in err.value.message and str(local) in err.value.message
    assert local.is_file(), "the export is still on the kiosk"
    assert not drive.exists()
    with pytest.raises(ExportError, match="拔出"):
        deliver(local, tmp_path / "gone")


_IN_NAMESPACE = """
import json, os, subprocess, sys
from pathlib import Path
from kiosk.usbdrives import ExportError, deliver
src, mnt, opts = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(mnt)], check=True)
try:
    deliver(src, mnt, chunk=16384)
    print(json.dumps({"ok": True, "left": sorted(os.listdir(mnt))}))
except ExportError as exc:
    print(json.dumps({"ok": False, "message": exc.message, "left": sorted(os.listdir(mnt))}))
"""


def _in_private_mount(tmp_path: Path, src: Path, opts: str) -> dict:
    if shutil.which("unshare") is None:
        pytest.skip("unshare not available")
    mnt = tmp_path / "mnt"
    mnt.mkdir(exist_ok=True)
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("user namespaces not allowed here")
    r = subprocess.run(["unshare", "-rm", sys.executable, "-c", _IN_NAMESPACE, str(src), str(mnt), opts],
                       capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_full_drive_says_so_and_leaves_no_part(tmp_path):
    src = tmp_path / "logs-big.zip"
    src.write_bytes(os.urandom(512 * 1024))
    got = _in_private_mount(tmp_path, src, "size=128k")
    assert not got["ok"] and "空间不足" in got["message"]
    assert got["left"] == [], "the half-written part is removed"
    small = tmp_path / "logs-small.zip"
    small.write_bytes(os.urandom(16 * 1024))
    assert _in_private_mount(tmp_path, small, "size=128k") == {"ok": True, "left": ["logs-small.zip"]}


def test_read_only_drive_says_so(tmp_path):
    src = tmp_path / "selftest.pdf"
    src.write_bytes(b"%PDF-1.4\n" * 100)
    got = _in_private_mount(tmp_path, src, "size=128k,ro")
    assert not got["ok"] and "只读" in got["message"] and got["left"] == []


def test_export_tab_writes_onto_the_chosen_drive(qtbot, state, tmp_path, shots):
    from types import SimpleNamespace

    from ui.technician.console import TechnicianConsole

    settings, paths = state
    (paths.logs / "kiosk.jsonl").write_text(f'{{"msg": "card {RAW_ID} read"}}\n', encoding="utf-8")
    c = TechnicianConsole(settings, paths, control=SimpleNamespace(ctx=None, busy=False), demo=True)
    qtbot.addWidget(c)
    tab = c.export
    c.resize(1280, 1024)
    c.show()
    c.tabs.setCurrentWidget(tab)  # looks for the machine's real drives, off the GUI thread
    with qtbot.waitSignal(c.state._workers[-1].finished, timeout=5000):
        pass
    assert tab.watch.isActive(), "while the tab is in front, drives are looked for"
    tab.watch.stop()  # from here on the test hands in its own drives
    drive = tmp_path / "KINGSTON"
    drive.mkdir()
    tab._fill_destinations([Drive(path=drive, label="KINGSTON", device="/dev/sdb1", free_bytes=8 << 30)])
    assert tab.destination.count() == 2 and tab.destination.currentIndex() == 1, "a plugged-in stick is preselected"
    assert tab.chosen_drive() == drive
    assert tab.destination.currentText() == f"U盘：KINGSTON（{drive}），可用 8.0 GB"
    # photographed with the places a stick really mounts at
    tab._fill_destinations([Drive(path=Path("/media/kiosk/KINGSTON"), label="KINGSTON", device="/dev/sdb1",
                                  free_bytes=15 << 30),
                            Drive(path=Path("/media/kiosk/SDCARD"), label="SDCARD", device="/dev/mmcblk0p1",
                                  read_only=True, free_bytes=1 << 30)])
    c.grab().save(str(shots / "technician-export.png"))
    tab._fill_destinations([Drive(path=drive, label="KINGSTON", device="/dev/sdb1", free_bytes=8 << 30)])
    assert tab.chosen_drive() == drive
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert not tab.export_button.isEnabled(), "one export at a time"
    qtbot.waitUntil(lambda: tab.export_button.isEnabled() and "日志已导出" in tab.export_label.text(), timeout=10000)
    (zipped,) = list(drive.iterdir())
    assert tab.last_export == zipped and str(zipped) in tab.export_label.text()
    with zipfile.ZipFile(zipped) as zf:
        assert RAW_ID not in zf.read("kiosk.jsonl").decode()
    assert not list(tab.export_dir.iterdir()), "moved onto the stick, not left behind on the kiosk"
    # the self-test report goes the same way
    qtbot.mouseClick(tab.report_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.report_button.isEnabled() and "自检报告已生成" in tab.export_label.text(),
                    timeout=30000)
    assert tab.last_report.parent == drive and tab.last_report.read_bytes().startswith(b"%PDF")
    zipped.unlink()
    tab.last_report.unlink()
    # the drive goes away: the error is shown in plain Chinese, the buttons come back
    shutil.rmtree(drive)
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.export_button.isEnabled() and "拔出" in tab.export_label.text(), timeout=10000)
    # the data dir is always the first choice, and a choice made stays through a rescan
    tab.destination.setCurrentIndex(0)
    assert tab.chosen_drive() is None
    same = [Drive(path=drive, label="KINGSTON", device="/dev/sdb1")]
    tab._fill_destinations(same)
    assert tab.chosen_drive() is None, "the technician chose the kiosk; a rescan does not overrule"
    other = tmp_path / "SDCARD"
    tab._fill_destinations(same + [Drive(path=other, label="SDCARD", device="/dev/mmcblk0p1")])
    assert tab.chosen_drive() == other, "a stick plugged in now is preselected"
    tab._fill_destinations(same)
    assert tab.chosen_drive() is None, "the chosen stick pulled out: back to the kiosk"
    c.tabs.setCurrentWidget(c.outbox)
    c.tabs.setCurrentWidget(tab)
    assert tab.watch.isActive()
    c.tabs.setCurrentWidget(c.outbox)
    assert not tab.watch.isActive(), "not looked for behind another tab"


def test_report_lists_each_check_once_measured_now_and_the_settings(qtbot, state, tmp_path):
    """A remembered enrolment line is replaced by what is measured when the report is made; the
    devices, platform and model settings are listed."""
    import subprocess
    from types import SimpleNamespace

    from ui.technician.console import TechnicianConsole

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    settings, paths = state
    c = TechnicianConsole(settings, paths, control=SimpleNamespace(ctx=None, busy=False), demo=True)
    qtbot.addWidget(c)
    c.state.record("平台注册", True, "注册成功，终端证书已保存")
    tab = c.export
    tab._fill_destinations([])
    qtbot.mouseClick(tab.report_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.report_button.isEnabled() and "自检报告已生成" in tab.export_label.text(),
                    timeout=30000)
    assert tab.last_report.parent == tab.export_dir
    text = subprocess.run(["pdftotext", "-layout", str(tab.last_report), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert text.count("平台注册") == 1 and "注册成功" not in text, "not ready now: the old success is not repeated"
    for key in ("devices.idcard", "platform.url", "speech.model_path", "identity.match_threshold"):
        assert key in text
