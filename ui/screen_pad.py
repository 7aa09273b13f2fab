"""The signing screen's 确认 / 重签 as buttons of the signature pad.

Many pads have no buttons (or buttons an elderly applicant does not find), so the screen
shows 确认 and 重签 beside the ink. `ScreenButtonsPad` wraps the context's pad and merges a
screen press into the pad's own stream as the same `PadEvent` the pad's button would give:
whoever reads the pad (the session's signing step, the technician's pad test) cannot tell
the two apart. A press ends the inner pad's stream through its `stop` event, then the event
is yielded; after 重签 the pad's ink is cleared and its stream starts again.
Nothing here is Qt: `press` is called from the GUI thread, `points` runs on the reader's.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator

from devices.base import Health, PadEvent, PenPoint, SignaturePad


class _Either:
    """A stop event that is set when either of two events is (what a pad's loop checks)."""

    def __init__(self, a: threading.Event, b: threading.Event) -> None:
        self.a, self.b = a, b

    def is_set(self) -> bool:
        return self.a.is_set() or self.b.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        step = 0.05
        left = timeout
        while not self.is_set():
            if left is not None and left <= 0:
                return False
            self.b.wait(step if left is None else min(step, left))
            if left is not None:
                left -= step
        return True

    def set(self) -> None:
        self.b.set()


class ScreenButtonsPad(SignaturePad):
    def __init__(self, inner: SignaturePad) -> None:
        self.inner = inner
        self.info = inner.info
        self.width_mm = inner.width_mm
        self.height_mm = inner.height_mm
        self._lock = threading.Lock()
        self._pressed: PadEvent | None = None
        self._inner_stop: threading.Event | None = None

    @property
    def signing(self) -> bool:
        """A reader is taking ink now (the screen's buttons mean something)."""
        with self._lock:
            return self._inner_stop is not None

    def press(self, event: PadEvent) -> bool:
        """The screen's button: False when nobody is reading the pad now."""
        with self._lock:
            if self._inner_stop is None:
                return False
            self._pressed = event
            self._inner_stop.set()
            return True

    def open(self) -> None:
        self.inner.open()

    def points(self, stop: threading.Event) -> Iterator[PenPoint | PadEvent]:
        try:
            while not stop.is_set():
                inner_stop = threading.Event()
                with self._lock:
                    self._pressed, self._inner_stop = None, inner_stop
                for item in self.inner.points(_Either(stop, inner_stop)):  # type: ignore[arg-type]
                    yield item
                    if item is PadEvent.CONFIRM or item is PadEvent.CANCEL:
                        return
                with self._lock:
                    pressed = self._pressed
                if pressed is None:
                    return  # the pad ended the stream itself, or `stop`
                if pressed is PadEvent.CLEAR:
                    self.inner.clear()
                    yield PadEvent.CLEAR
                    continue
                yield pressed
                return
        finally:
            with self._lock:
                self._inner_stop = None

    def show_image(self, rgb: object) -> None:
        self.inner.show_image(rgb)  # type: ignore[arg-type]

    def clear(self) -> None:
        self.inner.clear()

    def close(self) -> None:
        self.inner.close()

    def health(self) -> Health:
        return self.inner.health()

    def __getattr__(self, name: str) -> object:
        # simulator controls (set_strokes, …) and driver extras stay reachable
        return getattr(self.inner, name)
