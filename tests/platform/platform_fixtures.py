"""Helpers of the platform room: a real reference platform on loopback, a kiosk state dir with
real device keys, and real evidence packages signed with `kiosk.evidence.manifest`."""
from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.config import PlatformSettings, StatePaths
from kiosk.evidence.package import PackageBuilder
from kiosk.evidence.sample import sample_audit, sample_party_evidence
from kiosk.model import Case, parse_case
from kiosk.platform import Outbox, PlatformClient, Uploader
from kiosk.platform.demo import CASES, DEMO_CASE_NO, DEMO_ENROL_CODE
from kiosk.security.keys import DeviceKeys
from kiosk.signing.seal import demo_seal_png
from refplatform.demo_seed import build_case

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
               ca_bundle: str = "", pin: str = "", kiosk_id: str = KIOSK_ID) -> Kiosk:
    paths = StatePaths(root).ensure()
    keys = DeviceKeys(paths.keys)
    settings = PlatformSettings(url=url, timeout_s=timeout_s, part_size_mb=part_size_mb, ca_bundle=ca_bundle,
                                pin_sha256=pin)
    client = PlatformClient(url, settings, keys, kiosk_id, paths.keys)
    client.backoff_base_s = 0.02
    client.backoff_cap_s = 0.1
    if enrol:
        client.ensure_enrolled(DEMO_ENROL_CODE)
    outbox = Outbox(paths.outbox, keys.cipher())
    return Kiosk(paths, keys, settings, client, outbox, Uploader(outbox, client, retention_days=0))


def demo_case(case_no: str = DEMO_CASE_NO) -> tuple[Case, dict[str, bytes]]:
    """The case as the reference platform serves it, with its documents' PDFs."""
    spec = next(c for c in CASES if c.case_no == case_no)
    data, pdfs = build_case(spec)
    return parse_case(data), pdfs


def make_package(keys: DeviceKeys, parent: Path, package_id: str | None, *, recording_bytes: int = 300_000,
                 case_no: str = DEMO_CASE_NO, status: str = "completed", kiosk_id: str = KIOSK_ID,
                 case: tuple[Case, dict[str, bytes]] | None = None, started_at: str | None = None,
                 audit: list[dict[str, Any]] | None = None) -> Path:
    """A real evidence package for a demo case, built by `kiosk.evidence.package` and signed with
    `keys`: the platform's documents signed on sample pen data, a recording of random bytes of
    the given size, the audit chain. `package_id` None: the builder's own (keyed) id; `case`
    replaces the demo case (case, doc_id → PDF)."""
    the_case, pdfs = case or demo_case(case_no)
    parent.mkdir(parents=True, exist_ok=True)
    recording = parent / f"{package_id or 'new'}-p1.mp4"
    with open(recording, "wb") as fh:
        left = recording_bytes
        while left:
            n = min(left, 1 << 20)
            fh.write(os.urandom(n))
            left -= n
    m = re.search(r"-(\d{14})(?:-[0-9a-f]+)?$", package_id or "")
    stamp = m.group(1) if m else "20261128100000"
    started = started_at or f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[8:10]}:{stamp[10:12]}:{stamp[12:14]}+08:00"
    b = PackageBuilder(parent, the_case, kiosk_id, "0.1.0", keys, started_at=started, package_id=package_id,
                       seals={p.credit_code: demo_seal_png(p.name, 400) for p in the_case.parties if p.credit_code})
    for doc_id, pdf in pdfs.items():
        b.add_document(doc_id, pdf)
    for i, p in enumerate(the_case.parties):
        b.add_party(sample_party_evidence(the_case, p.party_id, recording if i == 0 else None, seed=1 + 7 * i))
    b.set_audit(audit if audit is not None else sample_audit())
    b.set_steps([{"step": "身份核验", "party_id": p.party_id, "outcome": "通过"} for p in the_case.parties])
    pkg = b.build(status=status)
    recording.unlink()
    return pkg


def tree_bytes(d: Path) -> dict[str, bytes]:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}
