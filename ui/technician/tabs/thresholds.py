"""Thresholds and policy, edited through the config schema (bounds and descriptions from it)."""
from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from kiosk.config import ConfigError, parse_settings, save_config
from kiosk.errors import UserFacingError
from kiosk.security.device_audit import record_settings_change
from ui.kiosk_texts import kiosk_text
from ui.technician.tab import ConsoleState, ConsoleTab

log = logging.getLogger(__name__)


# the settings a technician may tune here, and that the self-test report lists
FIELDS = (("identity", "openvino_threshold"), ("identity", "match_threshold"), ("identity", "frames_for_decision"),
          ("identity", "liveness_action_timeout_s"), ("identity", "presence_min_share"),
          ("speech", "min_coverage"), ("session", "idle_timeout_s"), ("session", "idle_countdown_s"),
          ("ui", "font_pt"), ("ui", "customer_screen"))


class ThresholdsTab(ConsoleTab):
    def __init__(self, state: ConsoleState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        form = QFormLayout(self)
        self.setting_widgets: dict[tuple[str, str], QWidget] = {}
        names = {
            "openvino_threshold": self.tr("人脸比对阈值（openvino，余弦相似度，越大越严格）"),
            "match_threshold": self.tr("人脸比对阈值（dlib，距离，越小越严格）"),
            "frames_for_decision": self.tr("判定所用合格帧数"),
            "liveness_action_timeout_s": self.tr("每个活体动作的时限（秒）"),
            "presence_min_share": self.tr("录像期间本人在场的最低比例"),
            "min_coverage": self.tr("陈述核对通过的最低覆盖率"),
            "idle_timeout_s": self.tr("无操作超时（秒），倒计时后结束会话"),
            "idle_countdown_s": self.tr("超时前倒计时（秒）"),
            "font_pt": self.tr("正文字号（磅）"),
            "customer_screen": self.tr("柜台模式客户屏的屏幕序号"),
        }
        for section, name in FIELDS:
            model = getattr(self.state.settings, section)
            info = type(model).model_fields[name]
            value = getattr(model, name)
            lo = next((m.ge for m in info.metadata if hasattr(m, "ge")), 0)
            hi = next((m.le for m in info.metadata if hasattr(m, "le")), 10_000)
            w: QWidget
            if isinstance(value, float):
                sb = QDoubleSpinBox()
                sb.setDecimals(3)  # calibrated face thresholds have three (0.436)
                sb.setSingleStep(0.01)
                sb.setRange(float(lo), float(hi))
                sb.setValue(value)
                w = sb
            else:
                si = QSpinBox()
                si.setRange(int(lo), int(hi))
                si.setValue(int(value))
                w = si
            w.setToolTip(f"{section}.{name}")
            self.setting_widgets[(section, name)] = w
            form.addRow(f"{names.get(name, name)}\n[{section}.{name}]", w)
        self.language = QComboBox()
        self.language.addItem("中文（简体）", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(0 if self.state.settings.ui.language == "zh_CN" else 1)
        form.addRow(self.tr("界面语言"), self.language)
        self.save_button = QPushButton(self.tr("保存（重启后生效）"))
        self.save_button.clicked.connect(self.save_settings)
        self.settings_label = QLabel()
        self.settings_label.setWordWrap(True)
        form.addRow(self.save_button, self.settings_label)

    def save_settings(self) -> None:
        data = self.state.settings.model_dump(mode="json")
        for (section, name), w in self.setting_widgets.items():
            data[section][name] = w.value()  # type: ignore[attr-defined]
        data["ui"]["language"] = self.language.currentData()
        try:
            new = parse_settings(data, "technician console")
            save_config(new, self.state.paths.config)
        except ConfigError as exc:
            self.settings_label.setText(self.tr("未保存，请改正：") + "\n" + "\n".join(kiosk_text(p) for p in exc.problems))
            return
        except (UserFacingError, OSError) as exc:
            self.settings_label.setText(self.tr("保存失败：") + kiosk_text(getattr(exc, "message", None) or str(exc)))
            return
        record_settings_change(self.state.paths, self.state.settings, new, by="technician")
        self.state.settings = new
        self.settings_label.setText(self.tr("已保存到 ") + str(self.state.paths.config))
