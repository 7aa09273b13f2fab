"""Case JSON fixtures for the foundation tests."""
from __future__ import annotations

import copy
from typing import Any

from kiosk.idnumber import make_id_number

SELLER_ID = make_id_number("411102", "19650312", "021")
BUYER_ID = make_id_number("411103", "19880721", "046")

BASE_CASE: dict[str, Any] = {
    "case_no": "LH2026-000123",
    "business_type": "存量房转移登记",
    "property": {"location": "漯河市源汇区黄河路18号3号楼2单元501室", "unit_no": "411102001001GB00001F00030012"},
    "parties": [
        {"party_id": "p1", "role": "义务人", "kind": "person", "name": "王秀兰", "id_number": SELLER_ID},
        {"party_id": "p2", "role": "权利人", "kind": "person", "name": "李建国", "id_number": BUYER_ID},
    ],
    "documents": [
        {"doc_id": "d1", "title": "不动产登记申请书", "url": "/v1/documents/d1", "sha256": "a" * 64,
         "pages": 2, "page_size": [595.0, 842.0],
         "anchors": [{"party_id": "p1", "page": 2, "rect": [80, 120, 160, 60], "kind": "signature"},
                     {"party_id": "p2", "page": 2, "rect": [330, 120, 160, 60], "kind": "signature"}]},
    ],
    "scripts": {
        "p1": {"notice": "请认真阅读告知书。", "statement": "本人王秀兰，自愿将房屋转让给李建国。",
               "questions": [{"ask": "您是否自愿出售该房屋？", "expect": "affirm"}]},
        "p2": {"notice": "请认真阅读告知书。", "statement": "本人李建国，自愿购买该房屋。",
               "questions": [{"ask": "有没有人强迫您购买该房屋？", "expect": "deny"}]},
    },
    "policy": {"liveness_actions": 2, "face_attempts": 3, "retention_days": 30},
}


def case_json(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE_CASE)
    data.update(changes)
    return data
