"""`face-verify ID_PHOTO LIVE_IMAGE [--json] [--threshold T]`: one 1:1 comparison.

Exit 0 whenever a comparison was made (match or not); 1 with a one-line reason when an
image cannot be read or shows no face.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from kiosk.config import IdentitySettings
from kiosk.errors import UserFacingError


def read_image(path: str) -> np.ndarray:
    """RGB uint8 from a file; any unreadable or non-image file becomes a UserFacingError."""
    from PIL import Image, UnidentifiedImageError

    p = Path(path)
    try:
        with Image.open(p) as im:
            im.load()
            return np.asarray(im.convert("RGB"), dtype=np.uint8)
    except FileNotFoundError:
        raise UserFacingError(f"找不到图片文件 / image not found: {p.name}", detail=str(p), code="no_file") from None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UserFacingError(f"无法读取图片 / not a readable image: {p.name}", detail=f"{p}: {exc}",
                              code="bad_image") from None


def cmd_face_verify(args: argparse.Namespace) -> int:
    from kiosk.identity.matcher import FaceMatcher, NoFaceError

    settings = IdentitySettings()
    threshold = args.threshold
    if threshold is not None and not (0.0 < threshold < 2.0):
        print("bdc-kiosk face-verify: 阈值须在0与2之间 / threshold must be between 0 and 2", file=sys.stderr)
        return 1
    try:
        ref = read_image(args.id_photo)
        live = read_image(args.live_image)
        result = FaceMatcher(settings, threshold=threshold).compare(ref, live)
    except NoFaceError as exc:
        which = "ID photo" if exc.which == "证件照片" else "live image"
        print(f"bdc-kiosk face-verify: {exc.which}中没有找到人脸 / no face found in the {which}", file=sys.stderr)
        return 1
    except UserFacingError as exc:
        print(f"bdc-kiosk face-verify: {exc.message}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        verdict = "一致 / match" if result.match else "不一致 / no match"
        print(f"{verdict}  distance={result.distance:.4f}  faces={result.faces}")
    return 0
