"""After a successful read a reader will not find the same card again until it is lifted.

SAM modules (and the SDT / termb libraries above them) answer "no card" to find-card for a
card that was just read and is still lying on the reader: "身份证成功读取后必须移出机具读取感应区
或者取出插卡，否则下次连接硬件执行找卡会出现找卡失败情况" (waitingsong/node-idcard-reader
README.md). Without this the applicant would wait for a time-out with the card in place.
"""
from __future__ import annotations

import time

from devices.base import DeviceError

LIFT_MESSAGE = "请把身份证从读卡区拿起，再重新平放到读卡区"


class CardNotLifted(DeviceError):
    """No card found since the last successful read: most likely the same card, still in place."""


class LiftGuard:
    def __init__(self, hint_after_s: float = 3.0) -> None:
        self.hint_after_s = hint_after_s
        self._after_read = False
        self._since: float | None = None

    def start(self) -> None:
        """A new read_card() call begins."""
        self._since = time.monotonic()

    def read_done(self) -> None:
        self._after_read = True

    def card_found(self) -> None:
        self._after_read = False

    def no_card(self) -> None:
        """Raise CardNotLifted once the card has not been found for `hint_after_s` after a read."""
        if not self._after_read or self._since is None:
            return
        waited = time.monotonic() - self._since
        if waited >= self.hint_after_s:
            self._since = time.monotonic()
            raise CardNotLifted(LIFT_MESSAGE, detail=f"no card found for {waited:.1f}s after the previous read")
