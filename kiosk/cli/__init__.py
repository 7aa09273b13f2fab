"""The command line (docs/architecture.md, "Command line"). Names and output formats are fixed:
other tools call them.

Each subcommand's handler lives in the module that owns the capability (`_HANDLERS`), imported
only when that subcommand runs, so `--help` and a simple `prompt-match` stay fast and a missing
optional library affects only its own command. `run` (the UI) and `platform-emulator` (the
reference platform) sit above `kiosk`: `main.py`, the composition root, passes their handlers
in, and the factory of the embedded platform that `simulate` starts.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Mapping
from typing import Any

from kiosk.errors import UserFacingError

log = logging.getLogger(__name__)

# subcommand -> "module:function"; the function takes argparse.Namespace and returns an exit code.
_HANDLERS: dict[str, str] = {
    "simulate": "kiosk.cli.simulate:cmd_simulate",
    "outbox": "kiosk.cli.outbox:cmd_outbox",
    "doctor": "kiosk.cli.doctor:cmd_doctor",
    "face-verify": "kiosk.cli.face:cmd_face_verify",
    "prompt-match": "kiosk.cli.speech:cmd_prompt_match",
    "answer-check": "kiosk.cli.speech:cmd_answer_check",
    "verify": "kiosk.cli.verify:cmd_verify",
    "models": "kiosk.cli.models:cmd_models",
}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bdc-kiosk", description="不动产登记双录签名终端 bdc-kiosk")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    r = sub.add_parser("run", help="start the app (kiosk, counter or technician)")
    r.add_argument("--mode", choices=["kiosk", "counter", "technician"], default="kiosk")
    r.add_argument("--demo", action="store_true", help="simulated devices and the embedded platform")
    r.add_argument("--config", type=str, default=None)
    r.add_argument("--state", type=str, default=None)
    r.add_argument("--windowed", action="store_true", help="do not go fullscreen (development)")

    s = sub.add_parser("simulate", help="headless full session with simulated devices")
    s.add_argument("--out", required=True)
    s.add_argument("--case", default=None, help="case number (default: the two-party demo case)")
    s.add_argument("--platform", default=None, help="platform URL (default: embedded reference platform)")
    s.add_argument("--state", default=None)
    s.add_argument("--json", action="store_true")
    s.add_argument("--staff-overrides", action="store_true",
                   help="let the headless operator pass failed identity checks and device faults by hand "
                        "(recorded as manual); without it such an escalation ends the run with exit 1")

    o = sub.add_parser("outbox", help="show or flush the upload queue")
    o.add_argument("action", choices=["status", "flush", "restore"])
    o.add_argument("quarantine_id", nargs="?", default=None, help="restore: the quarantined id (see status)")
    o.add_argument("--to", default=None, help="restore: directory to decrypt into (0700)")
    o.add_argument("--state", default=None)
    o.add_argument("--platform", default=None)
    o.add_argument("--json", action="store_true")

    d = sub.add_parser("doctor", help="check environment, devices, models, fonts, platform")
    d.add_argument("--json", action="store_true")
    d.add_argument("--state", default=None)
    d.add_argument("--config", default=None)

    f = sub.add_parser("face-verify", help="1:1 face match of a live image against an ID photo")
    f.add_argument("id_photo", nargs="?")
    f.add_argument("live_image", nargs="?")
    f.add_argument("--pairs", default=None, help="JSON file [[reference, live], ...]: one answer per pair")
    f.add_argument("--engine", choices=["openvino", "dlib"], default=None)
    f.add_argument("--json", action="store_true")
    f.add_argument("--threshold", type=float, default=None)

    pm = sub.add_parser("prompt-match", help="check a transcript against a prompted statement")
    pm.add_argument("--prompt", required=True)
    pm.add_argument("--transcript", required=True)
    pm.add_argument("--case", default=None, metavar="CASE.json",
                    help="the case as the platform sends it, or {\"spans\": [{\"kind\", \"text\"}]}: "
                         "its parties, institutions, roles and ID numbers must be read as written")
    pm.add_argument("--json", action="store_true")

    ac = sub.add_parser("answer-check", help="classify a spoken answer to a question")
    ac.add_argument("--question", required=True)
    ac.add_argument("--transcript", required=True)
    ac.add_argument("--expect", choices=["affirm", "deny"], required=True)
    ac.add_argument("--json", action="store_true")

    v = sub.add_parser("verify", help="verify an evidence package")
    v.add_argument("package_dir")
    v.add_argument("--trust", default=None, metavar="CA.pem",
                   help="the platform CA the device certificate must chain to (else: integrity only)")
    v.add_argument("--state", default=None, metavar="DIR",
                   help="take the platform CA and receipt certificate stored at enrolment in DIR")
    v.add_argument("--json", action="store_true")

    pe = sub.add_parser("platform-emulator", help="run the reference platform")
    pe.add_argument("--host", default="127.0.0.1")
    pe.add_argument("--port", type=int, default=8765)
    pe.add_argument("--data", default="./platform-data")
    pe.add_argument("--cert", default=None, help="TLS certificate (PEM) for HTTPS")
    pe.add_argument("--key", default=None, help="TLS private key (PEM)")
    pe.add_argument("--demo", action="store_true", help="accept the demo enrolment code")
    pe.add_argument("--require-presence", action="store_true",
                    help="release case data only to a staff session or with a party's ID card read on the device")
    pe.add_argument("--require-staff-sessions", action="store_true",
                    help="refuse packages whose manual decisions name no staff session of the platform")
    pe.add_argument("--issue-code", default=None, metavar="KIOSK_ID",
                    help="print a one-time enrolment code for KIOSK_ID and exit")

    m = sub.add_parser("models", help="install speech models")
    msub = m.add_subparsers(dest="models_action", required=True)
    mi = msub.add_parser("install", help="install a Vosk model from a zip, a directory or a URL")
    mi.add_argument("path")
    mi.add_argument("--sha256", default=None)
    mi.add_argument("--state", default=None)
    ms = msub.add_parser("status", help="show installed models")
    ms.add_argument("--state", default=None)
    ms.add_argument("--json", action="store_true")
    return p


def _resolve(command: str, handlers: Mapping[str, Callable[[argparse.Namespace], int]]
             ) -> Callable[[argparse.Namespace], int]:
    if command in handlers:
        return handlers[command]
    if command not in _HANDLERS:  # `run`, `platform-emulator`: wired in by main.py
        raise UserFacingError(f"请用 main.py 启动 {command}", detail=f"no handler for {command}")
    module_name, func_name = _HANDLERS[command].split(":")
    return getattr(importlib.import_module(module_name), func_name)  # type: ignore[no-any-return]


def run_cli(argv: list[str], *, handlers: Mapping[str, Callable[[argparse.Namespace], int]] | None = None,
            platform_factory: Callable[[Any], Any] | None = None) -> int:
    """`handlers` adds the commands of the layers above (`main.py`); `platform_factory` is
    handed to the commands that start an embedded platform (`args.platform_factory`)."""
    args = build_parser().parse_args(argv)
    args.platform_factory = platform_factory
    try:
        return _resolve(args.command, handlers or {})(args)
    except UserFacingError as exc:
        print(f"bdc-kiosk {args.command}: {exc.message}", file=sys.stderr)
        if exc.detail:
            log.warning("%s failed: %s", args.command, exc.detail)
        return 1
    except KeyboardInterrupt:
        return 130
