"""Recovery after a crash: one idempotent step from the session directory to the outbox.

The session directory is made the way the runner makes it — the real `SessionFlow` writing its
hash-chained audit log, `seal_intake`, `save_progress` after every step result — then left as a
kill would leave it. Recovery must put exactly one package per session in the outbox: the built
one as it was, or an aborted one holding everything captured, consistent with the audit log.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.audit import AuditLog
from kiosk.evidence import PackageBuilder
from kiosk.evidence.sample import CREDIT_CODE, sample_case, sample_party_evidence
from kiosk.evidence.verify import verify_package
from kiosk.flow import SessionFlow
from kiosk.model import Case
from kiosk.platform.outbox import Outbox
from kiosk.security.keys import DeviceKeys
from kiosk.session.recovery import (
    INTAKE_FILE,
    manual_decisions_from_audit,
    party_progress,
    recover_sessions,
    save_progress,
    seal_intake,
    steps_from_audit,
)
from kiosk.signing.seal import demo_seal_png

pytestmark = pytest.mark.allow_log_warnings  # recovery warns by design: a person should know

KIOSK = "LH-KIOSK-0001"
STARTED = "2026-11-30T09:15:00+08:00"


@dataclass
class Env:
    root: Path
    keys: DeviceKeys
    outbox: Outbox
    case: Case
    pdfs: dict[str, bytes]

    @property
    def sessions(self) -> Path:
        return self.root / "sessions"


@pytest.fixture
def env(tmp_path: Path) -> Env:
    keys = DeviceKeys(tmp_path / "keys")
    keys.ensure_demo_certificate(KIOSK)
    case, pdfs = sample_case()
    outbox = Outbox(tmp_path / "outbox", keys.cipher())
    yield Env(tmp_path, keys, outbox, case, pdfs)
    outbox.close()


def _session(env: Env, *, p2_started: bool = True) -> tuple[Path, SessionFlow]:
    """p1 passes every step and signs; p2's identity fails three times and staff pass it by hand."""
    session = env.sessions / f"{env.case.case_no}-20261130091500"
    session.mkdir(parents=True, mode=0o700)
    seal_intake(session, env.keys.cipher(), env.case.model_dump(mode="json"), env.pdfs, STARTED)
    flow = SessionFlow()
    flow.audit = AuditLog(session / "audit.jsonl", context={"case_no": env.case.case_no, "kiosk_id": KIOSK})
    captured: dict[str, dict] = {}

    def save() -> None:
        save_progress(session, env.keys.cipher(), captured)

    flow.load_case(env.case)
    p1 = sample_party_evidence(env.case, "p1")
    photos = _face_photos()
    for _ in range(5):  # identity, notice, statement, qa, signing (saved before "passed", as the runner does)
        captured["p1"] = party_progress(identity=p1.identity, transcript=p1.transcript, qa=p1.qa,
                                        signatures=p1.signatures, photos=photos)
        save()
        flow.step_passed()
    flow.review_confirmed()  # p1 checked and confirmed their part; p2 comes
    if p2_started:
        for _ in range(3):
            flow.step_failed("人脸比对未通过")
        captured["p2"] = party_progress(identity={"passed": False, "attempts": 3}, transcript={}, qa=[],
                                        signatures=[])
        save()
        flow.manual_decision(True, "窗口03 王工", "证件照较旧，人工比对一致")
        save()
    return session, flow


def _face_photos() -> dict[str, bytes]:
    """A real face (skimage's astronaut) as the identity step keeps it: a face crop and the whole photo."""
    from skimage import data

    from kiosk.identity.check import face_snapshot
    from kiosk.identity.engine import detector

    rgb = np.ascontiguousarray(data.astronaut())
    (det,) = detector().detect(rgb)
    return {"live": face_snapshot(rgb, det.box), "reference": face_snapshot(rgb, None)}


def _export(outbox: Outbox, package_id: str, dest: Path) -> Path:
    """The plaintext package as the platform would receive it (decrypted from the outbox)."""
    item = outbox.get(package_id)
    assert item is not None
    reader = outbox.reader(item)
    for f, start in zip(item.files, reader.starts, strict=True):
        target = dest / f["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(reader.read(start, int(f["size"])))
    return dest


def _recover(env: Env) -> list[str]:
    return recover_sessions(env.sessions, keys=env.keys, outbox=env.outbox, kiosk_id=KIOSK,
                            software_version="0.1.0")


def test_aborted_package_holds_everything_captured_and_matches_the_audit(env: Env, tmp_path: Path) -> None:
    session, _flow = _session(env)
    ids = _recover(env)
    assert len(ids) == 1 and not session.exists()
    pkg = _export(env.outbox, ids[0], tmp_path / "received")
    manifest = json.loads((pkg / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "aborted"
    parties = {p["party_id"]: p for p in manifest["parties"]}
    assert parties["p1"]["identity_passed"] is True and len(parties["p1"]["signatures"]) == 2
    assert parties["p2"]["manual_decisions"] == 1
    stamped = {(d["doc_id"], a["anchor_index"]): a["stamped"] for d in manifest["documents"] for a in d["anchors"]}
    assert stamped[("d1", 0)] and stamped[("d2", 0)]          # p1 signed both documents
    assert not stamped[("d1", 1)]                              # p2 never reached signing
    qa = json.loads((pkg / "transcripts" / "p1.json").read_text(encoding="utf-8"))["qa"]
    assert qa and qa[0]["verdict"] == "affirm"
    assert sorted(p.name for p in (pkg / "pen").iterdir()) == ["p1-d1-0.bin", "p1-d1-0.json", "p1-d2-0.bin",
                                                               "p1-d2-0.json"]
    live = cv2.imdecode(np.frombuffer((pkg / "identity" / "p1_live.jpg").read_bytes(), np.uint8), cv2.IMREAD_COLOR)
    assert live is not None and max(live.shape[:2]) <= 240
    from kiosk.identity.engine import detector

    assert len(detector().detect(cv2.cvtColor(live, cv2.COLOR_BGR2RGB))) == 1
    assert parties["p1"]["identity_photos"] == {"reference": "identity/p1_reference.jpg",
                                                "live": "identity/p1_live.jpg"}
    assert "identity_photos" not in parties["p2"]                # nothing decided a match for p2
    assert verify_package(pkg) == []


def test_verify_catches_a_package_that_drops_what_the_audit_recorded(env: Env, tmp_path: Path) -> None:
    """The old recovery's package: audit says p1 signed and p2 was decided by hand, package has neither."""
    session, _flow = _session(env)
    audit = AuditLog(session / "audit.jsonl")
    b = PackageBuilder(tmp_path / "out", env.case, KIOSK, "0.1.0", env.keys, started_at=STARTED)
    for doc_id, pdf in env.pdfs.items():
        b.add_document(doc_id, pdf)
    from kiosk.evidence import PartyEvidence

    for pid in ("p1", "p2"):
        b.add_party(PartyEvidence(pid, identity={}, recording=None, recording_quality={}, transcript={}, qa=[],
                                  signatures=[]))
    b.set_audit(list(audit.events))
    problems = verify_package(b.build(status="aborted"))
    joined = "\n".join(problems)
    assert "p1 已签名" in joined and "人工决定" in joined and "身份核验通过" in joined and "问答通过" in joined


def _build_completed(env: Env, session: Path, flow: SessionFlow) -> Path:
    """What the runner's submit builds under <session>/package before it enqueues."""
    b = PackageBuilder(session / "package", env.case, KIOSK, "0.1.0", env.keys, started_at=STARTED,
                       seals={CREDIT_CODE: demo_seal_png("漯河市源汇置业有限公司", 400)})
    for doc_id, pdf in env.pdfs.items():
        b.add_document(doc_id, pdf)
    b.add_party(sample_party_evidence(env.case, "p1"))
    p2 = sample_party_evidence(env.case, "p2", seed=8)
    p2.manual_decisions = manual_decisions_from_audit(flow.audit.events, "p2")
    b.add_party(p2)
    b.set_steps(steps_from_audit(flow.audit.events))
    b.set_audit(list(flow.audit.events))
    return b.build(status="completed")


def test_built_package_is_enqueued_on_restart_with_the_same_id_and_bytes(env: Env, tmp_path: Path) -> None:
    session, flow = _session(env)
    built = _build_completed(env, session, flow)
    manifest_sha = __import__("hashlib").sha256((built / "manifest.json").read_bytes()).hexdigest()
    copy = tmp_path / "copy"
    shutil.copytree(session, copy)
    ids = _recover(env)
    assert ids == [built.name]
    item = env.outbox.get(built.name)
    assert item is not None and item.manifest_sha256 == manifest_sha
    received = _export(env.outbox, built.name, tmp_path / "received")
    for f in json.loads((received / "manifest.json").read_text(encoding="utf-8"))["files"]:
        assert (received / f["path"]).read_bytes() == (copy / "package" / built.name / f["path"]).read_bytes()
    assert json.loads((received / "manifest.json").read_text(encoding="utf-8"))["status"] == "completed"
    # killed after the enqueue, before the wipe: the next start finds it queued and only wipes
    shutil.copytree(copy, session)
    assert _recover(env) == [] and not session.exists()
    assert [i.package_id for i in env.outbox.items()] == [built.name]


def test_half_built_package_becomes_the_aborted_one_under_the_same_id(env: Env, tmp_path: Path) -> None:
    session, flow = _session(env)
    built = _build_completed(env, session, flow)
    built.rename(session / "package" / f".{built.name}.partial")
    (session / "package" / f".{built.name}.partial" / "report.pdf").unlink()
    # and the kill tore the last audit line
    with open(session / "audit.jsonl", "ab") as fh:
        fh.write(b'{"seq": 99, "kind": "package_bui')
    assert _recover(env) == [built.name]
    manifest = json.loads((_export(env.outbox, built.name, tmp_path / "r") / "manifest.json").read_text("utf-8"))
    assert manifest["status"] == "aborted"


def test_what_cannot_be_understood_is_quarantined_encrypted_and_can_be_restored(env: Env, tmp_path: Path) -> None:
    session, _flow = _session(env)
    intake = (session / INTAKE_FILE).read_bytes()
    (session / INTAKE_FILE).write_bytes(intake[:-5] + b"xxxxx")  # torn / tampered: does not decrypt
    originals = {p.relative_to(session).as_posix(): p.read_bytes() for p in session.rglob("*") if p.is_file()}
    assert _recover(env) == []
    assert not session.exists()
    status = env.outbox.status()
    assert status["depth"] == 0 and status["quarantined"] == 1
    [entry] = env.outbox.quarantined()
    assert "bad_ciphertext" in entry["reason"] or "InvalidTag" in entry["reason"] or entry["reason"]
    stored = b"".join(p.read_bytes() for p in env.outbox.quarantine_dir.rglob("*") if p.is_file())
    assert b"case_loaded" not in stored and b"LH2026-000123" not in stored  # the audit log is not in clear
    out = env.outbox.restore_quarantined(entry["id"], tmp_path / "restored")
    assert (out.stat().st_mode & 0o777) == 0o700
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == originals
