"""Revocation for the device CA: a CRL (`GET /v1/ca/crl`), an OCSP responder (`POST /v1/ca/ocsp`,
RFC 6960, signed by the CA itself) and the CA certificate (`GET /v1/ca/cert`, for AIA
caIssuers). Every certificate the platform issues names these in its CRL distribution point and
authority information access (`revocation_extensions`), so a validator finds them.

A certificate is revoked when the operator revokes its device (`ReferencePlatform.revoke_device`):
the first CRL or OCSP answer after that records the revocation time in `cert_revocations`, and
from then on every answer gives that same time. Certificates superseded by a re-enrolment are
not revoked: packages signed with them before stay valid.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID

from kiosk.platform.protocol import format_date, utc_now

if TYPE_CHECKING:
    from refplatform.server import ReferencePlatform

CRL_PATH, OCSP_PATH, CA_CERT_PATH = "/v1/ca/crl", "/v1/ca/ocsp", "/v1/ca/cert"
CRL_VALID = dt.timedelta(days=7)
OCSP_VALID = dt.timedelta(days=1)
MAX_OCSP_REQUEST = 4096
_SCHEMA = ("CREATE TABLE IF NOT EXISTS cert_revocations(serial TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, "
           "revoked_at TEXT NOT NULL)")


def revocation_extensions(base_url: str) -> list[x509.ExtensionType]:
    """CRL distribution point and AIA (OCSP, caIssuers) under `base_url`; none without one."""
    if not base_url:
        return []
    base = base_url.rstrip("/")
    return [
        x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(base + CRL_PATH)], relative_name=None, reasons=None,
            crl_issuer=None)]),
        x509.AuthorityInformationAccess([
            x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(base + OCSP_PATH)),
            x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS,
                                   x509.UniformResourceIdentifier(base + CA_CERT_PATH)),
        ]),
    ]


def revoked(pf: ReferencePlatform) -> dict[int, dt.datetime]:
    """Serial → revocation time of every revoked certificate the CA issued."""
    pf.store.execute(_SCHEMA)
    now = format_date(utc_now())
    for kiosk_id, der in pf.store.query("SELECT c.kiosk_id, c.cert_der FROM device_certs c JOIN devices d "
                                         "ON c.kiosk_id=d.kiosk_id WHERE d.revoked=1"):
        serial = x509.load_der_x509_certificate(bytes(der)).serial_number
        pf.store.execute("INSERT OR IGNORE INTO cert_revocations VALUES (?,?,?)", (str(serial), kiosk_id, now))
    return {int(s): dt.datetime.fromisoformat(str(t).replace("Z", "+00:00"))
            for s, t in pf.store.query("SELECT serial, revoked_at FROM cert_revocations")}


def _issued(pf: ReferencePlatform, serial: int) -> bool:
    """Whether this CA issued the certificate: a device's, or one of the platform's service keys."""
    for (der,) in pf.store.query("SELECT cert_der FROM device_certs"):
        if x509.load_der_x509_certificate(bytes(der)).serial_number == serial:
            return True
    for name in ("tsa", "receipt"):
        path = pf.data_dir / f"{name}_cert.pem"
        if path.exists() and x509.load_pem_x509_certificate(path.read_bytes()).serial_number == serial:
            return True
    return False


def crl(pf: ReferencePlatform, now: dt.datetime | None = None) -> x509.CertificateRevocationList:
    now = now or dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateRevocationListBuilder().issuer_name(pf.ca_cert.subject)
               .last_update(now - dt.timedelta(minutes=1)).next_update(now + CRL_VALID)
               .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(pf.ca_key.public_key()),
                              critical=False))
    for serial, at in sorted(revoked(pf).items()):
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(at).build())
    return builder.sign(pf.ca_key, hashes.SHA256())


def crl_der(pf: ReferencePlatform) -> bytes:
    return crl(pf).public_bytes(serialization.Encoding.DER)


def _ocsp_error(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(serialization.Encoding.DER)


def ocsp_answer(pf: ReferencePlatform, request_der: bytes, now: dt.datetime | None = None) -> bytes:
    """The DER OCSP response for a DER request about one certificate of this CA."""
    if len(request_der) > MAX_OCSP_REQUEST:
        return _ocsp_error(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    try:
        req = ocsp.load_der_ocsp_request(request_der)
        serial = req.serial_number
        key_hash, name_hash = req.issuer_key_hash, req.issuer_name_hash
        algorithm = req.hash_algorithm
    except (ValueError, NotImplementedError):  # also: more than one certificate per request
        return _ocsp_error(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    ca_key_hash = ocsp.OCSPRequestBuilder().add_certificate(pf.ca_cert, pf.ca_cert, algorithm).build().issuer_key_hash
    probe = ocsp.OCSPRequestBuilder().add_certificate(pf.ca_cert, pf.ca_cert, algorithm).build()
    if key_hash != ca_key_hash or name_hash != probe.issuer_name_hash or not _issued(pf, serial):
        return _ocsp_error(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    now = now or dt.datetime.now(dt.timezone.utc)
    at = revoked(pf).get(serial)
    status = ocsp.OCSPCertStatus.REVOKED if at is not None else ocsp.OCSPCertStatus.GOOD
    builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
        issuer_name_hash=name_hash, issuer_key_hash=key_hash, serial_number=serial, algorithm=algorithm,
        cert_status=status, this_update=now - dt.timedelta(minutes=1), next_update=now + OCSP_VALID,
        revocation_time=at, revocation_reason=None,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, pf.ca_cert)
    for ext in req.extensions:  # echo the nonce
        if isinstance(ext.value, x509.OCSPNonce):
            builder = builder.add_extension(ext.value, critical=False)
    return builder.sign(pf.ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
