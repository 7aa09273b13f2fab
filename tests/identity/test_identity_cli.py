"""`face-verify` through the real CLI table: output format, exit codes, bad files."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from kiosk.cli import run_cli
from kiosk.identity.evaluation import make_chip_photo

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "faces"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, astronaut: np.ndarray) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("faces")
    out = {"chip": d / "chip.jpg", "black": d / "black.png", "tiny": d / "tiny.png", "text": d / "notes.jpg"}
    Image.fromarray(make_chip_photo(astronaut)).save(out["chip"], quality=90)
    Image.fromarray(np.zeros((480, 640, 3), np.uint8)).save(out["black"])
    Image.fromarray(np.zeros((1, 1, 3), np.uint8)).save(out["tiny"])
    out["text"].write_text("这不是图片", encoding="utf-8")
    return out


def test_demo_copies_are_the_package_photos(astronaut: np.ndarray, hopper: np.ndarray) -> None:
    with Image.open(DEMO / "astronaut.png") as im:
        assert np.array_equal(np.asarray(im.convert("RGB")), astronaut)
    with Image.open(DEMO / "grace_hopper.jpg") as im:
        assert np.array_equal(np.asarray(im.convert("RGB")), hopper)


def test_json_match_and_no_match(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["face-verify", str(files["chip"]), str(DEMO / "astronaut.png"), "--json"]) == 0
    same = json.loads(capsys.readouterr().out)
    assert set(same) == {"match", "distance", "faces"}
    assert same["match"] is True and same["distance"] < 0.5
    assert run_cli(["face-verify", str(files["chip"]), str(DEMO / "grace_hopper.jpg"), "--json"]) == 0
    other = json.loads(capsys.readouterr().out)
    assert other == {"match": False, "distance": other["distance"], "faces": 1}
    assert other["distance"] > 0.6


def test_threshold_option(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["face-verify", str(files["chip"]), str(DEMO / "grace_hopper.jpg"), "--json",
                    "--threshold", "0.75"]) == 0
    assert json.loads(capsys.readouterr().out)["match"] is True  # a looser threshold really loosens
    assert run_cli(["face-verify", str(files["chip"]), str(DEMO / "astronaut.png")]) == 0
    assert "match" in capsys.readouterr().out


@pytest.mark.parametrize(("which", "needle"), [
    ("black", "no face found"), ("tiny", "no face found"), ("text", "not a readable image"), ("missing", "not found"),
])
def test_bad_input_exits_1_with_one_line(files: dict[str, Path], capsys: pytest.CaptureFixture[str],
                                         which: str, needle: str) -> None:
    path = files.get(which, files["chip"].with_name("missing.jpg"))
    assert run_cli(["face-verify", str(files["chip"]), str(path), "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])  # Chinese and English
