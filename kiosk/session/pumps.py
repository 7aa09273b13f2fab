"""Frame pumps: a thread that hands every frame a ring consumer gets to one sink (the
recorder, the presence monitor), so a slow sink drops frames only for itself."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from devices.base import Frame


class FramePump:
    def __init__(self, consumer: Any, sink: Callable[[Frame], object], name: str, timeout: float) -> None:
        self.consumer = consumer
        self._sink = sink
        self._timeout = timeout
        self._running = threading.Event()
        self._running.set()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while self._running.is_set():
            frame = self.consumer.get(timeout=self._timeout)
            if frame is not None:
                self._sink(frame)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop handing frames on and close the consumer (its `dropped` count stays readable)."""
        self._running.clear()
        self._thread.join(timeout=timeout)
        self.consumer.close()
