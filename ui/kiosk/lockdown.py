"""Kiosk lockdown inside the app: no way out by keyboard, a hidden way in for technicians.

What the app can do it does here: a frameless full-screen window that refuses to close, and
an application-wide filter that swallows Esc, Alt+F4, Alt+Tab, Ctrl+W/Q, F11 and the Windows
keys before any widget sees them. What only the system can do (Ctrl+Alt+Del, a window
manager's own bindings) belongs to the kiosk's session setup, described in the deployment
manual. The technician's entry is five taps in the top-left corner within three seconds,
then the PIN.
"""
from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QWidget

_BLOCKED_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_F11, Qt.Key.Key_Meta, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R,
                 Qt.Key.Key_Menu}
_ALT_KEYS = {Qt.Key.Key_F4, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Escape, Qt.Key.Key_Space}
_CTRL_KEYS = {Qt.Key.Key_W, Qt.Key.Key_Q, Qt.Key.Key_Escape, Qt.Key.Key_Tab}


def is_escape_key(event: QKeyEvent) -> bool:
    key = Qt.Key(event.key())
    mods = event.modifiers()
    if key in _BLOCKED_KEYS:
        return True
    if mods & Qt.KeyboardModifier.AltModifier and key in _ALT_KEYS:
        return True
    return bool(mods & Qt.KeyboardModifier.ControlModifier and key in _CTRL_KEYS)


class KeyLock(QObject):
    """Application event filter that eats the keys that would leave or close the kiosk.

    Signals: blocked(int key) for each key it swallowed (the log and the tests)."""

    blocked = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if self.enabled and event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride,
                                             QEvent.Type.KeyRelease):
            assert isinstance(event, QKeyEvent)
            if is_escape_key(event):
                if event.type() == QEvent.Type.KeyPress:
                    self.blocked.emit(int(event.key()))
                event.accept()
                return True
        return False


class CornerTaps(QObject):
    """Counts taps in a corner of a widget; `unlocked` after `taps` of them within `window_s`.

    Installed on the applicant window, it sees presses before the pages do; presses outside the
    corner reset the count so that a normal applicant never gets near it."""

    unlocked = Signal()

    def __init__(self, size_px: int = 90, taps: int = 5, window_s: float = 3.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.size_px, self.taps, self.window_s = size_px, taps, window_s
        self._times: list[float] = []
        self._last_press: tuple[int, int, int] | None = None

    def tap(self, pos: QPoint) -> None:
        now = time.monotonic()
        if pos.x() > self.size_px or pos.y() > self.size_px:
            self._times.clear()
            return
        self._times = [t for t in self._times if now - t <= self.window_s] + [now]
        if len(self._times) >= self.taps:
            self._times.clear()
            self.unlocked.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # On a real display the press reaches the top-level QWindow before the widget under the
        # finger: only widgets count (a QWindow press must not mark the press as seen, or the
        # widget's copy of it would be dropped as a duplicate and no tap would ever count).
        # Quick taps arrive as press, double-click, press, double-click…: both count.
        if (event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)
                and isinstance(event, QMouseEvent) and isinstance(watched, QWidget)):
            gp = event.globalPosition().toPoint()
            key = (int(event.timestamp()), gp.x(), gp.y())
            if key == self._last_press:
                return False  # the same press propagating to a parent widget
            self._last_press = key
            self.tap(watched.window().mapFromGlobal(gp))
        return False


class ActivityWatch(QObject):
    """Application event filter: any touch, click or key counts as the person being there.

    Signals: activity()."""

    activity = Signal()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress,
                            QEvent.Type.TabletPress):
            self.activity.emit()
        return False


class KioskInput(QObject):
    """The kiosk's one application-wide event filter, in front of `KeyLock`, `CornerTaps` and
    `ActivityWatch`.

    Every Qt event of the process passes the application's filters, and a filter written in
    Python takes the GIL for each one. While the camera, recorder and presence threads run,
    each take can wait for a switch interval, and a page change is hundreds of events: with
    three filters that was three waits per event on the GUI thread. One filter, which returns
    at once for the event types none of them looks at, is one."""

    _WATCHED = frozenset({
        QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride,
        QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    })

    def __init__(self, key_lock: KeyLock | None, corner: CornerTaps, activity: ActivityWatch,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key_lock, self.corner, self.activity = key_lock, corner, activity

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() not in self._WATCHED:
            return False
        self.activity.eventFilter(watched, event)
        self.corner.eventFilter(watched, event)
        return self.key_lock is not None and self.key_lock.eventFilter(watched, event)
