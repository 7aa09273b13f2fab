"""Long-term signatures against the reference platform on loopback: its RFC 3161 TSA, CRL and
OCSP responder; B-T documents from the kiosk, B-B with a reason when the TSA is down; the
platform's B-LT copy validated by pyHanko offline with revocation checking."""
from __future__ import annotations

import io
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtensionOID

from kiosk.config import PlatformSettings
from kiosk.evidence.sample import build_sample_package
from kiosk.evidence.verify import check_pdf_signatures, verify
from kiosk.platform import PlatformClient
from kiosk.platform.demo import DEMO_ENROL_CODE
from kiosk.security.keys import DeviceKeys
from refplatform.longterm import extend_package
from refplatform.server import ReferencePlatform

pytestmark = pytest.mark.media
KIOSK = "LH-KIOSK-0001"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferencePlatform]:
    pf = ReferencePlatform(tmp_path_factory.mktemp("platform"), demo=True, seed_demo=False)  # no case check
    pf.start()
    yield pf
    pf.close()


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory, platform: ReferencePlatform) -> DeviceKeys:
    k = DeviceKeys(tmp_path_factory.mktemp("keys"))
    client = PlatformClient(platform.url, PlatformSettings(url=platform.url, timeout_s=5.0), k, KIOSK, k.dir)
    client.ensure_enrolled(DEMO_ENROL_CODE)
    client.close()
    return k


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory, keys: DeviceKeys, platform: ReferencePlatform) -> Path:
    return build_sample_package(tmp_path_factory.mktemp("pkg"), keys, kiosk_id=KIOSK, tsa_url=platform.url + "/v1/tsa")


def _asn1(c: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))


def test_device_certificate_names_crl_and_ocsp(keys: DeviceKeys, platform: ReferencePlatform) -> None:
    cert = keys.certificate()
    assert cert is not None
    dp = cert.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS).value
    assert dp[0].full_name[0].value == platform.url + "/v1/ca/crl"
    aia = {a.access_method: a.access_location.value
           for a in cert.extensions.get_extension_for_oid(ExtensionOID.AUTHORITY_INFORMATION_ACCESS).value}
    assert aia[AuthorityInformationAccessOID.OCSP] == platform.url + "/v1/ca/ocsp"
    assert requests.get(aia[AuthorityInformationAccessOID.CA_ISSUERS], timeout=5).content == \
        platform.ca_cert.public_bytes(serialization.Encoding.DER)


def test_documents_and_report_are_b_t_with_the_platform_tsa(package: Path, platform: ReferencePlatform) -> None:
    m = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    assert m["signature_level"] == "PAdES-B-T" and "signature_level_reason" not in m
    v = verify(package, anchors=[platform.ca_cert], trust="ca")
    assert v.problems == [] and v.signer_trusted
    assert set(v.levels.values()) == {"PAdES-B-T"} and len(v.levels) == 3


@pytest.mark.allow_log_warnings
def test_tsa_unreachable_gives_b_b_with_the_reason(keys: DeviceKeys, tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/v1/tsa"  # nobody listens once closed
    pkg = build_sample_package(tmp_path, keys, kiosk_id=KIOSK, tsa_url=dead)
    m = json.loads((pkg / "manifest.json").read_text(encoding="utf-8"))
    assert m["signature_level"] == "PAdES-B-B" and "时间戳服务不可达" in m["signature_level_reason"]
    assert verify(pkg).level == "PAdES-B-B"


def test_platform_copy_is_b_lt_and_validates_offline_with_revocation(package: Path,
                                                                     platform: ReferencePlatform) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko_certvalidator import ValidationContext

    levels = extend_package(platform, package)
    assert levels == {"documents/d1.pdf": "PAdES-B-LT", "documents/d2.pdf": "PAdES-B-LT", "report.pdf": "PAdES-B-LT"}
    root = _asn1(platform.ca_cert)
    for rel in levels:
        stored = (platform.data_dir / "longterm" / package.name / rel).read_bytes()
        assert stored.startswith((package / rel).read_bytes())  # an incremental update of what was signed
        reader = PdfFileReader(io.BytesIO(stored))
        sig = reader.embedded_signatures[0]
        # offline: only the CA as root and what the document's DSS holds; revocation required
        vc = DocumentSecurityStore.read_dss(reader).as_validation_context(
            {"trust_roots": [root], "allow_fetching": False, "revocation_mode": "hard-fail"})
        status = validate_pdf_signature(sig, vc)
        assert status.bottom_line, status.pretty_print_details()
        assert status.revocation_details is None or not status.revocation_details.revoked
        assert status.timestamp_validity is not None and status.timestamp_validity.trusted
        # the copy as uploaded (B-T) does not hold revocation data: offline, hard-fail, it is not trusted
        bare = PdfFileReader(io.BytesIO((package / rel).read_bytes())).embedded_signatures[0]
        vc = ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="hard-fail",
                               crls=[], ocsps=[])
        assert not validate_pdf_signature(bare, vc).bottom_line
    # verify reads the level of the platform's copy too
    copy = platform.data_dir / "longterm" / package.name / "documents" / "d1.pdf"
    levels_seen = check_pdf_signatures(copy.read_bytes(), platform_device_cert(platform), [platform.ca_cert])
    assert levels_seen.problems == [] and levels_seen.level == "PAdES-B-LT"


def platform_device_cert(platform: ReferencePlatform) -> x509.Certificate:
    pem = platform.enrolled_certificate(KIOSK)
    assert pem is not None
    return x509.load_pem_x509_certificate(pem)


def _ocsp(platform: ReferencePlatform, cert: x509.Certificate) -> ocsp.OCSPResponse:
    req = ocsp.OCSPRequestBuilder().add_certificate(cert, platform.ca_cert, hashes.SHA256()).build()
    r = requests.post(platform.url + "/v1/ca/ocsp", data=req.public_bytes(serialization.Encoding.DER),
                      headers={"Content-Type": "application/ocsp-request"}, timeout=5)
    assert r.headers["content-type"] == "application/ocsp-response"
    return ocsp.load_der_ocsp_response(r.content)


def test_ocsp_and_crl_follow_revocation(keys: DeviceKeys, platform: ReferencePlatform, tmp_path: Path) -> None:
    cert = keys.certificate()
    assert cert is not None
    good = _ocsp(platform, cert)
    assert good.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert good.certificate_status == ocsp.OCSPCertStatus.GOOD
    ca_key = platform.ca_cert.public_key()
    assert isinstance(ca_key, ec.EllipticCurvePublicKey)
    ca_key.verify(good.signature, good.tbs_response_bytes, ec.ECDSA(hashes.SHA256()))  # signed by the CA
    # a second device, then revoked by the operator
    other = DeviceKeys(tmp_path / "k2")
    client = PlatformClient(platform.url, PlatformSettings(url=platform.url, timeout_s=5.0), other, "LH-KIOSK-0002",
                            other.dir)
    client.ensure_enrolled(DEMO_ENROL_CODE)
    client.close()
    other_cert = other.certificate()
    assert other_cert is not None
    platform.revoke_device("LH-KIOSK-0002")
    answer = _ocsp(platform, other_cert)
    assert answer.certificate_status == ocsp.OCSPCertStatus.REVOKED
    crl = x509.load_der_x509_crl(requests.get(platform.url + "/v1/ca/crl", timeout=5).content)
    assert crl.is_signature_valid(platform.ca_cert.public_key())  # type: ignore[arg-type]
    assert crl.get_revoked_certificate_by_serial_number(other_cert.serial_number) is not None
    assert crl.get_revoked_certificate_by_serial_number(cert.serial_number) is None
    # the revocation time stays what it was first recorded as
    again = x509.load_der_x509_crl(requests.get(platform.url + "/v1/ca/crl", timeout=5).content)
    first = crl.get_revoked_certificate_by_serial_number(other_cert.serial_number)
    second = again.get_revoked_certificate_by_serial_number(other_cert.serial_number)
    assert first is not None and second is not None
    assert first.revocation_date_utc == second.revocation_date_utc
    # not this CA's certificate: unauthorized
    foreign = _ocsp_foreign(platform)
    assert foreign.response_status == ocsp.OCSPResponseStatus.UNAUTHORIZED


def _ocsp_foreign(platform: ReferencePlatform) -> ocsp.OCSPResponse:
    from kiosk.security.keys import make_ca
    _, ca = make_ca("someone else")
    return _ocsp(platform, ca)


def _status(der: bytes) -> dict[str, object]:
    """The PKIStatusInfo of a TimeStampResp without a token (asn1crypto's schema wants one)."""
    from asn1crypto import core, tsp
    return dict(tsp.PKIStatusInfo.load(core.Sequence.load(der)[0].dump()).native)


def test_tsa_rejects_garbage_and_unknown_algorithms(platform: ReferencePlatform) -> None:
    from asn1crypto import tsp
    r = requests.post(platform.url + "/v1/tsa", data=b"\x30\x03garbage", timeout=5,
                      headers={"Content-Type": "application/timestamp-query"})
    assert r.status_code == 200 and _status(r.content)["status"] == "rejection"
    req = tsp.TimeStampReq({"version": 1, "message_imprint": {
        "hash_algorithm": {"algorithm": "md5"}, "hashed_message": b"\0" * 16}, "cert_req": True})
    r = requests.post(platform.url + "/v1/tsa", data=req.dump(), timeout=5)
    status = _status(r.content)
    assert status["status"] == "rejection" and "bad_alg" in status["fail_info"]  # type: ignore[operator]


def test_uploaded_package_is_receipted_by_the_receipt_key_and_kept_b_lt(
        keys: DeviceKeys, platform: ReferencePlatform, tmp_path: Path) -> None:
    """The whole way: a B-T package through the outbox to the platform; its receipt verifies
    with `verify --state` (the receipt certificate from enrolment) and with `--trust` alone (the
    certificate the receipt carries), never with the CA's key; the platform kept B-LT copies."""
    import shutil

    from kiosk.cli.verify import trust_from_args
    from kiosk.platform import Outbox, Uploader

    state = tmp_path / "state"
    shutil.copytree(keys.dir, state / "keys")
    client = PlatformClient(platform.url, PlatformSettings(url=platform.url, timeout_s=5.0), keys, KIOSK, keys.dir)
    client.ensure_enrolled(DEMO_ENROL_CODE)
    pkg = build_sample_package(tmp_path / "build", keys, kiosk_id=KIOSK, tsa_url=platform.url + "/v1/tsa")
    kept = tmp_path / "kept" / pkg.name
    shutil.copytree(pkg, kept)
    outbox = Outbox(tmp_path / "outbox", keys.cipher(), min_free_bytes=1 << 20)
    m = json.loads((pkg / "manifest.json").read_text(encoding="utf-8"))
    outbox.enqueue(pkg, m["package_id"], m["case_no"])
    [receipt] = Uploader(outbox, client, retention_days=0).drain_once()
    client.close()
    outbox.close()
    assert receipt.signer_cert_pem and receipt.signature_valid(
        x509.load_pem_x509_certificate(receipt.signer_cert_pem.encode()).public_key())  # type: ignore[arg-type]
    ca_pub = platform.ca_cert.public_key()
    assert isinstance(ca_pub, ec.EllipticCurvePublicKey) and not receipt.signature_valid(ca_pub)
    (kept / "receipt.json").write_text(json.dumps(receipt.to_json()), encoding="utf-8")
    shutil.copy(keys.dir / "platform_credential.json", state / "keys" / "platform_credential.json")

    class Args:
        trust = None
    Args.state = str(state)  # type: ignore[attr-defined]
    anchors, source, receipt_certs = trust_from_args(Args())  # type: ignore[arg-type]
    by_state = verify(kept, anchors=anchors, trust=source, receipt_certs=receipt_certs)
    assert by_state.problems == [] and by_state.signer_trusted and by_state.receipt == "checked"
    by_trust = verify(kept, anchors=[platform.ca_cert], trust="ca")
    assert by_trust.problems == [] and by_trust.level == "PAdES-B-T"
    stored = platform.data_dir / "longterm" / m["package_id"]
    assert sorted(p.relative_to(stored).as_posix() for p in stored.rglob("*.pdf")) == \
        ["documents/d1.pdf", "documents/d2.pdf", "report.pdf"]
