"""The kiosk's client of the central platform (requests).

Every call has a timeout, is signed with the device key (see `protocol` for why signed
requests rather than mTLS), verifies TLS against the configured CA bundle and, when
`pin_sha256` is set, the SHA-256 of the platform certificate's public key. Connection errors,
timeouts, 429 and 5xx are retried with capped exponential backoff and full jitter; a 4xx
becomes a `PlatformError` with the platform's reason. An expired credential is renewed with
the device key; a revoked or unknown one triggers re-enrolment when an enrolment code is at
hand, otherwise a clear "re-enrol this kiosk" error.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import random
import re
import secrets
import ssl
import threading
import urllib.parse
from pathlib import Path
from typing import Any

import requests
import urllib3
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from requests.adapters import HTTPAdapter

from kiosk.config import PlatformSettings
from kiosk.errors import UserFacingError
from kiosk.files import write_private
from kiosk.platform.protocol import (
    BODY_HASH_HEADER,
    DATE_HEADER,
    EMPTY_SHA256,
    KIOSK_HEADER,
    NONCE_HEADER,
    PRESENCE_HEADER,
    REENROL_CODES,
    STAFF_TOKEN_HEADER,
    Enrolment,
    EnrolRequest,
    Receipt,
    Renewal,
    StaffLogin,
    StaffLoginRequest,
    format_date,
    parse_date,
    presence_proof,
    sign_request,
    utc_now,
)
from kiosk.security.keys import DeviceKeys
from kiosk.texts import QT_TRANSLATE_NOOP, fmt

log = logging.getLogger(__name__)

CREDENTIAL_FILE = "platform_credential.json"
SOFTWARE_VERSION = "0.1.0"


class PlatformError(UserFacingError):
    """A platform call that failed. `retryable` says whether trying later may help."""

    def __init__(self, message: str, *, detail: str = "", code: str = "platform_error", status: int = 0,
                 retryable: bool = False, problem: dict[str, Any] | None = None) -> None:
        super().__init__(message, detail=detail, code=code)
        self.status = status
        self.retryable = retryable
        self.problem = problem or {}


class PinMismatch(ssl.SSLError):
    """The platform's certificate key is not the pinned one."""


def spki_sha256(cert_der: bytes) -> str:
    cert = x509.load_der_x509_certificate(cert_der)
    spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).hexdigest()


def _pinned_adapter(pin: str) -> HTTPAdapter:
    """An adapter whose HTTPS connections refuse a peer whose public key hash is not `pin`."""

    class PinnedConnection(urllib3.connection.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            der = self.sock.getpeercert(binary_form=True) if self.sock is not None else None  # type: ignore[union-attr]
            if not der or spki_sha256(der) != pin:
                self.close()
                raise PinMismatch(f"certificate public key does not match pin {pin[:16]}…")

    class PinnedPool(urllib3.HTTPSConnectionPool):
        ConnectionCls = PinnedConnection

    class PinnedAdapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": urllib3.HTTPConnectionPool, "https": PinnedPool}

    return PinnedAdapter()


class DeviceAuth(requests.auth.AuthBase):
    """Signs any prepared request the way the platform expects (also usable with a bare
    `requests.Session`, e.g. by the API conformance tests)."""

    def __init__(self, key: ec.EllipticCurvePrivateKey, credential_id: str, kiosk_id: str,
                 clock_offset: dt.timedelta = dt.timedelta(0)) -> None:
        self.key = key
        self.credential_id = credential_id
        self.kiosk_id = kiosk_id
        self.clock_offset = clock_offset

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        body = r.body or b""
        if isinstance(body, str):
            body = body.encode()
        parts = urllib.parse.urlsplit(str(r.url))
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        date = format_date(utc_now() + self.clock_offset)
        nonce = secrets.token_urlsafe(18)
        declared = r.headers.get(BODY_HASH_HEADER)  # a caller that already hashed the body says so
        body_sha = str(declared) if declared else (hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256)
        r.headers.update({DATE_HEADER: date, NONCE_HEADER: nonce, BODY_HASH_HEADER: body_sha,
                          KIOSK_HEADER: self.kiosk_id,
                          "Authorization": sign_request(self.key, str(r.method), path, date, nonce, body_sha,
                                                        self.credential_id)})
        return r


class PlatformClient:
    """One kiosk's connection to one platform. Thread-safe for the uploader plus one UI caller."""

    max_attempts = 5
    backoff_base_s = 0.5
    backoff_cap_s = 30.0

    def __init__(self, url: str, settings: PlatformSettings, keys: DeviceKeys, kiosk_id: str,
                 state_keys_dir: Path) -> None:
        if not url:
            raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "未配置中心平台地址"), code="no_platform")
        self.base = url.rstrip("/") + "/"
        self.settings = settings
        self.keys = keys
        self.kiosk_id = kiosk_id
        self.cred_path = Path(state_keys_dir) / CREDENTIAL_FILE
        self.timeout = (min(5.0, settings.timeout_s), settings.timeout_s)
        self.cancelled = threading.Event()
        self._enrol_code: str | None = None
        self._clock_offset = dt.timedelta(0)
        self._enrol_lock = threading.RLock()  # one enrolment or renewal at a time (uploader + UI)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = f"bdc-kiosk/{SOFTWARE_VERSION}"
        # passed on every request: a session-level `verify` loses against REQUESTS_CA_BUNDLE
        self.verify: str | bool = settings.ca_bundle or True
        if settings.pin_sha256:
            self.session.mount("https://", _pinned_adapter(settings.pin_sha256))
        self.credential: dict[str, Any] | None = self._load_credential()
        self.staff_token: str | None = None  # the staff session logged in at this kiosk, if any
        self.staff_session_id: str | None = None  # its id, written into every manual decision
        self._card_id_number: str | None = None  # the ID card on the reader now (presence proof)

    def close(self) -> None:
        self.cancelled.set()
        self.session.close()

    # -- credential --------------------------------------------------------------------------
    def _load_credential(self) -> dict[str, Any] | None:
        if not self.cred_path.exists():
            return None
        try:
            data = json.loads(self.cred_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            log.warning("platform credential file unreadable; the kiosk must enrol again")
            return None
        return data if isinstance(data, dict) and "credential_id" in data else None

    def _save_credential(self, data: dict[str, Any]) -> None:
        write_private(self.cred_path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        self.credential = data

    @property
    def enrolled(self) -> bool:
        return self.credential is not None

    def platform_public_key(self) -> ec.EllipticCurvePublicKey | None:
        pem = (self.credential or {}).get("platform_cert_pem")
        if not pem:
            return None
        key = x509.load_pem_x509_certificate(pem.encode()).public_key()
        return key if isinstance(key, ec.EllipticCurvePublicKey) else None

    def ensure_enrolled(self, enrol_code: str | None = None) -> None:
        """Enrol once (CSR → certificate + credential); later calls only remember the code.

        Works offline once enrolled: the stored credential is used until the platform says
        otherwise.
        """
        if enrol_code:
            self._enrol_code = enrol_code
        if self.credential is not None and self.keys.certificate() is not None:
            return
        if not self._enrol_code:
            raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "本机尚未在中心平台注册，请技术人员输入注册码完成设备注册"), code="not_enrolled")
        self.enrol(self._enrol_code)

    def enrol(self, enrol_code: str) -> None:
        with self._enrol_lock:
            self._enrol(enrol_code)

    def _enrol(self, enrol_code: str) -> None:
        body = EnrolRequest(enrol_code=enrol_code, kiosk_id=self.kiosk_id, csr_pem=self.keys.csr(self.kiosk_id).decode(),
                            sm2_public_hex=self.keys.sm2.public_hex, software_version=SOFTWARE_VERSION)
        resp = self._call("POST", "v1/devices/enrol", json_body=body.model_dump(), signed=False, expect=(200, 201))
        try:
            data = Enrolment.model_validate(_json_of(resp))
            self.keys.store_certificate(data.certificate_pem.encode(), data.ca_chain_pem.encode())
            self._save_credential({"platform_url": self.base, "kiosk_id": self.kiosk_id,
                                   "credential_id": data.credential_id,
                                   "credential_expires_at": data.credential_expires_at,
                                   "platform_cert_pem": data.platform_cert_pem})
        except (KeyError, TypeError, AttributeError, ValueError) as exc:  # pydantic's ValidationError too
            raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "平台的注册应答不完整，请稍后重试"), detail=f"enrol answer: {exc}",
                                code="bad_response", retryable=True) from None
        log.info("kiosk enrolled at %s", self.base)

    def renew(self) -> None:
        with self._enrol_lock:
            self._renew()

    def _renew(self) -> None:
        resp = self._call("POST", "v1/devices/renew", json_body={}, expect=(200,), reauth=False)
        try:
            data = Renewal.model_validate(_json_object(resp))
        except ValueError:
            raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "平台的凭据续期应答不完整"), code="bad_response", retryable=True) from None
        self._save_credential({**(self.credential or {}), "credential_id": data.credential_id,
                               "credential_expires_at": data.credential_expires_at})
        log.info("platform credential renewed")

    # -- the HTTP call with signing, retries and error mapping -----------------------------------
    def _url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return urllib.parse.urljoin(self.base, path.lstrip("/"))

    def auth(self) -> DeviceAuth:
        """The request signer for the current credential."""
        if self.credential is None:
            raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "本机尚未在中心平台注册，请技术人员完成设备注册"), code="not_enrolled")
        return DeviceAuth(self.keys.signing_key, str(self.credential["credential_id"]), self.kiosk_id,
                          self._clock_offset)

    def _backoff(self, attempt: int, retry_after: str | None = None) -> None:
        delay = random.uniform(0, min(self.backoff_cap_s, self.backoff_base_s * (2 ** attempt)))
        if retry_after:
            try:
                delay = max(delay, min(self.backoff_cap_s, float(retry_after)))
            except ValueError:
                pass
        if self.cancelled.wait(delay):
            raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "上传已停止"), code="cancelled", retryable=True)

    def _call(self, method: str, path: str, *, json_body: Any = None, data: bytes | None = None,
              signed: bool = True, expect: tuple[int, ...] = (200,), reauth: bool = True,
              attempts: int | None = None, body_sha256: str | None = None,
              extra_headers: dict[str, str] | None = None) -> requests.Response:
        body = data if data is not None else (
            json.dumps(json_body, ensure_ascii=False).encode() if json_body is not None else b"")
        url = self._url(path)
        attempts = attempts or self.max_attempts
        last: PlatformError | None = None
        fixed: set[str] = set()
        attempt = 0
        while attempt < attempts:
            auth = self.auth() if signed else None
            headers: dict[str, str] = {BODY_HASH_HEADER: body_sha256} if body_sha256 else {}
            headers.update(extra_headers or {})
            if json_body is not None:
                headers["Content-Type"] = "application/json"
            elif data is not None:
                headers["Content-Type"] = "application/octet-stream"
            try:
                resp = self.session.request(method, url, data=body or None, headers=headers, timeout=self.timeout,
                                            auth=auth, verify=self.verify)
            except PinMismatch as exc:
                raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "平台证书与本机固定的证书不符，已拒绝连接，请联系技术人员"), detail=str(exc),
                                    code="pin_mismatch") from None
            except requests.exceptions.SSLError as exc:
                if "does not match pin" in str(exc):
                    raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "平台证书与本机固定的证书不符，已拒绝连接，请联系技术人员"), detail=str(exc),
                                        code="pin_mismatch") from None
                raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "无法验证中心平台的证书，请联系技术人员检查CA证书配置"), detail=str(exc),
                                    code="tls_error") from None
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = PlatformError(QT_TRANSLATE_NOOP("kiosk", "网络连接中心平台失败，稍后自动重试"), detail=f"{method} {path}: {exc}",
                                     code="network", retryable=True)
                log.info("platform %s %s: %s (attempt %d)", method, path, type(exc).__name__, attempt + 1)
                attempt += 1
                if attempt < attempts:
                    self._backoff(attempt)
                continue
            if resp.status_code in expect:
                return resp
            problem = _problem_of(resp)
            code = str(problem.get("code", ""))
            if (resp.status_code == 429 and code not in NO_RETRY_CODES) or resp.status_code >= 500:
                last = PlatformError(QT_TRANSLATE_NOOP("kiosk", "中心平台暂时繁忙，稍后自动重试"),
                                     detail=f"{method} {path}: HTTP {resp.status_code} {code}",
                                     code=code or "unavailable", status=resp.status_code, retryable=True,
                                     problem=problem)
                attempt += 1
                if attempt < attempts:
                    self._backoff(attempt, resp.headers.get("Retry-After"))
                continue
            if resp.status_code == 401 and signed and code not in fixed:
                fixed.add(code)
                if code == "clock_skew" and self._fix_clock(problem, resp):
                    continue
                if code == "credential_expired" and reauth:
                    self.renew()
                    continue
                if code in REENROL_CODES and reauth and self._enrol_code:
                    log.warning("platform says %s: enrolling again", code)
                    self.enrol(self._enrol_code)
                    continue
            raise _error_for(resp.status_code, code, problem, f"{method} {path}")
        assert last is not None
        raise last

    def _fix_clock(self, problem: dict[str, Any], resp: requests.Response) -> bool:
        server = parse_date(str(problem.get("server_time") or resp.headers.get(DATE_HEADER, "")))
        if server is None:
            return False
        self._clock_offset = server - utc_now()
        log.warning("kiosk clock differs from the platform by %.0f s; signing with the platform's time",
                    self._clock_offset.total_seconds())
        return True

    def _get_json(self, path: str, extra_headers: dict[str, str] | None = None) -> Any:
        resp = self._call("GET", path, extra_headers=extra_headers)
        return _json_of(resp)

    # -- presence: personal data is released only to a staff session or with a party's card --
    def card_present(self, id_number: str | None) -> None:
        """The ID number read from the card now on this device's reader (None: taken away). Case
        lookups then carry the keyed proof the platform compares with the case's parties."""
        self._card_id_number = id_number or None

    def staff_logout(self) -> None:
        self.staff_token = None
        self.staff_session_id = None

    def _presence(self, case_no: str) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.staff_token:
            headers[STAFF_TOKEN_HEADER] = self.staff_token
        if self._card_id_number and self.credential is not None and case_no:
            headers[PRESENCE_HEADER] = presence_proof(str(self.credential["credential_id"]), case_no,
                                                      self._card_id_number)
        return headers

    @staticmethod
    def _case_of(path: str) -> str:
        m = re.search(r"v1/cases/([^/?]+)", path)
        return urllib.parse.unquote(m.group(1)) if m else ""

    # -- the API ------------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        return _json_object(self._call("GET", "v1/health", signed=False, attempts=1))

    def get_case(self, case_no: str) -> dict[str, Any]:
        data = self._get_json("v1/cases/" + urllib.parse.quote(case_no, safe=""), self._presence(case_no))
        if not isinstance(data, dict):
            raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "平台返回的案件数据格式不正确"), code="bad_response")
        return data

    def get_case_by_qr(self, payload: str) -> dict[str, Any]:
        m = re.search(r"(?:case_no=|BDC:CASE:|^)([A-Za-z0-9\-]{4,40})(?:$|&)", payload.strip())
        data = self._get_json("v1/cases?" + urllib.parse.urlencode({"qr": payload}),
                              self._presence(m.group(1) if m else payload.strip()))
        if not isinstance(data, dict):
            raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "平台返回的案件数据格式不正确"), code="bad_response")
        return data

    def download_document(self, doc: Any) -> bytes:
        """The document's PDF, refused unless its SHA-256 is the one the case announced."""
        resp = self._call("GET", str(doc.url), extra_headers=self._presence(self._case_of(str(doc.url))))
        pdf = resp.content
        got = hashlib.sha256(pdf).hexdigest()
        if got != doc.sha256:
            raise PlatformError(fmt(QT_TRANSLATE_NOOP("kiosk", "文书「{title}」下载后校验不一致，请重新下载或联系窗口"),
                                    title=doc.title),
                                detail=f"{doc.doc_id}: sha256 {got} != {doc.sha256}", code="document_hash_mismatch",
                                retryable=True)
        return pdf

    def download_photo(self, party: Any) -> bytes | None:
        url = getattr(party, "photo_url", None)
        if not url:
            return None
        try:
            return self._call("GET", str(url), extra_headers=self._presence(self._case_of(str(url)))).content
        except PlatformError as exc:
            if exc.status == 404:
                return None
            raise

    def staff_login(self, staff_no: str, pin: str) -> dict[str, Any]:
        """Logs a staff member in at this kiosk; the session's token then goes with the case calls
        (a counter's presence) until `staff_logout()`."""
        try:
            body = StaffLoginRequest(staff_no=staff_no, pin=pin)
        except ValueError:
            raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "工号或密码不正确"), detail="staff number or PIN too long",
                                code="staff_login_failed") from None
        resp = self._call("POST", "v1/staff/login", json_body=body.model_dump())
        try:
            login = StaffLogin.model_validate(_json_object(resp))
        except ValueError:
            raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "平台的登录应答不完整，请稍后重试"), code="bad_response", retryable=True) from None
        self.staff_token = login.token or None
        self.staff_session_id = login.session_id or None
        return login.model_dump()

    def heartbeat(self, report: dict[str, Any]) -> dict[str, Any]:
        body = {"kiosk_id": self.kiosk_id, "software_version": SOFTWARE_VERSION, "sent_at": format_date(utc_now()),
                **report}
        return _json_object(self._call("POST", "v1/devices/heartbeat", json_body=body, attempts=2))

    def remote_config(self) -> dict[str, Any]:
        return _json_object(self._call("GET", "v1/devices/config"))

    # uploads
    def create_upload(self, package_id: str, case_no: str, files: list[dict[str, Any]], part_size: int
                      ) -> dict[str, Any]:
        body = {"package_id": package_id, "case_no": case_no, "files": files, "part_size": part_size}
        return _json_object(self._call("POST", "v1/packages", json_body=body, expect=(200, 201)))

    def upload_status(self, package_id: str) -> dict[str, Any]:
        return _json_object(self._call("GET", f"v1/packages/{package_id}"))

    def put_part(self, package_id: str, n: int, data: bytes, sha256: str | None = None) -> dict[str, Any]:
        """Send one part; `sha256` (of `data`) when the caller already has it. The platform checks
        the body against the signed hash, so a wrong one is refused, never stored."""
        return _json_object(self._call("PUT", f"v1/packages/{package_id}/parts/{n}", data=data,
                                       body_sha256=sha256))

    def complete(self, package_id: str) -> Receipt:
        """The platform's receipt, refused unless the platform key signed it."""
        data = _json_of(self._call("POST", f"v1/packages/{package_id}/complete", json_body={}))
        try:
            receipt = Receipt.from_json(data)
        except ValueError as exc:
            raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "平台回执格式不正确"), detail=str(exc), code="bad_receipt", retryable=True) from None
        key = self.platform_public_key()
        if key is None or not receipt.signature_valid(key):
            raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "平台回执签名无效，证据包保留在本机待查"), detail=f"receipt for {package_id}",
                                code="bad_receipt")
        if receipt.package_id != package_id:
            raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "平台回执与证据包编号不符"), detail=f"{receipt.package_id} != {package_id}",
                                code="bad_receipt")
        return receipt


def _json_of(resp: requests.Response) -> Any:
    try:
        return resp.json()
    except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
        raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "中心平台的应答不完整或格式错误，稍后自动重试"),
                            detail=f"{resp.request.method} {resp.url}: HTTP {resp.status_code}, "
                                   f"{len(resp.content)} bytes not JSON", code="bad_response", retryable=True) from None


def _json_object(resp: requests.Response) -> dict[str, Any]:
    """The answer's JSON object; any other JSON (a list, a number…) is a bad answer, not a crash."""
    data = _json_of(resp)
    if not isinstance(data, dict):
        raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "中心平台的应答不完整或格式错误，稍后自动重试"),
                            detail=f"{resp.request.method} {resp.url}: HTTP {resp.status_code}, "
                                   f"JSON {type(data).__name__} where an object was expected",
                            code="bad_response", retryable=True)
    return data


def _problem_of(resp: requests.Response) -> dict[str, Any]:
    try:
        data = resp.json()
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


_MESSAGES = {
    "credential_revoked": QT_TRANSLATE_NOOP("kiosk", "本终端在平台的注册已被吊销，请技术人员重新注册设备"),
    "unknown_device": QT_TRANSLATE_NOOP("kiosk", "本终端未在该平台注册，请技术人员重新注册设备"),
    "bad_signature": QT_TRANSLATE_NOOP("kiosk", "平台拒绝了本机的请求签名，请技术人员检查设备密钥或重新注册"),
    "clock_skew": QT_TRANSLATE_NOOP("kiosk", "本机时间与平台相差过大，请技术人员校准时间"),
    "case_not_found": QT_TRANSLATE_NOOP("kiosk", "没有找到这个受理号的案件，请核对受理号或咨询窗口"),
    "package_too_large": QT_TRANSLATE_NOOP("kiosk", "证据包超过平台允许的大小，请联系技术人员"),
    "bad_path": QT_TRANSLATE_NOOP("kiosk", "证据包中有不安全的文件名，请联系技术人员"),
    "package_invalid": QT_TRANSLATE_NOOP("kiosk", "平台校验证据包未通过，证据包保留在本机，请联系技术人员"),
    "conflict": QT_TRANSLATE_NOOP("kiosk", "平台上已有同编号但内容不同的证据包，请联系技术人员"),
    "bad_enrol_code": QT_TRANSLATE_NOOP("kiosk", "注册码无效或已使用，请向平台管理员申请新的注册码"),
    "staff_login_failed": QT_TRANSLATE_NOOP("kiosk", "工号或密码不正确"),
    "login_locked": QT_TRANSLATE_NOOP("kiosk", "密码错误次数过多，请稍后再试或联系管理员"),
    "already_enrolled": QT_TRANSLATE_NOOP("kiosk", "该终端编号已被另一台设备注册，请平台管理员先吊销原注册"),
    "presence_required": QT_TRANSLATE_NOOP("kiosk", "请先将身份证放在读卡区"),
    "presence_mismatch": QT_TRANSLATE_NOOP("kiosk", "所读身份证不是本案件的当事人，请核对受理号或咨询窗口"),
    "staff_session_invalid": QT_TRANSLATE_NOOP("kiosk", "工作人员登录已失效，请重新登录"),
    "already_complete": QT_TRANSLATE_NOOP("kiosk", "该证据包平台已收妥，无需重传"),
    "rate_limited": QT_TRANSLATE_NOOP("kiosk", "查询过于频繁，请稍后再试"),
}
NO_RETRY_CODES = frozenset({"login_locked"})


def _shown_title(title: Any) -> str:
    """The platform's own reason, as it may appear on the kiosk screen: one line of printable
    text, at most 60 characters, so a broken or rogue platform cannot fill or restyle the screen."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in str(title or "")).split())
    return text[:60] + ("…" if len(text) > 60 else "")


def _error_for(status: int, code: str, problem: dict[str, Any], what: str) -> PlatformError:
    message = (_MESSAGES.get(code) or _shown_title(problem.get("title"))
               or fmt(QT_TRANSLATE_NOOP("kiosk", "中心平台拒绝了请求（{status}）"), status=status))
    detail = f"{what}: HTTP {status} {code} {problem.get('detail', '')}".strip()
    return PlatformError(message, detail=detail, code=code or f"http_{status}", status=status,
                         retryable=code in ("incomplete", "hash_mismatch"), problem=problem)
