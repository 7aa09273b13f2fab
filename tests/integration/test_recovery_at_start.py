"""A session interrupted by a kill is queued when the kiosk starts again, not only when the next
applicant begins: its evidence uploads while the kiosk waits."""
from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.audit import AuditLog
from kiosk.config import load_config
from kiosk.evidence.sample import sample_case, sample_party_evidence
from kiosk.flow import SessionFlow
from kiosk.session.context import build_context
from kiosk.session.recovery import party_progress, save_progress, seal_intake
from refplatform import embedded


@pytest.mark.allow_log_warnings  # recovery warns by design: a person should know
def test_interrupted_session_is_queued_when_the_kiosk_starts(tmp_path: Path) -> None:
    settings, paths = load_config(tmp_path / "state")
    ctx = build_context(settings, paths, demo=True, platform_factory=embedded)
    try:
        keys = ctx.keys
        case, pdfs = sample_case()
        session = paths.sessions / f"{case.case_no}-20261130091500"
        session.mkdir(parents=True, mode=0o700)
        seal_intake(session, keys.cipher(), case.model_dump(mode="json"), pdfs, "2026-11-30T09:15:00+08:00")
        flow = SessionFlow()
        flow.audit = AuditLog(session / "audit.jsonl",
                              context={"case_no": case.case_no, "kiosk_id": settings.kiosk_id})
        flow.load_case(case)
        p1 = sample_party_evidence(case, "p1")
        save_progress(session, keys.cipher(), {"p1": party_progress(identity=p1.identity, transcript={},
                                                                    qa=[], signatures=[])})
        flow.step_passed()  # p1's identity passed, then the process was killed
        before = {i.package_id for i in ctx.outbox.items()}
    finally:
        ctx.close()

    ctx = build_context(settings, paths, demo=True, platform_factory=embedded)
    try:
        queued = [i for i in ctx.outbox.items() if i.package_id not in before]
        assert not session.exists(), "the interrupted session was not settled at start"
        assert len(queued) == 1 and queued[0].package_id.startswith(case.case_no)
    finally:
        ctx.close()
