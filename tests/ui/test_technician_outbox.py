"""The technician's upload queue shows whole package ids: a real outbox with real packages, the
id readable (tooltip, details window), copied to the clipboard by button and by menu."""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QGuiApplication

from kiosk.platform.outbox import Outbox
from kiosk.security.keys import DeviceKeys
from ui.technician.console import TechnicianConsole

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "platform"))
from platform_fixtures import make_package  # noqa: E402

IDS = [f"LH2026-000123-LH-KIOSK-0001-2026120110000{n}-{'a1b2c3d4e5f6'[: 6 + n]}" for n in range(2)]


@pytest.fixture
def console_with_queue(qtbot, state, tmp_path):
    settings, paths = state
    keys = DeviceKeys(tmp_path / "keys")
    keys.ensure_demo_certificate("LH-KIOSK-0001")
    outbox = Outbox(tmp_path / "outbox", keys.cipher())
    for n, pid in enumerate(IDS):
        pkg = make_package(keys, tmp_path / f"pkg{n}", pid)
        outbox.enqueue(pkg, pkg.name, "LH2026-000123")
    c = TechnicianConsole(settings, paths, control=SimpleNamespace(ctx=SimpleNamespace(outbox=outbox), busy=False),
                          demo=True)
    qtbot.addWidget(c)
    c.resize(1280, 1024)
    c.show()
    yield c
    outbox.close()


def test_outbox_tab_shows_and_copies_the_whole_id(qtbot, console_with_queue, shots):
    c = console_with_queue
    tab = c.outbox
    c.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.outbox_table.rowCount() == 2, timeout=5000)
    t = tab.outbox_table
    shown = sorted(t.item(r, 0).text() for r in range(2))
    assert shown == sorted(IDS), "the id in the cell is the whole id"
    assert sorted(t.item(r, 0).toolTip() for r in range(2)) == sorted(IDS)
    assert t.item(0, 0).font().fixedPitch() and t.item(0, 0).font().pointSizeF() >= t.font().pointSizeF()
    width = QFontMetrics(t.item(1, 0).font()).horizontalAdvance(IDS[1])
    assert t.columnWidth(0) >= min(width, t.viewport().width() // 2), "the column fits the id (or half the table)"
    assert t.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert not tab.copy_button.isEnabled(), "nothing chosen, nothing to copy"
    t.selectRow(1)
    assert tab.copy_button.isEnabled()
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(tab.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == t.item(1, 0).text()
    assert t.item(1, 0).text() in tab.outbox_label.text()
    c.grab().save(str(shots / "technician-outbox.png"))
    dialog = tab.show_details(1)
    assert dialog is not None and dialog.fields["package_id"].text() == t.item(1, 0).text()
    assert dialog.fields["case_no"].text() == "LH2026-000123"
    assert len(dialog.fields["manifest_sha256"].text()) == 64
    assert dialog.fields["package_id"].textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    dialog.grab().save(str(shots / "technician-outbox-details.png"))
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == t.item(1, 0).text()
    dialog.close()
    # the context menu's copy goes through the same path, for the row it was opened on
    tab.copy_id(0)
    assert QGuiApplication.clipboard().text() == t.item(0, 0).text()
    tab.copy_id(5)  # no such row: nothing happens
    assert QGuiApplication.clipboard().text() == t.item(0, 0).text()
