"""`simulate`: a complete headless session on simulated devices, end to end.

The real flow, the real analysis and the real evidence chain run; only the people and the
hardware are simulated (`kiosk.session.demo_applicant`: the people act on what the screen
shows, through the simulated devices). The headless operator `SIM-STAFF` decides only what this
environment cannot (the speech checks when no Chinese speech model is installed), says so in
the output, and those decisions are recorded as manual in the evidence. Any other escalation —
a failed face match or liveness, a device fault — ends the run with exit 1 unless
`--staff-overrides` asks the operator to pass it by hand.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from kiosk.config import load_config
from kiosk.errors import UserFacingError
from kiosk.logs import setup_logging


def cmd_simulate(args: argparse.Namespace) -> int:
    from kiosk.platform.demo import DEMO_CASE_NO, DEMO_STAFF_LOGIN
    from kiosk.session.context import build_context
    from kiosk.session.runner import SessionRunner
    from kiosk.session.view import HeadlessView

    state = Path(args.state) if args.state else Path(tempfile.mkdtemp(prefix="bdc-sim-state-"))
    settings, paths = load_config(state)
    setup_logging(paths.logs)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    case_no = args.case or DEMO_CASE_NO
    started = time.monotonic()
    events: list[str] = []
    view = HeadlessView(on_event=lambda e: events.append(e["kind"]),
                        staff_overrides=bool(getattr(args, "staff_overrides", False)))
    ctx = build_context(settings, paths, demo=True, platform_url=args.platform,
                        platform_factory=getattr(args, "platform_factory", None))
    try:
        assert ctx.applicant is not None, "simulate runs on the demo wiring"
        view.on_duty = lambda: ctx.client.staff_login(*DEMO_STAFF_LOGIN)  # the operator is a clerk of the platform
        runner = SessionRunner(ctx, ctx.applicant.attend(view), staff_id="SIM-STAFF")
        outcome = runner.run(case_no)
        receipt = outcome.receipt
        deadline = time.monotonic() + 120
        while receipt is None and outcome.package_id and time.monotonic() < deadline:
            try:
                for r in ctx.uploader.drain_once():
                    if getattr(r, "package_id", None) == outcome.package_id or (
                            isinstance(r, dict) and r.get("package_id") == outcome.package_id):
                        receipt = r if isinstance(r, dict) else r.to_json()
            except UserFacingError as exc:
                print(f"upload retry: {exc.message}", file=sys.stderr)
            if receipt is None:
                time.sleep(2.0)
        if receipt is not None:
            (out / "receipt.json").write_text(json.dumps(receipt, ensure_ascii=False, indent=2), encoding="utf-8")
            if ctx.embedded_platform is not None and outcome.package_id:
                stored = ctx.embedded_platform.data_dir / "packages" / outcome.package_id
                if stored.is_dir():
                    shutil.copytree(stored, out, dirs_exist_ok=True)
    finally:
        ctx.close()
    steps = [_step_line(r) for r in runner.flow.results]
    summary: dict[str, Any] = {"ok": bool(outcome.ok and receipt is not None), "status": outcome.status, "case_no": case_no,
               "package_id": outcome.package_id, "uploaded": receipt is not None, "message": outcome.message,
               "out": str(out), "state": str(state), "seconds": round(time.monotonic() - started, 1),
               "events": len(events), "steps": steps,
               "operator": view.decisions}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        for line in view.lines:
            print(line)
        print()
        for step in steps:
            print(f"  {step['party_id']} {step['step']}: {step['how']}")
        print(f"\n{'OK' if summary['ok'] else 'FAILED'}: {outcome.message} — package {outcome.package_id} "
              f"in {summary['seconds']} s; output in {out}")
    if not summary["ok"]:
        print(f"bdc-kiosk simulate: {outcome.message}", file=sys.stderr)
        return 1
    return 0


def _step_line(result: Any) -> dict[str, Any]:
    """A step result and how it was decided: automatically, or by whom and why."""
    out = {"party_id": result.party_id, "step": result.step.value, "outcome": result.outcome.value,
           "automatic": result.manual is None}
    if result.manual is None:
        out["how"] = f"{result.outcome.value} (automatic)"
    else:
        out["how"] = f"{result.outcome.value} by {result.manual['staff']}: {result.manual['reason']}"
    return out
