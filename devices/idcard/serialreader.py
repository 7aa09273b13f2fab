"""ID-card readers on a serial port (RS-232 or USB-serial), spoken to in SAM frames.

Timing and states the vendor samples rely on:
- `30 01` (read base message) makes the SAM talk to the card and check it: vendor samples wait
  1.1–2 s for the answer, so `read_timeout` is 2.0 s (configurable); the short commands keep
  `answer_timeout` (1.0 s).
- `11 FF` (SAM status) is asked at open(): a SAM that fails its self-test (60) or is not
  authorised (66) is reported then, with the fix, instead of as endless "no card" answers.
- after a read the SAM will not find the same card until it is lifted (`lift.LiftGuard`).
"""
from __future__ import annotations

import logging
import time
from typing import Any

from devices.base import (
    DeviceDisconnected,
    DeviceError,
    DeviceInfo,
    DeviceState,
    DeviceUnavailable,
    Health,
    IdCardData,
    IdCardReader,
)
from devices.idcard.basemsg import PHOTO_LEN, TEXT_LEN, parse_base_text
from devices.idcard.lift import LiftGuard
from devices.idcard.samframe import (
    CMD_FIND,
    CMD_READ_BASE,
    CMD_SAM_STATUS,
    CMD_SELECT,
    SW_FOUND,
    SW_OK,
    Answer,
    FrameDecoder,
    FrameError,
    build_command,
    split_base_message,
)
from devices.idcard.wlt import decode_chip_photo

log = logging.getLogger(__name__)

_NO_CARD = (0x80, 0x81)


class SerialIdCardReader(IdCardReader):
    """A SAM reader on `port` (e.g. /dev/ttyUSB0, COM3) at 115200 baud, 8N1."""

    def __init__(self, port: str, baudrate: int = 115200, *, answer_timeout: float = 1.0,
                 read_timeout: float = 2.0, poll_s: float = 0.3, lift_hint_s: float = 3.0) -> None:
        self.port = port
        self.baudrate = baudrate
        self.answer_timeout = answer_timeout
        self.read_timeout = max(read_timeout, answer_timeout)
        self.poll_s = poll_s
        self.lift = LiftGuard(lift_hint_s)
        self.info = DeviceInfo(kind="idcard", name=f"身份证读卡器（串口 {port}）", adapter="serial", path=port)
        self._serial: Any = None
        self._decoder = FrameDecoder()
        self.retries = 0

    def open(self) -> None:
        import serial

        try:
            self._serial = serial.Serial(self.port, self.baudrate, timeout=0.05, write_timeout=1.0)
        except serial.SerialException as exc:
            text = str(exc)
            if "ermission" in text or "13" in text.split(":")[0]:
                raise DeviceUnavailable(
                    "没有权限使用身份证读卡器的串口", detail=f"{self.port}: {text}",
                    fix="Linux：把当前用户加入 dialout 组（sudo usermod -aG dialout 用户名）后重新登录，"
                        "或安装本软件的 udev 规则") from None
            raise DeviceUnavailable("找不到身份证读卡器的串口", detail=f"{self.port}: {text}",
                                    fix="检查读卡器连接线和配置中的串口名（devices.idcard = serial:端口）") from None
        self._decoder = FrameDecoder()
        try:
            self.check_sam()
        except DeviceError:
            self.close()
            raise

    def check_sam(self) -> None:
        """SAM status (11 FF): 90 is a working, authorised security module."""
        try:
            status = self.transact(CMD_SAM_STATUS)
        except FrameError as exc:
            raise DeviceUnavailable("身份证读卡器没有响应", detail=f"SAM status: {exc.detail}",
                                    fix="检查读卡器电源和连接线，确认配置的串口是读卡器") from None
        if status.sw3 != SW_OK:
            raise DeviceUnavailable(f"身份证读卡器安全模块异常：{status.status_text()}",
                                    detail=f"SAM status SW3={status.sw3:02X}",
                                    fix="请联系读卡器厂商检修安全模块（SAM）")

    def transact(self, cmd: tuple[int, int], data: bytes = b"", timeout: float | None = None) -> Answer:
        """Send one command and wait for its answer; one retry on a damaged frame."""
        import serial

        if self._serial is None:
            raise DeviceError("身份证读卡器未打开", detail="transact() before open()")
        wait = timeout if timeout is not None else self.answer_timeout
        last: FrameError | None = None
        for _attempt in range(2):
            try:
                self._serial.reset_input_buffer()
                self._serial.write(build_command(cmd[0], cmd[1], data))
                got = self._await_answer(time.monotonic() + wait)
            except (serial.SerialException, OSError) as exc:
                raise DeviceDisconnected("身份证读卡器已断开，请检查连接线", detail=f"{self.port}: {exc}") from None
            if isinstance(got, Answer):
                return got
            last = got or FrameError("身份证读卡器没有响应，请检查连接", detail=(
                f"no complete answer to {cmd[0]:02X} {cmd[1]:02X} within {wait}s "
                f"({self._decoder.buffered} bytes pending)"))
            self.retries += 1
        assert last is not None
        raise last

    def _await_answer(self, deadline: float) -> Answer | FrameError | None:
        """The first answer or damaged frame before `deadline`; None when nothing complete came."""
        self._decoder = FrameDecoder()
        while time.monotonic() < deadline:
            chunk = self._serial.read(max(1, self._serial.in_waiting))
            for item in self._decoder.feed(chunk):
                if isinstance(item, (Answer, FrameError)):
                    return item
        return None

    def read_card(self, timeout: float = 10.0) -> IdCardData:
        deadline = time.monotonic() + timeout
        self.lift.start()
        while True:
            found = self.transact(CMD_FIND)
            if found.sw3 == SW_FOUND:
                self.lift.card_found()
                sel = self.transact(CMD_SELECT)
                if sel.sw3 == SW_OK:
                    card = self._read_base()
                    self.lift.read_done()
                    return card
                if sel.sw3 not in _NO_CARD:
                    raise DeviceError(f"身份证选卡失败：{sel.status_text()}，请重新放卡", detail=f"select SW3={sel.sw3:02X}")
            elif found.sw3 not in _NO_CARD:
                raise DeviceError(f"身份证读卡器错误：{found.status_text()}", detail=f"find SW3={found.sw3:02X}")
            else:
                self.lift.no_card()
            if time.monotonic() + self.poll_s > deadline:
                raise TimeoutError("no card on the reader")
            time.sleep(self.poll_s)  # the SAM is polled: there is no event to wait on

    def _read_base(self) -> IdCardData:
        ans = self.transact(CMD_READ_BASE, timeout=self.read_timeout)
        if ans.sw3 != SW_OK:
            raise DeviceError(f"读取身份证失败：{ans.status_text()}，请重新放卡", detail=f"read SW3={ans.sw3:02X}")
        text, photo = split_base_message(ans.data)
        if len(text) != TEXT_LEN:
            raise FrameError("身份证信息读取不完整，请重新放卡", detail=f"text {len(text)} bytes")
        if len(photo) != PHOTO_LEN:
            return parse_base_text(text)
        chip = decode_chip_photo(photo)
        return parse_base_text(text, chip.rgb, chip.source)

    def close(self) -> None:
        if self._serial is not None:
            try:
                self._serial.close()
            finally:
                self._serial = None

    def health(self) -> Health:
        state = DeviceState.OPEN if self._serial is not None else DeviceState.CLOSED
        return Health(state, counters={"retries": self.retries, "bad_frames": self._decoder.bad_frames})
