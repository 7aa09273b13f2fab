"""Keys sealed by the machine: a TPM 2.0 (here a software TPM), DPAPI on Windows, else "unsealed".

With sealed keys the state directory holds no usable secret: a copy of it, opened next to
another TPM or none, does not decrypt (the device key, the SM2 key and the data key are all
wrapped by the key the TPM seals). DPAPI cannot run on this Linux machine; its code path is
exercised only on Windows.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from software_tpm import software_tpm

from kiosk.platform.outbox import Outbox
from kiosk.security.keys import DeviceKeys, KeySealer, KeySealingError, Tpm2Sealer, sealing_report

FIXTURE = Path(__file__).parent / "fixtures" / "outbox_v1"
SECRETS = ("device_key.pem", "sm2.json", "data.key")


def _pub(keys: DeviceKeys) -> bytes:
    return keys.signing_key.public_key().public_bytes(serialization.Encoding.DER,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo)


def _package(root: Path) -> Path:
    pkg = root / "pkg"
    (pkg / "identity").mkdir(parents=True)
    (pkg / "manifest.json").write_text('{"package_id": "LH2026-000009-K01-20261201010101"}')
    (pkg / "identity" / "p1.json").write_text('{"name": "张三", "id_number": "411102195803120210"}')
    return pkg


def test_sealed_keys_survive_a_restart_and_leave_no_plain_secret(tmp_path: Path) -> None:
    with software_tpm(tmp_path / "tpm") as tcti:
        keys = DeviceKeys(tmp_path / "keys", sealer=Tpm2Sealer(tcti))
        assert keys.sealing == "tpm2"
        names = {p.name for p in (tmp_path / "keys").iterdir()}
        assert not names & set(SECRETS)
        assert {f"{n}.sealed" for n in SECRETS} <= names and "sealed.json" in names
        again = DeviceKeys(tmp_path / "keys", tcti=tcti)  # the method is read from sealed.json
        assert again.sealing == "tpm2" and again.data_key == keys.data_key and _pub(again) == _pub(keys)
        assert again.sm2 == keys.sm2


def test_a_copied_state_directory_does_not_decrypt(tmp_path: Path) -> None:
    with software_tpm(tmp_path / "tpm-a") as tcti:
        keys = DeviceKeys(tmp_path / "state" / "keys", sealer=Tpm2Sealer(tcti))
        ob = Outbox(tmp_path / "state" / "outbox", keys.cipher())
        ob.enqueue(_package(tmp_path), "LH2026-000009-K01-20261201010101", "LH2026-000009")
        ob.close()
        shutil.copytree(tmp_path / "state", tmp_path / "stolen")
        # on its own machine it reads back
        mine = Outbox(tmp_path / "state" / "outbox", DeviceKeys(tmp_path / "state" / "keys", tcti=tcti).cipher())
        item = mine.get("LH2026-000009-K01-20261201010101")
        assert item is not None and b"411102195803120210" in mine.reader(item).read(0, item.total_size)
        mine.close()
    stolen = tmp_path / "stolen" / "keys"
    with software_tpm(tmp_path / "tpm-b") as other, pytest.raises(KeySealingError):  # another machine's TPM
        DeviceKeys(stolen, sealer=Tpm2Sealer(other))
    with pytest.raises(KeySealingError):  # no TPM at all
        DeviceKeys(stolen, sealer=KeySealer())
    with pytest.raises(KeySealingError):  # sealed.json removed: the wrapped keys still refuse
        (stolen / "sealed.json").unlink()
        DeviceKeys(stolen, sealer=KeySealer())
    on_disk = b"".join(p.read_bytes() for p in (tmp_path / "stolen").rglob("*") if p.is_file())
    assert b"PRIVATE KEY" not in on_disk and b"private_hex" not in on_disk and b"411102195803120210" not in on_disk


def test_plain_keys_of_an_older_version_are_wrapped_on_the_first_sealed_start(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE / "keys", tmp_path / "keys")
    old_data_key = (FIXTURE / "keys" / "data.key").read_bytes()
    old_pub = _pub(DeviceKeys(FIXTURE / "keys", sealer=KeySealer()))
    with software_tpm(tmp_path / "tpm") as tcti:
        keys = DeviceKeys(tmp_path / "keys", sealer=Tpm2Sealer(tcti))
        assert keys.data_key == old_data_key and _pub(keys) == old_pub
        assert not any((tmp_path / "keys" / n).exists() for n in SECRETS)
        shutil.copytree(FIXTURE / "outbox", tmp_path / "outbox")
        ob = Outbox(tmp_path / "outbox", keys.cipher())
        [item] = ob.items()
        assert ob.reader(item).read(0, 40).startswith(b'{"package_id"')
        ob.close()


def test_without_tpm_or_dpapi_the_state_is_reported_unsealed(tmp_path: Path) -> None:
    keys = DeviceKeys(tmp_path / "keys", sealer=KeySealer())
    assert keys.sealing == "unsealed"
    assert (tmp_path / "keys" / "data.key").exists()  # protected by its mode only
    report = sealing_report(keys.sealing)
    assert report["ok"] is False and "未封存" in str(report["detail"])
    from kiosk.cli.doctor import check_key_sealing
    from kiosk.config import StatePaths, parse_settings

    settings = parse_settings({"crypto": {"key_sealing": "none"}})
    check = check_key_sealing(settings, StatePaths(tmp_path))
    assert not check.ok and "未封存" in check.detail and check.fix
