"""Wacom STU and Hanvon ESP pads: specified report bytes in, pen points and commands out."""
from __future__ import annotations

import threading
from collections import deque

import numpy as np
import pytest

from devices.base import DeviceError, PadEvent, PenPoint
from devices.signpad import hanvon, wacom_stu
from devices.signpad.hanvon import HanvonPad, parse_report
from devices.signpad.wacom_stu import (
    Capability,
    PenMapper,
    ReportError,
    WacomStuPad,
    image_reports,
    parse_capability,
    parse_information,
    parse_pen_report,
    writing_area_report,
)


class ReplayHid:
    """Hands out given input/feature report bytes and records what the driver sent."""

    def __init__(self, inputs: list[bytes], features: dict[int, bytes] | None = None,
                 stop: threading.Event | None = None) -> None:
        self.inputs = deque(inputs)
        self.features = features or {}
        self.sent: list[bytes] = []
        self.stop = stop  # set once the inputs are used up (the test's end of signing)

    def read(self, size: int, timeout_ms: int) -> bytes:
        if self.inputs:
            return self.inputs.popleft()[:size]
        if self.stop is not None:
            self.stop.set()
        return b""

    def send_feature(self, data: bytes) -> None:
        self.sent.append(bytes(data))

    def get_feature(self, report_id: int, size: int) -> bytes:
        return self.features[report_id][:size]

    def write(self, data: bytes) -> None:
        self.sent.append(bytes(data))

    def close(self) -> None:
        pass


# STU-540 as specified: model "STU-540", firmware 1.2; 10800 x 6480 units, 1023 pressure levels,
# 800 x 480 screen, 200 Hz, 2540 lpi
INFO_540 = bytes([0x08]) + b"STU-540" + bytes([1, 2, 0, 0, 0, 0, 0])
CAP_540 = bytes.fromhex("09 2A30 1950 03FF 0320 01E0 C8 09EC 04 00 00 00".replace(" ", ""))


def _pen(rdy: bool, sw: int, pressure: int, x: int, y: int) -> bytes:
    b1 = (0x80 if rdy else 0) | (sw << 4) | (pressure >> 8)
    return bytes([0x01, b1, pressure & 0xFF]) + x.to_bytes(2, "big") + y.to_bytes(2, "big")


def _timed(rdy: bool, sw: int, pressure: int, x: int, y: int, count: int, seq: int) -> bytes:
    return bytes([0x34]) + _pen(rdy, sw, pressure, x, y)[1:] + count.to_bytes(2, "big") + seq.to_bytes(2, "big")


def test_wacom_information_and_capability() -> None:
    info = parse_information(INFO_540)
    assert (info.model, info.firmware) == ("STU-540", "1.2")
    cap = parse_capability(CAP_540)
    assert cap == Capability(10800, 6480, 1023, 800, 480, 200, 2540)
    for bad in (b"", CAP_540[:10], bytes([0x08]) + CAP_540[1:], bytes([0x09]) + bytes(16)):
        with pytest.raises(ReportError):
            parse_capability(bad)
    with pytest.raises(ReportError):
        parse_information(INFO_540[:5])


def test_wacom_pen_report_bits() -> None:
    rep = parse_pen_report(bytes.fromhex("01 93 FF 15 18 0C A8".replace(" ", "")))
    assert rep is not None
    assert (rep.proximity, rep.touching, rep.pressure, rep.x, rep.y) == (True, True, 0x3FF, 5400, 3240)
    hover = parse_pen_report(bytes.fromhex("01 80 00 00 10 00 20".replace(" ", "")))
    assert hover is not None and hover.proximity and not hover.touching and hover.pressure == 0
    timed = parse_pen_report(_timed(True, 1, 512, 100, 200, 0xFFF0, 7))
    assert timed is not None and (timed.time_count, timed.sequence, timed.pressure) == (0xFFF0, 7, 512)
    assert parse_pen_report(bytes([0x02, 0, 0])) is None  # other report ids are not pen data
    assert parse_pen_report(b"") is None
    for truncated in (bytes.fromhex("01 93 FF 2E"), _timed(True, 1, 1, 1, 1, 1, 1)[:9]):
        with pytest.raises(ReportError):
            parse_pen_report(truncated)


def test_wacom_mapper_time_wrap_sequence_gap_and_pen_up() -> None:
    cap = parse_capability(CAP_540)
    m = PenMapper(cap)
    assert m.map(parse_pen_report(_timed(True, 0, 0, 0, 0, 100, 1)), 50.0) is None  # type: ignore[arg-type]
    p1 = m.map(parse_pen_report(_timed(True, 1, 1023, 10800, 0, 0xFFFE, 2)), 50.0)  # type: ignore[arg-type]
    p2 = m.map(parse_pen_report(_timed(True, 1, 511, 5400, 3240, 0x0003, 4)), 99.0)  # type: ignore[arg-type]
    up = m.map(parse_pen_report(_timed(True, 0, 0, 5400, 3240, 0x0008, 5)), 99.0)  # type: ignore[arg-type]
    assert p1 is not None and p2 is not None and up is not None
    assert (p1.x, p1.y, p1.pressure, p1.down) == (1.0, 0.0, 1.0, True)
    assert p2.x == pytest.approx(0.5) and p2.y == pytest.approx(0.5) and p2.pressure == pytest.approx(511 / 1023)
    # the pad's 16-bit millisecond counter wrapped: 0xFFFE → 0x0003 is 5 ms, wall clock ignored
    assert p2.t - p1.t == pytest.approx(0.005) and up.t - p2.t == pytest.approx(0.005)
    assert not up.down and up.pressure == 0
    assert m.sequence_gaps == 1  # 2 → 4 skipped one report


def test_wacom_open_points_image_and_garbage() -> None:
    stop = threading.Event()
    inputs = [
        _pen(True, 0, 0, 1000, 1000),  # hover: not ink
        _pen(True, 1, 300, 1080, 648),
        b"\x01\x93",  # truncated pen report: counted, skipped
        bytes([0x05, 1, 2, 3]),  # some other report
        _pen(True, 1, 600, 2160, 1296),
        _pen(True, 0, 0, 2160, 1296),  # lift
    ]
    hid = ReplayHid(inputs, {0x08: INFO_540, 0x09: CAP_540}, stop)
    pad = WacomStuPad(0x00A8, transport=hid)
    pad.open()
    assert pad.info.name == "Wacom STU-540 签字板"
    assert (pad.width_mm, pad.height_mm) == pytest.approx((108.0, 64.8))
    assert hid.sent == [bytes([0x20, 0]), writing_area_report(0, 0, 799, 479), bytes([0x32, 3]), bytes([0x21, 1])]
    assert writing_area_report(0, 0, 799, 479) == bytes.fromhex("2A 0000 0000 1F03 DF01".replace(" ", ""))
    pts = list(pad.points(stop))
    assert all(isinstance(p, PenPoint) for p in pts)
    assert [(round(p.x, 3), round(p.y, 3), p.down) for p in pts if isinstance(p, PenPoint)] == [
        (0.1, 0.1, True), (0.2, 0.2, True), (0.2, 0.2, False)]
    assert pad.bad_reports == 1
    hid.sent.clear()
    pad.show_image(np.full((100, 160, 3), 255, np.uint8))
    assert hid.sent[0] == bytes([0x21, 0]) and hid.sent[1] == bytes([0x25, 0x04])
    blocks = hid.sent[2:-2]
    assert sum(int.from_bytes(b[1:3], "little") for b in blocks) == 800 * 480 * 3
    assert all(b[0] == 0x26 and len(b) == 256 for b in blocks)
    assert hid.sent[-2:] == [bytes([0x27, 0]), bytes([0x21, 1])]


def test_wacom_monochrome_image_is_one_bit() -> None:
    img = np.full((200, 320, 3), 255, np.uint8)
    img[:, :8] = 0  # a black band 8 pixels wide: the first byte of every row is all ink
    reps = image_reports(img, 320, 200, colour=False)
    assert reps[0] == bytes([0x25, 0x00])
    payload = b"".join(r[3:3 + int.from_bytes(r[1:3], "little")] for r in reps[1:-1])
    assert len(payload) == 320 * 200 // 8
    rows = np.frombuffer(payload, np.uint8).reshape(200, 40)
    assert (rows[:, 0] == 0xFF).all() and (rows[:, 1:] == 0).all()


def test_wacom_430_without_capability_report_uses_data_sheet_values() -> None:
    info = bytes([0x08]) + b"STU-430" + bytes([1, 0, 0, 0, 0, 0, 0])
    hid = ReplayHid([], {0x08: info, 0x09: bytes([0x09])})  # the pad answers with an empty report
    pad = WacomStuPad(0x00A4, transport=hid)
    pad.open()
    assert pad.capability == Capability(9600, 6000, 1023, 320, 200, 200, 2540)
    assert bytes([0x32, 3]) not in hid.sent  # no timed reports on the 430
    with pytest.raises(ReportError):
        WacomStuPad(0x00A9, transport=ReplayHid([], {0x08: info, 0x09: b""})).open()


def test_wacom_points_before_open_is_an_error() -> None:
    with pytest.raises(DeviceError):
        next(iter(WacomStuPad(0x00A4, transport=ReplayHid([])).points(threading.Event())))


# ---------------------------------------------------------------- Hanvon

def _hv(code: int, x: int, y: int, z: int) -> bytes:
    return bytes([0x02, code]) + x.to_bytes(2, "little") + y.to_bytes(2, "little") + z.to_bytes(2, "little")


HANDSHAKE = bytes.fromhex("02 88 00 74 00 14 65 00".replace(" ", ""))
OPENED = bytes.fromhex("02 55 05 11 70 FF FF FF".replace(" ", ""))
CONFIRM = bytes.fromhex("02 55 00 00 00 00 00 FF".replace(" ", ""))
RESIGN = bytes.fromhex("02 55 00 00 00 00 00 00".replace(" ", ""))


def test_hanvon_report_parsing() -> None:
    r = parse_report(_hv(0xB0, 0x0C00, 0x1000, 0x0200))
    assert r == hanvon.HanvonReport("down", 0x0C00, 0x1000, 0x0200)
    assert parse_report(_hv(0xA0, 1, 2, 0)).kind == "hover"  # type: ignore[union-attr]
    assert parse_report(OPENED).kind == "opened"  # type: ignore[union-attr]
    assert parse_report(bytes.fromhex("02 55 05 22 70 FF FF FF".replace(" ", ""))).kind == "closed"  # type: ignore[union-attr]
    assert parse_report(CONFIRM).kind == "confirm"  # type: ignore[union-attr]
    assert parse_report(RESIGN).kind == "resign"  # type: ignore[union-attr]
    assert parse_report(HANDSHAKE).kind == "handshake"  # type: ignore[union-attr]
    assert parse_report(bytes([0x02, 0x42, 1, 2, 3, 4, 5, 6])).kind == "unknown"  # type: ignore[union-attr]
    assert parse_report(_hv(0xA1, 1, 2, 3)[:6]) is None  # partial report
    assert parse_report(bytes([0x03]) + _hv(0xA1, 1, 2, 3)[1:]) is None  # other report id
    assert parse_report(b"") is None
    p = hanvon.to_point(parse_report(_hv(0xA1, 0x1800, 0x0360, 0x0400)), 1.0)  # type: ignore[arg-type]
    assert (p.x, p.y, p.pressure, p.down) == (1.0, 0.0, 1.0, True)


def test_hanvon_session_commands_strokes_buttons() -> None:
    stop = threading.Event()
    inputs = [HANDSHAKE, OPENED,
              _hv(0xA0, 100, 0x0400, 0),  # hover
              _hv(0xB0, 0x0C00, 0x0FA8, 0x0200), _hv(0xA1, 0x0D00, 0x0FA8, 0x0300),
              bytes([0x02, 0xA1, 0x00]),  # partial report: ignored
              bytes([0x02, 0x99, 0, 0, 0, 0, 0, 0]),  # unknown: counted
              _hv(0xE0, 0x0D00, 0x0FA8, 0),
              RESIGN,
              _hv(0xB0, 0x0100, 0x0400, 0x0100), _hv(0xE0, 0x0100, 0x0400, 0),
              CONFIRM,
              _hv(0xB0, 1, 1, 1)]  # after confirm: not read
    hid = ReplayHid(inputs, stop=stop)
    pad = HanvonPad(transport=hid, ack_timeout_s=0.5)
    pad.open()
    assert hid.sent == [hanvon.CMD_INIT, hanvon.CMD_OPEN]
    assert bytes([0x05, 0x11, 0x70]) == hanvon.CMD_OPEN
    out = list(pad.points(stop))
    kinds = [o if isinstance(o, PadEvent) else ("down" if o.down else "up") for o in out]
    assert kinds == ["down", "down", "up", PadEvent.CLEAR, "down", "up", PadEvent.CONFIRM]
    first = out[0]
    assert isinstance(first, PenPoint) and first.x == pytest.approx(0.5) and first.y == pytest.approx(0.5)
    assert first.pressure == pytest.approx(0.5)
    assert pad.unknown_reports == 1
    assert hid.sent[-1] == hanvon.CMD_RESET  # re-sign clears the pad
    pad.close()
    assert hid.sent[-1] == hanvon.CMD_CLOSE


def test_hanvon_open_without_ack_fails_with_message() -> None:
    pad = HanvonPad(transport=ReplayHid([b"\x02\x00"]), ack_timeout_s=0.05)
    with pytest.raises(DeviceError) as ei:
        pad.open()
    assert "签字板" in ei.value.message


def test_wacom_vendor_ids() -> None:
    assert wacom_stu.VENDOR_ID == 0x056A and hanvon.VENDOR_ID == 0x0B57
