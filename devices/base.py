"""The small interfaces every device adapter implements, real driver or simulator alike.

`kiosk` talks to hardware only through these classes, so that the session flow runs the same
with real drivers, simulators, or headless. Nothing here imports Qt or `kiosk`.
"""
from __future__ import annotations

import abc
import enum
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the UI imports these interfaces before its first paint
    import numpy as np

KINDS = ("camera", "microphone", "idcard", "signpad")


class DeviceError(Exception):
    """A device failed in a way a person can act on.

    `message` is plain Chinese for staff/applicant; `detail` is for the technician's log;
    `fix` says what to do (install a library, replug, udev rule…).
    """

    def __init__(self, message: str, *, detail: str = "", fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.fix = fix


class DeviceUnavailable(DeviceError):
    """The device (or its vendor library / permission) is not there."""


class DeviceDisconnected(DeviceError):
    """The device was there and went away (pulled cable); it may come back."""


class DeviceState(enum.Enum):
    CLOSED = "closed"
    OPEN = "open"
    DISCONNECTED = "disconnected"
    FAILED = "failed"


@dataclass(frozen=True)
class DeviceInfo:
    kind: str  # camera | microphone | idcard | signpad
    name: str
    adapter: str
    vendor_id: int | None = None
    product_id: int | None = None
    path: str = ""
    simulated: bool = False


@dataclass
class Health:
    state: DeviceState
    message: str = ""
    fix: str = ""
    counters: dict[str, int | float] = field(default_factory=dict)


# ---------------------------------------------------------------- camera

@dataclass(frozen=True)
class Frame:
    """One camera frame: RGB uint8 (h, w, 3), a monotonic timestamp in seconds, a sequence no."""

    image: np.ndarray
    t: float
    seq: int


class Camera(abc.ABC):
    """A frame source. `read()` runs on the device's owner thread only (`devices.owner`)."""

    info: DeviceInfo
    width: int
    height: int
    fps: float

    @abc.abstractmethod
    def open(self) -> None: ...

    @abc.abstractmethod
    def read(self, timeout: float = 1.0) -> Frame:
        """Block until the next frame. Raises DeviceDisconnected / DeviceError."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def health(self) -> Health:
        return Health(DeviceState.OPEN)


# ---------------------------------------------------------------- microphone

@dataclass(frozen=True)
class AudioChunk:
    """Mono 16-bit PCM at `rate`; `t` is the capture time (monotonic seconds) of sample 0."""

    pcm: np.ndarray  # int16, shape (n,)
    t: float
    rate: int = 16000


class Microphone(abc.ABC):
    info: DeviceInfo
    rate: int = 16000

    @abc.abstractmethod
    def open(self) -> None: ...

    @abc.abstractmethod
    def read(self, timeout: float = 1.0) -> AudioChunk:
        """Block until the next chunk (about 100 ms). Raises DeviceDisconnected / DeviceError."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def health(self) -> Health:
        return Health(DeviceState.OPEN)


# ---------------------------------------------------------------- ID card

@dataclass(frozen=True)
class IdCardData:
    """The base message of a 二代身份证 chip, decoded."""

    name: str
    sex: str
    nation: str
    birth: str  # YYYYMMDD
    address: str
    id_number: str
    issuer: str
    valid_from: str  # YYYYMMDD
    valid_to: str  # YYYYMMDD or 长期
    photo_rgb: np.ndarray | None = None  # decoded chip photo (102x126) when the vendor lib decodes WLT
    # "chip" | "none" (no decoder) | "chip_rejected" (decoded image is not a face: use the platform photo)
    photo_source: str = "none"
    card_type: str = "resident"  # "resident" (居民身份证) | "gat_residence" ('J' 港澳台居民居住证)

    def __repr__(self) -> str:  # never print personal data by accident
        return f"IdCardData(name=*, id_number=*, photo={self.photo_source})"


class IdCardReader(abc.ABC):
    info: DeviceInfo

    @abc.abstractmethod
    def open(self) -> None: ...

    @abc.abstractmethod
    def read_card(self, timeout: float = 10.0) -> IdCardData:
        """Wait for a card on the reader and read it. Raises TimeoutError when none came."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def health(self) -> Health:
        return Health(DeviceState.OPEN)


# ---------------------------------------------------------------- signature pad

@dataclass(frozen=True)
class PenPoint:
    """One pen sample in pad-normalised coordinates (0..1, origin top-left)."""

    x: float
    y: float
    t: float  # seconds, monotonic
    pressure: float  # 0..1
    down: bool = True
    tilt_x: float = 0.0
    tilt_y: float = 0.0


class PadEvent(enum.Enum):
    CONFIRM = "confirm"
    CLEAR = "clear"
    CANCEL = "cancel"


class SignaturePad(abc.ABC):
    info: DeviceInfo
    width_mm: float = 0.0
    height_mm: float = 0.0

    @abc.abstractmethod
    def open(self) -> None: ...

    @abc.abstractmethod
    def points(self, stop: threading.Event) -> Iterator[PenPoint | PadEvent]:
        """Yield pen points and button events until `stop` is set or CONFIRM came."""

    def show_image(self, rgb: np.ndarray) -> None:  # noqa: B027 - optional: pads without a screen ignore it
        """Show what is being signed on the pad's own screen, where it has one."""

    def clear(self) -> None:  # noqa: B027 - optional: a pad without stored ink has nothing to clear
        """Clear the pad's ink."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def health(self) -> Health:
        return Health(DeviceState.OPEN)


Listener = Callable[[DeviceInfo, Health], None]
