"""What every applicant page shares: the `Page` base and the label, icon and pen makers.

Each page knows how to show what the session sends it and how to forget it (`wipe`), so that
an aborted or timed-out session leaves nothing personal and no half-finished step on screen.
Texts that come from the session (titles, statements, questions) arrive already in the
applicant's language; the fixed texts of the pages go through Qt's translation.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ui import theme
from ui.widgets.camera_view import CameraView


def label(text: str = "", name: str = "", wrap: bool = True, center: bool = False) -> QLabel:
    lab = QLabel(text)
    if name:
        lab.setObjectName(name)
    lab.setWordWrap(wrap)
    if center:
        lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    return lab


def icon(name: str, size: int) -> QLabel:
    lab = QLabel()
    lab.setPixmap(theme.svg_pixmap(name, size))
    lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return lab



class Page(QWidget):
    """A screen of the applicant flow. `camera` is the page's preview (None when it has none)."""

    step_key = "message"
    camera: CameraView | None = None

    def show_content(self, title: str, body: str) -> None:
        """Show what the session sent with `show_step`."""

    def wipe(self) -> None:
        """Forget everything this page showed."""

    def spoken_text(self) -> str:
        """What to say when the page comes up (voice on every screen)."""
        return ""


