"""`crypto.profile`: SM4-GCM ("gm", the default) or AES-256-GCM ("intl") for data at rest.

Outboxes and sealed intakes written before the profiles existed (AES-GCM, first blob format,
first stored-file header) stay readable under either profile: the fixture under
fixtures/outbox_v1 was made with that code (fixtures/make_outbox_v1.py) and is committed as is.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.config import parse_settings
from kiosk.errors import UserFacingError
from kiosk.platform.outbox import Outbox
from kiosk.security.keys import DataCipher, DeviceKeys, KeySealer

FIXTURE = Path(__file__).parent / "fixtures" / "outbox_v1"
OLD_ID = "LH2026-000001-K01-20261130120000"
OLD_RECORDING = bytes(range(256)) * 4096 + b"tail-of-second-chunk"


@pytest.mark.parametrize("profile", ["gm", "intl"])
def test_an_outbox_written_by_the_old_code_stays_readable(tmp_path: Path, profile: str) -> None:
    shutil.copytree(FIXTURE, tmp_path / "state")
    keys = DeviceKeys(tmp_path / "state" / "keys", sealer=KeySealer(), profile=profile)
    ob = Outbox(tmp_path / "state" / "outbox", keys.cipher())
    item = ob.get(OLD_ID)
    assert item is not None and [f["path"] for f in item.files] == ["manifest.json", "recordings/p1.bin"]
    manifest, recording = item.files
    reader = ob.reader(item)
    assert json.loads(reader.read(0, manifest["size"]))["note"] == "old format"
    assert reader.read(manifest["size"], recording["size"]) == OLD_RECORDING  # both chunks
    intake = keys.cipher().open((tmp_path / "state" / "sessions" / "s1" / "intake.enc").read_bytes(),
                                aad=b"intake")
    assert json.loads(intake)["case"]["case_no"] == "LH2026-000001"
    ob.close()


def test_gm_seals_with_sm4_gcm_and_intl_with_aes_gcm() -> None:
    key = AESGCM.generate_key(bit_length=256)
    gm, intl = DataCipher(key, "gm"), DataCipher(key, "intl")
    s, a = gm.seal(b"personal data", b"ctx"), intl.seal(b"personal data", b"ctx")
    assert s[:5] == b"BDC2S" and a[:5] == b"BDC2A"
    # the SM4 blob is not AES-GCM under the data key; the AES one is
    with pytest.raises(Exception):  # noqa: B017, PT011 - cryptography's InvalidTag
        AESGCM(key).decrypt(s[5:17], s[17:], b"ctx")
    assert AESGCM(key).decrypt(a[5:17], a[17:], b"ctx") == b"personal data"
    # either profile reads both (a profile change does not strand earlier data)
    assert intl.open(s, b"ctx") == gm.open(a, b"ctx") == b"personal data"
    with pytest.raises(UserFacingError):
        gm.open(s[:-1] + bytes([s[-1] ^ 1]), b"ctx")
    with pytest.raises(UserFacingError):
        gm.open(s, b"other context")


def test_profile_setting_reaches_the_outbox(tmp_path: Path) -> None:
    assert parse_settings({}).crypto.profile == "gm"
    with pytest.raises(UserFacingError):
        parse_settings({"crypto": {"profile": "des"}})
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "manifest.json").write_text("{}")
    for profile in ("gm", "intl"):
        keys = DeviceKeys(tmp_path / "keys", sealer=KeySealer(), profile=profile)
        ob = Outbox(tmp_path / f"outbox-{profile}", keys.cipher())
        ob.enqueue(pkg, f"LH2026-000002-K01-2026120101010{len(profile)}", "LH2026-000002")
        [item] = ob.items()
        stored = (ob.store / item.package_id / "manifest.json").read_bytes()
        assert stored[:5] == b"BDCS2" and stored[9:14] == (b"BDC2S" if profile == "gm" else b"BDC2A")
        assert ob.reader(item).read(0, 2) == b"{}"
        ob.close()
