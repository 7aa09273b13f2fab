"""Which adapter drives a device, and building the kiosk's four devices from the settings.

`KNOWN_ADAPTERS` matches USB devices to adapters by vendor/product id (pads, ID readers) or by
interface class (cameras, microphones). `open_devices` is the one call the app makes:
settings (`auto`, `sim`, adapter names) in, constructed devices out, simulators for `sim` and
for the demo. Devices are not opened here: their owner (`devices.owner`) opens them.
"""
from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from devices.base import (
    KINDS,
    Camera,
    DeviceError,
    DeviceInfo,
    DeviceUnavailable,
    IdCardReader,
    Microphone,
    SignaturePad,
)
from devices.usb import USB_CLASS_AUDIO, USB_CLASS_VIDEO, UsbDevice, list_usb_devices, list_usb_serial

log = logging.getLogger(__name__)


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
        """Close every device; only for devices no `DeviceOwner` owns (owners close their own)."""
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
        from devices.idcard.sim import SimulatedIdCardReader, demo_card

        return SimulatedIdCardReader(sources.get("idcard") or demo_card(), delay_s=0.5)
    from devices.signpad.sim import SimulatedSignaturePad

    return SimulatedSignaturePad(sources.get("signpad"), realtime=sources.get("realtime", True))


def _real(kind: str, choice: str, settings: dict[str, Any], usb_lister: Callable[[], list[UsbDevice]]) -> Any:
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

        if choice.startswith("termb") or (choice == "auto" and find_vendor_library(termb.LIB_STEMS)):
            # "termb:/dev/ttyS0" names the serial device of the THID Linux library
            device = choice.split(":", 1)[1] if choice.startswith("termb:") else None
            termb_reader = TermbReader(device=device)
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
                                fix="devices.idcard 可设为 auto、sim、sdtapi、termb、termb:串口名 或 serial:端口名")
    # signpad
    from devices.signpad.hanvon import HanvonPad
    from devices.signpad.wacom_stu import WacomStuPad

    if choice in ("wacom", "hanvon", "auto"):
        for m in match_adapters(usb_lister()):
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
                 usb_lister: Callable[[], list[UsbDevice]] = list_usb_devices) -> DeviceSet:
    """Construct the kiosk's devices from the `[devices]` settings.

    `kind_choices` maps camera/microphone/idcard/signpad to "auto", "sim" or an adapter
    choice; `demo` makes every kind a simulator. `settings` may carry camera_width/height/fps;
    `sim_sources` may give simulator inputs (camera source, microphone WAV/array, idcard
    `IdCardData`, signpad strokes, "realtime": bool). Devices are not opened here: their
    owner (`devices.owner`) opens them. A kind that cannot be constructed is None in the
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
            device = _sim(kind, sources) if demo or choice == "sim" else _real(kind, choice, settings or {}, usb_lister)
        except DeviceError as exc:
            log.warning("%s unavailable: %s (%s)", kind, exc.message, exc.detail)
            out.problems[kind] = exc
            continue
        setattr(out, kind, device)
    return out


__all__ = ["KNOWN_ADAPTERS", "WACOM_STU_PIDS", "AdapterSpec", "DeviceSet", "Match", "match_adapters", "open_devices"]
