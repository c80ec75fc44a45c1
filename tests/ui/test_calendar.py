"""The calendar over the demo workspace: week, month and list views, filters, global and local
side by side, bursts as spans, moving entries by mouse drag and keyboard (accepted, refused and
undone), the empty state, and the models under qtmodeltester."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.domain.values import format_time, parse_time
from desktop.queries import calendar as q
from desktop.queries.calendar import EntryFilter
from desktop.services import entries as entry_service
from desktop.store import records
from desktop.store.db import Store
from desktop.store.models import Asset, CalendarEntry
from ui.adapt.view import AdaptView
from ui.calendar.editor import EntryEditor
from ui.calendar.layout import GLOBAL, utc_range
from ui.calendar.models import CELL_ROLE
from ui.calendar.view import CalendarView, period_title
from ui.operations import Op, Pool
from ui.requests.form import RequestForm

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
LEAD = EntryFilter(markets=("de", "fr"), include_global=True)


@pytest.fixture
def view(qtbot: QtBot, app_context: Any) -> CalendarView:
    calendar = CalendarView(app_context, clock=lambda: NOW)
    qtbot.addWidget(calendar)
    calendar.resize(1400, 900)
    with qtbot.waitSignal(calendar.loaded, timeout=10_000):
        calendar.show()
    qtbot.waitExposed(calendar)
    return calendar


def reloaded(qtbot: QtBot, view: CalendarView, action: Any) -> None:
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        action()


def entry(store: Store, entry_id: str) -> dict[str, Any]:
    with store.read() as session:
        found = records.get(session, "calendar_entry", entry_id)
    assert found is not None
    data: dict[str, Any] = found["data"]
    return data


def expected_ids(store: Store, days: list[date], filters: EntryFilter = LEAD) -> set[str]:
    start, end = utc_range(days, BERLIN)
    with store.read() as session:
        rows = q.entries_in_range(
            session,
            start=start,
            end=end,
            filters=filters,
            lookback_seconds=q.longest_span_seconds(session),
        )
    return {r.id for r in rows}


def shown_ids(view: CalendarView) -> set[str]:
    layout = view.grid_model.layout_data
    assert layout is not None
    ids = {chip.row.id for row in layout.cells for cell in row for chip in cell.chips}
    return ids | {piece.row.id for pieces in layout.spans for piece in pieces}


def make_entry(ctx: Any, **data: Any) -> str:
    entry_id = str(uuid.uuid4())
    fields = {
        "kind": "organic_post",
        "market": "de",
        "channel": "instagram",
        "title": "Drag me",
        "caption": "Ein Test",
        "status": "planned",
        **data,
    }
    fields.setdefault("ends_at", fields["starts_at"])
    entry_service.create_entry(ctx.workspace, data=fields, entry_id=entry_id)
    return entry_id


def announce(qtbot: QtBot, view: CalendarView, ctx: Any) -> None:
    reloaded(qtbot, view, lambda: ctx.signals.changed.emit(frozenset({"calendar_entry"})))


def drag(qtbot: QtBot, view: CalendarView, entry_id: str, target: QPoint) -> None:
    """A real mouse drag on the grid: press on the chip, move past the drag distance, release."""
    grid = view.grid
    rect = grid.entry_rect(entry_id)
    assert rect is not None, "the entry is not drawn"
    start = rect.center()
    port = grid.viewport()
    qtbot.mousePress(port, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(port, start + QPoint(12, 8))
    assert grid.dragging
    qtbot.mouseMove(port, target)
    qtbot.mouseRelease(port, Qt.MouseButton.LeftButton, pos=target)


def cell_center(view: CalendarView, day: date, lane: str | None = None) -> QPoint:
    layout = view.grid_model.layout_data
    assert layout is not None
    column = layout.days.index(day)
    if layout.mode == "week":
        row = layout.lanes.index(lane or GLOBAL)
    else:
        row, column = divmod(column, 7)
    rect = view.grid.visualRect(view.grid_model.index(row, column))
    return QPoint(rect.center().x(), rect.bottom() - 6)


def position(view: CalendarView, entry_id: str) -> tuple[int, int] | None:
    layout = view.grid_model.layout_data
    assert layout is not None
    return layout.find(entry_id)


# --- rendering --------------------------------------------------------------------------------


def test_the_week_shows_each_entry_in_its_day_and_lane(
    view: CalendarView, demo_store: Store
) -> None:
    layout = view.grid_model.layout_data
    assert layout is not None and layout.mode == "week"
    assert layout.days[0] == date(2026, 11, 16) and layout.days[-1] == date(2026, 11, 22)
    assert layout.lanes == [GLOBAL, "de", "fr"]
    assert view.title_label.text() == "16 – 22 Nov 2026"
    for r, lane in enumerate(layout.lanes):
        for c, day in enumerate(layout.days):
            cell = layout.cell(r, c)
            for chip in cell.chips:
                assert (chip.row.market or GLOBAL) == lane
                assert parse_time(chip.row.starts_at).astimezone(BERLIN).date() == day
                assert chip.row.kind != "paid_burst"
    assert shown_ids(view) == expected_ids(demo_store, layout.days)
    assert view.count_label.text() == f"{layout.total} entries"
    # Each chip is drawn inside its day's cell.
    some = next(chip for row in layout.cells for cell in row for chip in cell.chips)
    r, c = layout.find(some.row.id) or (0, 0)
    rect = view.grid.entry_rect(some.row.id)
    assert rect is not None
    assert view.grid.visualRect(view.grid_model.index(r, c)).contains(rect.center())
    today = view.grid_model.headerData(6, Qt.Orientation.Horizontal)
    assert today == "Today · Sun 22 Nov"
    assert view.grid_model.headerData(1, Qt.Orientation.Vertical) == "DE"


def test_month_and_list_views(qtbot: QtBot, view: CalendarView, demo_store: Store) -> None:
    reloaded(qtbot, view, lambda: view.set_mode("month"))
    layout = view.grid_model.layout_data
    assert layout is not None and layout.mode == "month"
    assert layout.days[0] == date(2026, 10, 26) and layout.days[-1] == date(2026, 12, 6)
    assert view.grid_model.rowCount() == 6 and view.title_label.text() == "November 2026"
    assert shown_ids(view) <= expected_ids(demo_store, layout.days)
    for row in layout.cells:
        for cell in row:
            for chip in cell.chips:
                assert parse_time(chip.row.starts_at).astimezone(BERLIN).date() == cell.day
    reloaded(qtbot, view, lambda: view.set_presentation("list"))
    ids = expected_ids(demo_store, layout.days)
    assert view.list_model.rowCount() == len(ids)
    assert set(view.list_model.ids) == ids
    starts = [view.list_model.entry(i).entry.starts_at for i in range(len(ids))]  # type: ignore[union-attr]
    assert starts == sorted(starts)
    # Sorting re-queries: by title, descending.
    reloaded(qtbot, view, lambda: view.list_model.sort(1, Qt.SortOrder.DescendingOrder))
    titles = [
        (view.list_model.entry(i).entry.title or "").lower()  # type: ignore[union-attr]
        for i in range(len(ids))
    ]
    assert titles == sorted(titles, reverse=True)
    reloaded(qtbot, view, lambda: view.step(1))
    assert view.title_label.text() == "December 2026"


def test_filters_narrow_what_is_shown(qtbot: QtBot, view: CalendarView, demo_store: Store) -> None:
    days = view.grid_model.layout_data.days  # type: ignore[union-attr]
    reloaded(qtbot, view, lambda: view.channel_box.setCurrentIndex(view.channel_box.findData("x")))
    expected = expected_ids(demo_store, days, EntryFilter(("de", "fr"), channels=frozenset({"x"})))
    assert shown_ids(view) == expected and expected
    assert view.clear_button.isVisible()
    reloaded(qtbot, view, view.clear_filters)
    reloaded(qtbot, view, lambda: view.market_buttons["de"].setChecked(False))
    layout = view.grid_model.layout_data
    assert layout is not None and layout.lanes == [GLOBAL, "fr"]
    assert all(view._row(i).market != "de" for i in shown_ids(view))  # type: ignore[union-attr]
    reloaded(qtbot, view, lambda: view.market_buttons[GLOBAL].setChecked(False))
    assert view.grid_model.layout_data.lanes == ["fr"]  # type: ignore[union-attr]
    reloaded(qtbot, view, view.clear_filters)
    kind = view.kind_box.findData("paid_burst")
    reloaded(qtbot, view, lambda: view.kind_box.setCurrentIndex(kind))
    assert shown_ids(view) == expected_ids(
        demo_store, days, EntryFilter(("de", "fr"), kinds=frozenset({"paid_burst"}))
    )
    status = view.status_box.findData("published")
    reloaded(qtbot, view, lambda: view.status_box.setCurrentIndex(status))
    assert all(view._row(i).status == "published" for i in shown_ids(view))  # type: ignore[union-attr]
    reloaded(qtbot, view, view.clear_filters)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        qtbot.keyClicks(view.search_box, "poll")
    assert shown_ids(view) and all(
        "poll" in (view._row(i).title or "").lower()  # type: ignore[union-attr]
        for i in shown_ids(view)
    )


def test_global_entries_and_their_adaptations_side_by_side(
    qtbot: QtBot, view: CalendarView, demo_store: Store
) -> None:
    layout = view.grid_model.layout_data
    assert layout is not None
    pairs = [
        (chip.row, r, c)
        for r, row in enumerate(layout.cells)
        for c, cell in enumerate(row)
        for chip in cell.chips
        if chip.row.parent_id and layout.find(chip.row.parent_id) is not None
    ]
    assert pairs, "the demo week has adaptations of global entries"
    child, r, _c = pairs[0]
    parent_position = layout.find(child.parent_id)  # type: ignore[arg-type]
    assert parent_position is not None
    assert layout.lanes[parent_position[0]] == GLOBAL and layout.lanes[r] == child.market
    # Selecting the local version marks its global entry (and the other way round).
    view.grid.select_entry(child.id)
    assert child.parent_id in view.grid.linked
    view.grid.select_entry(child.parent_id)  # type: ignore[arg-type]
    assert child.id in view.grid.linked
    assert view.grid.chip_label(child).startswith("↳ ")
    # In the month, an adaptation on its parent's day follows it in the same cell.
    reloaded(qtbot, view, lambda: view.set_mode("month"))
    month = view.grid_model.layout_data
    assert month is not None
    together = 0
    for row in month.cells:
        for cell in row:
            ids = [chip.row.id for chip in cell.chips]
            for i, chip in enumerate(cell.chips):
                if chip.row.parent_id in ids:
                    parent_at = ids.index(chip.row.parent_id)
                    assert parent_at < i
                    between = cell.chips[parent_at + 1 : i]
                    assert all(x.row.parent_id == chip.row.parent_id for x in between)
                    together += 1
    assert together


def test_paid_bursts_are_spans_across_days(qtbot: QtBot, view: CalendarView) -> None:
    reloaded(qtbot, view, lambda: view.set_mode("month"))
    layout = view.grid_model.layout_data
    assert layout is not None
    pieces = [(r, p) for r, row in enumerate(layout.spans) for p in row]
    assert pieces and all(p.row.kind == "paid_burst" for _r, p in pieces)
    wide = [(r, p) for r, p in pieces if p.last > p.first]
    assert wide
    r, piece = wide[0]
    rect = view.grid.span_rect(r, piece)
    assert rect.width() > view.grid.columnWidth(0) * (piece.last - piece.first)
    for column in range(piece.first, piece.last + 1):
        cell_rect = view.grid.visualRect(view.grid_model.index(r, column))
        assert rect.intersects(cell_rect)
    # A burst is never also drawn as a chip.
    chips = {chip.row.id for row in layout.cells for cell in row for chip in cell.chips}
    assert not chips & {p.row.id for _r, p in pieces}
    # Bursts running across two weeks continue in the next row.
    continued = [p for _r, p in pieces if p.starts_before]
    assert continued


# --- moving -----------------------------------------------------------------------------------


def test_drag_moves_an_entry_and_undo_puts_it_back(
    qtbot: QtBot, view: CalendarView, app_context: Any, demo_store: Store
) -> None:
    entry_id = make_entry(app_context, starts_at="2026-11-18T08:00:00Z")
    announce(qtbot, view, app_context)
    assert position(view, entry_id) == (1, 2)  # DE lane, Wednesday
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        drag(qtbot, view, entry_id, cell_center(view, date(2026, 11, 20), "de"))
        assert position(view, entry_id) == (1, 4)  # at once, while the write runs
    qtbot.waitUntil(lambda: entry(demo_store, entry_id)["starts_at"] == "2026-11-20T08:00:00Z")
    assert entry(demo_store, entry_id)["ends_at"] == "2026-11-20T08:00:00Z"
    assert position(view, entry_id) == (1, 4)
    moved_chip = next(
        c for c in view.grid_model.layout_data.cell(1, 4).chips if c.row.id == entry_id
    )  # type: ignore[union-attr]
    assert not moved_chip.pending  # drawn as saved, no longer "saving…"
    assert view.grid.currentIndex() == view.grid_model.index(1, 4)  # the current day followed
    assert view.message_bar.tone == "success"
    assert 'Moved "Drag me" to Fri 20 Nov 09:00' in view.message_bar.text()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        Op(app_context.ops, lambda _p: app_context.workspace.undo(), pool=Pool.DB).run()
    assert entry(demo_store, entry_id)["starts_at"] == "2026-11-18T08:00:00Z"
    assert position(view, entry_id) == (1, 2)


def test_a_refused_drop_says_why_and_snaps_back(
    qtbot: QtBot, view: CalendarView, app_context: Any, demo_store: Store
) -> None:
    asset_id, until = embargoed_asset(demo_store, "de")
    lift = parse_time(until).astimezone(BERLIN)
    after = datetime.combine(lift.date() + timedelta(days=1), lift.time().replace(hour=10), BERLIN)
    entry_id = make_entry(app_context, starts_at=format_time(after), asset_ids=[asset_id])
    reloaded(qtbot, view, lambda: view.set_mode("month"))
    reloaded(qtbot, view, lambda: view.go_to(after.date()))
    before = position(view, entry_id)
    assert before is not None
    target = lift.date() - timedelta(days=1)
    drag(qtbot, view, entry_id, cell_center(view, target))
    qtbot.waitUntil(lambda: view.message_bar.tone == "error" and bool(view.message_bar.text()))
    message = view.message_bar.text()
    assert message.startswith("Move entry was not saved: ")
    assert "is embargoed in DE until" in message
    assert position(view, entry_id) == before  # snapped back
    assert entry(demo_store, entry_id)["starts_at"] == format_time(after)


def embargoed_asset(store: Store, market: str) -> tuple[str, str]:
    """A demo asset usable for organic posts in ``market`` but embargoed there for a while."""
    with store.read() as session:
        for row in session.execute(select(Asset.__table__)):
            data = records.from_row("asset", row)["data"]
            embargo, rights = data["embargo"], data["rights"]
            until = embargo.get("until")
            if not until or until <= format_time(NOW):
                continue
            if not ({market, "*"} & set(embargo.get("markets") or [])):
                continue
            if "organic" not in rights.get("usage", []):
                continue
            if not ({market, "*"} & set(rights.get("territories") or [])):
                continue
            if rights.get("expires_on") and rights["expires_on"] < "2027-01-31":
                continue
            return row.id, until
    raise AssertionError("the demo workspace has no embargoed asset for " + market)


def test_global_entries_are_not_dragged(qtbot: QtBot, view: CalendarView) -> None:
    layout = view.grid_model.layout_data
    assert layout is not None
    chip = next(chip for cell in layout.cells[0] for chip in cell.chips)
    grid = view.grid
    rect = grid.entry_rect(chip.row.id)
    assert rect is not None
    qtbot.mousePress(grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseMove(grid.viewport(), rect.center() + QPoint(40, 0))
    qtbot.mouseRelease(grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert not grid.dragging
    assert "central team's global plan" in view.message_bar.text()
    assert "Adapt it for DE/FR" in view.message_bar.text()


def test_a_drift_warning_is_shown_but_the_move_is_kept(
    qtbot: QtBot, view: CalendarView, app_context: Any, demo_store: Store
) -> None:
    with demo_store.read() as session:
        child = session.execute(
            select(CalendarEntry.id, CalendarEntry.starts_at, CalendarEntry.parent_id).where(
                CalendarEntry.market == "de",
                CalendarEntry.parent_id.is_not(None),
                CalendarEntry.status == "draft",
            )
        ).first()
    assert child is not None
    reloaded(qtbot, view, lambda: view.show_record("calendar_entry", child.id))
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.move_by_days(child.id, 4)
    qtbot.waitUntil(lambda: view.message_bar.tone == "warning")
    assert "than the global plan" in view.message_bar.text()
    moved = parse_time(entry(demo_store, child.id)["starts_at"])
    assert moved - parse_time(child.starts_at) == timedelta(days=4)


def test_keyboard_navigation_opening_and_moving(
    qtbot: QtBot, view: CalendarView, app_context: Any, demo_store: Store
) -> None:
    entry_id = make_entry(app_context, starts_at="2026-11-17T09:00:00Z", title="Keyboard")
    announce(qtbot, view, app_context)
    grid = view.grid
    grid.setFocus()
    assert grid.select_entry(entry_id)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        qtbot.keyClick(grid, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: entry(demo_store, entry_id)["starts_at"] == "2026-11-18T09:00:00Z")
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    editors = [d for d in view.open_dialogs if isinstance(d, EntryEditor)]
    assert editors and editors[0].entry_id == entry_id
    editors[0].reject()
    reloaded(qtbot, view, lambda: qtbot.keyClick(grid, Qt.Key.Key_PageDown))
    assert view.grid_model.layout_data.days[0] == date(2026, 11, 23)  # type: ignore[union-attr]
    reloaded(
        qtbot,
        view,
        lambda: qtbot.keyClick(grid, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier),
    )
    reloaded(qtbot, view, lambda: qtbot.keyClick(grid, Qt.Key.Key_PageUp))
    assert view.grid_model.layout_data.days[0] == date(2026, 11, 9)  # type: ignore[union-attr]
    reloaded(qtbot, view, view.go_today)
    assert view.grid_model.layout_data.days[0] == date(2026, 11, 16)  # type: ignore[union-attr]
    # Up and Down walk the chips of a day.
    layout = view.grid_model.layout_data
    assert layout is not None
    busy = next(
        view.grid_model.index(r, c)
        for r, row in enumerate(layout.cells)
        for c, _cell in enumerate(row)
        if len(grid.visible_chips(view.grid_model.index(r, c))) >= 2
    )
    grid.setCurrentIndex(busy)
    first, second = (row.id for row in grid.visible_chips(busy)[:2])
    assert grid.current_entry == first
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert grid.current_entry == second
    qtbot.keyClick(grid, Qt.Key.Key_Up)
    assert grid.current_entry == first


def test_show_record_brings_an_entry_into_view(
    qtbot: QtBot, view: CalendarView, demo_store: Store
) -> None:
    with demo_store.read() as session:
        far = session.execute(
            select(CalendarEntry.id, CalendarEntry.starts_at)
            .where(CalendarEntry.market == "fr", CalendarEntry.kind == "organic_post")
            .order_by(CalendarEntry.starts_at.desc())
        ).first()
    assert far is not None
    reloaded(qtbot, view, lambda: view.show_record("calendar_entry", far.id))
    assert view.grid.current_entry == far.id
    day = parse_time(far.starts_at).astimezone(BERLIN).date()
    assert day in view.grid_model.layout_data.days  # type: ignore[union-attr]
    # Hidden by a filter: the filters are cleared to show it.
    reloaded(qtbot, view, lambda: view.market_buttons["fr"].setChecked(False))
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show_record("calendar_entry", far.id)
    qtbot.waitUntil(lambda: view.grid.current_entry == far.id)
    assert view.market_buttons["fr"].isChecked()
    view.show_record("calendar_entry", str(uuid.uuid4()))
    assert "no longer here" in view.message_bar.text()


def test_the_empty_state_says_what_to_do(qtbot: QtBot, view: CalendarView) -> None:
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.search_box.setText("nothing-matches-this")
    assert view.empty_state.isVisible()
    assert view.empty_state.plain_text() == (
        "No entries in this week for DE, FR — change the filters or go to today"
    )
    reloaded(qtbot, view, lambda: view.empty_state.action.emit("filters"))
    assert not view.empty_state.isVisible() and view.search_box.text() == ""
    reloaded(qtbot, view, lambda: view.go_to(date(2027, 6, 1)))
    assert view.empty_state.isVisible()
    reloaded(qtbot, view, lambda: view.empty_state.action.emit("today"))
    assert view.anchor == date(2026, 11, 22) and not view.empty_state.isVisible()


# The offscreen platform cannot size the Adapt dialog's window; that warning is the platform's.
def test_request_a_boost_and_adapt_actions(
    qtbot: QtBot, view: CalendarView, demo_store: Store
) -> None:
    layout = view.grid_model.layout_data
    assert layout is not None
    organic = next(
        chip.row
        for cell in layout.cells[1]
        for chip in cell.chips
        if chip.row.kind == "organic_post"
    )
    view.request_boost(organic.id)
    forms = [d for d in view.open_dialogs if isinstance(d, RequestForm)]
    assert forms and forms[0].entry_choice() is not None
    assert forms[0].entry_choice().id == organic.id  # type: ignore[union-attr]
    forms[0].reject()
    from PySide6.QtWidgets import QMenu

    menu = QMenu()
    global_row = next(chip.row for cell in layout.cells[0] for chip in cell.chips)
    view.entry_actions(global_row.id, menu)
    texts = [a.text() for a in menu.actions()]
    assert "Adapt for DE…" in texts and "Adapt for FR…" in texts
    moves = [a for a in menu.actions() if a.text().startswith("Move")]
    assert moves and not any(a.isEnabled() for a in moves)  # the centre's entry
    assert all(a.isEnabled() for a in menu.actions() if a.text().startswith("Adapt"))
    # On its own the calendar opens the Adapt screen itself ...
    next(a for a in menu.actions() if a.text() == "Adapt for DE…").trigger()
    adapting = [d for d in view.open_dialogs if isinstance(d, AdaptView)]
    assert len(adapting) == 1 and adapting[0].master_id == global_row.id
    assert adapting[0].market == "de"
    adapting[0].reject()
    # ... and in the main window, which listens, the window opens it.
    requested: list[tuple[str, str, str]] = []
    view.adapt_requested.connect(lambda *args: requested.append(args))
    next(a for a in menu.actions() if a.text() == "Adapt for FR…").trigger()
    assert requested == [("calendar_entry", global_row.id, "fr")]


def test_period_titles() -> None:
    assert period_title("week", date(2026, 11, 22)) == "16 – 22 Nov 2026"
    assert period_title("week", date(2026, 12, 1)) == "30 Nov – 6 Dec 2026"
    assert period_title("week", date(2026, 12, 30)) == "28 Dec 2026 – 3 Jan 2027"
    assert period_title("month", date(2027, 2, 10)) == "February 2027"


# --- models -----------------------------------------------------------------------------------


def test_models_pass_the_model_tester(qtbot: QtBot, qtmodeltester: Any, view: CalendarView) -> None:
    qtmodeltester.check(view.grid_model)
    reloaded(qtbot, view, lambda: view.set_mode("month"))
    qtmodeltester.check(view.grid_model)
    cell = view.grid_model.index(3, 6).data(CELL_ROLE)
    assert cell is not None and cell.day == date(2026, 11, 22)
    reloaded(qtbot, view, lambda: view.set_presentation("list"))
    assert view.list_model.rowCount() > 0
    qtmodeltester.check(view.list_model)


def test_a_sync_that_changes_the_leads_markets_changes_the_lanes(
    qtbot: QtBot, view: CalendarView, app_context: Any
) -> None:
    from desktop.store.models import SyncState

    with app_context.store.write() as session:
        state = session.get(SyncState, 1)
        state.markets = ["fr"]
    reloaded(qtbot, view, lambda: app_context.signals.changed.emit(frozenset({"market"})))
    assert list(view.market_buttons) == [GLOBAL, "fr"]
    assert view.grid_model.layout_data.lanes == [GLOBAL, "fr"]  # type: ignore[union-attr]
    assert view.zone.key == "Europe/Paris"  # type: ignore[attr-defined]
    assert "times in Europe/Paris" in view.legend.text()
