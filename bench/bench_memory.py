"""Memory over many sessions in one process: does a kiosk that runs all day keep growing?

A *session* here is one complete run of `SessionRunner.run` with `HeadlessView`, as
`main.py simulate` does it, on the context of `build_context(..., demo=True)` built once for
the whole benchmark (the app builds it once per start as well):
- the one-party demo case LH2026-000131 (司法解封: one applicant, two documents to sign);
- the real-time simulated camera (640×480 @ 25 fps) and microphone, the real recorder
  (H.264/AAC, watermark, quality check by decoding), pen capture, both PDFs stamped and
  PAdES-signed, the evidence report, the signed manifest, the encrypted outbox and the upload
  to the reference platform — which runs in a *separate* process (`main.py platform-emulator`)
  so that its memory is not counted as the kiosk's;
- the simulated applicant speaks (espeak-ng) only the first phrase of the statement and of each
  answer, so that a session lasts seconds instead of a minute. No recogniser is loaded (the
  model path points at an empty directory), so the statement and the answers go to staff and
  `HeadlessView` records a manual decision, as on a kiosk without the Chinese model;
- identity runs for real: the ID photo comes from the platform, the simulated applicant
  (a shipped face photo, moving) faces the camera and performs the liveness actions, the face
  matcher and the presence monitor analyse the live frames. `manual_decisions_per_session`
  says how many staff decisions a session took (2 when identity passes by itself).

Figures: RSS after the first session (warm-up: imports, fonts, codec and signing tables are
loaded by then) and after the last one, `rss_growth_mb_100_sessions` = last − first (with `--quick`,
`rss_growth_mb_4_sessions`: mostly warm-up, no target);
`rss_peak_mb` is the process high-water mark (VmHWM). With `--quick` fewer sessions run, and
`sessions_measured` says how many. Run: `python bench/bench_memory.py [--quick]`.
"""
from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CASE_NO = "LH2026-000131"
FULL_SESSIONS = 100
QUICK_SESSIONS = 4


def rss_mb() -> float:
    """Resident set size now, from /proc (Linux), else psutil when it is installed."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import psutil  # type: ignore[import-not-found]

        return float(psutil.Process().memory_info().rss) / 2**20


def release_free_heap() -> bool:
    """Hand the allocator's cached free pages back to the OS (glibc `malloc_trim`).

    Freed frames and buffers stay in per-thread malloc arenas for reuse; how much of that cache
    is resident varies by ±20 MB from one session to the next, which is noise, not growth.
    Leaked (still referenced) memory stays resident either way. False where there is no glibc.
    """
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.malloc_trim(0) or True)
    except (OSError, AttributeError):
        return False


def peak_rss_mb() -> float:
    """High-water mark of the resident set (VmHWM), else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _brief(text: str | None) -> str | None:
    """The first phrase of what the applicant was asked to say."""
    if not text:
        return text
    for i, ch in enumerate(text):
        if ch in "，。？！,.?!" and i >= 2:
            return text[: i + 1]
    return text


def _brief_applicant(applicant: Any) -> None:
    """Make the demo applicant say only the first phrase: the session's listening windows
    follow the speech, so this is what shortens a session from about a minute to seconds."""
    full_say = applicant.say

    def say(text: str) -> float:
        return float(full_say(_brief(text) or ""))

    applicant.say = say


def _start_platform(data: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "platform-emulator", "--port", "0", "--data", str(data), "--demo"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http"):
        proc.kill()
        raise RuntimeError(f"platform emulator did not start: {url!r}")
    return proc, url


def _wait_receipt(ctx: Any, outcome: Any, timeout_s: float = 60.0) -> bool:
    from kiosk.errors import UserFacingError

    if outcome.receipt is not None:
        return True
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            for r in ctx.uploader.drain_once():
                pid = r.get("package_id") if isinstance(r, dict) else getattr(r, "package_id", None)
                if pid == outcome.package_id:
                    return True
        except UserFacingError:
            pass
        time.sleep(0.5)
    return False


def run(quick: bool) -> dict[str, float]:
    from kiosk.config import load_config
    from kiosk.logs import setup_logging
    from kiosk.session.context import build_context
    from kiosk.session.runner import SessionRunner
    from kiosk.session.view import HeadlessView

    n = QUICK_SESSIONS if quick else FULL_SESSIONS
    work = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    platform, url = _start_platform(work / "platform")
    rss: list[float] = []
    raw: list[float] = []
    trimmed = False
    seconds: list[float] = []
    manual = 0
    try:
        settings, paths = load_config(work / "state", None)
        setup_logging(paths.logs)
        empty_models = work / "no-model"
        empty_models.mkdir()
        settings.speech.model_path = str(empty_models)
        ctx = build_context(settings, paths, demo=True, platform_url=url)
        try:
            _brief_applicant(ctx.applicant)
            for i in range(n):
                t0 = time.monotonic()
                events: list[dict[str, Any]] = []
                view = HeadlessView(staff_id="BENCH-STAFF", on_event=events.append)
                outcome = SessionRunner(ctx, ctx.applicant.attend(view), staff_id="BENCH-STAFF").run(CASE_NO)
                if not (outcome.ok and _wait_receipt(ctx, outcome)):
                    raise RuntimeError(f"session {i + 1} did not complete: {outcome.status} {outcome.message}")
                manual += sum(1 for e in events if e.get("kind") == "step_result" and e.get("manual"))
                del outcome, view, events
                gc.collect()
                raw.append(rss_mb())
                trimmed = release_free_heap()
                rss.append(rss_mb())
                seconds.append(time.monotonic() - t0)
        finally:
            ctx.close()
    finally:
        platform.terminate()
        try:
            platform.wait(10)
        except subprocess.TimeoutExpired:
            platform.kill()
        shutil.rmtree(work, ignore_errors=True)
    half = len(rss) // 2
    checkpoints = {f"rss_after_{k}_sessions_mb": rss[k - 1] for k in (10, 25, 50) if k < len(rss)}
    return {
        **checkpoints,
        # the figure is over 100 sessions; fewer are named for what they are
        ("rss_growth_mb_100_sessions" if n == FULL_SESSIONS else f"rss_growth_mb_{n}_sessions"): rss[-1] - rss[0],
        "rss_peak_mb": peak_rss_mb(),
        "rss_growth_raw_mb": raw[-1] - raw[0],
        "rss_trimmed": float(trimmed),
        "rss_after_first_mb": rss[0],
        "rss_after_last_mb": rss[-1],
        # growth per session over the second half: a steady leak shows here, warm-up does not
        "rss_growth_kb_per_session_late": (rss[-1] - rss[half]) * 1024 / max(1, len(rss) - 1 - half),
        "sessions_measured": float(n),
        "session_s_median": sorted(seconds)[len(seconds) // 2],
        "manual_decisions_per_session": manual / n,
    }


if __name__ == "__main__":
    figures = run(quick="--quick" in sys.argv)
    for key, value in figures.items():
        print(f"{key:34s} {value:12.2f}")
    print(json.dumps(figures))
