"""One count of identity attempts: the report's 核验次数, the manifest's `attempts` and the audit's
`attempt` events agree, and `verify` says so when they do not. Driven by the real identity check
on real face photos (skimage's astronaut, matplotlib's Grace Hopper) and the real session flow."""
from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from devices.base import Frame
from devices.camera.actor import SyntheticApplicant
from kiosk.audit import AuditLog
from kiosk.config import IdentitySettings
from kiosk.evidence import PackageBuilder
from kiosk.evidence.package import PartyEvidence
from kiosk.evidence.sample import CREDIT_CODE, sample_case
from kiosk.evidence.verify import check_audit_consistency, verify_package
from kiosk.flow import SessionFlow
from kiosk.identity import IdentityCheck
from kiosk.identity.evaluation import make_chip_photo
from kiosk.model import Policy
from kiosk.security.keys import DeviceKeys
from kiosk.session.steps.identity import audit_attempts
from kiosk.signing.seal import demo_seal_png

pytestmark = pytest.mark.media
FAST = IdentitySettings(liveness_action_timeout_s=3.0, face_capture_timeout_s=5.0)


def _faces() -> tuple[np.ndarray, np.ndarray]:
    from matplotlib import cbook
    from PIL import Image
    from skimage import data

    with Image.open(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)) as im:
        hopper = np.asarray(im.convert("RGB"))
    return data.astronaut(), hopper


class _Applicant:
    """Someone else stands at the camera for the first try; the card holder for the second."""

    def __init__(self, holder: np.ndarray, other: np.ndarray) -> None:
        self.actor = SyntheticApplicant(other, seed=5)
        self.holder = holder
        self.seq = 0

    def next_frame(self) -> Frame:
        self.seq += 1
        return Frame(next(self.actor), self.seq / 25.0, self.seq)

    def on_prompt(self, kind: str, text: str) -> None:
        if kind == "guide" and "请再试一次" in text:
            self.actor = SyntheticApplicant(self.holder, seed=21)
        elif kind == "action":
            self.actor.perform(text)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("attempts")
    case, pdfs = sample_case()
    flow = SessionFlow(audit=AuditLog(root / "audit.jsonl", context={"case_no": case.case_no}))
    flow.load_case(case)  # p1's identity step
    astronaut, hopper = _faces()
    who = _Applicant(astronaut, hopper)
    result = IdentityCheck(FAST, Policy(face_attempts=2, liveness_actions=2), random.Random(7)).run(
        make_chip_photo(astronaut), who.next_frame, who.on_prompt, on_attempt=audit_attempts(flow))
    assert result.passed, result.evidence["attempts"]
    flow.step_passed()
    keys = DeviceKeys(root / "keys")
    keys.ensure_demo_certificate("LH-KIOSK-0001")
    b = PackageBuilder(root / "pkg", case, "LH-KIOSK-0001", "0.1.0", keys,
                       seals={CREDIT_CODE: demo_seal_png("漯河市源汇置业有限公司", 400)})
    for doc_id, pdf in pdfs.items():
        b.add_document(doc_id, pdf)
    b.add_party(PartyEvidence("p1", identity={**result.evidence, "passed": True}, recording=None,
                              recording_quality={}, transcript={}, qa=[], signatures=[]))
    b.set_steps([r.to_json() for r in flow.results])
    b.set_audit(list(flow.audit.events))
    return b.build(status="aborted")


def test_first_face_attempt_fails_second_passes_two_everywhere(package: Path) -> None:
    ident = json.loads((package / "identity" / "p1.json").read_text(encoding="utf-8"))["identity"]
    assert [a["passed"] for a in ident["attempts"]] == [False, True]
    assert ident["attempts"][0]["failure"] == "mismatch"
    audit = [json.loads(x) for x in (package / "audit.jsonl").read_text(encoding="utf-8").splitlines() if x]
    faces = [e for e in audit if e["kind"] == "attempt" and e["what"] == "face_match"]
    assert [(e["party_id"], e["step"], e["passed"]) for e in faces] == [("p1", "identity", False),
                                                                         ("p1", "identity", True)]
    assert [e["action"] for e in audit if e["kind"] == "attempt" and e["what"] == "liveness"] == \
        [a["action"] for a in ident["attempts"][1]["liveness"]]
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    (step,) = [s for s in manifest["steps"] if s["step"] == "identity"]
    assert step["attempts"] == 2
    tool = shutil.which("pdftotext")
    assert tool, "apt-get install -y poppler-utils"
    text = subprocess.run([tool, "-layout", str(package / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"核验次数\s+2 次（活体动作 2 次）", text), text[:3000]
    assert verify_package(package) == []


def test_verify_names_a_count_that_the_audit_does_not_hold(package: Path) -> None:
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    audit_text = (package / "audit.jsonl").read_text(encoding="utf-8")
    for s in manifest["steps"]:
        s["attempts"] = 1
    problems = check_audit_consistency(package, manifest, audit_text)
    assert any("身份核验次数：清单 1 次，审计中人脸比对事件 2 条" in p for p in problems), problems
    def failed_match(line: str) -> bool:
        e = json.loads(line)
        return e.get("kind") == "attempt" and e.get("what") == "face_match" and not e.get("passed")

    dropped = "\n".join(x for x in audit_text.splitlines() if x and not failed_match(x))
    problems = check_audit_consistency(package, json.loads((package / "manifest.json").read_text(encoding="utf-8")), dropped)
    assert any("人脸比对事件 1 条" in p for p in problems), problems
