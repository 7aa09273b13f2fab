"""The audit hash chain: the format the flow engine writes and verify re-checks."""
from __future__ import annotations

import hashlib
import json

from kiosk.audit import GENESIS, append_event, chain_hash, check_chain, dumps_chain


def _chain(n: int = 4) -> list[dict]:
    chain: list[dict] = []
    for i in range(n):
        append_event(chain, {"ts": f"2026-11-28T10:00:0{i}+08:00", "step": f"s{i}", "outcome": "通过"})
    return chain


def test_hash_is_sha256_of_canonical_json_without_hash() -> None:
    obj = {"seq": 1, "ts": "t", "prev": GENESIS, "step": "身份核验", "hash": "ignored"}
    canonical = '{"prev":"' + GENESIS + '","seq":1,"step":"身份核验","ts":"t"}'
    assert chain_hash(obj) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_written_chain_checks_clean_from_text() -> None:
    text = dumps_chain(_chain())
    assert check_chain(text.split("\n")) == []
    assert check_chain(text.splitlines()) == []
    first = json.loads(text.splitlines()[0])
    assert first["prev"] == GENESIS and first["seq"] == 1


def test_edited_line_is_named() -> None:
    lines = dumps_chain(_chain()).splitlines()
    obj = json.loads(lines[2])
    obj["outcome"] = "人工通过"
    lines[2] = json.dumps(obj, ensure_ascii=False)
    problems = check_chain(lines)
    assert len(problems) == 1 and "第3行" in problems[0] and "哈希不符" in problems[0]


def test_deleted_and_reordered_lines_are_caught() -> None:
    lines = dumps_chain(_chain()).splitlines()
    assert "序号不连续" in check_chain(lines[:1] + lines[2:])[0]
    assert check_chain([lines[1], lines[0]]) != []
    # rehashed after deletion: seq renumbered and hash recomputed, but prev still points at the gap
    tail = [json.loads(x) for x in lines[2:]]
    tail[0]["seq"] = 2
    tail[0]["hash"] = chain_hash(tail[0])
    assert "prev" in check_chain([lines[0], json.dumps(tail[0])])[0]


def test_empty_and_garbage() -> None:
    assert check_chain([]) == ["审计日志为空"]
    assert "JSON" in check_chain(["{not json"])[0]
    assert "缺少字段" in check_chain(['{"seq": 1}'])[0]
