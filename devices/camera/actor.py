"""A synthetic applicant: a face photo composed into a scene that can really blink, turn, nod
and open its mouth — in the pixels only.

Demos and tests need a "person" in front of a simulated camera who answers a liveness
challenge. The actor never tells the detector anything: every action is drawn into the image
(eyelids painted over the eyes located by dlib landmarks, a depth-aware warp of the head for
turns and nods, the jaw region stretched and the mouth painted open), so the liveness code
sees exactly what a camera would show it. The landmark model is used only to know where to
paint, once, on the still photo.

Frame time is virtual (`seq / fps`), so a test can run a 10-second challenge in a fraction of
that and two runs with the same seed give the same pixels.
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from devices.base import DeviceError, Frame
from devices.texts import QT_TRANSLATE_NOOP

SUPPORTED_ACTIONS = ("blink", "turn_left", "turn_right", "open_mouth", "nod")

# seconds each action takes; turns and nods ease in, hold and ease out
_DURATION_S = {"blink": 0.6, "turn_left": 1.6, "turn_right": 1.6, "open_mouth": 1.5, "nod": 1.4}


# composed scenes by (photo digest, shape, size, face share): composing runs the face detector
_SCENES: dict[tuple[object, ...], tuple[np.ndarray, np.ndarray]] = {}
_SCENES_KEPT = 8  # ≈ 1 MB each


@dataclass
class _Active:
    action: str
    start: int  # frame number the action starts at
    frames: int


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def _find_face(rgb: np.ndarray) -> tuple[tuple[int, int, int, int], np.ndarray]:
    """Largest face (top, right, bottom, left) and its 68 landmarks, via face_recognition's dlib models."""
    import dlib
    import face_recognition.api as fr

    locs = fr.face_locations(rgb, number_of_times_to_upsample=1)
    if not locs:
        raise DeviceError(QT_TRANSLATE_NOOP("kiosk", "演示用人像照片中没有找到人脸"), detail="SyntheticApplicant: no face in the photo")
    top, right, bottom, left = max(locs, key=lambda b: (b[1] - b[3]) * (b[2] - b[0]))
    shape = fr.pose_predictor_68_point(rgb, dlib.rectangle(left, top, right, bottom))
    pts = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
    return (top, right, bottom, left), pts


class SyntheticApplicant(Iterator[np.ndarray]):
    """An endless RGB uint8 frame source showing `face_rgb` as a person in front of a wall."""

    def __init__(self, face_rgb: np.ndarray, size: tuple[int, int] = (640, 480), fps: float = 25.0,
                 seed: int = 0, *, face_share: float = 0.3, noise: float = 2.0) -> None:
        face_rgb = np.ascontiguousarray(np.asarray(face_rgb, dtype=np.uint8)[..., :3])
        self.width, self.height = int(size[0]), int(size[1])
        self.fps = float(fps)
        self.seq = 0
        self._rng = np.random.default_rng(seed)
        self._noise = noise
        self._active: _Active | None = None
        self._drift = np.zeros(3)  # dx, dy, angle: a slow random walk = a person standing still
        key = (hashlib.sha1(face_rgb.tobytes()).hexdigest(), face_rgb.shape, self.width, self.height, face_share)
        scene = _SCENES.get(key)
        if scene is None:
            scene = self._compose(face_rgb, face_share)
            # a case's people (a few photos) stay composed: finding a face holds the GIL for
            # 100–150 ms, too long to repeat when the next party steps up; memory stays flat
            if len(_SCENES) >= _SCENES_KEPT:
                _SCENES.pop(next(iter(_SCENES)))
            _SCENES[key] = scene
        self._base, self._pts = scene
        self._skin = self._skin_colour()
        self._head_maps: dict[tuple[str, float], tuple[np.ndarray, np.ndarray]] = {}
        self._jaw: np.ndarray | None = None
        # warps only touch the head and shoulders: work on that region, not the whole frame
        p = self._pts
        fw = float(np.linalg.norm(p[0] - p[16]))
        hcx, hcy = p[[0, 16], 0].mean(), (p[27, 1] + p[8, 1]) / 2.0
        self._roi = (max(0, int(hcy - 1.5 * fw)), min(self.height, int(hcy + 1.6 * fw)),
                     max(0, int(hcx - 1.25 * fw)), min(self.width, int(hcx + 1.25 * fw)))
        y0, y1, x0, x1 = self._roi
        self._yy, self._xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        # a small bank of sensor noise, offset at random per frame (fresh noise per frame is slow)
        self._noise_bank = [self._rng.normal(0, noise, (self.height, self.width, 3)).astype(np.float32)
                            for _ in range(3)] if noise > 0 else []

    # ------------------------------------------------------------------ scene
    def _compose(self, face_rgb: np.ndarray, face_share: float) -> tuple[np.ndarray, np.ndarray]:
        (top, right, bottom, left), _ = _find_face(face_rgb)
        fw = right - left
        cx, cy = (left + right) / 2.0, (top + bottom) / 2.0
        scale = face_share * self.width / max(1, fw)
        ph, pw = face_rgb.shape[:2]
        photo = cv2.resize(face_rgb, (max(1, int(pw * scale)), max(1, int(ph * scale))),
                           interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
        # a plain wall with a gentle gradient and a door frame: what a counter's camera sees
        wall = np.empty((self.height, self.width, 3), np.float32)
        grad = np.linspace(0.92, 1.05, self.height, dtype=np.float32)[:, None]
        wall[...] = np.array([196, 190, 178], np.float32) * grad[..., None]
        cv2.rectangle(wall, (int(self.width * 0.78), int(self.height * 0.1)),
                      (int(self.width * 0.97), self.height), (150, 120, 95), -1)
        wall_rng = np.random.default_rng(1234)  # the same wall for every seed, so scenes can be reused
        texture = cv2.GaussianBlur(wall_rng.normal(0, 6, (self.height, self.width)).astype(np.float32), (0, 0), 3)
        wall += texture[..., None]
        # place the photo so that the face centre lands slightly above the frame centre
        ox = int(self.width / 2 - cx * scale)
        oy = int(self.height * 0.45 - cy * scale)
        canvas = wall.copy()
        x0, y0 = max(0, ox), max(0, oy)
        x1, y1 = min(self.width, ox + photo.shape[1]), min(self.height, oy + photo.shape[0])
        if x1 <= x0 or y1 <= y0:
            raise DeviceError(QT_TRANSLATE_NOOP("kiosk", "演示用人像照片无法放入画面"), detail="SyntheticApplicant: photo outside frame")
        patch = photo[y0 - oy:y1 - oy, x0 - ox:x1 - ox].astype(np.float32)
        # soft oval matte around head and shoulders so the photo's own background fades into the wall
        hh, ww = patch.shape[:2]
        yy, xx = np.mgrid[0:hh, 0:ww].astype(np.float32)
        fcx, fcy = cx * scale - (x0 - ox), cy * scale - (y0 - oy)
        rx, ry = fw * scale * 1.6, fw * scale * 2.4
        d = ((xx - fcx) / rx) ** 2 + ((yy - fcy) / ry) ** 2
        alpha = _smoothstep((1.25 - d) / 0.5)[..., None]
        canvas[y0:y1, x0:x1] = patch * alpha + canvas[y0:y1, x0:x1] * (1 - alpha)
        base = np.clip(canvas, 0, 255).astype(np.uint8)
        _, pts = _find_face(base)
        return base, pts

    def _skin_colour(self) -> np.ndarray:
        """Median colour of both cheeks, for painting eyelids."""
        p = self._pts
        samples = []
        for a, b in ((2, 31), (14, 35)):
            x, y = ((p[a] + p[b]) / 2.0).astype(int)
            r = max(2, int(np.linalg.norm(p[0] - p[16]) * 0.03))
            samples.append(self._base[max(0, y - r):y + r, max(0, x - r):x + r].reshape(-1, 3))
        return np.median(np.concatenate(samples), axis=0)

    @property
    def landmarks(self) -> np.ndarray:
        """Where the face's landmarks are in the still scene (for placing, not for detecting)."""
        return self._pts.copy()

    # ------------------------------------------------------------------ acting
    def perform(self, action: str) -> float:
        """Start `action` at the next frame; returns its duration in seconds."""
        if action not in SUPPORTED_ACTIONS:
            raise ValueError(f"unknown action {action!r}; supported: {', '.join(SUPPORTED_ACTIONS)}")
        frames = max(2, int(round(_DURATION_S[action] * self.fps)))
        self._active = _Active(action, self.seq, frames)
        return frames / self.fps

    @property
    def busy(self) -> bool:
        a = self._active
        return a is not None and self.seq < a.start + a.frames

    def __iter__(self) -> SyntheticApplicant:
        return self

    def __next__(self) -> np.ndarray:
        img = self._base
        a = self._active
        if a is not None:
            phase = (self.seq - a.start) / a.frames
            if 0.0 <= phase < 1.0:
                img = self._act(img, a.action, phase)
            elif phase >= 1.0:
                self._active = None
        img = self._sway(img)
        self.seq += 1
        return img

    def next_frame(self) -> Frame:
        """The next image as a camera `Frame`, timed on the virtual clock."""
        seq = self.seq
        return Frame(image=next(self), t=seq / self.fps, seq=seq)

    def _act(self, img: np.ndarray, action: str, phase: float) -> np.ndarray:
        if action == "blink":
            # lids close over the middle half of the action and open again
            closure = float(_smoothstep(np.array(1.0 - abs(phase - 0.5) / 0.3)))
            return self._paint_eyelids(img, closure)
        if action in ("turn_left", "turn_right", "nod"):
            if action == "nod":
                strength = math.sin(math.pi * phase)  # down and back up
                angle = 22.0 * strength
            else:
                strength = float(_smoothstep(np.array(min(phase / 0.3, (1.0 - phase) / 0.3))))
                angle = (28.0 if action == "turn_left" else -28.0) * strength
            return self._rotate_head(img, "pitch" if action == "nod" else "yaw", angle)
        # open_mouth
        strength = float(_smoothstep(np.array(min(phase / 0.25, (1.0 - phase) / 0.25))))
        return self._open_mouth(img, strength)

    # ------------------------------------------------------------------ drawing
    def _paint_eyelids(self, img: np.ndarray, closure: float) -> np.ndarray:
        if closure <= 0.02:
            return img
        y0, y1, x0, x1 = self._box_around(self._pts[36:48], margin=12)
        sub = img[y0:y1, x0:x1]
        out: np.ndarray = sub.astype(np.float32)
        p = self._pts - np.array([x0, y0], np.float64)
        lid: np.ndarray = np.zeros(sub.shape[:2], np.float32)
        lash: np.ndarray = np.zeros(sub.shape[:2], np.float32)
        for s in (slice(36, 42), slice(42, 48)):
            eye = p[s]
            upper = eye[[0, 1, 2, 3]]
            lower = eye[[0, 5, 4, 3]]
            # the lid: from just above the upper lid line down to where it has closed to
            lid_edge = upper + closure * (lower - upper) + np.array([0.0, 1.0])
            above = upper - np.array([0.0, max(2.0, 0.35 * np.linalg.norm(eye[0] - eye[3]) * 0.4)])
            poly = np.vstack([above, lid_edge[::-1]]).astype(np.int32)
            cv2.fillPoly(lid, [poly], 1.0, lineType=cv2.LINE_AA)
            cv2.polylines(lash, [lid_edge.astype(np.int32)], False, closure, thickness=2, lineType=cv2.LINE_AA)
        lid = cv2.GaussianBlur(lid, (0, 0), 0.8)[..., None]
        shade = self._skin * 0.92
        out = out * (1 - lid) + shade * lid
        lash = cv2.GaussianBlur(lash, (0, 0), 0.6)[..., None]
        out = out * (1 - 0.75 * lash) + np.array([40.0, 30.0, 28.0]) * 0.75 * lash
        res = img.copy()
        res[y0:y1, x0:x1] = np.clip(out, 0, 255).astype(np.uint8)
        return res

    def _rotate_head(self, img: np.ndarray, axis: str, angle_deg: float) -> np.ndarray:
        """Warp the head as a rotating ellipsoid with a protruding nose (out of plane)."""
        if abs(angle_deg) < 0.3:
            return img
        key = (axis, float(round(angle_deg)))
        maps = self._head_maps.get(key)
        if maps is None:
            maps = self._head_warp(axis, math.radians(key[1]))
            if len(self._head_maps) > 256:
                self._head_maps.clear()
            self._head_maps[key] = maps
        return self._remap_roi(img, maps[0], maps[1])

    def _box_around(self, pts: np.ndarray, margin: int) -> tuple[int, int, int, int]:
        """(y0, y1, x0, x1) of the points plus a margin, inside the frame: paint only there."""
        x0, y0 = (pts.min(axis=0) - margin).astype(int)
        x1, y1 = (pts.max(axis=0) + margin).astype(int)
        return max(0, y0), min(self.height, y1), max(0, x0), min(self.width, x1)

    def _remap_roi(self, img: np.ndarray, map_x: np.ndarray, map_y: np.ndarray) -> np.ndarray:
        y0, y1, x0, x1 = self._roi
        out = img.copy()
        out[y0:y1, x0:x1] = cv2.remap(img, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        return out

    def _head_warp(self, axis: str, theta: float) -> tuple[np.ndarray, np.ndarray]:
        p = self._pts
        fw = float(np.linalg.norm(p[0] - p[16]))
        cx = float(p[[0, 16], 0].mean())
        cy = float((p[27, 1] + p[8, 1]) / 2.0)
        rx, ry = 0.7 * fw, 0.9 * fw
        nose_x, nose_y = p[30]
        bridge_top = p[27]

        def depth(x: np.ndarray, y: np.ndarray) -> np.ndarray:
            # a parabolic (not spherical) profile: its slope stays finite at the rim, so the
            # warp never folds over at the cheeks
            e = 1.0 - ((x - cx) / rx) ** 2 - ((y - cy) / ry) ** 2
            z = 0.42 * fw * np.clip(e, 0.0, None)
            # the nose: a ridge from the bridge to the tip, highest at the tip, smooth at both ends
            t = np.clip((y - bridge_top[1]) / max(1.0, nose_y - bridge_top[1]), 0.0, 1.0)
            ridge_x = bridge_top[0] + t * (nose_x - bridge_top[0])
            gy = (_smoothstep((y - bridge_top[1] + 0.08 * fw) / (0.12 * fw))
                  * _smoothstep((nose_y + 0.1 * fw - y) / (0.1 * fw)))
            bump = 0.2 * fw * (0.4 + 0.6 * t) * gy * np.exp(-((x - ridge_x) ** 2) / (2 * (0.08 * fw) ** 2))
            return np.asarray(z + bump, dtype=np.float32)

        def weight(x: np.ndarray, y: np.ndarray) -> np.ndarray:
            d = np.sqrt(((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2)
            return np.asarray(_smoothstep((1.5 - d) / 0.6), dtype=np.float32)

        # the field is smooth: solve it on every other pixel and interpolate up
        gx, gy0 = self._xx[::2, ::2], self._yy[::2, ::2]
        xs, ys = gx.copy(), gy0.copy()
        c, s = math.cos(theta), math.sin(theta)
        # invert the forward map x' = x + w(x)·[(x-cx)(cos θ - 1) + z(x) sin θ] by fixed-point iteration
        for _ in range(5):
            w = weight(xs, ys)
            z = depth(xs, ys)
            if axis == "yaw":
                disp = w * ((xs - cx) * (c - 1.0) + z * s)
                xs = gx - disp
            else:
                disp = w * ((ys - cy) * (c - 1.0) + z * s)
                ys = gy0 - disp
        size = (self._xx.shape[1], self._xx.shape[0])
        full_dx = cv2.resize((xs - gx).astype(np.float32), size, interpolation=cv2.INTER_LINEAR)
        full_dy = cv2.resize((ys - gy0).astype(np.float32), size, interpolation=cv2.INTER_LINEAR)
        return self._xx + full_dx, self._yy + full_dy

    def _open_mouth(self, img: np.ndarray, strength: float) -> np.ndarray:
        if strength <= 0.02:
            return img
        p = self._pts
        fw = float(np.linalg.norm(p[0] - p[16]))
        gap = 0.16 * fw * strength
        lip_line = float((p[62, 1] + p[66, 1]) / 2.0)
        mcx = float((p[48, 0] + p[54, 0]) / 2.0)
        chin = float(p[8, 1])
        half_w = float(p[54, 0] - p[48, 0]) * 0.9 + 0.1 * fw
        # the lower lip and jaw move down; the neck below stays where it is
        if self._jaw is None:  # the jaw's displacement profile, scaled by the gap below
            wx = np.exp(-(((self._xx - mcx) / half_w) ** 2) * 1.5)
            ramp_in = _smoothstep((self._yy - lip_line) / 2.0)
            ramp_out = _smoothstep((chin + 0.25 * fw - self._yy) / (0.25 * fw))
            self._jaw = (wx * ramp_in * ramp_out).astype(np.float32)
        out = self._remap_roi(img, self._xx, self._yy - np.float32(gap) * self._jaw)
        # the opening: between the upper inner lip and the displaced lower inner lip
        y0, y1, x0, x1 = self._box_around(self._pts[48:68], margin=int(gap) + 8)
        p = self._pts - np.array([x0, y0], np.float64)
        sub = out[y0:y1, x0:x1]
        upper = p[[60, 61, 62, 63, 64]]
        lower = p[[64, 65, 66, 67, 60]].copy()
        lower[1:4, 1] += gap * 0.95
        lower[[0, 4], 1] += gap * 0.15
        poly = np.vstack([upper, lower]).astype(np.int32)
        mask: np.ndarray = np.zeros(sub.shape[:2], np.float32)
        cv2.fillPoly(mask, [poly], 1.0, lineType=cv2.LINE_AA)
        mask = cv2.GaussianBlur(mask, (0, 0), 0.8)[..., None]
        inside = np.array([70.0, 22.0, 28.0], np.float32)
        res = sub.astype(np.float32) * (1 - mask) + inside * mask
        out[y0:y1, x0:x1] = np.clip(res, 0, 255).astype(np.uint8)
        return out

    def _sway(self, img: np.ndarray) -> np.ndarray:
        """Small natural motion (a slow random walk) plus sensor noise."""
        self._drift = 0.92 * self._drift + self._rng.normal(0, [0.6, 0.4, 0.08])
        dx, dy, ang = self._drift
        m = cv2.getRotationMatrix2D((self.width / 2.0, self.height * 0.45), float(ang), 1.0)
        m[:, 2] += np.array([dx, dy])
        moved = cv2.warpAffine(img, m, (self.width, self.height), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REFLECT)
        if self._noise <= 0:
            return moved
        bank = self._noise_bank[int(self._rng.integers(len(self._noise_bank)))]
        noise = np.roll(bank, int(self._rng.integers(self.width)), axis=1)
        return np.clip(moved.astype(np.float32) + noise, 0, 255).astype(np.uint8)
