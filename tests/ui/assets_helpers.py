"""Helpers for the asset bank and adapt view tests: thumbnails on disk, real drop events."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication
from sqlalchemy import text

from desktop.store.db import Store
from desktop.store.files import BlobFiles
from desktop.store.models import BlobCache
from ui.assets.models import PALETTE_MIME, PaletteItem


def make_image(path: Path, size: tuple[int, int] = (800, 600), color: Any = (40, 90, 160)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, color)
    for x in range(0, size[0], 50):
        image.putpixel((x, x % size[1]), (255, 255, 255))
    image.save(path, "PNG" if path.suffix == ".png" else "JPEG")
    return path


def add_thumbnails(store: Store, limit: int | None = None, *, full: bool = False) -> list[str]:
    """Give assets of the store a thumbnail file (and the full file with ``full``), as a sync
    would have fetched; returns the sha256s."""
    files = BlobFiles(store.data_dir)
    with store.read() as session:
        shas = [r[0] for r in session.execute(text("SELECT DISTINCT sha256 FROM assets"))]
    shas = shas[:limit] if limit else shas
    for n, sha in enumerate(shas):
        image = Image.new("RGB", (300, 200), (n * 37 % 255, 120, 200))
        out = io.BytesIO()
        image.save(out, "JPEG")
        thumb = files.thumb_path(sha)
        files.write(thumb, [out.getvalue()])
        blob_rel = None
        if full:
            blob = files.blob_path(sha)
            big = io.BytesIO()
            Image.new("RGB", (1200, 800), (200, n * 37 % 255, 90)).save(big, "JPEG")
            # Not the real content of that sha256: good enough for previews and crops.
            blob.parent.mkdir(parents=True, exist_ok=True)
            blob.write_bytes(big.getvalue())
            blob_rel = files.relative(blob)
        with store.write() as session:
            session.merge(
                BlobCache(
                    sha256=sha,
                    state="full" if full else "thumbnail",
                    thumbnail_path=files.relative(thumb),
                    path=blob_rel,
                    size=1000,
                )
            )
    return shas


def drop(view: QAbstractItemView, mime: QMimeData, point: QPoint | None = None) -> bool:
    """Send a real drop event to ``view``'s viewport at ``point`` (default: its centre); returns
    whether the view accepted it. (The event is not returned: it points at ``mime``.)"""
    where = point if point is not None else view.viewport().rect().center()
    # As a real drag does: enter, move, then drop (Qt delivers a drop only after an enter).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for kind in (QDragEnterEvent, QDragMoveEvent):
            step = kind(
                where,
                Qt.DropAction.CopyAction,
                mime,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
            )
            QApplication.sendEvent(view.viewport(), step)
            if not step.isAccepted():
                return False
    event = QDropEvent(
        QPointF(where),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), event)
    return event.isAccepted()


def file_mime(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def palette_mime(item: PaletteItem) -> QMimeData:
    mime = QMimeData()
    mime.setData(PALETTE_MIME, item.to_json())
    return mime


def row_point(view: QAbstractItemView, row: int) -> QPoint:
    index = view.model().index(row, 0)
    view.scrollTo(index)
    return view.visualRect(index).center()
