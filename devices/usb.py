"""Which USB devices are plugged in: sysfs on Linux, hidapi and pyserial elsewhere.

Only enumeration lives here; which adapter drives a device is `devices.factory`, whether it
works is `devices.probe`, noticing it come and go is `devices.owner.HotplugMonitor`.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

SYSFS_USB = Path("/sys/bus/usb/devices")

USB_CLASS_AUDIO = 0x01
USB_CLASS_HID = 0x03
USB_CLASS_VIDEO = 0x0E


@dataclass(frozen=True)
class UsbDevice:
    vendor_id: int
    product_id: int
    path: str  # sysfs node (1-1.2) or hidapi path
    manufacturer: str = ""
    product: str = ""
    interface_classes: tuple[int, ...] = ()

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


__all__ = ["SYSFS_USB", "USB_CLASS_AUDIO", "USB_CLASS_HID", "USB_CLASS_VIDEO", "UsbDevice", "list_usb_devices",
           "list_usb_hid", "list_usb_serial", "list_usb_sysfs"]
