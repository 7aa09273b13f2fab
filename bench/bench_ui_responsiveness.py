"""GUI responsiveness during a whole two-party demo session (issue figure: longest stall ≤ 100 ms).

A 10 ms timer on the GUI thread measures how late each tick comes while the demo case is
taken through the kiosk window by touch (`ui.kiosk.walkthrough`). The baseline is the same
meter on the idle window for a few seconds in the same run, so the ratio says what the session
(analysis, recording, uploads on worker threads sharing the GIL and the cores) costs the GUI.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class _Meter:
    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self.last = 0.0

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(max(0.0, now - self.last - 0.010))
        self.last = now

    def stop(self) -> dict[str, float]:
        self.timer.stop()
        gaps = sorted(self.gaps) or [0.0]
        return {"max_ms": gaps[-1] * 1000, "p99_ms": gaps[int(0.99 * (len(gaps) - 1))] * 1000,
                "late_share": sum(g > 0.1 for g in gaps) / len(gaps)}


def run(quick: bool) -> dict[str, float]:
    from kiosk.config import load_config
    from main import embedded_platform
    from ui.kiosk.walkthrough import open_demo_kiosk, qt_wait, walk_case

    state = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    settings, paths = load_config(state, None)
    settings.session.idle_timeout_s = 1800
    app, windows = open_demo_kiosk(settings, paths, windowed=True, timeout_s=180, platform_factory=embedded_platform)
    shell, control = windows["main"], windows["control"]
    base = _Meter()
    base.start()
    qt_wait(2000 if quick else 5000)
    baseline = base.stop()
    meter = _Meter()
    meter.start()
    t1 = time.perf_counter()
    walk = walk_case(shell, "2026000123")
    session_s = time.perf_counter() - t1
    during = meter.stop()
    control.close()
    shell.leave_kiosk()
    app.processEvents()
    return {
        "gui_stall_max_ms": during["max_ms"],
        "gui_stall_p99_ms": during["p99_ms"],
        "gui_late_over_100ms_share": during["late_share"],
        "baseline_stall_max_ms": baseline["max_ms"],
        "stall_max_ratio_vs_idle": during["max_ms"] / max(baseline["max_ms"], 1.0),
        "session_s": session_s,
        "manual_decisions": float(walk.manual_decisions),
        "load_avg_1m": os.getloadavg()[0],
    }


if __name__ == "__main__":
    figures = run(quick="--quick" in sys.argv)
    for key, value in figures.items():
        print(f"{key:32s} {value:10.2f}")
    print(json.dumps(figures))
    os._exit(0)
