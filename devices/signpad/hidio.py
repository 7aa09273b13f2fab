"""The HID transport the pad drivers speak through: hidapi on a real pad, bytes in tests.

Keeping the transport this small lets the protocol code be exercised with the exact report
bytes the vendors specify, and lets a pulled cable show up in one place (an OSError from
hidapi becomes `DeviceDisconnected`).
"""
from __future__ import annotations

from typing import Any, Protocol

from devices.base import DeviceDisconnected, DeviceUnavailable

UDEV_HINT = ("Linux：安装本软件的 udev 规则（见 doctor 的提示）后重新插拔签字板；"
             "Windows：确认签字板在设备管理器中正常")


class HidTransport(Protocol):
    def read(self, size: int, timeout_ms: int) -> bytes:
        """One input report (report id first), b"" on timeout."""

    def send_feature(self, data: bytes) -> None:
        """A feature report, report id first."""

    def get_feature(self, report_id: int, size: int) -> bytes:
        """A feature report from the device, report id first."""

    def write(self, data: bytes) -> None:
        """An output report, report id first."""

    def close(self) -> None: ...


class HidapiTransport:
    """`hid.device` (cython-hidapi) behind `HidTransport`."""

    def __init__(self, vendor_id: int, product_id: int | None = None, path: bytes | None = None) -> None:
        try:
            import hid
        except ImportError as exc:
            raise DeviceUnavailable("缺少 hidapi 组件，签字板无法使用", detail=str(exc),
                                    fix="重新安装本软件（依赖 hidapi）") from None
        self._dev: Any = hid.device()
        if path is None and product_id is None:
            found = hid.enumerate(vendor_id, 0)
            path = found[0]["path"] if found else None
        try:
            if path is not None:
                self._dev.open_path(path)
            else:
                self._dev.open(vendor_id, product_id or 0)
        except OSError as exc:
            present = bool(hid.enumerate(vendor_id, product_id or 0))
            if present:
                raise DeviceUnavailable("发现签字板，但没有权限打开", detail=f"{vendor_id:04x}: {exc}",
                                        fix=UDEV_HINT) from None
            raise DeviceDisconnected("签字板未连接，请检查签字板连接线", detail=f"{vendor_id:04x}: {exc}",
                                     fix="插好签字板USB线") from None

    def _io(self, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except (OSError, ValueError) as exc:
            raise DeviceDisconnected("签字板已断开，请检查连接线", detail=str(exc), fix="重新插好签字板USB线") from None

    def read(self, size: int, timeout_ms: int) -> bytes:
        return bytes(self._io(self._dev.read, size, timeout_ms))

    def send_feature(self, data: bytes) -> None:
        n = self._io(self._dev.send_feature_report, list(data))
        if n is not None and n < 0:
            raise DeviceDisconnected("签字板已断开，请检查连接线", detail="send_feature_report failed")

    def get_feature(self, report_id: int, size: int) -> bytes:
        return bytes(self._io(self._dev.get_feature_report, report_id, size))

    def write(self, data: bytes) -> None:
        n = self._io(self._dev.write, list(data))
        if n is not None and n < 0:
            raise DeviceDisconnected("签字板已断开，请检查连接线", detail="write failed")

    def close(self) -> None:
        try:
            self._dev.close()
        except (OSError, ValueError):
            pass
