"""Real face photos shipped by packages, and actors built from them (built once per module:
composing the scene runs the dlib detector)."""
from __future__ import annotations

import numpy as np
import pytest

from kiosk.identity.evaluation import make_chip_photo


@pytest.fixture(scope="session")
def astronaut() -> np.ndarray:
    from skimage import data

    return data.astronaut()


@pytest.fixture(scope="session")
def hopper() -> np.ndarray:
    from matplotlib import cbook
    from PIL import Image

    with Image.open(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)) as im:
        return np.asarray(im.convert("RGB"))


@pytest.fixture(scope="session")
def astronaut_chip(astronaut: np.ndarray) -> np.ndarray:
    chip = make_chip_photo(astronaut)
    assert chip.shape == (126, 102, 3)
    return chip
