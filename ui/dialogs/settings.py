"""Settings: the server and its CA bundle, the markets shown, and the workspace preferences.

Connection and view settings live in QSettings (they belong to this computer); drift days, the
board's windows and the storage budget for offline files are the workspace's preferences, saved
in the store by ``desktop.services.preferences`` on the database thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.progress import Progress
from desktop.services.preferences import LIMITS, Preferences, load_preferences
from sync.client.engine import account
from ui.operations import Op, Pool, user_message


class SettingsDialog(QDialog):
    saved = Signal()

    def __init__(self, ctx: Any, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Settings")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)

        connection = QGroupBox("Connection")
        form = QFormLayout(connection)
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://sectiondesk.example.com")
        self.server_note = QLabel()
        self.server_note.setWordWrap(True)
        self.server_note.setObjectName("viewSubtitle")
        self.ca_bundle = QLineEdit()
        self.ca_bundle.setPlaceholderText("Only if your company uses its own certificates")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.ca_bundle, 1)
        row.addWidget(browse)
        form.addRow("Server address", self.server)
        form.addRow("", self.server_note)
        form.addRow("CA bundle", row)
        layout.addWidget(connection)

        markets_box = QGroupBox("Markets shown")
        self.markets_layout = QHBoxLayout(markets_box)
        self.market_boxes: dict[str, QCheckBox] = {}
        layout.addWidget(markets_box)

        prefs = QGroupBox("Warnings and offline files")
        pform = QFormLayout(prefs)
        self.drift_days = QDoubleSpinBox()
        self.drift_days.setRange(*LIMITS["drift_days"])
        self.drift_days.setDecimals(1)
        self.drift_days.setSingleStep(0.5)
        self.drift_days.setSuffix(" days")
        self.rights_days = QSpinBox()
        self.rights_days.setRange(*(int(v) for v in LIMITS["rights_days"]))
        self.rights_days.setSuffix(" days")
        self.embargo_hours = QSpinBox()
        self.embargo_hours.setRange(*(int(v) for v in LIMITS["embargo_hours"]))
        self.embargo_hours.setSuffix(" hours")
        self.storage = QSpinBox()
        self.storage.setRange(*(int(v) for v in LIMITS["storage_budget_mb"]))
        self.storage.setSingleStep(256)
        self.storage.setSuffix(" MB")
        pform.addRow("Warn when a local date drifts more than", self.drift_days)
        pform.addRow("Show rights expiring within", self.rights_days)
        pform.addRow("Show embargoes lifting within", self.embargo_hours)
        pform.addRow("Keep offline files up to", self.storage)
        storage_note = QLabel(
            "Thumbnails always stay; full files beyond this are removed, least recently used "
            "first, and download again when you open them. Pinned campaigns stay."
        )
        storage_note.setWordWrap(True)
        storage_note.setObjectName("viewSubtitle")
        pform.addRow("", storage_note)
        layout.addWidget(prefs)

        self.error = QLabel()
        self.error.setObjectName("dialogError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("primary")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._load()

    def _load(self) -> None:
        s = self.ctx.settings
        acct = account(self.ctx.store)
        self.account_server = acct.server_url
        self.server.setText(str(s.value("sync/server_url", "") or acct.server_url or ""))
        if acct.server_url:
            self.server_note.setText(
                f"Signed in to {acct.server_url} as {acct.username}. A new address is used "
                "the next time you sign in."
            )
        else:
            self.server_note.setText("Used when you sign in.")
        self.ca_bundle.setText(str(s.value("sync/ca_bundle", "") or ""))
        shown = s.value("view/markets")
        shown_list = [str(m) for m in shown] if isinstance(shown, list) else None
        if isinstance(shown, str) and shown:
            shown_list = [shown]
        if not acct.markets:
            note = QLabel("Sign in to choose among your markets.")
            note.setObjectName("viewSubtitle")
            self.markets_layout.addWidget(note)
        for market in acct.markets:
            box = QCheckBox(market.upper())
            box.setChecked(shown_list is None or market in shown_list)
            self.market_boxes[market] = box
            self.markets_layout.addWidget(box)
        self.markets_layout.addStretch(1)
        prefs = load_preferences(self.ctx.store)
        self.drift_days.setValue(prefs.drift_days)
        self.rights_days.setValue(prefs.rights_days)
        self.embargo_hours.setValue(prefs.embargo_hours)
        self.storage.setValue(prefs.storage_budget_mb)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose your company's CA bundle", "", "Certificates (*.pem *.crt *.cer);;All (*)"
        )
        if path:
            self.ca_bundle.setText(path)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def save(self) -> None:
        server = self.server.text().strip()
        if server and not server.startswith(("http://", "https://")):
            self.show_error(
                "The server address starts with https:// (or http:// for a test server)."
            )
            return
        ca_bundle = self.ca_bundle.text().strip()
        if ca_bundle and not Path(ca_bundle).expanduser().is_file():
            self.show_error(f"There is no file at {ca_bundle}. Choose the CA bundle file again.")
            return
        markets = [m for m, box in self.market_boxes.items() if box.isChecked()]
        if self.market_boxes and not markets:
            self.show_error("Choose at least one market to show.")
            return
        prefs = Preferences(
            drift_days=float(self.drift_days.value()),
            storage_budget_mb=int(self.storage.value()),
            rights_days=int(self.rights_days.value()),
            embargo_hours=int(self.embargo_hours.value()),
        )
        store = self.ctx.store
        self.save_button.setEnabled(False)

        def job(_progress: Progress) -> Preferences:
            from desktop.services.preferences import save_preferences

            return save_preferences(store, prefs)

        def done(saved: Preferences) -> None:
            s = self.ctx.settings
            s.setValue("sync/server_url", server)
            s.setValue("sync/ca_bundle", ca_bundle)
            all_shown = len(markets) == len(self.market_boxes)
            if all_shown:
                s.remove("view/markets")
            else:
                s.setValue("view/markets", markets)
            s.sync()
            self.ctx.engine.ca_bundle = ca_bundle or None
            self.ctx.workspace.drift_days = saved.drift_days
            self.ctx.signals.changed.emit(frozenset({"preference"}))
            self.ctx.signals.status.emit("Settings saved.")
            self.saved.emit()
            self.accept()

        def failed(error: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.show_error(user_message(error))

        Op(self.ctx.ops, job, pool=Pool.DB).success(done).failure(failed).run()
