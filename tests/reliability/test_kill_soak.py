"""The kill soak, short form: one SIGKILL in each phase (party steps, packaging, upload), each
followed by a restart, then a run to the end and a flush (the full form with 20 kills is
scripts/soak_kill.sh). Every session that had a case is on the platform exactly once, the
finished one as completed, the interrupted ones as packages that verify (recordings playable);
no personal data in clear outside the directory of the session in progress, nothing left at the end.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from soak_kill import soak, table  # noqa: E402


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_three_kills_lose_nothing_duplicate_nothing_leave_nothing_readable(tmp_path: Path) -> None:
    report = soak(3, seed=17, work=tmp_path / "soak")
    summary = table(report)
    assert report["kills"] >= 2, summary  # the upload may finish before it can be hit; the others must be
    assert report["lost"] == [] and report["duplicated"] == [], summary
    assert report["verify_failures"] == {} and report["wrong_status"] == [], summary
    assert report["unattributed_packages"] == [], summary
    assert report["plaintext_leftovers_at_kills"] == 0 and report["plaintext_leftovers_at_end"] == [], summary
    assert report["outbox_after_flush"].get("depth") == 0 and report["flush_exit"] == 0, summary
    assert report["packages_on_platform"] == 4, summary  # three interrupted sessions and the finished one
