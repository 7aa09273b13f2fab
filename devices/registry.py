"""Which hardware is here, which adapter drives it, how it is doing, and who owns it.

`DeviceRegistry` lists USB devices (sysfs on Linux, hidapi elsewhere), matches them to
adapters by vendor/product id, probes each of the four kinds with what was found, its state
and the fix, notices hot-plug with a polling thread, and starts one owning `DeviceThread`
per device. Each probe step fails alone: a missing vendor library, a missing udev
permission or a broken PortAudio becomes a message with its fix, never a crash.

`open_devices` is the one call the app makes: settings (`auto`, `sim`, adapter names) in,
constructed devices out, simulators for `sim` and for the demo.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devices.base import (
    Camera,
    DeviceError,
    DeviceInfo,
    DeviceState,
    DeviceUnavailable,
    Health,
    IdCardData,
    IdCardReader,
    Listener,
    Microphone,
    SignaturePad,
)
from devices.ring import FrameRing
from devices.thread import DeviceThread

log = logging.getLogger(__name__)

KINDS = ("camera", "microphone", "idcard", "signpad")
SYSFS_USB = Path("/sys/bus/usb/devices")

USB_CLASS_AUDIO = 0x01
USB_CLASS_HID = 0x03
USB_CLASS_VIDEO = 0x0E

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
            "（python -c \"import devices.registry as r; print(r.UDEV_RULES)\"），"
            "执行 sudo udevadm control --reload && sudo udevadm trigger，再重新插拔设备")


@dataclass(frozen=True)
class UsbDevice:
    vendor_id: int
    product_id: int
    path: str  # sysfs node (1-1.2) or hidapi path
    manufacturer: str = ""
    product: str = ""
    interface_classes: tuple[int, ...] = ()


@dataclass(frozen=True)
class AdapterSpec:
    kind: str
    adapter: str
    name: str
    vendor_id: int | None = None
    product_ids: frozenset[int] | None = None  # None: any product of the vendor
    interface_class: int | None = None  # match by USB class instead (cameras, microphones)

    def matches(self, dev: UsbDevice) -> bool:
        if self.vendor_id is not None:
            if dev.vendor_id != self.vendor_id:
                return False
            return self.product_ids is None or dev.product_id in self.product_ids
        return self.interface_class is not None and self.interface_class in dev.interface_classes


WACOM_STU_PIDS = {
    0x00A1: "STU-500", 0x00A2: "STU-300", 0x00A3: "STU-520A", 0x00A4: "STU-430", 0x00A5: "STU-530",
    0x00A6: "STU-430V", 0x00A8: "STU-540", 0x00A9: "STU-541",
}

HANVON_PIDS = {0x8420: "ESP370U"}

KNOWN_ADAPTERS: tuple[AdapterSpec, ...] = (
    AdapterSpec("signpad", "wacom", "Wacom STU 签字板", 0x056A, frozenset(WACOM_STU_PIDS)),
    # only the Hanvon model with a public protocol description: 0x0B57 is also Hanwang/Bosto drawing tablets
    AdapterSpec("signpad", "hanvon", "汉王 ESP 签字板", 0x0B57, frozenset(HANVON_PIDS)),
    AdapterSpec("idcard", "sdtapi", "USB 身份证读卡器", 0x0400, frozenset({0xC35A})),
    AdapterSpec("idcard", "serial", "USB 串口（可能是串口身份证读卡器）", 0x1A86, frozenset({0x7523, 0x5523})),
    AdapterSpec("idcard", "serial", "USB 串口（可能是串口身份证读卡器）", 0x067B, frozenset({0x2303})),
    AdapterSpec("idcard", "serial", "USB 串口（可能是串口身份证读卡器）", 0x10C4, frozenset({0xEA60})),
    AdapterSpec("camera", "opencv", "USB 摄像头", interface_class=USB_CLASS_VIDEO),
    AdapterSpec("microphone", "sounddevice", "USB 音频设备", interface_class=USB_CLASS_AUDIO),
)


@dataclass(frozen=True)
class Match:
    usb: UsbDevice
    spec: AdapterSpec

    def info(self) -> DeviceInfo:
        name = self.spec.name
        if self.spec.adapter == "wacom":
            name = f"Wacom {WACOM_STU_PIDS.get(self.usb.product_id, 'STU')} 签字板"
        elif self.usb.product:
            name = f"{self.spec.name}（{self.usb.product}）"
        return DeviceInfo(kind=self.spec.kind, name=name, adapter=self.spec.adapter,
                          vendor_id=self.usb.vendor_id, product_id=self.usb.product_id, path=self.usb.path)


# ---------------------------------------------------------------- USB enumeration

def _read(p: Path) -> str:
    try:
        return p.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def list_usb_sysfs(root: Path = SYSFS_USB) -> list[UsbDevice]:
    """USB devices from sysfs (Linux): ids, strings and the classes of their interfaces."""
    if not root.is_dir():
        return []
    classes: dict[str, set[int]] = {}
    for iface in root.glob("*:*"):
        cls = _read(iface / "bInterfaceClass")
        if cls:
            try:
                classes.setdefault(iface.name.split(":")[0], set()).add(int(cls, 16))
            except ValueError:
                continue
    out = []
    for node in sorted(root.iterdir()):
        if ":" in node.name:
            continue
        vid, pid = _read(node / "idVendor"), _read(node / "idProduct")
        if not vid or not pid:
            continue
        try:
            v, p = int(vid, 16), int(pid, 16)
        except ValueError:
            continue
        out.append(UsbDevice(v, p, node.name, _read(node / "manufacturer"), _read(node / "product"),
                             tuple(sorted(classes.get(node.name, ())))))
    return out


def list_usb_hid() -> list[UsbDevice]:
    """HID devices through hidapi (Windows/macOS, where there is no sysfs)."""
    try:
        import hid
    except ImportError:
        return []
    seen: dict[tuple[int, int, str], UsbDevice] = {}
    for d in hid.enumerate():
        path = d.get("path", b"")
        path_s = path.decode(errors="replace") if isinstance(path, bytes) else str(path)
        key = (int(d["vendor_id"]), int(d["product_id"]), str(d.get("serial_number") or path_s))
        seen.setdefault(key, UsbDevice(key[0], key[1], path_s, str(d.get("manufacturer_string") or ""),
                                       str(d.get("product_string") or ""), (USB_CLASS_HID,)))
    return list(seen.values())


def list_usb_serial() -> list[UsbDevice]:
    """USB-serial adapters with their port name as `path` (pyserial; every OS)."""
    try:
        from serial.tools import list_ports
    except ImportError:
        return []
    return [UsbDevice(int(p.vid), int(p.pid), str(p.device), str(p.manufacturer or ""), str(p.product or ""))
            for p in list_ports.comports() if p.vid is not None and p.pid is not None]


def list_usb_devices() -> list[UsbDevice]:
    """Linux: every USB device from sysfs. Elsewhere: HID devices and USB-serial ports (an
    SDT/termb reader that is neither is found by its vendor library probing its ports)."""
    if sys.platform.startswith("linux") and SYSFS_USB.is_dir():
        return list_usb_sysfs()
    return list_usb_hid() + list_usb_serial()


def match_adapters(devices: Iterable[UsbDevice],
                   adapters: Iterable[AdapterSpec] = KNOWN_ADAPTERS) -> list[Match]:
    specs = list(adapters)
    out = []
    for dev in devices:
        for spec in specs:
            if spec.matches(dev):
                out.append(Match(dev, spec))
                break
    return out


# ---------------------------------------------------------------- probes

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


class DeviceRegistry:
    """Probing, hot-plug notices and device ownership for one kiosk."""

    def __init__(self, *, usb_lister: Callable[[], list[UsbDevice]] = list_usb_devices,
                 adapters: Iterable[AdapterSpec] = KNOWN_ADAPTERS, poll_s: float = 2.0,
                 library_finder: Callable[[list[str]], str | None] | None = None) -> None:
        self._usb_lister = usb_lister
        self.adapters = tuple(adapters)
        self.poll_s = poll_s
        if library_finder is None:
            from devices.vendorlib import find_vendor_library
            library_finder = find_vendor_library
        self._find_lib = library_finder
        self._hotplug: list[Callable[[str, Match], None]] = []
        self._stop = threading.Event()
        self._poller: threading.Thread | None = None
        self._present: dict[tuple[int, int, str], Match] = {}
        self._owned: dict[str, DeviceThread[Any]] = {}
        self._lock = threading.Lock()

    # ---- scanning
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

    # ---- hot-plug
    def on_hotplug(self, callback: Callable[[str, Match], None]) -> None:
        """`callback("added"|"removed", match)` from the polling thread."""
        self._hotplug.append(callback)

    def poll_once(self) -> list[tuple[str, Match]]:
        """Compare with the last scan; returns (and reports) what came and went."""
        now = {(m.usb.vendor_id, m.usb.product_id, m.usb.path): m for m in self.scan()}
        with self._lock:
            before = self._present
            self._present = now
        events = [("removed", m) for k, m in before.items() if k not in now]
        events += [("added", m) for k, m in now.items() if k not in before]
        for what, m in events:
            log.info("device %s: %s %04x:%04x", what, m.spec.kind, m.usb.vendor_id, m.usb.product_id)
            owner = self._owned.get(m.spec.kind)
            if what == "added" and owner is not None:
                owner.poke()
            for cb in list(self._hotplug):
                try:
                    cb(what, m)
                except Exception:  # noqa: BLE001 - a listener bug must not stop hot-plug polling
                    log.exception("hot-plug listener failed")
        return events

    def start(self) -> None:
        """Start the hot-plug polling thread (the first scan sets the baseline silently)."""
        if self._poller is not None:
            return
        now = {(m.usb.vendor_id, m.usb.product_id, m.usb.path): m for m in self.scan()}
        with self._lock:
            self._present = now
        self._stop.clear()
        self._poller = threading.Thread(target=self._poll_loop, name="usb-hotplug", daemon=True)
        self._poller.start()

    def _poll_loop(self) -> None:
        while not self._stop.wait(self.poll_s):
            self.poll_once()

    # ---- ownership
    def own(self, kind: str, device: Any, sink: Any = None, *, listener: Listener | None = None,
            **thread_kwargs: Any) -> DeviceThread[Any]:
        """Start `device` on its own thread (replacing a previous device of that kind)."""
        old = self._owned.pop(kind, None)
        if old is not None:
            old.stop()
        th: DeviceThread[Any] = DeviceThread(device, sink, listener=listener, **thread_kwargs)
        self._owned[kind] = th.start()
        return th

    def owned(self) -> dict[str, DeviceThread[Any]]:
        return dict(self._owned)

    def health(self) -> dict[str, Health]:
        return {k: t.health for k, t in self._owned.items()}

    def stop(self) -> None:
        """Stop hot-plug polling and every owned device thread."""
        self._stop.set()
        if self._poller is not None:
            self._poller.join(5.0)
            self._poller = None
        for th in self._owned.values():
            th.stop()
        self._owned.clear()


# ---------------------------------------------------------------- the app's entry point

def demo_card() -> IdCardData:
    """The made-up card of the demo and the headless session (valid check digit)."""
    from devices.idcard.basemsg import check_digit

    first17 = "41110219800101123"
    return IdCardData(name="张三", sex="男", nation="汉", birth="19800101",
                      address="河南省漯河市源汇区人民路1号", id_number=first17 + check_digit(first17),
                      issuer="漯河市公安局源汇分局", valid_from="20200101", valid_to="20400101")


@dataclass
class DeviceSet:
    """The four devices of a kiosk; None where a kind is unavailable (see `problems`)."""

    camera: Camera | None = None
    microphone: Microphone | None = None
    idcard: IdCardReader | None = None
    signpad: SignaturePad | None = None
    screen_pen: bool = False  # signatures come from the touch screen / OS-driven tablet (ui/)
    problems: dict[str, DeviceError] = field(default_factory=dict)

    def __getitem__(self, kind: str) -> Any:
        """`devices["camera"]`: the same as the attribute, for callers that index by kind."""
        if kind not in KINDS:
            raise KeyError(kind)
        return getattr(self, kind)

    def all_simulated(self) -> bool:
        return all(d is None or d.info.simulated for d in (self.camera, self.microphone, self.idcard, self.signpad))

    def close(self) -> None:
        """Close every device; only for devices no `DeviceThread` owns (threads close their own)."""
        for d in (self.camera, self.microphone, self.idcard, self.signpad):
            if d is not None:
                try:
                    d.close()
                except Exception:  # noqa: BLE001 - closing is best effort at shutdown
                    log.debug("close failed", exc_info=True)


def _sim(kind: str, sources: dict[str, Any]) -> Any:
    if kind == "camera":
        from devices.camera.sim import SimulatedCamera, pattern_source

        return SimulatedCamera(sources.get("camera") or pattern_source(), realtime=sources.get("realtime", True))
    if kind == "microphone":
        from devices.audio.sim import SimulatedMicrophone

        return SimulatedMicrophone(sources.get("microphone"), realtime=sources.get("realtime", True),
                                   noise_level=20.0)
    if kind == "idcard":
        from devices.idcard.sim import SimulatedIdCardReader

        return SimulatedIdCardReader(sources.get("idcard") or demo_card(), delay_s=0.5)
    from devices.signpad.sim import SimulatedSignaturePad

    return SimulatedSignaturePad(sources.get("signpad"), realtime=sources.get("realtime", True))


def _real(kind: str, choice: str, settings: dict[str, Any], registry: DeviceRegistry | None) -> Any:
    """Construct the real adapter for `choice`; raises DeviceError with the fix when it cannot."""
    if kind == "camera":
        from devices.camera.opencv import OpenCvCamera, enumerate_cameras

        target: int | str
        if choice == "auto":
            cams = enumerate_cameras()
            if not cams:
                raise DeviceUnavailable("未发现摄像头", fix="插好摄像头USB线")
            target = cams[0].path if sys.platform.startswith("linux") else cams[0].index
        else:
            target = int(choice) if choice.isdigit() else choice
        return OpenCvCamera(target, int(settings.get("camera_width", 640)), int(settings.get("camera_height", 480)),
                            float(settings.get("camera_fps", 25)))
    if kind == "microphone":
        from devices.audio.portaudio import SoundDeviceMicrophone, list_input_devices

        inputs = list_input_devices()
        if not inputs:
            raise DeviceUnavailable("未发现麦克风", fix="插好麦克风；在系统声音设置里确认有输入设备")
        dev: int | str | None = None if choice == "auto" else (int(choice) if choice.isdigit() else choice)
        return SoundDeviceMicrophone(dev)
    if kind == "idcard":
        if choice.startswith("serial:"):
            from devices.idcard.serialreader import SerialIdCardReader

            return SerialIdCardReader(choice.split(":", 1)[1])
        from devices.idcard import termb
        from devices.idcard.sdtapi import LIB_STEMS as SDT_STEMS
        from devices.idcard.sdtapi import SdtApiReader
        from devices.idcard.termb import TermbReader
        from devices.vendorlib import find_vendor_library

        if choice == "termb" or (choice == "auto" and find_vendor_library(termb.LIB_STEMS)):
            termb_reader = TermbReader()
            termb_reader.load_library()  # fail now, with the fix, when the library is missing
            return termb_reader
        if choice == "auto" and not find_vendor_library(SDT_STEMS):
            serial_ports = [m.usb for m in match_adapters(list_usb_serial()) if m.spec.adapter == "serial"]
            if serial_ports:
                from devices.idcard.serialreader import SerialIdCardReader

                return SerialIdCardReader(serial_ports[0].path)
        if choice in ("sdtapi", "auto"):
            reader = SdtApiReader()
            reader.load_library()
            return reader
        raise DeviceUnavailable("身份证读卡器配置无法识别", detail=choice,
                                fix="devices.idcard 可设为 auto、sim、sdtapi、termb 或 serial:端口名")
    # signpad
    from devices.signpad.hanvon import HanvonPad
    from devices.signpad.wacom_stu import WacomStuPad

    if choice in ("wacom", "hanvon", "auto"):
        reg = registry or DeviceRegistry()
        for m in reg.scan():
            if m.spec.kind == "signpad" and choice in ("auto", m.spec.adapter):
                return WacomStuPad(m.usb.product_id) if m.spec.adapter == "wacom" else HanvonPad(m.usb.product_id)
        if choice == "wacom":
            return WacomStuPad()  # not listed (e.g. no sysfs): opening says what is wrong
        if choice == "hanvon":
            return HanvonPad()
        raise DeviceUnavailable("未发现签字板", fix="插好签字板USB线，或设置 devices.signpad = screen 使用屏幕手写")
    raise DeviceUnavailable("签字板配置无法识别", detail=choice,
                            fix="devices.signpad 可设为 auto、sim、wacom、hanvon 或 screen")


def open_devices(kind_choices: dict[str, str], demo: bool, *, settings: dict[str, Any] | None = None,
                 sim_sources: dict[str, Any] | None = None,
                 registry: DeviceRegistry | None = None) -> DeviceSet:
    """Construct the kiosk's devices from the `[devices]` settings.

    `kind_choices` maps camera/microphone/idcard/signpad to "auto", "sim" or an adapter
    choice; `demo` makes every kind a simulator. `settings` may carry camera_width/height/fps;
    `sim_sources` may give simulator inputs (camera source, microphone WAV/array, idcard
    `IdCardData`, signpad strokes, "realtime": bool). Devices are not opened here: their
    owning `DeviceThread` opens them. A kind that cannot be constructed is None in the
    result, its `DeviceError` (message + fix) in `problems`.
    """
    out = DeviceSet()
    sources = sim_sources or {}
    for kind in KINDS:
        choice = (kind_choices.get(kind) or "auto").strip()
        if kind == "signpad" and choice == "screen" and not demo:
            out.screen_pen = True
            continue
        try:
            device = _sim(kind, sources) if demo or choice == "sim" else _real(kind, choice, settings or {}, registry)
        except DeviceError as exc:
            log.warning("%s unavailable: %s (%s)", kind, exc.message, exc.detail)
            out.problems[kind] = exc
            continue
        setattr(out, kind, device)
    return out


def start_streams(devices: DeviceSet, *, listener: Listener | None = None, capacity: int = 8,
                  registry: DeviceRegistry | None = None) -> tuple[FrameRing[Any] | None, FrameRing[Any] | None,
                                                                   DeviceRegistry]:
    """Own camera and microphone on their threads, streaming into two rings (video, audio)."""
    reg = registry or DeviceRegistry()
    video: FrameRing[Any] | None = None
    audio: FrameRing[Any] | None = None
    if devices.camera is not None:
        video = FrameRing(capacity)
        reg.own("camera", devices.camera, video, listener=listener)
    if devices.microphone is not None:
        audio = FrameRing(max(capacity, 64))  # audio chunks are small; let the recorder lag ~6 s
        reg.own("microphone", devices.microphone, audio, listener=listener)
    return video, audio, reg


__all__ = [
    "KINDS", "UDEV_RULES", "AdapterSpec", "DeviceRegistry", "DeviceSet", "Match", "Probe", "UsbDevice",
    "demo_card", "list_usb_devices", "list_usb_serial", "list_usb_sysfs", "match_adapters", "open_devices",
    "start_streams",
]
