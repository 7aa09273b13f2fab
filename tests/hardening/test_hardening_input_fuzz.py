"""Hostile input to the parsers and checkers that read data an attacker can shape: pen data
(from a pad or inside a package), the statement matcher and answer check (any unicode, huge
text), the audit chain and the manifest. Each gives its result or its documented error, in
bounded time; none crashes, and a checker never calls tampered data intact."""
from __future__ import annotations

import json
import math
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from devices.base import PenPoint
from kiosk.audit import append_event, check_chain, dumps_chain
from kiosk.errors import UserFacingError
from kiosk.evidence.manifest import check_manifest, write_manifest
from kiosk.security.keys import DeviceKeys
from kiosk.signing import PenData, check_signature, render_signature_png
from kiosk.signing.pen import MAGIC
from kiosk.signing.sample_pen import handwriting_points
from kiosk.speech.answers import check_answer
from kiosk.speech.matching import match_prompt

EXAMPLES = 80
FUZZ = settings(max_examples=EXAMPLES, deadline=None)

_weird_floats = st.one_of(st.floats(), st.sampled_from([1e400, -1e400, 1e300, -0.0, 5e-324, 2.0 ** 32, -1.0]))
_num = st.one_of(st.integers(min_value=-(2 ** 70), max_value=2 ** 70), _weird_floats, st.text(max_size=3),
                 st.none(), st.booleans())


def _pen_ok(pen: PenData) -> None:
    """What every accepted pen data must support downstream, without an exception."""
    problems = check_signature(pen)
    assert all(isinstance(p, str) and p for p in problems)
    png = render_signature_png(pen, 120, 40)
    assert png.startswith(b"\x89PNG")
    blob = pen.to_bin()
    again = PenData.from_bin(blob)
    assert again.to_bin() == blob
    assert again.point_count == pen.point_count


# -- pen data ---------------------------------------------------------------------------------------
@FUZZ
@given(st.one_of(st.binary(max_size=400), st.binary(max_size=200).map(lambda b: MAGIC + b),
                 st.tuples(st.binary(max_size=8), st.floats(width=32), st.floats(width=32), st.integers(0, 3),
                           st.integers(0, 6), st.binary(max_size=140)).map(
                     lambda t: MAGIC + struct.pack(">H", len(t[0])) + t[0]
                     + struct.pack(">ffHI", t[1], t[2], t[3], t[4]) + t[5])))
def test_pen_binary_is_pen_data_or_bad_pen(blob: bytes) -> None:
    try:
        pen = PenData.from_bin(blob)
    except UserFacingError as exc:
        assert exc.code == "bad_pen"
        return
    _pen_ok(pen)


_sample = st.lists(_num, min_size=0, max_size=7)
_pen_json = st.fixed_dictionaries({}, optional={
    "strokes": st.one_of(st.lists(st.lists(_sample, max_size=6), max_size=4), _num),
    "device": st.one_of(st.text(max_size=10), _num), "width_mm": _num, "height_mm": _num})


@FUZZ
@given(st.one_of(_pen_json.map(lambda d: json.dumps(d, allow_nan=True)), st.text(max_size=200),
                 st.sampled_from(["[" * 100_000, '{"strokes":' * 50_000, "1e400", "NaN"])))
def test_pen_json_is_pen_data_or_bad_pen(text: str) -> None:
    try:
        pen = PenData.from_json(text)
    except UserFacingError as exc:
        assert exc.code == "bad_pen"
        return
    _pen_ok(pen)


_coord = st.one_of(st.floats(), st.floats(min_value=-0.2, max_value=1.2))
_points = st.lists(st.builds(PenPoint, x=_coord, y=_coord, t=st.floats(min_value=-1e6, max_value=1e6),
                             pressure=st.one_of(st.floats(), st.floats(0, 1)), down=st.booleans(),
                             tilt_x=st.floats(), tilt_y=st.floats()), max_size=60)


@settings(max_examples=40, deadline=None)
@given(_points, st.floats(min_value=1e-3, max_value=2e4), st.floats(min_value=1e-3, max_value=2e4))
def test_any_pad_samples_become_renderable_pen_data(points: list[PenPoint], w: float, h: float) -> None:
    """A pad (or a malicious USB device posing as one) can send any numbers; what comes out
    is clamped, finite pen data that renders in bounded time, or a refusal of the pad's size."""
    if not (0 < round(w, 2) <= 10_000 and 0 < round(h, 2) <= 10_000):
        with pytest.raises(ValueError, match="writing area"):
            PenData.from_points(points, "fuzz-pad", w, h)
        return
    pen = PenData.from_points(points, "fuzz-pad", w, h)
    assert all(math.isfinite(v) for s in pen.strokes for p in s.samples for v in p.as_list())
    _pen_ok(pen)


@pytest.mark.parametrize(("w", "h"), [(0.0, 10.0), (10.0, -1.0), (math.inf, 10.0), (math.nan, 10.0),
                                      (0.004, 10.0), (10.0, 1e8)])
def test_a_writing_area_that_cannot_exist_is_refused(w: float, h: float) -> None:
    with pytest.raises(ValueError, match="writing area"):
        PenData.from_points(handwriting_points(1), "pad", w, h)


def test_pen_that_jumps_kilometres_renders_in_bounded_work() -> None:
    """A pen that crosses a 10 m writing area between two samples used to mean tens of
    thousands of interpolation steps per segment; now each segment is capped."""
    far = [PenPoint(0.0, 0.0, 0.0, 0.5), PenPoint(1.0, 1.0, 0.01, 0.5), PenPoint(0.0, 1.0, 0.02, 0.5)]
    pen = PenData.from_points(far, "pad", 10_000.0, 10_000.0)
    from kiosk.signing.ink import ink_polygons

    assert len(ink_polygons(pen)) < 2 * 256 + 8
    assert render_signature_png(pen, 200, 80).startswith(b"\x89PNG")


# -- statement matcher and answer check -----------------------------------------------------------
_han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_speechy = st.text(alphabet=st.one_of(_han, st.sampled_from(list("，。？！、 0123456789零一二三四五六七八九十百千万亿点是不对没有"))),
                   max_size=300)
_any_text = st.one_of(st.text(max_size=300), _speechy)


@FUZZ
@given(_any_text, _any_text, st.floats(min_value=0.3, max_value=1.0))
@example("᧚", "᧚", 0.5)  # a digit to str.isdigit that int() refuses (found by this test)
@example("房号²〇一", "房号2〇一", 0.5)
def test_prompt_match_takes_any_unicode(prompt: str, transcript: str, cov: float) -> None:
    m = match_prompt(prompt, transcript, min_coverage=cov)
    assert 0.0 <= m.coverage <= 1.0
    assert isinstance(m.passed, bool)
    json.dumps(m.to_json(), ensure_ascii=False)


@FUZZ
@given(_any_text)
@example("呃")  # a prompt made of a filler character (found by this test)
def test_prompt_always_matches_itself_read_exactly(prompt: str) -> None:
    """The matcher must never refuse an exact reading of a prompt that has something to say."""
    m = match_prompt(prompt, prompt)
    assume(any(ch.isalnum() for ch in prompt))
    assert m.passed or m.coverage >= 0.85 or not m.sentences, m.to_json()


@FUZZ
@given(_any_text, _any_text, st.sampled_from(["affirm", "deny"]))
def test_answer_check_takes_any_unicode(question: str, transcript: str, expect: str) -> None:
    r = check_answer(question, transcript, expect)
    assert r.verdict in ("affirm", "deny", "unclear")
    assert r.passed == (r.verdict == expect)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("kind", ["random_han", "one_char", "digits", "cn_numbers", "control_and_emoji"])
def test_huge_statement_input_finishes(kind: str) -> None:
    """A 20 000-character prompt against a 60 000-character transcript (the CLI takes any
    argument): the pytest timeout is the guard, the figure is in bench/."""
    import random

    rnd = random.Random(7)
    alphabet = {"random_han": [chr(c) for c in range(0x4E00, 0x4E00 + 2000)], "one_char": ["是"],
                "digits": list("0123456789"), "cn_numbers": list("零一二三四五六七八九十百千万亿点"),
                "control_and_emoji": ["\x00", "\u200b", "\U0001F600", "\u202e", "\ufeff", "\n", "好"]}[kind]
    prompt = "".join(rnd.choice(alphabet) for _ in range(20_000))
    transcript = "".join(rnd.choice(alphabet) for _ in range(60_000))
    m = match_prompt(prompt, transcript)
    assert 0.0 <= m.coverage <= 1.0
    r = check_answer(prompt[:2000], transcript, "affirm")
    assert r.verdict in ("affirm", "deny", "unclear")


# -- audit chain ------------------------------------------------------------------------------------
def _chain(n: int = 6) -> list[str]:
    chain: list[dict] = []
    for i in range(n):
        append_event(chain, {"ts": f"2026-11-28T10:00:{i:02d}+08:00", "kind": "step", "step": f"s{i}",
                             "outcome": "pass", "note": "张*"})
    return dumps_chain(chain).splitlines(keepends=True)


CHAIN = _chain()


@FUZZ
@given(st.data())
def test_tampered_audit_chain_is_never_called_intact(data: st.DataObject) -> None:
    lines = list(CHAIN)
    how = data.draw(st.sampled_from(["replace_line", "edit_field", "drop", "swap", "insert", "raw_text"]))
    i = data.draw(st.integers(0, len(lines) - 1))
    if how == "replace_line":
        lines[i] = data.draw(st.one_of(st.text(max_size=200), st.sampled_from(["[" * 100_000, "{}", "null", "1e400"])))
    elif how == "edit_field":
        obj = json.loads(lines[i])
        key = data.draw(st.sampled_from(sorted(obj)))
        obj[key] = data.draw(st.one_of(_num, st.text(max_size=70)))
        lines[i] = json.dumps(obj, ensure_ascii=False, allow_nan=True) + "\n"
    elif how == "drop":
        del lines[i]
    elif how == "swap":
        j = data.draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif how == "insert":
        lines.insert(i, data.draw(st.text(max_size=100)) + "\n")
    else:
        lines = data.draw(st.text(max_size=500)).splitlines(keepends=True)
    problems = check_chain(lines)
    assert all(isinstance(p, str) and p for p in problems)
    if not problems:
        # A chain alone cannot notice its last lines cut off: that is why the package manifest
        # hashes audit.jsonl. Anything else that passes must be the original, line for line.
        def decoded(ls: list[str]) -> list[object]:
            return [json.loads(x) for x in ls if x.strip()]
        got, want = decoded(lines), decoded(CHAIN)
        assert got and got == want[:len(got)], "a changed chain was reported intact"


def test_untouched_chain_is_intact() -> None:
    assert check_chain(CHAIN) == []
    assert check_chain(iter(CHAIN[:3])) == []


# -- manifest -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, bytes]:
    keys = DeviceKeys(tmp_path_factory.mktemp("keys"))
    keys.ensure_demo_certificate("LH-KIOSK-0001")
    d = tmp_path_factory.mktemp("pkg")
    (d / "recordings").mkdir()
    (d / "recordings" / "p1.mp4").write_bytes(b"\x00\x01" * 1000)
    (d / "audit.jsonl").write_text("".join(CHAIN), encoding="utf-8")
    write_manifest(d, {"package_id": "LH2026-000123-LH-KIOSK-0001-20261128100000", "case_no": "LH2026-000123",
                       "kiosk_id": "LH-KIOSK-0001", "status": "completed", "parties": [], "steps": []}, keys)
    assert check_manifest(d) == []
    return d, (d / "manifest.json").read_bytes(), (d / "manifest.sig.json").read_bytes()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_fuzzed_manifest_is_never_called_intact(package: tuple[Path, bytes, bytes], data: st.DataObject) -> None:
    d, manifest, sigs = package
    target = data.draw(st.sampled_from(["manifest.json", "manifest.sig.json"]))
    original = manifest if target == "manifest.json" else sigs
    how = data.draw(st.sampled_from(["bytes", "json_value", "edit_key", "flip"]))
    if how == "bytes":
        new = data.draw(st.one_of(st.binary(max_size=300), st.sampled_from([b"[" * 100_000, b"\xff\xfe", b""])))
    elif how == "json_value":
        new = json.dumps(data.draw(st.recursive(_num, lambda x: st.lists(x, max_size=4)
                                                | st.dictionaries(st.text(max_size=8), x, max_size=4),
                                                max_leaves=15)), allow_nan=True).encode()
    elif how == "edit_key":
        obj = json.loads(original)
        keys = sorted(obj) + (sorted(obj["files"][0]) if target == "manifest.json" else [])
        key = data.draw(st.sampled_from(keys))
        value = data.draw(st.one_of(_num, st.text(max_size=20), st.just("../../etc/passwd"), st.just([])))
        if key in obj:
            obj[key] = value
        else:
            obj["files"][0][key] = value
        new = json.dumps(obj, ensure_ascii=False, allow_nan=True).encode()
    else:
        pos = data.draw(st.integers(0, len(original) - 1))
        new = original[:pos] + bytes([original[pos] ^ 0x01]) + original[pos + 1:]
    assume(new != original)
    trusted = json.loads(sigs)["device"]["cert_pem"].encode()
    try:
        (d / target).write_bytes(new)
        problems = check_manifest(d)
        pinned = check_manifest(d, trusted_cert_pem=trusted)
    finally:
        (d / "manifest.json").write_bytes(manifest)
        (d / "manifest.sig.json").write_bytes(sigs)
    assert all(isinstance(p, str) and p for p in problems + pinned)
    if target == "manifest.json":
        assert problems and pinned, "a changed manifest was reported intact"
        return
    if not pinned:  # with the certificate the platform issued, only the same signatures pass
        got, want = json.loads(new), json.loads(sigs)
        assert got["sm2"] == want["sm2"] and got["device"]["signature_b64"] == want["device"]["signature_b64"]
        assert _der(got["device"]["cert_pem"]) == _der(want["device"]["cert_pem"])
    if not problems:
        # Without a trusted certificate the check proves integrity, not origin: the signature
        # must be the original one, though bytes of the carried certificate outside its public
        # key can change unnoticed (documented in docs/security.md)
        got, want = json.loads(new), json.loads(sigs)
        assert got["sm2"] == want["sm2"] and got["device"]["signature_b64"] == want["device"]["signature_b64"]


def _der(pem: str) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    return x509.load_pem_x509_certificate(pem.encode()).public_bytes(serialization.Encoding.DER)


@pytest.mark.parametrize("body", [b"null", b"[]", b"\"\"", b"0"])
def test_signature_file_that_is_not_an_object_is_a_problem(package: tuple[Path, bytes, bytes], body: bytes) -> None:
    """`null` in manifest.sig.json used to count as 'no problem': a stripped signature passed."""
    d, _, sigs = package
    try:
        (d / "manifest.sig.json").write_bytes(body)
        problems = check_manifest(d)
    finally:
        (d / "manifest.sig.json").write_bytes(sigs)
    assert "manifest.sig.json 不是JSON对象" in problems
