"""Device plumbing: frame-ring fan-out, SAM frame decoding, simulator pacing, signature synthesis.

Figures (ratios are against a baseline measured in the same run):
- ring_items_per_s / ring_vs_queue_fanout: one producer, three consumers (preview, analysis,
  lossless recorder) through `FrameRing`, against one `queue.Queue` per consumer.
- sam_decode_mb_s / sam_decode_vs_checksum_only: `FrameDecoder` on a noisy stream of
  base-message answers, against computing only the XOR checksums of the same frames.
- camera_pacing_jitter_ms / camera_jitter_vs_sleep: how late a realtime `SimulatedCamera`
  delivers frames (median), against a bare `time.sleep` loop at the same rate.
- synth_signature_ms: time to synthesise one signature.

    .venv/bin/python bench/bench_devices.py [--quick]
"""
from __future__ import annotations

import json
import queue
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devices.camera.sim import SimulatedCamera  # noqa: E402
from devices.idcard.samframe import FrameDecoder, build_answer, xor  # noqa: E402
from devices.ring import FrameRing  # noqa: E402
from devices.signpad.sim import synth_signature  # noqa: E402


def _ring_rate(n: int) -> float:
    ring: FrameRing[int] = FrameRing(16)
    consumers = [ring.consumer("preview"), ring.consumer("analysis"), ring.consumer("recorder", lossless=True)]
    counts = [0, 0, 0]

    def read(i: int) -> None:
        c = consumers[i]
        while c.get(1.0) is not None:
            counts[i] += 1

    threads = [threading.Thread(target=read, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    t0 = time.perf_counter()
    for i in range(n):
        ring.put(i)
    ring.close()
    for t in threads:
        t.join()
    return n / (time.perf_counter() - t0)


def _queue_rate(n: int) -> float:
    queues: list[queue.Queue[Any]] = [queue.Queue(maxsize=16) for _ in range(3)]

    def read(q: queue.Queue[Any]) -> None:
        while q.get() is not None:
            pass

    threads = [threading.Thread(target=read, args=(q,)) for q in queues]
    for t in threads:
        t.start()
    t0 = time.perf_counter()
    for i in range(n):
        for q in queues:
            try:
                q.put_nowait(i)  # a camera must not block: a full queue drops
            except queue.Full:
                pass
    for q in queues:
        q.put(None)
    for t in threads:
        t.join()
    return n / (time.perf_counter() - t0)


def _sam_stream(frames: int) -> tuple[bytes, list[bytes]]:
    rng = np.random.default_rng(1)
    answers = [build_answer(0x90, rng.integers(0, 256, 1284, dtype=np.uint8).tobytes()) for _ in range(8)]
    parts = []
    chosen = []
    for i in range(frames):
        a = answers[i % len(answers)]
        chosen.append(a)
        parts.append(a)
        if i % 10 == 0:
            parts.append(b"\x00\xAA\x13noise")
    return b"".join(parts), chosen


def _decode_rate(stream: bytes) -> float:
    dec = FrameDecoder()
    t0 = time.perf_counter()
    got = 0
    for i in range(0, len(stream), 4096):  # serial reads arrive in pieces
        got += len(dec.feed(stream[i:i + 4096]))
    dt = time.perf_counter() - t0
    assert got > 0
    return len(stream) / dt / 1e6


def _checksum_rate(frames: list[bytes]) -> float:
    total = sum(len(f) for f in frames)
    t0 = time.perf_counter()
    for f in frames:
        xor(f[5:-1])
    return total / (time.perf_counter() - t0) / 1e6


def _camera_jitter(seconds: float, fps: float = 25.0) -> float:
    cam = SimulatedCamera([np.zeros((480, 640, 3), np.uint8)], fps=fps, realtime=True)
    cam.open()
    lates = []
    for _ in range(int(seconds * fps)):
        f = cam.read()
        lates.append(time.monotonic() - f.t)
    cam.close()
    return float(np.median(lates) * 1000)


def _sleep_jitter(seconds: float, fps: float = 25.0) -> float:
    t0 = time.monotonic()
    lates = []
    for i in range(1, int(seconds * fps) + 1):
        due = t0 + i / fps
        time.sleep(max(0.0, due - time.monotonic()))
        lates.append(time.monotonic() - due)
    return float(np.median(lates) * 1000)


def run(quick: bool) -> dict[str, float]:
    n = 20_000 if quick else 100_000
    ring = _ring_rate(n)
    base = _queue_rate(n)
    stream, frames = _sam_stream(300 if quick else 2000)
    dec = _decode_rate(stream)
    chk = _checksum_rate(frames)
    secs = 0.5 if quick else 2.0
    _camera_jitter(0.2)  # warm-up
    rounds = [(_camera_jitter(secs), _sleep_jitter(secs)) for _ in range(3)]  # interleaved: same load
    cam = float(np.median([r[0] for r in rounds]))
    slp = float(np.median([r[1] for r in rounds]))
    t0 = time.perf_counter()
    reps = 5 if quick else 20
    for i in range(reps):
        synth_signature("张三丰", i)
    synth_ms = (time.perf_counter() - t0) / reps * 1000
    return {
        "ring_items_per_s": round(ring, 0), "ring_vs_queue_fanout": round(ring / base, 3),
        "sam_decode_mb_s": round(dec, 3), "sam_decode_vs_checksum_only": round(dec / chk, 3),
        "camera_pacing_jitter_ms": round(cam, 3), "camera_jitter_vs_sleep": round(cam / max(slp, 1e-6), 3),
        "synth_signature_ms": round(synth_ms, 2),
    }


if __name__ == "__main__":
    figures = run(quick="--quick" in sys.argv)
    width = max(len(k) for k in figures)
    for k, v in figures.items():
        print(f"{k:<{width}}  {v}")
    print(json.dumps(figures))
