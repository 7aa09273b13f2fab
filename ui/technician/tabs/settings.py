"""Devices, the platform address and the speech model, edited as config.toml holds them.

Every value goes through the same schema as the file (`kiosk.config.parse_settings`): each
problem is named in plain Chinese and nothing is written until all are right. The file is
edited in place (comments kept), written atomically and owner-only; each change goes into the
device audit with its old and new value. Devices, the platform and the model are opened when
the program starts, so changes take effect after a restart — the tab says so.
"""
from __future__ import annotations

import glob
import logging
import sys
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import (
    ConfigError,
    PlatformSettings,
    Settings,
    check_platform_url,
    parse_settings,
    save_config,
)
from kiosk.security.device_audit import record_settings_change
from kiosk.speech.models import default_model_dir
from ui import theme
from ui.kiosk_texts import kiosk_text
from ui.technician.checks import check_platform, check_vosk_model
from ui.technician.tab import ConsoleState, ConsoleTab

log = logging.getLogger(__name__)

# what each device setting may say, offered in its list (the field stays editable)
DEVICE_CHOICES = {
    "camera": ["auto", "sim", "0", "1"],
    "microphone": ["auto", "sim"],
    "idcard": ["auto", "sim", "sdtapi", "termb"],
    "signpad": ["auto", "sim", "wacom", "hanvon", "screen"],
}


def local_ports() -> dict[str, list[str]]:
    """Camera device nodes and USB-serial ports present now (for the lists; may be slow)."""
    found: dict[str, list[str]] = {"camera": [], "idcard": []}
    if sys.platform.startswith("linux"):
        found["camera"] = sorted(glob.glob("/dev/video*"))
    try:
        from devices.usb import list_usb_serial

        found["idcard"] = [f"serial:{d.path}" for d in list_usb_serial()]
    except Exception:  # noqa: BLE001 - no pyserial or no ports: the list simply has none
        log.debug("serial ports not listed", exc_info=True)
    return found


class SettingsTab(ConsoleTab):
    def __init__(self, state: ConsoleState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        v = QVBoxLayout(self)
        s = self.state.settings
        self.fields: dict[tuple[str, str], QWidget] = {}

        devices = QGroupBox(self.tr("设备"))
        form = QFormLayout(devices)
        names = {"camera": self.tr("摄像头（auto、sim、序号或路径）"), "camera_width": self.tr("采集宽度（像素）"),
                 "camera_height": self.tr("采集高度（像素）"), "camera_fps": self.tr("采集帧率"),
                 "microphone": self.tr("麦克风（auto、sim 或设备名）"),
                 "idcard": self.tr("身份证读卡器（驱动，或 serial:端口）"), "signpad": self.tr("签字板（驱动）")}
        for name, info in type(s.devices).model_fields.items():
            value = getattr(s.devices, name)
            w: QWidget
            if isinstance(value, int):
                lo = next((m.ge for m in info.metadata if hasattr(m, "ge")), 0)
                hi = next((m.le for m in info.metadata if hasattr(m, "le")), 10_000)
                sb = QSpinBox()
                sb.setRange(int(lo), int(hi))
                sb.setValue(value)
                w = sb
            else:
                combo = QComboBox()
                combo.setEditable(True)
                combo.addItems(DEVICE_CHOICES.get(name, ["auto", "sim"]))
                combo.setCurrentText(str(value))
                w = combo
            w.setToolTip(info.description or "")
            self.fields[("devices", name)] = w
            form.addRow(self._label(names.get(name, name), f"devices.{name}"), w)
        v.addWidget(devices)

        platform = QGroupBox(self.tr("中心平台"))
        form = QFormLayout(platform)
        self.url = QLineEdit(s.platform.url)
        self.url.setPlaceholderText(self.tr("如 https://bdc.example.gov.cn/kiosk-api；空表示离线/演示"))
        self.ca_bundle = QLineEdit(s.platform.ca_bundle)
        self.ca_bundle.setPlaceholderText(self.tr("空表示使用系统CA"))
        self.fields[("platform", "url")] = self.url
        self.fields[("platform", "ca_bundle")] = self.ca_bundle
        self.test_button, self.platform_label = self._checked_row(
            form, self.url, self.tr("平台地址"), "platform.url", self.tr("测试连接"), self.test_platform)
        form.insertRow(1, self._label(self.tr("平台证书的CA文件（PEM）"), "platform.ca_bundle"), self.ca_bundle)
        v.addWidget(platform)

        speech = QGroupBox(self.tr("中文语音模型"))
        form = QFormLayout(speech)
        self.model_path = QLineEdit(s.speech.model_path)
        self.model_path.setPlaceholderText(
            self.tr("空表示默认位置：") + str(default_model_dir("", self.state.paths.models)))
        self.fields[("speech", "model_path")] = self.model_path
        self.model_button, self.model_label = self._checked_row(
            form, self.model_path, self.tr("Vosk 模型目录"), "speech.model_path", self.tr("检查模型"), self.check_model)
        v.addWidget(speech)

        note = QLabel(self.tr("设备、平台地址和语音模型在程序启动时打开：保存后，重启终端程序才生效。"))
        note.setWordWrap(True)
        v.addWidget(note)
        row = QHBoxLayout()
        self.save_button = QPushButton(self.tr("保存（重启后生效）"))
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        self.settings_label = QLabel()
        self.settings_label.setWordWrap(True)
        self.settings_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.settings_label, 1)
        v.addLayout(row)
        v.addStretch(1)
        self._ports_listed = False

    def _checked_row(self, form: QFormLayout, field: QLineEdit, text: str, key: str, button_text: str,
                     slot: Any) -> tuple[QPushButton, QLabel]:
        """A field with its check button beside it and the check's answer below."""
        row = QHBoxLayout()
        row.addWidget(field, 1)
        button = QPushButton(button_text)
        button.clicked.connect(slot)
        row.addWidget(button)
        form.addRow(self._label(text, key), row)
        answer = QLabel()
        answer.setWordWrap(True)
        form.addRow("", answer)
        return button, answer

    @staticmethod
    def _label(text: str, key: str) -> QLabel:
        label = QLabel(f"{text}\n[{key}]")
        label.setToolTip(key)
        label.setMinimumWidth(340)  # one column of labels down the three groups
        return label

    def shown(self) -> None:
        if not self._ports_listed:  # device nodes and serial ports, listed off the GUI thread
            self._ports_listed = True
            self.state.run(local_ports, label=self.settings_label, on_result=self._add_ports)

    def _add_ports(self, found: Any) -> None:
        for name, values in dict(found).items():
            combo = self.fields.get(("devices", name))
            if isinstance(combo, QComboBox):
                for value in values:
                    if combo.findText(value) < 0:
                        combo.addItem(value)

    # -- values ---------------------------------------------------------------------------------
    def edited(self) -> dict[str, Any]:
        """The settings as the file would hold them, with this tab's fields."""
        data = self.state.settings.model_dump(mode="json")
        for (section, name), w in self.fields.items():
            if isinstance(w, QSpinBox):
                data[section][name] = w.value()
            elif isinstance(w, QComboBox):
                data[section][name] = w.currentText().strip()
            elif isinstance(w, QLineEdit):
                data[section][name] = w.text().strip()
        return data

    def validated(self) -> Settings | None:
        """The edited settings when the schema accepts them; else the problems are shown."""
        try:
            return parse_settings(self.edited(), "technician console")
        except ConfigError as exc:
            self.settings_label.setText(self.tr("未保存，请改正：") + "\n" + "\n".join(kiosk_text(p) for p in exc.problems))
            self.settings_label.setStyleSheet(f"color: {theme.NO};")
            return None

    def save(self) -> None:
        new = self.validated()
        if new is None:
            return
        old, paths = self.state.settings, self.state.paths
        self.settings_label.setStyleSheet("")

        def write() -> Settings:
            save_config(new, paths.config)
            record_settings_change(paths, old, new, by="technician")
            return new

        def done(saved: Any) -> None:
            self.state.settings = saved
            self.settings_label.setText(self.tr("已保存到 %1。重启终端程序后生效。").replace("%1", str(paths.config)))

        self.save_button.setEnabled(False)
        w = self.state.run(write, label=self.settings_label, on_result=done)
        w.finished.connect(lambda: self.save_button.setEnabled(True))

    # -- checks -----------------------------------------------------------------------------------
    def test_platform(self) -> None:
        try:
            url = check_platform_url(self.url.text())
        except ValueError as exc:
            self.platform_label.setText(str(exc))
            return
        if not url:
            self.platform_label.setText(self.tr("未填写平台地址：终端以离线/演示方式运行"))
            return
        try:
            platform = PlatformSettings.model_validate({**self.state.settings.platform.model_dump(),
                                                       "url": url, "ca_bundle": self.ca_bundle.text().strip()})
        except Exception:  # noqa: BLE001 - the URL was checked above; anything else shows on save
            self.platform_label.setText(self.tr("平台设置有误，请先保存查看具体原因"))
            return
        keys = getattr(getattr(self.state.control, "ctx", None), "keys", None)
        kiosk_id, keys_dir = self.state.settings.kiosk_id, self.state.paths.keys
        self.platform_label.setText(self.tr("正在连接…"))
        self.test_button.setEnabled(False)
        w = self.state.run(check_platform, platform, keys=keys, kiosk_id=kiosk_id, keys_dir=keys_dir,
                           label=self.platform_label,
                           on_result=lambda _: self.platform_label.setText(self.tr("连接成功：") + url))
        w.finished.connect(lambda: self.test_button.setEnabled(True))

    def check_model(self) -> None:
        path = default_model_dir(self.model_path.text().strip(), self.state.paths.models)
        self.model_label.setText(self.tr("正在检查…"))
        self.state.run(check_vosk_model, path, label=self.model_label,
                       on_result=lambda _: self.model_label.setText(
                           self.tr("目录里有 am/、conf/、graph/，是 Vosk 模型的结构：") + str(path)))
