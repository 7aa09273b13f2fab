"""The signature canvas and the reading view, driven by real Qt events (offscreen)."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QBuffer, QEvent, QIODevice, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent, QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication

from kiosk.signing import PenData
from kiosk.signing.ink import DEFAULT_INK, ink_polygons, transform_polygons
from kiosk.signing.sample_document import sample_form_pdf
from kiosk.signing.sample_pen import handwriting_points
from ui.widgets.pdf_reader import PdfReader
from ui.widgets.signature_canvas import SignatureCanvas, SignaturePanel


def _to_array(img: QImage) -> np.ndarray:
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return np.asarray(Image.open(io.BytesIO(bytes(buf.data()))).convert("RGB"))


def _grow(mask: np.ndarray) -> np.ndarray:
    out = mask.copy()
    out[1:, :] |= mask[:-1, :]
    out[:-1, :] |= mask[1:, :]
    out[:, 1:] |= mask[:, :-1]
    out[:, :-1] |= mask[:, 1:]
    return out


def test_pad_points_become_the_same_pen_data(qtbot) -> None:
    c = SignatureCanvas()
    qtbot.addWidget(c)
    c.resize(800, 400)
    pts = handwriting_points(6)
    c.add_points(pts)
    w_mm, h_mm = c.writing_area_mm()
    assert c.pen_data() == PenData.from_points(pts, "screen", w_mm, h_mm)
    with qtbot.waitSignal(c.confirmed) as sig:
        c.confirm()
    assert sig.args[0].point_count == c.pen_data().point_count


def test_canvas_paints_exactly_the_renderer_geometry(qtbot) -> None:
    c = SignatureCanvas(anchor_aspect=None)
    qtbot.addWidget(c)
    c.resize(900, 450)
    c.show()
    c.add_points(handwriting_points(7))
    shot = _to_array(c.grab().toImage())
    canvas_ink = shot.mean(axis=2) < 110   # ink is blue-black; guide lines are light grey
    w_mm, h_mm = c.writing_area_mm()
    polys = transform_polygons(ink_polygons(c.pen_data(), DEFAULT_INK), shot.shape[1] / w_mm, 0, 0)
    ref = Image.new("L", (shot.shape[1], shot.shape[0]), 0)
    d = ImageDraw.Draw(ref)
    for p in polys:
        d.polygon(p, fill=255)
    ref_ink = np.asarray(ref) > 128
    assert ref_ink.sum() > 1000
    # same shapes up to one pixel of anti-aliasing at the edges, both ways round
    assert (canvas_ink & _grow(ref_ink)).sum() / canvas_ink.sum() > 0.97
    assert (ref_ink & _grow(canvas_ink)).sum() / ref_ink.sum() > 0.97


def _mouse(c: SignatureCanvas, kind: QEvent.Type, x: float, y: float) -> None:
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else Qt.MouseButton.LeftButton
    ev = QMouseEvent(kind, QPointF(x, y), c.mapToGlobal(QPointF(x, y)), Qt.MouseButton.LeftButton, buttons,
                     Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(c, ev)


def test_mouse_strokes_undo_clear_and_rejection(qtbot) -> None:
    panel = SignaturePanel()
    qtbot.addWidget(panel)
    panel.resize(800, 500)
    c = panel.canvas
    assert not panel.confirm_button.isEnabled()
    with qtbot.waitSignal(c.rejected) as rej:
        c.confirm()
    assert "没有检测到签名" in rej.args[0][0]
    for k in range(2):
        _mouse(c, QEvent.Type.MouseButtonPress, 100 + 200 * k, 150)
        for i in range(30):
            _mouse(c, QEvent.Type.MouseMove, 100 + 200 * k + i * 4, 150 + (i % 7) * 6)
        _mouse(c, QEvent.Type.MouseButtonRelease, 220 + 200 * k, 170)
    assert c.stroke_count() == 2 and panel.confirm_button.isEnabled()
    assert len(c.pen_data().strokes) == 2
    panel.undo_button.click()
    assert c.stroke_count() == 1
    panel.clear_button.click()
    assert c.stroke_count() == 0 and not panel.confirm_button.isEnabled()


def test_tablet_events_carry_pressure_and_tilt(qtbot) -> None:
    c = SignatureCanvas()
    qtbot.addWidget(c)
    c.resize(800, 400)
    dev = QPointingDevice.primaryPointingDevice()

    def tab(kind: QEvent.Type, x: float, pressure: float) -> None:
        pos = QPointF(x, 200)
        ev = QTabletEvent(kind, dev, pos, c.mapToGlobal(pos), pressure, 12.0, -7.0, 0.0, 0.0, 0.0,
                          Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton)
        QApplication.sendEvent(c, ev)

    tab(QEvent.Type.TabletPress, 100, 0.3)
    for i in range(20):
        tab(QEvent.Type.TabletMove, 100 + i * 10, 0.8)
    tab(QEvent.Type.TabletRelease, 300, 0.0)
    pen = c.pen_data()
    assert len(pen.strokes) == 1
    samples = pen.strokes[0].samples
    assert samples[0].pressure == pytest.approx(0.3, abs=1e-3) and samples[5].pressure == pytest.approx(0.8, abs=1e-3)
    assert samples[5].tilt_x == pytest.approx(12.0) and samples[5].tilt_y == pytest.approx(-7.0)


def test_guide_box_has_the_anchor_aspect(qtbot) -> None:
    c = SignatureCanvas(anchor_aspect=160 / 56)
    qtbot.addWidget(c)
    c.resize(1000, 500)
    g = c.guide_rect()
    assert g.width() / g.height() == pytest.approx(160 / 56, rel=1e-3)


def _shown_reader(qtbot, pdf: bytes, size: tuple[int, int] = (700, 600), **anchor) -> PdfReader:
    r = PdfReader()
    qtbot.addWidget(r)
    r.resize(*size)
    r.show()
    r.load(pdf, **anchor)
    return r


def test_reader_reaches_the_end_only_after_every_page(qtbot) -> None:
    pdf = sample_form_pdf("不动产登记申请书", "LH2026-000123", pages=3)
    r = _shown_reader(qtbot, pdf, (900, 700), anchor_page=3, anchor_rect=(350, 100, 180, 60))
    qtbot.waitUntil(lambda: len(r.images) == 3, timeout=30000)
    assert r.page == 1 and not r.read_to_end and not r.prev_button.isEnabled()
    r.next_button.click()
    assert r.page == 2 and not r.read_to_end
    with qtbot.waitSignal(r.reached_end, timeout=2000):
        r.next_button.click()
    assert r.page == 3 and not r.next_button.isEnabled()
    r.show_page(1)
    r.show_signature_place()
    assert r.page == 3 and r.canvas.box_px() is not None


def test_reader_zooms_to_body_text_of_at_least_24_pt(qtbot) -> None:
    pdf = sample_form_pdf("不动产登记申请书", "LH2026-000123", pages=1)
    r = _shown_reader(qtbot, pdf)
    fit = r.body_pt_on_screen()
    assert fit < 24 and not r.zoom_out_button.isEnabled()
    while r.zoom_in_button.isEnabled():
        r.zoom_in_button.click()
    assert r.body_pt_on_screen() >= 24
    assert r.canvas.width() > r.area.viewport().width(), "the zoomed page scrolls"
    r.zoom_out_button.click()
    assert r.body_pt_on_screen() < r.max_zoom() * 10.5 * 72 / (r.logicalDpiY() or 96)


def test_reader_shows_exactly_the_pixels_poppler_renders(qtbot, tmp_path) -> None:
    """The page arrives as raw rows (no decode on the GUI thread): the image the reader shows
    must be poppler's own PNG of that page, pixel for pixel."""
    import subprocess

    page1 = Image.new("RGB", (595, 842), (255, 255, 255))
    page2 = Image.new("RGB", (595, 842), (255, 255, 255))
    draw = ImageDraw.Draw(page2)
    for i, colour in enumerate([(200, 30, 30), (30, 160, 40), (20, 40, 220), (240, 200, 0)]):
        draw.rectangle((40 + 130 * i, 100, 150 + 130 * i, 300), fill=colour)  # channel order shows
    out = io.BytesIO()
    page1.save(out, "PDF", save_all=True, append_images=[page2], resolution=72.0)
    pdf = out.getvalue()
    r = _shown_reader(qtbot, pdf)
    qtbot.waitUntil(lambda: len(r.images) == 2, timeout=30000)
    dpi = int(round(r.max_zoom() * 72))
    (tmp_path / "d.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-f", "2", "-l", "2", "-r", str(dpi), "-png", "-singlefile",
                    str(tmp_path / "d.pdf"), str(tmp_path / "p")], check=True)
    expected = np.asarray(Image.open(tmp_path / "p.png").convert("RGB"))
    shown = _to_array(r.images[2].convertToFormat(QImage.Format.Format_RGB32))[:, :, :3]
    assert shown.shape == expected.shape
    assert np.array_equal(shown, expected)


def test_page_pixels_refuse_what_is_not_poppler_ppm() -> None:
    from ui.pdf_pages import read_ppm

    good = read_ppm(b"P6\n# poppler\n2 1\n255\n" + bytes(range(6)))
    assert (good.width, good.height, good.rgb) == (2, 1, bytes(range(6)))
    for bad in (b"", b"P5\n2 1\n255\n" + bytes(2), b"P6\n2 1\n65535\n" + bytes(12), b"P6\n2 1\n255\n" + bytes(5),
                b"P6\nx 1\n255\n", b"\x89PNG\r\n"):
        with pytest.raises(ValueError):
            read_ppm(bad)


def test_page_is_drawn_at_once_and_smoothed_off_the_gui_thread(qtbot) -> None:
    from ui.widgets.pdf_reader import smooth_scale

    # area averaging: each output pixel is the mean of the 2×2 block it covers
    rows = bytes([0, 0, 0, 100, 100, 100, 10, 20, 30, 50, 60, 70,
                  200, 200, 200, 100, 100, 100, 30, 20, 10, 70, 60, 50])
    out = smooth_scale(rows, 4, 2, 12, (2, 1))
    assert out == bytes([100, 100, 100, 255, 40, 40, 40, 255])  # B, G, R, X per pixel
    pdf = sample_form_pdf("不动产登记申请书", "LH2026-000123", pages=1)
    r = _shown_reader(qtbot, pdf)
    qtbot.waitUntil(lambda: 1 in r.images, timeout=30000)
    canvas = r.canvas
    canvas.repaint()  # the first paint draws the big page unsmoothed and asks for a smooth copy
    qtbot.waitUntil(lambda: canvas._scaled is not None, timeout=10000)
    assert (canvas._scaled.width(), canvas._scaled.height()) == (canvas.width(), canvas.height())
    big = _to_array(r.images[1].convertToFormat(QImage.Format.Format_RGB32))
    small = _to_array(canvas._scaled)
    expected = np.asarray(Image.fromarray(big).resize((canvas.width(), canvas.height()), Image.BOX))
    assert np.abs(small.astype(int) - expected.astype(int)).mean() < 2.0
    r.zoom_in_button.click()  # another size: a new smooth copy for it
    canvas.repaint()
    qtbot.waitUntil(lambda: canvas._scaled is not None and canvas._scaled.width() == canvas.width(), timeout=10000)


def test_live_ink_drawn_in_batches_is_the_ink_drawn_at_once(qtbot) -> None:
    """The mirror draws each batch once onto its backing image: the result must be what drawing
    every point at once gives, across batch borders inside a stroke and across pen lifts."""
    from ui.widgets.ink_mirror import InkMirror

    points = [(0.1 + 0.01 * i, 0.5 + 0.2 * np.sin(i / 5), 0.6) for i in range(40)]
    points += [(0.6, 0.3, 0.0)] + [(0.6 + 0.005 * i, 0.3 + 0.01 * i, 0.8) for i in range(30)]
    live, whole = InkMirror(), InkMirror()
    for w in (live, whole):
        qtbot.addWidget(w)
        w.resize(400, 200)
        w.show()
    live.grab()  # painted once while empty: later batches go onto the backing image
    for i in range(0, len(points), 7):
        live.add(points[i:i + 7])
    whole.add(points)
    a, b = _to_array(live.grab().toImage()), _to_array(whole.grab().toImage())
    assert (a < 100).any(), "ink is on screen"
    assert np.array_equal(a, b)
    live.clear()
    assert not (_to_array(live.grab().toImage()) < 100).any()
