"""Documents from the platform: checked on arrival, stamped at the anchors, signed (PAdES).

Everything is done as incremental updates (pyHanko's `IncrementalPdfFileWriter`): the
platform's original bytes stay the untouched prefix of the stamped file, then come the
stamps, then the attachments and the signature. So the signed PDF still proves which
original it was made from (`original_prefix_matches`), the original text layer is never
rewritten, and the signature covers the stamps and the pen data.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kiosk.errors import UserFacingError
from kiosk.security.keys import DeviceKeys
from kiosk.texts import QT_TRANSLATE_NOOP, fmt

MAX_PDF_BYTES = 60 * 1024 * 1024
MAX_PAGES = 500
StampKind = Literal["signature", "seal", "date"]


class DocumentError(UserFacingError):
    """A document from the platform cannot be used; the case must be flagged for staff."""

    def __init__(self, message: str, *, detail: str, code: str = "bad_document") -> None:
        super().__init__(message, detail=detail, code=code)


@dataclass(frozen=True)
class PdfInfo:
    pages: int
    page_sizes: list[tuple[float, float]]          # width, height in points, per page
    media_boxes: list[tuple[float, float, float, float]]
    sha256: str
    size: int


@dataclass(frozen=True)
class Stamp:
    """What to put at one anchor: `rect` is x, y, w, h in PDF points, origin bottom-left."""

    page: int                      # 1-based
    rect: tuple[float, float, float, float]
    png: bytes | None = None
    date_text: str = ""
    kind: StampKind = "signature"


def _pdf_error(reason: str, detail: str, code: str = "bad_document") -> DocumentError:
    return DocumentError(fmt(QT_TRANSLATE_NOOP("kiosk", "文书文件{reason}，无法签署。请工作人员核对后重新推送文书"), reason=reason),
                         detail=detail, code=code)


def load_pdf_checked(data: bytes, expected_sha256: str, *, max_bytes: int = MAX_PDF_BYTES,
                     max_pages: int = MAX_PAGES) -> PdfInfo:
    """Accept a PDF from the platform only if it is the one the case names and can be signed.

    Refuses, with a reason staff can act on: a hash different from the case's, more than
    `max_bytes` or `max_pages`, no PDF header, truncation (no `%%EOF` at the end),
    encryption, or a structure that does not parse.
    """
    size = len(data)
    if size > max_bytes:
        raise _pdf_error(QT_TRANSLATE_NOOP("kiosk", "过大"), f"{size} bytes > {max_bytes}", "document_too_large")
    digest = hashlib.sha256(data).hexdigest()
    if expected_sha256 and digest != expected_sha256.lower():
        raise DocumentError(QT_TRANSLATE_NOOP("kiosk", "文书与案件登记的版本不一致（校验值不符），请工作人员重新推送文书"),
                            detail=f"sha256 {digest} != case {expected_sha256}", code="document_mismatch")
    head = data[:1024]
    if b"%PDF-" not in head:
        raise _pdf_error(QT_TRANSLATE_NOOP("kiosk", "不是PDF"), "no %PDF- header in the first 1024 bytes")
    if b"%%EOF" not in data[-2048:]:
        raise _pdf_error(QT_TRANSLATE_NOOP("kiosk", "不完整（可能下载中断）"), "no %%EOF in the last 2048 bytes: truncated")
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, StreamObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _pdf_error(QT_TRANSLATE_NOOP("kiosk", "已加密"), "encrypted PDF (/Encrypt in trailer)", "document_encrypted")
        n = len(reader.pages)
        if n < 1:
            raise _pdf_error(QT_TRANSLATE_NOOP("kiosk", "没有页面"), "zero pages")
        if n > max_pages:
            raise _pdf_error(QT_TRANSLATE_NOOP("kiosk", "页数过多"), f"{n} pages > {max_pages}", "document_too_large")
        sizes: list[tuple[float, float]] = []
        boxes: list[tuple[float, float, float, float]] = []
        for page in reader.pages:
            mb = page.mediabox
            box = (float(mb.left), float(mb.bottom), float(mb.right), float(mb.top))
            if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
                raise _pdf_error(QT_TRANSLATE_NOOP("kiosk", "页面尺寸无效"), f"mediabox {box}")
            boxes.append(box)
            sizes.append((box[2] - box[0], box[3] - box[1]))
            contents = page.get("/Contents")
            if contents is not None and not isinstance(contents.get_object(), (StreamObject, ArrayObject)):
                # pyHanko cannot append a stamp to such a page: refuse now, not at signing
                raise _pdf_error(QT_TRANSLATE_NOOP("kiosk", "已损坏"), "page /Contents is neither a stream nor an array")
            _ = page.get_contents()  # a broken content stream reference fails here, not at signing
    except DocumentError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError,
            RecursionError, OSError) as exc:
        raise _pdf_error(QT_TRANSLATE_NOOP("kiosk", "已损坏"), f"pypdf: {type(exc).__name__}: {exc}") from None
    _check_pyhanko_can_open(data, n)
    return PdfInfo(pages=n, page_sizes=sizes, media_boxes=boxes, sha256=digest, size=size)


def _check_pyhanko_can_open(data: bytes, pages: int) -> None:
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        r = PdfFileReader(io.BytesIO(data), strict=False)
        if r.encrypted:
            raise _pdf_error(QT_TRANSLATE_NOOP("kiosk", "已加密"), "pyhanko: encrypted", "document_encrypted")
        # pyHanko finds pages through /Count (pypdf walks the kids): a /Count that lies would
        # send the stamp to a page that does not exist
        count = r.root["/Pages"].get("/Count")
        if count != pages:
            raise _pdf_error(QT_TRANSLATE_NOOP("kiosk", "已损坏"), f"/Pages /Count {count!r} but {pages} pages in the tree")
        for i in range(pages):  # the content streams the stamper appends to must parse for pyHanko too
            page = r.find_page_for_modification(i)[0].get_object()
            contents = page.get("/Contents")
            for part in contents if isinstance(contents, list) else [contents]:
                if part is not None and hasattr(part, "get_object"):
                    part = part.get_object()
                if part is not None and hasattr(part, "data"):
                    _ = part.data
    except DocumentError:
        raise
    except (PdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError) as exc:
        raise _pdf_error(QT_TRANSLATE_NOOP("kiosk", "已损坏"), f"pyhanko: {type(exc).__name__}: {exc}") from None


def anchor_problem(info: PdfInfo, page: int, rect: Sequence[float]) -> str | None:
    """Why an anchor cannot be stamped on this document (off the page…), or None."""
    if page < 1 or page > info.pages:
        return fmt(QT_TRANSLATE_NOOP("kiosk", "签字位置在第{page}页，但文书只有{pages}页"), page=page, pages=info.pages)
    x, y, w, h = rect
    llx, lly, urx, ury = info.media_boxes[page - 1]
    if w <= 0 or h <= 0:
        return QT_TRANSLATE_NOOP("kiosk", "签字位置的宽高必须为正")
    if x < llx - 0.5 or y < lly - 0.5 or x + w > urx + 0.5 or y + h > ury + 0.5:
        return fmt(QT_TRANSLATE_NOOP("kiosk", "签字位置 ({x:.0f},{y:.0f},{w:.0f}×{h:.0f}) 超出第{page}页页面范围"),
                   x=x, y=y, w=w, h=h, page=page)
    return None


def check_anchors(info: PdfInfo, stamps: Sequence[Stamp]) -> None:
    for s in stamps:
        problem = anchor_problem(info, s.page, s.rect)
        if problem:
            raise DocumentError(fmt(QT_TRANSLATE_NOOP("kiosk", "文书的签字位置有误：{problem}。请工作人员联系平台更正"),
                                    problem=problem),
                                detail=f"anchor page {s.page} rect {s.rect}: {problem}", code="bad_anchor")


def _overlay_pdf(page_boxes: dict[int, tuple[float, float, float, float]], stamps: Sequence[Stamp]) -> bytes:
    """A PDF with one page per stamped page, same user space, holding only the stamps."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from kiosk.signing.fonts import register_cjk_font

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=1)
    c.setCreator("bdc-kiosk")
    font = None
    for page in sorted(page_boxes):
        _, _, urx, ury = page_boxes[page]
        c.setPageSize((urx, ury))
        for s in (s for s in stamps if s.page == page):
            x, y, w, h = s.rect
            img_rect = (x, y, w, h)
            if s.date_text and s.kind != "date":
                date_h = min(max(h * 0.26, 7.0), 14.0)
                img_rect = (x, y + date_h, w, h - date_h)
            if s.png and s.kind != "date":
                ix, iy, iw, ih = img_rect
                c.drawImage(ImageReader(io.BytesIO(s.png)), ix, iy, iw, ih, mask="auto",
                            preserveAspectRatio=True, anchor="c")
            if s.date_text:
                font = font or register_cjk_font()
                size = min(h * 0.6, 12.0) if s.kind == "date" else min(max(h * 0.26, 7.0), 14.0) * 0.8
                c.setFont(font, size)
                c.setFillColorRGB(0.07, 0.09, 0.23)
                tw = c.stringWidth(s.date_text, font, size)
                if tw > w - 2:
                    size *= (w - 2) / tw
                    c.setFont(font, size)
                    tw = w - 2
                ty = y + (h - size) / 2 + size * 0.15 if s.kind == "date" else y + size * 0.25
                inset = min(3.0, max(w - tw, 0.0) / 2)
                tx = x + (w - tw) / 2 if s.kind == "date" else x + w - tw - inset
                c.drawString(tx, ty, s.date_text)
        c.showPage()
    c.save()
    return buf.getvalue()


def stamp_pdf(pdf: bytes, stamps: Sequence[Stamp]) -> bytes:
    """The PDF with each stamp's image (aspect kept, centred in its rect) and date drawn on top.

    An incremental update: the original bytes are kept as they are and the page content is
    only appended to, wrapped in q/Q so the original's graphics state cannot shift the stamp.
    """
    if not stamps:
        return pdf
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    info = _info_no_hash(pdf)
    check_anchors(info, stamps)
    pages = sorted({s.page for s in stamps})
    overlay = _overlay_pdf({p: info.media_boxes[p - 1] for p in pages}, stamps)
    try:
        w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        ov = PdfFileReader(io.BytesIO(overlay), strict=False)
        tag = hashlib.sha256(overlay).hexdigest()[:8]
        for i, page in enumerate(pages):
            xobj = w.import_page_as_xobject(ov, page_ix=i)
            name = f"/BdcStamp{tag}{i}"
            pre = w.add_object(generic.StreamObject(stream_data=b"q\n"))
            w.add_stream_to_page(page - 1, pre, prepend=True)
            body = w.add_object(generic.StreamObject(stream_data=f"\nQ\nq 1 0 0 1 0 0 cm {name} Do Q\n".encode()))
            res = generic.DictionaryObject({generic.NameObject("/XObject"): generic.DictionaryObject(
                {generic.NameObject(name): xobj})})
            w.add_stream_to_page(page - 1, body, resources=res)
        out = io.BytesIO()
        w.write(out)
    except (PdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        # pypdf (the check above) tolerates some damage pyHanko does not, e.g. a wrong /Length
        raise _pdf_error(QT_TRANSLATE_NOOP("kiosk", "已损坏"), f"pyhanko stamping: {type(exc).__name__}: {exc}") from None
    return out.getvalue()


def _info_no_hash(pdf: bytes) -> PdfInfo:
    return load_pdf_checked(pdf, "", max_bytes=max(MAX_PDF_BYTES, len(pdf)))


def original_prefix_matches(signed: bytes, original_size: int, original_sha256: str) -> bool:
    """True when `signed` begins with exactly the original document (incremental updates only)."""
    return (len(signed) >= original_size
            and hashlib.sha256(signed[:original_size]).hexdigest() == original_sha256.lower())


def _signer(keys: DeviceKeys) -> Any:  # a pyhanko SimpleSigner; pyhanko is imported lazily
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert = keys.certificate()
    if cert is None:
        raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "本机尚无设备证书，请先完成设备注册（或演示模式初始化）"),
                              detail=f"no device certificate in {keys.dir}", code="no_certificate")
    key_der = keys.signing_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption())
    chain = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in keys.chain()]
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(chain))


_SAFE_NAME = re.compile(r"^[A-Za-z0-9._\-]{1,100}$")


def sign_pdf(pdf: bytes, keys: DeviceKeys, *, reason: str, location: str,
             attachments: dict[str, bytes] | None = None, tsa_url: str | None = None,
             field_name: str | None = None, contact: str | None = None) -> bytes:
    """PAdES signature by the device certificate; `attachments` embedded first, so it covers them.

    B-B without `tsa_url`, B-T (signature timestamp from the TSA) with it.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.embed import EmbeddedFileObject, EmbeddedFileParams, FileSpec, embed_file
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    signer = _signer(keys)
    try:
        w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as exc:  # noqa: BLE001 - any parser failure means the same to the user
        raise _pdf_error(QT_TRANSLATE_NOOP("kiosk", "已损坏"), f"pyhanko writer: {type(exc).__name__}: {exc}") from None
    if w.prev.encrypted:
        raise _pdf_error(QT_TRANSLATE_NOOP("kiosk", "已加密"), "encrypted at signing", "document_encrypted")
    now = dt.datetime.now(dt.timezone.utc)
    for name, data in (attachments or {}).items():
        if not _SAFE_NAME.match(name):
            raise ValueError(f"attachment name {name!r} must be ASCII [A-Za-z0-9._-]")
        mime = "application/json" if name.endswith(".json") else "application/octet-stream"
        ef = EmbeddedFileObject.from_file_data(w, data, mime_type=mime,
                                               params=EmbeddedFileParams(creation_date=now, modification_date=now))
        spec = FileSpec(file_spec_string=name, file_name=name, embedded_data=ef,
                        description="签名笔迹数据 (pen data, ISO/IEC 19794-7 style)",
                        af_relationship=generic.NameObject("/Supplement"))
        try:
            embed_file(w, spec)
        except NotImplementedError as exc:
            raise _pdf_error(QT_TRANSLATE_NOOP("kiosk", "的附件结构不受支持"), f"embed_file: {exc}") from None
    existing = sum(1 for _ in fields.enumerate_sig_fields(w.prev)) if w.prev else 0
    meta = signers.PdfSignatureMetadata(
        field_name=field_name or f"BdcDeviceSignature{existing + 1}", reason=reason, location=location,
        contact_info=contact, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256")
    timestamper = timestamps.HTTPTimeStamper(tsa_url) if tsa_url else None
    out = io.BytesIO()
    try:
        signers.PdfSigner(meta, signer=signer, timestamper=timestamper).sign_pdf(w, output=out)
    except Exception as exc:
        if tsa_url:
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "时间戳服务不可用，文书签署失败，请稍后重试或联系技术人员"),
                                  detail=f"PAdES B-T with {tsa_url}: {type(exc).__name__}: {exc}",
                                  code="tsa_failed") from exc
        raise
    return out.getvalue()


def platform_tsa_url(platform_url: str) -> str | None:
    """The RFC 3161 timestamp service of the platform at `platform_url` (None when offline)."""
    return platform_url.rstrip("/") + "/v1/tsa" if platform_url else None


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    level: str    # "PAdES-B-T" (with the TSA's timestamp) or "PAdES-B-B"
    reason: str   # why B-B: no TSA configured, or what went wrong reaching it; "" for B-T


def sign_pdf_timestamped(pdf: bytes, keys: DeviceKeys, *, tsa_url: str | None, reason: str, location: str,
                         attachments: dict[str, bytes] | None = None, contact: str | None = None) -> SignedPdf:
    """PAdES B-T when the platform's TSA answers, B-B with the reason recorded otherwise: a
    session is never lost because the timestamp service is down; the platform's stored copy
    is timestamped and extended when it accepts the package (docs/evidence-format.md)."""
    why = "未配置时间戳服务（no TSA configured）"
    if tsa_url:
        try:
            return SignedPdf(sign_pdf(pdf, keys, reason=reason, location=location, attachments=attachments,
                                      tsa_url=tsa_url, contact=contact), "PAdES-B-T", "")
        except UserFacingError as exc:
            if exc.code != "tsa_failed":
                raise
            why = f"时间戳服务不可达（{exc.detail[:300]}）"
    return SignedPdf(sign_pdf(pdf, keys, reason=reason, location=location, attachments=attachments,
                              contact=contact), "PAdES-B-B", why)
