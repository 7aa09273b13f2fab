"""What each party did, as the applicant window saw it in the flow's audit events.

Kept apart from the review page so that the window can gather it without loading the page (and
its document reader) before its first paint."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PartyRecordOnScreen:
    """What one party did, as the screen saw it."""

    label: str = ""
    results: dict[str, tuple[str, str]] = field(default_factory=dict)  # step -> (outcome, staff)
