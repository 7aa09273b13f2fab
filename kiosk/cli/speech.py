"""`prompt-match` and `answer-check`: the statement and answer checks on text.

Both exit 0 whenever the check ran, whatever the verdict: the verdict is the output, so a
script can tell "the reading failed" from "the tool failed".
"""
from __future__ import annotations

import argparse
import json

from kiosk.speech.answers import check_answer
from kiosk.speech.matching import match_prompt


def cmd_prompt_match(args: argparse.Namespace) -> int:
    pm = match_prompt(args.prompt, args.transcript)
    if args.json:
        out = pm.to_json()
        print(json.dumps({"passed": out["passed"], "coverage": out["coverage"], "sentences": out["sentences"],
                          "missing": out["missing"], "problems": out["problems"]}, ensure_ascii=False))
        return 0
    print(f"{'通过' if pm.passed else '未通过'}  覆盖率 {pm.coverage:.0%}")
    for s in pm.sentences:
        mark = "✓" if s["passed"] else "✗"
        extra = "；".join(s["problems"])
        print(f"  {mark} {s['coverage']:.0%} {s['text']}{'  ' + extra if extra else ''}")
    return 0


def cmd_answer_check(args: argparse.Namespace) -> int:
    ac = check_answer(args.question, args.transcript, args.expect)
    if args.json:
        print(json.dumps({"verdict": ac.verdict, "passed": ac.passed, "reason": ac.reason}, ensure_ascii=False))
        return 0
    names = {"affirm": "肯定", "deny": "否定", "unclear": "不明确"}
    print(f"{names[ac.verdict]}（{ac.reason}）  {'符合' if ac.passed else '不符合'}预期")
    return 0
