"""Look and size of the applicant screens: high contrast, large text, big touch targets.

Sizes are computed from the screen's physical DPI so that a touch target is at least 15 mm on
whatever panel the kiosk has (an elderly finger, a gloved one), and body text never falls
below 24 pt whatever the configured `ui.font_pt` says.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
ICONS = RESOURCES / "icons"

MIN_BODY_PT = 24
MIN_TOUCH_MM = 15.0

INK = "#0b1f3a"        # text: near-black navy on white, contrast > 15:1
PAPER = "#ffffff"
ACCENT = "#0b4fa8"     # primary buttons: white on deep blue, contrast > 7:1
OK = "#11692b"         # 是 / passed: white on dark green, contrast > 7:1
NO = "#a1141b"         # 否 / failed: white on dark red, contrast > 7:1
MUTED = "#46546a"
MATCHED_BG = "#cdeccf"
MISSING_BG = "#ffe2a8"

FONT_FAMILIES = ["WenQuanYi Zen Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei"]


def mm_to_px(mm: float) -> int:
    screen = QGuiApplication.primaryScreen()
    dpi = screen.physicalDotsPerInch() if screen is not None else 96.0
    if not 50 <= dpi <= 600:  # virtual screens report nonsense; assume a 96-dpi panel
        dpi = 96.0
    return max(1, round(mm / 25.4 * dpi))


def touch_px() -> int:
    """Minimum side of a touch target in pixels (≥ 15 mm)."""
    return max(mm_to_px(MIN_TOUCH_MM), 64)


def body_pt(configured: int) -> int:
    return max(MIN_BODY_PT, int(configured))


def app_font(pt: int) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(pt)
    return font


def stylesheet(font_pt: int) -> str:
    """Qt style sheet of the applicant and staff windows."""
    pt = body_pt(font_pt)
    touch = touch_px()
    return f"""
    QWidget {{ background: {PAPER}; color: {INK}; font-size: {pt}pt; }}
    QLabel#title {{ font-size: {pt + 12}pt; font-weight: bold; }}
    QLabel#hero {{ font-size: {pt + 24}pt; font-weight: bold; color: {ACCENT}; }}
    QLabel#guidance {{ font-size: {pt + 4}pt; font-weight: bold; color: {INK}; background: #e8f0fb;
                      border-left: 10px solid {ACCENT}; padding: 12px; }}
    QLabel#muted {{ color: {MUTED}; }}
    QLabel#subtitle {{ font-size: {pt + 4}pt; font-weight: bold; }}
    QLabel#ok_line {{ color: {OK}; font-weight: bold; }}
    QFrame#card {{ border: 3px solid #cdd6e3; border-radius: 16px; }}
    QFrame#card QLabel {{ border: none; }}
    QLabel#problem {{ color: {NO}; font-weight: bold; }}
    QLabel#handover {{ font-size: {pt + 8}pt; font-weight: bold; color: {INK}; background: #fff4d6;
                      border: 3px solid #c98a00; border-radius: 12px; padding: 16px; }}
    QLabel#big_yes {{ font-size: {pt + 40}pt; font-weight: bold; color: {PAPER}; background: {OK};
                     border-radius: 24px; padding: 16px 48px; }}
    QLabel#big_no {{ font-size: {pt + 40}pt; font-weight: bold; color: {PAPER}; background: {NO};
                    border-radius: 24px; padding: 16px 48px; }}
    QLabel#dim {{ font-size: {pt + 40}pt; font-weight: bold; color: {MUTED}; background: #e6e9ef;
                 border-radius: 24px; padding: 16px 48px; }}
    QPushButton#big_yes {{ font-size: {pt + 40}pt; color: {PAPER}; background: {OK}; border-radius: 24px;
                          padding: 16px 64px; }}
    QPushButton#big_no {{ font-size: {pt + 40}pt; color: {PAPER}; background: {NO}; border-radius: 24px;
                         padding: 16px 64px; }}
    QPushButton#dim {{ font-size: {pt + 40}pt; color: {MUTED}; background: #e6e9ef; border-radius: 24px;
                      padding: 16px 64px; }}
    QLabel#pause_cover {{ font-size: {pt + 24}pt; font-weight: bold; color: {PAPER};
                         background: rgba(11, 31, 58, 215); }}
    QLabel#countdown {{ font-size: {pt + 30}pt; font-weight: bold; color: {PAPER}; background: {NO};
                       border-radius: 16px; padding: 0px 24px; }}
    QLabel#take_card {{ font-size: {pt + 10}pt; font-weight: bold; color: {INK}; background: #fff4d6;
                       border: 3px solid #c98a00; border-radius: 12px; padding: 16px; }}
    QPushButton {{ min-height: {touch}px; min-width: {touch}px; font-size: {pt + 2}pt; font-weight: bold;
                  color: {PAPER}; background: {ACCENT}; border: none; border-radius: 12px; padding: 8px 24px; }}
    QPushButton:pressed {{ background: #083a7c; }}
    QPushButton:disabled {{ background: #b8c0cc; color: #f4f6f9; }}
    QPushButton#secondary {{ background: {PAPER}; color: {ACCENT}; border: 3px solid {ACCENT}; }}
    QPushButton#secondary:checked {{ background: {ACCENT}; color: {PAPER}; }}
    QPushButton#danger {{ background: {NO}; }}
    QPushButton#danger:disabled, QPushButton#secondary:disabled {{ background: #b8c0cc; color: #f4f6f9; border: none; }}
    QPushButton#key {{ font-size: {pt + 10}pt; background: #eef2f8; color: {INK}; border: 2px solid #9aa6b8; }}
    QPushButton#key:pressed {{ background: #cfd8e6; }}
    QLineEdit, QPlainTextEdit, QTextBrowser, QComboBox, QSpinBox, QDoubleSpinBox {{
        border: 2px solid #6b7a90; border-radius: 8px; padding: 6px; background: {PAPER}; }}
    QTextBrowser#statement {{ font-size: {pt + 10}pt; }}
    QLineEdit#case_display {{ font-size: {pt + 14}pt; font-weight: bold; letter-spacing: 4px; }}
    QTableWidget, QListWidget {{ font-size: {max(14, pt - 8)}pt; }}
    """


def staff_stylesheet() -> str:
    """Staff and technician windows: mouse and keyboard, normal desktop sizes, same colours."""
    return f"""
    QWidget {{ color: {INK}; font-size: 12pt; }}
    QLabel#title {{ font-size: 16pt; font-weight: bold; }}
    QLabel#guidance {{ font-size: 13pt; font-weight: bold; color: {PAPER}; background: {ACCENT};
                      padding: 6px; border-radius: 6px; }}
    QPushButton {{ min-height: 36px; padding: 4px 14px; font-weight: bold; color: {PAPER};
                  background: {ACCENT}; border: none; border-radius: 6px; }}
    QPushButton:disabled {{ background: #b8c0cc; }}
    QPushButton#danger {{ background: {NO}; }}
    QPushButton#danger:disabled {{ background: #b8c0cc; }}
    QPushButton#key {{ font-size: 20pt; background: #eef2f8; color: {INK}; border: 2px solid #9aa6b8;
                      min-height: 56px; min-width: 56px; }}
    """


def icon_path(name: str) -> Path:
    return ICONS / f"{name}.svg"


def icon(name: str) -> QIcon:
    return QIcon(str(icon_path(name)))


def svg_pixmap(name: str, size: int) -> QPixmap:
    """Render an icon of ours at `size` px (crisp at any DPI, no raster assets to keep)."""
    renderer = QSvgRenderer(str(icon_path(name)))
    pix = QPixmap(QSize(size, size))
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    renderer.render(painter)
    painter.end()
    return pix


def pen(colour: str, width: float, *, dashed: bool = False) -> QPen:
    """A pen built by setters: PySide 6.12 mis-counts references in QPen's many-argument
    constructor when it is called for every ink segment (seen as a crash while painting)."""
    p = QPen()
    p.setColor(QColor(colour))
    p.setWidthF(width)
    if dashed:
        p.setStyle(Qt.PenStyle.DashLine)
    return p
