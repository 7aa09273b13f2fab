"""Stamping and PAdES signing of real PDFs, checked by poppler and pyHanko; bad documents refused."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from kiosk.errors import UserFacingError
from kiosk.security.keys import DeviceKeys
from kiosk.signing import PenData, Stamp, load_pdf_checked, render_signature_png, sign_pdf, stamp_pdf
from kiosk.signing.pdf import original_prefix_matches
from kiosk.signing.sample_document import sample_form_pdf
from kiosk.signing.sample_pen import handwriting_points

pytestmark = pytest.mark.media
RECT = (360.0, 120.0, 160.0, 60.0)


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} missing: apt-get install -y poppler-utils")
    return path


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DeviceKeys:
    k = DeviceKeys(tmp_path_factory.mktemp("keys"))
    k.ensure_demo_certificate("LH-KIOSK-0001")
    return k


@pytest.fixture(scope="module")
def original() -> bytes:
    return sample_form_pdf("不动产登记申请书", "LH2026-000123", pages=2, anchors=[(2, RECT, "签字：")])


@pytest.fixture(scope="module")
def pen() -> PenData:
    return PenData.from_points(handwriting_points(5), "sim-pad", 150, 75)


def _text(pdf: bytes, tmp: Path) -> str:
    p = tmp / "t.pdf"
    p.write_bytes(pdf)
    return subprocess.run([_need("pdftotext"), str(p), "-"], capture_output=True, check=True, text=True).stdout


def _render(pdf: bytes, tmp: Path, page: int, dpi: int = 72) -> np.ndarray:
    p = tmp / "r.pdf"
    p.write_bytes(pdf)
    subprocess.run([_need("pdftoppm"), "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), str(p),
                    str(tmp / "page")], check=True)
    png = next(tmp.glob("page-*.png"))
    arr = np.asarray(Image.open(png).convert("L"))
    png.unlink()
    return arr


def test_stamp_keeps_original_bytes_and_text(original: bytes, pen: PenData, tmp_path: Path) -> None:
    png = render_signature_png(pen, 600, 180)
    stamped = stamp_pdf(original, [Stamp(2, RECT, png, "2026年11月28日")])
    assert original_prefix_matches(stamped, len(original), hashlib.sha256(original).hexdigest())
    before, after = _text(original, tmp_path), _text(stamped, tmp_path)
    assert "申请人承诺" in before
    assert after.replace("2026年11月28日", "").split() == before.split()
    assert "2026年11月28日" in after   # the date is real text, not pixels


def test_ink_lands_inside_the_anchor_rect(original: bytes, pen: PenData, tmp_path: Path) -> None:
    png = render_signature_png(pen, 600, 180)
    stamped = stamp_pdf(original, [Stamp(2, RECT, png, "")])
    a = _render(original, tmp_path, 2).astype(int)
    b = _render(stamped, tmp_path, 2).astype(int)
    diff = np.abs(a - b) > 60
    ys, xs = np.nonzero(diff)
    assert len(xs) > 200
    page_h = a.shape[0]
    x, y, w, h = RECT
    assert xs.min() >= x - 1 and xs.max() <= x + w + 1
    assert ys.min() >= page_h - (y + h) - 1 and ys.max() <= page_h - y + 1


def test_several_anchors_on_one_page_and_seal(original: bytes, pen: PenData, tmp_path: Path) -> None:
    from kiosk.signing.seal import demo_seal_png
    png = render_signature_png(pen, 300, 120)
    stamps = [Stamp(1, (60, 60, 120, 48), png, "2026年1月2日"), Stamp(1, (300, 60, 120, 48), png, ""),
              Stamp(1, (450, 40, 90, 90), demo_seal_png("测试有限公司", 300), "", "seal"),
              Stamp(2, (60, 200, 120, 30), None, "2026年1月2日", "date")]
    out = stamp_pdf(original, stamps)
    b = _render(out, tmp_path, 1)
    a = _render(original, tmp_path, 1)
    page_h = a.shape[0]
    for x, y, w, h in [(60, 60, 120, 48), (300, 60, 120, 48), (450, 40, 90, 90)]:
        region = (slice(int(page_h - y - h), int(page_h - y)), slice(int(x), int(x + w)))
        assert (np.abs(a[region].astype(int) - b[region].astype(int)) > 60).sum() > 50
    rgb = np.asarray(Image.open(io.BytesIO(demo_seal_png("测试有限公司", 100))))
    assert rgb[..., 0].max() > 150  # red seal


def test_signed_pdf_is_valid_for_pdfsig_and_carries_pen_data(original: bytes, pen: PenData, keys: DeviceKeys,
                                                              tmp_path: Path) -> None:
    stamped = stamp_pdf(original, [Stamp(2, RECT, render_signature_png(pen, 600, 180), "2026年11月28日")])
    signed = sign_pdf(stamped, keys, reason="测试签署", location="漯河",
                      attachments={"p1-d1-0.bin": pen.to_bin(), "p1-d1-0.json": pen.to_json()})
    assert signed.startswith(stamped)
    p = tmp_path / "s.pdf"
    p.write_bytes(signed)
    out = subprocess.run([_need("pdfsig"), str(p)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out and "Total document signed" in out
    listing = subprocess.run([_need("pdfdetach"), "-list", str(p)], capture_output=True, text=True).stdout
    assert "p1-d1-0.bin" in listing and "p1-d1-0.json" in listing
    subprocess.run([_need("pdfdetach"), "-savefile", "p1-d1-0.bin", "-o", str(tmp_path / "x.bin"), str(p)],
                   check=True)
    assert PenData.from_bin((tmp_path / "x.bin").read_bytes()) == pen
    # one byte of the attachment region changed → pdfsig no longer says valid
    i = signed.find(b"/EmbeddedFile")
    bad = bytearray(signed)
    bad[i + 3] ^= 0x01
    p.write_bytes(bytes(bad))
    out = subprocess.run([_need("pdfsig"), str(p)], capture_output=True, text=True).stdout
    assert "Signature is Valid" not in out


class _Tsa:
    """An RFC 3161 timestamp authority on loopback HTTP (pyHanko's token builder behind it)."""

    def __init__(self) -> None:
        from asn1crypto import keys as ak
        from asn1crypto import x509 as ax
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's token builder is RSA-only
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test TSA")])
        now = dt.datetime.now(dt.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
                .not_valid_after(now + dt.timedelta(days=1))
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
                .sign(key, hashes.SHA256()))
        stamper = DummyTimeStamper(
            tsa_cert=ax.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            tsa_key=ak.PrivateKeyInfo.load(key.private_bytes(serialization.Encoding.DER,
                                                             serialization.PrivateFormat.PKCS8,
                                                             serialization.NoEncryption())))
        self.requests = 0
        outer = self

        class H(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                from asn1crypto import tsp
                body = self.rfile.read(int(self.headers["Content-Length"]))
                resp = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                outer.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(resp)))
                self.end_headers()
                self.wfile.write(resp)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsa"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture()
def tsa() -> Iterator[_Tsa]:
    t = _Tsa()
    yield t
    t.close()


def test_b_t_with_a_timestamp_authority(original: bytes, keys: DeviceKeys, tsa: _Tsa, tmp_path: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    signed = sign_pdf(original, keys, reason="r", location="l", attachments={}, tsa_url=tsa.url)
    assert tsa.requests >= 1  # pyHanko also asks once to size the signature placeholder
    sig = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    unsigned = [a["type"].native for a in sig.signer_info["unsigned_attrs"]]
    assert "signature_time_stamp_token" in unsigned  # the signature timestamp that makes it PAdES B-T
    p = tmp_path / "t.pdf"
    p.write_bytes(signed)
    assert "Signature is Valid" in subprocess.run([_need("pdfsig"), str(p)], capture_output=True, text=True).stdout


def test_unreachable_tsa_is_a_clear_error(original: bytes, keys: DeviceKeys) -> None:
    with pytest.raises(UserFacingError, match="时间戳"):
        sign_pdf(original, keys, reason="r", location="l", tsa_url="http://127.0.0.1:9/none")


# ---------------------------------------------------------------- bad input

def test_accepts_the_case_document(original: bytes) -> None:
    info = load_pdf_checked(original, hashlib.sha256(original).hexdigest())
    assert info.pages == 2 and abs(info.page_sizes[0][0] - 595.28) < 0.01


def test_hash_mismatch_is_refused(original: bytes) -> None:
    with pytest.raises(UserFacingError, match="不一致") as e:
        load_pdf_checked(original, "0" * 64)
    assert e.value.code == "document_mismatch"


def test_truncated_pdf_is_refused(original: bytes) -> None:
    cut = original[: len(original) * 2 // 3]
    with pytest.raises(UserFacingError, match="不完整"):
        load_pdf_checked(cut, hashlib.sha256(cut).hexdigest())


def test_corrupted_pdf_is_refused(original: bytes) -> None:
    bad = b"%PDF-1.4\n" + bytes(np.random.default_rng(1).integers(0, 256, 4000, dtype=np.uint8)) + b"\n%%EOF\n"
    with pytest.raises(UserFacingError, match="损坏") as e:
        load_pdf_checked(bad, hashlib.sha256(bad).hexdigest())
    assert e.value.code == "bad_document"


def test_not_a_pdf_is_refused() -> None:
    data = b"<html>404</html>"
    with pytest.raises(UserFacingError, match="不是PDF"):
        load_pdf_checked(data, hashlib.sha256(data).hexdigest())


def test_encrypted_pdf_is_refused(original: bytes) -> None:
    from pypdf import PdfReader, PdfWriter
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(original)))
    w.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    buf = io.BytesIO()
    w.write(buf)
    data = buf.getvalue()
    with pytest.raises(UserFacingError, match="加密") as e:
        load_pdf_checked(data, hashlib.sha256(data).hexdigest())
    assert e.value.code == "document_encrypted"


def test_huge_pdf_is_refused_before_parsing(original: bytes) -> None:
    with pytest.raises(UserFacingError, match="过大"):
        load_pdf_checked(original, hashlib.sha256(original).hexdigest(), max_bytes=1000)
    with pytest.raises(UserFacingError, match="页数过多"):
        load_pdf_checked(original, hashlib.sha256(original).hexdigest(), max_pages=1)


@pytest.mark.parametrize(("page", "rect"), [(3, RECT), (1, (500.0, 100.0, 200.0, 50.0)),
                                            (1, (100.0, 820.0, 100.0, 40.0))])
def test_anchor_off_the_page_is_refused(original: bytes, page: int, rect: tuple[float, ...]) -> None:
    with pytest.raises(UserFacingError, match="签字位置") as e:
        stamp_pdf(original, [Stamp(page, rect, None, "2026年1月1日", "date")])  # type: ignore[arg-type]
    assert e.value.code == "bad_anchor"


def test_pdfsig_trusts_the_chain_when_the_ca_is_trusted(original: bytes, tmp_path: Path) -> None:
    """NSS (poppler) validates our CMS chain end to end once the CA is in its trust store.

    NSS checks PDF signers for the emailProtection EKU; the certificate here carries it next
    to documentSigning, as an enrolment CA should issue them for poppler/NSS-based readers.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import ExtendedKeyUsageOID

    from kiosk.security.keys import make_ca

    certutil = _need("certutil")  # apt-get install -y libnss3-tools
    k = DeviceKeys(tmp_path / "keys")
    ca_key, ca_cert = make_ca("测试CA")
    csr = x509.load_pem_x509_csr(k.csr("LH-KIOSK-0009"))
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(csr.subject).issuer_name(ca_cert.subject)
            .public_key(csr.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                                  x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_pem = ca_cert.public_bytes(serialization.Encoding.PEM)
    k.store_certificate(cert.public_bytes(serialization.Encoding.PEM), ca_pem)
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(sign_pdf(original, k, reason="r", location="l"))
    nss = tmp_path / "nss"
    nss.mkdir()
    (tmp_path / "ca.pem").write_bytes(ca_pem)
    subprocess.run([certutil, "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
    out = subprocess.run([_need("pdfsig"), "-nssdir", f"sql:{nss}", str(pdf)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out and "Certificate is Trusted" not in out  # CA not yet trusted
    subprocess.run([certutil, "-A", "-d", f"sql:{nss}", "-n", "ca", "-t", "CT,C,C", "-a", "-i",
                    str(tmp_path / "ca.pem")], check=True, capture_output=True)
    out = subprocess.run([_need("pdfsig"), "-nssdir", f"sql:{nss}", str(pdf)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out and "Certificate is Trusted" in out
