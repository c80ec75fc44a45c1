"""Signing in: server address, user name, password. Errors are said in the dialog, plainly."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.progress import Progress
from sync.client.engine import account
from ui.operations import Op, Pool, user_message


def _plain(error: BaseException) -> str:
    from sync.client.api import AuthRequired, BadAnswer, Offline, ServerRefused

    if isinstance(error, AuthRequired):
        return "That user name and password were not accepted. Check them and try again."
    if isinstance(error, Offline):
        return f"{error} Check the address, or sign in later: your work is kept here."
    if isinstance(error, ServerRefused) and error.status == 404:
        return "There is no Section Desk server at that address. Check the address."
    if isinstance(error, BadAnswer):
        return "That address answered, but not as a Section Desk server. Check the address."
    return user_message(error)


class SignInDialog(QDialog):
    signed_in = Signal()

    def __init__(
        self, ctx: Any, *, reason: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Sign in to Section Desk")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        intro = QLabel(
            reason
            or "Sign in to your company's Section Desk server to sync. Your work is kept "
            "on this computer either way."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://sectiondesk.example.com")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Server address", self.server)
        form.addRow("User name", self.username)
        form.addRow("Password", self.password)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("dialogError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Sign in")
        self.ok.setObjectName("primary")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._prefill()

    def _prefill(self) -> None:
        acct = account(self.ctx.store)
        default = str(self.ctx.settings.value("sync/server_url", "") or "")
        self.server.setText(acct.server_url or default)
        self.username.setText(acct.username or "")
        for field in (self.server, self.username, self.password):
            if not field.text():
                field.setFocus()
                break

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.server, self.username, self.password, self.ok):
            widget.setEnabled(not busy)
        self.ok.setText("Signing in…" if busy else "Sign in")

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def submit(self) -> None:
        server = self.server.text().strip()
        username = self.username.text().strip()
        password = self.password.text()
        if not server or not username or not password:
            self.show_error("Fill in the server address, your user name and your password.")
            return
        if not server.startswith(("http://", "https://")):
            server = "https://" + server
            self.server.setText(server)
        self.error.hide()
        self._set_busy(True)
        engine, store = self.ctx.engine, self.ctx.store

        def job(_progress: Progress) -> Any:
            engine.sign_in(server, username, password)
            return account(store).actor()

        Op(self.ctx.ops, job, pool=Pool.NET).success(self._done).failure(self._failed).run()

    def _done(self, actor: Any) -> None:
        self._set_busy(False)
        if actor is not None:
            self.ctx.workspace.actor = actor
        self.ctx.settings.setValue("sync/server_url", self.server.text().strip())
        self.password.clear()
        self.signed_in.emit()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.password.selectAll()
        self.show_error(_plain(error))
