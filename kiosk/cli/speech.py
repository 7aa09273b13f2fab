"""`prompt-match` and `answer-check`: the statement and answer checks on text.

Both exit 0 whenever the check ran, whatever the verdict: the verdict is the output, so a
script can tell "the reading failed" from "the tool failed".
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.errors import UserFacingError
from kiosk.speech.answers import check_answer
from kiosk.speech.matching import match_prompt
from kiosk.speech.spans import SpanSource, spans_from_json


def cmd_prompt_match(args: argparse.Namespace) -> int:
    spans: list[SpanSource] = []
    if getattr(args, "case", None):
        try:
            spans = spans_from_json(json.loads(Path(args.case).read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError, UserFacingError) as exc:  # CaseError: a bad case
            print(f"无法读取案件文件 {args.case}：{getattr(exc, 'message', None) or exc}", file=sys.stderr)
            return 2
    pm = match_prompt(args.prompt, args.transcript, spans=spans)
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
