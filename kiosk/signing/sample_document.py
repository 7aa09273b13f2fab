"""Sample registration documents for the demo, the tests and the benchmark.

Real documents come from the platform; these stand in for them with the same features that
matter to signing: Chinese text in an embedded font (so the text layer can be checked after
stamping), several pages, and printed boxes where the anchors are.
"""
from __future__ import annotations

import io
from collections.abc import Sequence

A4 = (595.28, 841.89)


def sample_form_pdf(title: str, case_no: str, *, pages: int = 2,
                    anchors: Sequence[tuple[int, tuple[float, float, float, float], str]] = (),
                    body: str = "") -> bytes:
    """A form of `pages` A4 pages; `anchors` are (page, (x, y, w, h), label) boxes to print."""
    from reportlab.pdfgen import canvas

    from kiosk.signing.fonts import register_cjk_font

    font = register_cjk_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1, invariant=1)  # same input, same bytes
    c.setTitle(title)
    c.setAuthor("漯河市不动产登记中心")
    w, h = A4
    text = body or ("申请人承诺：所提交的申请材料真实、合法、有效，复印件与原件一致，"
                    "所填内容与附件材料一致；如有不实，申请人愿意承担相应的法律责任。")
    for page in range(1, pages + 1):
        c.setFont(font, 18)
        c.drawCentredString(w / 2, h - 70, title)
        c.setFont(font, 10)
        c.drawString(60, h - 100, f"受理号：{case_no}")
        c.drawRightString(w - 60, h - 100, f"第 {page} 页 / 共 {pages} 页")
        c.setLineWidth(0.8)
        c.line(60, h - 108, w - 60, h - 108)
        c.setFont(font, 11)
        y = h - 135
        line = ""
        paras = [f"第{page}部分  {text}"] * 3
        for para in paras:
            for ch in para:
                if c.stringWidth(line + ch, font, 11) > w - 150:
                    c.drawString(60, y, line)
                    y -= 18
                    line = ""
                line += ch
            c.drawString(60, y, line)
            line = ""
            y -= 26
        for a_page, (x, ay, aw, ah), label in anchors:
            if a_page != page:
                continue
            c.setFont(font, 10.5)
            c.drawRightString(x - 6, ay + ah / 2 - 4, label)
            c.setDash(2, 2)
            c.setLineWidth(0.5)
            c.rect(x, ay, aw, ah)
            c.setDash()
        c.setFont(font, 8)
        c.drawCentredString(w / 2, 30, "漯河市不动产登记中心 制")
        c.showPage()
    c.save()
    return buf.getvalue()
