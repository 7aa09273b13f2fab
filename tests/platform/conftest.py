"""Fixtures of the platform room: a real reference platform on loopback and an enrolled kiosk."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from platform_fixtures import Kiosk, make_kiosk

from refplatform import ReferencePlatform


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[ReferencePlatform]:
    srv = ReferencePlatform(tmp_path / "platform-data", host="127.0.0.1", demo=True)
    srv.start()
    yield srv
    srv.close()


@pytest.fixture
def kiosk(tmp_path: Path, platform: ReferencePlatform) -> Iterator[Kiosk]:
    k = make_kiosk(tmp_path / "state", platform.url)
    yield k
    k.close()
