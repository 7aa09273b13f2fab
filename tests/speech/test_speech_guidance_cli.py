"""Spoken guidance files and the two text commands as other tools call them."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from kiosk.speech import guidance_wav
from kiosk.speech.guidance import GUIDANCE, VOICE_DIR, duration_s, synthesize
from kiosk.speech.normalize import numbers_to_digits, split_sentences, tokens

MAIN = Path(__file__).resolve().parents[2] / "main.py"


def test_every_guidance_key_has_a_current_recording() -> None:
    index = json.loads((VOICE_DIR / "index.json").read_text(encoding="utf-8"))
    assert set(index) == set(GUIDANCE)
    for key, text in GUIDANCE.items():
        path = guidance_wav(key)
        assert path is not None, key
        # the recording is of today's text, not an older wording
        assert index[key]["text"] == text, key
        assert index[key]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), key
        with wave.open(str(path), "rb") as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 16000)
            pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        assert duration_s(key) == pytest.approx(len(pcm) / 16000)
        assert np.sqrt(np.mean(pcm.astype(np.float64) ** 2)) > 300, f"{key} is (nearly) silent"
    assert guidance_wav("look_at_camera") is not None and guidance_wav("read_statement") is not None
    assert guidance_wav("no_such_key") is None


@pytest.mark.media
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_synthesize_speaks_longer_text_for_longer(tmp_path: Path) -> None:
    short = synthesize("请签字。", tmp_path / "a.wav")
    long = synthesize("请仔细阅读屏幕上的告知书，确认无误后再签字。", tmp_path / "b.wav")
    with wave.open(str(short), "rb") as a, wave.open(str(long), "rb") as b:
        assert a.getframerate() == b.getframerate() == 16000
        assert b.getnframes() > 2 * a.getnframes()


@pytest.mark.parametrize(("text", "digits"), [
    ("二 零 二 六 年 三 月 五 号", "2026年3月5日"), ("两千零二十六年", "2026年"), ("一百五十万元", "1500000元"),
    ("150万元", "1500000元"), ("1,500,000元", "1500000元"), ("三亿五千万", "350000000"), ("一百二", "120"),
    ("一百零二", "102"), ("十五", "15"), ("一百五十点五万", "1505000"), ("幺三八", "138"), ("零三九五", "0395"),
    ("黄河路十八号", "黄河路18号"), ("十二月三十一号", "12月31日"), ("２０２６年", "2026年"), ("地点", "地点"),
    ("四 一 一 一 零 二 一 九 八 零 零 一 零 一 一 零 二 叉", "41110219800101102X"),
])
def test_numbers_both_ways(text: str, digits: str) -> None:
    assert numbers_to_digits(text) == digits


def test_homophones_share_keys_and_sentences_split() -> None:
    assert [t.key for t in tokens("张三 自愿 漯河")] == [t.key for t in tokens("赞山资源诺河")]
    assert [t.key for t in tokens("是")] != [t.key for t in tokens("不")]
    assert split_sentences("第一句。第二句！面积89.5平方米；") == ["第一句。", "第二句！", "面积89.5平方米；"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(MAIN), *args], capture_output=True, text=True, timeout=120,
                          check=False)


def test_prompt_match_command() -> None:
    prompt = "本人张三，自愿出售房屋。成交价150万元。"
    ok = _run("prompt-match", "--prompt", prompt, "--transcript", "本人 张 三 自愿 出售 房屋 成交 价 一百 五十 万 元",
              "--json")
    assert ok.returncode == 0, ok.stderr
    out = json.loads(ok.stdout)
    assert out["passed"] is True and out["coverage"] == 1.0 and len(out["sentences"]) == 2
    bad = _run("prompt-match", "--prompt", prompt, "--transcript", "本人 张 三 不 自愿 出售 房屋", "--json")
    assert bad.returncode == 0
    out = json.loads(bad.stdout)
    assert out["passed"] is False and [s["passed"] for s in out["sentences"]] == [False, False]
    human = _run("prompt-match", "--prompt", prompt, "--transcript", "本人 张 三 自愿 出售 房屋")
    assert human.returncode == 0 and "未通过" in human.stdout


def test_answer_check_command() -> None:
    r = _run("answer-check", "--question", "有没有人强迫您？", "--transcript", "没有", "--expect", "deny", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["verdict"] == "deny" and json.loads(r.stdout)["passed"] is True
    r = _run("answer-check", "--question", "您是否自愿？", "--transcript", "不知道", "--expect", "affirm", "--json")
    assert r.returncode == 0
    assert {k: json.loads(r.stdout)[k] for k in ("verdict", "passed")} == {"verdict": "unclear", "passed": False}


def test_missing_model_stops_the_kiosk_and_asks_counter_staff(tmp_path: Path) -> None:
    from kiosk.speech import manual_verdict, prepare_speech

    kiosk = prepare_speech(tmp_path / "absent", "kiosk")
    assert kiosk.how == "stop" and kiosk.engine is None and "工作人员" in kiosk.message
    counter = prepare_speech(tmp_path / "absent", "counter")
    assert counter.how == "manual" and "人工确认" in counter.message
    record = manual_verdict("answer", True, staff_id="S001", reason="申请人口头回答“是的”，工作人员听取确认",
                            question="您是否自愿？", verdict="affirm")
    assert record["method"] == "manual" and record["verdict"] == "affirm"
    with pytest.raises(ValueError, match="reason"):
        manual_verdict("statement", True, staff_id="S001", reason=" ")


@pytest.mark.media
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_notice_is_rendered_once_per_text(tmp_path: Path) -> None:
    from kiosk.speech.guidance import spoken_text_wav

    first = spoken_text_wav("根据规定，办理过程将全程录音录像。", tmp_path)
    stamp = first.stat().st_mtime_ns
    assert spoken_text_wav("根据规定，办理过程将全程录音录像。", tmp_path) == first
    assert first.stat().st_mtime_ns == stamp
    assert spoken_text_wav("另一段告知。", tmp_path) != first
