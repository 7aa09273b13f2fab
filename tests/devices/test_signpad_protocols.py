"""Wacom STU and Hanvon ESP pads: specified report bytes in, pen points and commands out."""
from __future__ import annotations

import threading
from collections import deque

import numpy as np
import pytest

from devices.base import DeviceError, DeviceUnavailable, PadEvent, PenPoint
from devices.signpad import hanvon, wacom_stu
from devices.signpad.hanvon import HanvonPad, parse_report
from devices.signpad.wacom_stu import (
    Capability,
    CommandRefused,
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


# STU-540 as Wacom's SDK lays the reports out (Protocol.cpp getInformation / getCapability): model
# name in 9 bytes, firmware 1.2 at bytes 10-11, secure IC, 4 version bytes = 17 bytes; 10800 x 6480
# units, 1023 pressure levels, 800 x 480 screen, 200 Hz, 2540 lpi, encoding flags 24|16|1-bit.
INFO_540 = bytes([0x08]) + b"STU-540\0\0" + bytes([1, 2, 0, 0, 0, 0, 0])
CAP_540 = bytes.fromhex("09 2A30 1950 03FF 0320 01E0 C8 09EC 0E 00 00".replace(" ", ""))


def _pen(rdy: bool, sw: int, pressure: int, x: int, y: int) -> bytes:
    b1 = (0x80 if rdy else 0) | (sw << 4) | (pressure >> 8)
    return bytes([0x01, b1, pressure & 0xFF]) + x.to_bytes(2, "big") + y.to_bytes(2, "big")


def _timed(rdy: bool, sw: int, pressure: int, x: int, y: int, count: int, seq: int) -> bytes:
    return bytes([0x34]) + _pen(rdy, sw, pressure, x, y)[1:] + count.to_bytes(2, "big") + seq.to_bytes(2, "big")


# Status codes and the states each report may be set in, written out from the STU SDK
# (Protocol.hpp StatusCode / ErrorCode; ProtocolHelper.cpp sendTable), independently of the driver.
READY, IMAGE = 0x00, 0x01
_ALL = {0, 1, 2, 3, 4, 5}
SDK_SEND_TABLE = {0x20: {READY}, 0x21: _ALL, 0x25: {READY}, 0x26: {IMAGE}, 0x27: {IMAGE}, 0x2A: {0, 1, 2, 3, 4},
                  0x32: _ALL}
WRONG_STATE, BAD_PARAMETER = 0x02, 0x04


class StuHid(ReplayHid):
    """An STU pad's feature reports as the SDK describes them: Status (0x03) answers
    statusCode / lastResultCode; ClearScreen is asynchronous (Image for a few polls, "the tablet can
    take 600ms"); image start → Image until end, then back to Ready; a report sent in a state the
    send table does not allow is answered with WrongState; `refuse` answers BadParameter."""

    def __init__(self, inputs: list[bytes], info: bytes, cap: bytes, stop: threading.Event | None = None, *,
                 refuse: frozenset[int] = frozenset(), clear_polls: int = 3) -> None:
        super().__init__(inputs, {0x08: info, 0x09: cap}, stop)
        self.code, self.last, self._busy = READY, 0, 0
        self.refuse = refuse
        self.clear_polls = clear_polls
        self.images: list[bytes] = []  # image payloads the pad committed to its screen
        self.cleared = 0
        self._image: bytearray | None = None
        self.status_polls = 0

    def send_feature(self, data: bytes) -> None:
        self.sent.append(bytes(data))
        rid = data[0]
        if self.code not in SDK_SEND_TABLE.get(rid, _ALL):
            self.last = WRONG_STATE
            return
        if rid in self.refuse:
            self.last = BAD_PARAMETER
            return
        self.last = 0
        if rid == 0x20:
            self.code, self._busy, self._image = IMAGE, self.clear_polls, None
            self.cleared += 1
        elif rid == 0x25:
            self.code, self._image = IMAGE, bytearray()
        elif rid == 0x26 and self._image is not None:
            self._image += data[3:3 + int.from_bytes(data[1:3], "little")]
        elif rid == 0x27 and self._image is not None:
            self.images.append(bytes(self._image))
            self._image, self._busy = None, 1

    def get_feature(self, report_id: int, size: int) -> bytes:
        if report_id != 0x03:
            return super().get_feature(report_id, size)
        self.status_polls += 1
        if self._busy:
            self._busy -= 1
            if not self._busy:
                self.code = READY
        return bytes([0x03, self.code, self.last, 0, 0])[:size]


def test_wacom_information_and_capability() -> None:
    """Information is 17 bytes with a 9-byte model and firmware at bytes 10-11 (STU SDK Protocol.cpp
    getInformation). The WebHID drivers read 7 bytes and firmware at 8-9 (netas-ch/Wacom-STU-WebHID
    WacomStu540.js): on the SDK's layout that gives firmware 0.0 and "STU-430" for an STU-430V."""
    info = parse_information(INFO_540)
    assert (info.model, info.firmware) == ("STU-540", "1.2")
    v = parse_information(bytes([0x08]) + b"STU-430V\0" + bytes([2, 7, 0, 0, 0, 0, 0]))
    assert (v.model, v.firmware) == ("STU-430V", "2.7")
    cap = parse_capability(CAP_540)
    assert cap == Capability(10800, 6480, 1023, 800, 480, 200, 2540, 0x0E)
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


def _pad(hid: StuHid, pid: int) -> WacomStuPad:
    return WacomStuPad(pid, transport=hid, status_poll_s=0.001, status_timeout_s=2.0)


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
    hid = StuHid(inputs, INFO_540, CAP_540, stop)
    pad = _pad(hid, 0x00A8)
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


def test_wacom_commands_wait_for_ready_and_refusals_are_noticed() -> None:
    """Each report may be sent only in the states of the SDK's send table (ProtocolHelper.cpp
    waitForStatusToSend); ClearScreen is asynchronous ("the tablet can take 600ms. During this time
    the tablet status is StatusCode_Image", Protocol.hpp). An image started right after a clear
    without waiting is refused (WrongState) and never shown; a refused command (lastResultCode)
    must raise, not pass silently."""
    hid = StuHid([], INFO_540, CAP_540, clear_polls=4)
    pad = _pad(hid, 0x00A8)
    pad.open()
    pad.show_image(np.full((100, 160, 3), 255, np.uint8))
    assert len(hid.images) == 1 and hid.last == 0
    pad.clear()
    pad.show_image(np.full((100, 160, 3), 255, np.uint8))
    assert len(hid.images) == 2
    with pytest.raises(CommandRefused) as ei:
        _pad(StuHid([], INFO_540, CAP_540, refuse=frozenset({0x2A})), 0x00A8).open()
    assert ei.value.code == BAD_PARAMETER and ei.value.report_id == 0x2A and "签字板" in ei.value.message


def test_wacom_close_clears_the_screen() -> None:
    """The document and the applicant's signature must not stay on the pad in a public hall."""
    hid = StuHid([], INFO_540, CAP_540)
    pad = _pad(hid, 0x00A8)
    pad.open()
    pad.show_image(np.zeros((480, 800, 3), np.uint8))
    cleared = hid.cleared
    pad.close()
    assert hid.cleared == cleared + 1 and hid.sent[-1] == bytes([0x20, 0])
    assert bytes([0x21, 0]) in hid.sent[-2:]


def test_wacom_colour_encodings_per_model_and_report_count() -> None:
    """The STU-520A takes 16-bit RGB565 (EncodingMode_16bit = 0x02), never 24-bit
    (ProtocolHelper.cpp simulateEncodingFlag: 520A → 16bit|1bit; flattenColor16 sends the high byte
    first). The STU-540 takes image blocks of 2557 bytes in a 2560-byte report
    (Protocol.hpp ImageDataBlock::maxLength540): 451 reports for 800 x 480 x 3 instead of 4,554."""
    cap_520 = bytes.fromhex("09 2A30 1950 01FF 0140 00F0 C8 09EC 00 00 00".replace(" ", ""))  # flags left 0
    hid = StuHid([], bytes([0x08]) + b"STU-520A\0" + bytes(7), cap_520)
    pad = _pad(hid, 0x00A3)
    pad.open()
    img = np.zeros((240, 320, 3), np.uint8)
    img[:, :, 0] = 255  # pure red
    pad.show_image(img)
    start = next(r for r in hid.sent if r[0] == 0x25)
    assert start == bytes([0x25, 0x02])
    assert len(hid.images[-1]) == 320 * 240 * 2 and hid.images[-1][:4] == bytes.fromhex("F800F800")

    hid540 = StuHid([], INFO_540, CAP_540)
    pad540 = _pad(hid540, 0x00A8)
    pad540.open()
    hid540.sent.clear()
    pad540.show_image(np.full((100, 160, 3), 255, np.uint8))
    blocks = [r for r in hid540.sent if r[0] == 0x26]
    assert next(r for r in hid540.sent if r[0] == 0x25) == bytes([0x25, 0x04])
    assert len(blocks) == 451 and all(len(b) == 2560 for b in blocks)
    assert len(hid540.images[-1]) == 800 * 480 * 3 and set(hid540.images[-1]) == {255}
    # the 530 keeps 256-byte reports (maxLengthHID)
    assert len(image_reports(np.zeros((8, 8, 3), np.uint8), 800, 480, 0x04)) == 2 + 4554


def test_wacom_monochrome_image_polarity_as_the_sdk() -> None:
    """1-bit images: the buffer starts all 0xFF and an ink pixel clears its bit, so a white
    document is all 0xFF (Win32/ProtocolHelper.cpp flattenMonochrome: pData.resize(..., 0xffu);
    *rawData &= ~(px << (7-bit%8)); a pixel is ink when (r|g|b) <= 0x80). The old encoding set
    bits for ink: a white document showed as a black screen on the 300/430/500."""
    img = np.full((200, 320, 3), 255, np.uint8)
    img[:, :8] = 0  # a black band 8 pixels wide: the first byte of every row is all ink
    reps = image_reports(img, 320, 200, 0x00)
    assert reps[0] == bytes([0x25, 0x00])
    payload = b"".join(r[3:3 + int.from_bytes(r[1:3], "little")] for r in reps[1:-1])
    assert len(payload) == 320 * 200 // 8
    rows = np.frombuffer(payload, np.uint8).reshape(200, 40)
    assert (rows[:, 0] == 0x00).all() and (rows[:, 1:] == 0xFF).all()
    # a width that is not a multiple of 8 is padded with white bits (screenWidth_Aligned)
    odd = b"".join(r[3:3 + int.from_bytes(r[1:3], "little")] for r in image_reports(
        np.zeros((2, 10, 3), np.uint8), 10, 2, 0x00)[1:-1])
    assert odd == bytes([0x00, 0x3F, 0x00, 0x3F])


def test_wacom_430_timed_reports_and_data_sheet_capability() -> None:
    """PenDataOptionMode_TimeCountSequence is "430/530/540 only" (Protocol.hpp), not 540/541 only."""
    info = bytes([0x08]) + b"STU-430\0\0" + bytes([1, 0, 0, 0, 0, 0, 0])
    hid = StuHid([], info, bytes([0x09]))  # the pad answers with an empty capability report
    pad = _pad(hid, 0x00A4)
    pad.open()
    assert pad.capability == Capability(9600, 6000, 1023, 320, 200, 200, 2540)
    assert bytes([0x32, 3]) in hid.sent and pad.timed and pad.encoding == 0x00
    # a pad that refuses the option keeps plain pen data instead of failing
    hid2 = StuHid([], info, bytes([0x09]), refuse=frozenset({0x32}))
    pad2 = _pad(hid2, 0x00A4)
    pad2.open()
    assert not pad2.timed and hid2.sent[-1] == bytes([0x21, 1])


def test_wacom_541_tls_interface_refused_with_message() -> None:
    with pytest.raises(DeviceUnavailable) as ei:
        _pad(StuHid([], INFO_540, CAP_540), 0x00A9).open()
    assert "STU-541" in ei.value.message and ei.value.fix


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
    assert parse_report(_hv(0xA0, 1, 2, 0)).kind == "move"  # type: ignore[union-attr]
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


def test_hanvon_inks_on_a0_and_a1_while_pressing() -> None:
    """sherluok/ESP370U src/specifications.ts maps both A0 and A1 to `move`, and src/emulate.ts draws
    a move whenever z > 0 and ends the stroke when z is 0. Dropping A0 as hover lost ink."""
    stop = threading.Event()
    inputs = [HANDSHAKE, OPENED,
              _hv(0xA0, 0x0100, 0x0400, 0),  # no pressure: hover
              _hv(0xA0, 0x0C00, 0x0FA8, 0x0200),  # A0 pressing: ink
              _hv(0xA1, 0x0D00, 0x0FA8, 0x0300),
              _hv(0xA0, 0x0D00, 0x0FA8, 0),  # pressure back to 0: the stroke ends
              _hv(0xA1, 0x0E00, 0x0FA8, 0),  # still hovering: nothing
              CONFIRM]
    hid = ReplayHid(inputs, stop=stop)
    pad = HanvonPad(transport=hid, ack_timeout_s=0.5)
    pad.open()
    out = list(pad.points(stop))
    kinds = [o if isinstance(o, PadEvent) else ("down" if o.down else "up") for o in out]
    assert kinds == ["down", "down", "up", PadEvent.CONFIRM]


def test_hanvon_signature_height_is_the_writing_band() -> None:
    """Points are normalised to the band y 0x0360..0x1BF0 (sherluok/ESP370U src/ESP370U.ts
    MIN_VALID_Y / MAX_VALID_Y), so the stored signature's height is that band of the 39.58 mm
    display (specifications.ts displayActiveArea), about 30.4 mm — not 39.58 mm."""
    assert HanvonPad.height_mm == pytest.approx(39.58 * (0x1BF0 - 0x0360) / 0x2000)
    assert 30.3 < HanvonPad.height_mm < 30.5 and HanvonPad.width_mm == pytest.approx(76.78)


def test_hanvon_registry_matches_the_known_model_only() -> None:
    """0x0B57 is Hanvon's vendor id for its drawing tablets (and Hanwang/Bosto ones) too; only the
    ESP370U (0x8420, the product id in sherluok/ESP370U src/specifications.ts) is a signature pad
    whose protocol is known."""
    from devices import factory

    spec = next(s for s in factory.KNOWN_ADAPTERS if s.adapter == "hanvon")
    assert spec.product_ids == frozenset({0x8420})


def test_hanvon_open_without_ack_fails_with_message() -> None:
    pad = HanvonPad(transport=ReplayHid([b"\x02\x00"]), ack_timeout_s=0.05)
    with pytest.raises(DeviceError) as ei:
        pad.open()
    assert "签字板" in ei.value.message


def test_wacom_vendor_ids() -> None:
    assert wacom_stu.VENDOR_ID == 0x056A and hanvon.VENDOR_ID == 0x0B57
