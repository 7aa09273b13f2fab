"""The whole product, headless: `simulate` runs a two-party case end to end."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    out = tmp_path_factory.mktemp("sim-out")
    state = tmp_path_factory.mktemp("sim-state")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.run([sys.executable, "main.py", "simulate", "--out", str(out), "--state", str(state), "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900, env=env)
    return proc, out, state


@pytest.mark.slow
def test_simulate_exits_zero_with_manifest_and_receipt(simulated) -> None:
    proc, out, _ = simulated
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert summary["ok"] and summary["uploaded"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    receipt = json.loads((out / "receipt.json").read_text(encoding="utf-8"))
    assert manifest["case_no"] == "LH2026-000123"
    assert receipt["package_id"] == manifest["package_id"] == summary["package_id"]
    paths = {f["path"] for f in manifest["files"]}
    for pid in ("p1", "p2"):
        assert f"recordings/{pid}.mp4" in paths
    assert "report.pdf" in paths and "audit.jsonl" in paths
    assert any(p.startswith("documents/") for p in paths)


@pytest.mark.slow
def test_simulate_says_which_steps_passed_automatically(simulated) -> None:
    """Identity, notice and signing pass on their own; the operator decides only the speech
    checks, and only because no Chinese model is installed here — and says so."""
    proc, _, _ = simulated
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    steps = {(s["party_id"], s["step"]): s for s in summary["steps"]}
    assert set(steps) == {(p, st) for p in ("p1", "p2") for st in ("identity", "notice", "statement", "qa", "signing")}
    for party in ("p1", "p2"):
        for step in ("identity", "notice", "signing"):
            assert steps[(party, step)]["automatic"] and steps[(party, step)]["outcome"] == "passed", steps[(party, step)]
        for step in ("statement", "qa"):
            s = steps[(party, step)]
            assert s["outcome"] in ("passed", "manual_pass")
            if not s["automatic"]:  # no Chinese model here: the only thing the operator may decide
                assert "中文语音模型" in s["how"], s
    assert all(d["cause"] == "no_speech_model" and d["action"] == "manual_pass" for d in summary["operator"])


@pytest.mark.slow
def test_simulated_package_verifies(simulated) -> None:
    proc, out, _ = simulated
    assert proc.returncode == 0
    check = subprocess.run([sys.executable, "main.py", "verify", str(out), "--json"], cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]


@pytest.mark.slow
def test_logs_never_hold_raw_names_or_id_numbers(simulated) -> None:
    from kiosk.platform.demo import demo_personas

    proc, _, state = simulated
    assert proc.returncode == 0
    secrets = []
    for persona in demo_personas("LH2026-000123").values():
        secrets += [persona.name, persona.id_number]
    logs = list((state / "logs").rglob("*"))
    assert any(p.is_file() and p.stat().st_size > 0 for p in logs), "the session wrote no logs"
    for path in logs:
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            for raw in secrets:
                assert raw not in text, f"{path.name} holds a raw personal value"
    assert not any((state / "sessions").iterdir()), "session working data was not wiped"


@pytest.mark.slow
def test_package_holds_the_live_face_beside_the_reference(simulated) -> None:
    """The best live frame that decided the match is a small face JPEG in the package, hashed by the
    manifest, with the reference photo beside it; a face detector finds a face in each."""
    import cv2
    import numpy as np

    from kiosk.identity.engine import detector

    proc, out, _ = simulated
    assert proc.returncode == 0, proc.stderr[-3000:]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    hashed = {f["path"] for f in manifest["files"]}
    yunet = detector()
    for pid in ("p1", "p2"):
        entry = next(p for p in manifest["parties"] if p["party_id"] == pid)
        for kind in ("live", "reference"):
            rel = f"identity/{pid}_{kind}.jpg"
            assert rel in hashed and entry["identity_photos"][kind] == rel
            data = (out / rel).read_bytes()
            assert data[:2] == b"\xff\xd8" and len(data) < 40_000, len(data)
            bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
            assert bgr is not None and max(bgr.shape[:2]) <= 240
            rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            assert len(yunet.detect(rgb)) == 1, (pid, kind)
        ident = json.loads((out / f"identity/{pid}.json").read_text(encoding="utf-8"))["identity"]
        assert ident["live_photo"]["score"] >= ident["threshold"]
