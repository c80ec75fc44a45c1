"""Paid bursts that overlap in the same market: duplicate spend.

Decisions where PRODUCT.md is silent:

- Only ``paid_burst`` entries count. Left out: cancelled ones (``status == "cancelled"``), deleted
  ones (``deleted`` true), those with a missing or unreadable time, or no positive length.
- A global burst (``market`` None) runs in every market. Reported pairs are local-vs-local in the
  same market and local-vs-global (reported under the local burst's market). Two global bursts
  are the centre's own plan and are not reported. A local burst that adapts a global one
  (``parent_id``) replaces it in its market, so that pair is not duplicate spend either.
- Two bursts overlap when they share a positive length of time: one ending exactly when the other
  starts does not overlap.
- In a pair, ``first_id`` is the burst that starts first (ties: the smaller id). The overlap's
  ``hours`` is the length of the shared time. ``duplicate_spend_hours`` sums pair hours per
  market and ISO week (UTC): three bursts overlapping at once count three pairs.

``find_overlaps`` is a sweep line per market (sort by start, keep the bursts still running), so it
takes O(n log n + k) for n bursts and k pairs, plus one pass over the global bursts per market.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from desktop.rules._text import to_time


@dataclass(frozen=True)
class Overlap:
    first_id: str
    second_id: str
    market: str
    starts_at: datetime
    ends_at: datetime
    hours: float


@dataclass(frozen=True)
class _Burst:
    id: str
    market: str | None
    start: datetime
    end: datetime
    parent: str | None = None


def _bursts(entries: Iterable[dict[str, Any]]) -> list[_Burst]:
    by_id: dict[str, _Burst] = {}
    for entry in entries:
        if entry.get("kind") != "paid_burst" or entry.get("status") == "cancelled":
            continue
        ident = entry.get("id")
        if entry.get("deleted") or ident is None:
            continue
        start, end = to_time(entry.get("starts_at")), to_time(entry.get("ends_at"))
        market = entry.get("market")
        if start is None or end is None or end <= start:
            continue
        parent = entry.get("parent_id")
        by_id[str(ident)] = _Burst(
            str(ident),
            market if isinstance(market, str) else None,
            start,
            end,
            str(parent) if parent else None,
        )
    return list(by_id.values())


def _key(burst: _Burst) -> tuple[datetime, str]:
    return burst.start, burst.id


def _sweep(market: str, bursts: Iterator[_Burst]) -> Iterator[Overlap]:
    """Pairs among ``bursts`` (sorted by start) that are not both global."""
    local: dict[str, _Burst] = {}
    central: dict[str, _Burst] = {}
    ending: list[tuple[datetime, str, bool]] = []
    for burst in bursts:
        while ending and ending[0][0] <= burst.start:
            _, gone, was_global = heapq.heappop(ending)
            (central if was_global else local).pop(gone, None)
        is_global = burst.market is None
        partners = list(local.values()) if is_global else [*local.values(), *central.values()]
        for earlier in partners:
            if burst.parent == earlier.id or earlier.parent == burst.id:
                continue  # an adaptation and its master: the same burst, localized
            end = min(earlier.end, burst.end)
            yield Overlap(
                earlier.id,
                burst.id,
                market,
                burst.start,
                end,
                (end - burst.start).total_seconds() / 3600,
            )
        (central if is_global else local)[burst.id] = burst
        heapq.heappush(ending, (burst.end, burst.id, is_global))


def find_overlaps(entries: Iterable[dict[str, Any]]) -> list[Overlap]:
    """Every pair of paid bursts spending in the same market at the same time (see the module).

    ``entries`` are calendar entry data dicts that also hold their ``id``. Sorted by market, start
    of the overlap, then ids.
    """
    bursts = _bursts(entries)
    central = sorted((b for b in bursts if b.market is None), key=_key)
    by_market: dict[str, list[_Burst]] = {}
    for burst in bursts:
        if burst.market is not None:
            by_market.setdefault(burst.market, []).append(burst)
    found: list[Overlap] = []
    for market, local in by_market.items():
        local.sort(key=_key)
        found.extend(_sweep(market, heapq.merge(central, local, key=_key)))
    found.sort(key=lambda o: (o.market, o.starts_at, o.first_id, o.second_id))
    return found


def _week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def duplicate_spend_hours(overlaps: Iterable[Overlap]) -> dict[tuple[str, str], float]:
    """Overlap hours per (market, ISO week ``2026-W48``), weeks in UTC starting Monday 00:00.

    An overlap across a week boundary is split between the two weeks.
    """
    totals: dict[tuple[str, str], float] = {}
    for overlap in overlaps:
        start = overlap.starts_at
        while start < overlap.ends_at:
            monday = (start - timedelta(days=start.weekday())).replace(
                hour=0, minute=0, second=0, microsecond=0
            )
            stop = min(overlap.ends_at, monday + timedelta(days=7))
            key = (overlap.market, _week(start))
            totals[key] = totals.get(key, 0.0) + (stop - start).total_seconds() / 3600
            start = stop
    return totals


@dataclass(frozen=True)
class DuplicateSpend:
    """Pair-hours of duplicate paid spend, without listing the pairs.

    ``by_market_week`` equals ``duplicate_spend_hours(find_overlaps(entries))``; ``by_burst`` is,
    per burst, the hours it overlaps others summed over its partners (each pair-hour counts for
    both bursts); ``most_at_once`` per burst is the most partners it had at one moment.
    """

    by_market_week: dict[tuple[str, str], float]
    by_burst: dict[str, float]
    most_at_once: dict[str, int]


def duplicate_spend(entries: Iterable[dict[str, Any]]) -> DuplicateSpend:
    """Duplicate spend by a sweep over the bursts' starts and ends, market by market.

    Between two consecutive events, with ``L`` local and ``G`` central bursts running in a
    market, the pairs are ``L(L-1)/2 + L*G`` less the adaptation/master pairs both running. This
    is O(n log n) in the bursts plus the work of crediting the running ones, however many pairs
    there are (the large demo workspace has 5,000 bursts and 880,000 overlapping pairs).
    """
    bursts = _bursts(entries)
    central = [b for b in bursts if b.market is None]
    by_market: dict[str, list[_Burst]] = {}
    for burst in bursts:
        if burst.market is not None:
            by_market.setdefault(burst.market, []).append(burst)
    week_hours: dict[tuple[str, str], float] = {}
    per_burst: dict[str, float] = {}
    most: dict[str, int] = {}
    for market, local in by_market.items():
        # Ends sort before starts at the same moment: bursts that only touch do not overlap.
        events = sorted(
            [(b.start, 1, b) for b in (*local, *central)]
            + [(b.end, 0, b) for b in (*local, *central)],
            key=lambda e: (e[0], e[1], e[2].id),
        )
        running_local: dict[str, _Burst] = {}
        running_central: dict[str, _Burst] = {}
        children: dict[str, int] = {}  # central id -> its adaptations running
        linked = 0  # adaptation/master pairs both running
        previous: datetime | None = None
        for moment, starting, burst in events:
            if previous is not None and moment > previous:
                n_local, n_central = len(running_local), len(running_central)
                pairs = n_local * (n_local - 1) // 2 + n_local * n_central - linked
                if pairs:
                    _add_by_week(week_hours, market, previous, moment, pairs)
                    hours = (moment - previous).total_seconds() / 3600
                    for b in running_local.values():
                        mates = n_local - 1 + n_central
                        mates -= 1 if b.parent is not None and b.parent in running_central else 0
                        _credit(per_burst, most, b.id, mates, hours)
                    for b in running_central.values():
                        _credit(per_burst, most, b.id, n_local - children.get(b.id, 0), hours)
            previous = moment
            is_central = burst.market is None
            if starting:
                if is_central:
                    running_central[burst.id] = burst
                    linked += children.get(burst.id, 0)
                else:
                    running_local[burst.id] = burst
                    if burst.parent is not None:
                        children[burst.parent] = children.get(burst.parent, 0) + 1
                        linked += burst.parent in running_central
            elif is_central:
                running_central.pop(burst.id, None)
                linked -= children.get(burst.id, 0)
            else:
                running_local.pop(burst.id, None)
                if burst.parent is not None:
                    children[burst.parent] -= 1
                    linked -= burst.parent in running_central
    return DuplicateSpend(week_hours, per_burst, most)


def _credit(
    per_burst: dict[str, float], most: dict[str, int], ident: str, mates: int, hours: float
) -> None:
    if mates > 0:
        per_burst[ident] = per_burst.get(ident, 0.0) + mates * hours
        if mates > most.get(ident, 0):
            most[ident] = mates


def _add_by_week(
    totals: dict[tuple[str, str], float], market: str, start: datetime, end: datetime, pairs: int
) -> None:
    while start < end:
        monday = (start - timedelta(days=start.weekday())).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        stop = min(end, monday + timedelta(days=7))
        key = (market, _week(start))
        totals[key] = totals.get(key, 0.0) + pairs * (stop - start).total_seconds() / 3600
        start = stop
