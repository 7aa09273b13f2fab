"""Assembling the evidence package of one case.

Format: `manifest.py` and docs/evidence-format.md; the path: docs/architecture.md, "The path of a package".

The builder collects what the session produced — the platform's documents, each party's
identity result, recording, transcript, Q&A, pen data and staff decisions, the audit chain —
and `build()` turns it into the package directory: every document stamped at every anchor
and PAdES-signed with its pen data attached, the evidence report signed the same way, and
the manifest over all of it signed twice. A document that is not the one the case names, or
that cannot be signed, is refused at `add_document` (the flow flags the case), not at the end.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.audit import check_chain, dumps_chain
from kiosk.errors import UserFacingError
from kiosk.evidence.manifest import PACKAGE_ID_RE, file_digests, write_manifest
from kiosk.model import Case, Document, SignAnchor
from kiosk.privacy import mask_id, mask_name
from kiosk.security.keys import DeviceKeys
from kiosk.signing.pdf import PdfInfo, Stamp, check_anchors, load_pdf_checked, sign_pdf_timestamped, stamp_pdf
from kiosk.signing.pen import PenData
from kiosk.signing.render import png_size_for_rect, render_signature_png
from kiosk.texts import QT_TRANSLATE_NOOP, fmt

log = logging.getLogger(__name__)

REPORT = "report.pdf"
DEFAULT_LOCATION = "漯河市不动产登记中心"


@dataclass(frozen=True)
class SignatureEvidence:
    """The pen data written for one anchor: `anchor_index` indexes `Document.anchors` (0-based)."""

    doc_id: str
    anchor_index: int
    pen: PenData
    signed_at: str = ""  # ISO 8601; empty means the package's finishing time


@dataclass
class PartyEvidence:
    party_id: str
    identity: dict[str, Any]
    recording: Path | None
    recording_quality: dict[str, Any]
    transcript: dict[str, Any]
    qa: list[dict[str, Any]]
    signatures: list[SignatureEvidence]
    manual_decisions: list[dict[str, Any]] = field(default_factory=list)
    # face JPEGs: "reference" (the photo matched against) and "live" (the best frame that decided)
    photos: dict[str, bytes] = field(default_factory=dict)


def signature_stamp(anchor: SignAnchor, sig: SignatureEvidence, when: str) -> Stamp:
    """The handwriting of `sig` at its anchor, with the date below it (`when` if it has no time
    of its own): what the package stamps, and what the review shows before submitting."""
    _x, _y, w, h = anchor.rect
    date_h = min(max(h * 0.26, 7.0), 14.0)
    png = render_signature_png(sig.pen, *png_size_for_rect(w, h - date_h))
    return Stamp(anchor.page, anchor.rect, png, chinese_date(sig.signed_at or when), "signature")


def now_iso() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def chinese_date(iso: str) -> str:
    """'2026-11-28T10:00:00+08:00' → '2026年11月28日', the way forms are dated."""
    d = dt.datetime.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


PHOTO_KINDS = ("reference", "live")


def photo_path(party_id: str, kind: str) -> str:
    """Where a party's face JPEG lies in the package: identity/<party>_live.jpg, …_reference.jpg."""
    return f"identity/{party_id}_{kind}.jpg"


def pen_file_stem(party_id: str, doc_id: str, anchor_index: int) -> str:
    return f"{party_id}-{doc_id}-{anchor_index}"


def content_digest(files: Sequence[dict[str, Any]]) -> str:
    """SHA-256 over the file entries of everything but the report.

    The report cannot carry the hash of the manifest that lists the report, so its QR code
    carries this digest instead; `verify` recomputes it from the signed manifest.
    """
    entries = sorted((f for f in files if f.get("path") != REPORT), key=lambda f: str(f.get("path")))
    canon = json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


class PackageBuilder:
    """Collects one case's evidence and builds the signed package directory."""

    def __init__(self, work_dir: Path, case: Case, kiosk_id: str, software_version: str, keys: DeviceKeys, *,
                 started_at: str | None = None, seals: dict[str, bytes] | None = None,
                 seal_dir: Path | None = None,
                 tsa_url: str | None = None, location: str = DEFAULT_LOCATION,
                 clock: Callable[[], str] = now_iso, package_id: str | None = None) -> None:
        self.work_dir = Path(work_dir)
        self._package_id = package_id
        self.case = case
        self.kiosk_id = kiosk_id
        self.software_version = software_version
        self.keys = keys
        self.seals = dict(seals or {})   # credit_code -> seal PNG
        # configured seal images: <seal_dir>/<credit code>.png, by default next to the keys
        self.seal_dir = Path(seal_dir) if seal_dir else Path(keys.dir).parent / "seals"
        self.tsa_url = tsa_url
        self._bb_reason = ""  # set when the TSA failed: everything of this package is B-B
        self.location = location
        self._clock = clock
        self.started_at = started_at or clock()
        self._docs: dict[str, tuple[bytes, PdfInfo]] = {}
        self._parties: dict[str, PartyEvidence] = {}
        self._audit: list[dict[str, Any]] = []
        self._steps: list[dict[str, Any]] = []

    # ---------------------------------------------------------------- inputs
    def add_document(self, doc_id: str, original_pdf: bytes) -> PdfInfo:
        """Check the platform's PDF against the case (hash, structure, anchors) and keep it.

        Raises `DocumentError` (a UserFacingError) with what staff should do; nothing is kept then.
        """
        doc = self._document(doc_id)
        info = load_pdf_checked(original_pdf, doc.sha256)
        check_anchors(info, [Stamp(a.page, a.rect) for a in doc.anchors])
        self._docs[doc_id] = (original_pdf, info)
        return info

    def add_party(self, party: PartyEvidence) -> None:
        try:
            self.case.party(party.party_id)
        except KeyError:
            raise ValueError(f"party {party.party_id!r} is not in case {self.case.case_no}") from None
        for s in party.signatures:
            doc = self._document(s.doc_id)
            if not 0 <= s.anchor_index < len(doc.anchors):
                raise ValueError(f"{s.doc_id} has no anchor {s.anchor_index}")
            if doc.anchors[s.anchor_index].party_id != party.party_id:
                raise ValueError(f"anchor {s.doc_id}[{s.anchor_index}] belongs to another party")
        self._parties[party.party_id] = party

    def set_audit(self, events: list[dict[str, Any]]) -> None:
        problems = check_chain(events)
        if problems:
            raise ValueError(f"audit chain handed to the builder is broken: {problems[0]}")
        self._audit = [dict(e) for e in events]

    def set_steps(self, steps: list[dict[str, Any]]) -> None:
        """Steps and outcomes for the manifest (from the flow engine); kept as given."""
        self._steps = [dict(s) for s in steps]

    def _document(self, doc_id: str) -> Document:
        for d in self.case.documents:
            if d.doc_id == doc_id:
                return d
        raise ValueError(f"document {doc_id!r} is not in case {self.case.case_no}")

    # ---------------------------------------------------------------- build
    def package_id(self) -> str:
        """`<case_no>-<kiosk_id>-<yyyymmddHHMMSS>-<tag>`: the tag is keyed by this device's data key,
        so nobody else can predict (and squat) the id, yet rebuilding the same session (recovery)
        gives the same id again."""
        if self._package_id:
            return self._package_id
        stamp = dt.datetime.fromisoformat(self.started_at).strftime("%Y%m%d%H%M%S")
        tag = hmac.new(self.keys.data_key, f"{self.case.case_no}\n{self.kiosk_id}\n{self.started_at}".encode(),
                       hashlib.sha256).hexdigest()[:16]
        pid = f"{self.case.case_no}-{self.kiosk_id}-{stamp}-{tag}"
        if not PACKAGE_ID_RE.match(pid):
            raise ValueError(f"package id {pid!r} is not [A-Za-z0-9-]")
        return pid

    def _signature_for(self, doc_id: str, index: int) -> SignatureEvidence | None:
        for p in self._parties.values():
            for s in p.signatures:
                if s.doc_id == doc_id and s.anchor_index == index:
                    return s
        return None

    def _stamps(self, doc: Document, finished_at: str, complete: bool) -> tuple[list[Stamp], list[dict[str, Any]]]:
        stamps: list[Stamp] = []
        rows: list[dict[str, Any]] = []
        for i, a in enumerate(doc.anchors):
            row = {"anchor_index": i, "party_id": a.party_id, "page": a.page, "rect": list(a.rect),
                   "kind": a.kind, "stamped": False}
            stamp = self._stamp_for(doc, i, a, finished_at, complete)
            if stamp is not None:
                stamps.append(stamp)
                row["stamped"] = True
            rows.append(row)
        return stamps, rows

    def _stamp_for(self, doc: Document, i: int, a: SignAnchor, finished_at: str, complete: bool) -> Stamp | None:
        party = self.case.party(a.party_id)
        if a.kind == "date":
            return Stamp(a.page, a.rect, None, chinese_date(finished_at), "date")
        if a.kind == "seal":
            if a.party_id not in self._parties:  # the company's agent never stood at the kiosk
                if complete:
                    raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "还有申请人未完成办理，不能盖章"), detail=f"seal for absent {a.party_id}",
                                          code="unsigned_anchor")
                return None
            png = self._seal_png(party.credit_code or "", party.name)
            if png is None:
                if complete:
                    raise UserFacingError(fmt(QT_TRANSLATE_NOOP("kiosk", "未配置「{name}」的印章，无法完成盖章，请联系技术人员配置"),
                                              name=party.name),
                                          detail=f"no seal for credit code of party {a.party_id}",
                                          code="no_seal")
                return None
            return Stamp(a.page, a.rect, png, "", "seal")
        sig = self._signature_for(doc.doc_id, i)
        if sig is None:
            if complete:
                raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "还有未签名的位置，不能完成办理"),
                                      detail=f"no signature for {doc.doc_id} anchor {i} ({a.party_id})",
                                      code="unsigned_anchor")
            return None
        return signature_stamp(a, sig, finished_at)

    def _seal_png(self, credit_code: str, company: str) -> bytes | None:
        """The company's configured seal; in demo mode (demo CA) a seal marked 演示专用 instead."""
        if credit_code in self.seals:
            return self.seals[credit_code]
        path = self.seal_dir / f"{credit_code}.png"
        if credit_code and path.is_file():
            self.seals[credit_code] = path.read_bytes()
            return self.seals[credit_code]
        if self._demo_device():
            from kiosk.signing.seal import demo_seal_png

            self.seals[credit_code] = demo_seal_png(company, 400)
            return self.seals[credit_code]
        return None

    def _demo_device(self) -> bool:
        """True when the device certificate was issued by the local demo CA (not by enrolment)."""
        from cryptography import x509

        ca_path = Path(self.keys.dir) / "demo_ca_cert.pem"
        cert = self.keys.certificate()
        if cert is None or not ca_path.is_file():
            return False
        return cert.issuer == x509.load_pem_x509_certificate(ca_path.read_bytes()).subject

    def build(self, status: str = "completed") -> Path:
        """Write the package directory under `work_dir` and return it.

        `completed` requires every anchor stamped; `aborted` packages what exists (documents
        partially signed or not at all) so the evidence of an interrupted session is kept.
        """
        if status not in ("completed", "aborted"):
            raise ValueError(f"status must be completed or aborted, not {status!r}")
        complete = status == "completed"
        if complete:
            missing = [d.doc_id for d in self.case.documents if d.doc_id not in self._docs]
            if missing:
                raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "还有文书未下载核验，不能完成办理"),
                                      detail=f"documents not added: {missing}", code="missing_document")
            if not self._audit:
                raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "缺少审计日志，不能完成办理"), detail="no audit events", code="no_audit")
        finished_at = self._clock()
        pid = self.package_id()
        pkg = self.work_dir / pid
        if pkg.exists():
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "同一证据包已存在，请勿重复提交"), detail=str(pkg), code="package_exists")
        tmp = self.work_dir / f".{pid}.partial"
        if tmp.exists():
            shutil.rmtree(tmp)
        for sub in ("documents", "recordings", "transcripts", "pen", "identity"):
            (tmp / sub).mkdir(parents=True)
        try:
            manifest = self._write_contents(tmp, pid, status, finished_at)
            write_manifest(tmp, manifest, self.keys)
            tmp.rename(pkg)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        log.info("evidence package built", extra={"package_id": pid, "status": status})
        return pkg

    def _write_contents(self, pkg: Path, pid: str, status: str, finished_at: str) -> dict[str, Any]:
        complete = status == "completed"
        pen_files: dict[str, dict[str, bytes]] = {}
        for ev in self._parties.values():
            for s in ev.signatures:
                stem = pen_file_stem(ev.party_id, s.doc_id, s.anchor_index)
                pair = {f"{stem}.json": s.pen.to_json(), f"{stem}.bin": s.pen.to_bin()}
                for name, data in pair.items():
                    (pkg / "pen" / name).write_bytes(data)
                pen_files.setdefault(s.doc_id, {}).update(pair)

        documents: list[dict[str, Any]] = []
        for doc in self.case.documents:
            if doc.doc_id not in self._docs:
                documents.append({"doc_id": doc.doc_id, "title": doc.title, "path": None,
                                  "original_sha256": doc.sha256, "signed": False})
                continue
            original, info = self._docs[doc.doc_id]
            stamps, rows = self._stamps(doc, finished_at, complete)
            stamped = stamp_pdf(original, stamps)
            attached = pen_files.get(doc.doc_id, {})
            signed = self._sign(stamped, reason=f"{doc.title}：申请人当面签署，终端见证", attachments=attached)
            rel = f"documents/{doc.doc_id}.pdf"
            (pkg / rel).write_bytes(signed)
            documents.append({"doc_id": doc.doc_id, "title": doc.title, "path": rel, "pages": info.pages,
                              "original_sha256": info.sha256, "original_size": info.size, "signed": True,
                              "anchors": rows, "pen_files": sorted(f"pen/{n}" for n in attached)})

        parties: list[dict[str, Any]] = []
        for party in self.case.parties:
            found = self._parties.get(party.party_id)
            entry: dict[str, Any] = {"party_id": party.party_id, "role": party.role, "kind": party.kind,
                                     "name_masked": mask_name(party.name),
                                     "signer_masked": mask_name(party.signer_name),
                                     "signer_id_masked": mask_id(party.signer_id_number),
                                     "present": found is not None}
            if found is not None:
                ev = found
                if ev.recording is not None:
                    rel = f"recordings/{party.party_id}.mp4"
                    entry.update(self._recording(pkg, party.party_id, ev, rel))
                    entry["recording"] = rel
                (pkg / "transcripts" / f"{party.party_id}.json").write_bytes(_json_bytes(
                    {"party_id": party.party_id, "transcript": ev.transcript, "qa": ev.qa}))
                (pkg / "identity" / f"{party.party_id}.json").write_bytes(_json_bytes(
                    {"party_id": party.party_id, "identity": ev.identity,
                     "recording_quality": ev.recording_quality, "manual_decisions": ev.manual_decisions}))
                entry["identity_passed"] = _passed(ev.identity)
                for kind in PHOTO_KINDS:
                    if ev.photos.get(kind):
                        rel = photo_path(party.party_id, kind)
                        (pkg / rel).write_bytes(ev.photos[kind])
                        entry.setdefault("identity_photos", {})[kind] = rel
                entry["statement_passed"] = _passed(ev.transcript)
                entry["manual_decisions"] = len(ev.manual_decisions)
                entry["signatures"] = [{"doc_id": s.doc_id, "anchor_index": s.anchor_index,
                                        "pen": f"pen/{pen_file_stem(party.party_id, s.doc_id, s.anchor_index)}.bin"}
                                       for s in ev.signatures]
            parties.append(entry)

        (pkg / "audit.jsonl").write_text(dumps_chain(self._audit), encoding="utf-8")

        files: list[dict[str, Any]] = []
        for path in sorted(x for x in pkg.rglob("*") if x.is_file()):
            size, sha, sm3 = file_digests(path)
            files.append({"path": path.relative_to(pkg).as_posix(), "size": size, "sha256": sha, "sm3": sm3})
        digest = content_digest(files)
        level = "PAdES-B-T" if self.tsa_url and not self._bb_reason else "PAdES-B-B"
        from kiosk.evidence.report import ReportInput, build_report_pdf

        report = build_report_pdf(ReportInput(
            case=self.case, package_id=pid, kiosk_id=self.kiosk_id, software_version=self.software_version,
            started_at=self.started_at, finished_at=finished_at, status=status,
            parties=[self._parties[p.party_id] for p in self.case.parties if p.party_id in self._parties],
            documents=documents, content_sha256=digest, recordings={
                f["path"]: f for f in files if f["path"].startswith("recordings/")},
            signature_level=level, audit=list(self._audit),
            chapters={str(e["party_id"]): e.get("recording_chapters") or [] for e in parties}))
        signed_report = self._sign(report, reason="双录签名证据报告")
        (pkg / REPORT).write_bytes(signed_report)
        level = "PAdES-B-B" if self._bb_reason else level
        return {"format": "bdc-evidence/1", "package_id": pid, "case_no": self.case.case_no,
                "business_type": self.case.business_type.value, "kiosk_id": self.kiosk_id,
                "software_version": self.software_version, "started_at": self.started_at,
                "finished_at": finished_at, "status": status, "parties": parties, "steps": self._steps,
                "documents": documents, "content_sha256": digest, "signature_level": level,
                **({"signature_level_reason": self._bb_reason or "未配置时间戳服务（no TSA configured）"}
                   if level == "PAdES-B-B" else {}),
                "report": REPORT}

    def _recording(self, pkg: Path, party_id: str, ev: PartyEvidence, rel: str) -> dict[str, Any]:
        """Copy the party's recording with a chapter and a subtitle cue per step, and its WebVTT
        file beside it (kiosk/recording/chapters.py); the manifest entry's step offsets."""
        from kiosk.recording.chapters import copy_with_chapters, step_chapters, webvtt

        assert ev.recording is not None
        info = (ev.recording_quality or {}).get("recorder") or {}
        chapters = step_chapters(party_id, info.get("started_at"), info.get("duration_s"), self._audit)
        vtt = webvtt(chapters, ev.transcript or {}, ev.qa or [])
        why = copy_with_chapters(Path(ev.recording), pkg / rel, chapters, vtt)
        out: dict[str, Any] = {"recording_chapters": chapters}
        if chapters:
            (pkg / f"recordings/{party_id}.vtt").write_text(vtt, encoding="utf-8")
            out["recording_cues"] = f"recordings/{party_id}.vtt"
        if why:
            out["recording_chapters_note"] = why
        return out

    def _sign(self, pdf: bytes, *, reason: str, attachments: dict[str, bytes] | None = None) -> bytes:
        """B-T while the TSA answers; after its first failure B-B for the rest, the reason kept."""
        tsa = None if self._bb_reason else self.tsa_url
        signed = sign_pdf_timestamped(pdf, self.keys, tsa_url=tsa, reason=reason, location=self.location,
                                      attachments=attachments, contact=self.kiosk_id)
        if tsa and signed.reason:
            self._bb_reason = signed.reason
            log.warning("PAdES B-B instead of B-T: %s", signed.reason)
        return signed.data


def _passed(d: dict[str, Any]) -> bool | None:
    for key in ("passed", "match", "ok"):
        v = d.get(key)
        if isinstance(v, bool):
            return v
    return None


def _json_bytes(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1, default=str).encode("utf-8")
