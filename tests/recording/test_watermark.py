"""The burned-in watermark: what it shows, what it refuses, and that it survives encoding."""
from __future__ import annotations

import time
from pathlib import Path

import av
import numpy as np
import pytest
from scene_recording import record_scene
from skimage import data

from kiosk.errors import UserFacingError
from kiosk.recording import Watermark, find_cjk_font
from kiosk.recording.calibration import SyncScene


def test_a_cjk_font_is_found() -> None:
    font = find_cjk_font()
    assert font is not None and font.is_file()


@pytest.mark.parametrize("field", ["case_no", "role_label", "kiosk_id"])
@pytest.mark.parametrize("id_like", ["41110219900101123X", "411102199001011234", "411102900101123"])
def test_raw_id_numbers_are_refused(field: str, id_like: str) -> None:
    values = {"kiosk_id": "LH-KIOSK-0001", "case_no": "LH2026-000123", "role_label": "义务人"}
    values[field] = f"X{id_like}"
    with pytest.raises(UserFacingError):
        Watermark(**values)


def test_text_has_time_to_the_second_kiosk_case_and_role() -> None:
    wm = Watermark("LH-KIOSK-0001", "LH2026-000123", "权利人")
    assert wm.static_text == "终端 LH-KIOSK-0001  受理号 LH2026-000123  权利人"
    t = time.mktime((2026, 3, 5, 9, 7, 3, 0, 0, -1))
    assert Watermark.clock_text(t + 0.9) == "2026-03-05 09:07:03"


def test_clock_is_redrawn_only_when_the_second_changes() -> None:
    wm = Watermark("LH-KIOSK-0001", "LH2026-000123", "义务人")
    img = np.zeros((480, 640, 3), np.uint8)
    wm.apply(img, 1000.10)
    strip = wm._clock
    wm.apply(img.copy(), 1000.95)
    assert wm._clock is strip
    wm.apply(img.copy(), 1001.00)
    assert wm._clock is not strip


def test_watermark_is_burned_in_and_survives_encoding(tmp_path: Path) -> None:
    face = np.ascontiguousarray(data.astronaut()[16:496:1, 0:512][:, :, :3])
    background = np.zeros((480, 640, 3), np.uint8)
    background[:, 64:576] = face[:480]
    wall = time.time() - time.monotonic()
    t0 = time.monotonic()
    scene = SyncScene(seconds=2.0, t0=t0, background=background, flash_at=99.0, beep_at=99.0)
    wm = Watermark("LH-KIOSK-0001", "LH2026-000123", "义务人")
    path = tmp_path / "wm.mp4"
    record_scene(scene, path, watermark=wm, wall_offset=wall)
    with av.open(str(path)) as c:
        decoded = next(f for i, f in enumerate(c.decode(video=0)) if i == 30).to_ndarray(format="rgb24")
    decoded_img = decoded.astype(np.int16)
    source = scene.frame_image(30)
    expected = source.copy()
    Watermark("LH-KIOSK-0001", "LH2026-000123", "义务人").apply(expected, t0 + 30 / 25 + wall)
    marked = np.any(expected != source, axis=2)
    assert marked[:, :320].sum() > 2000  # text strips exist, top-left and bottom-left
    # where the watermark is, the file shows the watermark, not the scene
    err_vs_expected = np.abs(decoded_img - expected.astype(np.int16))[marked].mean()
    err_vs_source = np.abs(decoded_img - source.astype(np.int16))[marked].mean()
    assert err_vs_expected < 12 and err_vs_source > 3 * err_vs_expected, (err_vs_expected, err_vs_source)
    # the face in the middle is left alone
    centre = (slice(150, 330), slice(200, 440))
    assert np.abs(decoded_img[centre] - source[centre].astype(np.int16)).mean() < 6
