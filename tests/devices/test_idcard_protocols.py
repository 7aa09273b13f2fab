"""ID-card data and protocols: base message, SAM serial frames, SDT API and termb over a C ABI."""
from __future__ import annotations

import ctypes
import datetime as dt
import os
import select
import shutil
import subprocess
import threading
import tty
from pathlib import Path
from typing import Any

import pytest

from devices.base import DeviceError, DeviceUnavailable
from devices.idcard import basemsg, samframe
from devices.idcard.basemsg import CardDataError, build_base_text, parse_base_text, validity_problem
from devices.idcard.samframe import Answer, Command, FrameDecoder, FrameError, build_answer, build_command
from devices.idcard.sdtapi import SdtApiReader
from devices.idcard.serialreader import SerialIdCardReader
from devices.idcard.termb import TermbReader
from kiosk.idnumber import check_digit as kiosk_check_digit
from kiosk.idnumber import make_id_number

ID = make_id_number("411102", "19800101", "123")  # odd 17th digit: male


def _text(**over: str) -> bytes:
    fields = dict(name="张三", sex_code="1", nation_code="01", birth="19800101",
                  address="河南省漯河市源汇区人民路1号", id_number=ID, issuer="漯河市公安局源汇分局",
                  valid_from="20200101", valid_to="20400101")
    fields.update(over)
    return build_base_text(**fields)


# ---------------------------------------------------------------- base message

def test_check_digit_matches_kiosk_implementation() -> None:
    for first17 in ("11010519491231002", "44052418800101001", "41110219800101123", "32010619900307456"):
        assert basemsg.check_digit(first17) == kiosk_check_digit(first17)
    assert basemsg.check_digit("11010519491231002") == "X"  # the GB 11643 example


def test_parse_base_text_good_block() -> None:
    text = _text()
    assert len(text) == 256
    card = parse_base_text(text)
    assert (card.name, card.sex, card.nation, card.birth) == ("张三", "男", "汉", "19800101")
    assert card.address == "河南省漯河市源汇区人民路1号" and card.id_number == ID
    assert (card.valid_from, card.valid_to, card.photo_source) == ("20200101", "20400101", "none")
    long_term = parse_base_text(_text(valid_to="长期", nation_code="03"))
    assert long_term.valid_to == "长期" and long_term.nation == "回"


@pytest.mark.parametrize(("over", "why"), [
    ({"id_number": ID[:17] + ("0" if ID[17] != "0" else "1")}, "check digit"),
    ({"birth": "19800102"}, "birth date differs"),
    ({"sex_code": "2"}, "sex code differs"),
    ({"nation_code": "77"}, "nation code"),
    ({"valid_to": "20190101"}, "valid-to"),
    ({"valid_from": "2020013A"}, "valid-from"),
    ({"name": ""}, "name empty"),
])
def test_parse_base_text_rejects_inconsistent_fields(over: dict[str, str], why: str) -> None:
    with pytest.raises(CardDataError) as ei:
        parse_base_text(_text(**over))
    assert why in ei.value.detail
    assert "重新" in ei.value.message  # tells the applicant what to do


@pytest.mark.parametrize("raw", [b"", _text()[:255], _text() + b"\0\0", b"\x00\xd8" * 128, os.urandom(256)])
def test_parse_base_text_rejects_wrong_length_and_garbage(raw: bytes) -> None:
    with pytest.raises(CardDataError):
        parse_base_text(raw)


def test_validity_problem() -> None:
    card = parse_base_text(_text())
    assert validity_problem(card, dt.date(2026, 1, 1)) is None
    assert "过有效期" in (validity_problem(card, dt.date(2040, 1, 2)) or "")
    assert "尚未生效" in (validity_problem(card, dt.date(2019, 12, 31)) or "")
    assert validity_problem(parse_base_text(_text(valid_to="长期")), dt.date(2099, 1, 1)) is None


# ---------------------------------------------------------------- SAM frames

def test_command_frames_match_the_specified_bytes() -> None:
    assert build_command(0x20, 0x01) == bytes.fromhex("AAAAAA9669 0003 2001 22")
    assert build_command(0x20, 0x02) == bytes.fromhex("AAAAAA9669 0003 2002 21")
    assert build_command(0x30, 0x01) == bytes.fromhex("AAAAAA9669 0003 3001 32")
    found = bytes.fromhex("AAAAAA9669 0008 00009F 00000000 97")
    assert build_answer(0x9F, b"\0\0\0\0") == found


def test_decoder_good_answer_split_across_reads() -> None:
    frame = build_answer(0x90, bytes(range(20)))
    dec = FrameDecoder()
    out: list[Any] = []
    for i in range(0, len(frame), 3):
        out += dec.feed(frame[i:i + 3])
    assert out == [Answer(0, 0, 0x90, bytes(range(20)))]
    assert dec.garbage_bytes == 0 and dec.buffered == 0


def test_decoder_skips_garbage_and_reports_bad_checksum_then_recovers() -> None:
    good = build_answer(0x9F, b"\0\0\0\0")
    bad = bytearray(build_answer(0x90, b"abc"))
    bad[-1] ^= 0xFF
    dec = FrameDecoder()
    out = dec.feed(b"\x00\xAA\x13garbage\xAA\xAA" + bytes(bad) + b"\x55" + good)
    assert isinstance(out[0], FrameError) and "checksum" in out[0].detail
    assert out[1] == Answer(0, 0, 0x9F, b"\0\0\0\0")
    assert dec.bad_frames == 1 and dec.garbage_bytes > 0


def test_decoder_truncated_frame_waits_and_impossible_length_resyncs() -> None:
    dec = FrameDecoder()
    frame = build_answer(0x90, b"x" * 10)
    assert dec.feed(frame[:-4]) == []  # truncated: nothing yet
    assert dec.buffered == len(frame) - 4
    assert dec.feed(frame[-4:]) == [Answer(0, 0, 0x90, b"x" * 10)]
    huge = samframe.PREAMBLE + b"\xFF\xFF" + b"\x00" * 10
    out = dec.feed(huge + build_answer(0x80))
    assert isinstance(out[0], FrameError) and "length" in out[0].detail
    assert out[-1] == Answer(0, 0, 0x80, b"")
    short = samframe.PREAMBLE + b"\x00\x01" + b"\x01"  # length 1 cannot hold status + checksum
    out = dec.feed(short + build_answer(0x90))
    assert isinstance(out[0], FrameError) and out[-1] == Answer(0, 0, 0x90, b"")


def test_decoder_preamble_split_at_buffer_end_is_kept() -> None:
    dec = FrameDecoder()
    frame = build_answer(0x90)
    assert dec.feed(b"zzzz" + frame[:3]) == []
    assert dec.feed(frame[3:]) == [Answer(0, 0, 0x90, b"")]


def test_split_base_message_lengths() -> None:
    text, photo = _text(), bytes(1024)
    data = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo
    assert samframe.split_base_message(data) == (text, photo)
    with pytest.raises(FrameError):
        samframe.split_base_message(data[:-1])
    with pytest.raises(FrameError):
        samframe.split_base_message(b"\x01")


class SamEmulator:
    """A SAM module at the far end of a pseudo-terminal, answering per a script."""

    def __init__(self, script: list[bytes | None]) -> None:
        self.master, slave = os.openpty()
        tty.setraw(slave)
        self.port = os.ttyname(slave)
        self._slave = slave
        self.script = list(script)  # answer per received command; None = stay silent
        self.commands: list[Command] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sam-emulator")

    def __enter__(self) -> SamEmulator:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        os.close(self.master)
        os.close(self._slave)

    def _run(self) -> None:
        dec = FrameDecoder(answers=False)
        while not self._stop.is_set():
            r, _, _ = select.select([self.master], [], [], 0.05)
            if not r:
                continue
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            for item in dec.feed(data):
                if isinstance(item, Command):
                    self.commands.append(item)
                    answer = self.script.pop(0) if self.script else build_answer(0x24)
                    if answer is not None:
                        os.write(self.master, answer)


def _base_answer(text: bytes, photo: bytes = bytes(1024)) -> bytes:
    data = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo
    return build_answer(0x90, data)


def test_serial_reader_reads_card_over_pty_with_noise_and_retry() -> None:
    found = build_answer(0x9F, b"\0\0\0\0")
    corrupt = bytearray(_base_answer(_text()))
    corrupt[100] ^= 0x01  # a flipped bit: checksum fails, the reader asks again
    script: list[bytes | None] = [build_answer(0x80), b"\xFF\x00" + found, build_answer(0x90, bytes(8)),
                                  bytes(corrupt), _base_answer(_text())]
    with SamEmulator(script) as sam:
        reader = SerialIdCardReader(sam.port, poll_s=0.01, answer_timeout=1.0)
        reader.open()
        try:
            card = reader.read_card(timeout=5.0)
        finally:
            reader.close()
        cmds = [(c.cmd, c.para) for c in sam.commands]
    assert card.name == "张三" and card.id_number == ID and card.photo_source == "none"
    assert cmds == [(0x20, 0x01), (0x20, 0x01), (0x20, 0x02), (0x30, 0x01), (0x30, 0x01)]
    assert reader.retries == 1


def test_serial_reader_timeouts_and_errors() -> None:
    with SamEmulator([build_answer(0x80)] * 50) as sam:
        reader = SerialIdCardReader(sam.port, poll_s=0.01)
        reader.open()
        try:
            with pytest.raises(TimeoutError):
                reader.read_card(timeout=0.1)
        finally:
            reader.close()
    truncated = build_answer(0x9F, b"\0\0\0\0")[:-3]
    with SamEmulator([truncated, None]) as sam:
        reader = SerialIdCardReader(sam.port, answer_timeout=0.2)
        reader.open()
        try:
            with pytest.raises(FrameError) as ei:
                reader.read_card(timeout=1.0)
        finally:
            reader.close()
    assert "没有响应" in ei.value.message
    with SamEmulator([build_answer(0x9F, bytes(4)), build_answer(0x90, bytes(8)), build_answer(0x41)]) as sam:
        reader = SerialIdCardReader(sam.port)
        reader.open()
        try:
            with pytest.raises(DeviceError) as ei2:
                reader.read_card(timeout=1.0)
        finally:
            reader.close()
    assert "读卡操作失败" in ei2.value.message


def test_serial_reader_missing_port_is_unavailable_with_fix() -> None:
    with pytest.raises(DeviceUnavailable) as ei:
        SerialIdCardReader("/dev/ttyNONEXISTENT9").open()
    assert ei.value.fix


# ---------------------------------------------------------------- SDT API / termb over a C ABI

@pytest.fixture(scope="module")
def stub_libs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler to build the reader library stand-in")
    src = Path(__file__).parent / "stubs" / "idreader_stub.c"
    out = tmp_path_factory.mktemp("stubs")
    libs = {"raw": out / "libsdtapi.so", "fields": out / "libtermb_fields.so"}
    subprocess.run([cc, "-shared", "-fPIC", "-O1", "-o", str(libs["raw"]), str(src)], check=True)
    subprocess.run([cc, "-shared", "-fPIC", "-O1", "-DNO_RAW", "-o", str(libs["fields"]), str(src)], check=True)
    return libs


def _control(path: Path) -> ctypes.CDLL:
    lib = ctypes.CDLL(str(path))  # same handle as the reader's: dlopen is reference-counted
    lib.stub_set_card.argtypes = [ctypes.c_char_p, ctypes.c_uint, ctypes.c_char_p, ctypes.c_uint]
    lib.stub_set_field.argtypes = [ctypes.c_int, ctypes.c_char_p]
    return lib


def test_sdtapi_reads_card_through_the_library(stub_libs: dict[str, Path]) -> None:
    ctl = _control(stub_libs["raw"])
    ctl.stub_remove_card()
    ctl.stub_set_port(1003)
    reader = SdtApiReader(library=str(stub_libs["raw"]), poll_s=0.01)
    reader.open()  # scans the USB ports 1001…1016
    try:
        assert reader.health().counters["port"] == 1003
        with pytest.raises(TimeoutError):
            reader.read_card(timeout=0.05)
        text = _text()
        ctl.stub_set_card(text, len(text), bytes(1024), 1024)
        card = reader.read_card(timeout=1.0)
        assert card.name == "张三" and card.id_number == ID
        bad = _text()[:-2]
        ctl.stub_set_card(bad, len(bad), b"", 0)
        with pytest.raises(DeviceError):
            reader.read_card(timeout=1.0)
    finally:
        reader.close()
    ctl.stub_set_port(1)
    with pytest.raises(DeviceUnavailable):
        SdtApiReader(library=str(stub_libs["raw"])).open()


def test_termb_raw_and_field_paths(stub_libs: dict[str, Path]) -> None:
    ctl = _control(stub_libs["raw"])
    ctl.stub_set_port(1001)
    text = _text()
    ctl.stub_set_card(text, len(text), b"", 0)
    reader = TermbReader(library=str(stub_libs["raw"]), poll_s=0.01)
    reader.open()
    try:
        assert reader.read_card(timeout=1.0).address == "河南省漯河市源汇区人民路1号"
    finally:
        reader.close()

    ctl2 = _control(stub_libs["fields"])
    ctl2.stub_set_port(1001)
    ctl2.stub_set_card(b"", 0, b"", 0)
    for i, value in enumerate(["张三", "男", "汉", "1980-01-01", "河南省漯河市源汇区人民路1号", ID,
                               "漯河市公安局源汇分局", "2020.01.01", "长期"]):
        ctl2.stub_set_field(i, value.encode("gbk"))
    reader2 = TermbReader(library=str(stub_libs["fields"]), poll_s=0.01)
    reader2.open()
    try:
        card = reader2.read_card(timeout=1.0)
        assert (card.name, card.sex, card.nation, card.birth, card.valid_to) == ("张三", "男", "汉", "19800101", "长期")
        ctl2.stub_set_field(5, (ID[:17] + ("1" if ID[17] == "0" else "0")).encode())
        with pytest.raises(CardDataError):
            reader2.read_card(timeout=1.0)
    finally:
        reader2.close()


def test_missing_vendor_library_is_a_message_with_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BDC_VENDOR_LIB_DIR", str(tmp_path))
    for reader in (SdtApiReader(), TermbReader()):
        with pytest.raises(DeviceUnavailable) as ei:
            reader.open()
        assert "驱动库" in ei.value.message and "vendor" in ei.value.fix
    broken = tmp_path / "libsdtapi.so"
    broken.write_bytes(b"not an ELF file")
    with pytest.raises(DeviceUnavailable) as ei2:
        SdtApiReader().open()
    assert "无法加载" in ei2.value.message


# ---------------------------------------------------------------- chip photo (WLT) through the vendor decoder

@pytest.fixture(scope="module")
def wlt_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler to build the WLT decoder stand-in")
    out = tmp_path_factory.mktemp("wlt")
    src = Path(__file__).parent / "stubs" / "wlt_stub.c"
    subprocess.run([cc, "-shared", "-fPIC", "-O1", "-o", str(out / "libwlt.so"), str(src)], check=True)
    return out


def test_wlt_decoded_only_through_the_vendor_library(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                     wlt_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    from devices.idcard.wlt import decode_wlt

    monkeypatch.setenv("BDC_VENDOR_LIB_DIR", str(tmp_path))  # no decoder here
    assert decode_wlt(b"\x07" * 1024) is None
    monkeypatch.setenv("BDC_VENDOR_LIB_DIR", str(wlt_dir))
    rgb = decode_wlt(b"\x07" * 1024)
    assert rgb is not None and rgb.shape == (126, 102, 3)
    assert tuple(rgb[0, 0]) == (0, 0, 7) and tuple(rgb[125, 101]) == (101, 125, 7)  # top-down, RGB
    assert decode_wlt(b"\xEE" * 1024) is None  # the decoder refused it
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == ["WLT decode failed"]
    assert decode_wlt(b"\x07" * 1000) is None  # not a WLT block


def test_serial_reader_card_with_chip_photo(monkeypatch: pytest.MonkeyPatch, wlt_dir: Path) -> None:
    monkeypatch.setenv("BDC_VENDOR_LIB_DIR", str(wlt_dir))
    script: list[bytes | None] = [build_answer(0x9F, bytes(4)), build_answer(0x90, bytes(8)),
                                  _base_answer(_text(), b"\x09" * 1024)]
    with SamEmulator(script) as sam:
        reader = SerialIdCardReader(sam.port)
        reader.open()
        try:
            card = reader.read_card(timeout=2.0)
        finally:
            reader.close()
    assert card.photo_source == "chip" and card.photo_rgb is not None
    assert int(card.photo_rgb[0, 0, 2]) == 9
