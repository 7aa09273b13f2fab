"""Hanvon ESP370U signature pads over USB HID (vendor id 0x0B57, product 0x8420).

Nothing here comes from a Hanvon specification: Hanvon publishes only a Windows SDK. The bytes
below are those of the single public implementation, sherluok/ESP370U (a WebHID library
reverse-engineered from the pad's traffic: `src/specifications.ts`, `src/ESP370U.ts`,
`src/emulate.ts`), and the physical sizes are from the product page it cites. They are
unconfirmed on our hardware; other ESP models (and Hanwang/Bosto drawing tablets, which share
the vendor id) are not matched.

- Commands are feature reports with id 5: init `88 70`, open `11 70`, close `22 70`,
  re-sign/reset `33 70`.
- Input reports have id 2 and 7 data bytes:
  `A0`/`A1` move, `B0` pen down, `E0` pen up, each followed by x, y, pressure as u16
  little-endian (x 0…0x1800, y 0…0x2000, pressure 0…0x400). The library draws ink for both A0
  and A1 whenever pressure > 0 and ends the stroke when pressure is 0 (`emulate.ts`); which of
  A0/A1 means what is not known, so the pressure decides here too.
- The writing band between the title and the button rows: y 0x0360…0x1BF0 in one version of the
  library (`ESP370U.MIN_VALID_Y/MAX_VALID_Y`), 1/8…7/8 of the height in another
  (`activeRatioY = 1/8`). The first is used; points are normalised to it, and the stored
  signature height is that band (39.58 mm × 0x1890/0x2000 ≈ 30.4 mm), not the whole 39.58 mm display.
- `55 .. .. .. .. 00 00` the re-sign button, `55 .. .. .. .. 00 FF` the confirm button;
  `55 05 11 70 FF FF FF` / `55 05 22 70 …` / `55 05 33 70 …` acknowledge open / close / reset;
  `88 00 74 00 14 65 00` the handshake answer to init.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from devices.base import DeviceError, DeviceInfo, DeviceState, Health, PadEvent, PenPoint, SignaturePad
from devices.signpad.hidio import HidapiTransport, HidTransport

VENDOR_ID = 0x0B57
ESP370U_PID = 0x8420
CMD_REPORT = 0x05
INPUT_REPORT = 0x02

CMD_INIT = bytes([CMD_REPORT, 0x88, 0x70])
CMD_OPEN = bytes([CMD_REPORT, 0x11, 0x70])
CMD_CLOSE = bytes([CMD_REPORT, 0x22, 0x70])
CMD_RESET = bytes([CMD_REPORT, 0x33, 0x70])

MAX_X = 0x1800
MAX_Y = 0x2000
MIN_VALID_Y, MAX_VALID_Y = 0x0360, 0x1BF0
MAX_Z = 0x0400
DISPLAY_MM = (76.78, 39.58)  # display active area, product page (specifications.ts)


@dataclass(frozen=True)
class HanvonReport:
    kind: str  # move | down | up | confirm | resign | opened | closed | reset | handshake | unknown
    x: int = 0
    y: int = 0
    pressure: int = 0


def parse_report(data: bytes) -> HanvonReport | None:
    """One input report (report id first); None for other ids or a truncated report."""
    if len(data) < 8 or data[0] != INPUT_REPORT:
        return None
    b = data[1:8]
    code = b[0]
    if code in (0xA0, 0xA1, 0xB0, 0xE0):
        x = int.from_bytes(b[1:3], "little")
        y = int.from_bytes(b[3:5], "little")
        z = int.from_bytes(b[5:7], "little")
        kind = {0xA0: "move", 0xA1: "move", 0xB0: "down", 0xE0: "up"}[code]
        return HanvonReport(kind, x, y, z)
    if code == 0x55:
        if b[1:4] == bytes([0x05, 0x11, 0x70]) and b[4:7] == b"\xff\xff\xff":
            return HanvonReport("opened")
        if b[1:4] == bytes([0x05, 0x22, 0x70]) and b[4:7] == b"\xff\xff\xff":
            return HanvonReport("closed")
        if b[1:4] == bytes([0x05, 0x33, 0x70]) and b[4:7] == b"\xff\xff\xff":
            return HanvonReport("reset")
        if b[5:7] == b"\x00\x00":
            return HanvonReport("resign")
        if b[5:7] == b"\x00\xff":
            return HanvonReport("confirm")
        return HanvonReport("unknown")
    if b == bytes([0x88, 0x00, 0x74, 0x00, 0x14, 0x65, 0x00]):
        return HanvonReport("handshake")
    return HanvonReport("unknown")


def inking(rep: HanvonReport) -> bool:
    """Ink on A0, A1 and B0 whenever the pen presses (emulate.ts draws `move` only while z > 0)."""
    return rep.kind in ("down", "move") and rep.pressure > 0


def to_point(rep: HanvonReport, t: float) -> PenPoint:
    x = min(1.0, max(0.0, rep.x / MAX_X))
    y = min(1.0, max(0.0, (rep.y - MIN_VALID_Y) / (MAX_VALID_Y - MIN_VALID_Y)))
    down = inking(rep)
    return PenPoint(x=x, y=y, t=t, pressure=min(1.0, rep.pressure / MAX_Z) if down else 0.0, down=down)


class HanvonPad(SignaturePad):
    width_mm = DISPLAY_MM[0]
    height_mm = DISPLAY_MM[1] * (MAX_VALID_Y - MIN_VALID_Y) / MAX_Y  # the writing band, ≈ 30.4 mm

    def __init__(self, product_id: int | None = ESP370U_PID, *, transport: HidTransport | None = None,
                 ack_timeout_s: float = 1.0) -> None:
        self.product_id = product_id
        self._transport = transport
        self._given = transport is not None
        self.ack_timeout_s = ack_timeout_s
        self.info = DeviceInfo(kind="signpad", name="汉王 ESP 签字板", adapter="hanvon",
                               vendor_id=VENDOR_ID, product_id=product_id)
        self.unknown_reports = 0
        self._opened = False

    def _await(self, kind: str) -> bool:
        assert self._transport is not None
        deadline = time.monotonic() + self.ack_timeout_s
        while time.monotonic() < deadline:
            rep = parse_report(self._transport.read(64, 50))
            if rep is not None and rep.kind == kind:
                return True
        return False

    def open(self) -> None:
        if self._transport is None:
            self._transport = HidapiTransport(VENDOR_ID, self.product_id)
        self._transport.send_feature(CMD_INIT)
        self._await("handshake")  # older firmware does not answer init; open still works
        self._transport.send_feature(CMD_OPEN)
        if not self._await("opened"):
            raise DeviceError("签字板没有响应，请重新插拔签字板", detail="no open acknowledgement",
                              fix="重新插好签字板USB线")
        self._opened = True

    def clear(self) -> None:
        if self._transport is not None:
            self._transport.send_feature(CMD_RESET)

    def points(self, stop: threading.Event) -> Iterator[PenPoint | PadEvent]:
        if self._transport is None or not self._opened:
            raise DeviceError("签字板未打开", detail="points() before open()")
        was_down = False
        while not stop.is_set():
            rep = parse_report(self._transport.read(64, 100))
            if rep is None:
                continue
            now = time.monotonic()
            if inking(rep):
                was_down = True
                yield to_point(rep, now)
            elif rep.kind in ("up", "down", "move") and was_down:  # lifted, or pressure back to 0
                was_down = False
                yield to_point(rep, now)
            elif rep.kind == "confirm":
                yield PadEvent.CONFIRM
                return
            elif rep.kind == "resign":
                self.clear()
                yield PadEvent.CLEAR
            elif rep.kind == "unknown":
                self.unknown_reports += 1

    def close(self) -> None:
        tr = self._transport
        if tr is not None and self._opened:
            try:
                tr.send_feature(CMD_CLOSE)
            except DeviceError:
                pass
        self._opened = False
        if tr is not None and not self._given:
            tr.close()
            self._transport = None

    def health(self) -> Health:
        return Health(DeviceState.OPEN if self._opened else DeviceState.CLOSED,
                      counters={"unknown_reports": self.unknown_reports})
