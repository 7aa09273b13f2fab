"""The evidence report (`report.pdf`): the certificate of completion a registrar reads.

Laid out like a registration form — numbered sections, ruled tables with shaded label
cells, one CJK TrueType font embedded (subset), "第 X 页 共 Y 页" and the package id on every
page, and a QR code carrying the package id and the content digest so a paper copy can be
matched to its electronic package. ID numbers are masked; names are shown, because the
registrar checks them against the application.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kiosk.model import Case, Property
from kiosk.privacy import mask_id, scrub_text
from kiosk.signing.fonts import register_cjk_font
from kiosk.signing.render import render_signature_png

TITLE = "不动产登记双录签名证据报告"
ORG = "漯河市不动产登记中心"

_ACTIONS = {"blink": "眨眼", "nod": "点头", "shake": "摇头", "open_mouth": "张嘴", "mouth": "张嘴",
            "turn_left": "向左转头", "turn_right": "向右转头", "smile": "微笑", "look_up": "抬头"}
_VERDICTS = {"affirm": "肯定", "deny": "否定", "unclear": "不明确", "yes": "是", "no": "否"}
_NUMERALS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
             "十五", "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四"]
_KINDS = {"person": "自然人", "legal": "法人"}
_ANCHOR_KINDS = {"signature": "签名", "seal": "印章", "date": "日期"}


@dataclass
class ReportInput:
    case: Case
    package_id: str
    kiosk_id: str
    software_version: str
    started_at: str
    finished_at: str
    status: str
    parties: Sequence[Any]                 # PartyEvidence (kept loose to avoid an import cycle)
    documents: list[dict[str, Any]]
    content_sha256: str
    recordings: dict[str, dict[str, Any]] = field(default_factory=dict)  # manifest file entries
    signature_level: str = "PAdES-B-B"
    audit: Sequence[dict[str, Any]] = ()   # the session's audit events: when each manual decision was made
    chapters: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # party -> steps' offsets


def qr_payload(package_id: str, content_sha256: str) -> str:
    return f"bdc-evidence/1;package={package_id};content_sha256={content_sha256}"


# Luohe keeps China Standard Time all year (no DST): a fixed offset needs no tz database on Windows
BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
ZONE_NOTE = "本报告时间均为北京时间（Asia/Shanghai，UTC+08:00）"


def _fmt_time(iso: Any) -> str:
    """A time as Beijing time with its offset; a naive time is shown as it is, marked unknown zone."""
    if not iso:
        return "—"
    try:
        d = dt.datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return str(iso)
    if d.tzinfo is None:
        return d.strftime("%Y-%m-%d %H:%M:%S") + "（时区未记录）"
    return d.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S +08:00")


def unit_cells(unit_no: str) -> list[str]:
    """The label and value for the property's number: a 不动产单元号 only when it is one."""
    value = (unit_no or "").strip()
    if Property(unit_no=value).number_label == "不动产单元号":
        return ["不动产单元号", value or "—"]
    return ["权属证明号", f"{value}（平台未提供不动产单元号）"]


def _yes_no(v: Any, yes: str = "通过", no: str = "未通过") -> str:
    if v is True:
        return yes
    if v is False:
        return no
    return "—"


def _first(d: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        if k in d and d[k] is not None:
            return d[k]
    return None


def _passed(d: dict[str, Any]) -> bool | None:
    v = _first(d, "passed", "match", "ok")
    return v if isinstance(v, bool) else None


_STEPS = {"identity": "身份核验", "notice": "告知", "statement": "陈述", "qa": "问答", "signing": "签字",
          "review": "核对"}
_OUTCOMES = {"manual_pass": "人工通过", "manual_fail": "人工否决", "passed": "通过", "failed": "未通过",
             "skipped": "跳过"}
_SOURCES = {"chip": "身份证芯片照片", "platform": "平台登记照片",
            "platform_chip_rejected": "平台登记照片（芯片照片解码后未见人脸，未采用）", "none": "无"}
_LIVENESS_OUTCOMES = {"passed": "通过", "timeout": "超时", "contrary": "动作不符", "face_lost": "未见人脸",
                      "many_faces": "多人入镜"}


def identity_summary(idn: dict[str, Any]) -> dict[str, Any]:
    """The identity evidence (kiosk.identity's shape, or a flat one) as report cells."""
    live = _first(idn, "liveness", "liveness_actions") or []
    parts = []
    for a in live if isinstance(live, list) else []:
        if not isinstance(a, dict):
            continue
        name = _ACTIONS.get(str(a.get("action")), str(a.get("action")))
        outcome = a.get("outcome")
        result = _LIVENESS_OUTCOMES.get(str(outcome), str(outcome)) if outcome else _yes_no(a.get("passed"))
        t0, t1 = a.get("t_prompt"), a.get("t_done")
        when = ""
        if isinstance(t0, (int, float)) and isinstance(t1, (int, float)):
            when = f"（用时 {t1 - t0:.1f} 秒）"
        elif _first(a, "t", "at", "time") is not None:
            when = f"（{_first(a, 't', 'at', 'time')}）"
        parts.append(f"{name} {result}{when}")
    dist = _first(idn, "distance")
    score = _first(idn, "score")
    presence = _first(idn, "presence", "presence_share")
    if isinstance(presence, dict):
        share = presence.get("present_share")
        verdict = _passed(presence)
        presence_text = (f"{share:.0%}" if isinstance(share, (int, float)) else "—") + (
            f"　{_yes_no(verdict, '合格', '不合格')}" if verdict is not None else "")
    elif isinstance(presence, (int, float)):
        presence_text = f"{presence:.0%}"
    else:
        presence_text = "—"
    attempts = idn.get("attempts")
    source = str(_first(idn, "reference_source", "photo_source") or "")
    if isinstance(score, (int, float)):  # the engine's similarity: match when score ≥ threshold
        decided = f"相似度 {score:.3f}" + (f"（阈值 {idn['threshold']}）" if "threshold" in idn else "")
    elif isinstance(dist, (int, float)):  # packages from before the engine interface
        decided = f"{dist:.3f}（阈值 {idn['threshold']}）" if "threshold" in idn else f"{dist:.3f}"
    else:
        decided = "—"
    engine = str(idn.get("engine") or "")
    if engine:
        model = str(idn.get("model") or "")
        sha = str(idn.get("model_sha256") or "")
        engine = engine + (f"：{model}" if model else "") + (f"（SHA-256 {sha}）" if sha else "")
        if idn.get("fallback_reason"):
            engine += f"；备用引擎，原因：{idn['fallback_reason']}"
    return {"passed": _passed(idn), "liveness": "；".join(parts) or "—",
            "distance": decided, "engine": engine or "—",
            "attempts": f"{len(attempts)} 次" if isinstance(attempts, list) else "—",
            "source": _SOURCES.get(source, source or "—"), "presence": presence_text}


def attempt_counts(audit: Sequence[dict[str, Any]], party_id: str) -> dict[str, int]:
    """The party's `attempt` audit events by kind ("face_match", "liveness"): the one source of
    核验次数, of the identity step's `attempts` in the manifest, and of `verify`'s check of both."""
    counts: dict[str, int] = {}
    for e in audit:
        if e.get("kind") == "attempt" and e.get("party_id") == party_id:
            what = str(e.get("what"))
            counts[what] = counts.get(what, 0) + 1
    return counts


def photo_captions(idn: dict[str, Any], idsum: dict[str, Any]) -> tuple[str, str]:
    """Captions under the reference photo and the live-face snapshot: what each is, which frame,
    its score and the engine that scored it."""
    ref = f"比对照片：{idsum['source']}"
    info = idn.get("live_photo") if isinstance(idn.get("live_photo"), dict) else {}
    engine = str(idn.get("engine") or "")
    parts = ["现场人脸（判定比对的最佳帧）"]
    if info:
        if info.get("attempt") is not None:
            parts.append(f"第{info['attempt']}次核验")
        if info.get("frame") is not None:
            parts.append(f"帧 {info['frame']}")
        if isinstance(info.get("score"), (int, float)):
            parts.append(f"相似度 {info['score']:.3f}"
                         + (f"（阈值 {idn['threshold']}）" if "threshold" in idn else ""))
    if engine:
        parts.append(f"引擎 {engine}" + (f"：{idn['model']}" if idn.get("model") else ""))
    return ref, "，".join(parts)


def recording_summary(q: dict[str, Any]) -> dict[str, Any]:
    dur = _first(q, "duration_s", "duration")
    metrics = []
    if q.get("width") and q.get("height"):
        metrics.append(f"{q['width']}×{q['height']}")
    if isinstance(q.get("fps"), (int, float)) and q["fps"]:
        metrics.append(f"{q['fps']:.0f}帧/秒")
    if isinstance(q.get("dropped_share"), (int, float)):
        metrics.append(f"丢帧 {q['dropped_share']:.1%}")
    if isinstance(q.get("av_offset_ms"), (int, float)):
        metrics.append(f"音画偏差 {q['av_offset_ms']:.0f} 毫秒")
    recorder = q.get("recorder")
    rec: dict[str, Any] = recorder if isinstance(recorder, dict) else {}
    if isinstance(rec.get("av_start_offset_ms"), (int, float)):
        metrics.append(f"画面比声音晚开始 {rec['av_start_offset_ms']:.0f} 毫秒（采集时钟）")
    if isinstance(rec.get("audio_peak_dbfs"), (int, float)):
        metrics.append(f"音频峰值 {rec['audio_peak_dbfs']:.1f} dBFS" + ("，削波" if rec.get("clipping") else ""))
    if q.get("video_codec"):
        metrics.append(f"{q['video_codec']}/{q.get('audio_codec') or '—'}")
    problems = q.get("problems")
    if isinstance(problems, list) and problems:
        metrics.append("问题：" + "、".join(str(x) for x in problems[:3]))
    return {"duration": f"{float(dur):.1f} 秒" if isinstance(dur, (int, float)) else "—",
            "passed": _passed(q), "metrics": "；".join(metrics) or "—"}


def statement_summary(t: dict[str, Any]) -> dict[str, str]:
    """Prompt, what was heard and the verdict, from the last reading attempt where there are several."""
    attempts: list[Any] = t["attempts"] if isinstance(t.get("attempts"), list) else []
    last = attempts[-1] if attempts else {}
    asr = last.get("asr") if isinstance(last.get("asr"), dict) else {}
    match = last.get("match") if isinstance(last.get("match"), dict) else t
    heard = _first(t, "text", "transcript") or _first(asr or {}, "text") or t.get("note") or "—"
    if isinstance(heard, dict):
        heard = heard.get("text") or "—"
    cov = _first(match or {}, "coverage")
    verdict = _yes_no(_passed(match or {}))
    if isinstance(cov, (int, float)):
        verdict = f"{cov:.0%}　{verdict}"
    if len(attempts) > 1:
        verdict += f"（共朗读 {len(attempts)} 次）"
    # what was misread, attempt by attempt (a party, bank or role read as another one)
    misread: list[str] = []
    for a in attempts:
        sentences = (a.get("match") or {}).get("sentences") if isinstance(a, dict) else None
        for sent in sentences if isinstance(sentences, list) else []:
            for f in sent.get("failed_spans") or [] if isinstance(sent, dict) else []:
                item = f"「{f.get('expected', '')}」读成「{f.get('heard') or '（未读）'}」"
                if item not in misread:
                    misread.append(item)
    if misread:
        verdict += "；误读：" + "、".join(misread[:4])
    return {"prompt": str(_first(t, "statement", "prompt") or "—"), "heard": str(heard), "verdict": verdict}


def _audit_of(m: dict[str, Any], audit: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The audit event recording manual decision `m` (same party, step and outcome, manual)."""
    for ev in audit:
        if ev.get("kind") == "step_result" and ev.get("manual") and ev.get("party_id") == m.get("party_id") \
                and ev.get("step") == m.get("step") and ev.get("outcome") == m.get("outcome"):
            return ev
    return {}


def staff_label(manual: dict[str, Any], event: dict[str, Any]) -> str:
    """工作人员：name and staff number where known."""
    name = _first(manual, "staff_name", "name") or _first(event, "staff_name")
    number = _first(manual, "staff", "staff_id", "operator") or _first(event, "staff")
    if name and number:
        return f"{name}（工号 {number}）"
    return str(name or (f"工号 {number}" if number else "—"))


def manual_row(m: dict[str, Any], audit: Sequence[dict[str, Any]] = ()) -> list[Any]:
    manual = m.get("manual") if isinstance(m.get("manual"), dict) else m
    step = str(_first(m, "step") or "")
    outcome = str(_first(m, "decision", "outcome", "action") or "")
    event = _audit_of(m, audit)
    return [_STEPS.get(step, step or "—"), _OUTCOMES.get(outcome, outcome or "—"),
            staff_label(manual or {}, event), _first(manual or {}, "reason"),
            _fmt_time(_first(m, "ts", "at", "time") or event.get("ts"))]


def qa_cells(item: dict[str, Any], staff_qa: dict[str, Any] | None,
             audit: Sequence[dict[str, Any]] = ()) -> list[str]:
    """Answer, verdict and who decided for one question: the recogniser (or a touch on 是/否),
    or the staff member who listened and confirmed the answers."""
    verdict = str(_first(item, "verdict") or "")
    asr = item.get("asr") if isinstance(item.get("asr"), dict) else {}
    heard = _first(item, "answer", "transcript", "text") or _first(asr or {}, "text")
    touch = _first(item, "touch", "touch_answer")
    if heard or verdict:
        answer = scrub_text(str(heard)) if heard else "—"
        if touch:
            answer += f"（触屏：{_VERDICTS.get(str(touch), str(touch))}）"
        decided = _VERDICTS.get(verdict, verdict or "—") + f"　{_yes_no(_passed(item))}"
        return [answer, decided, "语音识别（自动）" if not touch else "触屏作答（自动）"]
    own = item.get("staff_decision") if isinstance(item.get("staff_decision"), dict) else None
    if own is not None or staff_qa is not None:
        if own is not None:  # this answer's own decision: who confirmed it, and when
            outcome = str(own.get("outcome") or "")
            who = staff_label(own, {})
            when = _first(own, "at", "ts")
            who += f"（{_fmt_time(when)}）" if when else ""
        else:  # older packages: one decision for all the answers
            assert staff_qa is not None
            manual = staff_qa.get("manual") if isinstance(staff_qa.get("manual"), dict) else {}
            outcome = str(staff_qa.get("outcome") or "")
            who = staff_label(manual or {}, _audit_of(staff_qa, audit))
        expect = _VERDICTS.get(str(item.get("expect") or ""), "")
        answer = f"工作人员现场核听确认{('：' + expect) if expect and outcome == 'manual_pass' else ''}"
        if touch:
            answer += f"（触屏：{_VERDICTS.get(str(touch), str(touch))}）"
        voice = item.get("voice")
        voice_s = voice.get("voice_s") if isinstance(voice, dict) else None
        if isinstance(voice_s, (int, float)):
            answer += f"（录有回答语音 {voice_s:.1f} 秒）"
        return [answer, _OUTCOMES.get(outcome, outcome or "—"), who]
    return ["—", "—", "—"]


def chapters_text(chapters: Sequence[dict[str, Any]]) -> str:
    """Each step's place in the recording, m:ss.s–m:ss.s (also the recording's chapters)."""
    def mmss(s: float) -> str:
        return f"{int(s // 60)}:{s % 60:04.1f}"

    parts = [f"{c.get('title', c.get('step'))} {mmss(float(c['start_s']))}–{mmss(float(c['end_s']))}"
             for c in chapters if isinstance(c.get("start_s"), (int, float)) and isinstance(c.get("end_s"), (int, float))]
    return "；".join(parts) + "（录像内时间，亦为录像章节与字幕）" if parts else "—（录像起始时间未记录）"


def legal_rows(p: Any, documents: Sequence[dict[str, Any]]) -> list[list[Any]]:
    """A legal person's seal impressions (per document, stamped or not) and who acted for it."""
    seals = []
    for d in documents:
        for a in d.get("anchors") or []:
            if isinstance(a, dict) and a.get("party_id") == p.party_id and a.get("kind") == "seal":
                seals.append(f"{d.get('title', d.get('doc_id'))} 第{a.get('page')}页 "
                             + ("已加盖" if a.get("stamped") else "未加盖"))
    agent = f"{p.agent.name}（身份证 {mask_id(p.agent.id_number)}）" if p.agent else "—"
    basis = ("代理人身份经现场身份证与人脸核验（见身份核验）；其代理权限以平台受理时登记的授权委托书为准"
             if p.agent else "未登记代理人：由法定代表人本人办理")
    return [["法人名称", p.name, "统一社会信用代码", p.credit_code or "—"],
            ["单位印章", "；".join(seals) or "本案文书未设印章位置", "", ""],
            ["现场代理人", f"{agent}。{basis}", "", ""]]


def build_report_pdf(r: ReportInput) -> bytes:
    """The report as PDF bytes (unsigned; the package builder signs it)."""
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas as rl_canvas
    from reportlab.platypus import (
        Image,
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    font = register_cjk_font()
    ink = colors.HexColor("#1a1a1a")
    rule = colors.HexColor("#444444")
    shade = colors.HexColor("#eef1f5")
    accent = colors.HexColor("#9b1c1c")
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=13.5, textColor=ink, wordWrap="CJK")
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=11)
    h1 = ParagraphStyle("h1", parent=base, fontSize=19, leading=26, alignment=TA_CENTER, spaceAfter=2)
    sub = ParagraphStyle("sub", parent=base, fontSize=10.5, leading=15, alignment=TA_CENTER,
                         textColor=colors.HexColor("#333333"))
    h2 = ParagraphStyle("h2", parent=base, fontSize=12, leading=18, spaceBefore=9, spaceAfter=4, keepWithNext=1)
    h3 = ParagraphStyle("h3", parent=base, fontSize=10.5, leading=15, spaceBefore=5, spaceAfter=3, keepWithNext=1)
    page_w, page_h = A4
    frame_w = page_w - 36 * mm

    def P(text: Any, style: ParagraphStyle = base) -> Paragraph:  # noqa: N802 - reads like markup
        s = "—" if text is None or text == "" else str(text)
        s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(s, style)

    def grid(rows: list[list[Any]], widths: Sequence[float], *, header: bool = False,
             label_cols: Sequence[int] = (0,), wide_rows: Sequence[int] = ()) -> Table:
        """A ruled table; `wide_rows` have one value spanning every column after the label."""
        data = [[c if not isinstance(c, (str, int, float)) and c is not None else P(c) for c in row]
                for row in rows]
        t = Table(data, colWidths=[w * frame_w for w in widths], repeatRows=1 if header else 0)
        style = [("GRID", (0, 0), (-1, -1), 0.6, rule), ("BOX", (0, 0), (-1, -1), 1.1, ink),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                 ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5), ("LEFTPADDING", (0, 0), (-1, -1), 5)]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), shade))
        else:
            for row in range(len(rows)):
                style += [("BACKGROUND", (c, row), (c, row), shade) for c in label_cols
                          if c == 0 or row not in wide_rows]
        for row in wide_rows:
            style.append(("SPAN", (1, row), (-1, row)))
        t.setStyle(TableStyle(style))
        return t

    def face_image(data: bytes | None, height: float = 36 * mm) -> Any:
        if not data:
            return P("无（未形成比对帧）")
        from reportlab.lib.utils import ImageReader

        w, h = ImageReader(io.BytesIO(data)).getSize()
        return Image(io.BytesIO(data), width=height * w / h, height=height)

    story: list[Any] = []
    qr = QrCodeWidget(qr_payload(r.package_id, r.content_sha256), barLevel="M")
    b = qr.getBounds()
    qsize = 27 * mm
    qd = Drawing(qsize, qsize, transform=[qsize / (b[2] - b[0]), 0, 0, qsize / (b[3] - b[1]), 0, 0])
    qd.add(qr)
    title_block = [P(TITLE, h1), P("（办理完成证明）", sub), Spacer(1, 4),
                   P(f"证据包编号：{r.package_id}", ParagraphStyle("c", parent=small, alignment=TA_CENTER))]
    head = Table([[Spacer(qsize, qsize), title_block, qd]], colWidths=[qsize + 4, frame_w - 2 * qsize - 8, qsize + 4])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (2, 0), (2, 0), "RIGHT")]))
    story += [head, Spacer(1, 6)]

    status_text = "已完成" if r.status == "completed" else "已中止（证据保全）"
    case = r.case
    story.append(P("一、业务信息", h2))
    story.append(grid([
        ["受理号", case.case_no, "业务类型", case.business_type.value],
        ["不动产坐落", case.property.location or "—", *unit_cells(case.property.unit_no)],
        ["办理开始", _fmt_time(r.started_at), "办理结束", _fmt_time(r.finished_at)],
        ["办理状态", status_text, "电子签名", f"{r.signature_level}（终端设备证书）"],
        ["终端编号", r.kiosk_id, "软件版本", r.software_version],
        ["时区", ZONE_NOTE, "", ""],
    ], [0.15, 0.35, 0.15, 0.35], label_cols=(0, 2), wide_rows=(5,)))

    story.append(P("二、申请人", h2))
    rows: list[list[Any]] = [["序号", "角色", "类型", "名称/姓名", "证件号码", "现场签署人"]]
    for i, p in enumerate(case.parties, start=1):
        ident = mask_id(p.id_number or "") if p.kind == "person" else (p.credit_code or "")
        signer = f"{p.agent.name}（代理人 {mask_id(p.agent.id_number)}）" if p.agent else "本人"
        rows.append([str(i), p.role, _KINDS.get(p.kind, p.kind), p.name, ident, signer])
    story.append(grid(rows, [0.075, 0.09, 0.095, 0.25, 0.23, 0.26], header=True))

    evid = {e.party_id: e for e in r.parties}
    for n, p in enumerate(case.parties, start=1):
        e = evid.get(p.party_id)
        story.append(P(f"{_NUMERALS[n + 2]}、现场核验与双录：{p.role} {p.signer_name}", h2))
        if e is None:
            story.append(P("该申请人未完成现场办理。"))
            continue
        counter = iter(_NUMERALS[1:])

        def sub_title(text: str, counter: Any = counter) -> str:
            return f"（{next(counter)}）{text}"

        idsum = identity_summary(e.identity or {})
        tries = attempt_counts(r.audit, p.party_id)
        if tries.get("face_match"):  # the audit's count (identity.json keeps only the last run's tries)
            idsum["attempts"] = f"{tries['face_match']} 次" + (
                f"（活体动作 {tries['liveness']} 次）" if tries.get("liveness") else "")
        story.append(P(sub_title("身份核验"), h3))
        story.append(grid([
            ["核验结论", _yes_no(idsum["passed"]), "比对照片来源", idsum["source"]],
            ["人脸比对结果", idsum["distance"], "核验次数", idsum["attempts"]],
            ["比对引擎", P(idsum["engine"], small), "", ""],
            ["活体动作", idsum["liveness"], "", ""],
            ["录像期间在场", idsum["presence"], "", ""],
        ], [0.15, 0.35, 0.15, 0.35], label_cols=(0, 2), wide_rows=(2, 3, 4)))
        photos = getattr(e, "photos", None) or {}
        if photos:  # the two faces side by side, as the engine compared them
            ref_cap, live_cap = photo_captions(e.identity or {}, idsum)
            cells = [[face_image(photos.get("reference")), face_image(photos.get("live"))],
                     [P(ref_cap, small), P(live_cap, small)]]
            pt = Table(cells, colWidths=[0.5 * frame_w, 0.5 * frame_w])
            pt.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, rule), ("BOX", (0, 0), (-1, -1), 1.1, ink),
                                    ("ALIGN", (0, 0), (-1, 0), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                    ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
            story.append(KeepTogether([pt]))

        q = recording_summary(e.recording_quality or {})
        rec = r.recordings.get(f"recordings/{p.party_id}.mp4")
        story.append(P(sub_title("同步录音录像"), h3))
        story.append(grid([
            ["录像文件", f"recordings/{p.party_id}.mp4" if rec else "无", "时长", q["duration"]],
            ["SHA-256", P(rec["sha256"] if rec else "—", small), "", ""],
            ["质量检查", _yes_no(q["passed"], "合格", "不合格"), "技术指标", q["metrics"]],
            ["各环节位置", chapters_text(r.chapters.get(p.party_id) or []), "", ""],
        ], [0.15, 0.35, 0.15, 0.35], label_cols=(0, 2), wide_rows=(1, 3)))

        t = statement_summary(e.transcript or {})
        staff_st = next((m for m in e.manual_decisions or [] if str(m.get("step")) == "statement"), None)
        if staff_st is not None:  # the verdict is the staff member's: say so, and who
            manual = staff_st.get("manual") if isinstance(staff_st.get("manual"), dict) else {}
            t["verdict"] = (f"{_OUTCOMES.get(str(staff_st.get('outcome')), str(staff_st.get('outcome')))}，"
                            f"{staff_label(manual or {}, _audit_of(staff_st, r.audit))} 现场核听后决定"
                            + ("" if t["verdict"] in ("—", "") else f"（自动核对：{t['verdict']}）"))
        story.append(P(sub_title("陈述核对"), h3))
        story.append(grid([
            ["提示陈述", scrub_text(t["prompt"])],
            ["语音识别", scrub_text(t["heard"])],
            ["覆盖率/结论", t["verdict"]],
        ], [0.15, 0.85]))
        if e.qa:
            story.append(P(sub_title("询问与回答"), h3))
            qrows: list[list[Any]] = [["序号", "询问", "回答（识别或人工确认）", "判定", "判定人"]]
            staff_qa = next((m for m in e.manual_decisions or [] if str(m.get("step")) == "qa"), None)
            for k, item in enumerate(e.qa, start=1):
                qrows.append([str(k), _first(item, "ask", "question"), *qa_cells(item, staff_qa, r.audit)])
            story.append(grid(qrows, [0.07, 0.31, 0.30, 0.14, 0.18], header=True))
        if e.signatures:
            story.append(P(sub_title("签名"), h3))
            srows: list[list[Any]] = [["文书", "页码", "签字位置", "笔迹", "签名图样"]]
            titles = {d["doc_id"]: d["title"] for d in r.documents}
            for s in e.signatures:
                doc = next(d for d in case.documents if d.doc_id == s.doc_id)
                a = doc.anchors[s.anchor_index]
                thumb = Image(io.BytesIO(render_signature_png(s.pen, 480, 150, dpi=300)),
                              width=48 * mm, height=15 * mm)
                srows.append([titles.get(s.doc_id, s.doc_id), f"第{a.page}页",
                              f"第{s.anchor_index + 1}处（{_ANCHOR_KINDS.get(a.kind, a.kind)}）",
                              f"{len(s.pen.strokes)}笔 / {s.pen.point_count}点 / {s.pen.duration_ms / 1000:.1f}秒",
                              thumb])
            story.append(grid(srows, [0.25, 0.09, 0.16, 0.2, 0.3], header=True))
        if p.kind == "legal":
            story.append(P(sub_title("法人印章与代理授权"), h3))
            story.append(grid(legal_rows(p, r.documents), [0.15, 0.35, 0.15, 0.35], label_cols=(0, 2),
                              wide_rows=(1, 2)))
        if e.manual_decisions:
            story.append(P(sub_title("人工处理"), h3))
            mrows: list[list[Any]] = [["环节", "处理结果", "工作人员", "原因", "时间"]]
            for m in e.manual_decisions:
                mrows.append(manual_row(m, r.audit))
            story.append(grid(mrows, [0.13, 0.13, 0.16, 0.38, 0.2], header=True))

    sec = len(case.parties) + 3
    story.append(P(f"{_NUMERALS[sec]}、签署文书", h2))
    drows: list[list[Any]] = [["文书", "页数", "签字位置", "原件 SHA-256（平台下发）", "签署"]]
    for d in r.documents:
        anchors = d.get("anchors") or []
        done = sum(1 for a in anchors if a.get("stamped"))
        drows.append([d["title"], str(d.get("pages") or "—"), f"{done}/{len(anchors)}",
                      P(d.get("original_sha256") or "—", small), "已签署" if d.get("signed") else "未签署"])
    story.append(grid(drows, [0.25, 0.08, 0.11, 0.44, 0.12], header=True))

    story.append(P(f"{_NUMERALS[sec + 1]}、核验说明", h2))
    note = ("本报告及所签文书均由终端设备证书作 PAdES 电子签名，笔迹原始数据作为附件嵌入所签文书并受签名保护；"
            "证据包清单（manifest.json）逐一记录各文件的大小、SHA-256 与 SM3 摘要，并以设备密钥（ECDSA）与 SM2 "
            "双重签名。右上角二维码载有证据包编号与内容摘要，可使用 “bdc-kiosk verify 证据包目录” 核验。")
    story.append(KeepTogether([grid([["内容摘要", P(r.content_sha256, small)], ["说明", note]], [0.15, 0.85]),
                               Spacer(1, 16),
                               Table([[P(f"{ORG}（终端见证）", base), P("经办窗口人员（签章）：", base)],
                                      [P(f"生成时间：{_fmt_time(r.finished_at)}", small), Spacer(1, 18)]],
                                     colWidths=[frame_w * 0.55, frame_w * 0.45])]))

    pid = r.package_id

    class NumberedCanvas(rl_canvas.Canvas):
        """Defers page output so every footer can say 共 N 页."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            self.setStrokeColor(accent)
            self.setLineWidth(1.6)
            self.line(18 * mm, page_h - 13 * mm, page_w - 18 * mm, page_h - 13 * mm)
            self.setLineWidth(0.5)
            self.line(18 * mm, page_h - 14.2 * mm, page_w - 18 * mm, page_h - 14.2 * mm)
            self.setFont(font, 8)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(18 * mm, page_h - 11 * mm, ORG)
            self.drawRightString(page_w - 18 * mm, page_h - 11 * mm, TITLE)
            self.setStrokeColor(rule)
            self.line(18 * mm, 15 * mm, page_w - 18 * mm, 15 * mm)
            self.drawString(18 * mm, 10.5 * mm, f"证据包 {pid}")
            self.drawRightString(page_w - 18 * mm, 10.5 * mm, f"第 {self._pageNumber} 页  共 {total} 页")

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=19 * mm,
                            bottomMargin=20 * mm, title=f"{TITLE} {case.case_no}", author=ORG,
                            subject=pid, creator=f"bdc-kiosk {r.software_version}")
    doc.build(story, canvasmaker=NumberedCanvas)
    return buf.getvalue()
