"""Closing sessions that a crash or a power cut interrupted.

What a session keeps on disk, all inside its own 0700 directory:
  intake.enc     the case JSON and the original documents, sealed with the device data key at intake
  progress.enc   per party what was captured so far (identity result, transcript, Q&A, pen data of
                 every signature) and the step results, re-sealed after every step result
  audit.jsonl    the hash-chained events, appended and fsynced before a transition is reported
  <party>.mp4    the recordings, fragmented (playable up to the last flushed fragment)
  package/       the package being built (`.<id>.partial`) or built and not yet in the outbox (`<id>/`)

On the next start `recover_sessions` settles every such directory in one idempotent step:
  1. its package id is already in the outbox          → the directory is wiped (nothing to do);
  2. a built package is there and its files match its manifest → that package, the same id and
     the same bytes, is enqueued (a completed session killed between build and enqueue);
  3. otherwise an *aborted* package is built from everything captured — documents stamped and
     signed for the anchors that were signed, pen data, identity results, Q&A, the manual
     decisions and steps as the audit log records them — and enqueued under the same id.
A directory without a sealed intake held no case yet and is wiped. What cannot be understood
(an intake that does not decrypt, a package that cannot be built) is quarantined by the outbox,
still encrypted, and counted in `outbox status`; nothing is left in plaintext outside a session
directory, and nothing is deleted unseen.
"""
from __future__ import annotations

import base64
import json
import logging
import shutil
from pathlib import Path
from typing import Any

from kiosk.files import write_private
from kiosk.model import parse_case
from kiosk.security.keys import DataCipher

log = logging.getLogger(__name__)

INTAKE_FILE = "intake.enc"
PROGRESS_FILE = "progress.enc"
_PROGRESS_AAD = b"progress"



def seal_intake(session_dir: Path, cipher: DataCipher, case_json: dict[str, Any], documents: dict[str, bytes],
                started_at: str) -> None:
    blob = json.dumps({"case": case_json, "started_at": started_at,
                       "documents": {k: v.hex() for k, v in documents.items()}}, ensure_ascii=False).encode()
    write_private(session_dir / INTAKE_FILE, cipher.seal(blob, aad=b"intake"))


def party_progress(*, identity: dict[str, Any], transcript: dict[str, Any], qa: list[dict[str, Any]],
                   signatures: list[Any], recording_quality: dict[str, Any] | None = None,
                   photos: dict[str, bytes] | None = None) -> dict[str, Any]:
    """One party's captured evidence as JSON (`signatures` are `SignatureEvidence`; `photos` the
    reference and live-face JPEGs, base64 inside the sealed file)."""
    return {"identity": identity, "transcript": transcript, "qa": qa,
            "recording_quality": dict(recording_quality or {}),
            "photos": {k: base64.b64encode(v).decode("ascii") for k, v in (photos or {}).items() if v},
            "signatures": [{"doc_id": s.doc_id, "anchor_index": s.anchor_index, "signed_at": s.signed_at,
                            "pen": s.pen.to_json().decode("utf-8")} for s in signatures]}


def save_progress(session_dir: Path, cipher: DataCipher, parties: dict[str, dict[str, Any]]) -> None:
    """Seal what the session captured so far (`party_progress` per party id) into progress.enc."""
    blob = json.dumps({"parties": parties}, ensure_ascii=False, default=str).encode("utf-8")
    write_private(session_dir / PROGRESS_FILE, cipher.seal(blob, aad=_PROGRESS_AAD))


def load_progress(session_dir: Path, cipher: DataCipher) -> dict[str, dict[str, Any]]:
    path = session_dir / PROGRESS_FILE
    if not path.exists():
        return {}
    data = json.loads(cipher.open(path.read_bytes(), aad=_PROGRESS_AAD))
    return dict(data.get("parties") or {})


def _read_audit(path: Path) -> None:
    """Drop a torn last line (a kill in the middle of an append) so the chain loads."""
    if not path.exists():
        return
    raw = path.read_bytes()
    lines = raw.split(b"\n")
    good: list[bytes] = []
    for line in lines:
        if not line.strip():
            continue
        try:
            json.loads(line)
        except ValueError:
            break
        good.append(line)
    fixed = b"".join(x + b"\n" for x in good)
    if fixed != raw:
        log.warning("audit log of %s ended in a torn line; dropped it", path.parent.name)
        write_private(path, fixed)


def manual_decisions_from_audit(events: list[dict[str, Any]], party_id: str) -> list[dict[str, Any]]:
    """The staff decisions of one party as the audit chain records them (the package's source)."""
    return [{"party_id": party_id, "step": e.get("step"), "outcome": e.get("outcome"),
             "attempts": e.get("attempts"), "manual": {"staff": e.get("staff", ""), "reason": e.get("reason", "")},
             "ts": e.get("ts")}
            for e in events if e.get("kind") == "step_result" and e.get("manual") and e.get("party_id") == party_id]


def steps_from_audit(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"party_id": e.get("party_id"), "step": e.get("step"), "outcome": e.get("outcome"),
             "attempts": e.get("attempts"), "manual": bool(e.get("manual"))}
            for e in events if e.get("kind") == "step_result"]


def _built_package(package_root: Path, package_id: str) -> Path | None:
    """The package folder the session built, if it is whole (every manifest file hashes right)."""
    from kiosk.evidence.manifest import file_digests

    pkg = package_root / package_id
    try:
        manifest = json.loads((pkg / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("package_id") != package_id:
            return None
        for f in manifest["files"]:
            size, sha, _sm3 = file_digests(pkg / f["path"])
            if size != f["size"] or sha != f["sha256"]:
                return None
        if not (pkg / "manifest.sig.json").is_file():
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return pkg


def recover_sessions(sessions_dir: Path, *, keys: Any, outbox: Any, kiosk_id: str, software_version: str,
                     active: Path | None = None, seals: dict[str, bytes] | None = None) -> list[str]:
    """Settle every interrupted session (see the module doc); returns the package ids enqueued."""
    recovered: list[str] = []
    if not sessions_dir.is_dir():
        return recovered
    for session in sorted(p for p in sessions_dir.iterdir() if p.is_dir()):
        if active is not None and session.resolve() == active.resolve():
            continue
        if not (session / INTAKE_FILE).exists():
            log.info("interrupted session %s had no case yet; wiping it", session.name)
            shutil.rmtree(session, ignore_errors=True)
            continue
        try:
            pid = recover_one(session, keys=keys, outbox=outbox, kiosk_id=kiosk_id,
                              software_version=software_version, seals=seals)
        except Exception as exc:  # noqa: BLE001 - whatever breaks, the evidence is kept (encrypted) for a person
            log.exception("could not recover interrupted session %s", session.name)
            try:
                outbox.quarantine(session, session.name, f"{type(exc).__name__}: {exc}"[:300])
            except Exception:  # noqa: BLE001 - e.g. a full disk: leave the 0700 session dir for the next start
                log.exception("could not quarantine %s; it stays for the next start", session.name)
            continue
        if pid:
            recovered.append(pid)
        shutil.rmtree(session, ignore_errors=True)
    return recovered


def recover_one(session: Path, *, keys: Any, outbox: Any, kiosk_id: str, software_version: str,
                seals: dict[str, bytes] | None = None) -> str:
    """Enqueue the package of one interrupted session; returns its id ('' when it was queued already).

    Idempotent: run again after a kill at any point of it, it ends with the same package id in the
    outbox exactly once."""
    from kiosk.audit import AuditLog
    from kiosk.evidence import PackageBuilder, PartyEvidence, SignatureEvidence
    from kiosk.recording import check_recording
    from kiosk.signing.pen import PenData

    cipher = keys.cipher()
    data = json.loads(cipher.open((session / INTAKE_FILE).read_bytes(), aad=b"intake"))
    case = parse_case(data["case"])
    package_root = session / "package"
    builder = PackageBuilder(package_root, case, kiosk_id, software_version, keys,
                             started_at=data.get("started_at"), seals=seals)
    pid = builder.package_id()
    if outbox.get(pid) is not None:
        log.info("interrupted session %s: package %s is already in the outbox", session.name, pid)
        return ""
    built = _built_package(package_root, pid)
    if built is not None:
        outbox.enqueue(built, pid, case.case_no)
        log.warning("interrupted session %s: built package %s enqueued as it was", session.name, pid)
        return pid
    # a half-built or damaged package: build the aborted one from what was captured
    if package_root.exists():
        shutil.rmtree(package_root)
    _read_audit(session / "audit.jsonl")
    audit = AuditLog(session / "audit.jsonl")
    if not audit.events or audit.events[-1].get("kind") != "recovered_after_interruption":
        audit.append("recovered_after_interruption", state="aborted")
    progress = load_progress(session, cipher)
    for doc_id, hexed in data["documents"].items():
        builder.add_document(doc_id, bytes.fromhex(hexed))
    for party in case.parties:
        pid_ = party.party_id
        got = progress.get(pid_, {})
        video = session / f"{pid_}.mp4"
        has_video = video.exists() and video.stat().st_size > 0
        if not got and not has_video:
            continue
        quality = dict(got.get("recording_quality") or {})
        if has_video:
            quality.update(check_recording(video).to_json())
        sigs = [SignatureEvidence(s["doc_id"], int(s["anchor_index"]), PenData.from_json(s["pen"]),
                                  s.get("signed_at", "")) for s in got.get("signatures", [])]
        builder.add_party(PartyEvidence(pid_, identity=dict(got.get("identity") or {}),
                                        recording=video if has_video else None, recording_quality=quality,
                                        transcript=dict(got.get("transcript") or {}), qa=list(got.get("qa") or []),
                                        signatures=sigs,
                                        manual_decisions=manual_decisions_from_audit(audit.events, pid_),
                                        photos={k: base64.b64decode(v)
                                                for k, v in (got.get("photos") or {}).items()}))
    builder.set_steps(steps_from_audit(audit.events))
    builder.set_audit(list(audit.events))
    package_dir = builder.build(status="aborted")
    outbox.enqueue(package_dir, pid, case.case_no)
    log.warning("interrupted session %s queued as aborted package %s", session.name, pid)
    return pid
