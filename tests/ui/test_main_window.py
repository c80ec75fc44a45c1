"""The main window: sections and shortcuts, undo/redo through the menu, layout memory, and the
status bar's sync states against a closed port and a live server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from desktop.services import assets as asset_ops
from desktop.store import records
from desktop.store.models import Asset, SyncState
from tests.ui.conftest import DEMO_TODAY
from ui.main_window import MainWindow
from ui.shell.sections import SECTIONS, Placeholder
from ui.shell.sidebar import BADGE_ROLE, SectionsModel
from ui.shell.status import ago, progress_text
from ui.shell.sync_controller import OFFLINE_TEXT
from ui.shell.sync_controller import SyncState as State

# The offscreen platform says this whenever a top-level window's size limits change: a fact
# of the test platform, not a problem of the window.
NOON = datetime(DEMO_TODAY.year, DEMO_TODAY.month, DEMO_TODAY.day, 12, tzinfo=UTC)


@pytest.fixture
def window(app_context: Any, qtbot: Any) -> Iterator[MainWindow]:
    app_context.workspace.clock = lambda: NOON
    win = MainWindow(app_context, start_sync=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    win.close()
    app_context.ops.wait_all()


def first_asset(ctx: Any) -> str:
    with ctx.store.read() as session:
        return str(
            session.scalar(
                Asset.__table__.select()
                .with_only_columns(Asset.id)
                .where(Asset.market == "de")
                .order_by(Asset.id)
                .limit(1)
            )
        )


def tags(ctx: Any, asset_id: str) -> list[str]:
    with ctx.store.read() as session:
        found = records.get(session, "asset", asset_id)
    assert found is not None
    return list(found["data"]["tags"])


def test_sections_open_lazily_and_ctrl_numbers_switch(window: MainWindow, qtbot: Any) -> None:
    assert window.sidebar.model().rowCount() == len(SECTIONS) == 6
    assert window.current_key() == "ops"
    assert set(window.views) == {"ops"}  # the others are made when first shown
    for number, section in enumerate(SECTIONS, start=1):
        qtbot.keyClick(
            window, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier
        )
        assert window.current_key() == section.key
        assert window.actions.sections[section.key].isChecked()
        assert window.sidebar.currentIndex().row() == number - 1
    assert set(window.views) == {s.key for s in SECTIONS}
    # Built sections are real views; a section still being built says so plainly.
    for key in ("ops", "conflicts"):
        assert not isinstance(window.views[key], Placeholder)
    for view in window.views.values():
        if isinstance(view, Placeholder):
            assert view.findChild(QLabel, "emptyTitle").text().endswith("is being built")


def test_sidebar_model_and_badge(qtmodeltester: Any) -> None:
    model = SectionsModel()
    qtmodeltester.check(model)
    model.set_badge("conflicts", 3)
    row = model.row_of("conflicts")
    assert model.data(model.index(row), BADGE_ROLE) == 3
    assert "3 waiting" in model.data(model.index(row), Qt.ItemDataRole.ToolTipRole)
    qtmodeltester.check(model)


def test_undo_and_redo_through_the_menu_and_keys(
    window: MainWindow, app_context: Any, qtbot: Any
) -> None:
    ctx = app_context
    asset_id = first_asset(ctx)
    before = tags(ctx, asset_id)
    asset_ops.add_tags(ctx.workspace, asset_ids=[asset_id], tags=["ops-board"])
    window.refresh_undo_actions()
    undo, redo = window.actions.undo, window.actions.redo
    assert undo.isEnabled() and undo.text() == "Undo Tag asset with ops-board"
    assert not redo.isEnabled()
    with qtbot.waitSignal(ctx.signals.changed, timeout=10_000) as changed:
        undo.trigger()
    assert changed.args == [frozenset({"asset"})]
    qtbot.waitUntil(redo.isEnabled)
    assert tags(ctx, asset_id) == before
    assert redo.text() == "Redo Tag asset with ops-board"
    with qtbot.waitSignal(ctx.signals.changed, timeout=10_000):
        qtbot.keyClick(
            window,
            Qt.Key.Key_Z,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    qtbot.waitUntil(undo.isEnabled)
    assert "ops-board" in tags(ctx, asset_id)
    with qtbot.waitSignal(ctx.signals.changed, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "ops-board" not in tags(ctx, asset_id))


def test_find_focuses_the_current_view_s_search(window: MainWindow, qtbot: Any) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = window.views["ops"].findChild(QLineEdit, "search")
    assert search is not None
    qtbot.waitUntil(search.hasFocus)


def test_layout_is_remembered(app_context: Any, qtbot: Any) -> None:
    first = MainWindow(app_context, start_sync=False)
    qtbot.addWidget(first)
    first.show()
    first.resize(790, 590)  # the offscreen screen is 800 x 600
    qtbot.waitUntil(lambda: first.splitter.width() > 700)
    first.splitter.setSizes([240, first.splitter.width() - 240])
    qtbot.waitUntil(lambda: first.splitter.sizes()[0] == 240)
    first.show_section("conflicts")
    first.close()
    saved = QSettings(app_context.settings.fileName(), QSettings.Format.IniFormat)
    assert saved.value("window/section") == "conflicts"
    splitter_state = saved.value("window/splitter")
    second = MainWindow(app_context, start_sync=False)
    qtbot.addWidget(second)
    second.show()
    assert second.current_key() == "conflicts"
    assert second.size().width() == 790 and second.size().height() == 590
    qtbot.waitUntil(lambda: second.splitter.saveState() == splitter_state)
    assert abs(second.splitter.sizes()[0] - 240) <= 5
    second.close()
    app_context.ops.wait_all()


def test_badge_and_pending_count_follow_the_store(
    window: MainWindow, app_context: Any, qtbot: Any
) -> None:
    from desktop.store.models import Conflict

    with app_context.store.write() as session:
        session.add(
            Conflict(
                record_type="asset",
                record_id=first_asset(app_context),
                fields={"title": {"mine": "a", "theirs": "b", "base": "c"}},
                server_version=2,
                created_at="2026-11-22T09:00:00Z",
            )
        )
    asset_ops.add_tags(app_context.workspace, asset_ids=[first_asset(app_context)], tags=["x"])
    app_context.signals.changed.emit(frozenset({"conflict", "asset"}))
    qtbot.waitUntil(lambda: window.sections_model.badge("conflicts") == 1)
    qtbot.waitUntil(lambda: window.status.pending.text() == "1 change to sync")


def test_status_words() -> None:
    now = NOON
    assert ago(now, now) == "just now"
    assert ago(datetime(2026, 11, 22, 11, 57, tzinfo=UTC), now) == "3 min ago"
    assert ago(datetime(2026, 11, 21, 11, 0, tzinfo=UTC), now) == "yesterday"
    from desktop.progress import ProgressReport

    text = progress_text(ProgressReport("Pulling changes", 1200, 3000, 2 * 1024**2, 8 * 1024**2))
    assert text == "Pulling changes: 1,200 of 3,000, 2.0 MB of 8.0 MB"


# --- sync states ----------------------------------------------------------------------------


def test_offline_against_a_closed_port(window: MainWindow, app_context: Any, qtbot: Any) -> None:
    ctx = app_context
    from sync.client.engine import account

    acct = account(ctx.store)
    ctx.engine.tokens.set(acct.server_url, acct.username, "a token for a server that is gone")
    with qtbot.waitSignal(
        window.sync.state_changed, timeout=20_000, check_params_cb=lambda s: s == "offline"
    ):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.status.connection.text() == OFFLINE_TEXT
    assert window.sync.health.isActive() and not window.sync.periodic.isActive()
    assert not window.status.progress.isVisible()
    # Probing again while the server is still away keeps it offline, quietly.
    window.sync.probe()
    qtbot.waitUntil(lambda: not window.sync._probing)
    assert window.sync.state is State.OFFLINE


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_synced_against_a_live_server(
    live_server: Any, app_context: Any, qtbot: Any, tmp_path: Path
) -> None:
    server = live_server()
    server.seed(assets=20, entries=30)
    server.add_user("lena-ui", "a long password", "section_lead", ["de", "fr"])
    ctx = app_context
    with ctx.store.write() as session:  # a fresh install: nobody signed in yet
        state = session.get(SyncState, 1)
        assert state is not None
        state.username = state.server_url = state.user_id = state.role = None
    ctx.engine.sign_in(server.url, "lena-ui", "a long password")
    win = MainWindow(ctx, start_sync=False)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.sync.synced, timeout=60_000):
        win.actions.sync.trigger()
    assert win.sync.state is State.ONLINE
    assert win.status.connection.text() == "Online"
    qtbot.waitUntil(lambda: win.status.last_sync.text() == "Synced just now")
    qtbot.waitUntil(lambda: win.status.pending.text() == "No changes waiting")
    assert win.sync.periodic.isActive() and not win.sync.health.isActive()
    assert not win.status.progress.isVisible()
    # The connection drops: offline; when the server answers again, it syncs by itself.
    real_url = server.url
    with ctx.store.write() as session:
        state = session.get(SyncState, 1)
        assert state is not None
        state.server_url = "http://127.0.0.1:9"
    ctx.engine.tokens.set(
        "http://127.0.0.1:9", "lena-ui", ctx.engine.tokens.get(real_url, "lena-ui")
    )
    with qtbot.waitSignal(
        win.sync.state_changed, timeout=20_000, check_params_cb=lambda s: s == "offline"
    ):
        win.sync.sync_now()
    assert win.status.connection.text() == OFFLINE_TEXT
    with ctx.store.write() as session:
        state = session.get(SyncState, 1)
        assert state is not None
        state.server_url = real_url
    with qtbot.waitSignal(win.sync.synced, timeout=60_000):
        win.sync.health.timeout.emit()  # the next health check finds the server
    assert win.sync.state is State.ONLINE and not win.sync.health.isActive()
    # Cancel is safe: the run stops at its next checkpoint, the window says so, nothing is lost.
    from sqlalchemy import select

    from sync.server.models import records as server_records

    with server.db.read() as connection:  # an asset the server has, in Lena's markets
        asset_id = connection.execute(
            select(server_records.c.id)
            .where(server_records.c.type == "asset", server_records.c.scope_market == "de")
            .order_by(server_records.c.id)
            .limit(1)
        ).scalar_one()
    asset_ops.add_tags(ctx.workspace, asset_ids=[asset_id], tags=["still-here"])
    with qtbot.waitSignal(win.sync.cancelled, timeout=60_000):
        win.sync.sync_now()
        assert win.status.cancel.isVisible()
        qtbot.mouseClick(win.status.cancel, Qt.MouseButton.LeftButton)
    assert win.sync.state is State.ONLINE and not win.status.progress.isVisible()
    assert "still-here" in tags(ctx, asset_id)
    with qtbot.waitSignal(win.sync.synced, timeout=60_000) as synced:
        win.actions.sync.trigger()
    assert synced.args[0].pushed == 1
    win.close()
    ctx.ops.wait_all()


def test_an_expired_sign_in_opens_the_dialog_and_keeps_edits(
    window: MainWindow, app_context: Any, qtbot: Any
) -> None:
    from ui.dialogs.sign_in import SignInDialog

    asset_ops.add_tags(app_context.workspace, asset_ids=[first_asset(app_context)], tags=["kept"])
    with qtbot.waitSignal(window.sync.sign_in_needed, timeout=20_000):
        window.actions.sync.trigger()  # this computer holds no token for the store's account
    dialog = window.findChild(SignInDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.username.text() == "lena.fischer"
    assert window.sync.state is State.SIGNED_OUT
    assert window.actions.sign_in.text() == "Sign in…"
    assert "kept" in tags(app_context, first_asset(app_context))
    dialog.reject()


def test_notices_are_shown_once_and_conflicts_open_from_the_banner(
    window: MainWindow, app_context: Any, qtbot: Any
) -> None:
    from sync.client.engine import SyncSummary

    app_context.engine.tokens.notice = "No system keyring is available."
    notices: list[str] = []
    window.sync.notice.connect(notices.append)
    window.sync._tell_keyring()
    window.sync._tell_keyring()
    assert notices == ["No system keyring is available."]
    assert window.banner.isVisible() and "keyring" in window.banner.text.text()
    window.sync._finished((SyncSummary(conflicts=2, rejected=1), None))
    assert "2 edits clashed with central changes; 1 change was refused" in notices[-1]
    assert window.banner.action.isVisible()
    qtbot.mouseClick(window.banner.action, Qt.MouseButton.LeftButton)
    assert window.current_key() == "conflicts" and not window.banner.isVisible()


def test_import_and_export_open_the_spreadsheet_dialogs(window: MainWindow, qtbot: Any) -> None:
    from PySide6.QtWidgets import QDialog, QMessageBox

    from ui.shell.sections import module_exists

    window.show_section("assets")
    for action, name in ((window.actions.export, "Export"), (window.actions.import_, "Import")):
        before = set(window.findChildren(QDialog))
        action.trigger()
        opened = [d for d in window.findChildren(QDialog) if d not in before]
        assert len(opened) == 1 and opened[0].isVisible()
        dialog = opened[0]
        if module_exists(f"ui.spreadsheets.{name.lower()}_dialog"):
            assert type(dialog).__name__ == f"{name}Dialog"
            assert getattr(dialog, "kind", None) == "assets"
        else:
            assert isinstance(dialog, QMessageBox) and "being built" in dialog.text()
        dialog.close()
