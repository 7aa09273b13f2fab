"""The serial frame protocol of 二代身份证 SAM modules (readers on a serial / USB-serial port).

Command frame:  AA AA AA 96 69 | LEN (2, big-endian) | CMD PARA | data | CHK
Answer frame:   AA AA AA 96 69 | LEN (2, big-endian) | SW1 SW2 SW3 | data | CHK
LEN counts everything after itself, checksum included; CHK is the XOR of the LEN bytes and
everything after them up to the checksum. SW3 is the status: 90 success, 9F card found,
others are failures (table below). Find card is `20 01`, select card `20 02`, read base
message `30 01`, whose data is text length (2) | photo length (2) | text | photo (WLT).

`FrameDecoder` takes bytes as they arrive, skips garbage before a preamble, and reports bad
checksums and impossible lengths without losing the frames that follow.
"""
from __future__ import annotations

from dataclasses import dataclass

from devices.base import DeviceError

PREAMBLE = b"\xAA\xAA\xAA\x96\x69"
MAX_LEN = 0x0A00  # the longest answer (base message with fingerprint) is ~2.3 KB

CMD_FIND = (0x20, 0x01)
CMD_SELECT = (0x20, 0x02)
CMD_READ_BASE = (0x30, 0x01)
CMD_READ_BASE_FP = (0x30, 0x10)
CMD_RESET = (0x10, 0xFF)
CMD_SAM_STATUS = (0x11, 0xFF)
CMD_SAM_ID = (0x12, 0xFF)

SW_OK = 0x90
SW_FOUND = 0x9F

STATUS_TEXT = {
    0x90: "操作成功",
    0x9F: "找到身份证",
    0x10: "读卡器收到的数据校验和错误",
    0x11: "读卡器收到的数据长度错误",
    0x21: "读卡器收到的命令错误",
    0x23: "越权操作",
    0x24: "无法识别的错误",
    0x31: "身份证认证读卡器失败",
    0x32: "读卡器认证身份证失败",
    0x33: "信息验证错误",
    0x40: "无法识别的卡类型",
    0x41: "读卡操作失败",
    0x47: "取随机数失败",
    0x60: "安全模块自检失败",
    0x66: "安全模块未经授权",
    0x80: "未找到身份证",
    0x81: "选卡失败",
    0x91: "身份证中此项无内容",
}


class FrameError(DeviceError):
    """A frame that cannot be trusted (checksum, length); the reader asks again."""


def xor(data: bytes) -> int:
    out = 0
    for b in data:
        out ^= b
    return out


def build_command(cmd: int, para: int, data: bytes = b"") -> bytes:
    body = bytes([cmd, para]) + data
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([xor(length + body)])


def build_answer(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    """An answer frame as the SAM sends it (for the emulator and the tests)."""
    body = bytes([sw1, sw2, sw3]) + data
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([xor(length + body)])


@dataclass(frozen=True)
class Answer:
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @property
    def ok(self) -> bool:
        return self.sw3 in (SW_OK, SW_FOUND)

    def status_text(self) -> str:
        return STATUS_TEXT.get(self.sw3, f"未知状态 {self.sw3:02X}")


@dataclass(frozen=True)
class Command:
    cmd: int
    para: int
    data: bytes


class FrameDecoder:
    """Incremental decoder: `feed(bytes)` → complete frames, errors counted and reported."""

    def __init__(self, *, answers: bool = True) -> None:
        self._buf = bytearray()
        self._answers = answers  # answers carry SW1..SW3; commands carry CMD PARA
        self.garbage_bytes = 0
        self.bad_frames = 0

    @property
    def buffered(self) -> int:
        return len(self._buf)

    def feed(self, data: bytes) -> list[Answer | Command | FrameError]:
        self._buf.extend(data)
        out: list[Answer | Command | FrameError] = []
        while True:
            start = self._buf.find(PREAMBLE)
            if start < 0:
                # keep a tail that may be the start of a preamble split across reads
                keep = next((k for k in range(min(4, len(self._buf)), 0, -1)
                             if PREAMBLE.startswith(bytes(self._buf[-k:]))), 0)
                self.garbage_bytes += len(self._buf) - keep
                del self._buf[:len(self._buf) - keep]
                return out
            if start:
                self.garbage_bytes += start
                del self._buf[:start]
            if len(self._buf) < 7:
                return out
            length = int.from_bytes(self._buf[5:7], "big")
            minimum = 4 if self._answers else 3  # SW1-3 or CMD PARA, then the checksum
            if length < minimum or length > MAX_LEN:
                self.bad_frames += 1
                out.append(FrameError("读卡器通信数据错误，正在重试", detail=f"impossible frame length {length}"))
                del self._buf[:5]  # resync on the next preamble
                continue
            total = 7 + length
            if len(self._buf) < total:
                return out
            frame = bytes(self._buf[:total])
            del self._buf[:total]
            if xor(frame[5:-1]) != frame[-1]:
                self.bad_frames += 1
                out.append(FrameError("读卡器通信数据错误，正在重试",
                                      detail=f"checksum {frame[-1]:02X} != {xor(frame[5:-1]):02X}"))
                continue
            body = frame[7:-1]
            if self._answers:
                if len(body) < 3:
                    self.bad_frames += 1
                    out.append(FrameError("读卡器通信数据错误，正在重试", detail="answer without status bytes"))
                    continue
                out.append(Answer(body[0], body[1], body[2], bytes(body[3:])))
            else:
                if len(body) < 2:
                    self.bad_frames += 1
                    out.append(FrameError("读卡器通信数据错误，正在重试", detail="command without cmd/para"))
                    continue
                out.append(Command(body[0], body[1], bytes(body[2:])))


def split_base_message(data: bytes) -> tuple[bytes, bytes]:
    """(text, photo) from the data of a `30 01` answer; raises on inconsistent lengths."""
    if len(data) < 4:
        raise FrameError("身份证信息读取不完整，请重新放卡", detail=f"base message data {len(data)} bytes")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if 4 + text_len + photo_len > len(data):
        raise FrameError("身份证信息读取不完整，请重新放卡",
                         detail=f"lengths text={text_len} photo={photo_len} exceed data {len(data) - 4}")
    text = data[4:4 + text_len]
    photo = data[4 + text_len:4 + text_len + photo_len]
    return text, photo
