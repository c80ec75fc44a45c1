"""The main window: a sidebar of sections, the section's view, menus, toolbar and status bar.

Views are created the first time their section is shown. Every view emits
``open_record(type, id)``; the window routes it to the view of that record type. The app-wide
``changed`` signal updates the badge, the pending count and the undo labels here; each view
refreshes itself when a type it shows changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.progress import Progress
from ui.operations import Op, Pool, alive, show_error
from ui.shell.actions import AppActions
from ui.shell.icons import icon
from ui.shell.sections import ROUTES, SECTIONS, Section, create_view, module_exists
from ui.shell.sidebar import KEY_ROLE, SectionsModel, Sidebar
from ui.shell.status import SyncStatus
from ui.shell.sync_controller import SyncController, SyncState

log = logging.getLogger(__name__)

# The spreadsheets dialogs: (module, class).
IMPORT_DIALOG = ("ui.spreadsheets.import_dialog", "ImportDialog")
EXPORT_DIALOG = ("ui.spreadsheets.export_dialog", "ExportDialog")
EXPORT_KINDS = {"calendar": "calendar", "assets": "assets", "requests": "requests"}


class Banner(QFrame):
    """A one-line notice above the section (keyring, conflicts); closable, never modal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.action = QPushButton()
        self.action.hide()
        close = QToolButton()
        close.setIcon(icon("cancel"))
        close.setAutoRaise(True)
        close.setToolTip("Hide this notice")
        close.clicked.connect(self.hide)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action)
        layout.addWidget(close)
        self._callback: Callable[[], None] | None = None
        self.action.clicked.connect(self._clicked)
        self.hide()

    def show_notice(
        self, text: str, action: str | None = None, callback: Callable[[], None] | None = None
    ) -> None:
        self.text.setText(text)
        self._callback = callback
        self.action.setVisible(bool(action))
        self.action.setText(action or "")
        self.show()

    def _clicked(self) -> None:
        if self._callback is not None:
            self._callback()
        self.hide()


class MainWindow(QMainWindow):
    section_shown = Signal(str)

    def __init__(
        self,
        ctx: Any,
        *,
        start_sync: bool = True,
        clock: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.clock = clock or ctx.workspace.clock
        self.setWindowTitle("Section Desk")
        self.setWindowIcon(icon("app", color="#2f6fed", size=64))
        self.views: dict[str, QWidget] = {}
        self._slots: dict[str, QWidget] = {}
        self._adapt_windows: list[QWidget] = []
        self._busy_undo = False
        self._pending_splitter: QByteArray | None = None

        self.sections_model = SectionsModel(parent=self)
        self.sidebar = Sidebar(self.sections_model)
        self.stack = QStackedWidget()
        for section in SECTIONS:
            slot = QWidget()
            slot.setObjectName(f"slot_{section.key}")
            QVBoxLayout(slot).setContentsMargins(0, 0, 0, 0)
            self._slots[section.key] = slot
            self.stack.addWidget(slot)
        self.banner = Banner()
        right = QWidget()
        right.setObjectName("content")
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.stack, 1)
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([210, 1000])
        self.setCentralWidget(self.splitter)

        self.actions = AppActions(self)
        self.actions.build_menus(self.menuBar())
        toolbar = self.addToolBar("Main")
        self.actions.build_toolbar(toolbar)
        self.status = SyncStatus(self.statusBar(), clock=self.clock, parent=self)

        self.sync = SyncController(ctx, parent=self)
        self._wire()
        self._restore_layout()
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(150)
        self._counts_timer.timeout.connect(self.refresh_counts)
        self.refresh_counts()
        QTimer.singleShot(0, lambda: self.sync.start(sync=start_sync))

    # --- wiring -----------------------------------------------------------------------------

    def _wire(self) -> None:
        a = self.actions
        self.sidebar.selectionModel().currentChanged.connect(
            lambda current, _previous: self.show_section(current.data(KEY_ROLE))
        )
        a.sync.triggered.connect(self.sync.sync_now)
        a.import_.triggered.connect(lambda: self._spreadsheet_dialog("import"))
        a.export.triggered.connect(lambda: self._spreadsheet_dialog("export"))
        a.settings.triggered.connect(self.open_settings)
        a.sign_in.triggered.connect(self._sign_in_or_out)
        a.quit.triggered.connect(self.close)
        a.undo.triggered.connect(self.undo)
        a.redo.triggered.connect(self.redo)
        a.find.triggered.connect(self.focus_search)
        a.refresh.triggered.connect(self.refresh_current)
        a.edit_menu.aboutToShow.connect(self.refresh_undo_actions)
        for key, action in a.sections.items():
            action.triggered.connect(lambda _checked=False, k=key: self.show_section(k))
        self.ctx.signals.changed.connect(self._on_changed)
        self.ctx.signals.status.connect(self._status_message)
        self.sync.state_changed.connect(self.status.set_state)
        self.sync.state_changed.connect(self._on_sync_state)
        self.sync.progressed.connect(self.status.show_progress)
        self.sync.synced.connect(lambda _summary: self.refresh_counts())
        self.sync.cancelled.connect(self.refresh_counts)
        self.sync.sign_in_needed.connect(self.open_sign_in)
        self.sync.notice.connect(self._notice)
        self.sync.failed.connect(
            lambda message: self.banner.show_notice(f"Sync stopped: {message}")
        )
        self.status.cancel_requested.connect(self.sync.cancel)

    # --- sections ---------------------------------------------------------------------------

    def section(self, key: str) -> Section:
        return next(s for s in SECTIONS if s.key == key)

    def current_key(self) -> str:
        widget = self.stack.currentWidget()
        return next((k for k, slot in self._slots.items() if slot is widget), "ops")

    def view(self, key: str) -> QWidget:
        """The section's view, created on first use."""
        if key not in self.views:
            view = create_view(self.section(key), self.ctx)
            self.views[key] = view
            slot_layout = self._slots[key].layout()
            assert slot_layout is not None
            slot_layout.addWidget(view)
            signal = getattr(view, "open_record", None)
            if signal is not None:
                signal.connect(self.open_record)
            adapt = getattr(view, "adapt_requested", None)
            if adapt is not None:
                adapt.connect(self.open_adapt)
        return self.views[key]

    @Slot(str)
    def show_section(self, key: str) -> None:
        if key not in self._slots:
            return
        self.view(key)
        self.stack.setCurrentWidget(self._slots[key])
        row = self.sections_model.row_of(key)
        index = self.sections_model.index(row)
        if self.sidebar.currentIndex() != index:
            self.sidebar.setCurrentIndex(index)
        for k, action in self.actions.sections.items():
            action.setChecked(k == key)
        self.section_shown.emit(key)

    @Slot(str, str)
    def open_record(self, record_type: str, record_id: str) -> None:
        key = ROUTES.get(record_type)
        if key is None:
            self._status_message(f"There is no view for a {record_type.replace('_', ' ')} here.")
            return
        self.show_section(key)
        show = getattr(self.views[key], "show_record", None)
        if show is not None:
            show(record_type, record_id)

    @Slot(str, str, str)
    def open_adapt(self, record_type: str, master_id: str, market: str) -> None:
        """The master and the local version side by side (the assets engineer's AdaptView)."""
        if not module_exists("ui.adapt.view"):
            self._status_message(
                "Adapting is being built; the stale fields are listed on the board."
            )
            return
        try:
            from ui.adapt.view import AdaptView

            widget = AdaptView(
                self.ctx, record_type=record_type, master_id=master_id, market=market, parent=self
            )
        except Exception as exc:  # noqa: BLE001 - a broken view must not take the window down
            show_error(self, exc)
            return
        if isinstance(widget, QDialog):
            dialog = widget
        else:
            dialog = QDialog(self)
            dialog.setWindowTitle(f"Adapt for {market.upper()}")
            QVBoxLayout(dialog).addWidget(widget)
            dialog.resize(1100, 720)
            signal = getattr(widget, "open_record", None)
            if signal is not None:
                signal.connect(self.open_record)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._adapt_windows.append(dialog)
        dialog.destroyed.connect(lambda *_: self._adapt_windows.clear())
        dialog.open()

    def refresh_current(self) -> None:
        refresh = getattr(self.views.get(self.current_key()), "refresh", None)
        if callable(refresh):
            refresh()

    @Slot()
    def focus_search(self) -> None:
        """Ctrl+F: the current view's search field (``focus_search()`` or a QLineEdit "search")."""
        view = self.views.get(self.current_key())
        if view is None:
            return
        focus = getattr(view, "focus_search", None)
        if callable(focus):
            focus()
            return
        field = view.findChild(QLineEdit, "search")
        if field is not None:
            field.setFocus(Qt.FocusReason.ShortcutFocusReason)
            field.selectAll()
            return
        self._status_message(f"{self.section(self.current_key()).title} has no search.")

    # --- undo / redo ------------------------------------------------------------------------

    def refresh_undo_actions(self) -> None:
        stack = self.ctx.workspace.undo_stack
        undo, redo = stack.undo_label, stack.redo_label
        self.actions.undo.setText(f"Undo {undo}" if undo else "Undo")
        self.actions.redo.setText(f"Redo {redo}" if redo else "Redo")
        self.actions.undo.setEnabled(bool(undo) and not self._busy_undo)
        self.actions.redo.setEnabled(bool(redo) and not self._busy_undo)

    def _step(self, which: str) -> None:
        ws = self.ctx.workspace
        label = ws.undo_stack.undo_label if which == "undo" else ws.undo_stack.redo_label
        if not label or self._busy_undo:
            return
        self._busy_undo = True
        self.refresh_undo_actions()

        def job(_progress: Progress) -> Any:
            return ws.undo() if which == "undo" else ws.redo()

        def done(changeset: Any) -> None:
            if not alive(self):
                return
            self._busy_undo = False
            self.refresh_undo_actions()
            verb = "Undid" if which == "undo" else "Redid"
            note = f" ({'; '.join(changeset.notes)})" if changeset and changeset.notes else ""
            self._status_message(f"{verb} {label}.{note}")

        def failed(error: BaseException) -> None:
            if not alive(self):
                return
            self._busy_undo = False
            self.refresh_undo_actions()
            show_error(self, error)

        Op(self.ctx.ops, job, pool=Pool.DB).success(done).failure(failed).run()

    @Slot()
    def undo(self) -> None:
        self._step("undo")

    @Slot()
    def redo(self) -> None:
        self._step("redo")

    # --- counts, status ---------------------------------------------------------------------

    @Slot(object)
    def _on_changed(self, types: frozenset[str]) -> None:
        self.refresh_undo_actions()
        self._counts_timer.start()

    def refresh_counts(self) -> None:
        """Badge, pending changes, last sync and who is signed in: one small read on a worker."""
        store = self.ctx.store

        def job(_progress: Progress) -> tuple[Any, Any]:
            from desktop.queries.conflicts import attention_counts
            from sync.client.engine import account

            with store.read() as session:
                counts = attention_counts(session)
            return counts, account(store)

        Op(self.ctx.ops, job, pool=Pool.DB).success(self._counts_ready).failure(
            lambda exc: log.warning("Could not read the sync counts: %s", exc)
        ).run()

    def _counts_ready(self, result: tuple[Any, Any]) -> None:
        if not alive(self):
            return
        counts, acct = result
        self.sections_model.set_badge("conflicts", counts.badge)
        self.status.set_pending(counts.pending)
        self.status.set_last_sync(acct.last_sync_at)
        who = acct.display_name or acct.username
        if who:
            markets = ", ".join(m.upper() for m in acct.markets)
            self.setWindowTitle(f"Section Desk — {who}" + (f" ({markets})" if markets else ""))
        signed_in = self.sync.state is not SyncState.SIGNED_OUT
        self.actions.sign_in.setText("Sign out" if signed_in else "Sign in…")

    @Slot(str)
    def _on_sync_state(self, state: str) -> None:
        signed_in = state != SyncState.SIGNED_OUT.value
        self.actions.sign_in.setText("Sign out" if signed_in else "Sign in…")
        self.actions.sync.setEnabled(state != SyncState.SYNCING.value)

    @Slot(str)
    def _status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    @Slot(str)
    def _notice(self, text: str) -> None:
        if "Conflicts" in text:
            self.banner.show_notice(text, "Open Conflicts", lambda: self.show_section("conflicts"))
        else:
            self.banner.show_notice(text)

    # --- dialogs ----------------------------------------------------------------------------

    @Slot(str)
    def open_sign_in(self, reason: str = "") -> None:
        from ui.dialogs.sign_in import SignInDialog

        existing = self.findChild(SignInDialog)
        if existing is not None and existing.isVisible():
            return
        dialog = SignInDialog(self.ctx, reason=reason or None, parent=self)
        dialog.signed_in.connect(self._signed_in)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _signed_in(self) -> None:
        self.sync.signed_in()
        self.refresh_counts()

    def _sign_in_or_out(self) -> None:
        if self.sync.state is SyncState.SIGNED_OUT:
            self.open_sign_in()
            return
        engine = self.ctx.engine

        def job(_progress: Progress) -> None:
            engine.sign_out()

        def done(_result: None) -> None:
            self.sync.signed_out()
            self._status_message("Signed out. Your work stays on this computer.")

        self.sync.cancel()
        Op(self.ctx.ops, job, pool=Pool.NET).success(done).with_progress("Signing out", self).run()

    @Slot()
    def open_settings(self) -> None:
        from ui.dialogs.settings import SettingsDialog

        dialog = SettingsDialog(self.ctx, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _spreadsheet_dialog(self, which: str) -> None:
        """File → Import… / Export…: the spreadsheets dialogs, for the current section's records.

        Import reads a market calendar (or, from the asset bank, asset metadata); Export writes
        the current section's records: the view's ``export_ids()`` or ``selected_ids()`` when it
        has them (what is shown or selected), else all of them.
        """
        current = self.current_key()
        module_name, cls_name = IMPORT_DIALOG if which == "import" else EXPORT_DIALOG
        if not module_exists(module_name):
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Information)
            box.setWindowTitle("Section Desk")
            what = "Importing a market calendar" if which == "import" else "Exporting views"
            box.setText(f"{what} from spreadsheets is being built and comes in a later version.")
            box.open()
            return
        view = self.views.get(current)
        try:
            import importlib

            cls = getattr(importlib.import_module(module_name), cls_name)
            if which == "import":
                kind = "assets" if current == "assets" else "calendar"
                dialog = cls(self.ctx, kind, parent=self)
            else:
                kind = EXPORT_KINDS.get(current, "calendar")
                ids = None
                for name in ("export_ids", "selected_ids"):
                    pick = getattr(view, name, None) if EXPORT_KINDS.get(current) else None
                    if callable(pick):
                        ids = list(pick()) or None
                        break
                dialog = cls(self.ctx, kind, ids, parent=self)
        except Exception as exc:  # noqa: BLE001 - say it plainly, keep the window
            show_error(self, exc)
            return
        changed = getattr(dialog, "imported", None)
        if changed is not None:
            changed.connect(lambda *_: self._counts_timer.start())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # --- layout memory ----------------------------------------------------------------------

    def _restore_layout(self) -> None:
        s = self.ctx.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1360, 860)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        splitter = s.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            # Applied once the window has its size, or the first layout redistributes it.
            self._pending_splitter = splitter
        key = s.value("window/section", "ops")
        self.show_section(key if key in self._slots else "ops")

    def save_layout(self) -> None:
        s = self.ctx.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/section", self.current_key())
        s.sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        pending, self._pending_splitter = self._pending_splitter, None
        if pending is not None:
            QTimer.singleShot(0, lambda: self.splitter.restoreState(pending))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.sync.stop()
        for view in self.views.values():
            stop = getattr(view, "stop", None)
            if callable(stop):
                stop()
        super().closeEvent(event)
