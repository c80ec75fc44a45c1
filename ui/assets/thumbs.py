"""Thumbnails decoded off the GUI thread, kept in a bounded LRU of pixmaps.

``ThumbnailCache.get(key, path)`` answers at once: the pixmap when decoded, else None after
queueing a decode (a QRunnable reading a scaled QImage with QImageReader on a small pool of its
own, newest request first, so what is on screen now loads before what scrolled past). When the
image arrives, ``loaded(key)`` is emitted on the GUI thread and the QImage becomes a QPixmap there.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QImageReader, QPainter, QPixmap

THUMB_SIDE = 160  # decoded size: the grid's icon size, drawn 1:1
CACHE_BYTES = 64 * 1024 * 1024


class _Relay(QObject):
    done = Signal(str, QImage)


class _Decode(QRunnable):
    def __init__(self, key: str, path: Path, side: int, relay: _Relay) -> None:
        super().__init__()
        self.key, self.path, self.side, self.relay = key, path, side, relay

    def run(self) -> None:  # on a pool thread: touches no widget
        reader = QImageReader(str(self.path))
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid() and max(size.width(), size.height()) > self.side:
            size.scale(QSize(self.side, self.side), Qt.AspectRatioMode.KeepAspectRatio)
            reader.setScaledSize(size)
        image = reader.read()  # a null image when the file is missing or unreadable
        self.relay.done.emit(self.key, image)


class ThumbnailCache(QObject):
    """Decoded thumbnails by key (a sha256, or any caller's key), at most ``max_bytes``."""

    loaded = Signal(str)

    def __init__(
        self, *, side: int = THUMB_SIDE, max_bytes: int = CACHE_BYTES, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.side = side
        self.max_bytes = max_bytes
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()
        self._icons: dict[str, QIcon] = {}
        self._bytes = 0
        self._pending: set[str] = set()
        self._failed: set[str] = set()
        self._order = itertools.count()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._relay = _Relay(self)
        self._relay.done.connect(self._arrived)

    def get(self, key: str, path: Path | None) -> QPixmap | None:
        pixmap = self._pixmaps.get(key)
        if pixmap is not None:
            self._pixmaps.move_to_end(key)
            return pixmap
        if path is not None and key not in self._pending and key not in self._failed:
            self._pending.add(key)
            # Newest first: a higher priority runs sooner.
            self.pool.start(_Decode(key, path, self.side, self._relay), next(self._order) % 10**6)
        return None

    def icon(self, key: str, path: Path | None) -> QIcon | None:
        """The thumbnail as an icon (views scale icons to their icon size), or None for now."""
        icon = self._icons.get(key)
        if icon is not None and key in self._pixmaps:
            self._pixmaps.move_to_end(key)
            return icon
        pixmap = self.get(key, path)
        if pixmap is None:
            return None
        icon = self._icons[key] = QIcon(pixmap)
        return icon

    def failed(self, key: str) -> bool:
        return key in self._failed

    def forget(self, key: str) -> None:
        pixmap = self._pixmaps.pop(key, None)
        self._icons.pop(key, None)
        if pixmap is not None:
            self._bytes -= _cost(pixmap)
        self._failed.discard(key)

    def wait(self, msecs: int = 10_000) -> bool:
        return self.pool.waitForDone(msecs)

    @Slot(str, QImage)
    def _arrived(self, key: str, image: QImage) -> None:
        self._pending.discard(key)
        if image.isNull():
            self._failed.add(key)
            self.loaded.emit(key)
            return
        pixmap = QPixmap.fromImage(image)
        self._pixmaps[key] = pixmap
        self._bytes += _cost(pixmap)
        while self._bytes > self.max_bytes and len(self._pixmaps) > 1:
            gone, old = self._pixmaps.popitem(last=False)
            self._icons.pop(gone, None)
            self._bytes -= _cost(old)
        self.loaded.emit(key)

    def __len__(self) -> int:
        return len(self._pixmaps)


def _cost(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * 4


_PLACEHOLDERS: dict[tuple[str, int], QPixmap] = {}
_PLACEHOLDER_ICONS: dict[str, QIcon] = {}
_COLORS = {"image": "#d9dde3", "video": "#d6d3ea", "document": "#e6dfcf"}
_LABELS = {"image": "IMAGE", "video": "VIDEO", "document": "PDF"}


def placeholder(kind: str, side: int = 160) -> QPixmap:
    """A neutral tile with the asset's kind, shown until (or instead of) its thumbnail."""
    key = (kind, side)
    if key not in _PLACEHOLDERS:
        pixmap = QPixmap(side, side)
        pixmap.fill(QColor(_COLORS.get(kind, "#dddddd")))
        painter = QPainter(pixmap)
        painter.setPen(QColor("#5b6370"))
        font = QFont()
        font.setPointSize(max(7, side // 14))
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, _LABELS.get(kind, "FILE"))
        painter.end()
        _PLACEHOLDERS[key] = pixmap
    return _PLACEHOLDERS[key]


def placeholder_icon(kind: str) -> QIcon:
    if kind not in _PLACEHOLDER_ICONS:
        _PLACEHOLDER_ICONS[kind] = QIcon(placeholder(kind))
    return _PLACEHOLDER_ICONS[kind]
