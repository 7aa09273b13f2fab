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

import cv2
import numpy as np
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

def test_a_wrong_check_digit_is_a_bad_read() -> None:
    assert kiosk_check_digit("11010519491231002") == "X"  # the GB 11643 example
    parse_base_text(_text())
    with pytest.raises(CardDataError):
        parse_base_text(_text(id_number=ID[:17] + ("1" if ID[17] != "1" else "2")))


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

    def __init__(self, script: list[bytes | None | tuple[float, bytes]], *, sam_ok: bool = True) -> None:
        self.master, slave = os.openpty()
        tty.setraw(slave)
        self.port = os.ttyname(slave)
        self._slave = slave
        # answer per received command; None = stay silent; (delay_s, answer) = answer late.
        # open() asks the SAM status (11 FF) first: a working SAM answers 90.
        self.script = ([build_answer(0x90)] if sam_ok else []) + list(script)
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
                    if isinstance(answer, tuple):
                        if self._stop.wait(answer[0]):
                            return
                        answer = answer[1]
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
    assert cmds == [(0x11, 0xFF), (0x20, 0x01), (0x20, 0x01), (0x20, 0x02), (0x30, 0x01), (0x30, 0x01)]
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
    libs = {"raw": out / "libsdtapi.so", "fields": out / "libtermb_fields.so", "thid": out / "libTHID_CVR_IDCard.so"}
    subprocess.run([cc, "-shared", "-fPIC", "-O1", "-o", str(libs["raw"]), str(src)], check=True)
    subprocess.run([cc, "-shared", "-fPIC", "-O1", "-DNO_RAW", "-o", str(libs["fields"]), str(src)], check=True)
    subprocess.run([cc, "-shared", "-fPIC", "-O1", "-DTHID", "-o", str(libs["thid"]), str(src)], check=True)
    return libs


def _control(path: Path) -> ctypes.CDLL:
    lib = ctypes.CDLL(str(path))  # same handle as the reader's: dlopen is reference-counted
    lib.stub_set_card.argtypes = [ctypes.c_char_p, ctypes.c_uint, ctypes.c_char_p, ctypes.c_uint]
    lib.stub_set_field.argtypes = [ctypes.c_int, ctypes.c_char_p]
    lib.stub_last_device.restype = ctypes.c_char_p
    lib.stub_sam_like(0)
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


def test_termb_read_mode_buffer_lengths_and_vendor_files(stub_libs: dict[str, Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """CVR_ReadBaseMsg takes nMode 1..4 (1: UCS-2 text, photo as WLT) and the lengths set to the
    buffer sizes (tovasLuo/cvr_lib_identify THID_CVR_IDCard.h and example/test.cpp: pucCHMsgLen = 256,
    pucPHMsgLen = 126 * 102 * 3 + 1024); the old call (mode 0, zero lengths) is refused. The library
    writes WZ.TXT / XP.WLT into the current directory: they go to the session's directory and are wiped."""
    monkeypatch.chdir(tmp_path)
    session = tmp_path / "session"
    ctl = _control(stub_libs["raw"])
    ctl.stub_set_port(1001)
    text = _text()
    ctl.stub_set_card(text, len(text), b"\x07" * 1024, 1024)
    reader = TermbReader(library=str(stub_libs["raw"]), poll_s=0.01, work_dir=session)
    reader.open()
    try:
        card = reader.read_card(timeout=1.0)
    finally:
        reader.close()
    assert card.name == "张三" and reader.variant == "termb"
    assert ctl.stub_last_mode() == 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["session"]  # nothing left anywhere

    fields = _control(stub_libs["fields"])
    fields.stub_set_port(1001)
    fields.stub_set_card(b"", 0, b"\x07" * 1024, 1024)
    for i, value in enumerate(["张三", "男", "汉", "1980-01-01", "河南省漯河市源汇区人民路1号", ID,
                               "漯河市公安局源汇分局", "2020.01.01", "长期"]):
        fields.stub_set_field(i, value.encode("gbk"))
    reader2 = TermbReader(library=str(stub_libs["fields"]), poll_s=0.01)  # no session dir: a private one
    reader2.open()
    try:
        assert reader2.read_card(timeout=1.0).name == "张三"
        own = reader2._own_dir
        assert own is not None and list(own.iterdir()) == []
    finally:
        reader2.close()
    assert not own.exists()
    assert fields.stub_last_mode() == 2  # WZ.TXT + XP.WLT, no decoded ZP.BMP
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["session"]


def test_termb_thid_linux_variant_bound_with_its_own_signature(stub_libs: dict[str, Path], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The THID Linux library has CVR_InitComm(int Port, char *deviceName) and a 7-argument
    CVR_ReadBaseMsg(..., unsigned char *finger, int *finger_size, int nMode) (tovasLuo/cvr_lib_identify
    THID_CVR_IDCard.h). Binding it with the Windows signatures is undefined behaviour: the variant
    is recognised by its AutoCheckDevice export before anything is called."""
    from devices.idcard.termb import detect_variant

    monkeypatch.chdir(tmp_path)
    ctl = _control(stub_libs["thid"])
    assert detect_variant(ctl) == "thid" and detect_variant(_control(stub_libs["raw"])) == "termb"
    text = _text()
    ctl.stub_set_card(text, len(text), b"", 0)
    reader = TermbReader(library=str(stub_libs["thid"]), poll_s=0.01, device="/dev/ttyUSB7")
    reader.open()
    try:
        card = reader.read_card(timeout=1.0)
    finally:
        reader.close()
    assert reader.variant == "thid" and card.id_number == ID
    assert ctl.stub_last_device() == b"/dev/ttyUSB7" and ctl.stub_last_mode() == 1
    assert list(tmp_path.iterdir()) == []


def test_termb_thid_serial_device_from_the_configuration(stub_libs: dict[str, Path],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """devices.idcard = "termb:/dev/ttyS0" names the THID library's serial device (its sample opens
    "/dev/ttyS0" for a CVR-100D, tovasLuo/cvr_lib_identify example/test.cpp)."""
    from devices.factory import _real

    monkeypatch.setenv("BDC_VENDOR_LIB_DIR", str(stub_libs["thid"].parent))
    reader = _real("idcard", "termb:/dev/ttyS0", {}, list)
    assert isinstance(reader, TermbReader) and reader.device == "/dev/ttyS0"


def test_sdtapi_same_card_must_be_lifted(stub_libs: dict[str, Path]) -> None:
    """SDT_StartFindIDCard answers 0x80 for the card just read until it is lifted
    (waitingsong/node-idcard-reader README.md); the applicant is told to lift it."""
    from devices.idcard.lift import CardNotLifted

    ctl = _control(stub_libs["raw"])
    ctl.stub_set_port(1001)
    ctl.stub_sam_like(1)
    text = _text()
    ctl.stub_set_card(text, len(text), b"", 0)
    reader = SdtApiReader(library=str(stub_libs["raw"]), poll_s=0.01, lift_hint_s=0.05)
    reader.open()
    try:
        assert reader.read_card(timeout=1.0).id_number == ID
        with pytest.raises(CardNotLifted):
            reader.read_card(timeout=2.0)
        ctl.stub_lift_card()
        assert reader.read_card(timeout=1.0).id_number == ID
    finally:
        reader.close()
        ctl.stub_sam_like(0)


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

def _cc() -> str:
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler to build the vendor library stand-ins")
    return cc


@pytest.fixture(scope="module")
def wlt_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two decoder shapes: unpack() (libwlt.so) and GetBmp() (libWltRS.so), each alone in a directory."""
    cc = _cc()
    src = Path(__file__).parent / "stubs" / "wlt_stub.c"
    unpack_dir, getbmp_dir = tmp_path_factory.mktemp("wlt_unpack"), tmp_path_factory.mktemp("wlt_getbmp")
    subprocess.run([cc, "-shared", "-fPIC", "-O1", "-o", str(unpack_dir / "libwlt.so"), str(src)], check=True)
    subprocess.run([cc, "-shared", "-fPIC", "-O1", "-DGETBMP", "-o", str(getbmp_dir / "libWltRS.so"), str(src)],
                   check=True)
    return {"unpack": unpack_dir, "getbmp": getbmp_dir}


def _chip_face() -> np.ndarray:
    """A 102 x 126 photo of a real face (skimage's astronaut, cropped around her face), RGB."""
    from skimage import data

    crop = data.astronaut()[40:212, 153:292]
    return cv2.resize(crop, (102, 126), interpolation=cv2.INTER_AREA)


def _decoder_pixels(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, rgb: np.ndarray) -> None:
    raw = tmp_path / "pixels.bgr"
    raw.write_bytes(np.ascontiguousarray(rgb[:, :, ::-1]).tobytes())  # top-down BGR for the stub
    monkeypatch.setenv("WLT_STUB_RAW", str(raw))


def test_wlt_unpack_output_is_38556_raw_bytes_without_header(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                             wlt_dirs: dict[str, Path],
                                                             caplog: pytest.LogCaptureFixture) -> None:
    """unpack() writes 102*126*3 raw BGR bytes, no BMP header (superoctober1213/AppBluetooth
    app/src/main/java/com/example/IDReader/WLTService.java: imgLength = 3 * 102 * 126; the buffer is
    painted from its last triplet at the top-right, i.e. rows bottom-up — zkteco IDPhotoHelper.Bgr2Bitmap
    as used by lochyhuang/DKCloudID_UART_Andoird app/src/main/java/com/huang/lochy/IDCardData.java).
    Read as a BMP with a 54-byte header and padded rows (the old code) the photo is scrambled and
    every applicant would fail the face match."""
    from devices.idcard import wlt

    face = _chip_face()
    _decoder_pixels(monkeypatch, tmp_path, face)
    monkeypatch.setenv("BDC_VENDOR_LIB_DIR", str(tmp_path / "none"))  # no decoder here
    assert wlt.decode_chip_photo(b"\x07" * 1024).source == "none"
    monkeypatch.setenv("BDC_VENDOR_LIB_DIR", str(wlt_dirs["unpack"]))
    chip = wlt.decode_chip_photo(b"\x07" * 1024)
    assert chip.source == "chip" and chip.rgb is not None and chip.rgb.shape == (126, 102, 3)
    assert np.array_equal(chip.rgb, face)  # pixel for pixel, right way up, RGB
    assert wlt.RAW_LEN == 38556
    assert wlt.decode_chip_photo(b"\xEE" * 1024).source == "chip_rejected"  # the decoder refused it
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        "WLT decode failed (unpack returned -1)"]
    assert wlt.decode_chip_photo(b"\x07" * 1000).source == "none"  # not a WLT block


def test_wlt_decoded_image_must_be_a_face(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                          wlt_dirs: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:
    """A decoder that is present but produces no face (wrong build, wrong licence, scrambled
    layout) must not become the reference photo: the card says "chip_rejected" and the session
    falls back to the platform's photo."""
    from devices.idcard import wlt

    monkeypatch.setenv("BDC_VENDOR_LIB_DIR", str(wlt_dirs["unpack"]))
    rng = np.random.default_rng(7)
    for not_a_face in (rng.integers(0, 256, (126, 102, 3), dtype=np.uint8), np.full((126, 102, 3), 200, np.uint8)):
        _decoder_pixels(monkeypatch, tmp_path, not_a_face)
        chip = wlt.decode_chip_photo(b"\x07" * 1024)
        assert (chip.rgb, chip.source) == (None, "chip_rejected")
    assert sum("chip photo rejected" in r.getMessage() for r in caplog.records) == 2
    # what the old header-and-padding reading made of a real face is not a face either
    face = _chip_face()
    raw = np.ascontiguousarray(face[::-1, :, ::-1]).tobytes()
    row = (102 * 3 + 3) & ~3
    old = np.frombuffer((raw + bytes(54 + row * 126))[54:54 + row * 126], np.uint8).reshape(126, row)
    scrambled = np.ascontiguousarray(old[:, :306].reshape(126, 102, 3)[::-1, :, ::-1])
    assert wlt.face_found(scrambled) is False and wlt.face_found(face) is True


def test_wlt_getbmp_decoder_writes_a_bmp_file_that_is_wiped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                            wlt_dirs: dict[str, Path]) -> None:
    """WltRS.dll exports GetBmp(char *wltFile, int intf) and writes <name>.bmp next to the .wlt
    (LXKing/GitHubCode Core/IDCardRead/DLL/Synjones/Syn_IDCardRead_new.h: Syn_GetBmp(char *Wlt_File,
    int intf)); it has no unpack(). The photo files are personal data: nothing may remain."""
    from devices.idcard import wlt

    face = _chip_face()
    _decoder_pixels(monkeypatch, tmp_path, face)
    monkeypatch.setenv("BDC_VENDOR_LIB_DIR", str(wlt_dirs["getbmp"]))
    work = tmp_path / "session"
    work.mkdir()
    chip = wlt.decode_chip_photo(b"\x07" * 1024, work_dir=work)
    assert chip.source == "chip" and chip.rgb is not None and np.array_equal(chip.rgb, face)
    assert list(work.rglob("*")) == []


def test_wlt_dll_file_unpack_is_cdecl_and_searched_before_wltrs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                                 wlt_dirs: dict[str, Path]) -> None:
    """On Windows DLL_File.dll's unpack() is cdecl: loading it as WinDLL (stdcall) corrupts the
    stack on 32-bit Windows. WltRS.dll has no unpack() but GetBmp() (stdcall); the old search took
    WltRS first and called unpack() on it. Windows is simulated here: the library files are the
    stand-ins under their Windows names, WinDLL records what it is asked to load."""
    import sys

    from devices.idcard import wlt

    libdir = tmp_path / "vendor"
    libdir.mkdir()
    shutil.copy(wlt_dirs["unpack"] / "libwlt.so", libdir / "DLL_File.dll")
    shutil.copy(wlt_dirs["getbmp"] / "libWltRS.so", libdir / "WltRS.dll")
    stdcall: list[str] = []

    def windll(path: str) -> ctypes.CDLL:
        stdcall.append(Path(path).name)
        return ctypes.CDLL(path)

    monkeypatch.setattr(ctypes, "WinDLL", windll, raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("BDC_VENDOR_LIB_DIR", str(libdir))
    face = _chip_face()
    _decoder_pixels(monkeypatch, tmp_path, face)
    kinds = [kind for kind, _lib in wlt._find_decoders()]
    chip = wlt.decode_chip_photo(b"\x07" * 1024)
    monkeypatch.undo()
    assert kinds == ["unpack", "getbmp"]
    assert set(stdcall) == {"WltRS.dll"}  # DLL_File.dll went through CDLL
    assert chip.source == "chip" and chip.rgb is not None and np.array_equal(chip.rgb, face)


def test_serial_reader_card_with_chip_photo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                            wlt_dirs: dict[str, Path]) -> None:
    _decoder_pixels(monkeypatch, tmp_path, _chip_face())
    monkeypatch.setenv("BDC_VENDOR_LIB_DIR", str(wlt_dirs["unpack"]))
    script: list[bytes | None | tuple[float, bytes]] = [build_answer(0x9F, bytes(4)), build_answer(0x90, bytes(8)),
                                                        _base_answer(_text(), b"\x09" * 1024)]
    with SamEmulator(script) as sam:
        reader = SerialIdCardReader(sam.port)
        reader.open()
        try:
            card = reader.read_card(timeout=2.0)
        finally:
            reader.close()
    assert card.photo_source == "chip" and card.photo_rgb is not None
    assert np.array_equal(card.photo_rgb, _chip_face())


# ---------------------------------------------------------------- card types ('I', 'J')

def test_card_type_byte_248_residence_permit_parsed_and_foreigner_refused() -> None:
    """The type byte sits at offset 248 of the text block: 'J' 港澳台居民居住证 keeps the
    resident layout with an empty nation, then pass number (9) and issue count (2); 'I' is the
    外国人永久居留身份证 (lochyhuang/DKCloudID_UART_Andoird
    app/src/main/java/com/huang/lochy/IDCardData.java: wordMsgBytes[248] == 'J' / 'I').
    Before, both failed as "nation code unknown" and the applicant was told to re-place the card
    for ever."""
    hk_id = make_id_number("810000", "19900307", "456")
    j = _text(name="陈大文", id_number=hk_id, birth="19900307", nation_code="", sex_code="1" if int(hk_id[16]) % 2
              else "2", issuer="漯河市公安局", card_type="J", pass_number="H12345678", issue_count="01")
    assert len(j) == 256 and j[248:250] == b"J\x00"
    card = parse_base_text(j)
    assert (card.card_type, card.nation, card.id_number, card.name) == ("gat_residence", "", hk_id, "陈大文")
    assert parse_base_text(_text()).card_type == "resident"
    bad_j = _text(id_number=ID, nation_code="", card_type="J", pass_number="H1", issue_count="01")
    with pytest.raises(CardDataError):
        parse_base_text(bad_j)  # a 'J' card number starts with 81/82/83
    i_card = _text(nation_code="", card_type="I")
    assert i_card[248:250] == b"I\x00"
    with pytest.raises(basemsg.CardTypeRefused) as ei:
        parse_base_text(i_card)
    assert "柜台" in ei.value.message or "人工窗口" in ei.value.message
    assert "重新" not in ei.value.message  # not the "place it again" loop


# ---------------------------------------------------------------- SAM timing and status

def test_sam_status_is_checked_at_open() -> None:
    """11 FF asks the SAM's status; 90 = working. A SAM that failed its self-test (60) or is not
    authorised (66) is reported at open() with the fix instead of as "no card" for ever."""
    assert build_command(0x11, 0xFF) == bytes.fromhex("AAAAAA9669 0003 11FF ED")
    for sw3, words in ((0x60, "自检失败"), (0x66, "未经授权")):
        with SamEmulator([build_answer(sw3)], sam_ok=False) as sam:
            reader = SerialIdCardReader(sam.port, answer_timeout=0.3)
            with pytest.raises(DeviceUnavailable) as ei:
                reader.open()
        assert words in ei.value.message and ei.value.fix
    with SamEmulator([None, None], sam_ok=False) as sam, pytest.raises(DeviceUnavailable) as ei2:
        SerialIdCardReader(sam.port, answer_timeout=0.2).open()
    assert "没有响应" in ei2.value.message


def test_read_base_message_waits_as_long_as_vendor_samples() -> None:
    """30 01 makes the SAM read and authenticate the card: vendor samples wait 1.1–2 s for it.
    An answer after 1.4 s is read with the default read_timeout (2 s); the old single 1.0 s wait
    gave up, retried, and failed."""
    script: list[bytes | None | tuple[float, bytes]] = [
        build_answer(0x9F, bytes(4)), build_answer(0x90, bytes(8)), (1.4, _base_answer(_text()))]
    with SamEmulator(script) as sam:
        reader = SerialIdCardReader(sam.port, answer_timeout=1.0)
        assert reader.read_timeout >= 2.0
        reader.open()
        try:
            card = reader.read_card(timeout=5.0)
        finally:
            reader.close()
    assert card.id_number == ID and reader.retries == 0


def test_same_card_not_found_until_lifted_tells_the_applicant() -> None:
    """After a read the SAM does not find the same card until it is lifted
    (waitingsong/node-idcard-reader README.md: 身份证成功读取后必须移出机具读取感应区…否则下次…找卡失败).
    The reader says so instead of waiting out the time-out with the card in place."""
    from devices.idcard.lift import CardNotLifted

    script: list[bytes | None | tuple[float, bytes]] = [
        build_answer(0x9F, bytes(4)), build_answer(0x90, bytes(8)), _base_answer(_text())] + [build_answer(0x80)] * 40
    with SamEmulator(script) as sam:
        reader = SerialIdCardReader(sam.port, poll_s=0.01, lift_hint_s=0.1)
        reader.open()
        try:
            reader.read_card(timeout=2.0)
            with pytest.raises(CardNotLifted) as ei:
                reader.read_card(timeout=5.0)
        finally:
            reader.close()
    assert "拿起" in ei.value.message
