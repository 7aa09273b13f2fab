"""Helpers of the platform room: a real reference platform on loopback, a kiosk state dir with
real device keys, and real evidence packages signed with `kiosk.evidence.manifest`."""
from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import PlatformSettings, StatePaths
from kiosk.evidence.manifest import write_manifest
from kiosk.platform import Outbox, PlatformClient, Uploader
from kiosk.platform.demo import DEMO_CASE_NO, DEMO_ENROL_CODE
from kiosk.security.keys import DeviceKeys

KIOSK_ID = "LH-KIOSK-0042"


def ipv6_available() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


@dataclass
class Kiosk:
    paths: StatePaths
    keys: DeviceKeys
    settings: PlatformSettings
    client: PlatformClient
    outbox: Outbox
    uploader: Uploader

    def close(self) -> None:
        self.uploader.stop()
        self.client.close()
        self.outbox.close()


def make_kiosk(root: Path, url: str, *, part_size_mb: int = 1, timeout_s: float = 3.0, enrol: bool = True,
               ca_bundle: str = "", pin: str = "") -> Kiosk:
    paths = StatePaths(root).ensure()
    keys = DeviceKeys(paths.keys)
    settings = PlatformSettings(url=url, timeout_s=timeout_s, part_size_mb=part_size_mb, ca_bundle=ca_bundle,
                                pin_sha256=pin)
    client = PlatformClient(url, settings, keys, KIOSK_ID, paths.keys)
    client.backoff_base_s = 0.02
    client.backoff_cap_s = 0.1
    if enrol:
        client.ensure_enrolled(DEMO_ENROL_CODE)
    outbox = Outbox(paths.outbox, keys.cipher())
    return Kiosk(paths, keys, settings, client, outbox, Uploader(outbox, client, retention_days=0))


def make_package(keys: DeviceKeys, parent: Path, package_id: str, *, recording_bytes: int = 300_000,
                 case_no: str = DEMO_CASE_NO) -> Path:
    """A package in the shared format: random payloads of the given size, a real signed manifest."""
    d = parent / package_id
    for sub in ("documents", "recordings", "transcripts", "identity", "pen"):
        (d / sub).mkdir(parents=True, exist_ok=True)
    (d / "documents" / "d1.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(20_000))
    (d / "report.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(5_000))
    with open(d / "recordings" / "p1.mp4", "wb") as fh:
        left = recording_bytes
        while left:
            n = min(left, 1 << 20)
            fh.write(os.urandom(n))
            left -= n
    (d / "transcripts" / "p1.json").write_text('{"words": []}', encoding="utf-8")
    (d / "identity" / "p1.json").write_text('{"match": true}', encoding="utf-8")
    (d / "pen" / "p1-d1-1.json").write_text('{"points": []}', encoding="utf-8")
    (d / "audit.jsonl").write_text('{"event": "start"}\n', encoding="utf-8")
    now = dt.datetime.now(dt.timezone.utc).astimezone()
    write_manifest(d, {"package_id": package_id, "case_no": case_no, "business_type": "存量房转移登记",
                       "kiosk_id": KIOSK_ID, "software_version": "0.1.0", "started_at": now.isoformat(),
                       "finished_at": now.isoformat(), "status": "completed", "parties": [], "steps": []}, keys)
    return d


def tree_bytes(d: Path) -> dict[str, bytes]:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}
