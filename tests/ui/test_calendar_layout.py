"""Where entries go in the grids (pure Python, no Qt): local days across midnight and DST, lanes,
bursts as spans across days and weeks, tracks and caps, optimistic moves, parents first."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from desktop.queries.calendar import EntryRow
from ui.calendar.layout import (
    CHIP_CAP,
    GLOBAL,
    build_layout,
    day_bounds,
    moved,
    period_days,
    shift_anchor,
)

BERLIN = ZoneInfo("Europe/Berlin")
WEEK = period_days("week", date(2026, 11, 25))  # Mon 23 to Sun 29 Nov 2026
N = 0


def row(
    starts_at: str,
    *,
    market: str | None = "de",
    kind: str = "organic_post",
    ends_at: str | None = None,
    parent_id: str | None = None,
    entry_id: str | None = None,
) -> EntryRow:
    global N  # noqa: PLW0603 - unique ids for a test's rows
    N += 1
    return EntryRow(
        id=entry_id or f"e{N:04d}",
        kind=kind,
        market=market,
        channel="instagram",
        title=f"Entry {N}",
        status="planned",
        starts_at=starts_at,
        ends_at=ends_at or starts_at,
        campaign_id=None,
        parent_id=parent_id,
        version=1,
    )


def test_periods_and_steps() -> None:
    assert WEEK[0] == date(2026, 11, 23) and WEEK[-1] == date(2026, 11, 29)
    november = period_days("month", date(2026, 11, 5))
    assert november[0] == date(2026, 10, 26) and november[-1] == date(2026, 12, 6)
    assert len(november) == 42
    february = period_days("month", date(2027, 2, 1))  # starts on a Monday: four whole weeks
    assert february[0] == date(2027, 2, 1) and len(february) == 28
    assert shift_anchor("month", date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert shift_anchor("month", date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert shift_anchor("month", date(2027, 1, 15), -1) == date(2026, 12, 15)
    assert shift_anchor("week", date(2026, 11, 25), -2) == date(2026, 11, 11)


def test_local_days_across_midnight_and_daylight_saving() -> None:
    late_sunday = row("2026-11-22T22:59:00Z")  # 23:59 in Berlin, before the week
    monday = row("2026-11-22T23:00:00Z")  # midnight in Berlin: Monday
    sunday_night = row("2026-11-29T22:30:00Z")  # 23:30 on Sunday 29
    layout = build_layout(
        mode="week",
        days=WEEK,
        lanes=[GLOBAL, "de"],
        rows=[late_sunday, monday, sunday_night],
        zone=BERLIN,
    )
    assert [c.row.id for c in layout.cell(1, 0).chips] == [monday.id]
    assert [c.row.id for c in layout.cell(1, 6).chips] == [sunday_night.id]
    assert layout.total == 2 and layout.find(late_sunday.id) is None
    # The Sunday the clocks go back has 25 hours.
    october = period_days("week", date(2026, 10, 25))
    bounds = day_bounds(october, BERLIN)
    assert bounds[6] == "2026-10-24T22:00:00Z" and bounds[7] == "2026-10-25T23:00:00Z"
    last_hour = row("2026-10-25T22:30:00Z")  # 23:30 local, after the change
    layout = build_layout(mode="week", days=october, lanes=["de"], rows=[last_hour], zone=BERLIN)
    assert layout.find(last_hour.id) == (0, 6)
    assert layout.cell(0, 6).chips[0].local_start.hour == 23


def test_lanes_keep_global_and_each_market_apart() -> None:
    master = row("2026-11-24T08:00:00Z", market=None)
    local = row("2026-11-24T10:00:00Z", market="de", parent_id=master.id)
    other = row("2026-11-24T09:00:00Z", market="us")
    layout = build_layout(
        mode="week", days=WEEK, lanes=[GLOBAL, "de"], rows=[master, local, other], zone=BERLIN
    )
    assert layout.find(master.id) == (0, 1) and layout.find(local.id) == (1, 1)
    assert layout.find(other.id) is None  # not a lane shown
    month = build_layout(
        mode="month",
        days=period_days("month", date(2026, 11, 1)),
        lanes=[],
        rows=[master, other, local],  # by start time
        zone=BERLIN,
    )
    cell = month.cell(*month.find(master.id))  # type: ignore[misc]
    # The adaptation follows its global entry, ahead of an earlier entry of another market.
    assert [c.row.id for c in cell.chips] == [master.id, local.id, other.id]


def test_bursts_are_spans_across_days_and_weeks() -> None:
    burst = row(
        "2026-11-26T07:00:00Z", kind="paid_burst", ends_at="2026-12-02T23:00:00Z"
    )  # Thu 26 Nov 08:00 to Thu 3 Dec 00:00 (an end at midnight belongs to the day before)
    layout = build_layout(mode="week", days=WEEK, lanes=["de"], rows=[burst], zone=BERLIN)
    (piece,) = layout.spans[0]
    assert (piece.first, piece.last, piece.starts_before, piece.ends_after) == (3, 6, False, True)
    assert all(not cell.chips for cell in layout.cells[0]) and layout.total == 1
    month = build_layout(
        mode="month",
        days=period_days("month", date(2026, 11, 1)),
        lanes=[],
        rows=[burst],
        zone=BERLIN,
    )
    pieces = [
        (r, p.first, p.last, p.starts_before, p.ends_after)
        for r, ps in enumerate(month.spans)
        for p in ps
    ]
    assert pieces == [(4, 3, 6, False, True), (5, 0, 2, True, False)]
    started_earlier = row("2026-11-10T07:00:00Z", kind="paid_burst", ends_at="2026-11-24T07:00:00Z")
    layout = build_layout(mode="week", days=WEEK, lanes=["de"], rows=[started_earlier], zone=BERLIN)
    (piece,) = layout.spans[0]
    assert (piece.first, piece.last, piece.starts_before) == (0, 1, True)
    ended = row("2026-11-10T07:00:00Z", kind="paid_burst", ends_at="2026-11-22T23:00:00Z")
    layout = build_layout(mode="week", days=WEEK, lanes=["de"], rows=[ended], zone=BERLIN)
    assert layout.spans == [[]] and layout.total == 0


def test_tracks_and_caps_count_what_does_not_fit() -> None:
    bursts = [
        row("2026-11-23T07:00:00Z", kind="paid_burst", ends_at="2026-11-26T07:00:00Z")
        for _ in range(5)
    ]
    posts = [
        row(f"2026-11-24T{8 + i // 4:02d}:{(i % 4) * 15:02d}:00Z") for i in range(CHIP_CAP + 3)
    ]
    layout = build_layout(mode="week", days=WEEK, lanes=["de"], rows=[*bursts, *posts], zone=BERLIN)
    assert layout.tracks == [3]
    assert [cell.hidden_spans for cell in layout.cells[0]] == [2, 2, 2, 2, 0, 0, 0]
    tuesday = layout.cell(0, 1)
    assert len(tuesday.chips) == CHIP_CAP and tuesday.total == CHIP_CAP + 3 and tuesday.more == 3
    assert layout.total == 5 + CHIP_CAP + 3


def test_an_optimistic_move_shows_at_once_and_pending() -> None:
    post = row("2026-11-24T08:00:00Z")
    target = moved(post, timedelta(days=2))
    assert target.starts_at == "2026-11-26T08:00:00Z" and target.ends_at == target.starts_at
    layout = build_layout(
        mode="week",
        days=WEEK,
        lanes=["de"],
        rows=[post],
        zone=BERLIN,
        overrides={post.id: target},
    )
    assert layout.find(post.id) == (0, 3)
    assert layout.cell(0, 3).chips[0].pending
    assert layout.row_of(post.id) == target
