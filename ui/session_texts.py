"""Fixed texts the session runner shows, marked for translation in context "session".

The runner (Qt-free) speaks Chinese; `QtSessionView` passes every title, guidance line and
button label through `QCoreApplication.translate("session", text)`, so an English kiosk shows
these in English. Texts built at run time (document titles, names) stay as sent.
"""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

SESSION_TEXTS = (
    QT_TRANSLATE_NOOP("session", "正在获取案件信息"),
    QT_TRANSLATE_NOOP("session", "身份核验"),
    QT_TRANSLATE_NOOP("session", "请将身份证放在读卡区"),
    QT_TRANSLATE_NOOP("session", "人脸核验"),
    QT_TRANSLATE_NOOP("session", "请正视摄像头"),
    QT_TRANSLATE_NOOP("session", "身份核验通过"),
    QT_TRANSLATE_NOOP("session", "告知事项"),
    QT_TRANSLATE_NOOP("session", "请仔细阅读告知内容，阅读完毕请点击「我已阅读并知晓」"),
    QT_TRANSLATE_NOOP("session", "我已阅读并知晓"),
    QT_TRANSLATE_NOOP("session", "请朗读以下内容"),
    QT_TRANSLATE_NOOP("session", "请大声朗读屏幕上的文字"),
    QT_TRANSLATE_NOOP("session", "请再朗读一次标出的句子"),
    QT_TRANSLATE_NOOP("session", "请回答"),
    QT_TRANSLATE_NOOP("session", "请用签字笔在签字板上签写您的姓名，写完点击确认"),
    QT_TRANSLATE_NOOP("session", "请核对办理结果"),
    QT_TRANSLATE_NOOP("session", "确认提交"),
    QT_TRANSLATE_NOOP("session", "正在生成并提交材料"),
    QT_TRANSLATE_NOOP("session", "请稍候"),
    QT_TRANSLATE_NOOP("session", "办理完成，材料已提交。请取走身份证。"),
    QT_TRANSLATE_NOOP("session", "已保存，网络恢复后自动上传。请取走身份证。"),
    QT_TRANSLATE_NOOP("session", "本次办理已结束，已采集的材料已安全保存。请取走身份证。"),
    QT_TRANSLATE_NOOP("session", "本次办理已结束。请取走身份证。"),
    QT_TRANSLATE_NOOP("session", "请眨眨眼"),
    QT_TRANSLATE_NOOP("session", "请点点头"),
    QT_TRANSLATE_NOOP("session", "请向左转头"),
    QT_TRANSLATE_NOOP("session", "请向右转头"),
    QT_TRANSLATE_NOOP("session", "请张张嘴"),
    QT_TRANSLATE_NOOP("session", "未能确认您的回答，请再回答一次"),
    QT_TRANSLATE_NOOP("session", "朗读内容未能完整识别，请再读一次标出的句子"),
    QT_TRANSLATE_NOOP("session", "请向左转头，再转回来"),
    QT_TRANSLATE_NOOP("session", "请向右转头，再转回来"),
    QT_TRANSLATE_NOOP("session", "请先将身份证放在读卡区"),
    QT_TRANSLATE_NOOP("session", "已读取身份证，正在查询案件，请稍候"),
    QT_TRANSLATE_NOOP("session", "未能读取身份证，请取下身份证，正面朝上平放在读卡区，不要移动"),
    QT_TRANSLATE_NOOP("session", "没有读到身份证，办理尚未开始。如需办理，请重新输入受理号"),
)

# What the applicant reads instead of the session's technical wording (the staff see the original).
_PLAIN = (
    ("语音识别模型未安装，请工作人员现场核听回答后确认",
     QT_TRANSLATE_NOOP("session", "本机不能自动核对语音，请稍候，工作人员会现场核听您的回答")),
    ("语音识别模型未安装，请工作人员现场核听后确认",
     QT_TRANSLATE_NOOP("session", "本机不能自动核对语音，请稍候，工作人员会现场核听您的朗读")),
)
NO_SPEECH_MODEL = "语音识别模型未安装"


def plain_for_applicant(text: str) -> str:
    """The applicant's words for a session text (the technical cause left to the staff)."""
    from PySide6.QtCore import QCoreApplication

    for technical, plain in _PLAIN:
        if technical in text:
            return QCoreApplication.translate("session", str(plain))
    return text
