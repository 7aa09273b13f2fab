"""Device keys: the device signing key and certificate, the SM2 key, and the data key.

Layout under `<state>/keys/` (directory 0700, every file 0600):
  device_key.pem    ECDSA P-256 private key; signs manifests and PDFs (PAdES)
  device_cert.pem   its X.509 certificate: issued by the platform at enrolment, or in demo mode
                    by a local demo CA created on first run (demo_ca_*.pem)
  sm2.json          SM2 key pair (hex), the second, national-standard manifest signature
  data.key          32 random bytes: the key for personal data at rest (SM4-GCM or AES-256-GCM)
The private keys never leave this directory; the platform only ever sees a CSR and public keys.

Sealed by the machine (`KeySealer`): where a TPM 2.0 (Linux) or DPAPI (Windows, machine scope)
is available, a random 32-byte key-encryption key is sealed by it into `sealed.json`, and the
three secrets above are stored only wrapped by it (`<name>.sealed`, AES-256-GCM, the name as
associated data); plain files left by an older version are wrapped and removed on first start.
A copy of the directory is then useless without the machine that sealed it. Without either the
state is "unsealed": the files are protected by their modes only, and `doctor` and the
self-test report say so. docs/security.md says what a stolen disk yields in each case.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kiosk.errors import UserFacingError
from kiosk.files import write_private as _write_private
from kiosk.texts import QT_TRANSLATE_NOOP


def _load_ec(data: bytes, where: str) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "设备密钥格式不正确，请联系技术人员重新注册设备"), detail=where)
    return key


def _new_ec_pem() -> bytes:
    return ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _name(common_name: str, org: str = "漯河市不动产登记中心") -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def make_ca(common_name: str, days: int = 3650) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(_name(common_name)).issuer_name(_name(common_name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


def make_csr(key: ec.EllipticCurvePrivateKey, kiosk_id: str) -> bytes:
    csr = (x509.CertificateSigningRequestBuilder().subject_name(_name(kiosk_id))
           .sign(key, hashes.SHA256()))
    return csr.public_bytes(serialization.Encoding.PEM)


def issue_certificate(csr_pem: bytes, ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate,
                      *, days: int = 825, common_name: str | None = None,
                      extra: Sequence[x509.ExtensionType] = ()) -> x509.Certificate:
    """Issue a device (document-signing) certificate for a CSR: what enrolment does on the platform.

    `extra`: further non-critical extensions (the platform's CRL distribution point and AIA)."""
    csr = x509.load_pem_x509_csr(csr_pem)
    if not csr.is_signature_valid:
        raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "证书请求签名无效"), detail="CSR signature invalid", code="bad_csr")
    subject = _name(common_name) if common_name else csr.subject
    now = dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(ca_cert.subject)
            .public_key(csr.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            # documentSigning for PAdES; emailProtection because NSS (poppler's pdfsig) requires it
            # of a signing certificate before it calls the chain trusted
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH,
                                                  ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                                  x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False))
    for ext in extra:
        builder = builder.add_extension(ext, critical=False)
    return builder.sign(ca_key, hashes.SHA256())


@dataclass
class Sm2KeyPair:
    private_hex: str
    public_hex: str

    @classmethod
    def generate(cls) -> Sm2KeyPair:
        from gmssl import sm2  # pure Python; imported lazily

        # Private key d in [1, n-1]; public key P = d·G (uncompressed x||y, hex, no 04 prefix).
        n = int(sm2.default_ecc_table["n"], 16)
        d = secrets.randbelow(n - 1) + 1
        d_hex = f"{d:064x}"
        helper = sm2.CryptSM2(private_key=d_hex, public_key="")
        pub = helper._kg(d, sm2.default_ecc_table["g"])
        return cls(d_hex, pub)


SealingMethod = Literal["tpm2", "dpapi", "unsealed"]


class KeySealingError(UserFacingError):
    def __init__(self, detail: str, code: str = "keys_unsealable") -> None:
        super().__init__(QT_TRANSLATE_NOOP("kiosk", "本机密钥无法解封（密钥只能在原终端上使用），请联系技术人员"), detail=detail, code=code)


class KeySealer:
    """Seals a small secret to this machine. The base class is the "unsealed" state: no sealing."""

    method: SealingMethod = "unsealed"
    description = QT_TRANSLATE_NOOP("kiosk", "未封存：密钥文件仅靠文件权限保护（无 TPM 2.0 / DPAPI）")

    def seal(self, data: bytes) -> bytes:
        raise KeySealingError("no sealing available on this machine", code="keys_unsealed")

    def unseal(self, blob: bytes) -> bytes:
        raise KeySealingError("no sealing available on this machine", code="keys_unsealed")


class Tpm2Sealer(KeySealer):
    """TPM 2.0 through the tpm2-tools command line (`tpm2_createprimary/create/load/unseal`).

    The secret becomes a sealed data object under an ECC primary key derived from the owner
    hierarchy's seed: the blob (public and private parts) is useless on any other TPM. The
    secret goes in on stdin and comes out on stdout, never through a file. `tcti` picks the TPM
    (`device:/dev/tpmrm0`, or `swtpm:host=127.0.0.1,port=2321` for a software TPM in tests).
    The command line was chosen over a Python binding (tpm2-pytss) because tpm2-tools is a
    distribution package on Kylin/UOS and Debian, while the binding needs the TSS headers to build.
    """

    method: SealingMethod = "tpm2"
    description = QT_TRANSLATE_NOOP("kiosk", "TPM 2.0 封存")

    def __init__(self, tcti: str = "") -> None:
        self.tcti = tcti

    @staticmethod
    def available(tcti: str = "") -> bool:
        if shutil.which("tpm2_unseal") is None:
            return False
        return bool(tcti) or Path("/dev/tpmrm0").exists()

    def _run(self, args: list[str], cwd: Path, data: bytes | None = None) -> bytes:
        env = dict(os.environ)
        if self.tcti:
            env["TPM2TOOLS_TCTI"] = self.tcti
        try:
            done = subprocess.run(args, input=data, capture_output=True, cwd=cwd, env=env, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise KeySealingError(f"{args[0]}: {exc}") from None
        if done.returncode != 0:
            raise KeySealingError(f"{args[0]} exit {done.returncode}: {done.stderr.decode(errors='replace')[-300:]}")
        return done.stdout

    def _primary(self, tmp: Path) -> None:
        # transient slots are few (3 on swtpm): flush after every step, keep only saved contexts
        self._run(["tpm2_flushcontext", "-t"], tmp)
        self._run(["tpm2_createprimary", "-Q", "-C", "o", "-g", "sha256", "-G", "ecc", "-c", "primary.ctx"], tmp)
        self._run(["tpm2_flushcontext", "-t"], tmp)

    def seal(self, data: bytes) -> bytes:
        with tempfile.TemporaryDirectory(prefix="bdc-tpm-") as d:
            tmp = Path(d)
            self._primary(tmp)
            try:
                self._run(["tpm2_create", "-Q", "-C", "primary.ctx", "-i", "-", "-u", "seal.pub", "-r", "seal.priv"],
                          tmp, data)
            finally:
                self._run(["tpm2_flushcontext", "-t"], tmp)
            blob = {"pub": (tmp / "seal.pub").read_bytes().hex(), "priv": (tmp / "seal.priv").read_bytes().hex()}
        return json.dumps(blob).encode()

    def unseal(self, blob: bytes) -> bytes:
        try:
            parts = json.loads(blob)
            pub, priv = bytes.fromhex(parts["pub"]), bytes.fromhex(parts["priv"])
        except (ValueError, KeyError, TypeError) as exc:
            raise KeySealingError(f"sealed blob unreadable: {exc}") from None
        with tempfile.TemporaryDirectory(prefix="bdc-tpm-") as d:
            tmp = Path(d)
            (tmp / "seal.pub").write_bytes(pub)
            (tmp / "seal.priv").write_bytes(priv)
            self._primary(tmp)
            try:
                self._run(["tpm2_load", "-Q", "-C", "primary.ctx", "-u", "seal.pub", "-r", "seal.priv",
                           "-c", "seal.ctx"], tmp)
                self._run(["tpm2_flushcontext", "-t"], tmp)
                return self._run(["tpm2_unseal", "-c", "seal.ctx"], tmp)
            finally:
                self._run(["tpm2_flushcontext", "-t"], tmp)


class DpapiSealer(KeySealer):
    """Windows DPAPI, machine scope (`CryptProtectData` with CRYPTPROTECT_LOCAL_MACHINE): any
    process on this Windows installation can unseal, a copy of the disk in another machine cannot
    (the machine key lives in the LSA secrets of this installation). Not exercised by the Linux
    test suite; the Windows build runs the same round trip in its self-test."""

    method: SealingMethod = "dpapi"
    description = QT_TRANSLATE_NOOP("kiosk", "Windows DPAPI（本机范围）封存")
    _LOCAL_MACHINE = 0x4
    _UI_FORBIDDEN = 0x1

    @staticmethod
    def available(tcti: str = "") -> bool:
        return sys.platform == "win32"

    def _call(self, protect: bool, data: bytes) -> bytes:
        import ctypes
        from ctypes import wintypes

        class Blob(ctypes.Structure):
            _fields_ = [("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char))]

        buf = ctypes.create_string_buffer(data, len(data))
        src = Blob(len(data), ctypes.cast(buf, ctypes.POINTER(ctypes.c_char)))
        out = Blob()
        crypt32 = ctypes.windll.crypt32  # type: ignore[attr-defined]  # Windows only
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        flags = self._UI_FORBIDDEN | self._LOCAL_MACHINE
        fn = crypt32.CryptProtectData if protect else crypt32.CryptUnprotectData
        ok = fn(ctypes.byref(src), None, None, None, None, flags, ctypes.byref(out))
        if not ok:
            raise KeySealingError(f"DPAPI {'protect' if protect else 'unprotect'} failed: "
                                  f"{ctypes.GetLastError()}")  # type: ignore[attr-defined]
        try:
            return ctypes.string_at(out.pbData, out.cbData)
        finally:
            kernel32.LocalFree(out.pbData)

    def seal(self, data: bytes) -> bytes:
        return self._call(True, data)

    def unseal(self, blob: bytes) -> bytes:
        return self._call(False, blob)


def choose_sealer(mode: str = "", tcti: str = "") -> KeySealer:
    """`mode`: auto | tpm2 | dpapi | none (default: $BDC_KEY_SEALING or auto); `tcti`: the TPM
    (default: $BDC_TPM_TCTI, else the kernel's resource manager /dev/tpmrm0)."""
    mode = (mode or os.environ.get("BDC_KEY_SEALING", "") or "auto").lower()
    tcti = tcti or os.environ.get("BDC_TPM_TCTI", "")
    if mode == "none":
        return KeySealer()
    if mode == "tpm2" or (mode == "auto" and Tpm2Sealer.available(tcti)):
        return Tpm2Sealer(tcti)
    if mode == "dpapi" or (mode == "auto" and DpapiSealer.available()):
        return DpapiSealer()
    if mode != "auto":
        raise UserFacingError(f"不支持的密钥封存方式：{mode}", code="bad_sealing_mode")
    return KeySealer()


def sealing_report(method: str) -> dict[str, object]:
    """The line `doctor` and the self-test report print about key sealing."""
    if method == "tpm2":
        return {"name": "key_sealing", "ok": True, "sealing": method,
                "detail": QT_TRANSLATE_NOOP("kiosk", "设备密钥与数据密钥由本机 TPM 2.0 封存：拷走的数据目录无法解密")}
    if method == "dpapi":
        return {"name": "key_sealing", "ok": True, "sealing": method,
                "detail": QT_TRANSLATE_NOOP("kiosk", "设备密钥与数据密钥由 Windows DPAPI（本机范围）封存：拷走的数据目录无法解密")}
    return {"name": "key_sealing", "ok": False, "sealing": "unsealed",
            "detail": QT_TRANSLATE_NOOP("kiosk", "未封存：本机没有可用的 TPM 2.0（或 DPAPI），密钥仅靠文件权限保护，拷走数据目录即可解密"),
            "fix": QT_TRANSLATE_NOOP("kiosk", "启用主板 TPM 2.0 并安装 tpm2-tools（见 docs/security.md）")}


_SEALED_META = "sealed.json"
_WRAPPED = ("device_key.pem", "sm2.json", "data.key")


class DeviceKeys:
    """Loads (or on first use creates) the device's keys under `keys_dir`.

    `sealer`: how the keys are bound to this machine (default: what sealed them before, else
    `choose_sealer(sealing, tcti)`, i.e. settings `crypto.key_sealing` / `crypto.tpm_tcti`); `profile`:
    the cipher for data at rest, "gm" (SM4-GCM) or "intl" (AES-256-GCM)."""

    def __init__(self, keys_dir: Path, *, sealer: KeySealer | None = None, sealing: str = "", tcti: str = "",
                 profile: str = "gm") -> None:
        self.dir = Path(keys_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            os.chmod(self.dir, 0o700)
        except OSError:
            pass
        if profile not in PROFILES:
            raise UserFacingError(f"不支持的加密方案：{profile}（应为 gm 或 intl）", code="bad_crypto_profile")
        self.profile = profile
        self.sealer = sealer if sealer is not None else self._sealer_for_existing(sealing, tcti)
        self._kek = self._load_kek()
        self.signing_key = _load_ec(self._secret("device_key.pem", _new_ec_pem), str(self.dir / "device_key.pem"))
        self.sm2 = self._load_or_create_sm2()
        self.data_key = self._load_or_create_data_key()

    # -- sealing -----------------------------------------------------------------
    @property
    def sealing(self) -> SealingMethod:
        """"tpm2", "dpapi" or "unsealed": what `doctor` and the self-test report show."""
        return self.sealer.method if self._kek is not None else "unsealed"

    def _sealer_for_existing(self, sealing: str, tcti: str) -> KeySealer:
        meta = self.dir / _SEALED_META
        if meta.exists():
            try:
                method = json.loads(meta.read_text(encoding="utf-8"))["method"]
            except (OSError, ValueError, KeyError) as exc:
                raise KeySealingError(f"{meta}: {exc}") from None
            return choose_sealer(method if method in ("tpm2", "dpapi") else "none", tcti)
        return choose_sealer(sealing, tcti)

    def _load_kek(self) -> bytes | None:
        meta = self.dir / _SEALED_META
        if meta.exists():
            try:
                data = json.loads(meta.read_text(encoding="utf-8"))
                method, blob = data["method"], base64.b64decode(data["blob"])
            except (OSError, ValueError, KeyError) as exc:
                raise KeySealingError(f"{meta}: {exc}") from None
            if method != self.sealer.method:
                raise KeySealingError(f"keys sealed by {method}, this machine offers {self.sealer.method}")
            kek = self.sealer.unseal(blob)
            if len(kek) != 32:
                raise KeySealingError(f"unsealed key has {len(kek)} bytes")
            return kek
        if any((self.dir / f"{n}.sealed").exists() for n in _WRAPPED):
            raise KeySealingError(f"{meta} missing beside sealed keys")
        if self.sealer.method == "unsealed":
            return None
        kek = secrets.token_bytes(32)
        blob = self.sealer.seal(kek)
        _write_private(meta, json.dumps({"method": self.sealer.method,
                                         "blob": base64.b64encode(blob).decode("ascii")}).encode())
        return kek

    def _secret(self, name: str, create: Callable[[], bytes]) -> bytes:
        """A secret file's bytes: unwrapped with the sealed key, or plain when unsealed."""
        plain, wrapped = self.dir / name, self.dir / f"{name}.sealed"
        if self._kek is None:
            if plain.exists():
                return plain.read_bytes()
            data = create()
            _write_private(plain, data)
            return data
        aes = AESGCM(self._kek)
        if wrapped.exists():
            blob = wrapped.read_bytes()
            try:
                return aes.decrypt(blob[:12], blob[12:], name.encode())
            except InvalidTag:
                raise KeySealingError(f"{wrapped}: does not open with the sealed key") from None
        data = plain.read_bytes() if plain.exists() else create()
        nonce = secrets.token_bytes(12)
        _write_private(wrapped, nonce + aes.encrypt(nonce, data, name.encode()))
        if plain.exists():  # an older version's plain file: overwrite, then remove
            with open(plain, "r+b") as fh:
                fh.write(b"\0" * len(data))
                fh.flush()
                os.fsync(fh.fileno())
            plain.unlink()
        return data

    # -- certificate ------------------------------------------------------------
    @property
    def cert_path(self) -> Path:
        return self.dir / "device_cert.pem"

    def certificate(self) -> x509.Certificate | None:
        if not self.cert_path.exists():
            return None
        return x509.load_pem_x509_certificate(self.cert_path.read_bytes())

    def chain(self) -> list[x509.Certificate]:
        """CA certificates above the device certificate (platform CA or demo CA)."""
        p = self.dir / "ca_chain.pem"
        return x509.load_pem_x509_certificates(p.read_bytes()) if p.exists() else []

    def store_certificate(self, cert_pem: bytes, chain_pem: bytes = b"") -> None:
        cert = x509.load_pem_x509_certificate(cert_pem)
        if cert.public_key().public_numbers() != self.signing_key.public_key().public_numbers():  # type: ignore[union-attr]
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "平台下发的证书与本机密钥不匹配，请重新注册"), detail="certificate/key mismatch")
        _write_private(self.cert_path, cert_pem)
        if chain_pem:
            _write_private(self.dir / "ca_chain.pem", chain_pem)

    def csr(self, kiosk_id: str) -> bytes:
        return make_csr(self.signing_key, kiosk_id)

    def ensure_demo_certificate(self, kiosk_id: str) -> x509.Certificate:
        """Demo mode: a local demo CA (created once) issues the device certificate."""
        cert = self.certificate()
        if cert is not None:
            return cert
        ca_key_path, ca_cert_path = self.dir / "demo_ca_key.pem", self.dir / "demo_ca_cert.pem"
        if ca_key_path.exists() and ca_cert_path.exists():
            ca_key = serialization.load_pem_private_key(ca_key_path.read_bytes(), password=None)
            ca_cert = x509.load_pem_x509_certificate(ca_cert_path.read_bytes())
            assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
        else:
            ca_key, ca_cert = make_ca("bdc-kiosk 演示CA (仅用于演示)")
            _write_private(ca_key_path, ca_key.private_bytes(serialization.Encoding.PEM,
                                                             serialization.PrivateFormat.PKCS8,
                                                             serialization.NoEncryption()))
            _write_private(ca_cert_path, ca_cert.public_bytes(serialization.Encoding.PEM))
        cert = issue_certificate(self.csr(kiosk_id), ca_key, ca_cert)
        self.store_certificate(cert.public_bytes(serialization.Encoding.PEM),
                               ca_cert.public_bytes(serialization.Encoding.PEM))
        return cert

    # -- SM2 / data key ---------------------------------------------------------
    def _load_or_create_sm2(self) -> Sm2KeyPair:
        def create() -> bytes:
            kp = Sm2KeyPair.generate()
            return json.dumps({"private_hex": kp.private_hex, "public_hex": kp.public_hex}).encode()

        d = json.loads(self._secret("sm2.json", create))
        return Sm2KeyPair(d["private_hex"], d["public_hex"])

    def _load_or_create_data_key(self) -> bytes:
        key = self._secret("data.key", lambda: AESGCM.generate_key(bit_length=256))
        if len(key) != 32:
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "本机数据密钥损坏，请联系技术人员"), detail=f"data.key: {len(key)} bytes")
        return key

    def cipher(self) -> DataCipher:
        return DataCipher(self.data_key, self.profile)


PROFILES = ("gm", "intl")


class DataCipher:
    """Authenticated encryption for personal data at rest.

    Written now: b"BDC2" || algorithm (b"S" SM4-GCM under profile "gm", b"A" AES-256-GCM under
    "intl") || nonce(12) || ciphertext+tag(16). Read as well: the first format, b"BDC1" ||
    nonce || AES-256-GCM ciphertext+tag, so outboxes and sessions written before stay readable
    whatever the profile. The SM4 key is derived from the 32-byte data key (HKDF-SM3); AES uses
    the data key itself, as the first format did.
    """

    MAGIC = b"BDC2"
    LEGACY_MAGIC = b"BDC1"
    OVERHEAD = 4 + 1 + 12 + 16
    LEGACY_OVERHEAD = 4 + 12 + 16

    def __init__(self, key: bytes, profile: str = "gm") -> None:
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {PROFILES}, not {profile!r}")
        self.profile = profile
        self._aes = AESGCM(key)
        self._sm4_key = HKDF(algorithm=hashes.SM3(), length=16, salt=None,
                             info=b"bdc-kiosk data at rest sm4-gcm").derive(key)

    def seal(self, data: bytes, aad: bytes = b"") -> bytes:
        nonce = secrets.token_bytes(12)
        if self.profile == "intl":
            return self.MAGIC + b"A" + nonce + self._aes.encrypt(nonce, data, aad or None)
        enc = Cipher(algorithms.SM4(self._sm4_key), modes.GCM(nonce)).encryptor()
        if aad:
            enc.authenticate_additional_data(aad)
        body = enc.update(data) + enc.finalize()
        return self.MAGIC + b"S" + nonce + body + enc.tag

    def open(self, blob: bytes, aad: bytes = b"") -> bytes:
        try:
            if blob.startswith(self.LEGACY_MAGIC) and len(blob) >= self.LEGACY_OVERHEAD:
                return self._aes.decrypt(blob[4:16], blob[16:], aad or None)
            if not blob.startswith(self.MAGIC) or len(blob) < self.OVERHEAD:
                raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "加密数据格式不正确"), detail="bad blob header", code="bad_ciphertext")
            alg, nonce, body = blob[4:5], blob[5:17], blob[17:]
            if alg == b"A":
                return self._aes.decrypt(nonce, body, aad or None)
            if alg == b"S":
                dec = Cipher(algorithms.SM4(self._sm4_key), modes.GCM(nonce, body[-16:])).decryptor()
                if aad:
                    dec.authenticate_additional_data(aad)
                return dec.update(body[:-16]) + dec.finalize()
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "加密数据格式不正确"), detail=f"unknown algorithm {alg!r}", code="bad_ciphertext")
        except InvalidTag:
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "加密数据已损坏或密钥不符"), detail="GCM tag mismatch", code="bad_ciphertext") from None
