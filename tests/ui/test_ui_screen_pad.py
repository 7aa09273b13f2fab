"""The signing screen's 确认 / 重签 reach the session as the pad's own button events."""
from __future__ import annotations

import threading

from devices.base import PadEvent, PenPoint
from devices.signpad.sim import SimulatedSignaturePad, synth_signature
from ui.screen_pad import ScreenButtonsPad


def _read(pad: ScreenButtonsPad, seen: list, first_ink: threading.Event, after_clear: threading.Event) -> None:
    pad.open()
    for item in pad.points(threading.Event()):
        seen.append(item)
        if isinstance(item, PenPoint):
            (after_clear if PadEvent.CLEAR in seen else first_ink).set()


def test_screen_clear_restarts_the_ink_and_confirm_ends_it():
    inner = SimulatedSignaturePad(synth_signature("李静", 1) * 3, realtime=True)
    pad = ScreenButtonsPad(inner)
    assert not pad.press(PadEvent.CONFIRM), "nobody reads the pad yet"
    seen: list = []
    first_ink, after_clear = threading.Event(), threading.Event()
    reader = threading.Thread(target=_read, args=(pad, seen, first_ink, after_clear), daemon=True)
    reader.start()
    assert first_ink.wait(10)
    assert pad.signing and pad.press(PadEvent.CLEAR)
    assert after_clear.wait(10), "the pad's stream starts again after 重签"
    assert inner.clears == 1 and inner.signings == 2
    assert pad.press(PadEvent.CONFIRM)
    reader.join(10)
    assert not reader.is_alive()
    assert seen[-1] is PadEvent.CONFIRM and seen.count(PadEvent.CLEAR) == 1
    assert not pad.signing and not pad.press(PadEvent.CONFIRM)


def test_the_pads_own_confirm_still_ends_the_signature():
    pad = ScreenButtonsPad(SimulatedSignaturePad(synth_signature("王秀兰", 2)))
    items = list(pad.points(threading.Event()))
    assert items[-1] is PadEvent.CONFIRM and sum(isinstance(i, PenPoint) for i in items) > 50
    assert pad.info.adapter == "sim" and pad.set_strokes is not None
