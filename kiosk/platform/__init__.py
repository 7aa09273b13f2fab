"""The kiosk's side of the central platform: API client, durable outbox, uploader, and the
protocol (request signing, models, receipt) it shares with the reference platform in
`refplatform/`."""
from __future__ import annotations

from kiosk.platform.client import PlatformClient, PlatformError
from kiosk.platform.outbox import SAVED_OFFLINE_MESSAGE, Outbox, OutboxError
from kiosk.platform.protocol import Receipt
from kiosk.platform.uploader import Uploader

__all__ = ["SAVED_OFFLINE_MESSAGE", "Outbox", "OutboxError", "PlatformClient", "PlatformError", "Receipt", "Uploader"]
