"""Evaluation of the 1:1 match on real photos under the damage a kiosk really sees.

Each person's reference is made the way the ID card makes it (a 102×126 crop, JPEG-coded);
each live probe is the original photo after one realistic transformation (JPEG quality 30,
±30 % brightness, ±10° rotation, a hand or mask over part of the face, or all of these at
once). Genuine pairs compare a person's probes with their own reference, impostor pairs with
everyone else's. `evaluate` counts false accepts and false rejects at a threshold and gives
the score ranges. The default thresholds come from the East-Asian calibration in
`bench/bench_face_accuracy.py` (docs/face-calibration.md); this is the quick check on two faces.

`python -m kiosk.identity.evaluation` runs it on the demo photos.
"""
from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from kiosk.config import IdentitySettings
from kiosk.identity.matcher import FaceMatcher

Transform = Callable[[np.ndarray], np.ndarray]


def jpeg(rgb: np.ndarray, quality: int) -> np.ndarray:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=quality)
    buf.seek(0)
    with Image.open(buf) as im:
        return np.asarray(im.convert("RGB"))


def brightness(rgb: np.ndarray, factor: float) -> np.ndarray:
    return np.clip(rgb.astype(np.float32) * factor, 0, 255).astype(np.uint8)


def rotate(rgb: np.ndarray, degrees: float) -> np.ndarray:
    h, w = rgb.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), degrees, 1.0)
    return cv2.warpAffine(rgb, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


def face_box(rgb: np.ndarray) -> tuple[int, int, int, int]:
    """The largest face's box in dlib's convention (brows to chin), found by YuNet."""
    from kiosk.identity.engine import detector, dlib_box
    from kiosk.identity.matcher import upscaled

    img = upscaled(rgb)
    dets = detector().detect(img)
    if not dets:
        raise ValueError("no face in evaluation photo")
    f = rgb.shape[0] / float(img.shape[0])
    top, right, bottom, left = dlib_box(dets[0], img.shape[1], img.shape[0])
    return (int(top * f), int(right * f), int(bottom * f), int(left * f))


def occlude(rgb: np.ndarray, part: str = "mouth") -> np.ndarray:
    """A flat grey patch over the lower third of the face (mask) or one eye (a hand)."""
    top, right, bottom, left = face_box(rgb)
    out = rgb.copy()
    h = bottom - top
    w = right - left
    if part == "mouth":
        y0, y1, x0, x1 = top + int(0.62 * h), bottom + int(0.1 * h), left, right
    else:
        y0, y1, x0, x1 = top + int(0.15 * h), top + int(0.5 * h), left, left + int(0.45 * w)
    out[max(0, y0):y1, max(0, x0):x1] = (120, 128, 140)
    return out


def make_chip_photo(rgb: np.ndarray, quality: int = 60) -> np.ndarray:
    """A 102×126 ID-card-like photo: head and shoulders, face ~60 % of the width, JPEG-coded.

    The chip stores a heavily compressed image (WLT); JPEG at `quality` stands in for that loss.
    """
    top, right, bottom, left = face_box(rgb)
    fw = right - left
    cx, cy = (left + right) / 2.0, (top + bottom) / 2.0
    w = fw / 0.6
    h = w * 126.0 / 102.0
    x0, y0 = int(cx - w / 2), int(cy - 0.52 * h)
    pad = int(max(w, h))
    padded = cv2.copyMakeBorder(rgb, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
    crop = padded[y0 + pad:y0 + pad + int(h), x0 + pad:x0 + pad + int(w)]
    chip = cv2.resize(crop, (102, 126), interpolation=cv2.INTER_AREA)
    return jpeg(chip, quality)


def transformations() -> dict[str, Transform]:
    return {
        "original": lambda x: x,
        "jpeg_q30": lambda x: jpeg(x, 30),
        "brighter_30": lambda x: brightness(x, 1.3),
        "darker_30": lambda x: brightness(x, 0.7),
        "rotate_+10": lambda x: rotate(x, 10.0),
        "rotate_-10": lambda x: rotate(x, -10.0),
        "occlude_mouth": lambda x: occlude(x, "mouth"),
        "occlude_eye": lambda x: occlude(x, "eye"),
        "chip_size_live": lambda x: cv2.resize(make_chip_photo(x), (204, 252), interpolation=cv2.INTER_CUBIC),
        "combined": lambda x: rotate(brightness(jpeg(x, 30), 0.7), 10.0),
    }


def evaluate(photos: Mapping[str, np.ndarray], threshold: float | None = None) -> dict[str, Any]:
    """False accepts / false rejects over all genuine and impostor pairs of `photos`.

    `threshold` is a score of the configured engine (larger = stricter).
    """
    matcher = FaceMatcher(IdentitySettings(), threshold=threshold)
    refs = {name: matcher.encode_reference(make_chip_photo(img)) for name, img in photos.items()}
    rows: list[dict[str, Any]] = []
    for name, img in photos.items():
        for tname, tf in transformations().items():
            enc, faces = matcher.encode_live(tf(img))
            for ref_name, ref in refs.items():
                genuine = ref_name == name
                s = matcher.score(ref, enc) if enc is not None else None
                accepted = s is not None and matcher.matches(s)
                rows.append({"probe": name, "transform": tname, "reference": ref_name, "genuine": genuine,
                             "score": None if s is None else round(s, 4), "faces": faces,
                             "accepted": accepted})
    gen = [r for r in rows if r["genuine"]]
    imp = [r for r in rows if not r["genuine"]]
    gs = [r["score"] for r in gen if r["score"] is not None]
    iscores = [r["score"] for r in imp if r["score"] is not None]
    return {
        "engine": matcher.engine.name,
        "threshold": matcher.threshold,
        "genuine_pairs": len(gen),
        "impostor_pairs": len(imp),
        "false_rejects": sum(1 for r in gen if not r["accepted"]),
        "false_accepts": sum(1 for r in imp if r["accepted"]),
        "genuine_min_score": min(gs) if gs else None,
        "impostor_max_score": max(iscores) if iscores else None,
        "rows": rows,
    }


def demo_photos() -> dict[str, np.ndarray]:
    """The two public-domain photos shipped under resources/demo/faces."""
    from PIL import Image

    root = Path(__file__).resolve().parents[2] / "resources" / "demo" / "faces"
    out = {}
    for name in ("astronaut.png", "grace_hopper.jpg"):
        with Image.open(root / name) as im:
            out[name.split(".")[0]] = np.asarray(im.convert("RGB"))
    return out


def main(argv: list[str]) -> int:
    threshold = float(argv[0]) if argv else None
    report = evaluate(demo_photos(), threshold)
    for r in report["rows"]:
        kind = "genuine" if r["genuine"] else "impostor"
        print(f"{r['probe']:<13} {r['transform']:<15} vs {r['reference']:<13} {kind:<8} "
              f"s={r['score']!s:<7} {'ACCEPT' if r['accepted'] else 'reject'}")
    summary = {k: v for k, v in report.items() if k != "rows"}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
