"""Device keys: the device signing key and certificate, the SM2 key, and the data key.

Layout under `<state>/keys/` (directory 0700, every file 0600):
  device_key.pem    ECDSA P-256 private key; signs manifests and PDFs (PAdES)
  device_cert.pem   its X.509 certificate: issued by the platform at enrolment, or in demo mode
                    by a local demo CA created on first run (demo_ca_*.pem)
  sm2.json          SM2 key pair (hex), the second, national-standard manifest signature
  data.key          32 random bytes: AES-256-GCM key for personal data at rest
The private keys never leave this directory; the platform only ever sees a CSR and public keys.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kiosk.errors import UserFacingError


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _load_or_create_ec(path: Path) -> ec.EllipticCurvePrivateKey:
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise UserFacingError("设备密钥格式不正确，请联系技术人员重新注册设备", detail=str(path))
        return key
    key = ec.generate_private_key(ec.SECP256R1())
    _write_private(path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return key


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
                      *, days: int = 825, common_name: str | None = None) -> x509.Certificate:
    """Issue a device (document-signing) certificate for a CSR: what enrolment does on the platform."""
    csr = x509.load_pem_x509_csr(csr_pem)
    if not csr.is_signature_valid:
        raise UserFacingError("证书请求签名无效", detail="CSR signature invalid", code="bad_csr")
    subject = _name(common_name) if common_name else csr.subject
    now = dt.datetime.now(dt.timezone.utc)
    return (x509.CertificateBuilder()
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
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))


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


class DeviceKeys:
    """Loads (or on first use creates) the device's keys under `keys_dir`."""

    def __init__(self, keys_dir: Path) -> None:
        self.dir = Path(keys_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            os.chmod(self.dir, 0o700)
        except OSError:
            pass
        self.signing_key = _load_or_create_ec(self.dir / "device_key.pem")
        self.sm2 = self._load_or_create_sm2()
        self.data_key = self._load_or_create_data_key()

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
            raise UserFacingError("平台下发的证书与本机密钥不匹配，请重新注册", detail="certificate/key mismatch")
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
        p = self.dir / "sm2.json"
        if p.exists():
            d = json.loads(p.read_text())
            return Sm2KeyPair(d["private_hex"], d["public_hex"])
        kp = Sm2KeyPair.generate()
        _write_private(p, json.dumps({"private_hex": kp.private_hex, "public_hex": kp.public_hex}).encode())
        return kp

    def _load_or_create_data_key(self) -> bytes:
        p = self.dir / "data.key"
        if p.exists():
            key = p.read_bytes()
            if len(key) != 32:
                raise UserFacingError("本机数据密钥损坏，请联系技术人员", detail=f"{p}: {len(key)} bytes")
            return key
        key = AESGCM.generate_key(bit_length=256)
        _write_private(p, key)
        return key

    def cipher(self) -> DataCipher:
        return DataCipher(self.data_key)


class DataCipher:
    """AES-256-GCM for personal data at rest: blob = b"BDC1" || nonce(12) || ciphertext+tag."""

    MAGIC = b"BDC1"

    def __init__(self, key: bytes) -> None:
        self._aes = AESGCM(key)

    def seal(self, data: bytes, aad: bytes = b"") -> bytes:
        nonce = secrets.token_bytes(12)
        return self.MAGIC + nonce + self._aes.encrypt(nonce, data, aad or None)

    def open(self, blob: bytes, aad: bytes = b"") -> bytes:
        from cryptography.exceptions import InvalidTag

        if not blob.startswith(self.MAGIC) or len(blob) < 4 + 12 + 16:
            raise UserFacingError("加密数据格式不正确", detail="bad blob header", code="bad_ciphertext")
        try:
            return self._aes.decrypt(blob[4:16], blob[16:], aad or None)
        except InvalidTag:
            raise UserFacingError("加密数据已损坏或密钥不符", detail="GCM tag mismatch", code="bad_ciphertext") from None
