"""Walk the kiosk by touch on a real X server: the taps are X input events (xdotool), the
screenshots are what the X server shows.

    xvfb-run -s "-screen 0 1920x1080x24" .venv/bin/python scripts/xvfb_walk.py OUT_DIR

The kiosk runs as `run --mode kiosk --demo` does (full screen, locked, the simulated devices
and the embedded reference platform). First a mistyped 受理号, then the two-party demo case
from the welcome screen to the result, through `ui.kiosk.walkthrough.walk_case`: it decides
what a person would press from what is on screen, and here each press is a click of the X
pointer at the middle of that button. Prints what was seen and writes a screenshot of each
screen into OUT_DIR.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEMO_DIGITS = "2026000123"
WRONG_DIGITS = "2026999999"


def main(out: Path) -> int:
    if not os.environ.get("DISPLAY") or shutil.which("xdotool") is None:
        print("needs an X display (xvfb-run) and xdotool", file=sys.stderr)
        return 2
    os.environ.pop("QT_QPA_PLATFORM", None)  # the real X server, not offscreen
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QAbstractButton

    from kiosk.config import load_config
    from kiosk.logs import setup_logging
    from refplatform import embedded
    from ui.kiosk.walkthrough import open_demo_kiosk, qt_wait, walk_case

    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bdc-xvfb-walk-"))
    settings, paths = load_config(work / "state", None)
    setup_logging(paths.logs)
    try:
        app, windows = open_demo_kiosk(settings, paths, windowed=False, timeout_s=300, platform_factory=embedded)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    shell, control = windows["main"], windows["control"]
    screen = QGuiApplication.primaryScreen()

    def x_click(button: QAbstractButton) -> None:
        centre = button.mapToGlobal(button.rect().center())
        subprocess.run(["xdotool", "mousemove", str(centre.x()), str(centre.y()), "click", "1"], check=True)
        qt_wait(120)  # the X server delivers the press and release; the next tap is a new one

    def grab() -> object:
        return screen.grabWindow(0)

    code = 0
    try:
        a = shell.applicant
        for d in "start", *WRONG_DIGITS, "ok":
            button = a.welcome.button if d == "start" else a.case_entry.keypad.buttons[d]
            x_click(button)
        qt_wait(3000)
        grab().save(str(out / "wrong_case_number.png"))
        # the card comes before the lookup (the platform opens a case only to its people); nobody
        # of a mistyped case has a card to put down, so the person gives up on the card page
        print("mistyped 受理号: on", a.current_key, "|", a.case_entry.problem.text())
        x_click(a.page("card").cancel_button if a.current_key == "card" else a.case_entry.back_button)
        qt_wait(1000)
        print("after 取消: on", a.current_key)
        walk = walk_case(shell, DEMO_DIGITS, click=x_click, timeout_s=900, shot_dir=out, grab=grab)
        ok = bool(a.result_page.ok)
        print("screens:", " → ".join(walk.pages))
        print(f"documents read {walk.documents_read}, staff logins {walk.staff_logins}, "
              f"manual decisions {walk.manual_decisions}, screenshots {len(walk.shots) + 1}, result ok {ok}")
        code = 0 if ok else 1
    finally:
        control.close()
        shell.leave_kiosk()
        app.processEvents()
        shutil.rmtree(work, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "xvfb-walk")))
