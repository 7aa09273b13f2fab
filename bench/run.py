"""Run every benchmark, print one table, and with --json end with one JSON line of figures.

Each `bench_*.py` module has `run(quick: bool) -> dict[str, float]` and is run in its own
subprocess so that one benchmark's memory, threads and imports do not colour another's.
Every ratio is against a baseline measured in the same run (see bench/README.md).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# module -> the figures it must deliver (a missing one is reported, never invented)
BENCHES: dict[str, list[str]] = {
    "bench_face": ["face_detection_hz", "face_tracking_hz", "face_speedup_vs_recipe", "face_speedup_vs_naive",
                   "face_decision_s"],
    "bench_record": ["record_dropped_ratio", "av_offset_ms"],
    "bench_asr": ["asr_rtf", "asr_verdict_latency_ms"],
    "bench_pdf_sign": ["pdf_sign_s", "pdf_sign_vs_pyhanko_cli"],
    "bench_upload": ["upload_vs_curl", "upload_resend_bytes_after_kill"],
    "bench_app": ["startup_vs_bare_qt", "ui_max_stall_ms", "ui_stall_p99_ms"],
    "bench_memory": ["rss_growth_mb_100_sessions", "rss_peak_mb"],
    "bench_devices": [],
}

# what only a full run measures: 4 quick sessions are mostly warm-up (caches, the first PDF
# fonts), so their growth is reported under its own name (`rss_growth_mb_4_sessions`), no target
FULL_ONLY = {"rss_growth_mb_100_sessions"}

TARGETS = {
    "face_detection_hz": (">=", 25), "face_tracking_hz": (">=", 10), "face_speedup_vs_recipe": (">=", 3),
    "face_speedup_vs_naive": (">=", 3), "face_decision_s": ("<=", 1), "record_dropped_ratio": ("<=", 0.01),
    "av_offset_ms": ("<=abs", 40), "asr_rtf": ("<=", 0.5), "pdf_sign_s": ("<=", 0.5),
    "upload_vs_curl": (">=", 0.8), "startup_vs_bare_qt": ("<=", 3), "rss_growth_mb_100_sessions": ("<=", 20),
    "ui_max_stall_ms": ("<=", 100), "ui_stall_p99_ms": ("<=", 33), "asr_verdict_latency_ms": ("<=", 300),
}


def _one(module: str, quick: bool, timeout: float) -> tuple[dict[str, float], str]:
    code = (f"import json,sys; sys.path.insert(0, {str(HERE)!r}); sys.path.insert(0, {str(ROOT)!r}); "
            f"import {module} as m; print('BENCH-JSON ' + json.dumps(m.run(quick={quick!r})), flush=True); "
            # figures are out: skip interpreter teardown (Qt, worker threads), which can hang or crash
            "import os; os._exit(0)")
    try:
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {}, f"timed out after {timeout:.0f} s"
    for line in proc.stdout.splitlines()[::-1]:
        if line.startswith("BENCH-JSON "):
            return json.loads(line[len("BENCH-JSON "):]), ""
    return {}, (proc.stderr.strip().splitlines() or ["no output"])[-1]


def _meets(key: str, value: float) -> str:
    if key not in TARGETS:
        return ""
    op, target = TARGETS[key]
    ok = {">=": value >= target, "<=": value <= target, "<=abs": abs(value) <= target}[op]
    return f"{'ok' if ok else 'MISS'} ({op.replace('abs', '')} {target})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="short runs (about 4 minutes on 2 cores)")
    ap.add_argument("--json", action="store_true", help="end with one JSON line of all figures")
    ap.add_argument("--only", nargs="*", default=None, help="run only these modules")
    args = ap.parse_args(argv)
    figures: dict[str, float] = {}
    problems: dict[str, str] = {}
    for module, keys in BENCHES.items():
        if args.only and module not in args.only:
            continue
        if not (HERE / f"{module}.py").exists():
            problems[module] = "benchmark missing"
            continue
        t0 = time.monotonic()
        got, err = _one(module, args.quick, timeout=600 if args.quick else 3600)  # full: 100 memory sessions take ~30 min
        figures.update(got)
        if err:
            problems[module] = err
        for k in keys:
            if args.quick and k in FULL_ONLY:
                continue
            if k not in got and module not in problems:
                problems[module] = f"did not report {k}"
        print(f"[{module}] {time.monotonic() - t0:.1f} s", file=sys.stderr)
    print(f"{'figure':34} {'value':>12}  target")
    for k, v in figures.items():
        print(f"{k:34} {v:12.4g}  {_meets(k, v)}")
    for m, why in problems.items():
        print(f"{m:34} {'—':>12}  {why}")
    if args.json:
        print(json.dumps({**figures, "problems": problems}, ensure_ascii=False))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
