"""The main window: a sidebar of sections and the section's view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import func, select

from desktop.store.db import Store
from desktop.store.models import RECORD_MODELS, OutboxOp

SECTIONS = ("Ops board", "Calendar", "Asset bank", "Requests", "Conflicts")


class MainWindow(QMainWindow):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.setWindowTitle("Section Desk")
        self.sidebar = QListWidget()
        self.sidebar.addItems(SECTIONS)
        self.sidebar.setMaximumWidth(200)
        self.pages = QStackedWidget()
        for name in SECTIONS:
            self.pages.addWidget(self._overview(name))
        self.sidebar.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.sidebar.setCurrentRow(0)
        splitter = QSplitter()
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        self.setCentralWidget(splitter)
        self.statusBar().showMessage(f"Local store: {store.path}")

    def _overview(self, title: str) -> QWidget:
        with self.store.read() as session:
            counts = {
                name: session.scalar(
                    select(func.count()).select_from(model).where(model.deleted.is_(False))
                )
                for name, model in RECORD_MODELS.items()
            }
            pending = session.scalar(select(func.count()).select_from(OutboxOp))
        page = QWidget()
        layout = QVBoxLayout(page)
        heading = QLabel(f"<h2>{title}</h2>")
        lines = "".join(f"<li>{n.replace('_', ' ')}: {c}</li>" for n, c in counts.items())
        body = QLabel(f"<ul>{lines}</ul><p>Changes waiting to sync: {pending}</p>")
        body.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)
        return page
