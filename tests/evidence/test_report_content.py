"""What a 双录 auditor looks for in the report, read back with poppler's pdftotext."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.evidence.report import _fmt_time, qa_cells, unit_cells
from kiosk.evidence.sample import build_sample_package
from kiosk.security.keys import DeviceKeys

pytestmark = pytest.mark.media
HEADING = re.compile(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)\S")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    keys = DeviceKeys(tmp_path_factory.mktemp("keys"))
    return build_sample_package(tmp_path_factory.mktemp("pkg"), keys) / "report.pdf"


def _pages(pdf: Path) -> list[str]:
    tool = shutil.which("pdftotext")
    assert tool, "apt-get install -y poppler-utils"
    text = subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [p for p in text.split("\f") if p.strip()]


def test_report_holds_zone_unit_legal_person_and_staff(report: Path) -> None:
    text = re.sub(r"[ \t]+", " ", "\n".join(_pages(report)))
    assert "Asia/Shanghai" in text and "+08:00" in text
    assert "2026-11-28 10:00:00 +08:00" in text  # started_at 10:00+08:00 shown in its zone
    assert re.search(r"不动产单元号 411102003001GB00012F00030011", text)
    assert "法人印章与代理授权" in text and "91411100MA44ABCD1X" in text and "已加盖" in text
    assert re.search(r"代理人 李四|李四（身份证", text)
    assert "工号 窗口03" in text  # the staff member of the manual decision, with its time
    assert "10:06:00 +08:00" in text  # when the manual decision was made


def test_no_heading_is_left_alone_at_a_page_end(report: Path) -> None:
    for n, page in enumerate(_pages(report), 1):
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        body = [ln for ln in lines if not ln.startswith("证据包") and "共" not in ln]
        assert body and not HEADING.match(body[-1]), (n, body[-3:])


def test_times_are_beijing_time_with_offset() -> None:
    assert _fmt_time("2026-12-01T01:42:45.582+00:00") == "2026-12-01 09:42:45 +08:00"
    assert _fmt_time("2026-12-01T01:42:45Z") == "2026-12-01 09:42:45 +08:00"
    assert _fmt_time("2026-12-01T09:42:45") == "2026-12-01 09:42:45（时区未记录）"


def test_certificate_number_is_not_called_a_unit_number() -> None:
    assert unit_cells("411102003001GB00012F00030011") == ["不动产单元号", "411102003001GB00012F00030011"]
    label, value = unit_cells("豫(2019)漯河市不动产权第0012345号")
    assert label == "权属证明号" and "未提供不动产单元号" in value


def test_staff_confirmed_answer_says_who_decided_and_when() -> None:
    item = {"ask": "您是否自愿办理？", "expect": "affirm", "passed": None, "verdict": None, "voice": {"voice_s": 2.1}}
    decision = {"party_id": "p1", "step": "qa", "outcome": "manual_pass",
                "manual": {"staff": "0001", "staff_name": "王敏", "reason": "现场核听"}}
    audit = [{"kind": "step_result", "manual": True, "party_id": "p1", "step": "qa", "outcome": "manual_pass",
              "ts": "2026-12-01T01:42:45+00:00", "staff": "0001"}]
    answer, verdict, who = qa_cells(item, decision, audit)
    assert answer.startswith("工作人员现场核听确认：肯定") and "2.1 秒" in answer
    assert verdict == "人工通过" and who == "王敏（工号 0001）"
    heard = qa_cells({"ask": "？", "answer": "是的", "verdict": "affirm", "passed": True}, decision, audit)
    assert heard == ["是的", "肯定　通过", "语音识别（自动）"]


def test_statement_decided_by_staff_says_so(tmp_path: Path) -> None:
    from kiosk.audit import append_event
    from kiosk.evidence import PackageBuilder
    from kiosk.evidence.sample import sample_audit, sample_case, sample_party_evidence

    keys = DeviceKeys(tmp_path / "keys")
    keys.ensure_demo_certificate("LH-KIOSK-0001")
    case, pdfs = sample_case()
    b = PackageBuilder(tmp_path, case, "LH-KIOSK-0001", "0.1.0", keys, started_at="2026-11-28T11:00:00+08:00")
    for k, v in pdfs.items():
        b.add_document(k, v)
    ev = sample_party_evidence(case, "p1")
    ev.manual_decisions = [{"party_id": "p1", "step": "statement", "outcome": "manual_pass",
                            "manual": {"staff": "0007", "reason": "语音模型未安装，现场核听"}}]
    b.add_party(ev)
    audit = sample_audit(3)
    append_event(audit, {"kind": "step_result", "party_id": "p1", "step": "statement", "manual": True,
                         "outcome": "manual_pass", "staff": "0007", "ts": "2026-11-28T03:05:00+00:00"})
    b.set_audit(audit)
    text = re.sub(r"\s+", "", "\n".join(_pages(b.build("aborted") / "report.pdf")))
    assert "人工通过，工号0007现场核听后决定" in text
    assert "11:05:00+08:00" in text  # the audit's UTC time shown as Beijing time


def test_each_answer_names_the_staff_who_confirmed_it() -> None:
    """Answers confirmed one by one: each row names its own member of staff and time, not the
    step's (here the step's decision names someone else, who confirmed only the last answer)."""
    step = {"party_id": "p1", "step": "qa", "outcome": "manual_pass", "manual": {"staff": "0009", "reason": "x"}}
    first = {"ask": "您是否自愿办理？", "expect": "affirm", "passed": True, "verdict": None, "touch": "yes",
             "voice": {"voice_s": 1.4},
             "staff_decision": {"outcome": "manual_pass", "staff": "0001", "reason": "现场核听",
                                "at": "2026-12-01T09:42:45+08:00"}}
    answer, verdict, who = qa_cells(first, step, [])
    assert answer.startswith("工作人员现场核听确认：肯定") and "触屏：是" in answer and "1.4 秒" in answer
    assert verdict == "人工通过" and who == "工号 0001（2026-12-01 09:42:45 +08:00）"
    rejected = dict(first, passed=False, staff_decision={"outcome": "manual_fail", "staff": "0002", "reason": "y"})
    assert qa_cells(rejected, step, [])[1:] == ["人工否决", "工号 0002"]
