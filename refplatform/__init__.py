"""The reference central platform: the server side of `docs/platform-openapi.yaml`, on FastAPI
served by uvicorn, with SQLite and plain files.

It serves the demo (`--demo`) and the integration tests, and it is what an integrator reads to
build the real server. It imports `kiosk.platform.protocol` (the shared models and request
signing) and `kiosk.evidence` (to verify packages); nothing in `kiosk`, `devices` or `ui`
imports it: `main.py` wires it in where a demo needs it.
"""
from __future__ import annotations

from refplatform.server import Fault, ReferencePlatform, embedded

__all__ = ["Fault", "ReferencePlatform", "embedded"]
