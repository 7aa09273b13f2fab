"""`face-verify` through the real CLI table: output format, exit codes, bad files."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from kiosk.cli import run_cli
from kiosk.config import IdentitySettings
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
    assert same["match"] is True and same["distance"] < 0.3
    assert run_cli(["face-verify", str(files["chip"]), str(DEMO / "grace_hopper.jpg"), "--json"]) == 0
    other = json.loads(capsys.readouterr().out)
    assert other == {"match": False, "distance": other["distance"], "faces": 1}
    assert other["distance"] > 0.6


def test_threshold_option(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["face-verify", str(files["chip"]), str(DEMO / "grace_hopper.jpg"), "--json",
                    "--threshold", "0.95"]) == 0
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


def _huge_png(path: Path) -> None:
    """A real PNG whose header says 20000×20000: refused before any pixel is decoded."""
    import struct
    import zlib

    small = path.with_suffix(".small.png")
    Image.fromarray(np.zeros((4, 4, 3), np.uint8)).save(small)
    data = bytearray(small.read_bytes())
    ihdr = data.index(b"IHDR")
    data[ihdr + 4:ihdr + 12] = struct.pack(">II", 20000, 20000)
    crc = zlib.crc32(bytes(data[ihdr:ihdr + 17])) & 0xFFFFFFFF
    data[ihdr + 17:ihdr + 21] = struct.pack(">I", crc)
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def pair_files(files: dict[str, Path], astronaut: np.ndarray, hopper: np.ndarray) -> dict[str, Path]:
    d = files["chip"].parent
    out = dict(files)
    out["grey"] = d / "grey.png"
    Image.fromarray(np.full((480, 640, 3), 128, np.uint8)).save(out["grey"])
    full = d / "astronaut.jpg"
    Image.fromarray(astronaut).save(full, quality=92)
    out["truncated"] = d / "truncated.jpg"
    out["truncated"].write_bytes(full.read_bytes()[: full.stat().st_size // 3])
    both = np.zeros((600, 1100, 3), np.uint8)
    both[:512, :512] = astronaut
    both[:, 560:1072] = hopper
    out["two"] = d / "two.png"
    Image.fromarray(both).save(out["two"])
    out["border"] = d / "border.png"
    Image.fromarray(np.ascontiguousarray(astronaut[:, 205:])).save(out["border"])
    out["huge"] = d / "huge.png"
    _huge_png(out["huge"])
    return out


def test_pairs_answer_in_order_with_counts_and_never_crash(pair_files: dict[str, Path],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    f = pair_files
    live = [str(DEMO / "astronaut.png"), str(DEMO / "grace_hopper.jpg"), "black.png", "tiny.png", "grey.png",
            "truncated.jpg", "notes.jpg", "missing.jpg", "two.png", "border.png", "huge.png"]
    pairs = [["chip.jpg", x] for x in live] + [["two.png", str(DEMO / "astronaut.png")]]
    (f["chip"].parent / "pairs.json").write_text(json.dumps(pairs), encoding="utf-8")
    assert run_cli(["face-verify", "--pairs", str(f["chip"].parent / "pairs.json"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["engine"] == "openvino" and out["threshold"] == IdentitySettings().openvino_threshold
    r = out["results"]
    assert len(r) == len(pairs)
    assert all(set(x) >= {"match", "score", "faces"} for x in r)
    assert r[0]["match"] is True and r[0]["faces"] == [1, 1] and r[0]["score"] > out["threshold"]
    assert r[1]["match"] is False and r[1]["faces"] == [1, 1] and r[1]["score"] < out["threshold"]
    for k in (2, 3, 4):  # black, 1×1, uniform grey: no face
        assert r[k]["match"] is False and r[k]["faces"] == [1, 0] and r[k]["score"] is None
    for k, needle in ((5, "not a readable image"), (6, "not a readable image"), (7, "not found"),
                      (10, "too large")):
        assert r[k]["match"] is False and r[k]["faces"][1] == 0 and needle in r[k]["error"]
    assert r[8] == {"match": False, "score": None, "faces": [1, 2]}  # several faces: no decision
    assert r[9]["match"] in (True, False) and r[9]["faces"][0] == 1  # a face cut by the border
    assert r[11] == {"match": False, "score": None, "faces": [2, 1]}


def test_pairs_text_output_and_unusable_pairs_file(pair_files: dict[str, Path],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    d = pair_files["chip"].parent
    (d / "one.json").write_text(json.dumps([["chip.jpg", str(DEMO / "astronaut.png")]]), encoding="utf-8")
    assert run_cli(["face-verify", "--pairs", str(d / "one.json")]) == 0
    text = capsys.readouterr().out
    assert "engine=openvino" in text and "match" in text
    (d / "bad.json").write_text('{"not": "a list"}', encoding="utf-8")
    for args in (["--pairs", str(d / "bad.json")], ["--pairs", str(pair_files["text"])],
                 ["--pairs", str(d / "none.json")], ["--pairs", str(d / "one.json"), "a.jpg", "b.jpg"], []):
        assert run_cli(["face-verify", *args, "--json"]) == 1
        captured = capsys.readouterr()
        assert captured.out == "" and len(captured.err.strip().splitlines()) == 1


def test_engine_option_picks_dlib(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    d = files["chip"].parent
    (d / "one_dlib.json").write_text(json.dumps([["chip.jpg", str(DEMO / "astronaut.png")]]), encoding="utf-8")
    assert run_cli(["face-verify", "--pairs", str(d / "one_dlib.json"), "--engine", "dlib", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["engine"] == "dlib" and out["results"][0]["match"] is True
