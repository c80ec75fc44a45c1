"""Running work off the GUI thread, after Anki's CollectionOp/QueryOp and Picard's run_task.

    Op(ctx.ops, lambda progress: entries.move_entry(ws, ...), pool=Pool.DB)
        .success(on_moved)
        .with_progress("Moving entry", parent=self)
        .run()

Two pools: one thread for local database writes (SQLite has one writer, and the undo stack lives
there), and a few threads for network and hashing, so a long sync never queues behind a quick
edit. The job gets a ``desktop.progress.Progress``; reports and the result come back to the GUI
thread by queued signals. A failure shows a clear dialog by default: never a traceback, never a
silent log line. A write's ChangeSet is announced on ``AppSignals.changed``.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from desktop.progress import Cancelled, Progress, ProgressReport
from desktop.services.changes import ChangeSet, EditRefused

log = logging.getLogger(__name__)
T = TypeVar("T")


def alive(obj: object) -> bool:
    """False once Qt has deleted the C++ side of an object (a background result may come back
    after its view was closed)."""
    return bool(shiboken6.isValid(obj))


class Pool(enum.Enum):
    DB = "db"
    NET = "net"


class AppSignals(QObject):
    """App-wide notifications. ``changed`` carries the set of record types an operation changed;
    each view refreshes only when a type it shows is in it (Anki's operation_did_execute)."""

    changed = Signal(object)  # frozenset[str] of record types
    status = Signal(str)  # a short message for the status bar


class Ops(QObject):
    """The two thread pools and the app's signals."""

    def __init__(self, signals: AppSignals, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.signals = signals
        self.db_pool = QThreadPool(self)
        self.db_pool.setMaxThreadCount(1)
        self.net_pool = QThreadPool(self)
        self.net_pool.setMaxThreadCount(3)
        self._running: set[Op[Any]] = set()

    def pool(self, which: Pool) -> QThreadPool:
        return self.db_pool if which is Pool.DB else self.net_pool

    def wait_all(self, msecs: int = 30_000) -> bool:
        """Block until background work ends (used on close and in tests)."""
        return self.db_pool.waitForDone(msecs) and self.net_pool.waitForDone(msecs)


class _Relay(QObject):
    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], progress: Progress, relay: _Relay) -> None:
        super().__init__()
        self.fn, self.progress, self.relay = fn, progress, relay

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            self._send(self.relay.failed, exc)
        else:
            self._send(self.relay.finished, result)

    def _send(self, signal: Any, value: object) -> None:
        # At exit Qt may have deleted the relay already; nobody is left to tell.
        if alive(self.relay):
            signal.emit(value)


class Op(Generic[T]):
    """One background operation; configure with the chained methods, then ``run()``."""

    def __init__(
        self,
        ops: Ops,
        fn: Callable[[Progress], T],
        *,
        pool: Pool = Pool.DB,
        owner: QObject | None = None,
    ) -> None:
        """``owner``: the widget the callbacks update; if Qt has deleted it by the time the job
        ends (a closed dialog, a torn-down view), the callbacks are skipped."""
        self._ops = ops
        self._fn = fn
        self._pool = pool
        self._owner = owner
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_cancel: Callable[[], None] | None = None
        self._on_progress: Callable[[ProgressReport], None] | None = None
        self._dialog_label: str | None = None
        self._parent: QWidget | None = None
        self._dialog: QProgressDialog | None = None
        self.progress = Progress(self._relay_report)
        self._relay = _Relay()

    def success(self, callback: Callable[[T], None]) -> Op[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op[T]:
        self._on_failure = callback
        return self

    def on_cancel(self, callback: Callable[[], None]) -> Op[T]:
        """Called on the GUI thread when the job stopped because the user cancelled it."""
        self._on_cancel = callback
        return self

    def on_progress(self, callback: Callable[[ProgressReport], None]) -> Op[T]:
        self._on_progress = callback
        return self

    def with_progress(self, label: str, parent: QWidget | None) -> Op[T]:
        """Show a cancellable progress dialog (after a short delay, so quick jobs never flash)."""
        self._dialog_label = label
        self._parent = parent
        return self

    def _relay_report(self, report: ProgressReport) -> None:
        self._relay.progressed.emit(report)  # from the worker: queued to the GUI thread

    def run(self) -> Op[T]:
        self._relay.progressed.connect(self._progressed)
        self._relay.finished.connect(self._finished)
        self._relay.failed.connect(self._failed)
        if self._dialog_label is not None:
            dialog = QProgressDialog(self._dialog_label, "Cancel", 0, 0, self._parent)
            dialog.setMinimumDuration(400)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(self.progress.cancel)
            self._dialog = dialog
        self._ops._running.add(self)
        self._ops.pool(self._pool).start(_Job(self._fn, self.progress, self._relay))
        return self

    @Slot(object)
    def _progressed(self, report: ProgressReport) -> None:
        if self._dialog is not None:
            self._dialog.setLabelText(f"{self._dialog_label}\n{report.phase}")
            if report.bytes_total:
                self._dialog.setMaximum(1000)
                self._dialog.setValue(int(1000 * report.bytes_done / max(report.bytes_total, 1)))
            elif report.total:
                self._dialog.setMaximum(report.total)
                self._dialog.setValue(min(report.done, report.total))
            else:
                self._dialog.setMaximum(0)
        if self._on_progress is not None:
            self._on_progress(report)

    def _close(self) -> None:
        if self._dialog is not None:
            self._dialog.hide()
            self._dialog.deleteLater()
            self._dialog = None
        self._ops._running.discard(self)

    def _owner_gone(self) -> bool:
        return self._owner is not None and not alive(self._owner)

    @Slot(object)
    def _finished(self, result: T) -> None:
        self._close()
        if isinstance(result, ChangeSet) and result:
            self._ops.signals.changed.emit(result.types)  # the data changed whoever asked
        if self._on_success is not None and not self._owner_gone():
            self._on_success(result)

    @Slot(object)
    def _failed(self, error: BaseException) -> None:
        self._close()
        if isinstance(error, Cancelled):
            self._ops.signals.status.emit("Cancelled.")
            if self._on_cancel is not None and not self._owner_gone():
                self._on_cancel()
            return
        if self._owner_gone():
            if not isinstance(error, EditRefused):
                user_message(error)  # logs unexpected errors even when nobody is left to tell
            return
        if self._on_failure is not None:
            self._on_failure(error)
            return
        show_error(self._parent, error)


def user_message(error: BaseException) -> str:
    """What to tell the lead about an error: its own words for expected ones, a plain line else."""
    from desktop.domain.records import RecordError
    from desktop.store.files import FileStoreError

    expected: tuple[type[BaseException], ...] = (EditRefused, RecordError, FileStoreError)
    try:
        from sync.client.api import SyncError

        expected += (SyncError,)
    except ImportError:  # pragma: no cover - sync is part of the app
        pass
    if isinstance(error, expected):
        return str(error)
    if isinstance(error, OSError):
        return f"A file could not be read or written: {error.strerror or error}."
    log.exception("Unexpected error in a background operation", exc_info=error)
    return (
        "Something went wrong and the operation was stopped; nothing was half-saved. "
        f"({error.__class__.__name__}: {error}) The details are in the log."
    )


def show_error(parent: QWidget | None, error: BaseException) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Section Desk")
    box.setText(user_message(error))
    if isinstance(error, EditRefused) and len(error.findings) > 1:
        box.setDetailedText("\n".join(f"• {f.finding.message}" for f in error.findings))
    box.open()
