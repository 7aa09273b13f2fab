"""The evidence package: builder, manifest (SHA-256 + SM3, ECDSA + SM2), report, audit chain, verify.

The names below load on first use (PEP 562): `kiosk.evidence.audit`, which the start-up path
needs, must not pull in the PDF, imaging and crypto stacks before the kiosk's first paint.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.evidence.package import PackageBuilder, PartyEvidence, SignatureEvidence
    from kiosk.evidence.report import build_report_pdf
    from kiosk.evidence.verify import verify_package

_WHERE = {"PackageBuilder": "package", "PartyEvidence": "package", "SignatureEvidence": "package",
          "build_report_pdf": "report", "verify_package": "verify"}

__all__ = ["PackageBuilder", "PartyEvidence", "SignatureEvidence", "build_report_pdf", "verify_package"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
