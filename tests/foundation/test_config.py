from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.config import ConfigError, Settings, describe_schema, load_config, parse_settings, save_config


def test_defaults_and_state_layout(tmp_path: Path) -> None:
    settings_, paths = load_config(tmp_path / "state")
    assert settings_.session.idle_timeout_s == 120
    for d in (paths.logs, paths.outbox, paths.keys, paths.sessions, paths.models):
        assert d.is_dir() and d.is_relative_to(tmp_path / "state")
    assert oct(os.stat(paths.keys).st_mode & 0o777) == "0o700"


def test_all_errors_reported_at_once(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text('kiosk_id = "x"\n[platform]\ntimeout_s = 0\n[session]\nidle_timeout_s = 5\ncolour = "red"\n',
                   encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path / "s", cfg)
    problems = err.value.problems
    assert len(problems) == 4
    joined = "\n".join(problems)
    for key in ("kiosk_id", "platform.timeout_s", "session.idle_timeout_s", "session.colour"):
        assert key in joined
    assert "允许范围 15" in joined and "未知的配置项" in joined


def test_not_toml_is_clear(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[[[", encoding="utf-8")
    with pytest.raises(ConfigError, match="不是有效的TOML"):
        load_config(tmp_path / "s", cfg)


def test_missing_explicit_config_is_clear(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="文件不存在"):
        load_config(tmp_path / "s", tmp_path / "nope.toml")


def test_round_trip_and_file_mode(tmp_path: Path) -> None:
    s = parse_settings({"kiosk_id": "LH-KIOSK-0042", "identity": {"match_threshold": 0.45}})
    save_config(s, tmp_path / "config.toml")
    assert oct(os.stat(tmp_path / "config.toml").st_mode & 0o777) == "0o600"
    again, _ = load_config(tmp_path)
    assert again == s


def test_every_field_is_described() -> None:
    rows = describe_schema()
    assert len(rows) > 25
    assert all(desc for _, _, desc in rows)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["kiosk_id", "platform", "devices", "session", "ui", "zzz"]),
                       st.none() | st.integers() | st.text(max_size=10) | st.dictionaries(
                           st.text(max_size=12), st.integers() | st.text(max_size=5), max_size=3),
                       max_size=4))
def test_fuzzed_config_is_valid_or_config_error(data: dict) -> None:
    try:
        assert isinstance(parse_settings(data), Settings)
    except ConfigError as exc:
        assert exc.problems
