"""Long-term validation of what the platform stores, and the routes of the TSA and the CA.

When the platform accepts a package it keeps, beside the package as uploaded (whose manifest
signatures cover every byte and so must not change), a copy of every signed PDF extended to
PAdES B-LT: the certificates of the device and of the TSA and a fresh CRL of the platform CA
are added to the document security store (DSS) in an incremental update. The copy then
validates offline, with revocation checking on and without the platform, for as long as the
algorithms hold (a document timestamp, B-LTA, is the next step: docs/evidence-format.md).

Copies live in `DATA/longterm/<package_id>/<path>`; `extend_package` returns their levels.
"""
from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from refplatform.store import private_dir, write_private

if TYPE_CHECKING:
    from fastapi import FastAPI
    from pyhanko_certvalidator import ValidationContext

    from refplatform.server import ReferencePlatform

log = logging.getLogger(__name__)


def validation_context(pf: ReferencePlatform) -> ValidationContext:
    """pyHanko validation context: the platform CA as the only root, the current CRL preloaded,
    revocation required, nothing fetched over the network."""
    from asn1crypto import crl as asn1_crl
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko_certvalidator import ValidationContext

    from refplatform.revocation import crl_der
    from refplatform.tsa import timestamp_authority

    root = asn1_x509.Certificate.load(pf.ca_cert.public_bytes(serialization.Encoding.DER))
    tsa = asn1_x509.Certificate.load(timestamp_authority(pf).cert.public_bytes(serialization.Encoding.DER))
    return ValidationContext(trust_roots=[root], other_certs=[tsa], crls=[asn1_crl.CertificateList.load(crl_der(pf))],
                             allow_fetching=False, revocation_mode="hard-fail")


def extend_pdf(pf: ReferencePlatform, data: bytes) -> bytes:
    """`data` with revocation data for every signature's chain (and its timestamp's) in the DSS."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import add_validation_info

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    out = data
    for sig in reader.embedded_signatures:
        if sig.sig_object.get("/Type") == "/DocTimeStamp":
            continue
        current = PdfFileReader(io.BytesIO(out), strict=False)
        target = next(s for s in current.embedded_signatures if s.field_name == sig.field_name)
        buf = add_validation_info(target, validation_context(pf), output=io.BytesIO())
        out = buf.getvalue()
    return out


def extend_package(pf: ReferencePlatform, package_dir: Path) -> dict[str, str]:
    """Write the B-LT copies of a stored package's PDFs; path → level ("PAdES-B-LT", or the
    reason it could not be extended, e.g. a B-B document without a timestamp stays B-B)."""
    from kiosk.evidence.verify import pdf_level

    dest = private_dir(pf.data_dir / "longterm" / package_dir.name)
    levels: dict[str, str] = {}
    for pdf in sorted(package_dir.rglob("*.pdf")):
        rel = pdf.relative_to(package_dir).as_posix()
        try:
            extended = extend_pdf(pf, pdf.read_bytes())
        except Exception as exc:  # noqa: BLE001 - the package is stored anyway; the copy is best effort
            log.warning("package %s: %s not extended to B-LT: %s: %s", package_dir.name, rel, type(exc).__name__, exc)
            levels[rel] = f"not extended: {type(exc).__name__}"
            continue
        target = dest / rel
        private_dir(target.parent)
        write_private(target, extended)
        levels[rel] = pdf_level(extended) or "unsigned"
    return levels


def add_routes(app: FastAPI) -> None:
    """`POST /v1/tsa` (RFC 3161), `GET /v1/ca/crl`, `POST /v1/ca/ocsp`, `GET /v1/ca/cert`: public,
    unauthenticated, like any CA's; kept out of the kiosk API's OpenAPI document."""
    from starlette.concurrency import run_in_threadpool

    from refplatform.revocation import (
        CA_CERT_PATH,
        CRL_PATH,
        MAX_OCSP_REQUEST,
        OCSP_PATH,
        crl_der,
        ocsp_answer,
    )
    from refplatform.tsa import MAX_REQUEST, TSA_PATH, timestamp_authority

    def pf_of(request: Request) -> ReferencePlatform:
        return request.app.state.pf  # type: ignore[no-any-return]

    async def body(request: Request, limit: int) -> bytes | None:
        n = request.headers.get("content-length", "")
        if not n.isdigit() or int(n) > limit:
            return None
        return await request.body()

    async def tsa(request: Request) -> Response:
        data = await body(request, MAX_REQUEST)
        if data is None:
            return Response(b"", status_code=413)
        authority = await run_in_threadpool(timestamp_authority, pf_of(request))
        return Response(await run_in_threadpool(authority.answer, data), media_type="application/timestamp-reply")

    async def ocsp(request: Request) -> Response:
        data = await body(request, MAX_OCSP_REQUEST)
        if data is None:
            return Response(b"", status_code=413)
        return Response(await run_in_threadpool(ocsp_answer, pf_of(request), data),
                        media_type="application/ocsp-response")

    async def crl(request: Request) -> Response:
        return Response(await run_in_threadpool(crl_der, pf_of(request)), media_type="application/pkix-crl")

    async def ca_cert(request: Request) -> Response:
        from cryptography.hazmat.primitives import serialization

        return Response(pf_of(request).ca_cert.public_bytes(serialization.Encoding.DER),
                        media_type="application/pkix-cert")

    app.add_api_route(TSA_PATH, tsa, methods=["POST"], include_in_schema=False)
    app.add_api_route(OCSP_PATH, ocsp, methods=["POST"], include_in_schema=False)
    app.add_api_route(CRL_PATH, crl, methods=["GET"], include_in_schema=False)
    app.add_api_route(CA_CERT_PATH, ca_cert, methods=["GET"], include_in_schema=False)
