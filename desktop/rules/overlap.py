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
