"""What the applicant reads instead of a session text meant for the staff.

The session's own texts are marked in `kiosk/` and translated by `ui.kiosk_texts.kiosk_text`;
the few technical lines the applicant should not read are replaced here by plain ones.
"""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from ui.kiosk_texts import kiosk_text

# What the applicant reads instead of the session's technical wording (the staff see the original).
_PLAIN = (
    ("语音识别模型未安装，请工作人员现场核听回答后确认",
     QT_TRANSLATE_NOOP("session", "本机不能自动核对语音，请稍候，工作人员会现场核听您的回答")),
    ("语音识别模型未安装，请工作人员现场核听后确认",
     QT_TRANSLATE_NOOP("session", "本机不能自动核对语音，请稍候，工作人员会现场核听您的朗读")),
)


def plain_for_applicant(text: str) -> str:
    """The applicant's words for a session text (the technical cause left to the staff)."""
    from PySide6.QtCore import QCoreApplication

    for technical, plain in _PLAIN:
        if technical in text or kiosk_text(technical) in text:  # as sent, or already translated
            return QCoreApplication.translate("session", str(plain))
    return text


def without_speech_model(text: str) -> bool:
    """The session asks the staff because no speech model is installed (another try fails alike)."""
    return any(technical in text or kiosk_text(technical) in text for technical, _plain in _PLAIN)
