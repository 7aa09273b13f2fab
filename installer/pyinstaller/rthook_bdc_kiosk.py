"""PyInstaller runtime hook: point Qt at the bundled plugins and QML before anything loads Qt.

Qt finds plugins relative to its own library in a wheel install; in the onedir bundle the
library and the plugin tree are moved, and the virtual keyboard needs QML_IMPORT_PATH too.
Values already in the environment win, so a technician can still override them.
"""
import os
import sys

_base = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))
_qt = os.path.join(_base, "PySide6", "Qt")
if os.path.isdir(os.path.join(_qt, "plugins")):
    os.environ.setdefault("QT_PLUGIN_PATH", os.path.join(_qt, "plugins"))
if os.path.isdir(os.path.join(_qt, "qml")):
    os.environ.setdefault("QML2_IMPORT_PATH", os.path.join(_qt, "qml"))
    os.environ.setdefault("QML_IMPORT_PATH", os.path.join(_qt, "qml"))
