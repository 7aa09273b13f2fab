"""Device authentication: every request but `health` and `enrol` is signed by the device key
(see `kiosk.platform.protocol`). The signature covers method, path and query as sent, date,
nonce, body hash and credential id; the date window and the remembered nonces stop replays."""
from __future__ import annotations

import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.platform.protocol import (
    BODY_HASH_HEADER,
    CLOCK_WINDOW_S,
    DATE_HEADER,
    EMPTY_SHA256,
    NONCE_HEADER,
    format_date,
    parse_authorization,
    parse_date,
    utc_now,
    verify_request,
)
from refplatform.problems import Problem

if TYPE_CHECKING:
    from refplatform.server import ReferencePlatform


@dataclass(frozen=True)
class Caller:
    """An authenticated device request: who, with which credential, and the body hash it signed."""

    kiosk_id: str
    credential_id: str
    body_sha256: str


def authenticate(pf: ReferencePlatform, method: str, target: str, headers: Mapping[str, str], *,
                 allow_expired: bool = False) -> Caller:
    auth = parse_authorization(headers.get("Authorization", ""))
    if auth is None:
        raise Problem(401, "unauthenticated", "请求未签名", "missing or malformed Authorization header")
    credential, signature = auth
    rows = pf.store.query("SELECT kiosk_id, expires_at, revoked FROM credentials WHERE credential_id=?",
                          (credential,))
    if not rows:
        raise Problem(401, "unknown_device", "终端未注册或凭据无效", "unknown credential")
    kiosk_id, expires_at, revoked = str(rows[0][0]), float(rows[0][1]), bool(rows[0][2])
    device = pf.device(kiosk_id)
    if device is None:
        raise Problem(401, "unknown_device", "终端未注册", kiosk_id)
    if revoked or device.revoked:
        raise Problem(401, "credential_revoked", "终端凭据已被吊销，需要重新注册", kiosk_id)
    date = headers.get(DATE_HEADER, "")
    when = parse_date(date)
    if when is None or abs((utc_now() - when).total_seconds()) > CLOCK_WINDOW_S:
        raise Problem(401, "clock_skew", "终端时间与平台相差过大", f"date {date!r}",
                      server_time=format_date(utc_now()))
    nonce = headers.get(NONCE_HEADER, "")
    body_sha = headers.get(BODY_HASH_HEADER, EMPTY_SHA256).lower()
    if not re.fullmatch(r"[0-9a-f]{64}", body_sha) or not re.fullmatch(r"[A-Za-z0-9_\-]{16,64}", nonce):
        raise Problem(401, "bad_signature", "请求签名无效", "bad nonce or body hash header")
    if not verify_request(device.public_key, signature, method, target, date, nonce, body_sha, credential):
        raise Problem(401, "bad_signature", "请求签名无效", "signature does not verify with the enrolled certificate")
    now = time.time()
    if pf.store.query("SELECT 1 FROM nonces WHERE nonce=?", (nonce,)):
        raise Problem(401, "replayed", "重复的请求", "nonce already seen")
    pf.store.execute("INSERT INTO nonces VALUES (?,?)", (nonce, now))
    if secrets.randbelow(200) == 0:
        pf.store.execute("DELETE FROM nonces WHERE seen < ?", (now - 2 * CLOCK_WINDOW_S,))
    if expires_at < now and not allow_expired:
        raise Problem(401, "credential_expired", "终端凭据已过期", "renew at /v1/devices/renew")
    return Caller(kiosk_id, credential, body_sha)
