"""Closing sessions that a crash or a power cut interrupted.

At intake the runner seals what it needs to finish the evidence later — the case JSON and
the original documents — into `<session>/intake.enc` with the device data key. On the next
start, `recover_sessions` turns every session directory still present into an *aborted*
evidence package (the recordings up to their last flushed fragment, the audit chain, the
documents, whatever was signed) and queues it in the outbox, then wipes the directory. A
directory without a sealed intake held no case yet and is wiped. Nothing confirmed is lost:
the outbox only ever receives complete packages (staged, fsynced, moved in atomically).
"""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

from kiosk.errors import UserFacingError
from kiosk.model import parse_case
from kiosk.security.keys import DataCipher

log = logging.getLogger(__name__)

INTAKE_FILE = "intake.enc"


def seal_intake(session_dir: Path, cipher: DataCipher, case_json: dict[str, Any], documents: dict[str, bytes],
                started_at: str) -> None:
    blob = json.dumps({"case": case_json, "started_at": started_at,
                       "documents": {k: v.hex() for k, v in documents.items()}}, ensure_ascii=False).encode()
    tmp = session_dir / (INTAKE_FILE + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(cipher.seal(blob, aad=b"intake"))
        fh.flush()
        import os

        os.fsync(fh.fileno())
    tmp.replace(session_dir / INTAKE_FILE)


def recover_sessions(sessions_dir: Path, *, keys: Any, outbox: Any, kiosk_id: str, software_version: str,
                     active: Path | None = None) -> list[str]:
    """Queue an aborted package for every interrupted session; returns the package ids."""
    from kiosk.evidence import PackageBuilder, PartyEvidence
    from kiosk.flow.audit_log import AuditLog
    from kiosk.recording import check_recording

    recovered: list[str] = []
    if not sessions_dir.is_dir():
        return recovered
    for session in sorted(p for p in sessions_dir.iterdir() if p.is_dir()):
        if active is not None and session.resolve() == active.resolve():
            continue
        sealed = session / INTAKE_FILE
        if not sealed.exists():
            log.info("interrupted session %s had no case yet; wiping it", session.name)
            shutil.rmtree(session, ignore_errors=True)
            continue
        try:
            data = json.loads(keys.cipher().open(sealed.read_bytes(), aad=b"intake"))
            case = parse_case(data["case"])
            audit = AuditLog(session / "audit.jsonl")
            audit.append("recovered_after_interruption", state="aborted")
            builder = PackageBuilder(session / "package", case, kiosk_id, software_version, keys,
                                     started_at=data.get("started_at"))
            for doc_id, hexed in data["documents"].items():
                builder.add_document(doc_id, bytes.fromhex(hexed))
            for party in case.parties:
                video = session / f"{party.party_id}.mp4"
                if not video.exists() or video.stat().st_size == 0:
                    continue
                quality = check_recording(video).to_json()
                builder.add_party(PartyEvidence(party.party_id, identity={}, recording=video,
                                                recording_quality=quality, transcript={}, qa=[], signatures=[],
                                                manual_decisions=[]))
            builder.set_audit(list(audit.events))
            package_dir = builder.build(status="aborted")
            package_id = builder.package_id()
            outbox.enqueue(package_dir, package_id, case.case_no)
            recovered.append(package_id)
            log.warning("interrupted session %s queued as aborted package %s", session.name, package_id)
        except (UserFacingError, ValueError, KeyError, OSError):
            log.exception("could not recover interrupted session %s", session.name)
            quarantine = sessions_dir.parent / "quarantine"
            quarantine.mkdir(exist_ok=True, mode=0o700)
            shutil.move(str(session), str(quarantine / session.name))
            continue
        shutil.rmtree(session, ignore_errors=True)
    return recovered
