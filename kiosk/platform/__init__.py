"""The kiosk's side of the central platform: API client, durable outbox, uploader, and the
reference platform that implements `docs/platform-openapi.yaml` for the demo and the tests."""
from __future__ import annotations

from kiosk.platform.client import PlatformClient, PlatformError
from kiosk.platform.outbox import SAVED_OFFLINE_MESSAGE, Outbox, OutboxError
from kiosk.platform.protocol import Receipt
from kiosk.platform.server import Fault, ReferencePlatform
from kiosk.platform.uploader import Uploader

__all__ = ["SAVED_OFFLINE_MESSAGE", "Fault", "Outbox", "OutboxError", "PlatformClient", "PlatformError", "Receipt",
           "ReferencePlatform", "Uploader"]
