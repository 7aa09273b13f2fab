"""Everything a session needs, built once per app start: settings, keys, devices, platform.

`build_context(..., demo=True)` wires the simulators, the demo applicant and (unless a platform
URL is configured or given) the embedded reference platform on loopback, started by the
`platform_factory` the composition root (`main.py`) passes down; otherwise `devices.factory`
picks real drivers. Every device gets its one owner thread here
(`ctx.devices`, `devices.owner.DeviceOwners`), and with real hardware a USB hot-plug monitor
wakes the owners. `close()` stops what was started, in reverse order.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from devices.base import (
    KINDS,
    Camera,
    DeviceError,
    DeviceInfo,
    DeviceState,
    DeviceUnavailable,
    Health,
    IdCardReader,
    Microphone,
    SignaturePad,
)
from devices.owner import DeviceOwners
from kiosk.config import Settings, StatePaths
from kiosk.errors import UserFacingError
from kiosk.security.keys import DeviceKeys
from kiosk.texts import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

SOFTWARE_VERSION = "0.1.0"


class EmbeddedPlatform(Protocol):
    """A platform started on loopback for a demo (`refplatform.embedded`, wired in by `main.py`)."""

    url: str
    data_dir: Path

    def close(self) -> None: ...


PlatformFactory = Callable[[Path], EmbeddedPlatform]


@dataclass
class KioskContext:
    settings: Settings
    paths: StatePaths
    keys: DeviceKeys
    demo: bool
    devices: DeviceOwners  # the only way to a device: rings and commands of its owner thread
    # the hardware objects behind the owners: for their `info` and the simulators' cables only;
    # calling open/read/close on them from anywhere but their owner is the bug the owners prevent
    camera: Camera
    microphone: Microphone
    idcard: IdCardReader
    signpad: SignaturePad
    platform_url: str
    client: Any  # kiosk.platform.PlatformClient
    outbox: Any  # kiosk.platform.Outbox
    uploader: Any  # kiosk.platform.Uploader
    speech_engine: Any | None = None  # kiosk.speech.SpeechEngine, None when the model is missing
    speech_problem: str = ""
    # demo: kiosk.session.demo_applicant.DemoApplicant; it acts through the simulated devices and
    # `applicant.attend(view)`, the view the runner is given; the runner never sees it
    applicant: Any | None = None
    embedded_platform: EmbeddedPlatform | None = None
    _closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        while self._closers:
            fn = self._closers.pop()
            try:
                fn()
            except Exception:  # noqa: BLE001 - closing the rest matters more than one failure
                log.exception("error while closing the kiosk context")

    @property
    def software_version(self) -> str:
        return SOFTWARE_VERSION


def speech_model_dir(settings: Settings, paths: StatePaths) -> Path:
    if settings.speech.model_path:
        return Path(settings.speech.model_path)
    return paths.models / "vosk-model-small-cn-0.22"


def _load_speech(settings: Settings, paths: StatePaths) -> tuple[Any | None, str]:
    from kiosk.speech import ModelMissing, load_engine

    try:
        return load_engine(speech_model_dir(settings, paths)), ""
    except ModelMissing as exc:
        log.info("speech model not available: %s", exc.detail or exc.message)
        return None, exc.message


def seed_cast(case_no: str) -> list[Any]:
    """The people of a demo case, from the reference platform's demo seed: each party's ID card
    (a legal person's agent's) and face. What they do at the kiosk is theirs to decide."""
    from devices.base import IdCardData
    from kiosk.platform.demo import demo_personas, demo_roles
    from kiosk.session.demo_applicant import DemoPerson

    personas = demo_personas(case_no)
    people = []
    for party_id, role in demo_roles(case_no).items():
        p = personas[party_id]
        card = IdCardData(name=p.name, sex=p.sex, nation=p.nation, birth=p.birth.replace("-", ""),
                          address=p.address, id_number=p.id_number, issuer=p.authority,
                          valid_from=p.valid_from.replace("-", ""), valid_to=p.valid_to.replace("-", ""))
        people.append(DemoPerson(role=role, name=p.name, card=card, photo=p.photo))
    return people


def install_demo_seals(seal_dir: Path) -> None:
    """The demo companies' seals (marked 演示专用) where a deployment keeps its configured ones,
    `<state>/seals/<credit code>.png`, so the session stamps them like real ones."""
    from kiosk.platform.demo import demo_companies
    from kiosk.signing.seal import demo_seal_png

    seal_dir.mkdir(parents=True, exist_ok=True)
    for name, code in demo_companies():
        target = seal_dir / f"{code}.png"
        if not target.exists():
            target.write_bytes(demo_seal_png(name, 400))


def _demo_devices(settings: Settings, cast: Callable[[str], list[Any]] | None
                  ) -> tuple[Camera, Microphone, IdCardReader, SignaturePad, Any]:
    from devices.audio.sim import SimulatedMicrophone
    from devices.camera.sim import SimulatedCamera
    from devices.idcard.sim import SimulatedIdCardReader
    from devices.signpad.sim import SimulatedSignaturePad
    from kiosk.session.demo_applicant import CounterScene, DemoApplicant

    d = settings.devices
    scene = CounterScene(d.camera_width, d.camera_height)
    camera = SimulatedCamera(scene, fps=float(d.camera_fps), realtime=True)
    mic = SimulatedMicrophone(None, rate=16000, realtime=True, noise_level=20.0)
    idcard = SimulatedIdCardReader(None)
    pad = SimulatedSignaturePad(realtime=False)
    applicant = DemoApplicant(scene, mic, idcard, pad, cast or seed_cast, fps=float(d.camera_fps))
    if cast is None:  # the demo's own cases: their people's faces looked up while the kiosk is idle
        from kiosk.platform.demo import demo_case_numbers

        for case_no in demo_case_numbers():
            applicant.prepare(case_no)
    return camera, mic, idcard, pad, applicant


class MissingDevice:
    """Stands in for a device kind that could not be constructed, so the app still starts and
    the session stops at the step that needs it with the factory's message and fix."""

    def __init__(self, kind: str, problem: DeviceError) -> None:
        self.info = DeviceInfo(kind=kind, name=QT_TRANSLATE_NOOP("kiosk", "未连接"), adapter="missing")
        self.problem = problem
        self.width_mm = self.height_mm = 0.0

    def _fail(self, *_args: Any, **_kwargs: Any) -> Any:
        raise DeviceUnavailable(self.problem.message, detail=self.problem.detail, fix=self.problem.fix)

    open = read = read_card = points = _fail

    def close(self) -> None:
        return None

    def health(self) -> Health:
        return Health(DeviceState.FAILED, self.problem.message, self.problem.fix)


def _real_devices(settings: Settings) -> tuple[Camera, Microphone, IdCardReader, SignaturePad]:
    from devices.factory import open_devices

    d = settings.devices
    chosen = open_devices(
        {"camera": d.camera, "microphone": d.microphone, "idcard": d.idcard, "signpad": d.signpad},
        demo=False, settings=d.model_dump())
    out: list[Any] = []
    for kind in KINDS:
        device = chosen[kind]
        if device is None:
            problem = chosen.problems.get(kind) or DeviceUnavailable(
                QT_TRANSLATE_NOOP("kiosk", "签字将在屏幕上进行") if kind == "signpad" else QT_TRANSLATE_NOOP("kiosk", "设备未连接"), detail=f"{kind}: none configured")
            device = MissingDevice(kind, problem)
        out.append(device)
    return out[0], out[1], out[2], out[3]


def _settle_interrupted_sessions(paths: StatePaths, keys: Any, outbox: Any, kiosk_id: str) -> None:
    """Sessions that a kill or a power cut interrupted go to the outbox when the kiosk starts, so
    their evidence uploads while the kiosk waits for its next applicant (see docs/architecture.md)."""
    from kiosk.session.recovery import recover_sessions

    try:
        recovered = recover_sessions(paths.sessions, keys=keys, outbox=outbox, kiosk_id=kiosk_id,
                                     software_version=SOFTWARE_VERSION)
    except Exception:  # noqa: BLE001 - the kiosk must still start; the next session tries again
        log.exception("recovery of interrupted sessions at start failed")
        return
    if recovered:
        log.warning("interrupted sessions queued at start: %d", len(recovered))


def build_context(settings: Settings, paths: StatePaths, *, demo: bool, platform_url: str | None = None,
                  enrol_code: str | None = None, platform_factory: PlatformFactory | None = None,
                  cast: Callable[[str], list[Any]] | None = None) -> KioskContext:
    """`cast` (demo only): case number → the `DemoPerson`s who come for it; default: the seed's."""
    from kiosk.platform import Outbox, PlatformClient, Uploader

    closers: list[Callable[[], None]] = []
    keys = DeviceKeys(paths.keys, sealing=settings.crypto.key_sealing, tcti=settings.crypto.tpm_tcti,
                      profile=settings.crypto.profile)
    url = platform_url or settings.platform.url
    embedded = None
    if not url:
        if not demo:
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "未配置中心平台地址，请技术人员在设置中填写平台地址"), detail="platform.url empty")
        if platform_factory is None:
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "演示模式需要内置的参考平台，请用 main.py 启动"),
                                  detail="demo without platform url and without a platform factory")
        embedded = platform_factory(paths.platform_data)
        url = embedded.url
        closers.append(embedded.close)
    client = PlatformClient(url, settings.platform, keys, settings.kiosk_id, paths.keys)
    if demo:  # accepted only by a platform started for a demo (`platform-emulator --demo`, the embedded one)
        from kiosk.platform.demo import DEMO_ENROL_CODE

        enrol_code = enrol_code or DEMO_ENROL_CODE
    try:
        client.ensure_enrolled(enrol_code)
    except UserFacingError as exc:
        if keys.certificate() is None:
            raise
        log.warning("enrolment check failed, working offline with the stored certificate: %s", exc.detail)
    outbox = Outbox(paths.outbox, keys.cipher())
    closers.append(getattr(outbox, "close", lambda: None))
    _settle_interrupted_sessions(paths, keys, outbox, settings.kiosk_id)
    applicant = None
    if demo:
        camera, mic, idcard, pad, applicant = _demo_devices(settings, cast)
        install_demo_seals(paths.root / "seals")
        closers.append(applicant.close)
        owners = DeviceOwners.start(camera, mic, idcard, pad, max_retry_s=1.0)
        closers.append(owners.stop)
    else:
        from devices.owner import HotplugMonitor

        camera, mic, idcard, pad = _real_devices(settings)
        owners = DeviceOwners.start(camera, mic, idcard, pad)
        closers.append(owners.stop)
        closers.append(HotplugMonitor(owners).start().stop)
    engine, problem = _load_speech(settings, paths)

    def health() -> dict[str, Any]:
        out: dict[str, Any] = {}
        for owner in owners.all():
            h = owner.health
            out[owner.kind] = {"state": h.state.value, "message": h.message, "adapter": owner.info.adapter}
        out["speech_model"] = "ok" if engine is not None else "missing"
        return out

    uploader = Uploader(outbox, client, retention_days=settings.session.retention_days, health=health)
    closers.append(uploader.stop)  # before the outbox closes under its thread (closers run in reverse)
    return KioskContext(settings=settings, paths=paths, keys=keys, demo=demo, devices=owners, camera=camera,
                        microphone=mic,
                        idcard=idcard, signpad=pad, platform_url=url, client=client, outbox=outbox,
                        uploader=uploader, speech_engine=engine, speech_problem=problem, applicant=applicant,
                        embedded_platform=embedded, _closers=closers)
