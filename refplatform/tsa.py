"""The reference platform's RFC 3161 timestamp authority (`POST /v1/tsa`).

A kiosk signs documents and the report PAdES B-T: the signature value is sent here (hashed)
and the token returned is embedded, so the signing time is the platform's clock, not the
kiosk's. The answer is a `TimeStampResp` (RFC 3161 §2.4.2): the `TSTInfo` with the imprint,
a serial number, the time (UTC, accuracy 1 s), the request's nonce, signed as CMS SignedData
with ECDSA P-256 by the timestamp key (`service_keys`, extended key usage timeStamping,
certified by the platform CA), whose certificate is included when the request asks for it.
Unsupported hash algorithms and malformed requests are answered with a rejection status.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID

if TYPE_CHECKING:
    from refplatform.server import ReferencePlatform

TSA_PATH = "/v1/tsa"
# the TSA's policy (a UUID-based OID, 2.25 arc): tokens say under which policy they were issued
TSA_POLICY = "2.25.131766713432096214011813419478862219562"
_HASHES = {"sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}
_DIGEST_SIZES = {"sha256": 32, "sha384": 48, "sha512": 64}
MAX_REQUEST = 4096


@dataclass
class TimestampAuthority:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    chain: list[x509.Certificate]  # above the TSA certificate (the platform CA)

    def _asn1(self, c: x509.Certificate) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))

    def answer(self, request_der: bytes, now: dt.datetime | None = None) -> bytes:
        """The DER `TimeStampResp` for a DER `TimeStampReq`."""
        if len(request_der) > MAX_REQUEST:
            return _reject("bad_request", "request too large")
        try:
            req = tsp.TimeStampReq.load(request_der)
            imprint = req["message_imprint"]
            alg = imprint["hash_algorithm"]["algorithm"].native
            digest = imprint["hashed_message"].native
            _ = req["nonce"].native, req["cert_req"].native, req["req_policy"].native
        except (ValueError, TypeError, KeyError) as exc:
            return _reject("bad_data_format", f"malformed request: {exc}")
        if alg not in _HASHES:
            return _reject("bad_alg", f"hash algorithm {alg} not supported")
        if not isinstance(digest, bytes) or len(digest) != _DIGEST_SIZES[alg]:
            return _reject("bad_data_format", "imprint length does not match its algorithm")
        if req["req_policy"].native not in (None, TSA_POLICY):
            return _reject("unaccepted_policy", "only the platform policy is offered")
        if req["extensions"].native:
            return _reject("unaccepted_extensions", "no request extensions are supported")
        return self._grant(req, now or dt.datetime.now(dt.timezone.utc))

    def _grant(self, req: tsp.TimeStampReq, now: dt.datetime) -> bytes:
        now = now.replace(microsecond=0)
        tsa_cert = self._asn1(self.cert)
        info: dict[str, Any] = {
            "version": "v1", "policy": TSA_POLICY, "message_imprint": req["message_imprint"],
            "serial_number": int.from_bytes(secrets.token_bytes(16), "big"),
            "gen_time": now, "accuracy": {"seconds": 1},
            "tsa": asn1_x509.GeneralName(name="directory_name", value=tsa_cert.subject),
        }
        if req["nonce"].native is not None:
            info["nonce"] = req["nonce"]
        tst_der = tsp.TSTInfo(info).dump()
        cert_sha256 = hashlib.sha256(tsa_cert.dump()).digest()
        signed_attrs = cms.CMSAttributes([
            cms.CMSAttribute({"type": "content_type", "values": [cms.ContentType("tst_info")]}),
            cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": core.UTCTime(now)})]}),
            cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(tst_der).digest()]}),
            cms.CMSAttribute({"type": "signing_certificate_v2", "values": [tsp.SigningCertificateV2({
                "certs": [tsp.ESSCertIDv2({
                    "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                    "cert_hash": cert_sha256,
                    "issuer_serial": {"issuer": [asn1_x509.GeneralName(name="directory_name",
                                                                       value=tsa_cert.issuer)],
                                      "serial_number": tsa_cert.serial_number}})]})]}),
        ])
        signature = self.key.sign(signed_attrs.dump(), ec.ECDSA(hashes.SHA256()))
        signer = cms.SignerInfo({
            "version": "v1",
            "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
                {"issuer": tsa_cert.issuer, "serial_number": tsa_cert.serial_number})}),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signed_attrs": signed_attrs,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
            "signature": signature,
        })
        signed: dict[str, Any] = {
            "version": "v3",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {"content_type": "tst_info", "content": cms.ParsableOctetString(tst_der)},
            "signer_infos": [signer],
        }
        if req["cert_req"].native:
            signed["certificates"] = [tsa_cert, *(self._asn1(c) for c in self.chain)]
        token = cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(signed)})
        return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token}).dump()


def _reject(failure: str, text: str) -> bytes:
    """`TimeStampResp` with only the status (asn1crypto insists on a token, RFC 3161 does not)."""
    status = tsp.PKIStatusInfo({"status": "rejection", "status_string": [text],
                                "fail_info": tsp.PKIFailureInfo({failure})}).dump()
    n = len(status)
    length = bytes([n]) if n < 0x80 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    return b"\x30" + length + status


def timestamp_authority(pf: ReferencePlatform) -> TimestampAuthority:
    """The platform's TSA (key and certificate created on first use, see `service_keys`)."""
    from refplatform.revocation import revocation_extensions
    from refplatform.service_keys import load_or_create_service_key

    tsa = getattr(pf, "_tsa", None)
    if tsa is None:
        key, cert = load_or_create_service_key(pf.data_dir, "tsa", pf.ca_key, pf.ca_cert, "参考平台 时间戳服务",
                                               ExtendedKeyUsageOID.TIME_STAMPING,
                                               extra=revocation_extensions(pf.url))
        tsa = TimestampAuthority(key, cert, [pf.ca_cert])
        pf._tsa = tsa  # type: ignore[attr-defined]
    return tsa
