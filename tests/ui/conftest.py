"""Qt fixtures of the UI tests: settings in a temp state dir, a screenshot directory.

Screenshots go to $UI_SHOT_DIR when set (to keep and look at them), else to a temp dir.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import load_config


@pytest.fixture
def state(tmp_path):
    settings, paths = load_config(tmp_path / "state", None)
    return settings, paths


@pytest.fixture
def applicant_window(qtbot, state) -> Callable[[tuple[int, int]], Any]:
    """The applicant window (kiosk mode, styled, voice off) shown at a given size."""
    from ui import theme
    from ui.kiosk.applicant_window import ApplicantWindow
    from ui.session_bridge import QtSessionView
    from ui.voice import Voice

    def make(size: tuple[int, int]) -> Any:
        settings, _ = state
        w = ApplicantWindow(QtSessionView(), Voice(enabled=False), intake=True)
        w.setStyleSheet(theme.stylesheet(settings.ui.font_pt))
        w.resize(*size)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        return w

    return make


@pytest.fixture
def shots(tmp_path) -> Path:
    d = Path(os.environ.get("UI_SHOT_DIR") or tmp_path / "shots")
    d.mkdir(parents=True, exist_ok=True)
    return d


class Runner:
    """Calls the session port from a worker thread, as the real session runner does."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.results: list[Any] = []

    def call(self, fn: Callable[..., Any], *args: Any) -> threading.Thread:
        t = threading.Thread(target=lambda: self.results.append(fn(*args)), name="fake-runner", daemon=True)
        t.start()
        self.threads.append(t)
        return t

    def join(self) -> None:
        for t in self.threads:
            t.join(5)
            assert not t.is_alive(), "a session call stayed blocked"


@pytest.fixture
def worker_thread():
    r = Runner()
    yield r
    r.join()
