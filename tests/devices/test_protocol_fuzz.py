"""Any bytes at all: the protocol parsers answer with data or their own error, never crash."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.idcard.basemsg import CardDataError, parse_base_text
from devices.idcard.samframe import Answer, FrameDecoder, FrameError, build_answer
from devices.signpad.hanvon import parse_report
from devices.signpad.wacom_stu import ReportError, parse_pen_report

_no_preamble_byte = st.binary(max_size=40).map(lambda b: b.replace(b"\xAA", b"\x55"))
_answer = st.tuples(st.sampled_from([0x90, 0x9F, 0x80, 0x41]), st.binary(max_size=300))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_no_preamble_byte, _answer), max_size=8), st.integers(1, 64))
def test_decoder_finds_every_frame_between_garbage(parts: list[tuple[bytes, tuple[int, bytes]]], piece: int) -> None:
    stream = b"".join(g + build_answer(sw, data) for g, (sw, data) in parts)
    dec = FrameDecoder()
    out = []
    for i in range(0, len(stream), piece):
        out += dec.feed(stream[i:i + piece])
    assert out == [Answer(0, 0, sw, data) for _, (sw, data) in parts]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_decoder_never_crashes_on_noise(noise: bytes) -> None:
    dec = FrameDecoder()
    for item in dec.feed(noise) + dec.feed(build_answer(0x90)):
        assert isinstance(item, (Answer, FrameError))
    assert dec.buffered <= len(noise) + 11


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=256, max_size=256))
def test_base_text_garbage_is_a_card_data_error(raw: bytes) -> None:
    try:
        parse_base_text(raw)
    except CardDataError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=20))
def test_pad_reports_garbage(raw: bytes) -> None:
    try:
        parse_pen_report(raw)
    except ReportError:
        pass
    parse_report(raw)
