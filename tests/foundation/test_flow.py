from __future__ import annotations

import json
from pathlib import Path

import pytest
from case_fixtures import case_json

from kiosk.audit import AuditLog, chain_hash
from kiosk.flow import IllegalTransition, Outcome, SessionFlow, State, Step
from kiosk.model import parse_case


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _flow(tmp_path: Path | None = None, **kw) -> SessionFlow:
    audit = AuditLog(tmp_path / "audit.jsonl" if tmp_path else None)
    return SessionFlow(audit=audit, **kw)


def _pass_party(flow: SessionFlow) -> None:
    for _ in range(5):
        flow.step_passed({"ok": True})


def test_full_two_party_session_reaches_done(tmp_path: Path) -> None:
    flow = _flow(tmp_path)
    flow.load_case(parse_case(case_json()))
    assert (flow.party_id, flow.step) == ("p1", Step.IDENTITY)
    _pass_party(flow)
    # each party confirms what they did before the next one comes
    assert flow.state is State.REVIEW and flow.party_id is None
    with pytest.raises(IllegalTransition):
        flow.step_passed()
    flow.review_confirmed()
    assert (flow.state, flow.party_id, flow.step) == (State.PARTY_STEP, "p2", Step.IDENTITY)
    _pass_party(flow)
    assert flow.state is State.REVIEW
    flow.review_confirmed()
    assert flow.state is State.SUBMITTING
    flow.submitted(queued=True, package_id="pkg")
    assert flow.state is State.DONE
    assert [r.outcome for r in flow.results] == [Outcome.PASSED] * 10
    reviews = [(e["kind"], e.get("party_id"), e.get("last")) for e in flow.audit.events
               if e["kind"] in ("review", "review_confirmed")]
    assert reviews == [("review", "p1", False), ("review_confirmed", "p1", None),
                       ("review", "p2", True), ("review_confirmed", "p2", None)]


def test_illegal_transitions_refused_and_change_nothing() -> None:
    flow = _flow()
    with pytest.raises(IllegalTransition):
        flow.step_passed()
    with pytest.raises(IllegalTransition):
        flow.review_confirmed()
    flow.load_case(parse_case(case_json()))
    before = (flow.state, flow.party_id, flow.step, len(flow.audit.events))
    for bad in (flow.review_confirmed, flow.resume, lambda: flow.load_case(parse_case(case_json())),
                lambda: flow.submitted(queued=True, package_id="x")):
        with pytest.raises(IllegalTransition):
            bad()
    assert (flow.state, flow.party_id, flow.step, len(flow.audit.events)) == before
    flow.abort("test")
    with pytest.raises(IllegalTransition):
        flow.abort("again")
    with pytest.raises(IllegalTransition):
        flow.step_passed()


def test_retries_then_escalation_then_manual_pass_recorded_as_manual() -> None:
    flow = _flow(retry_limits={Step.IDENTITY: 3})
    flow.load_case(parse_case(case_json()))
    assert flow.step_failed("no match") is True
    assert flow.step_failed("no match") is True
    assert flow.step_failed("no match") is False
    assert flow.state is State.ESCALATED
    with pytest.raises(IllegalTransition):
        flow.step_passed()  # no automatic pass once escalated
    with pytest.raises(IllegalTransition):
        flow.manual_decision(True, "S001", "")  # a reason is required
    flow.manual_decision(True, "S001", "持证件原件人工核验一致")
    first = flow.results[0]
    assert first.outcome is Outcome.MANUAL_PASS
    assert first.manual == {"staff": "S001", "reason": "持证件原件人工核验一致"}
    assert flow.step is Step.NOTICE
    kinds = [e["kind"] for e in flow.audit.events]
    assert kinds.count("step_failed") == 3 and "escalated" in kinds
    manual = [e for e in flow.audit.events if e["kind"] == "step_result"][0]
    assert manual["manual"] is True and manual["outcome"] == "manual_pass" and manual["staff"] == "S001"


def test_staff_retry_grants_new_attempts_and_manual_fail_aborts() -> None:
    flow = _flow(retry_limits={Step.IDENTITY: 1})
    flow.load_case(parse_case(case_json()))
    assert flow.step_failed("x") is False
    flow.staff_retry("S002", "调整光线后重试")
    assert flow.state is State.PARTY_STEP and flow.attempts == 0
    flow.step_failed("x")
    flow.manual_decision(False, "S002", "本人与证件不符")
    assert flow.state is State.ABORTED
    assert flow.results[-1].outcome is Outcome.MANUAL_FAIL


def test_idle_timeout_countdown_then_abort() -> None:
    clock = FakeClock()
    flow = _flow(idle_timeout_s=120, idle_countdown_s=15, clock=clock)
    flow.load_case(parse_case(case_json()))
    clock.now += 100
    assert flow.tick() is None
    clock.now += 10
    assert flow.tick() == pytest.approx(10)
    flow.touch()
    assert flow.tick() is None
    clock.now += 121
    assert flow.tick() == 0.0
    assert flow.state is State.ABORTED and flow.abort_reason == "idle_timeout"


def test_pause_stops_idle_clock_and_resume_returns() -> None:
    clock = FakeClock()
    flow = _flow(idle_timeout_s=30, idle_countdown_s=10, clock=clock)
    flow.load_case(parse_case(case_json()))
    flow.step_passed()
    flow.pause()
    clock.now += 1000
    assert flow.tick() is None and flow.state is State.PAUSED
    with pytest.raises(IllegalTransition):
        flow.step_passed()
    flow.resume()
    assert flow.state is State.PARTY_STEP and flow.step is Step.NOTICE


def test_steps_without_script_or_anchor_are_skipped_visibly() -> None:
    data = case_json()
    del data["scripts"]["p2"]
    data["documents"][0]["anchors"] = data["documents"][0]["anchors"][:1]
    flow = _flow()
    flow.load_case(parse_case(data))
    _pass_party(flow)
    flow.review_confirmed()
    assert flow.step is Step.IDENTITY and flow.party_id == "p2"
    flow.step_passed()
    assert flow.state is State.REVIEW
    skipped = [(r.step, r.outcome) for r in flow.results if r.party_id == "p2"]
    assert skipped[1:] == [(s, Outcome.SKIPPED) for s in (Step.NOTICE, Step.STATEMENT, Step.QA, Step.SIGNING)]


def test_audit_chain_is_durable_and_linked(tmp_path: Path) -> None:
    flow = _flow(tmp_path)
    flow.load_case(parse_case(case_json()))
    flow.step_failed("blur")
    flow.step_passed()
    lines = [json.loads(x) for x in (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(flow.audit.events) >= 4
    prev = "0" * 64
    for ev in lines:
        assert ev["prev"] == prev
        body = {k: v for k, v in ev.items() if k != "hash"}
        assert chain_hash(body) == ev["hash"]
        prev = ev["hash"]
    text = (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
    assert "王秀兰" not in text
    # reopening continues the chain
    again = AuditLog(tmp_path / "audit.jsonl")
    assert again.head == prev
