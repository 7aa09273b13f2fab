"""Wacom STU signature pads (300/500/520A/430/430V/530/540) over USB HID (vendor id 0x056A).

Sources, compared byte by byte (no pad on the build machine):
- Wacom's STU SDK for C++ (`WacomGSS::STU`): `Protocol.hpp`, `Protocol.cpp`, `ProtocolHelper.cpp`
  and `Win32/ProtocolHelper.cpp` — report layouts, status and error codes, the state table that
  says when a report may be sent, image flattening;
- Wacom's JavaScript SDK (Wacom-Developer/stu-sdk-sigcaptx-samples `samples/PortCheck/wgssStuSdk.js`)
  and samples: report ids with their model compatibility;
- community WebHID drivers tested on real pads (pabloko/Wacom-STU-WebHID, netas-ch/Wacom-STU-WebHID
  `WacomStu540.js`, eros23/Wacom-STU-430-WebHID `wacomstu430.js`): PenData bits, 253-byte image
  chunks, feature reports over WebHID. Where they differ from the SDK (the Information report), the
  SDK is followed.

Multi-byte fields are big-endian except the writing area (0x2A), the image block length (0x26)
and the status word, which are little-endian.

- 0x03 Status (feature, 5 bytes): statusCode (0 Ready, 1 Image, 2 Capture, 3 Calculation,
  4 Image_Boot, 5 RomBusy, FF SystemReset), lastResultCode (0 = none; 01 wrong report id,
  02 wrong state, 04 bad parameter, 10 wrong encoding, 11 image too long, 15 wrong area...).
  Every command waits until the status allows it (`SEND_STATES`, from the SDK's sendTable) and
  its result code is read back: a refusal is an error, not silence. ClearScreen is asynchronous
  (the pad stays in Image for up to ~600 ms).
- 0x08 Information (feature, 17 bytes): model name 9 ASCII (1–9), firmware major, minor (10, 11),
  secure IC (12), its version (13–16).
- 0x09 Capability (feature, 17 bytes): tablet max x, max y, max pressure, screen width, height
  (u16 each), max report rate (u8), resolution (u16), encoding flags (u8: 01 zlib, 02 1-bit,
  04 16-bit, 08 24-bit); older pads leave the flags 0 and the SDK supplies them per model.
- 0x20 ClearScreen, 0x21 InkingMode (0/1), 0x2A HandwritingDisplayArea (x1 y1 x2 y2),
  0x25/0x26/0x27 image start (encoding: 00 1-bit, 02 16-bit RGB565, 04 24-bit BGR) / data
  blocks (253 bytes in a 256-byte report; 2557 in a 2560-byte report on the STU-540) / end,
  0x32 pen-data option mode (3 = time count + sequence: 430/530/540).
- Input 0x01 PenData: byte1 bit7 = proximity (rdy), bits 6-4 = switch (pen touching),
  bits 3-0 + byte2 = 12-bit pressure; x, y u16.
- Input 0x34 PenDataTimeCountSequence: PenData + time count (ms, u16) + sequence (u16).

The STU-541 (0x00A9) speaks through an encrypted (TLS) interface the SDK wraps; that is not
implemented here and the pad is refused with a message at open().
"""
from __future__ import annotations

import logging
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
    DeviceUnavailable,
    Health,
    PadEvent,
    PenPoint,
    SignaturePad,
)
from devices.signpad.hidio import HidapiTransport, HidTransport

log = logging.getLogger(__name__)

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
ENCODING_16BIT_565 = 0x02
ENCODING_24BIT_BGR = 0x04
IMAGE_BLOCK = 253  # payload bytes per 0x26 report (report id + u16 length + 253 = 256)
IMAGE_BLOCK_540 = 2557  # Protocol::ImageDataBlock::maxLength540: a 2560-byte report

FLAG_ZLIB, FLAG_1BIT, FLAG_16BIT, FLAG_24BIT = 0x01, 0x02, 0x04, 0x08

PID_520A, PID_430, PID_530, PID_430V, PID_540, PID_541 = 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A8, 0x00A9
# ProtocolHelper::simulateEncodingFlag: what each model takes when its capability leaves the flags 0
_ENCODING_BY_MODEL = {
    PID_541: FLAG_24BIT | FLAG_16BIT | FLAG_1BIT | FLAG_ZLIB,
    PID_540: FLAG_24BIT | FLAG_16BIT | FLAG_1BIT | FLAG_ZLIB,
    PID_530: FLAG_24BIT | FLAG_16BIT | FLAG_1BIT | FLAG_ZLIB,
    PID_520A: FLAG_16BIT | FLAG_1BIT,
}
# PenDataOptionMode_TimeCountSequence: "430/530/540 only" (430V and 541 are of those families;
# a pad that refuses it keeps plain PenData)
_MODELS_TIMED = {PID_430, PID_430V, PID_530, PID_540, PID_541}
_MODELS_BIG_BLOCKS = {PID_540}

# status codes, and the states in which each report may be set (ProtocolHelper sendTable)
STATUS_READY, STATUS_IMAGE, STATUS_CAPTURE, STATUS_CALCULATION, STATUS_IMAGE_BOOT, STATUS_ROM_BUSY = range(6)
STATUS_SYSTEM_RESET = 0xFF
_ANY = frozenset({STATUS_READY, STATUS_IMAGE, STATUS_CAPTURE, STATUS_CALCULATION, STATUS_IMAGE_BOOT,
                  STATUS_ROM_BUSY})
SEND_STATES: dict[int, frozenset[int]] = {
    RID_CLEAR_SCREEN: frozenset({STATUS_READY}),
    RID_INKING_MODE: _ANY,
    RID_START_IMAGE: frozenset({STATUS_READY}),
    RID_IMAGE_BLOCK: frozenset({STATUS_IMAGE}),
    RID_END_IMAGE: frozenset({STATUS_IMAGE}),
    RID_WRITING_AREA: frozenset({STATUS_READY, STATUS_IMAGE, STATUS_CAPTURE, STATUS_CALCULATION,
                                 STATUS_IMAGE_BOOT}),
    RID_PEN_OPTION_MODE: _ANY,
}
ERROR_TEXT = {
    0x01: "wrong report id", 0x02: "wrong state", 0x03: "CRC error", 0x04: "bad parameter",
    0x10: "wrong encoding type", 0x11: "image too long", 0x12: "zlib error", 0x15: "wrong image or writing area",
}

# Used only when a pad does not answer the capability report: data-sheet values
# (active area at 2540 lpi = 100 units per mm, 1024 pressure levels).
DEFAULT_CAPABILITY = {
    0x00A4: (9600, 6000, 1023, 320, 200, 200, 2540),  # STU-430
    0x00A5: (10800, 6480, 1023, 800, 480, 200, 2540),  # STU-530
    0x00A8: (10800, 6480, 1023, 800, 480, 200, 2540),  # STU-540
}


class ReportError(DeviceError):
    """A report too short or of the wrong id: the pad's data cannot be used."""


class CommandRefused(DeviceError):
    """The pad answered a command with a non-zero result code (Status.lastResultCode)."""

    def __init__(self, message: str, *, report_id: int, code: int, detail: str = "") -> None:
        super().__init__(message, detail=detail, fix="重新插拔签字板；仍不行请联系技术人员")
        self.report_id = report_id
        self.code = code


@dataclass(frozen=True)
class Information:
    model: str
    firmware: str
    secure_ic: int = 0


@dataclass(frozen=True)
class Capability:
    max_x: int
    max_y: int
    max_pressure: int
    screen_width: int
    screen_height: int
    max_report_rate: int
    resolution: int
    encoding_flag: int = 0


@dataclass(frozen=True)
class Status:
    code: int
    last_result: int


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
    """The 17-byte Information report: model name in bytes 1–9, firmware major/minor in 10–11."""
    if len(data) < 12 or data[0] != RID_INFORMATION:
        raise ReportError("签字板信息无法识别", detail=f"information report {data[:17].hex()}")
    model = data[1:10].split(b"\0", 1)[0].decode("ascii", errors="replace").strip()
    return Information(model=model, firmware=f"{data[10]}.{data[11]}", secure_ic=data[12] if len(data) > 12 else 0)


def parse_status(data: bytes) -> Status:
    if len(data) < 3 or data[0] != RID_STATUS:
        raise ReportError("签字板状态无法识别", detail=f"status report {data[:5].hex()}")
    return Status(code=data[1], last_result=data[2])


def parse_capability(data: bytes) -> Capability:
    if len(data) < 14 or data[0] != RID_CAPABILITY:
        raise ReportError("签字板能力信息无法识别", detail=f"capability report {data[:16].hex()}")
    cap = Capability(_u16be(data, 1), _u16be(data, 3), _u16be(data, 5), _u16be(data, 7), _u16be(data, 9),
                     data[11], _u16be(data, 12), data[14] if len(data) > 14 else 0)
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


def encoding_for(product_id: int | None, encoding_flag: int) -> int:
    """The richest image encoding the pad takes: 24-bit BGR, else 16-bit RGB565, else 1-bit.

    The capability's flags decide; when a pad leaves them 0 the SDK's per-model table
    (ProtocolHelper::simulateEncodingFlag) does: the STU-520A takes 16-bit only, never 24-bit."""
    flags = encoding_flag & (FLAG_24BIT | FLAG_16BIT | FLAG_1BIT)
    if not flags:
        flags = _ENCODING_BY_MODEL.get(product_id or 0, FLAG_1BIT)
    if flags & FLAG_24BIT:
        return ENCODING_24BIT_BGR
    if flags & FLAG_16BIT:
        return ENCODING_16BIT_565
    return ENCODING_1BIT


def flatten(rgb: np.ndarray, width: int, height: int, encoding: int) -> bytes:
    """The image bytes as the SDK's flatten*() produce them for `encoding`."""
    img = cv2.resize(np.asarray(rgb, np.uint8), (width, height), interpolation=cv2.INTER_AREA)
    if encoding == ENCODING_24BIT_BGR:
        return img[:, :, ::-1].tobytes()  # BGR, rows top-down
    if encoding == ENCODING_16BIT_565:
        px = img.astype(np.uint16)
        rgb565 = np.bitwise_or(np.bitwise_or((px[:, :, 0] >> 3) << 11, (px[:, :, 1] >> 2) << 5), px[:, :, 2] >> 3)
        return rgb565.astype(">u2").tobytes()  # high byte first ("note change of byte order")
    # 1-bit: the buffer starts all 0xFF (white) and an ink pixel clears its bit; a pixel is ink
    # when (r | g | b) <= 0x80; rows padded to a multiple of 8 pixels (flattenMonochrome)
    ink = np.bitwise_or.reduce(img, axis=2) <= 0x80
    aligned = (width + 7) & ~7
    white = np.ones((height, aligned), bool)
    white[:, :width] = ~ink
    return np.packbits(white, axis=1).tobytes()


def image_reports(rgb: np.ndarray, width: int, height: int, encoding: int | bool,
                  block: int = IMAGE_BLOCK) -> list[bytes]:
    """The feature reports that put `rgb` on the pad's screen (start, blocks, end).

    `encoding` may be given as the old colour flag (True = 24-bit, False = 1-bit)."""
    if isinstance(encoding, bool):
        encoding = ENCODING_24BIT_BGR if encoding else ENCODING_1BIT
    payload = flatten(rgb, width, height, encoding)
    out = [bytes([RID_START_IMAGE, encoding])]
    for i in range(0, len(payload), block):
        chunk = payload[i:i + block]
        out.append(bytes([RID_IMAGE_BLOCK]) + len(chunk).to_bytes(2, "little") + chunk.ljust(block, b"\0"))
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

    def __init__(self, product_id: int | None = None, *, transport: HidTransport | None = None,
                 status_timeout_s: float = 3.0, status_poll_s: float = 0.02) -> None:
        self.product_id = product_id
        self._transport = transport
        self._given = transport is not None
        self.status_timeout_s = status_timeout_s
        self.status_poll_s = status_poll_s
        self.info = DeviceInfo(kind="signpad", name="Wacom STU 签字板", adapter="wacom",
                               vendor_id=VENDOR_ID, product_id=product_id)
        self.information: Information | None = None
        self.capability: Capability | None = None
        self.encoding = encoding_for(product_id, 0)  # the capability report refines it at open()
        self.timed = False
        self.bad_reports = 0

    @property
    def colour(self) -> bool:
        return self.encoding != ENCODING_1BIT

    # ---------------------------------------------------------------- status-checked commands
    def status(self) -> Status:
        assert self._transport is not None
        return parse_status(self._transport.get_feature(RID_STATUS, 5))

    def _wait_for(self, allowed: frozenset[int], what: str) -> Status:
        """Poll the Status report until its code is in `allowed` (SDK waitForStatusToSend)."""
        deadline = time.monotonic() + self.status_timeout_s
        while True:
            st = self.status()
            if st.code in allowed:
                return st
            if time.monotonic() >= deadline:
                raise DeviceError("签字板忙，没有响应，请重新插拔签字板",
                                  detail=f"status {st.code:#04x} did not allow {what} within {self.status_timeout_s}s",
                                  fix="重新插好签字板USB线")
            time.sleep(self.status_poll_s)

    def _check_result(self, report_id: int) -> None:
        st = self.status()
        if st.last_result:
            raise CommandRefused("签字板拒绝了命令，请重新插拔签字板", report_id=report_id, code=st.last_result,
                                 detail=f"report {report_id:#04x}: {ERROR_TEXT.get(st.last_result, 'error')} "
                                        f"({st.last_result:#04x})")

    def command(self, report: bytes, *, check: bool = True) -> None:
        """Send a feature report when the pad's state allows it; a refusal raises CommandRefused."""
        assert self._transport is not None
        rid = report[0]
        self._wait_for(SEND_STATES.get(rid, _ANY), f"report {rid:#04x}")
        self._transport.send_feature(report)
        if check:
            self._check_result(rid)

    def _wait_ready(self) -> None:
        self._wait_for(frozenset({STATUS_READY}), "ready")

    # ---------------------------------------------------------------- lifecycle
    def open(self) -> None:
        if self.product_id == PID_541:
            raise DeviceUnavailable("Wacom STU-541 签字板使用加密（TLS）接口，本软件暂不支持",
                                    detail="STU-541 (0x00A9) needs the SDK's TLS interface; not implemented",
                                    fix="请改用 Wacom STU-540 / STU-430，或汉王 ESP370U 签字板")
        if self._transport is None:
            self._transport = HidapiTransport(VENDOR_ID, self.product_id)
        tr = self._transport
        self.information = parse_information(tr.get_feature(RID_INFORMATION, 17))
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
        self.encoding = encoding_for(self.product_id, cap.encoding_flag)
        self.info = DeviceInfo(kind="signpad", name=f"Wacom {self.information.model} 签字板", adapter="wacom",
                               vendor_id=VENDOR_ID, product_id=self.product_id)
        self.command(bytes([RID_CLEAR_SCREEN, 0]))
        self._wait_ready()  # ClearScreen is asynchronous: the pad shows Image until it is done
        self.command(writing_area_report(0, 0, cap.screen_width - 1, cap.screen_height - 1))
        self.timed = False
        if self.product_id in _MODELS_TIMED:
            try:
                self.command(bytes([RID_PEN_OPTION_MODE, 3]))
                self.timed = True
            except CommandRefused as exc:
                log.info("pad refused timed pen reports, using plain PenData: %s", exc.detail)
        self.command(bytes([RID_INKING_MODE, 1]))

    def show_image(self, rgb: np.ndarray) -> None:
        if self._transport is None or self.capability is None:
            raise DeviceError("签字板未打开", detail="show_image() before open()")
        tr = self._transport
        cap = self.capability
        block = IMAGE_BLOCK_540 if self.product_id in _MODELS_BIG_BLOCKS else IMAGE_BLOCK
        reports = image_reports(rgb, cap.screen_width, cap.screen_height, self.encoding, block)
        self.command(bytes([RID_INKING_MODE, 0]))
        self.command(reports[0])  # start: needs Ready, puts the pad in Image
        self._wait_for(frozenset({STATUS_IMAGE}), "image data")
        for rep in reports[1:-1]:
            tr.send_feature(rep)  # the SDK checks the state once before the blocks, not per block
        tr.send_feature(reports[-1])
        self._wait_ready()  # the pad commits the image, then returns to Ready
        self._check_result(RID_END_IMAGE)
        self.command(bytes([RID_INKING_MODE, 1]))

    def clear(self) -> None:
        if self._transport is not None:
            self.command(bytes([RID_CLEAR_SCREEN, 0]))
            self._wait_ready()

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
        """Ink off and the screen cleared: the document and the signature do not stay on show."""
        tr = self._transport
        if tr is None:
            return
        try:
            self.command(bytes([RID_INKING_MODE, 0]), check=False)
            self.command(bytes([RID_CLEAR_SCREEN, 0]), check=False)
        except DeviceError as exc:  # unplugged: nothing is on show any more
            log.info("could not clear the pad's screen on close: %s", exc.detail or exc.message)
        if not self._given:
            self._transport = None
            tr.close()

    def health(self) -> Health:
        return Health(DeviceState.OPEN if self.capability is not None and self._transport is not None
                      else DeviceState.CLOSED, counters={"bad_reports": self.bad_reports})
