"""The platform's CA: its key signs the device certificates it issues at enrolment and the
receipts. Created once in the data directory (key 0600)."""
from __future__ import annotations

from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.security.keys import issue_certificate, make_ca
from refplatform.store import write_private

CA_NAME = "漯河市不动产登记中心 终端CA（参考平台）"


def load_or_create_ca(data_dir: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key_path, cert_path = data_dir / "platform_key.pem", data_dir / "platform_cert.pem"
    if key_path.exists() and cert_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise TypeError(f"{key_path} is not an EC key")
        return key, x509.load_pem_x509_certificate(cert_path.read_bytes())
    key, cert = make_ca(CA_NAME)
    write_private(key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()))
    write_private(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def issue_device_certificate(csr_pem: bytes, ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate,
                             kiosk_id: str, base_url: str = "") -> x509.Certificate:
    """The device certificate for an enrolment; ValueError for a CSR that is not one. With the
    platform's `base_url` it names the CRL and the OCSP responder (`refplatform/revocation.py`)."""
    from refplatform.revocation import revocation_extensions

    try:
        return issue_certificate(csr_pem, ca_key, ca_cert, common_name=kiosk_id,
                                 extra=revocation_extensions(base_url))
    except (ValueError, TypeError):
        raise
    except Exception as exc:  # noqa: BLE001 - UserFacingError from a bad CSR signature
        raise ValueError(str(exc)) from None
