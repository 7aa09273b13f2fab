"""An ID-card reader that "reads" a given card after a delay.

The demo and the headless session use it with a made-up card; tests use `remove()` and
`insert()` to play an applicant who has not put the card down yet.
"""
from __future__ import annotations

import threading

from devices.base import (
    DeviceDisconnected,
    DeviceError,
    DeviceInfo,
    DeviceState,
    Health,
    IdCardData,
    IdCardReader,
)
from devices.texts import QT_TRANSLATE_NOOP


def demo_card() -> IdCardData:
    """The made-up card of the demo, the technician's reader test and the tests (valid check digit)."""
    from stdnum.cn import ric

    first17 = "41110219800101123"
    return IdCardData(name="张三", sex="男", nation="汉", birth="19800101",
                      address="河南省漯河市源汇区人民路1号", id_number=first17 + ric.calc_check_digit(first17 + "0"),
                      issuer="漯河市公安局源汇分局", valid_from="20200101", valid_to="20400101")


class SimulatedIdCardReader(IdCardReader):
    def __init__(self, card: IdCardData | None, delay_s: float = 0.0, *, name: str = QT_TRANSLATE_NOOP("kiosk", "模拟身份证读卡器")) -> None:
        self.delay_s = delay_s
        self.info = DeviceInfo(kind="idcard", name=name, adapter="sim", simulated=True)
        self._card = card
        self._cond = threading.Condition()
        self._open = False
        self._plugged = True
        self.reads = 0

    def insert(self, card: IdCardData) -> None:
        """Put a card on the reader (wakes a waiting `read_card`)."""
        with self._cond:
            self._card = card
            self._cond.notify_all()

    def remove(self) -> None:
        with self._cond:
            self._card = None

    def disconnect(self) -> None:
        with self._cond:
            self._plugged = False
            self._cond.notify_all()

    def reconnect(self) -> None:
        with self._cond:
            self._plugged = True

    def open(self) -> None:
        if not self._plugged:
            raise DeviceDisconnected(QT_TRANSLATE_NOOP("kiosk", "身份证读卡器未连接，请检查连接线"), detail="simulated unplug")
        self._open = True

    def read_card(self, timeout: float = 10.0) -> IdCardData:
        if not self._open:
            raise DeviceError(QT_TRANSLATE_NOOP("kiosk", "身份证读卡器未打开"), detail="read_card() before open()")
        with self._cond:
            if not self._cond.wait_for(lambda: self._card is not None or not self._plugged, timeout):
                raise TimeoutError("no card on the reader")
        if self.delay_s > 0:
            if self.delay_s > timeout:
                with self._cond:
                    self._cond.wait_for(lambda: not self._plugged, timeout)
                raise TimeoutError("card read slower than timeout")
            with self._cond:
                self._cond.wait_for(lambda: not self._plugged, self.delay_s)
        with self._cond:
            if not self._plugged:
                raise DeviceDisconnected(QT_TRANSLATE_NOOP("kiosk", "身份证读卡器已断开，请检查连接线"), detail="simulated unplug")
            card = self._card
        if card is None:
            raise TimeoutError("card removed during read")
        self.reads += 1
        return card

    def close(self) -> None:
        self._open = False

    def health(self) -> Health:
        if not self._plugged:
            return Health(DeviceState.DISCONNECTED, QT_TRANSLATE_NOOP("kiosk", "身份证读卡器已断开，请检查连接线"), QT_TRANSLATE_NOOP("kiosk", "重新插好读卡器USB线"))
        return Health(DeviceState.OPEN if self._open else DeviceState.CLOSED, counters={"reads": self.reads})
