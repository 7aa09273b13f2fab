"""The app shell: one entry (`run_app`) for the kiosk, counter and technician faces.

Builds the QApplication (fonts, translation, style, crash hooks), loads the settings, starts
the session context in the background and opens the window of the chosen mode:
  kiosk       the applicant window, frameless full screen, locked (`--windowed` for development)
  counter     the staff window, plus the customer window on `ui.customer_screen` when present
  technician  the technician console behind the PIN
`--demo` wires the simulators and the embedded reference platform (`build_context(demo=True)`)
and pre-sets the demo technician PIN.
"""
from __future__ import annotations

import gc
import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from kiosk.config import Settings, StatePaths, load_config
from kiosk.errors import UserFacingError
from kiosk.logs import setup_logging
from kiosk.security.device_audit import device_audit
from kiosk.security.pin import DEMO_PIN, PinStore
from ui import theme
from ui.kiosk_texts import kiosk_text

log = logging.getLogger(__name__)

I18N = theme.RESOURCES / "i18n"
_translators: list[QTranslator] = []
_language = ["zh_CN"]  # what install_translation last installed


def install_translation(app: QCoreApplication, language: str) -> bool:
    """Load `bdc_kiosk_<language>.qm`. zh_CN is the source language: no file needed for it.
    Installing (or removing) a translator sends every widget a LanguageChange event."""
    for t in _translators:
        app.removeTranslator(t)
    _translators.clear()
    _language[0] = "zh_CN"
    if language.startswith("zh"):
        return True
    tr = QTranslator(app)
    ok = tr.load(str(I18N / f"bdc_kiosk_{language}.qm"))
    if ok:
        app.installTranslator(tr)
        _translators.append(tr)
        _language[0] = language
    else:
        log.warning("translation %s not found; showing Chinese", language)
    return ok


def installed_language() -> str:
    """The language the UI shows now ("zh_CN" or "en")."""
    return _language[0]


def switch_language(language: str) -> bool:
    """Change the UI language while the app runs (the welcome screen's language button)."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    QLocale.setDefault(QLocale(language))
    return install_translation(app, language)


GUI_SWITCH_INTERVAL_S = 0.001


def make_application(settings: Settings, argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or [sys.argv[0]])
    app.setApplicationName("bdc-kiosk")
    app.setOrganizationName("luohe-bdc")
    app.setFont(theme.app_font(theme.body_pt(settings.ui.font_pt)))
    QLocale.setDefault(QLocale(settings.ui.language))
    install_translation(app, settings.ui.language)
    # the GUI thread shares the GIL with the camera, recorder, presence and ASR threads: a
    # waiting thread asks the holder to let go after this interval (5 ms by default). 1 ms
    # halves the GUI's p99 wait in bench_app (bench/README.md, GUI stalls)
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    return app


def install_excepthook(parent: QWidget | None = None) -> None:
    """Bugs on the GUI thread: logged with traceback, a generic Chinese message on screen."""
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        logging.getLogger("kiosk.crash").error("uncaught exception on the GUI thread",
                                               exc_info=(exc_type, exc, tb))
        if isinstance(exc, UserFacingError):
            text = kiosk_text(exc.message)
        else:
            text = QCoreApplication.translate("app", "系统出现故障，请联系窗口工作人员。故障已记录。")
        if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
            sys.stderr.write("".join(traceback.format_exception(exc_type, exc, tb)))
            return
        box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("app", "出错了"), text,
                          QMessageBox.StandardButton.Ok, parent)
        box.open()

    sys.excepthook = hook


def _context_factory(settings: Settings, paths: StatePaths, demo: bool,
                     platform_factory: Callable[[Path], Any] | None = None) -> Any:
    def build() -> Any:
        from kiosk.session.context import build_context

        return build_context(settings, paths, demo=demo, platform_factory=platform_factory)
    return build


def _use_virtual_keyboard() -> None:
    """Touch-only kiosk: text fields get Qt's virtual keyboard (pinyin for Chinese) when installed."""
    if "QT_IM_MODULE" in os.environ:
        return
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforminputcontexts"
    if any(plugin.glob("*qtvirtualkeyboard*")):
        os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
        os.environ.setdefault("QT_VIRTUALKEYBOARD_DESIRED_LOCALES", "zh_CN,en_US")


def build_windows(mode: str, settings: Settings, paths: StatePaths, *, demo: bool, windowed: bool,
                  context_factory: Any = None,
                  platform_factory: Callable[[Path], Any] | None = None) -> dict[str, Any]:
    """Create the windows of `mode` (without entering the event loop); tests use this too."""
    from ui.session_bridge import QtSessionView
    from ui.session_control import SessionControl
    from ui.voice import Voice

    audit = device_audit(paths, settings.kiosk_id)
    pin_store = PinStore.for_state(paths.keys, audit=lambda kind, **fields: audit.append(kind, **fields))
    if demo and not pin_store.is_set():
        pin_store.set_pin(DEMO_PIN)
    voice = Voice(enabled=settings.speech.tts and os.environ.get("QT_QPA_PLATFORM") != "offscreen")
    view = QtSessionView(speaks=voice.enabled)
    control = SessionControl(view, context_factory or _context_factory(settings, paths, demo, platform_factory))
    out: dict[str, Any] = {"view": view, "control": control, "voice": voice, "pin_store": pin_store}

    def technician() -> QWidget:
        from ui.technician.console import TechnicianConsole

        shell = out.get("main") if mode == "kiosk" else None
        console = TechnicianConsole(settings, paths, control=control, demo=demo,
                                    on_exit=getattr(shell, "leave_kiosk", None))
        out["technician"] = console
        return console

    if mode == "kiosk":
        from ui.kiosk.shell import KioskShell

        shell = KioskShell(control, voice, pin_store=pin_store, demo=demo,
                           intake_idle_s=settings.session.idle_timeout_s, technician_factory=technician,
                           locked=not windowed)
        shell.setStyleSheet(theme.stylesheet(settings.ui.font_pt))
        out["main"] = shell
    elif mode == "counter":
        from ui.counter.staff_window import StaffWindow

        staff = StaffWindow(control, voice, settings, demo=demo)
        out["main"] = staff
        out["customer"] = staff.customer
    else:
        from ui.technician.gate import TechnicianGate

        gate = TechnicianGate(pin_store, demo=demo, console_factory=technician)
        out["main"] = gate
    # the applicant's pages beyond the first screen are built after the first paint too
    applicants: list[Any] = [w for w in (getattr(out["main"], "applicant", None), out.get("customer"))
                             if w is not None and hasattr(w, "build_all_pages")]

    def after_first_paint() -> None:
        gc.enable()  # off while the modules loaded (main._run)
        control.prepare()
        for window in applicants:
            window.build_all_pages()

    _prepare_after_first_paint(out["main"], after_first_paint)
    return out


def _prepare_after_first_paint(window: QWidget, prepare: Callable[[], None], fallback_ms: int = 2000) -> None:
    """Start building the context once `window` has painted (or after `fallback_ms` if it is
    never shown): the build's imports (numpy, cv2, the evidence and crypto stacks) hold the GIL
    and would otherwise race the GUI thread to the kiosk's first paint."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    started = [False]

    def once() -> None:
        if not started[0]:
            started[0] = True
            try:
                window.removeEventFilter(watcher)
            except RuntimeError:  # the window was closed (deleted) before it ever painted
                return
            prepare()

    class _FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, once)
            return False

    watcher = _FirstPaint(window)
    window.installEventFilter(watcher)
    QTimer.singleShot(fallback_ms, once)


def show_windows(windows: dict[str, Any], mode: str, settings: Settings, *, windowed: bool) -> None:
    from PySide6.QtCore import Qt

    main = windows["main"]
    if mode == "kiosk" and not windowed:
        main.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        screen = QApplication.primaryScreen()
        if screen is not None:
            # without a window manager (a bare X session on the kiosk) full screen is only a hint
            main.setGeometry(screen.geometry())
        main.showFullScreen()
    elif mode == "kiosk":
        main.resize(1280, 800)
        main.show()
    else:
        main.show()
    customer = windows.get("customer")
    if customer is not None:
        screens = QApplication.screens()
        index = settings.ui.customer_screen
        if 0 <= index < len(screens) and len(screens) > 1 and not windowed:
            customer.setScreen(screens[index])
            customer.setGeometry(screens[index].geometry())
            customer.showFullScreen()
            # the staff get the whole of their own screen (a bare X session has no window manager)
            own = next((s for i, s in enumerate(screens) if i != index), None)
            if own is not None:
                main.setGeometry(own.availableGeometry())
        else:
            # one screen (development, a counter without the second monitor): side by side
            screen = QApplication.primaryScreen()
            area = screen.availableGeometry() if screen is not None else None
            if area is not None:
                split = int(area.width() * 0.5)
                main.setGeometry(area.x(), area.y(), split, area.height())
                customer.setGeometry(area.x() + split, area.y(), area.width() - split, area.height())
            customer.show()


def run_app(*, mode: str, demo: bool, config: Path | None, state: Path | None, windowed: bool,
            platform_factory: Callable[[Path], Any] | None = None) -> int:
    """`platform_factory` (from `main.py`) starts the embedded reference platform for `--demo`."""
    settings, paths = load_config(state, config)
    setup_logging(paths.logs)
    if mode == "kiosk":
        _use_virtual_keyboard()
    app = make_application(settings)
    install_excepthook()
    windows = build_windows(mode, settings, paths, demo=demo, windowed=windowed,
                            context_factory=_context_factory(settings, paths, demo, platform_factory))
    show_windows(windows, mode, settings, windowed=windowed)
    log.info("app started: mode=%s demo=%s", mode, demo)
    try:
        return int(app.exec())
    finally:
        windows["control"].close()
