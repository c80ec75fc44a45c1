"""Sign-in against the real server (success, wrong password, nobody there) and settings that
persist: connection and markets in QSettings, the workspace's preferences in the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt

from desktop.services.preferences import load_preferences
from desktop.store.models import SyncState
from sync.client.engine import account
from ui.dialogs.settings import SettingsDialog
from ui.dialogs.sign_in import SignInDialog

ON_SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
PASSWORD = "a long password"


def fresh_install(ctx: Any) -> None:
    """Nobody signed in on this store yet (the demo store says Lena already did)."""
    with ctx.store.write() as session:
        state = session.get(SyncState, 1)
        assert state is not None
        state.username = state.server_url = state.user_id = state.role = None
        state.markets = []


def fill(qtbot: Any, dialog: SignInDialog, server: str, user: str, password: str) -> None:
    for field, text in (
        (dialog.server, server),
        (dialog.username, user),
        (dialog.password, password),
    ):
        field.clear()
        qtbot.keyClicks(field, text)


@ON_SQLITE
def test_sign_in_succeeds_against_the_server(
    live_server: Any, app_context: Any, qtbot: Any
) -> None:
    server = live_server()
    server.add_user("lena-d", PASSWORD, "section_lead", ["de", "fr"])
    fresh_install(app_context)
    dialog = SignInDialog(app_context)
    qtbot.addWidget(dialog)
    dialog.show()
    fill(qtbot, dialog, server.url, "lena-d", PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=30_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    acct = account(app_context.store)
    assert (acct.server_url, acct.username, acct.markets) == (server.url, "lena-d", ("de", "fr"))
    assert app_context.engine.has_token()
    assert app_context.workspace.actor.markets == ("de", "fr")
    assert app_context.settings.value("sync/server_url") == server.url
    assert dialog.password.text() == ""  # the password is not kept


@ON_SQLITE
def test_a_wrong_password_is_said_in_plain_words(
    live_server: Any, app_context: Any, qtbot: Any
) -> None:
    server = live_server()
    server.add_user("lena-d", PASSWORD, "section_lead", ["de"])
    fresh_install(app_context)
    dialog = SignInDialog(app_context)
    qtbot.addWidget(dialog)
    dialog.show()
    fill(qtbot, dialog, server.url, "lena-d", "not her password")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.ok.isEnabled(), timeout=30_000)
    assert dialog.error.text() == (
        "That user name and password were not accepted. Check them and try again."
    )
    assert dialog.isVisible() and not app_context.engine.has_token()
    assert "Traceback" not in dialog.error.text()


def test_nobody_at_the_address(app_context: Any, qtbot: Any) -> None:
    fresh_install(app_context)
    dialog = SignInDialog(app_context)
    qtbot.addWidget(dialog)
    dialog.show()
    fill(qtbot, dialog, "http://127.0.0.1:9", "lena", "secret")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error.isVisible, timeout=60_000)
    assert dialog.error.text().startswith("Cannot reach http://127.0.0.1:9.")
    assert "your work is kept here" in dialog.error.text()


def test_sign_in_asks_for_every_field(app_context: Any, qtbot: Any) -> None:
    fresh_install(app_context)
    dialog = SignInDialog(app_context, reason="Your sign-in has expired.")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.server.setText("sectiondesk.example.com")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Fill in the server address, your user name and your password."


def test_settings_are_saved_and_read_back(app_context: Any, qtbot: Any, tmp_path: Path) -> None:
    ctx = app_context
    bundle = tmp_path / "company-ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert set(dialog.market_boxes) == {"de", "fr"}
    assert all(box.isChecked() for box in dialog.market_boxes.values())
    dialog.server.setText("https://hub.example.com")
    dialog.ca_bundle.setText(str(bundle))
    dialog.market_boxes["fr"].setChecked(False)
    dialog.drift_days.setValue(3.5)
    dialog.rights_days.setValue(30)
    dialog.embargo_hours.setValue(72)
    dialog.storage.setValue(512)
    with qtbot.waitSignal(ctx.signals.changed, timeout=10_000) as changed:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert changed.args == [frozenset({"preference"})]
    prefs = load_preferences(ctx.store)
    assert (prefs.drift_days, prefs.rights_days, prefs.embargo_hours, prefs.storage_budget_mb) == (
        3.5,
        30,
        72,
        512,
    )
    assert ctx.workspace.drift_days == 3.5
    assert ctx.engine.ca_bundle == str(bundle)
    saved = QSettings(ctx.settings.fileName(), QSettings.Format.IniFormat)
    assert saved.value("sync/server_url") == "https://hub.example.com"
    assert saved.value("view/markets") in (["de"], "de")
    again = SettingsDialog(ctx)
    qtbot.addWidget(again)
    assert again.server.text() == "https://hub.example.com"
    assert not again.market_boxes["fr"].isChecked() and again.market_boxes["de"].isChecked()
    assert again.drift_days.value() == 3.5 and again.storage.value() == 512


def test_settings_refuse_what_cannot_work(app_context: Any, qtbot: Any, tmp_path: Path) -> None:
    dialog = SettingsDialog(app_context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ca_bundle.setText(str(tmp_path / "missing.pem"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text().startswith("There is no file at")
    dialog.ca_bundle.clear()
    for box in dialog.market_boxes.values():
        box.setChecked(False)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Choose at least one market to show."
    dialog.market_boxes["de"].setChecked(True)
    dialog.server.setText("hub.example.com")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "https://" in dialog.error.text()
    assert dialog.isVisible()


def test_markets_shown_filter_the_ops_board(app_context: Any, qtbot: Any) -> None:
    from datetime import UTC, datetime

    from tests.ui.conftest import DEMO_TODAY
    from ui.ops_board.view import OpsBoardView

    app_context.settings.setValue("view/markets", ["fr"])
    noon = datetime(DEMO_TODAY.year, DEMO_TODAY.month, DEMO_TODAY.day, 12, tzinfo=UTC)
    view = OpsBoardView(app_context, clock=lambda: noon)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.warnings_loaded, timeout=20_000):
        view.show()
    assert view.board is not None and view.board.markets == ("fr",)
    assert "for FR" in view.subtitle.text()
    for card in view.cards.values():
        assert all(card.model.item(r).market in ("fr", None) for r in range(card.model.rowCount()))
    view.stop()
    app_context.ops.wait_all()
