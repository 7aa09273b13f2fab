"""App start-up and GUI responsiveness, each against a baseline measured in the same run.

startup_vs_bare_qt
    Wall time from process start (just before `Popen`) to the first paint of the first screen,
    for `python main.py run --mode kiosk --demo --state DIR` against a bare PySide6 process
    that shows one empty full-screen QWidget; median of N launches each, interleaved (bare,
    app, bare, app…) so that both see the same load. The child reports `time.monotonic()` (one
    system-wide clock) from the first event-loop turn after the window's first Paint event and
    then exits. The app is the real entry point: the only addition is an event filter installed
    after `ui.app.show_windows` returns (a wrapper around it), which does not change what starts.
    Every launch gets a fresh copy of a state directory that one untimed launch has set up (keys,
    enrolment, demo platform data), as on a kiosk that has run before. The demo context
    (platform, devices) keeps building in the background after the paint, as in the product.

ui_max_stall_ms
    The longest gap between ticks of a 10 ms precise QTimer on the GUI thread while a demo
    session is taken through the real kiosk window by touch (`ui.kiosk.walkthrough.walk_case`,
    the same walk as the UI end-to-end test): the two-party demo case LH2026-000123 with face
    match, liveness, recording, staff decisions on the keypad, signing and upload on workers.
    The figure is the raw gap (it includes the 10 ms period, so it is an upper bound of the
    stall). Baseline: the same meter on the idle welcome screen for a few seconds.
    With --quick the simulated applicant says only the first phrase of the statement and of
    each answer (the listening windows follow the speech), which shortens the session from
    minutes to about a minute; the GUI work per screen is the same.

Run: `python bench/bench_app.py [--quick]` (sets QT_QPA_PLATFORM=offscreen unless a display
platform is set).
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DEMO_DIGITS = "2026000123"
PAINT_MARK = "FIRST-PAINT "
READY_MARK = "CONTEXT-READY"


# ------------------------------------------------------------------ child processes
def _paint_probe(window: Any, on_painted: Any) -> Any:
    """An application-wide event filter that calls `on_painted()` once, on the first event-loop
    turn after the first Paint event of any widget in `window` (the whole window is painted by
    then: Qt paints a top-level window in one backing-store pass)."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if (not self.seen and event.type() == QEvent.Type.Paint and isinstance(obj, QWidget)
                    and obj.window() is window):
                self.seen = True
                QTimer.singleShot(0, on_painted)
            return False

    return FirstPaint()


def _child_bare() -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication([sys.argv[0]])
    w = QWidget()
    w.setWindowTitle("bare")

    def painted() -> None:
        print(PAINT_MARK + repr(time.monotonic()), flush=True)
        os._exit(0)

    probe = _paint_probe(w, painted)
    app.installEventFilter(probe)
    w.showFullScreen()
    app.exec()


def _child_app(argv: list[str], wait_ready: bool) -> None:
    """`main.main(argv)` with a first-paint probe added after the windows are shown."""
    from PySide6.QtWidgets import QApplication

    import ui.app as app_module

    show = app_module.show_windows

    def show_and_probe(windows: dict[str, Any], mode: str, settings: Any, *, windowed: bool) -> None:
        show(windows, mode, settings, windowed=windowed)
        control = windows["control"]

        seen: set[str] = set()

        def painted() -> None:
            print(PAINT_MARK + repr(time.monotonic()), flush=True)
            seen.add("paint")
            if not wait_ready or "ready" in seen:
                os._exit(0)

        def ready() -> None:
            print(READY_MARK, flush=True)
            seen.add("ready")
            if "paint" in seen:
                os._exit(0)

        if wait_ready:
            control.ready.connect(ready)
        probe = _paint_probe(windows["main"], painted)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(probe)
        windows["_probe"] = probe

    app_module.show_windows = show_and_probe  # type: ignore[assignment]
    import main

    main.main(argv)


def _launch(kind: str, state: Path | None, timeout_s: float = 120.0, wait_ready: bool = False) -> float:
    """Start one child; seconds from just before Popen to its first paint."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind]
    if kind == "app":
        assert state is not None
        cmd += ["--wait-ready" if wait_ready else "--no-wait", "run", "--mode", "kiosk", "--demo",
                "--state", str(state)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout_s)
    for line in proc.stdout.splitlines():
        if line.startswith(PAINT_MARK):
            return float(line[len(PAINT_MARK):]) - t0
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    raise RuntimeError(f"{kind} child did not paint (exit {proc.returncode}): {tail}")


def measure_startup(n: int) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="bench-app-start-"))
    try:
        warm = work / "warm"
        _launch("bare", None)
        _launch("app", warm, timeout_s=300, wait_ready=True)  # sets the state up; not timed
        bare: list[float] = []
        app: list[float] = []
        for i in range(n):
            bare.append(_launch("bare", None))
            state = work / f"run{i}"
            shutil.copytree(warm, state)
            app.append(_launch("app", state))
            shutil.rmtree(state, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bare_s, app_s = statistics.median(bare), statistics.median(app)
    return {"startup_vs_bare_qt": app_s / bare_s, "startup_app_s": app_s, "startup_bare_qt_s": bare_s,
            "startup_app_max_s": max(app), "startup_launches": float(n)}


# ------------------------------------------------------------------ GUI stall during a session
class StallTrace:
    """Diagnosis of the GUI stalls (BENCH_STALL_TRACE=1): a thread samples every thread's Python
    stack every 5 ms. A stall with samples in it whose GUI-thread stack is in Python code was
    spent in that slot; a stall the sampler slept through too had the GIL held by native code —
    the stacks it sees on waking name the thread that just let go. Printed to stderr."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, float, dict[str, str]]] = []  # (t, own sleep overrun, stacks)
        self.main = threading.main_thread().ident
        threading.Thread(target=self._run, name="stall-trace", daemon=True).start()

    def _run(self) -> None:
        import traceback

        names = {}
        while True:
            t0 = time.perf_counter()
            time.sleep(0.005)
            t = time.perf_counter()
            names = {th.ident: th.name for th in threading.enumerate()} if len(names) != threading.active_count() else names
            stacks = {}
            for ident, frame in sys._current_frames().items():
                fs = traceback.extract_stack(frame)[-4:]
                stacks[names.get(ident, str(ident))] = " < ".join(
                    f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in fs[::-1])
            self.samples.append((t, t - t0 - 0.005, stacks))
            if len(self.samples) > 4000:
                del self.samples[:1000]

    def stall(self, t0: float, t1: float, own: float) -> None:
        inside = [s for s in self.samples if t0 <= s[0] <= t1 + 0.01]
        print(f"STALL {1000 * (t1 - t0):.0f} ms (app {1000 * own:.0f}), {len(inside)} samples, sampler overruns "
              f"{[round(1000 * s[1]) for s in inside if s[1] > 0.02]}", file=sys.stderr)
        seen: set[str] = set()
        for _t, _o, stacks in inside:
            for name, st in stacks.items():
                if name == "stall-trace" or (name, st) in seen or "wait" in st.split(" < ")[0]:
                    continue
                seen.add((name, st))  # type: ignore[arg-type]
                print(f"    {name}: {st}", file=sys.stderr)


class StallMeter:
    """Largest gap between ticks of a 10 ms timer on the GUI thread, and the app's part of it.

    Each gap is also split (Linux) with the GUI thread's `/proc/.../schedstat` run-queue delay:
    the time the thread was ready to run but the kernel had no free core for it (other
    processes on a loaded machine). What remains — `app_*` — is time the GUI thread spent in
    its own work or waiting for the GIL or a lock held by another thread of the process.
    """

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.last_queued = 0.0
        self.gaps: list[float] = []
        self.app_gaps: list[float] = []
        self._schedstat = Path(f"/proc/self/task/{threading.get_native_id()}/schedstat")
        self.trace: StallTrace | None = StallTrace() if os.environ.get("BENCH_STALL_TRACE") else None

    def _queued_s(self) -> float:
        """Seconds this (GUI) thread has waited on the kernel's run queue so far (0 without /proc)."""
        try:
            return int(self._schedstat.read_text().split()[1]) / 1e9
        except (OSError, IndexError, ValueError):
            return 0.0

    def start(self) -> None:
        self.gaps = []
        self.app_gaps = []
        self.last = time.perf_counter()
        self.last_queued = self._queued_s()
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        queued = self._queued_s()
        gap = now - self.last
        self.gaps.append(gap)
        self.app_gaps.append(max(0.0, gap - (queued - self.last_queued)))
        if self.trace is not None and self.app_gaps[-1] > 0.05:
            self.trace.stall(self.last, now, self.app_gaps[-1])
        self.last, self.last_queued = now, queued

    def stop(self) -> dict[str, float]:
        self.timer.stop()
        self._tick()  # the time since the last tick counts too
        gaps, app = sorted(self.gaps), sorted(self.app_gaps)
        return {"max_ms": gaps[-1] * 1000, "p99_ms": gaps[int(0.99 * (len(gaps) - 1))] * 1000,
                "over_100ms": float(sum(g > 0.1 for g in gaps)), "ticks": float(len(gaps)),
                "app_max_ms": app[-1] * 1000, "app_p99_ms": app[int(0.99 * (len(app) - 1))] * 1000}


def _brief(text: str | None) -> str | None:
    if not text:
        return text
    for i, ch in enumerate(text):
        if ch in "，。？！,.?!" and i >= 2:
            return text[: i + 1]
    return text


def measure_stall(quick: bool) -> dict[str, float]:
    from kiosk.config import load_config
    from kiosk.logs import setup_logging
    from kiosk.session.context import build_context
    from refplatform import embedded
    from ui.kiosk.walkthrough import open_demo_kiosk, qt_wait, walk_case

    work = Path(tempfile.mkdtemp(prefix="bench-app-stall-"))
    settings, paths = load_config(work / "state", None)
    setup_logging(paths.logs)
    settings.session.idle_timeout_s = 1800  # the walk waits for the session, not the other way round

    def context() -> Any:
        ctx = build_context(settings, paths, demo=True, platform_factory=embedded)
        if quick and ctx.applicant is not None:
            say = ctx.applicant.say
            ctx.applicant.say = lambda text: say(_brief(text) or "")
        return ctx

    app, windows = open_demo_kiosk(settings, paths, windowed=True, context_factory=context)
    shell, control = windows["main"], windows["control"]
    meter = StallMeter()
    meter.start()
    qt_wait(2000 if quick else 5000)
    idle = meter.stop()
    meter.start()
    t0 = time.monotonic()
    try:
        walk = walk_case(shell, DEMO_DIGITS, timeout_s=600)
        session_s = time.monotonic() - t0
        during = meter.stop()
        ok = bool(shell.applicant.result_page.ok)
    finally:
        meter.timer.stop()
        control.close()
        shell.leave_kiosk()
        app.processEvents()
        shutil.rmtree(work, ignore_errors=True)
    if not ok:
        raise RuntimeError("the demo session did not end on a successful result page")
    return {"ui_max_stall_ms": during["max_ms"], "ui_stall_p99_ms": during["p99_ms"],
            "ui_max_stall_ms_app": during["app_max_ms"], "ui_stall_p99_ms_app": during["app_p99_ms"],
            "ui_idle_max_gap_ms_app": idle["app_max_ms"], "ui_idle_p99_ms": idle["p99_ms"],
            "ui_ticks_over_100ms": during["over_100ms"], "ui_idle_max_gap_ms": idle["max_ms"],
            "ui_stall_vs_idle": during["max_ms"] / max(idle["max_ms"], 1.0), "ui_session_s": session_s,
            "ui_manual_decisions": float(walk.manual_decisions)}


def run(quick: bool) -> dict[str, float]:
    figures = measure_startup(3 if quick else 7)  # before any Qt in this process: no competition
    figures.update(measure_stall(quick))
    figures["app_loadavg_1m"] = os.getloadavg()[0]
    return figures


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        if sys.argv[2] == "bare":
            _child_bare()
        else:
            _child_app(sys.argv[4:], wait_ready=sys.argv[3] == "--wait-ready")
        sys.exit(0)
    result = run(quick="--quick" in sys.argv)
    for key, value in result.items():
        print(f"{key:28s} {value:10.3f}")
    print(json.dumps(result))
    os._exit(0)
