"""The kill soak: SIGKILL real `simulate` processes at random moments, restart, and count.

Against a `platform-emulator` in its own process, one kiosk state directory is used by a
sequence of `simulate` runs. Each run is either left to finish or SIGKILLed at a random moment
of a chosen phase — during the party steps (recording), in the packaging window (after the
audit says `package_building`), or during the upload (the outbox row of the run's package is
`uploading`) — and the next run is the restart (it recovers interrupted sessions first). After
the last kill one more run finishes and `outbox flush` delivers what is queued. Then:

- lost: a session with a sealed intake (it had a case) whose package is not on the platform;
- duplicated: a session whose evidence is on the platform under more than one package id;
- plaintext leftovers: after each kill, any file outside the directory of the session in
  progress that holds a party's name or ID number, a PDF or an MP4 in clear (the emulator's
  own data directory is outside the kiosk state and is not scanned); at the end, anything left
  in `sessions/` at all;
- every package on the platform must pass `verify`; a completed run's package is `completed`,
  an interrupted one's `aborted` (or `completed` when the kill came after the package was built).

Run: `python tests/tools/soak_kill.py --kills 20 [--seed N] [--work DIR] [--json]` (or
scripts/soak_kill.sh). The test suite runs a short form (tests/reliability/test_kill_soak.py).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
PHASES = ("party", "packaging", "upload")


@dataclass
class Run:
    n: int
    plan: str                      # "finish" or the phase chosen for the kill
    delay_s: float = 0.0           # random delay after the phase was reached
    observed: str = ""             # the last audit event / outbox state when the kill landed
    session: str = ""              # the session directory this run created
    had_case: bool = False         # its intake was sealed at the kill (so a package is owed)
    exit_code: int | None = None
    package_ids: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _markers() -> list[bytes]:
    """Personal data of every demo party, as it would appear in clear."""
    sys.path.insert(0, str(ROOT))
    from kiosk.platform import demo

    out: list[bytes] = [b"%PDF-1.", b"ftypiso"]
    for v in vars(demo).values():
        name, idn = getattr(v, "name", None), getattr(v, "id_number", None)
        if isinstance(name, str) and isinstance(idn, str):
            out += [name.encode("utf-8"), idn.encode("ascii")]
    return out


def _scan(state: Path, active: Path | None, markers: list[bytes]) -> list[str]:
    """Files outside the active session directory (and the models) holding personal data in clear."""
    found: list[str] = []
    for p in state.rglob("*"):
        if not p.is_file() or p.is_symlink():
            continue
        rel = p.relative_to(state)
        if rel.parts[0] == "models" or (active is not None and active in p.parents):
            continue
        try:
            data = p.read_bytes()
        except OSError:
            continue
        hits = [m.decode("utf-8", "replace") for m in markers if m in data]
        if hits:
            found.append(f"{rel}: {', '.join(sorted(set(hits)))[:80]}")
    return found


def _audit_kinds(session: Path) -> list[str]:
    kinds: list[str] = []
    try:
        text = (session / "audit.jsonl").read_text(encoding="utf-8")
    except OSError:
        return kinds
    for line in text.splitlines():
        try:
            kinds.append(str(json.loads(line).get("kind")))
        except ValueError:
            continue
    return kinds


def _outbox_states(state: Path) -> dict[str, str]:
    db = state / "outbox" / "outbox.sqlite3"
    if not db.exists():
        return {}
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return {str(a): str(b) for a, b in con.execute("SELECT package_id, state FROM items")}
        finally:
            con.close()
    except sqlite3.Error:
        return {}


def _newest_session(state: Path, before: set[str]) -> Path | None:
    sessions = state / "sessions"
    if not sessions.is_dir():
        return None
    new = [p for p in sessions.iterdir() if p.is_dir() and p.name not in before]
    return max(new, key=lambda p: p.stat().st_mtime) if new else None


def _phase_reached(plan: str, session: Path, state: Path, outbox_before: set[str]) -> bool:
    kinds = _audit_kinds(session)
    if plan == "party":
        return "step_started" in kinds and (session / "intake.enc").exists()
    if plan == "packaging":
        return "package_building" in kinds
    return any(s == "uploading" for pid, s in _outbox_states(state).items() if pid not in outbox_before)


def _simulate(state: Path, out: Path, url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([PY, str(ROOT / "main.py"), "simulate", "--out", str(out), "--state", str(state),
                             "--platform", url, "--json"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)


def _run_once(run: Run, state: Path, work: Path, url: str, rng: random.Random, markers: list[bytes],
              log: Any) -> None:
    before = {p.name for p in (state / "sessions").iterdir()} if (state / "sessions").is_dir() else set()
    outbox_before = set(_outbox_states(state))
    proc = _simulate(state, work / f"out{run.n}", url)
    session: Path | None = None
    reached_at: float | None = None
    started = time.monotonic()
    while proc.poll() is None:
        time.sleep(0.05)
        if session is None:
            session = _newest_session(state, before)
        if run.plan == "finish" or session is None:
            continue
        if reached_at is None:
            if _phase_reached(run.plan, session, state, outbox_before):
                reached_at = time.monotonic()
            if time.monotonic() - started > 900:
                break
            continue
        if time.monotonic() - reached_at >= run.delay_s:
            kinds = _audit_kinds(session)
            states = {k: v for k, v in _outbox_states(state).items() if k not in outbox_before}
            run.had_case = (session / "intake.enc").exists()
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            run.observed = (kinds[-1] if kinds else "(session wiped)" if not session.exists() else "(no audit)") + (
                f" / outbox {','.join(sorted(set(states.values())))}" if states else "")
            run.leftovers = _scan(state, session if session.exists() else None, markers)
            if session.exists() and (session.stat().st_mode & 0o077):
                run.leftovers.append(f"{session.name}: mode {oct(session.stat().st_mode & 0o777)}")
            break
    if proc.poll() is None:  # the phase never came (e.g. the upload was too quick to see)
        proc.wait(timeout=900)
    run.exit_code = proc.returncode
    run.session = session.name if session is not None else ""
    if run.plan == "finish" or run.exit_code != -signal.SIGKILL:
        run.had_case = True
        if proc.stdout is not None:
            try:
                outcome = json.loads(proc.stdout.read().decode().strip().splitlines()[-1])
                run.package_ids = [outcome.get("package_id", "")]
            except (ValueError, IndexError):
                pass
    if proc.stdout is not None:
        proc.stdout.close()
    print(f"run {run.n:2d} {run.plan:<9} delay {run.delay_s:4.1f}s exit {run.exit_code} "
          f"observed: {run.observed or '-'}", file=log, flush=True)


def _stamp(package_id: str) -> dt.datetime:
    """The session's start second in a package id (`<case>-<kiosk>-<yyyymmddHHMMSS>[-<tag>]`)."""
    found = re.findall(r"-(\d{14})(?=-|$)", package_id)
    return dt.datetime.strptime(found[-1], "%Y%m%d%H%M%S") if found else dt.datetime.min


def soak(kills: int, seed: int, work: Path, log: Any = sys.stderr) -> dict[str, Any]:
    rng = random.Random(seed)
    work.mkdir(parents=True, exist_ok=True)
    state, data = work / "state", work / "platform"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([PY, str(ROOT / "main.py"), "platform-emulator", "--host", "127.0.0.1", "--port",
                               str(port), "--data", str(data), "--demo"], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    markers = _markers()
    runs: list[Run] = []
    try:
        deadline = time.monotonic() + 120
        while not _port_open(port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("platform-emulator did not start")
            time.sleep(0.1)
        plans = [PHASES[i % len(PHASES)] for i in range(kills)]
        rng.shuffle(plans)
        for i, plan in enumerate(plans):
            delay = {"party": rng.uniform(0, 45), "packaging": rng.uniform(0, 2.5), "upload": rng.uniform(0, 0.5)}[plan]
            run = Run(i + 1, plan, round(delay, 2))
            _run_once(run, state, work, url, rng, markers, log)
            runs.append(run)
        final = Run(len(runs) + 1, "finish")
        _run_once(final, state, work, url, rng, markers, log)
        runs.append(final)
        flush = subprocess.run([PY, str(ROOT / "main.py"), "outbox", "flush", "--state", str(state), "--platform",
                                url, "--json"], cwd=ROOT, capture_output=True, text=True, timeout=900)
        status = subprocess.run([PY, str(ROOT / "main.py"), "outbox", "status", "--state", str(state), "--json"],
                                cwd=ROOT, capture_output=True, text=True, timeout=300)
        outbox = json.loads(status.stdout.strip().splitlines()[-1])["status"] if status.stdout.strip() else {}
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    packages = sorted(p for p in (data / "packages").iterdir() if p.is_dir()) if (data / "packages").is_dir() \
        else []
    received: dict[str, str] = {}
    bad: dict[str, str] = {}
    for p in packages:
        received[p.name] = json.loads((p / "manifest.json").read_text(encoding="utf-8"))["status"]
        check = subprocess.run([PY, str(ROOT / "main.py"), "verify", str(p)], cwd=ROOT, capture_output=True,
                               text=True, timeout=600)
        if check.returncode != 0:
            bad[p.name] = (check.stderr.strip().splitlines() or ["?"])[-1][:200]
        for video in sorted((p / "recordings").glob("*.mp4")):  # an interrupted recording still plays
            probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                                    str(video)], capture_output=True, text=True, timeout=120)
            try:
                playable = probe.returncode == 0 and float(probe.stdout.strip()) > 0.5
            except ValueError:
                playable = False
            if not playable:
                bad[f"{p.name}/{video.name}"] = "recording does not play"
    # attribute packages to runs: by the id a finished run printed, else by the session's start second
    claimed: set[str] = set()
    for run in runs:
        if run.package_ids and run.package_ids[0] in received:
            claimed.add(run.package_ids[0])
    for run in runs:
        if run.package_ids or not run.session:
            continue
        when = dt.datetime.strptime(run.session.rsplit("-", 1)[-1], "%Y%m%d%H%M%S")
        run.package_ids = [pid for pid in received if pid not in claimed and abs((_stamp(pid) - when).total_seconds()) <= 3]
        claimed.update(run.package_ids)
    for run in runs:
        run.statuses = [received[p] for p in run.package_ids if p in received]
    lost = [r.n for r in runs if r.had_case and not r.statuses]
    duplicated = [r.n for r in runs if len(r.statuses) > 1]
    unowned = sorted(set(received) - claimed)
    wrong_status = [r.n for r in runs if r.plan == "finish" and r.statuses and r.statuses != ["completed"]]
    end_leftovers = [str(p.relative_to(state)) for p in (state / "sessions").rglob("*")] \
        if (state / "sessions").is_dir() else []
    end_leftovers += _scan(state, None, markers)
    return {
        "kills": sum(1 for r in runs if r.exit_code == -signal.SIGKILL), "seed": seed, "runs": [asdict(r) for r in runs],
        "by_phase": {ph: sum(1 for r in runs if r.plan == ph and r.exit_code == -signal.SIGKILL) for ph in PHASES},
        "packages_on_platform": len(received), "completed": sum(1 for s in received.values() if s == "completed"),
        "aborted": sum(1 for s in received.values() if s == "aborted"),
        "lost": lost, "duplicated": duplicated, "unattributed_packages": unowned, "wrong_status": wrong_status,
        "verify_failures": bad, "plaintext_leftovers_at_kills": sum(len(r.leftovers) for r in runs),
        "plaintext_leftovers_at_end": end_leftovers, "outbox_after_flush": outbox,
        "flush_exit": flush.returncode,
    }


def table(report: dict[str, Any]) -> str:
    lines = ["| run | kill phase | delay s | state at kill | case sealed | packages on platform | leftovers |",
             "|---|---|---|---|---|---|---|"]
    for r in report["runs"]:
        lines.append(f"| {r['n']} | {r['plan']} | {r['delay_s']} | {r['observed'] or '(ran to the end)'} | "
                     f"{'yes' if r['had_case'] else 'no'} | {', '.join(r['statuses']) or '-'} | "
                     f"{len(r['leftovers'])} |")
    lines.append("")
    lines.append(f"kills {report['kills']} ({', '.join(f'{k} {v}' for k, v in report['by_phase'].items())}); "
                 f"packages {report['packages_on_platform']} (completed {report['completed']}, aborted "
                 f"{report['aborted']}); lost {len(report['lost'])}; duplicated {len(report['duplicated'])}; "
                 f"verify failures {len(report['verify_failures'])}; plaintext leftovers at kills "
                 f"{report['plaintext_leftovers_at_kills']}, at end {len(report['plaintext_leftovers_at_end'])}; "
                 f"outbox depth after flush {report['outbox_after_flush'].get('depth')}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--work", default=None, help="working directory (default: a new temporary one)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="bdc-soak-"))
    report = soak(args.kills, args.seed, work)
    print(table(report))
    if args.json:
        print(json.dumps({k: v for k, v in report.items() if k != "runs"}, ensure_ascii=False))
    ok = not (report["lost"] or report["duplicated"] or report["verify_failures"] or report["wrong_status"]
              or report["plaintext_leftovers_at_kills"] or report["plaintext_leftovers_at_end"]
              or report["unattributed_packages"] or report["outbox_after_flush"].get("depth"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
