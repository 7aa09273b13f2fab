"""How each of the four kinds is doing on this machine, for `doctor` and the technician screen.

Each probe step fails alone: a missing vendor library, a missing udev permission or a broken
PortAudio becomes a message with its fix, never a crash.
"""
from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from devices.base import KINDS, DeviceInfo, DeviceState, DeviceUnavailable, Health
from devices.factory import KNOWN_ADAPTERS, AdapterSpec, Match, match_adapters
from devices.usb import UsbDevice, list_usb_devices

log = logging.getLogger(__name__)

UDEV_RULES = """\
# bdc-kiosk: let the kiosk user reach its devices without root
# Wacom STU signature pads
SUBSYSTEM=="hidraw", ATTRS{idVendor}=="056a", MODE="0660", GROUP="plugdev", TAG+="uaccess"
# Hanvon signature pads
SUBSYSTEM=="hidraw", ATTRS{idVendor}=="0b57", MODE="0660", GROUP="plugdev", TAG+="uaccess"
# USB ID-card readers (SDT API / termb talk to the USB device directly)
SUBSYSTEM=="usb", ATTRS{idVendor}=="0400", ATTRS{idProduct}=="c35a", MODE="0660", GROUP="plugdev", TAG+="uaccess"
# USB-serial adapters of serial ID-card readers (CH340, PL2303, CP210x)
SUBSYSTEM=="tty", ATTRS{idVendor}=="1a86", MODE="0660", GROUP="dialout", TAG+="uaccess"
SUBSYSTEM=="tty", ATTRS{idVendor}=="067b", MODE="0660", GROUP="dialout", TAG+="uaccess"
SUBSYSTEM=="tty", ATTRS{idVendor}=="10c4", MODE="0660", GROUP="dialout", TAG+="uaccess"
"""
UDEV_FIX = ("安装 udev 规则：把 /etc/udev/rules.d/99-bdc-kiosk.rules 写成本软件提供的规则"
            "（python -c \"import devices.probe as p; print(p.UDEV_RULES)\"），"
            "执行 sudo udevadm control --reload && sudo udevadm trigger，再重新插拔设备")

@dataclass
class Probe:
    """What doctor and the technician screen show for one device kind."""

    kind: str
    found: list[DeviceInfo] = field(default_factory=list)
    health: Health = field(default_factory=lambda: Health(DeviceState.CLOSED))
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "found": [{"name": f.name, "adapter": f.adapter, "path": f.path,
                       "vendor_id": f"{f.vendor_id:04x}" if f.vendor_id is not None else None,
                       "product_id": f"{f.product_id:04x}" if f.product_id is not None else None}
                      for f in self.found],
            "state": self.health.state.value,
            "ok": self.health.state is DeviceState.OPEN or (bool(self.found) and self.health.state is DeviceState.CLOSED),
            "message": self.health.message,
            "fix": self.health.fix,
            "notes": list(self.notes),
        }


def _hidraw_access(vendor_id: int, product_id: int) -> bool | None:
    """Whether this user may open the pad's hidraw node (Linux); None when not determinable."""
    try:
        import hid
    except ImportError:
        return None
    paths = [d.get("path", b"") for d in hid.enumerate(vendor_id, product_id)]
    if not paths:
        return False if sys.platform.startswith("linux") else None
    for raw in paths:
        p = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)
        if p.startswith("/dev/") and os.access(p, os.R_OK | os.W_OK):
            return True
    return not sys.platform.startswith("linux")

class Prober:
    """Probes the four kinds on this machine, each alone."""

    def __init__(self, *, usb_lister: Callable[[], list[UsbDevice]] = list_usb_devices,
                 adapters: Iterable[AdapterSpec] = KNOWN_ADAPTERS,
                 library_finder: Callable[[list[str]], str | None] | None = None) -> None:
        self._usb_lister = usb_lister
        self.adapters = tuple(adapters)
        if library_finder is None:
            from devices.vendorlib import find_vendor_library
            library_finder = find_vendor_library
        self._find_lib = library_finder

    def scan(self) -> list[Match]:
        try:
            usb = self._usb_lister()
        except Exception as exc:  # noqa: BLE001 - enumeration failing must not stop the kiosk
            log.warning("USB enumeration failed: %s", exc)
            return []
        return match_adapters(usb, self.adapters)

    def probe(self) -> dict[str, Probe]:
        """Every kind, each probed alone: one failing probe never hides the others."""
        matches = self.scan()
        out: dict[str, Probe] = {}
        for kind in KINDS:
            try:
                out[kind] = getattr(self, f"_probe_{kind}")([m for m in matches if m.spec.kind == kind])
            except Exception as exc:  # noqa: BLE001 - a probe bug becomes a reported failure
                log.exception("probe %s failed", kind)
                out[kind] = Probe(kind, health=Health(DeviceState.FAILED, "检测失败", "查看技术日志",
                                                      {"error": 1}), notes=[repr(exc)])
        return out

    def _probe_camera(self, matches: list[Match]) -> Probe:
        from devices.camera.opencv import enumerate_cameras

        probe = Probe("camera")
        cams = enumerate_cameras()
        for c in cams:
            probe.found.append(DeviceInfo("camera", c.name, "opencv", path=c.path))
        if not cams and matches:
            probe.found.extend(m.info() for m in matches)
        if not probe.found:
            probe.health = Health(DeviceState.FAILED, "未发现摄像头",
                                  "插好摄像头USB线；Linux 下确认 /dev/video0 存在")
        elif any(not c.readable for c in cams):
            probe.health = Health(DeviceState.FAILED, "没有权限使用摄像头",
                                  "把当前用户加入 video 组（sudo usermod -aG video 用户名）后重新登录")
        else:
            probe.health = Health(DeviceState.CLOSED, f"发现 {len(probe.found)} 个摄像头")
        return probe

    def _probe_microphone(self, matches: list[Match]) -> Probe:
        from devices.audio.portaudio import list_input_devices

        probe = Probe("microphone")
        try:
            inputs = list_input_devices()
        except DeviceUnavailable as exc:
            probe.found.extend(m.info() for m in matches)
            probe.health = Health(DeviceState.FAILED, exc.message, exc.fix)
            probe.notes.append(exc.detail)
            return probe
        for e in inputs:
            probe.found.append(DeviceInfo("microphone", e.name, "sounddevice", path=str(e.index)))
        if not inputs:
            probe.health = Health(DeviceState.FAILED, "未发现麦克风",
                                  "插好麦克风；在系统声音设置里确认有输入设备")
        else:
            default = next((e.name for e in inputs if e.is_default), inputs[0].name)
            probe.health = Health(DeviceState.CLOSED, f"发现 {len(inputs)} 个输入设备，默认：{default}")
        return probe

    def _probe_idcard(self, matches: list[Match]) -> Probe:
        from devices.idcard import sdtapi, termb

        probe = Probe("idcard")
        probe.found.extend(m.info() for m in matches)
        libs = {name: self._find_lib(stems) for name, stems in
                (("sdtapi", sdtapi.LIB_STEMS), ("termb", termb.LIB_STEMS))}
        for name, path in libs.items():
            probe.notes.append(f"{name}: {path or '未安装'}")
        usb_readers = [m for m in matches if m.spec.adapter == "sdtapi"]
        serial = [m for m in matches if m.spec.adapter == "serial"]
        if usb_readers and not any(libs.values()):
            probe.health = Health(DeviceState.FAILED, "发现身份证读卡器，但未安装厂商驱动库",
                                  "安装读卡器厂商的 SDT API（libsdtapi.so / sdtapi.dll）或华视 termb 驱动库，"
                                  "放到软件目录 vendor/ 下")
        elif usb_readers:
            probe.health = Health(DeviceState.CLOSED, "发现身份证读卡器")
        elif serial:
            probe.health = Health(DeviceState.CLOSED, "发现USB串口，若读卡器接在串口上，请在配置中设置 "
                                  "devices.idcard = serial:端口名")
        else:
            probe.health = Health(DeviceState.FAILED, "未发现身份证读卡器",
                                  "插好身份证读卡器USB线；串口读卡器请在配置中设置 devices.idcard = serial:端口名")
        return probe

    def _probe_signpad(self, matches: list[Match]) -> Probe:
        probe = Probe("signpad")
        probe.found.extend(m.info() for m in matches)
        if not matches:
            probe.health = Health(DeviceState.FAILED, "未发现签字板（可改用屏幕手写：devices.signpad = screen）",
                                  "插好签字板USB线")
            return probe
        m = matches[0]
        access = _hidraw_access(m.usb.vendor_id, m.usb.product_id)
        if access is False:
            probe.health = Health(DeviceState.FAILED, "发现签字板，但没有权限使用", UDEV_FIX)
        else:
            probe.health = Health(DeviceState.CLOSED, f"发现{m.info().name}")
        return probe


__all__ = ["UDEV_FIX", "UDEV_RULES", "Probe", "Prober"]
