"""The ops board over the demo workspace: its sections, live SLA countdowns, filtering, and items
that open what they are about (routed by the main window)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.queries.ops import SECTIONS, OpsItem, OpsSection
from tests.ui.conftest import DEMO_TODAY
from ui.main_window import MainWindow
from ui.ops_board.model import (
    BREACHED_COLOR,
    BREACHED_ROLE,
    COUNTDOWN_COLOR_ROLE,
    COUNTDOWN_ROLE,
    RUNNING_COLOR,
    SEVERITY_ROLE,
    OpsItemsModel,
    countdown_text,
)
from ui.ops_board.view import OpsBoardView

NOON = datetime(DEMO_TODAY.year, DEMO_TODAY.month, DEMO_TODAY.day, 12, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def board(app_context: Any, qtbot: Any) -> Iterator[OpsBoardView]:
    clock = Clock(NOON)
    view = OpsBoardView(app_context, clock=clock)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.warnings_loaded, timeout=20_000):
        view.show()
    yield view
    view.stop()
    app_context.ops.wait_all()


def test_every_section_is_shown_with_its_count(board: OpsBoardView) -> None:
    assert board.board is not None
    assert [card.key for card in board.cards.values()] == [key for key, _, _ in SECTIONS]
    for key, card in board.cards.items():
        section = board.section(key)
        assert card.count.text() == f"{section.total:,}"
        assert card.model.rowCount() == len(section.items)
        assert card.empty.isHidden() == bool(section.items)
    # The demo workspace has something in the sections a lead looks at first.
    for key in ("posts_due", "requests_waiting", "rights_expiring", "embargoes_lifting", "stale"):
        assert board.cards[key].model.rowCount() > 0, key
    assert "DE, FR" in board.subtitle.text()


def test_models_pass_the_model_tester(board: OpsBoardView, qtmodeltester: Any) -> None:
    for card in board.cards.values():
        qtmodeltester.check(card.model)
    empty = OpsItemsModel()
    qtmodeltester.check(empty)


def test_empty_sections_say_so(app_context: Any, qtbot: Any) -> None:
    # A week after the demo's plan ends, nothing is due: each card says so in words.
    view = OpsBoardView(app_context, clock=Clock(NOON + timedelta(days=200)))
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.warnings_loaded, timeout=20_000):
        view.show()
    card = view.cards["posts_due"]
    assert card.model.rowCount() == 0 and card.count.text() == "0"
    assert card.empty.isVisible() and card.empty.text() == "Nothing due in the next 48 hours."
    assert view.cards["requests_waiting"].empty.text().startswith("No boost request")
    view.stop()
    app_context.ops.wait_all()


def test_sla_countdown_ticks_and_turns_red(qtbot: Any) -> None:
    due = NOON + timedelta(minutes=2)
    item = OpsItem(
        "requests_waiting",
        "amplification_request",
        "r1",
        "Boost: Winter",
        "DE · standard",
        "de",
        None,
        sla_due_at=due.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    model = OpsItemsModel(clock_offset_seconds=0)
    model.set_items([item], NOON)
    index = model.index(0)
    assert model.data(index, COUNTDOWN_ROLE) == "2m 00s left"
    assert model.data(index, BREACHED_ROLE) is False
    assert model.data(index, COUNTDOWN_COLOR_ROLE) != BREACHED_COLOR
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.tick(NOON + timedelta(minutes=2, seconds=5))
    assert COUNTDOWN_ROLE in changed.args[2]
    assert model.data(index, COUNTDOWN_ROLE) == "Overdue 0m 05s"
    assert model.data(index, BREACHED_ROLE) is True
    assert model.data(index, COUNTDOWN_COLOR_ROLE) == BREACHED_COLOR
    assert model.data(index, SEVERITY_ROLE) == "error"
    # The server's clock runs a minute behind ours: on its clock there is time left.
    model.clock_offset_seconds = -60
    model.tick(NOON + timedelta(minutes=2, seconds=5))
    assert model.data(index, COUNTDOWN_ROLE) == "0m 55s left"
    model.tick(NOON - timedelta(hours=1))
    assert model.data(index, COUNTDOWN_ROLE) == "1h 03m 00s left"
    assert model.data(index, COUNTDOWN_COLOR_ROLE) == RUNNING_COLOR
    assert countdown_text(timedelta(hours=-2, minutes=-1)) == "Overdue 2h 01m"


def test_the_board_s_countdowns_follow_its_clock(board: OpsBoardView) -> None:
    card = board.cards["requests_waiting"]
    clock = board.clock
    assert isinstance(clock, Clock)
    first_due = card.model.item(0).sla_due_at
    assert first_due is not None
    due = datetime.strptime(first_due, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    clock.now = due - timedelta(seconds=30)
    board.tick()
    assert card.model.data(card.model.index(0), COUNTDOWN_ROLE) == "0m 30s left"
    clock.now = due + timedelta(seconds=1)
    board.tick()
    index = card.model.index(0)
    assert card.model.data(index, COUNTDOWN_ROLE) == "Overdue 0m 01s"
    assert card.model.data(index, COUNTDOWN_COLOR_ROLE) == BREACHED_COLOR
    assert board.ticker.isActive() and board.ticker.interval() == 1000


def test_filter_narrows_every_card(board: OpsBoardView, qtbot: Any) -> None:
    card = board.cards["posts_due"]
    title = card.model.item(0).title
    qtbot.keyClicks(board.search, title)
    assert card.model.rowCount() >= 1
    assert all(
        title.casefold() in card.model.item(r).title.casefold()
        for r in range(card.model.rowCount())
    )
    board.search.setText("no item is called this")
    assert all(c.model.rowCount() == 0 for c in board.cards.values())
    assert card.empty.text() == "Nothing here matches the filter."
    board.search.clear()
    assert card.model.rowCount() == len(board.section("posts_due").items)


def test_items_open_what_they_are_about(board: OpsBoardView, qtbot: Any) -> None:
    card = board.cards["requests_waiting"]
    item = card.model.item(0)
    with qtbot.waitSignal(board.open_record) as opened:
        card.list.setCurrentIndex(card.model.index(0))
        card.list.setFocus()
        qtbot.keyClick(card.list, Qt.Key.Key_Return)
    assert opened.args == ["amplification_request", item.record_id]
    stale = board.cards["stale"]
    stale_item = stale.model.item(0)
    with qtbot.waitSignal(board.adapt_requested) as adapt:
        rect = stale.list.visualRect(stale.model.index(0))
        qtbot.mouseClick(stale.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert adapt.args == [stale_item.record_type, stale_item.master_id, stale_item.market]
    board.show_record("amplification_request", item.record_id)
    assert card.list.currentIndex().row() == 0


def test_the_main_window_routes_items_to_their_views(app_context: Any, qtbot: Any) -> None:
    app_context.workspace.clock = lambda: NOON
    window = MainWindow(app_context, start_sync=False)
    qtbot.addWidget(window)
    window.show()
    ops = window.views["ops"]
    assert isinstance(ops, OpsBoardView)
    qtbot.waitUntil(lambda: ops.board is not None, timeout=20_000)
    shown: list[tuple[str, str]] = []
    for record_type, key in (
        ("amplification_request", "requests"),
        ("calendar_entry", "calendar"),
        ("asset", "assets"),
    ):
        with qtbot.waitSignal(window.section_shown) as section:
            ops.open_record.emit(record_type, "00000000-0000-4000-8000-00000000abcd")
        assert section.args == [key]
        assert window.current_key() == key
        shown.append((record_type, key))
    assert len(shown) == 3
    window.close()
    app_context.ops.wait_all()


def test_a_changed_signal_refreshes_only_for_shown_types(board: OpsBoardView, qtbot: Any) -> None:
    before = board._generation
    board.ctx.signals.changed.emit(frozenset({"comment"}))
    assert not board._refresh_soon.isActive()
    with qtbot.waitSignal(board.loaded, timeout=20_000):
        board.ctx.signals.changed.emit(frozenset({"amplification_request"}))
    assert board._generation == before + 1


def test_a_section_reads_in_words() -> None:
    section = OpsSection("posts_due", "Posts due", "Nothing due in the next 48 hours.", (), 0)
    model = OpsItemsModel()
    model.set_items(section.items, NOON)
    assert model.rowCount() == 0
