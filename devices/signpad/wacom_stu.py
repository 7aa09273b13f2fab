"""Wacom STU-430/530/540 signature pads over USB HID (vendor id 0x056A).

Report ids and layouts follow Wacom's STU protocol (the SDK's report tables):
multi-byte fields are big-endian except the writing area (0x2A) and the image block length
(0x26), which are little-endian.

- 0x08 Information (feature): model name (7 ASCII), firmware major/minor, secure-IC bytes.
- 0x09 Capability (feature): tablet max x, max y, max pressure, screen width, height (u16 each),
  max report rate (u8), resolution (u16), encoding flags (u8).
- 0x03 Status (feature): status code, last result, status word.
- 0x20 ClearScreen, 0x21 InkingMode (0/1), 0x2A HandwritingDisplayArea (x1 y1 x2 y2),
  0x25/0x26/0x27 image start (encoding) / data blocks / end, 0x32 pen-data option mode
  (3 = time count + sequence, STU-540).
- Input 0x01 PenData: byte1 bit7 = proximity (rdy), bits 6-4 = switch (pen touching),
  bits 3-0 + byte2 = 12-bit pressure; x, y u16.
- Input 0x34 PenDataTimeCountSequence: PenData + time count (ms, u16) + sequence (u16).

Verified only against these specified bytes (no pad on the build machine).
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from devices.base import (
    DeviceError,
    DeviceInfo,
    DeviceState,
    Health,
    PadEvent,
    PenPoint,
    SignaturePad,
)
from devices.signpad.hidio import HidapiTransport, HidTransport

VENDOR_ID = 0x056A

RID_PEN = 0x01
RID_STATUS = 0x03
RID_INFORMATION = 0x08
RID_CAPABILITY = 0x09
RID_CLEAR_SCREEN = 0x20
RID_INKING_MODE = 0x21
RID_START_IMAGE = 0x25
RID_IMAGE_BLOCK = 0x26
RID_END_IMAGE = 0x27
RID_WRITING_AREA = 0x2A
RID_PEN_OPTION_MODE = 0x32
RID_PEN_TIMED = 0x34

ENCODING_1BIT = 0x00
ENCODING_24BIT_BGR = 0x04
IMAGE_BLOCK = 253  # payload bytes per 0x26 report (report id + u16 length + 253 = 256)

_MODELS_24BIT = {0x00A3, 0x00A5, 0x00A8, 0x00A9}  # colour screens: 520, 530, 540, 541
_MODELS_TIMED = {0x00A8, 0x00A9}

# Used only when a pad does not answer the capability report: data-sheet values
# (active area at 2540 lpi = 100 units per mm, 1024 pressure levels).
DEFAULT_CAPABILITY = {
    0x00A4: (9600, 6000, 1023, 320, 200, 200, 2540),  # STU-430
    0x00A5: (10800, 6480, 1023, 800, 480, 200, 2540),  # STU-530
    0x00A8: (10800, 6480, 1023, 800, 480, 200, 2540),  # STU-540
}


class ReportError(DeviceError):
    """A report too short or of the wrong id: the pad's data cannot be used."""


@dataclass(frozen=True)
class Information:
    model: str
    firmware: str


@dataclass(frozen=True)
class Capability:
    max_x: int
    max_y: int
    max_pressure: int
    screen_width: int
    screen_height: int
    max_report_rate: int
    resolution: int


@dataclass(frozen=True)
class PenReport:
    x: int
    y: int
    pressure: int
    proximity: bool
    touching: bool
    time_count: int | None = None  # ms, wraps at 65536
    sequence: int | None = None


def _u16be(b: bytes, i: int) -> int:
    return int.from_bytes(b[i:i + 2], "big")


def parse_information(data: bytes) -> Information:
    if len(data) < 10 or data[0] != RID_INFORMATION:
        raise ReportError("签字板信息无法识别", detail=f"information report {data[:12].hex()}")
    model = data[1:8].split(b"\0", 1)[0].decode("ascii", errors="replace").strip()
    return Information(model=model, firmware=f"{data[8]}.{data[9]}")


def parse_capability(data: bytes) -> Capability:
    if len(data) < 14 or data[0] != RID_CAPABILITY:
        raise ReportError("签字板能力信息无法识别", detail=f"capability report {data[:16].hex()}")
    cap = Capability(_u16be(data, 1), _u16be(data, 3), _u16be(data, 5), _u16be(data, 7), _u16be(data, 9),
                     data[11], _u16be(data, 12))
    if not (cap.max_x and cap.max_y and cap.max_pressure):
        raise ReportError("签字板能力信息无效", detail=f"zero range in {cap}")
    return cap


def parse_pen_report(data: bytes) -> PenReport | None:
    """A pen report, or None for any other report id; raises on a truncated pen report."""
    if not data:
        return None
    rid = data[0]
    if rid not in (RID_PEN, RID_PEN_TIMED):
        return None
    need = 7 if rid == RID_PEN else 11
    if len(data) < need:
        raise ReportError("签字板数据不完整", detail=f"pen report {rid:#04x} has {len(data)} < {need} bytes")
    b1 = data[1]
    pressure = ((b1 & 0x0F) << 8) | data[2]
    rep = PenReport(x=_u16be(data, 3), y=_u16be(data, 5), pressure=pressure,
                    proximity=bool(b1 & 0x80), touching=bool(b1 & 0x70))
    if rid == RID_PEN_TIMED:
        rep = PenReport(rep.x, rep.y, rep.pressure, rep.proximity, rep.touching,
                        time_count=_u16be(data, 7), sequence=_u16be(data, 9))
    return rep


def writing_area_report(x1: int, y1: int, x2: int, y2: int) -> bytes:
    return bytes([RID_WRITING_AREA]) + b"".join(v.to_bytes(2, "little") for v in (x1, y1, x2, y2))


def image_reports(rgb: np.ndarray, width: int, height: int, colour: bool) -> list[bytes]:
    """The feature reports that put `rgb` on the pad's screen (start, blocks, end)."""
    img = cv2.resize(np.asarray(rgb, np.uint8), (width, height), interpolation=cv2.INTER_AREA)
    if colour:
        payload = img[:, :, ::-1].tobytes()  # BGR, rows top-down
        encoding = ENCODING_24BIT_BGR
    else:
        grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
        payload = np.packbits(grey < 128, axis=1).tobytes()  # 1 bit/pixel, 1 = ink
        encoding = ENCODING_1BIT
    out = [bytes([RID_START_IMAGE, encoding])]
    for i in range(0, len(payload), IMAGE_BLOCK):
        block = payload[i:i + IMAGE_BLOCK]
        out.append(bytes([RID_IMAGE_BLOCK]) + len(block).to_bytes(2, "little") + block.ljust(IMAGE_BLOCK, b"\0"))
    out.append(bytes([RID_END_IMAGE, 0]))
    return out


class PenMapper:
    """Pad units → normalised points, pen-up detection, time from the pad's own clock."""

    def __init__(self, cap: Capability) -> None:
        self.cap = cap
        self._was_down = False
        self._t0: float | None = None
        self._last_count: int | None = None
        self._elapsed_ms = 0
        self.last_sequence: int | None = None
        self.sequence_gaps = 0

    def _time(self, rep: PenReport, now: float) -> float:
        if rep.time_count is None:
            return now
        if self._t0 is None:
            self._t0 = now
            self._last_count = rep.time_count
        else:
            assert self._last_count is not None
            self._elapsed_ms += (rep.time_count - self._last_count) & 0xFFFF  # 16-bit wrap
            self._last_count = rep.time_count
        return self._t0 + self._elapsed_ms / 1000.0

    def map(self, rep: PenReport, now: float) -> PenPoint | None:
        if rep.sequence is not None:
            if self.last_sequence is not None and (rep.sequence - self.last_sequence) & 0xFFFF != 1:
                self.sequence_gaps += 1
            self.last_sequence = rep.sequence
        t = self._time(rep, now)
        down = rep.touching and rep.pressure > 0
        if not down and not self._was_down:
            return None  # hovering: not part of the signature
        self._was_down = down
        x = min(1.0, max(0.0, rep.x / self.cap.max_x))
        y = min(1.0, max(0.0, rep.y / self.cap.max_y))
        return PenPoint(x=x, y=y, t=t, pressure=min(1.0, rep.pressure / self.cap.max_pressure) if down else 0.0,
                        down=down)


class WacomStuPad(SignaturePad):
    """A Wacom STU pad; `transport` is hidapi unless a test hands in report bytes."""

    def __init__(self, product_id: int | None = None, *, transport: HidTransport | None = None) -> None:
        self.product_id = product_id
        self._transport = transport
        self._given = transport is not None
        self.info = DeviceInfo(kind="signpad", name="Wacom STU 签字板", adapter="wacom",
                               vendor_id=VENDOR_ID, product_id=product_id)
        self.information: Information | None = None
        self.capability: Capability | None = None
        self.bad_reports = 0

    @property
    def colour(self) -> bool:
        return self.product_id in _MODELS_24BIT

    def open(self) -> None:
        if self._transport is None:
            self._transport = HidapiTransport(VENDOR_ID, self.product_id)
        tr = self._transport
        self.information = parse_information(tr.get_feature(RID_INFORMATION, 16))
        try:
            self.capability = parse_capability(tr.get_feature(RID_CAPABILITY, 17))
        except ReportError:
            if self.product_id not in DEFAULT_CAPABILITY:
                raise
            self.capability = Capability(*DEFAULT_CAPABILITY[self.product_id])
        cap = self.capability
        if cap.resolution:
            self.width_mm = cap.max_x * 25.4 / cap.resolution  # resolution in lines per inch
            self.height_mm = cap.max_y * 25.4 / cap.resolution
        self.info = DeviceInfo(kind="signpad", name=f"Wacom {self.information.model} 签字板", adapter="wacom",
                               vendor_id=VENDOR_ID, product_id=self.product_id)
        tr.send_feature(bytes([RID_CLEAR_SCREEN, 0]))
        tr.send_feature(writing_area_report(0, 0, cap.screen_width - 1, cap.screen_height - 1))
        if self.product_id in _MODELS_TIMED:
            tr.send_feature(bytes([RID_PEN_OPTION_MODE, 3]))
        tr.send_feature(bytes([RID_INKING_MODE, 1]))

    def show_image(self, rgb: np.ndarray) -> None:
        if self._transport is None or self.capability is None:
            raise DeviceError("签字板未打开", detail="show_image() before open()")
        tr = self._transport
        tr.send_feature(bytes([RID_INKING_MODE, 0]))
        for rep in image_reports(rgb, self.capability.screen_width, self.capability.screen_height, self.colour):
            tr.send_feature(rep)
        tr.send_feature(bytes([RID_INKING_MODE, 1]))

    def clear(self) -> None:
        if self._transport is not None:
            self._transport.send_feature(bytes([RID_CLEAR_SCREEN, 0]))

    def points(self, stop: threading.Event) -> Iterator[PenPoint | PadEvent]:
        """Pen points until `stop`; the STU has no hardware buttons (the UI draws them)."""
        if self._transport is None or self.capability is None:
            raise DeviceError("签字板未打开", detail="points() before open()")
        mapper = PenMapper(self.capability)
        while not stop.is_set():
            data = self._transport.read(64, 100)
            if not data:
                continue
            try:
                rep = parse_pen_report(data)
            except ReportError:
                self.bad_reports += 1
                continue
            if rep is None:
                continue
            p = mapper.map(rep, time.monotonic())
            if p is not None:
                yield p

    def close(self) -> None:
        tr, self._transport = self._transport, (self._transport if self._given else None)
        if tr is not None:
            try:
                tr.send_feature(bytes([RID_INKING_MODE, 0]))
            except DeviceError:
                pass
            if not self._given:
                tr.close()

    def health(self) -> Health:
        return Health(DeviceState.OPEN if self.capability is not None and self._transport is not None
                      else DeviceState.CLOSED, counters={"bad_reports": self.bad_reports})
