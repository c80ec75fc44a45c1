"""The status bar: connection, last sync, changes waiting, and the sync's progress with Cancel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from desktop.domain.values import parse_time, utcnow
from desktop.progress import ProgressReport
from ui.shell.icons import icon
from ui.shell.sync_controller import OFFLINE_TEXT, SyncState

STATE_TEXT: Final = {
    SyncState.ONLINE.value: "Online",
    SyncState.OFFLINE.value: OFFLINE_TEXT,
    SyncState.SYNCING.value: "Syncing…",
    SyncState.SIGNED_OUT.value: "Not signed in — your work is kept here; sign in to sync",
}


def ago(moment: datetime, now: datetime) -> str:
    """``just now``, ``3 min ago``, ``2 h ago``, ``yesterday``, ``4 days ago``."""
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86_400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86_400)
    return "yesterday" if days == 1 else f"{days} days ago"


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n = n / 1024  # type: ignore[assignment]
    return f"{n} bytes"  # pragma: no cover


def progress_text(report: ProgressReport) -> str:
    """``Pulling changes: 1,200 of 3,000 records, 2.1 MB of 8.0 MB``."""
    text = report.phase
    if report.total:
        text += f": {report.done:,} of {report.total:,}"
    elif report.done:
        text += f": {report.done:,}"
    if report.bytes_total:
        text += f", {_size(report.bytes_done)} of {_size(report.bytes_total)}"
    elif report.bytes_done:
        text += f", {_size(report.bytes_done)}"
    return text


class SyncStatus(QWidget):
    """Not a widget of its own: it installs its labels into the window's status bar."""

    cancel_requested = Signal()

    def __init__(
        self,
        bar: QStatusBar,
        *,
        clock: Callable[[], datetime] = utcnow,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.bar = bar
        self.connection = QLabel(STATE_TEXT[SyncState.SIGNED_OUT.value])
        self.connection.setObjectName("connection")
        self.connection.setProperty("state", SyncState.SIGNED_OUT.value)
        self.last_sync = QLabel("Never synced")
        self.last_sync.setObjectName("lastSync")
        self.pending = QLabel("")
        self.pending.setObjectName("pending")
        self.phase = QLabel("")
        self.phase.setObjectName("syncPhase")
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(False)
        self.cancel = QToolButton()
        self.cancel.setIcon(icon("cancel"))
        self.cancel.setToolTip("Cancel the sync (safe: it goes on next time)")
        self.cancel.setAccessibleName("Cancel sync")
        self.cancel.setAutoRaise(True)
        self.cancel.clicked.connect(self.cancel_requested)
        for widget in (self.phase, self.progress, self.cancel):
            widget.hide()
        bar.addWidget(self.connection)
        bar.addWidget(self.last_sync)
        bar.addPermanentWidget(self.phase)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel)
        bar.addPermanentWidget(self.pending)
        self._last_sync_at: datetime | None = None
        self.ticker = QTimer(self)
        self.ticker.setInterval(30_000)
        self.ticker.timeout.connect(self.refresh_ago)
        self.ticker.start()

    @Slot(str)
    def set_state(self, state: str) -> None:
        self.connection.setText(STATE_TEXT.get(state, state))
        self.connection.setProperty("state", state)
        self.connection.style().unpolish(self.connection)
        self.connection.style().polish(self.connection)
        syncing = state == SyncState.SYNCING.value
        for widget in (self.phase, self.progress, self.cancel):
            widget.setVisible(syncing)
        if syncing:
            self.progress.setRange(0, 0)
            self.phase.setText("Starting sync…")

    @Slot(object)
    def show_progress(self, report: ProgressReport) -> None:
        self.phase.setText(progress_text(report))
        if report.bytes_total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * report.bytes_done / max(report.bytes_total, 1)))
        elif report.total:
            self.progress.setRange(0, report.total)
            self.progress.setValue(min(report.done, report.total))
        else:
            self.progress.setRange(0, 0)

    def set_last_sync(self, when: str | None) -> None:
        self._last_sync_at = parse_time(when) if when else None
        self.refresh_ago()

    @Slot()
    def refresh_ago(self) -> None:
        if self._last_sync_at is None:
            self.last_sync.setText("Never synced")
            return
        self.last_sync.setText(f"Synced {ago(self._last_sync_at, self.clock())}")
        self.last_sync.setToolTip(f"Last sync: {self._last_sync_at:%Y-%m-%d %H:%M} UTC")

    def set_pending(self, count: int) -> None:
        if count == 0:
            self.pending.setText("No changes waiting")
        else:
            self.pending.setText(f"{count} change{'s' if count != 1 else ''} to sync")
