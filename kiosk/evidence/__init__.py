"""The evidence package: builder, manifest (SHA-256 + SM3, ECDSA + SM2), report, audit chain, verify."""
from kiosk.evidence.package import PackageBuilder, PartyEvidence, SignatureEvidence
from kiosk.evidence.report import build_report_pdf
from kiosk.evidence.verify import verify_package

__all__ = ["PackageBuilder", "PartyEvidence", "SignatureEvidence", "build_report_pdf", "verify_package"]
