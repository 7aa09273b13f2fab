"""Suite-wide gates: offscreen Qt, no leftover threads, no unexpected WARNING logs."""
from __future__ import annotations

import logging
import os
import threading
import time

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("BDC_TESTING", "1")


def _alive_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.is_alive() and not t.daemon}


@pytest.fixture(autouse=True)
def _no_leftover_threads(request: pytest.FixtureRequest):
    """Fail a test that leaves non-daemon threads running (a device loop, an uploader…)."""
    before = _alive_threads()
    yield
    deadline = time.monotonic() + 5.0
    leftover = _alive_threads() - before
    while leftover and time.monotonic() < deadline:
        for t in leftover:
            t.join(timeout=0.1)
        leftover = {t for t in leftover if t.is_alive()}
    if leftover:
        pytest.fail(f"test left threads running: {sorted(t.name for t in leftover)}")


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def _unexpected_warning_logs(request: pytest.FixtureRequest):
    """A test that logs WARNING or worse fails unless it is marked `allow_log_warnings`
    (or asserts on the records through the `caplog` fixture)."""
    collector = _WarningCollector()
    root = logging.getLogger()
    root.addHandler(collector)
    yield
    root.removeHandler(collector)
    if request.node.get_closest_marker("allow_log_warnings") or "caplog" in request.fixturenames:
        return
    ours = [r for r in collector.records if r.name.split(".")[0] in ("kiosk", "devices", "ui")]
    if ours:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in ours[:5])
        pytest.fail(f"unexpected warning logs:\n{lines}")
