"""A QR code as a QPixmap (the receipt on the result screen), made with `qrcode`."""
from __future__ import annotations

import qrcode
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap


def qr_pixmap(payload: str, size: int) -> QPixmap:
    qr = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(payload)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    n = len(matrix)
    cell = max(1, size // n)
    image = QImage(n * cell, n * cell, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    p = QPainter(image)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                p.fillRect(x * cell, y * cell, cell, cell, QColor("#000000"))
    p.end()
    return QPixmap.fromImage(image)
