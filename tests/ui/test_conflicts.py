"""The conflicts view against the real reference server: two installs edit the same entry, the
lead decides in the view, and the decision reaches the other install; a refused change is fixed
in the view and resubmitted."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QRadioButton

from desktop.services import assets as asset_ops
from desktop.services import entries as entry_ops
from desktop.services.conflicts import list_conflicts, list_failed
from desktop.store.db import Store
from sync.client.auth import TokenStore
from sync.client.engine import SyncEngine
from tests.sync.client.conftest import Client
from tests.sync.client.test_round_trip import local_entry, submit_request_offline
from ui.conflicts.model import KIND_ROLE, ConflictListModel
from ui.conflicts.view import ConflictsView, editor_text, format_value, parse_value
from ui.context import make_context

ON_SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
PASSWORD = "correct horse battery"


@pytest.fixture
def server(live_server: Callable[..., Any]) -> Any:
    srv = live_server()
    srv.seed(assets=30, entries=40)
    srv.add_user("conductor-t", PASSWORD, "conductor")
    srv.add_user("lena-t", PASSWORD, "section_lead", ["de", "fr"])
    srv.add_user("max-t", PASSWORD, "section_lead", ["de"])
    return srv


@pytest.fixture
def make_client(tmp_path: Path, server: Any) -> Iterator[Callable[[str], Client]]:
    made: list[Client] = []

    def make(username: str) -> Client:
        store = Store(tmp_path / username)
        engine = SyncEngine(store, tokens=TokenStore())
        engine.sign_in(server.url, username, PASSWORD)
        client = Client(username, store, engine)
        made.append(client)
        return client

    yield make
    for client in made:
        client.store.close()


def view_for(client: Client, qtbot: Any, tmp_path: Path) -> tuple[Any, ConflictsView]:
    settings = QSettings(str(tmp_path / f"{client.name}.ini"), QSettings.Format.IniFormat)
    ctx = make_context(client.store, settings, tokens=client.engine.tokens)
    view = ConflictsView(ctx)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show()
    return ctx, view


def conflict_on_caption(make_client: Callable[[str], Client]) -> tuple[Client, Client, str]:
    lena, max_ = make_client("lena-t"), make_client("max-t")
    lena.sync()
    max_.sync()
    entry_id = local_entry(lena)
    entry_ops.edit_entry(max_.ws, entry_id=entry_id, fields={"caption": "Max was first"})
    max_.sync()
    entry_ops.edit_entry(
        lena.ws, entry_id=entry_id, fields={"caption": "Lena offline", "title": "T"}
    )
    assert lena.sync().conflicts == 1
    return lena, max_, entry_id


def resolve(view: ConflictsView, ctx: Any, qtbot: Any, button: Any) -> None:
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    ctx.ops.wait_all()


@ON_SQLITE
@pytest.mark.parametrize("side", ["mine", "theirs"])
def test_a_conflict_is_shown_side_by_side_and_resolved(
    make_client: Any, qtbot: Any, tmp_path: Path, side: str
) -> None:
    lena, max_, entry_id = conflict_on_caption(make_client)
    ctx, view = view_for(lena, qtbot, tmp_path)
    assert view.model.rowCount() == 1
    assert view.model.data(view.model.index(0), KIND_ROLE) == "conflict"
    panel = view.conflict_panel
    assert view.stack.currentWidget() is panel
    texts = {label.text() for label in panel.body.findChildren(type(panel.title))}
    assert {"Lena offline", "Max was first", "Caption"} <= texts
    radio = panel.body.findChild(QRadioButton, f"choice_caption_{side}")
    assert radio is not None
    radio.click()
    assert radio.isChecked()
    resolve(view, ctx, qtbot, panel.resolve)
    assert view.model.rowCount() == 0
    assert view.stack.currentWidget() is view.empty
    assert list_conflicts(lena.ws) == []
    lena.sync()
    max_.sync()
    expected = "Lena offline" if side == "mine" else "Max was first"
    assert max_.data("calendar_entry", entry_id)["caption"] == expected
    assert max_.data("calendar_entry", entry_id)["title"] == "T"


@ON_SQLITE
def test_an_edited_value_and_keep_all(make_client: Any, qtbot: Any, tmp_path: Path) -> None:
    lena, max_, entry_id = conflict_on_caption(make_client)
    ctx, view = view_for(lena, qtbot, tmp_path)
    panel = view.conflict_panel
    panel.choose_all("theirs")
    panel.choose_all("mine")
    panel.choose("caption", "edit")
    editor = panel.choices["caption"][1]
    assert editor.isEnabled()
    editor.clear()
    qtbot.keyClicks(editor, "Max was first, Lena agreed")
    resolve(view, ctx, qtbot, panel.resolve)
    lena.sync()
    max_.sync()
    assert max_.data("calendar_entry", entry_id)["caption"] == "Max was first, Lena agreed"


@ON_SQLITE
def test_delete_against_edit_keeps_the_record(make_client: Any, qtbot: Any, tmp_path: Path) -> None:
    lena, max_ = make_client("lena-t"), make_client("max-t")
    lena.sync()
    max_.sync()
    entry_id = local_entry(lena)
    entry_ops.delete_entries(max_.ws, entry_ids=[entry_id])
    max_.sync()
    entry_ops.edit_entry(lena.ws, entry_id=entry_id, fields={"caption": "Still wanted"})
    assert lena.sync().conflicts == 1
    ctx, view = view_for(lena, qtbot, tmp_path)
    panel = view.conflict_panel
    assert panel.keep_record.isVisibleTo(view) and not panel.resolve.isVisibleTo(view)
    assert "deleted centrally" in panel.summary.text()
    resolve(view, ctx, qtbot, panel.keep_record)
    lena.sync()
    max_.sync()
    back = max_.get("calendar_entry", entry_id)
    assert back is not None and not back["deleted"]
    assert back["data"]["caption"] == "Still wanted"


@ON_SQLITE
def test_a_refused_change_is_fixed_and_resubmitted(
    make_client: Any, server: Any, qtbot: Any, tmp_path: Path
) -> None:
    lena = make_client("lena-t")
    lena.sync()
    request_id = submit_request_offline(lena)
    conductor = make_client("conductor-t")
    conductor.sync()
    asset_id = lena.data("amplification_request", request_id)["asset_id"]
    asset_ops.set_embargo(
        conductor.ws, asset_ids=[asset_id], until="2030-01-01T00:00:00Z", markets=["*"]
    )
    assert conductor.sync().pushed == 1
    assert lena.sync().rejected == 1
    ctx, view = view_for(lena, qtbot, tmp_path)
    panel = view.failed_panel
    assert view.stack.currentWidget() is panel
    assert "embargo" in panel.reason.text().lower()
    # A fix that still breaks the rule is refused here, in words, before anything is queued.
    assert not panel.error.isVisibleTo(view)
    panel.editors["starts_at"].setText("not a time")
    qtbot.mouseClick(panel.resubmit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.error.isVisibleTo(view), timeout=10_000)
    assert "start" in panel.error.text().lower()
    assert len(list_failed(lena.ws)) == 1
    # Move the spend window after the embargo lifts: accepted here and by the server.
    panel.editors["starts_at"].setText("2030-01-02T00:00:00Z")
    panel.editors["ends_at"].setText("2030-01-06T00:00:00Z")
    resolve(view, ctx, qtbot, panel.resubmit)
    assert list_failed(lena.ws) == []
    summary = ctx.engine.sync()
    assert summary.pushed == 1 and summary.rejected == 0
    assert lena.data("amplification_request", request_id)["starts_at"] == "2030-01-02T00:00:00Z"


@ON_SQLITE
def test_a_refused_change_can_be_dismissed(make_client: Any, qtbot: Any, tmp_path: Path) -> None:
    lena = make_client("lena-t")
    lena.sync()
    request_id = submit_request_offline(lena)
    conductor = make_client("conductor-t")
    conductor.sync()
    asset_id = lena.data("amplification_request", request_id)["asset_id"]
    asset_ops.set_embargo(
        conductor.ws, asset_ids=[asset_id], until="2030-01-01T00:00:00Z", markets=["*"]
    )
    conductor.sync()
    assert lena.sync().rejected == 1
    ctx, view = view_for(lena, qtbot, tmp_path)
    resolve(view, ctx, qtbot, view.failed_panel.dismiss)
    assert list_failed(lena.ws) == [] and view.model.rowCount() == 0


def test_values_in_words_and_back() -> None:
    assert format_value(None) == "(empty)"
    assert format_value(["de", "fr"]) == "de, fr"
    assert format_value({"amount": "100.00", "currency": "EUR"}) == "amount: 100.00; currency: EUR"
    assert parse_value("de, fr", ["x"], "tags") == ["de", "fr"]
    assert parse_value('{"amount": "5.00"}', {"amount": "1"}, "budget") == {"amount": "5.00"}
    assert parse_value("", "text", "caption") is None
    assert parse_value("yes", False, "talent_release") is True
    assert editor_text({"a": 1}) == '{"a": 1}'
    with pytest.raises(ValueError, match="braces"):
        parse_value("{broken", {"amount": "1"}, "budget")


def test_the_list_model(qtmodeltester: Any) -> None:
    from desktop.queries.conflicts import ConflictRow

    model = ConflictListModel()
    qtmodeltester.check(model)
    model.set_rows(
        [
            ConflictRow("conflict", 1, "asset", "a", "Hero", "Changed both ways.", "t"),
            ConflictRow("failed", 2, "calendar_entry", "b", "Post", "Refused.", "t"),
        ]
    )
    qtmodeltester.check(model)
    assert model.find(("failed", 2)) == 1
