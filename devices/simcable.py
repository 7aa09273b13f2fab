"""The cable of a simulated streaming device (camera, microphone): pulled and plugged back from
a test or the technician console, seen by the device's owner as a real unplug would be."""
from __future__ import annotations

import threading


class SimulatedCable:
    """Mixed into a simulator that sets `_lock`, `_wake`, `_plugged = True` and `_disconnects = 0`
    in its constructor; its `open`/`read` raise `DeviceDisconnected` while `plugged` is False."""

    _lock: threading.Lock
    _wake: threading.Event
    _plugged: bool
    _disconnects: int

    def disconnect(self) -> None:
        """Pull the cable: reads fail (a paced wait is cut short) until `reconnect()`."""
        with self._lock:
            self._plugged = False
            self._disconnects += 1
        self._wake.set()

    def reconnect(self) -> None:
        """Plug the cable back in; the owner must `open()` again, as with real hardware."""
        with self._lock:
            self._plugged = True

    @property
    def plugged(self) -> bool:
        return self._plugged
