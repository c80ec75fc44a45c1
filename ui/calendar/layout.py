"""Where each entry goes in the week and month grids: days, lanes, chips and burst spans.

Pure Python (no Qt, no database): the grid model calls ``build_layout`` with the rows of the
visible range, in the background or after an optimistic move, and only draws the result.
Days are the lead's local days (``zone``); entries are bucketed by comparing canonical UTC text
with each local midnight, so no time is parsed per row.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Final, Literal

from desktop.domain.values import format_time, parse_time
from desktop.queries.calendar import EntryRow

Mode = Literal["week", "month"]
GLOBAL: Final = ""  # the lane of the central plan (market None)
CHIP_CAP: Final = 12  # chips kept per cell; the rest are counted ("+N more")
SPAN_TRACKS: Final = {"week": 3, "month": 2}


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def period_days(mode: Mode, anchor: date) -> list[date]:
    """The days a week (Monday to Sunday) or a month (whole weeks around it) shows."""
    if mode == "week":
        first = week_start(anchor)
        return [first + timedelta(days=i) for i in range(7)]
    first = week_start(anchor.replace(day=1))
    next_month = (anchor.replace(day=28) + timedelta(days=4)).replace(day=1)
    last = week_start(next_month - timedelta(days=1)) + timedelta(days=6)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def shift_anchor(mode: Mode, anchor: date, steps: int) -> date:
    """The anchor ``steps`` weeks or months away (a month keeps its day where it can)."""
    if mode == "week":
        return anchor + timedelta(weeks=steps)
    month_index = anchor.year * 12 + anchor.month - 1 + steps
    year, month = divmod(month_index, 12)
    first = date(year, month + 1, 1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first.replace(day=min(anchor.day, (following - first).days))


def local_midnight_utc(day: date, zone: tzinfo) -> str:
    """The canonical UTC time at which ``day`` begins in ``zone``."""
    return format_time(datetime.combine(day, time(0), tzinfo=zone))


def day_bounds(days: Sequence[date], zone: tzinfo) -> list[str]:
    """Each day's start in UTC text, and the end of the last day (len(days) + 1 values)."""
    bounds = [local_midnight_utc(d, zone) for d in days]
    bounds.append(local_midnight_utc(days[-1] + timedelta(days=1), zone))
    return bounds


def is_span(row: EntryRow) -> bool:
    """Paid bursts with a length are drawn as spans across days; everything else as a chip."""
    return row.kind == "paid_burst" and row.ends_at is not None and row.ends_at > row.starts_at


@dataclass(frozen=True)
class Chip:
    row: EntryRow
    local_start: datetime
    pending: bool = False  # moved here, waiting for the write to confirm it


@dataclass(frozen=True)
class SpanPiece:
    """One burst's bar across the columns ``first..last`` of one grid row, on ``track``."""

    row: EntryRow
    track: int
    first: int
    last: int
    starts_before: bool  # the burst began before this grid row (no rounded start)
    ends_after: bool
    pending: bool = False


@dataclass
class Cell:
    day: date
    lane: str | None  # week view: GLOBAL or a market code; month view: None (all lanes)
    chips: list[Chip] = field(default_factory=list)
    total: int = 0  # chips in this cell before the cap
    hidden_spans: int = 0  # bursts running this day that have no track left

    @property
    def more(self) -> int:
        return self.total - len(self.chips)


@dataclass
class GridLayout:
    mode: Mode
    days: list[date]
    lanes: list[str]  # week view: the lanes in order; month view: []
    cells: list[list[Cell]]
    spans: list[list[SpanPiece]]  # per grid row
    tracks: list[int]  # per grid row: how many span tracks it uses
    total: int = 0  # entries in the range (chips and spans)

    @property
    def rows(self) -> int:
        return len(self.cells)

    def cell(self, row: int, column: int) -> Cell:
        return self.cells[row][column]

    def find(self, entry_id: str) -> tuple[int, int] | None:
        """The (row, column) of the entry's chip or its span's first column."""
        for r, row in enumerate(self.cells):
            for c, cell in enumerate(row):
                if any(chip.row.id == entry_id for chip in cell.chips):
                    return r, c
        for r, pieces in enumerate(self.spans):
            for piece in pieces:
                if piece.row.id == entry_id:
                    return r, piece.first
        return None

    def row_of(self, entry_id: str) -> EntryRow | None:
        position = self.find(entry_id)
        if position is None:
            return None
        for chip in self.cells[position[0]][position[1]].chips:
            if chip.row.id == entry_id:
                return chip.row
        for piece in self.spans[position[0]]:
            if piece.row.id == entry_id:
                return piece.row
        return None


def moved(row: EntryRow, delta: timedelta) -> EntryRow:
    """The row with both times shifted by ``delta`` (a drag's optimistic position)."""
    starts = format_time(parse_time(row.starts_at) + delta)
    ends = None if row.ends_at is None else format_time(parse_time(row.ends_at) + delta)
    return row._replace(starts_at=starts, ends_at=ends)


def _order_with_parents(chips: list[Chip]) -> list[Chip]:
    """Start-time order, with each local adaptation right after its global parent when both
    are in the cell (global and local side by side)."""
    present = {chip.row.id for chip in chips}
    children: dict[str, list[Chip]] = {}
    for chip in chips:
        parent = chip.row.parent_id
        if parent is not None and parent in present:
            children.setdefault(parent, []).append(chip)
    ordered: list[Chip] = []
    for chip in chips:
        parent = chip.row.parent_id
        if parent is not None and parent in present:
            continue
        ordered.append(chip)
        ordered.extend(children.get(chip.row.id, ()))
    return ordered


def _assign_tracks(
    pieces: list[tuple[EntryRow, int, int, bool, bool, bool]], max_tracks: int, columns: int
) -> tuple[list[SpanPiece], list[int], int]:
    """Greedy interval colouring; pieces with no free track are counted per column."""
    ends: list[int] = []  # last column used on each track
    placed: list[SpanPiece] = []
    hidden = [0] * columns
    for row, first, last, before, after, pending in sorted(
        pieces, key=lambda p: (p[1], -(p[2] - p[1]), p[0].starts_at, p[0].id)
    ):
        track = next((t for t, end in enumerate(ends) if end < first), None)
        if track is None and len(ends) < max_tracks:
            track = len(ends)
            ends.append(-1)
        if track is None:
            for column in range(first, last + 1):
                hidden[column] += 1
            continue
        ends[track] = last
        placed.append(SpanPiece(row, track, first, last, before, after, pending))
    return placed, hidden, len(ends)


def build_layout(
    *,
    mode: Mode,
    days: Sequence[date],
    lanes: Sequence[str],
    rows: Iterable[EntryRow],
    zone: tzinfo,
    overrides: Mapping[str, EntryRow] | None = None,
) -> GridLayout:
    """Place ``rows`` (sorted by start) in the grid of ``days``.

    Week view: one grid row per lane (GLOBAL first, then markets), seven columns. Month view:
    one grid row per week; every lane in each day. ``overrides`` replace rows by id (an
    optimistic move) and mark them pending.
    """
    days = list(days)
    bounds = day_bounds(days, zone)
    lane_index = {lane: i for i, lane in enumerate(lanes)}
    if mode == "week":
        cells = [[Cell(day, lane) for day in days] for lane in lanes]
    else:
        cells = [[Cell(day, None) for day in days[w : w + 7]] for w in range(0, len(days), 7)]
    span_input: list[list[tuple[EntryRow, int, int, bool, bool, bool]]] = [[] for _ in cells]
    overrides = overrides or {}
    source = [overrides.get(row.id, row) for row in rows]
    if overrides:
        source.sort(key=lambda r: (r.starts_at, r.id))
    total = 0
    last_day = len(days) - 1
    for row in source:
        lane = row.market or GLOBAL
        if mode == "week" and lane not in lane_index:
            continue
        pending = row.id in overrides
        if is_span(row):
            assert row.ends_at is not None
            if row.ends_at <= bounds[0] or row.starts_at >= bounds[-1]:
                continue
            first_day = max(0, bisect.bisect_right(bounds, row.starts_at) - 1)
            # The day holding the burst's last moment (an end at midnight is the day before).
            final_day = min(last_day, bisect.bisect_left(bounds, row.ends_at) - 1)
            total += 1
            if mode == "week":
                span_input[lane_index[lane]].append(
                    (
                        row,
                        first_day,
                        final_day,
                        row.starts_at < bounds[0],
                        row.ends_at > bounds[-1],
                        pending,
                    )
                )
                continue
            for week in range(first_day // 7, final_day // 7 + 1):
                lo, hi = week * 7, week * 7 + 6
                span_input[week].append(
                    (
                        row,
                        max(first_day, lo) - lo,
                        min(final_day, hi) - lo,
                        first_day < lo or row.starts_at < bounds[0],
                        final_day > hi or row.ends_at > bounds[-1],
                        pending,
                    )
                )
            continue
        index = bisect.bisect_right(bounds, row.starts_at) - 1
        if index < 0 or index > last_day:
            continue  # a chip shows on its start day only
        total += 1
        grid_row, column = (lane_index[lane], index) if mode == "week" else divmod(index, 7)
        cell = cells[grid_row][column]
        cell.total += 1
        if len(cell.chips) < CHIP_CAP or pending:
            cell.chips.append(Chip(row, parse_time(row.starts_at).astimezone(zone), pending))
    spans: list[list[SpanPiece]] = []
    tracks: list[int] = []
    for grid_row, pieces in enumerate(span_input):
        placed, hidden, used = _assign_tracks(pieces, SPAN_TRACKS[mode], 7)
        spans.append(placed)
        tracks.append(used)
        for column, count in enumerate(hidden):
            cells[grid_row][column].hidden_spans = count
    for row_cells in cells:
        for cell in row_cells:
            cell.chips = _order_with_parents(cell.chips)
    return GridLayout(
        mode=mode,
        days=days,
        lanes=list(lanes) if mode == "week" else [],
        cells=cells,
        spans=spans,
        tracks=tracks,
        total=total,
    )


def utc_range(days: Sequence[date], zone: tzinfo) -> tuple[str, str]:
    """The canonical UTC start and end of the days shown."""
    bounds = day_bounds(days, zone)
    return bounds[0], bounds[-1]


def today_in(zone: tzinfo, now: datetime) -> date:
    return now.astimezone(zone).date()
