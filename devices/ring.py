"""A ring of the newest frames with one producer and many independent consumers.

The camera's owning thread writes every frame once; the preview, the analysis and the
recorder each read at their own pace through their own cursor. A consumer that falls behind
loses frames for itself only and counts them, so a slow face detector can never stall the
recorder or the preview (docs/architecture.md, "Threads").
"""
from __future__ import annotations

import threading
from typing import Generic, TypeVar

T = TypeVar("T")


class RingConsumer(Generic[T]):
    """One reader's cursor into a `FrameRing`.

    A normal consumer gets the newest unseen item and counts the ones it skipped; a
    `lossless` consumer (the recorder) gets every item in order while it keeps within
    `capacity` of the producer, and counts what was overwritten before it read it.
    """

    def __init__(self, ring: FrameRing[T], name: str, lossless: bool) -> None:
        self._ring = ring
        self.name = name
        self.lossless = lossless
        self.dropped = 0
        self.received = 0
        self._cursor = ring._written  # index of the next item this consumer has not seen
        self.closed = False

    def get(self, timeout: float | None = None) -> T | None:
        """The next item for this consumer; None on timeout or when the ring/consumer closed."""
        ring = self._ring
        with ring._cond:
            if not ring._cond.wait_for(
                lambda: ring._written > self._cursor or ring.closed or self.closed, timeout
            ):
                return None
            if ring._written <= self._cursor:
                return None  # closed with nothing new
            written = ring._written
            if self.lossless:
                oldest = written - ring.capacity
                if self._cursor < oldest:
                    self.dropped += oldest - self._cursor
                    self._cursor = oldest
                index = self._cursor
            else:
                index = written - 1
                self.dropped += index - self._cursor
            self._cursor = index + 1
            self.received += 1
            return ring._slots[index % ring.capacity]

    @property
    def pending(self) -> int:
        """Items written that this consumer has not yet read (may exceed what is kept)."""
        with self._ring._cond:
            return self._ring._written - self._cursor

    @property
    def ring_closed(self) -> bool:
        """The producer is gone for good (its owner stopped)."""
        return self._ring.closed

    def close(self) -> None:
        """Stop reading: wakes a blocked `get` and unregisters from the ring."""
        with self._ring._cond:
            self.closed = True
            self._ring._consumers.pop(self.name, None)
            self._ring._cond.notify_all()


class FrameRing(Generic[T]):
    """Fixed-capacity ring: `put` never blocks, each consumer has its own cursor."""

    def __init__(self, capacity: int = 8) -> None:
        if capacity < 1:
            raise ValueError("capacity must be >= 1")
        self.capacity = capacity
        self._slots: list[T | None] = [None] * capacity  # type: ignore[list-item]
        self._written = 0
        self._cond = threading.Condition()
        self._consumers: dict[str, RingConsumer[T]] = {}
        self.closed = False

    def put(self, item: T) -> None:
        with self._cond:
            self._slots[self._written % self.capacity] = item
            self._written += 1
            self._cond.notify_all()

    @property
    def written(self) -> int:
        with self._cond:
            return self._written

    def consumer(self, name: str, *, lossless: bool = False) -> RingConsumer[T]:
        """A new cursor starting at the next item written; the name is unique per ring."""
        with self._cond:
            if name in self._consumers:
                raise ValueError(f"consumer {name!r} already exists")
            c: RingConsumer[T] = RingConsumer(self, name, lossless)
            self._consumers[name] = c
            return c

    def consumers(self) -> dict[str, RingConsumer[T]]:
        with self._cond:
            return dict(self._consumers)

    def stats(self) -> dict[str, dict[str, int]]:
        """Per consumer: received and dropped counts (for health and the evidence)."""
        with self._cond:
            return {n: {"received": c.received, "dropped": c.dropped} for n, c in self._consumers.items()}

    def close(self) -> None:
        """The producer is gone: every blocked `get` returns None."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()
