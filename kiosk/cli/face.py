"""`face-verify`: 1:1 comparisons from the command line.

- `face-verify ID_PHOTO LIVE_IMAGE [--json] [--threshold D]`: one comparison; exit 0 whenever
  a comparison was made (match or not), 1 with a one-line reason when an image cannot be read
  or shows no face. `--threshold` is a distance (1 − score; smaller is stricter).
- `face-verify --pairs PAIRS.json [--json]`: PAIRS.json is `[[reference, live], ...]`; the
  answer is `{"engine", "threshold", "results": [{"match", "score", "faces": [n, m]}, ...]}` in
  the same order, the models loaded once. A pair without exactly one face on each side is
  `match: false` with the counts; a file that cannot be read adds `"error"` to its result and
  the other pairs go on. Exit 1 only when PAIRS.json itself is unusable.

`--engine openvino|dlib` overrides `identity.engine` of the configuration.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np

from kiosk.config import IdentitySettings
from kiosk.errors import UserFacingError

MAX_IMAGE_PIXELS = 40_000_000  # refused before decoding: a "photo" larger than this is not one


_strict_load = threading.Lock()


def read_image(path: str) -> np.ndarray:
    """RGB uint8 from a file; any unreadable, truncated, huge or non-image file becomes a UserFacingError.

    face_recognition sets Pillow's process-wide `LOAD_TRUNCATED_IMAGES` when it is imported,
    which would turn a cut-off photo into one padded with grey: it is off while we decode.
    """
    from PIL import Image, ImageFile, UnidentifiedImageError

    p = Path(path)
    try:
        with Image.open(p) as im:
            w, h = im.size
            if w * h > MAX_IMAGE_PIXELS:
                raise UserFacingError(f"图片过大 / image too large: {p.name} ({w}×{h})", detail=str(p),
                                      code="image_too_large")
            with _strict_load:
                lenient = ImageFile.LOAD_TRUNCATED_IMAGES
                ImageFile.LOAD_TRUNCATED_IMAGES = False
                try:
                    im.load()
                finally:
                    ImageFile.LOAD_TRUNCATED_IMAGES = lenient
            return np.asarray(im.convert("RGB"), dtype=np.uint8)
    except Image.DecompressionBombError:
        raise UserFacingError(f"图片过大 / image too large: {p.name}", detail=str(p), code="image_too_large") from None
    except FileNotFoundError:
        raise UserFacingError(f"找不到图片文件 / image not found: {p.name}", detail=str(p), code="no_file") from None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UserFacingError(f"无法读取图片 / not a readable image: {p.name}", detail=f"{p}: {exc}",
                              code="bad_image") from None


def _settings(args: argparse.Namespace) -> IdentitySettings:
    settings = IdentitySettings()
    if getattr(args, "engine", None):
        settings = settings.model_copy(update={"engine": args.engine})
    return settings


def cmd_face_verify(args: argparse.Namespace) -> int:
    if args.pairs is not None:
        if args.id_photo or args.live_image:
            print("bdc-kiosk face-verify: --pairs 与单对图片不能同时使用 / give either --pairs or two images",
                  file=sys.stderr)
            return 1
        return _verify_pairs(args)
    if not (args.id_photo and args.live_image):
        print("bdc-kiosk face-verify: 需要证件照片与现场照片 / needs ID_PHOTO and LIVE_IMAGE (or --pairs FILE)",
              file=sys.stderr)
        return 1
    return _verify_one(args)


def _verify_one(args: argparse.Namespace) -> int:
    from kiosk.identity.matcher import FaceMatcher, NoFaceError

    threshold = args.threshold
    if threshold is not None and not (0.0 < threshold < 2.0):
        print("bdc-kiosk face-verify: 阈值须在0与2之间 / threshold must be between 0 and 2", file=sys.stderr)
        return 1
    try:
        ref = read_image(args.id_photo)
        live = read_image(args.live_image)
        matcher = FaceMatcher(_settings(args), threshold=None if threshold is None else 1.0 - threshold)
        result = matcher.compare(ref, live)
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


def _load_pairs(path: str) -> list[tuple[str, str]]:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserFacingError(f"找不到配对文件 / pairs file not found: {p.name}", code="no_file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserFacingError(f"配对文件不是有效的JSON / pairs file is not valid JSON: {p.name}",
                              detail=str(exc), code="bad_pairs") from None
    if not isinstance(data, list) or not all(
            isinstance(x, list) and len(x) == 2 and all(isinstance(s, str) for s in x) for x in data):
        raise UserFacingError("配对文件格式应为 [[证件照片, 现场照片], …] / pairs file must be [[reference, live], ...]",
                              code="bad_pairs")
    base = p.parent
    return [(str(base / a), str(base / b)) for a, b in data]


def _one_pair(matcher: Any, ref_path: str, live_path: str) -> dict[str, Any]:
    from kiosk.identity.matcher import NoFaceError

    images: list[np.ndarray | None] = []
    errors: list[str] = []
    for path in (ref_path, live_path):
        try:
            images.append(read_image(path))
        except UserFacingError as exc:
            images.append(None)
            errors.append(exc.message)
    if errors or images[0] is None or images[1] is None:
        return {"match": False, "score": None, "faces": [matcher.count_faces(i) for i in images],
                "error": "; ".join(errors)}
    try:
        c = matcher.compare_strict(images[0], images[1])
    except NoFaceError as exc:
        return {"match": False, "score": None, "faces": [matcher.count_faces(i) for i in images],
                "error": exc.message}
    score = None if math.isnan(c.score) else round(c.score, 4)
    return {"match": c.match, "score": score, "faces": [c.reference_faces, c.faces]}


def _verify_pairs(args: argparse.Namespace) -> int:
    from kiosk.identity.matcher import FaceMatcher

    try:
        pairs = _load_pairs(args.pairs)
        threshold = None if args.threshold is None else 1.0 - args.threshold
        matcher = FaceMatcher(_settings(args), threshold=threshold)
    except UserFacingError as exc:
        print(f"bdc-kiosk face-verify: {exc.message}", file=sys.stderr)
        return 1
    results = [_one_pair(matcher, a, b) for a, b in pairs]
    answer = {"engine": matcher.engine.name, "threshold": round(matcher.threshold, 4), "results": results}
    if args.json:
        print(json.dumps(answer, ensure_ascii=False))
        return 0
    print(f"engine={answer['engine']}  threshold={answer['threshold']}")
    for (a, b), r in zip(pairs, results, strict=True):
        verdict = "一致 / match" if r["match"] else "不一致 / no match"
        extra = f"  {r['error']}" if "error" in r else ""
        print(f"{verdict}  score={r['score']}  faces={r['faces']}  {Path(a).name} ~ {Path(b).name}{extra}")
    return 0
