"""What the kiosk and the platform agree on besides the OpenAPI text: request signing,
problem codes, path rules and the signed receipt.

Device authentication is a signature on every request, not mutual TLS. The signature is an
ECDSA P-256 (SHA-256) signature by the device key over

    BDC1\\n<METHOD>\\n<path?query as sent>\\n<X-BDC-Date>\\n<X-BDC-Nonce>\\n<sha256(body) hex>\\n<credential id>

sent as `Authorization: BDC1-ECDSA-P256 credential=<id>, signature=<base64 DER>`. Why not
mTLS: the centre's network terminates TLS at a gateway that does not forward client
certificates; the same key already signs the evidence, so one key proves both; it works over
the plain-HTTP loopback demo and IPv6 alike; and the body hash in the signature makes every
uploaded part tamper-evident end to end, past any proxy. The date window (±300 s) and the
nonce (remembered for the window) stop replays; a kiosk with a wrong clock learns the offset
from the platform's `Date` header (problem `clock_skew`) and signs again.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
from dataclasses import asdict, dataclass
from typing import Any, get_type_hints

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import BaseModel, ConfigDict, Field, create_model

SCHEME = "BDC1-ECDSA-P256"
DATE_HEADER = "X-BDC-Date"
NONCE_HEADER = "X-BDC-Nonce"
BODY_HASH_HEADER = "X-BDC-Content-SHA256"
KIOSK_HEADER = "X-BDC-Kiosk"
CLOCK_WINDOW_S = 300
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
PACKAGE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{2,127}$")
PROBLEM_TYPE = "https://bdc-kiosk.invalid/problems/"

# Problem codes the kiosk acts on (application/problem+json, member "code").
RETRY_CODES = frozenset({"rate_limited", "unavailable", "internal"})
REAUTH_CODES = frozenset({"credential_expired"})
REENROL_CODES = frozenset({"credential_revoked", "unknown_device"})


def canonical_request(method: str, path: str, date: str, nonce: str, body_sha256: str, credential: str) -> bytes:
    return "\n".join(("BDC1", method.upper(), path, date, nonce, body_sha256, credential)).encode()


def sign_request(key: ec.EllipticCurvePrivateKey, method: str, path: str, date: str, nonce: str,
                 body_sha256: str, credential: str) -> str:
    sig = key.sign(canonical_request(method, path, date, nonce, body_sha256, credential), ec.ECDSA(hashes.SHA256()))
    return f"{SCHEME} credential={credential}, signature={base64.b64encode(sig).decode()}"


def parse_authorization(value: str) -> tuple[str, bytes] | None:
    """(credential id, DER signature) from an Authorization header, or None when malformed."""
    if not value.startswith(SCHEME + " "):
        return None
    fields: dict[str, str] = {}
    for item in value[len(SCHEME) + 1:].split(","):
        k, sep, v = item.strip().partition("=")
        if sep:
            fields[k] = v
    try:
        return fields["credential"], base64.b64decode(fields["signature"], validate=True)
    except (KeyError, ValueError):
        return None


def verify_request(public_key: ec.EllipticCurvePublicKey, signature: bytes, method: str, path: str, date: str,
                   nonce: str, body_sha256: str, credential: str) -> bool:
    try:
        public_key.verify(signature, canonical_request(method, path, date, nonce, body_sha256, credential),
                          ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def format_date(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_date(s: str) -> dt.datetime | None:
    try:
        t = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else None


def path_problem(path: str) -> str | None:
    """None when `path` is a safe relative POSIX path inside a package, else why not."""
    if not path or len(path) > 255:
        return "empty or longer than 255 characters"
    if "\\" in path or "\x00" in path or any(ord(c) < 32 for c in path):
        return "backslash or control character"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return "absolute path"
    parts = path.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return "'..', '.' or empty segment"
    if not re.fullmatch(r"[A-Za-z0-9_.\-/]+", path):
        return "characters outside [A-Za-z0-9_.-/]"
    return None


def canonical_json(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Receipt:
    """The platform's signed acknowledgement that a package is stored and checked.

    `manifest_sha256` is the hash the platform computed of the manifest.json it stored; the
    kiosk compares it with its own before it may ever delete the package.
    """

    package_id: str
    case_no: str
    kiosk_id: str
    received_at: str
    manifest_sha256: str
    total_size: int
    files: int
    receipt_id: str
    signature_b64: str = ""
    # the receipt key's certificate (issued by the platform CA for receipts only): not signed,
    # it is checked by its chain (`verify --trust`, docs/evidence-format.md)
    signer_cert_pem: str = ""

    def signed_bytes(self) -> bytes:
        d = asdict(self)
        d.pop("signature_b64")
        d.pop("signer_cert_pem")
        return canonical_json(d)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Receipt:
        if not isinstance(data, dict):
            data = {}  # reported below as a missing field
        try:
            return cls(package_id=str(data["package_id"]), case_no=str(data["case_no"]),
                       kiosk_id=str(data["kiosk_id"]), received_at=str(data["received_at"]),
                       manifest_sha256=str(data["manifest_sha256"]), total_size=int(data["total_size"]),
                       files=int(data["files"]), receipt_id=str(data["receipt_id"]),
                       signature_b64=str(data["signature_b64"]),
                       signer_cert_pem=str(data.get("signer_cert_pem") or ""))
        except (KeyError, TypeError, ValueError, OverflowError) as exc:  # Overflow: a size of 1e400
            raise ValueError(f"receipt field missing or wrong type: {exc}") from None

    def sign(self, key: ec.EllipticCurvePrivateKey) -> Receipt:
        sig = key.sign(self.signed_bytes(), ec.ECDSA(hashes.SHA256()))
        return Receipt(**{**asdict(self), "signature_b64": base64.b64encode(sig).decode()})

    def signature_valid(self, public_key: ec.EllipticCurvePublicKey) -> bool:
        try:
            public_key.verify(base64.b64decode(self.signature_b64), self.signed_bytes(), ec.ECDSA(hashes.SHA256()))
        except (InvalidSignature, ValueError):
            return False
        return True


# --- request and response bodies (the reference platform serves them; the OpenAPI document
# in docs/platform-openapi.yaml is checked against what these generate) ----------------------
class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Health(_Body):
    status: str
    server_time: str
    version: str = "1"


class EnrolRequest(_Body):
    enrol_code: str = Field(max_length=64)
    kiosk_id: str
    csr_pem: str
    sm2_public_hex: str = ""
    software_version: str = ""


class Enrolment(_Body):
    kiosk_id: str
    credential_id: str
    credential_expires_at: str
    certificate_pem: str
    ca_chain_pem: str = ""
    platform_cert_pem: str


class Renewal(_Body):
    credential_id: str
    credential_expires_at: str


class HeartbeatAnswer(_Body):
    server_time: str
    config_version: int


class RemoteConfig(_Body):
    version: int
    kiosk_id: str = ""
    settings: dict[str, dict[str, Any]]


class StaffLoginRequest(_Body):
    staff_no: str = Field(max_length=32)
    pin: str = Field(max_length=32)


class StaffLogin(_Body):
    staff_no: str
    name: str
    roles: list[str]
    token: str
    session_id: str = ""
    expires_at: str


class UploadFile(_Body):
    path: str
    size: int
    sha256: str


class UploadRequest(_Body):
    package_id: str
    case_no: str
    part_size: int = 8 << 20
    files: list[UploadFile]


class PartHeld(_Body):
    n: int
    size: int
    sha256: str


class PartAnswer(PartHeld):
    outcome: str


class UploadStatus(_Body):
    package_id: str
    case_no: str
    state: str
    total_size: int
    part_size: int
    parts_total: int
    received: list[PartHeld]
    receipt: dict[str, Any] | None = None


class ProblemBody(_Body):
    type: str
    title: str
    status: int
    code: str
    detail: str = ""


PRESENCE_HEADER = "X-BDC-Presence"
STAFF_TOKEN_HEADER = "X-BDC-Staff-Token"


def presence_proof(credential_id: str, case_no: str, id_number: str) -> str:
    """What a self-service kiosk sends to prove that a party of `case_no` is at the device: a
    keyed hash (HMAC-SHA256 keyed by the device credential) of the ID number read from the card.
    The platform computes the same for each party of the case and compares."""
    msg = f"BDC-PRESENCE\n{case_no}\n{id_number.strip().upper()}".encode()
    return hmac.new(credential_id.encode(), msg, hashlib.sha256).hexdigest()


# the receipt as an answer body: every member of `Receipt`, all of them present (it is signed)
ReceiptBody: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "Receipt", __base__=_Body, **{name: (tp, ...) for name, tp in get_type_hints(Receipt).items()})
