"""Icons from resources/icons (SVG, drawn in one colour so the style sheet's palette applies)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap

import resources

ICON_DIR = Path(resources.__file__).with_name("icons")
STYLE_DIR = Path(resources.__file__).with_name("styles")


@cache
def _svg(name: str) -> str | None:
    path = ICON_DIR / f"{name}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def icon(name: str, *, color: str = "#3b4a63", size: int = 48) -> QIcon:
    """``resources/icons/<name>.svg`` with ``currentColor`` as ``color``; empty if missing."""
    text = _svg(name)
    if text is None:
        return QIcon()
    data = QByteArray(text.replace("currentColor", color).encode())
    image = QImage.fromData(data, "SVG")
    if image.isNull():
        return QIcon()
    scaled = image.scaled(
        QSize(size, size),
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    pixmap = QPixmap(scaled.size())
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.drawImage(0, 0, scaled)
    painter.end()
    return QIcon(pixmap)


def style_sheet() -> str:
    """The app's style sheet (resources/styles/app.qss); empty when it cannot be read."""
    try:
        return (STYLE_DIR / "app.qss").read_text(encoding="utf-8")
    except OSError:
        return ""
