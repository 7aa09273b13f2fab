"""The benchmark suite's own parts: the runner's key list, the memory reading, the paint probe
and the GUI stall meter. Figures themselves are not asserted here (no wall-clock limits in
tests); these tests check that the instruments measure what they claim to."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import bench_app  # noqa: E402
import bench_memory  # noqa: E402
import run as bench_run  # noqa: E402

ISSUE_KEYS = {
    "face_detection_hz", "face_tracking_hz", "face_speedup_vs_recipe", "face_decision_s", "face_speedup_vs_naive", "record_dropped_ratio", "av_offset_ms", "asr_rtf",
    "pdf_sign_s", "pdf_sign_vs_pyhanko_cli", "upload_vs_curl", "upload_resend_bytes_after_kill",
    "startup_vs_bare_qt", "rss_growth_mb_100_sessions", "rss_peak_mb", "ui_max_stall_ms", "ui_stall_p99_ms",
}


def test_runner_expects_every_issue_figure_from_an_existing_module():
    expected = {k for keys in bench_run.BENCHES.values() for k in keys}
    assert expected >= ISSUE_KEYS
    for module in bench_run.BENCHES:
        assert (BENCH / f"{module}.py").is_file(), module


def test_targets_compare_in_the_right_direction():
    assert bench_run._meets("ui_max_stall_ms", 99.0).startswith("ok")
    assert bench_run._meets("ui_max_stall_ms", 101.0).startswith("MISS")
    assert bench_run._meets("upload_vs_curl", 0.79).startswith("MISS")
    assert bench_run._meets("av_offset_ms", -41.0).startswith("MISS")
    assert bench_run._meets("av_offset_ms", -39.0).startswith("ok")
    assert bench_run._meets("rss_peak_mb", 1e6) == ""


def test_recipe_loop_looks_at_every_other_quarter_frame_and_knows_the_applicant():
    import bench_face

    from kiosk.identity.evaluation import demo_photos, make_chip_photo

    photos = demo_photos()
    frames = bench_face._stream(photos["astronaut"], 4)
    loop = bench_face._RecipeLoop((make_chip_photo(photos["astronaut"]), make_chip_photo(photos["grace_hopper"])))
    loop.run(frames)
    assert (loop.frames, loop.looked) == (4, 2)
    assert loop.accuracy() == {"found": 1.0, "genuine": 1.0, "impostor": 0.0}


def test_brief_speech_is_the_first_phrase():
    assert bench_memory._brief("本人吴桂芳，自愿申请解除查封。") == "本人吴桂芳，"
    assert bench_memory._brief("是的，我确认。") == "是的，"
    assert bench_memory._brief("没有。") == "没有。"
    assert bench_app._brief("有没有人强迫您？还有别的吗") == "有没有人强迫您？"


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc")
def test_rss_reading_follows_touched_memory():
    np = pytest.importorskip("numpy")
    before = bench_memory.rss_mb()
    block = np.ones(64 * 2**20, dtype=np.uint8)  # touched: resident
    during = bench_memory.rss_mb()
    assert during - before >= 48, (before, during)
    assert bench_memory.peak_rss_mb() >= during - 1
    del block
    bench_memory.release_free_heap()
    assert bench_memory.rss_mb() < during - 32


def test_stall_meter_sees_a_blocked_gui_thread(qtbot):
    from PySide6.QtCore import QTimer

    meter = bench_app.StallMeter()
    meter.start()
    blocked: list[float] = []

    def block() -> None:
        t0 = time.perf_counter()
        time.sleep(0.25)  # the stall being measured: the GUI thread does not return to its loop
        blocked.append(time.perf_counter() - t0)

    QTimer.singleShot(50, block)
    qtbot.waitUntil(lambda: bool(blocked), timeout=5000)
    qtbot.wait(50)
    figures = meter.stop()
    assert figures["max_ms"] >= blocked[0] * 1000
    assert 0 <= figures["app_max_ms"] <= figures["max_ms"]  # the app's part: the gap less run-queue time
    assert figures["ticks"] >= 3


def test_bare_child_reports_its_first_paint():
    seconds = bench_app._launch("bare", None, timeout_s=60)
    assert seconds > 0


def test_sink_server_reads_whole_bodies_on_one_connection():
    requests = pytest.importorskip("requests")
    import bench_upload

    sink = bench_upload._Sink()
    try:
        with requests.Session() as s:
            for size in (0, 70_000, 3 << 20):
                r = s.put(f"{sink.url}/v1/packages/x/parts/0", data=b"\x01" * size, timeout=30)
                assert (r.status_code, r.json()) == (200, {})
        assert sink.received == 70_000 + (3 << 20)
    finally:
        sink.close()
