"""TLS to the platform with real certificates on loopback: the kiosk talks only to a platform
whose certificate is issued by the configured CA, names the host it dialled, is within its
validity and, when pinned, carries the pinned key. Each refusal is checked for its reason, so
a test cannot pass because the server was merely down."""
from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.config import PlatformSettings, StatePaths
from kiosk.platform import PlatformClient
from kiosk.platform.client import PlatformError, spki_sha256
from kiosk.platform.demo import DEMO_CASE_NO, DEMO_ENROL_CODE
from kiosk.security.keys import DeviceKeys, make_ca
from refplatform import ReferencePlatform

KIOSK_ID = "LH-KIOSK-0077"
NOW = dt.datetime.now(dt.timezone.utc)


@dataclass
class Pki:
    ca_key: ec.EllipticCurvePrivateKey
    ca_cert: x509.Certificate
    ca_path: Path


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    key, cert = make_ca("平台测试根CA")
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return Pki(key, cert, path)


def _leaf(d: Path, issuer: tuple[ec.EllipticCurvePrivateKey, x509.Certificate] | None, *,
          dns: tuple[str, ...] = ("localhost",), ips: tuple[str, ...] = ("127.0.0.1", "::1"),
          not_before: dt.datetime = NOW - dt.timedelta(hours=1),
          not_after: dt.datetime = NOW + dt.timedelta(days=30),
          key: ec.EllipticCurvePrivateKey | None = None) -> tuple[Path, Path, x509.Certificate]:
    """A server certificate and key written as PEM; `issuer=None` makes it self-signed."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, dns[0] if dns else "platform")])
    sign_key, issuer_name = (key, subject) if issuer is None else (issuer[0], issuer[1].subject)
    sans: list[x509.GeneralName] = [x509.DNSName(n) for n in dns]
    sans += [x509.IPAddress(ipaddress.ip_address(a)) for a in ips]
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.SubjectAlternativeName(sans), critical=False))
    if issuer is None:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    cert = builder.sign(sign_key, hashes.SHA256())
    d.mkdir(parents=True, exist_ok=True)
    crt, pem_key = d / "server.crt", d / "server.key"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem_key.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return crt, pem_key, cert


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[object]:
    """Start a reference platform over HTTPS with the given certificate; returns its URL."""
    servers: list[ReferencePlatform] = []

    def start(crt: Path, key: Path, host: str = "127.0.0.1") -> str:
        srv = ReferencePlatform(tmp_path / f"pf{len(servers)}", host=host, certfile=str(crt), keyfile=str(key), demo=True)
        servers.append(srv)
        return srv.start()

    yield start
    for srv in servers:
        srv.close()


def _client(root: Path, url: str, *, ca: Path | None = None, pin: str = "") -> PlatformClient:
    paths = StatePaths(root).ensure()
    settings = PlatformSettings(url=url, timeout_s=3.0, ca_bundle=str(ca) if ca else "", pin_sha256=pin)
    client = PlatformClient(url, settings, DeviceKeys(paths.keys), KIOSK_ID, paths.keys)
    client.backoff_base_s = 0.01
    client.backoff_cap_s = 0.02
    return client


def _refused(client: PlatformClient) -> PlatformError:
    try:
        with pytest.raises(PlatformError) as err:
            client.health()
        return err.value
    finally:
        client.close()


def test_a_certificate_from_the_configured_ca_is_accepted_end_to_end(pki: Pki, serve, tmp_path: Path) -> None:
    crt, key, _ = _leaf(tmp_path / "good", (pki.ca_key, pki.ca_cert))
    url = serve(crt, key)
    client = _client(tmp_path / "k", url, ca=pki.ca_path)
    try:
        assert client.health()["status"] == "ok"
        client.ensure_enrolled(DEMO_ENROL_CODE)  # signed requests over the same verified channel
        assert client.get_case(DEMO_CASE_NO)["case_no"] == DEMO_CASE_NO
    finally:
        client.close()


def test_self_signed_certificate_is_refused(pki: Pki, serve, tmp_path: Path) -> None:
    crt, key, _ = _leaf(tmp_path / "self", None)
    url = serve(crt, key)
    for label, ca in (("system CAs", None), ("platform CA", pki.ca_path)):
        err = _refused(_client(tmp_path / f"k-{label[:3]}", url, ca=ca))
        assert err.code == "tls_error", label
        assert "self-signed" in err.detail or "self signed" in err.detail, err.detail
        assert "CA证书" in err.message


def test_certificate_for_another_host_is_refused(pki: Pki, serve, tmp_path: Path) -> None:
    crt, key, _ = _leaf(tmp_path / "other", (pki.ca_key, pki.ca_cert), dns=("bdc.example.gov.cn",), ips=())
    url = serve(crt, key)
    err = _refused(_client(tmp_path / "k", url, ca=pki.ca_path))
    assert err.code == "tls_error"
    assert "mismatch" in err.detail.lower() or "match" in err.detail.lower(), err.detail


def test_same_certificate_is_accepted_under_a_name_it_carries(pki: Pki, serve, tmp_path: Path) -> None:
    """The other half of the wrong-host test: the refusal above is about the name, nothing else."""
    crt, key, _ = _leaf(tmp_path / "named", (pki.ca_key, pki.ca_cert), dns=("localhost",), ips=())
    url = serve(crt, key)
    by_name = url.replace("127.0.0.1", "localhost")
    client = _client(tmp_path / "k1", by_name, ca=pki.ca_path)
    try:
        assert client.health()["status"] == "ok"
    finally:
        client.close()
    err = _refused(_client(tmp_path / "k2", url, ca=pki.ca_path))  # dialled by IP, cert names no IP
    assert err.code == "tls_error"


@pytest.mark.parametrize(("label", "not_before", "not_after", "reason"), [
    ("expired", NOW - dt.timedelta(days=60), NOW - dt.timedelta(days=1), "expired"),
    ("not yet valid", NOW + dt.timedelta(days=1), NOW + dt.timedelta(days=60), "not yet valid"),
])
def test_certificate_outside_its_validity_is_refused(pki: Pki, serve, tmp_path: Path, label: str,
                                                     not_before: dt.datetime, not_after: dt.datetime,
                                                     reason: str) -> None:
    crt, key, _ = _leaf(tmp_path / "dated", (pki.ca_key, pki.ca_cert), not_before=not_before, not_after=not_after)
    url = serve(crt, key)
    err = _refused(_client(tmp_path / "k", url, ca=pki.ca_path))
    assert err.code == "tls_error", label
    assert reason in err.detail, err.detail


def test_pin_refuses_a_valid_certificate_with_another_key(pki: Pki, serve, tmp_path: Path) -> None:
    """A rogue platform holding a genuine certificate from the same CA (a mis-issued one, or one
    for a neighbour service) passes every CA check; only the pin stops it."""
    genuine_key = ec.generate_private_key(ec.SECP256R1())
    _, _, genuine = _leaf(tmp_path / "genuine", (pki.ca_key, pki.ca_cert), key=genuine_key)
    pin = spki_sha256(genuine.public_bytes(serialization.Encoding.DER))
    crt, key, rogue = _leaf(tmp_path / "rogue", (pki.ca_key, pki.ca_cert))
    url = serve(crt, key)
    unpinned = _client(tmp_path / "k0", url, ca=pki.ca_path)
    try:
        assert unpinned.health()["status"] == "ok"  # the rogue certificate is valid for the CA
    finally:
        unpinned.close()
    err = _refused(_client(tmp_path / "k1", url, ca=pki.ca_path, pin=pin))
    assert err.code == "pin_mismatch"
    assert "固定" in err.message
    assert spki_sha256(rogue.public_bytes(serialization.Encoding.DER)) != pin


def test_pin_survives_a_certificate_renewal_with_the_same_key(pki: Pki, serve, tmp_path: Path) -> None:
    """The pin is on the public key, so the platform can renew its certificate without
    re-configuring every kiosk, as long as it keeps the key."""
    key = ec.generate_private_key(ec.SECP256R1())
    _, _, old = _leaf(tmp_path / "old", (pki.ca_key, pki.ca_cert), key=key,
                      not_after=NOW + dt.timedelta(days=1))
    crt, pem, new = _leaf(tmp_path / "new", (pki.ca_key, pki.ca_cert), key=key,
                          not_after=NOW + dt.timedelta(days=400))
    assert old.serial_number != new.serial_number
    url = serve(crt, pem)
    client = _client(tmp_path / "k", url, ca=pki.ca_path, pin=spki_sha256(old.public_bytes(serialization.Encoding.DER)))
    try:
        assert client.health()["status"] == "ok"
    finally:
        client.close()


def test_pin_does_not_replace_certificate_verification(serve, tmp_path: Path) -> None:
    """Pinning a self-signed certificate's key is not enough: the chain must still verify, so a
    stolen pin value alone cannot be used to switch verification off."""
    crt, key, cert = _leaf(tmp_path / "self", None)
    url = serve(crt, key)
    err = _refused(_client(tmp_path / "k", url, pin=spki_sha256(cert.public_bytes(serialization.Encoding.DER))))
    assert err.code == "tls_error"


def test_enrolment_never_sends_the_code_to_an_unverified_platform(serve, tmp_path: Path) -> None:
    """The one-time enrolment code is a secret: with a bad certificate the request must fail
    before the body is sent, and the kiosk stays unenrolled."""
    crt, key, _ = _leaf(tmp_path / "self", None)
    srv_url = serve(crt, key)
    client = _client(tmp_path / "k", srv_url)
    try:
        with pytest.raises(PlatformError) as err:
            client.ensure_enrolled(DEMO_ENROL_CODE)
        assert err.value.code == "tls_error"
        assert not client.enrolled
        assert not (tmp_path / "k" / "keys" / "platform_credential.json").exists()
    finally:
        client.close()


def test_https_on_ipv6_loopback_verifies_the_address(pki: Pki, serve, tmp_path: Path) -> None:
    import socket

    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    crt, key, _ = _leaf(tmp_path / "v6", (pki.ca_key, pki.ca_cert), dns=("localhost",), ips=("::1",))
    url = serve(crt, key, host="::1")
    assert url.startswith("https://[::1]:")
    client = _client(tmp_path / "k", url, ca=pki.ca_path)
    try:
        assert client.health()["status"] == "ok"
    finally:
        client.close()
    crt2, key2, _ = _leaf(tmp_path / "v4only", (pki.ca_key, pki.ca_cert), dns=("x.invalid",), ips=("127.0.0.1",))
    url2 = serve(crt2, key2, host="::1")
    err = _refused(_client(tmp_path / "k2", url2, ca=pki.ca_path))
    assert err.code == "tls_error"
