"""Where each step is in a party's recording: chapters, a WebVTT file and a subtitle track.

The recorder notes the wall-clock time of media time 0 (`started_at`, from its capture clocks);
the audit log has when each of the party's steps started and ended. The difference is the
step's offset into the recording. The package then carries, per recording:
- `recordings/<party>.vtt`: one cue per step with its name and outcome (who decided, for a
  manual decision), the statement's prompt and what was recognised, each question with its
  answer and verdict — any player, or a text editor, shows where the statement and the answers are;
- the MP4 itself remuxed (streams copied, not re-encoded) with a chapter per step and the same
  cues as a `mov_text` subtitle track, so `ffprobe -show_chapters` and players list them.
Remuxing needs the `ffmpeg` program; without it the recording is copied as it is and the
reason is returned (the WebVTT file is written either way).
"""
from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kiosk.privacy import scrub_text

log = logging.getLogger(__name__)

STEP_TITLES = {"identity": "身份核验", "notice": "告知", "statement": "陈述", "qa": "问答", "signing": "签字",
               "review": "核对"}
OUTCOMES = {"passed": "通过", "failed": "未通过", "manual_pass": "人工通过", "manual_fail": "人工否决",
            "skipped": "跳过"}
VERDICTS = {"affirm": "肯定", "deny": "否定", "unclear": "不明确"}


def _time(iso: Any) -> dt.datetime | None:
    try:
        t = dt.datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo is not None else None


def step_chapters(party_id: str, started_at: str | None, duration_s: float | None,
                  audit: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The party's steps as `{step, title, start_s, end_s, outcome, staff}`, offsets in seconds into
    the recording (clamped to it); empty when the recording's start is not known."""
    origin = _time(started_at)
    if origin is None:
        return []
    end_of_media = float(duration_s) if isinstance(duration_s, (int, float)) else None
    out: list[dict[str, Any]] = []
    open_steps: dict[str, dt.datetime] = {}
    for ev in audit:
        if ev.get("party_id") != party_id or not ev.get("step"):
            continue
        t = _time(ev.get("ts"))
        step = str(ev["step"])
        if t is None:
            continue
        if ev.get("kind") == "step_started":
            open_steps[step] = t
        elif ev.get("kind") == "step_result" and step in open_steps:
            start = max(0.0, (open_steps.pop(step) - origin).total_seconds())
            end = max(start, (t - origin).total_seconds())
            if end_of_media is not None:
                start, end = min(start, end_of_media), min(end, end_of_media)
            outcome = str(ev.get("outcome") or "")
            out.append({"step": step, "title": STEP_TITLES.get(step, step), "start_s": round(start, 3),
                        "end_s": round(end, 3), "outcome": outcome,
                        "staff": str(ev.get("staff") or "") if ev.get("manual") else ""})
    return out


def _stamp(s: float) -> str:
    ms = round(s * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def cue_lines(ch: dict[str, Any], transcript: dict[str, Any], qa: Sequence[dict[str, Any]]) -> list[str]:
    head = f"{ch['title']}：{OUTCOMES.get(ch['outcome'], ch['outcome'] or '—')}"
    if ch.get("staff"):
        head += f"（工作人员 {ch['staff']} 决定）"
    lines = [head]
    if ch["step"] == "statement":
        prompt = transcript.get("statement") or transcript.get("prompt")
        heard = transcript.get("text") or transcript.get("transcript") or transcript.get("note")
        if prompt:
            lines.append(f"提示：{scrub_text(str(prompt))}")
        lines.append(f"识别：{scrub_text(str(heard)) if heard else '—'}")
    elif ch["step"] == "qa":
        for i, item in enumerate(qa, 1):
            answer = item.get("answer") or item.get("transcript") or item.get("note") or "—"
            verdict = VERDICTS.get(str(item.get("verdict") or ""), "—")
            lines.append(f"问{i}：{item.get('ask') or item.get('question') or ''}　答：{scrub_text(str(answer))}"
                         f"　判定：{verdict}")
    return [ln.replace("-->", "->") for ln in lines]


def webvtt(chapters: Sequence[dict[str, Any]], transcript: dict[str, Any], qa: Sequence[dict[str, Any]]) -> str:
    out = ["WEBVTT", ""]
    for n, ch in enumerate(chapters, 1):
        out += [f"{n}-{ch['step']}", f"{_stamp(ch['start_s'])} --> {_stamp(max(ch['end_s'], ch['start_s'] + 0.5))}",
                *cue_lines(ch, transcript, qa), ""]
    return "\n".join(out)


def _ffmetadata(chapters: Sequence[dict[str, Any]]) -> str:
    def esc(s: str) -> str:
        return "".join("\\" + c if c in "=;#\\\n" else c for c in s)

    out = [";FFMETADATA1"]
    for ch in chapters:
        title = f"{ch['title']} {OUTCOMES.get(ch['outcome'], ch['outcome'])}".strip()
        out += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={round(ch['start_s'] * 1000)}",
                f"END={round(max(ch['end_s'], ch['start_s'] + 0.001) * 1000)}", f"title={esc(title)}"]
    return "\n".join(out) + "\n"


def copy_with_chapters(src: Path, dst: Path, chapters: Sequence[dict[str, Any]], vtt: str) -> str:
    """Copy the recording to `dst`, remuxed with chapters and the subtitle track; "" when done,
    else why it was copied unchanged."""
    ffmpeg = shutil.which("ffmpeg")
    if not chapters or ffmpeg is None:
        shutil.copyfile(src, dst)
        return "没有步骤时间" if not chapters else "未安装 ffmpeg，录像未加章节"
    with tempfile.TemporaryDirectory(prefix="bdc-chapters-") as tmp:
        meta, subs = Path(tmp) / "chapters.txt", Path(tmp) / "cues.vtt"
        meta.write_text(_ffmetadata(chapters), encoding="utf-8")
        subs.write_text(vtt, encoding="utf-8")
        cmd = [ffmpeg, "-v", "error", "-nostdin", "-y", "-i", str(src), "-i", str(meta), "-i", str(subs),
               "-map", "0:v", "-map", "0:a?", "-map", "2:s", "-map_metadata", "0", "-map_chapters", "1",
               "-c", "copy", "-c:s", "mov_text", "-metadata:s:s:0", "language=chi", "-f", "mp4", str(dst)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
            why = "" if proc.returncode == 0 else f"ffmpeg 失败：{proc.stderr.strip()[:300]}"
        except (OSError, subprocess.TimeoutExpired) as exc:
            why = f"ffmpeg 失败：{type(exc).__name__}"
    if why:
        log.warning("recording %s copied without chapters: %s", src.name, why)
        shutil.copyfile(src, dst)
    return why
