"""The platform's service keys, each its own key certified by the platform CA for one use only.

The CA key signs certificates, CRLs and OCSP answers and nothing else:
- the receipt key signs receipts; a receipt carries its certificate (`signer_cert_pem`), which
  `verify --trust CA.pem` accepts only when it chains to the CA and holds the receipt-signing
  extended key usage — a device certificate, issued by the same CA, cannot sign a receipt;
- the timestamp key answers RFC 3161 requests (`refplatform/tsa.py`), extended key usage
  timeStamping, critical, as RFC 3161 §2.3 requires.
Each is created once in the data directory (key 0600); its certificate is issued anew when it
is not from the current CA or has less than 30 days left (docs/evidence-format.md, lifetimes).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kiosk.evidence.verify import RECEIPT_SIGNING_EKU
from refplatform.store import write_private

SERVICE_CERT_DAYS = 3 * 365
RENEW_BEFORE = dt.timedelta(days=30)


def issue_service_certificate(key: ec.EllipticCurvePrivateKey, ca_key: ec.EllipticCurvePrivateKey,
                              ca_cert: x509.Certificate, common_name: str, usage: x509.ObjectIdentifier, *,
                              days: int = SERVICE_CERT_DAYS,
                              extra: Sequence[x509.ExtensionType] = ()) -> x509.Certificate:
    now = dt.datetime.now(dt.timezone.utc)
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "漯河市不动产登记中心"),
                         x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    builder = (x509.CertificateBuilder()
               .subject_name(subject).issuer_name(ca_cert.subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                            key_encipherment=False, data_encipherment=False, key_agreement=False,
                                            key_cert_sign=False, crl_sign=False, encipher_only=False,
                                            decipher_only=False), critical=True)
               .add_extension(x509.ExtendedKeyUsage([usage]),
                              critical=usage == ExtendedKeyUsageOID.TIME_STAMPING)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                              critical=False))
    for ext in extra:
        builder = builder.add_extension(ext, critical=False)
    return builder.sign(ca_key, hashes.SHA256())


def issue_receipt_certificate(key: ec.EllipticCurvePrivateKey, ca_key: ec.EllipticCurvePrivateKey,
                              ca_cert: x509.Certificate) -> x509.Certificate:
    return issue_service_certificate(key, ca_key, ca_cert, "参考平台 回执签名", RECEIPT_SIGNING_EKU)


def load_or_create_service_key(data_dir: Path, name: str, ca_key: ec.EllipticCurvePrivateKey,
                               ca_cert: x509.Certificate, common_name: str, usage: x509.ObjectIdentifier,
                               extra: Sequence[x509.ExtensionType] = ()
                               ) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key_path, cert_path = data_dir / f"{name}_key.pem", data_dir / f"{name}_cert.pem"
    if key_path.exists():
        loaded = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if not isinstance(loaded, ec.EllipticCurvePrivateKey):
            raise TypeError(f"{key_path} is not an EC key")
        key = loaded
    else:
        key = ec.generate_private_key(ec.SECP256R1())
        write_private(key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    if cert_path.exists():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        fresh = cert.not_valid_after_utc - dt.datetime.now(dt.timezone.utc) > RENEW_BEFORE
        try:
            cert.verify_directly_issued_by(ca_cert)
            same_key = cert.public_key() == key.public_key()
        except (ValueError, TypeError):
            same_key = False
        except Exception:  # noqa: BLE001 - InvalidSignature and the like: issue anew
            same_key = False
        if fresh and same_key:
            return key, cert
    cert = issue_service_certificate(key, ca_key, ca_cert, common_name, usage, extra=extra)
    write_private(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def load_or_create_receipt_key(data_dir: Path, ca_key: ec.EllipticCurvePrivateKey,
                               ca_cert: x509.Certificate) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    return load_or_create_service_key(data_dir, "receipt", ca_key, ca_cert, "参考平台 回执签名",
                                      RECEIPT_SIGNING_EKU)
