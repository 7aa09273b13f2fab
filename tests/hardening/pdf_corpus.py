"""Malformed PDFs made in the test, byte by byte: each one a way a document from the platform
(or someone between it and the kiosk) can be broken or hostile."""
from __future__ import annotations

import io
import re
from collections.abc import Callable

from kiosk.signing.sample_document import sample_form_pdf

RECT = (360.0, 120.0, 160.0, 60.0)


def build_pdf(objects: list[bytes], *, root: int = 1, xref: bool = True, trailer_extra: bytes = b"") -> bytes:
    """A classic PDF from numbered object bodies (object i+1 is objects[i]) with a correct xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        for off in offsets:
            out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R " % (len(objects) + 1, root) + trailer_extra + b">>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
_CONTENT = b"<< /Length 9 >>\nstream\nBT ET q Q\nendstream"


def good_minimal() -> bytes:
    return build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      _PAGE, _CONTENT])


def original() -> bytes:
    return sample_form_pdf("不动产登记申请书", "LH2026-000123", pages=2, anchors=[(2, RECT, "签字：")])


def _encrypted() -> bytes:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(good_minimal())))
    w.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _huge(size: int) -> bytes:
    body = good_minimal()
    pad = b"%" + b"x" * 1000 + b"\n"
    head, rest = body.split(b"\n", 1)
    return head + b"\n" + pad * (size // len(pad) + 1) + rest


def corpus() -> dict[str, Callable[[], bytes]]:
    """name → maker; every one of these must be refused with a DocumentError, quickly."""
    return {
        "zero_bytes": lambda: b"",
        "only_header": lambda: b"%PDF-1.7\n%%EOF\n",
        "truncated_half": lambda: original()[: len(original()) // 2],
        "truncated_before_eof": lambda: original()[:-7],
        "encrypted_aes256": _encrypted,
        "self_referencing_pages": lambda: build_pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
        "page_tree_loop": lambda: build_pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"]),
        "recursive_object_refs": lambda: build_pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>", b"3 0 R", b"4 0 R", b"2 0 R"]),
        "count_1e9_no_kids": lambda: build_pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 1000000000 >>"]),
        "count_1e9_one_kid": lambda: build_pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>",
            _PAGE, _CONTENT]),
        "kids_600_pages": lambda: build_pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b"3 0 R " * 600 + b"] /Count 600 >>", _PAGE, _CONTENT]),
        "garbage_xref": lambda: re.sub(rb"xref\n.*?trailer", b"xref\n0 9\nzzzz garbage \x00\xff\ntrailer",
                                       good_minimal(), flags=re.S),
        "startxref_out_of_file": lambda: re.sub(rb"startxref\n\d+", b"startxref\n99999999", good_minimal()),
        "no_catalog": lambda: build_pdf([b"<< /Type /Pages /Kids [] /Count 0 >>"]),
        "root_is_not_a_dict": lambda: build_pdf([b"(just a string)"]),
        "zero_mediabox": lambda: build_pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 0 0] /Contents 4 0 R >>", _CONTENT]),
        "mediabox_garbage": lambda: build_pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [(a) /b 1] /Contents 4 0 R >>", _CONTENT]),
        "contents_points_to_itself": lambda: build_pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"]),
        "deep_nested_arrays": lambda: build_pdf([
            b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 5000 + b"]" * 5000 + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _PAGE, _CONTENT]),
        "stream_length_huge": lambda: build_pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _PAGE,
            b"<< /Length 999999999 >>\nstream\nBT ET\nendstream"]),
        "stream_length_short": lambda: good_minimal().replace(b"/Length 9", b"/Length 3"),
        "html_error_page": lambda: b"<html><body>502 Bad Gateway</body></html>",
        "over_60_mb": lambda: _huge(61 * 1024 * 1024),
    }
