from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from itertools import combinations
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.values import format_time
from desktop.rules.overlap import Overlap, duplicate_spend_hours, find_overlaps

T0 = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday


def burst(
    ident: str, market: str | None, start_h: float, end_h: float, **extra: Any
) -> dict[str, Any]:
    return {
        "id": ident,
        "kind": "paid_burst",
        "market": market,
        "starts_at": format_time(T0 + timedelta(hours=start_h)),
        "ends_at": format_time(T0 + timedelta(hours=end_h)),
        **extra,
    }


def pairs(overlaps: list[Overlap]) -> list[tuple[str, str, str, float]]:
    return [(o.first_id, o.second_id, o.market, o.hours) for o in overlaps]


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        # local vs local, same market
        ([burst("a", "de", 0, 10), burst("b", "de", 5, 20)], [("a", "b", "de", 5.0)]),
        # touching is not overlapping
        ([burst("a", "de", 0, 10), burst("b", "de", 10, 20)], []),
        # other market
        ([burst("a", "de", 0, 10), burst("b", "at", 5, 20)], []),
        # global applies to every market
        (
            [burst("g", None, 0, 10), burst("d", "de", 2, 4), burst("t", "at", 8, 30)],
            [("g", "t", "at", 2.0), ("g", "d", "de", 2.0)],
        ),
        # two global bursts are the centre's own plan
        ([burst("g1", None, 0, 10), burst("g2", None, 5, 20)], []),
        # containment
        ([burst("a", "de", 0, 100), burst("b", "de", 10, 12)], [("a", "b", "de", 2.0)]),
        # same start: the smaller id first
        ([burst("z", "de", 0, 3), burst("y", "de", 0, 5)], [("y", "z", "de", 3.0)]),
        # not bursts, cancelled, deleted, broken: left out
        (
            [
                burst("a", "de", 0, 10),
                {**burst("p", "de", 0, 10), "kind": "organic_post"},
                burst("c", "de", 0, 10, status="cancelled"),
                burst("x", "de", 0, 10, deleted=True),
                {**burst("n", "de", 0, 10), "ends_at": None},
                {**burst("q", "de", 0, 10), "starts_at": "soon"},
                burst("r", "de", 5, 4),
                {**burst("i", "de", 0, 10), "id": None},
            ],
            [],
        ),
        ([], []),
    ],
)
def test_find_overlaps(
    entries: list[dict[str, Any]], expected: list[tuple[str, str, str, float]]
) -> None:
    assert pairs(find_overlaps(entries)) == expected


def test_overlap_times() -> None:
    (overlap,) = find_overlaps([burst("a", "de", 0, 10), burst("b", "de", 5, 20)])
    assert overlap == Overlap(
        "a", "b", "de", T0 + timedelta(hours=5), T0 + timedelta(hours=10), 5.0
    )


def test_the_same_id_twice_counts_once() -> None:
    assert find_overlaps([burst("a", "de", 0, 10), burst("a", "de", 0, 10)]) == []


def test_duplicate_spend_hours_per_market_and_week() -> None:
    overlaps = find_overlaps(
        [
            burst("a", "de", 0, 10),
            burst("b", "de", 5, 20),  # 5 h in week 48
            burst("c", "at", 24 * 7 - 2, 24 * 7 + 3),
            burst("g", None, 24 * 6, 24 * 8),  # with c: 2 h in week 48 and 3 h in week 49
        ]
    )
    assert duplicate_spend_hours(overlaps) == {
        ("de", "2026-W48"): 5.0,
        ("at", "2026-W48"): 2.0,
        ("at", "2026-W49"): 3.0,
    }
    assert duplicate_spend_hours([]) == {}


def brute_force(entries: list[dict[str, Any]]) -> set[tuple[str, str, str, float]]:
    found = set()
    usable = [e for e in entries if e["kind"] == "paid_burst" and e["starts_at"] < e["ends_at"]]
    for one, two in combinations(usable, 2):
        if one["market"] is None and two["market"] is None:
            continue
        if (
            one["market"] is not None
            and two["market"] is not None
            and one["market"] != two["market"]
        ):
            continue
        start = max(one["starts_at"], two["starts_at"])
        end = min(one["ends_at"], two["ends_at"])
        if start < end:
            first, second = sorted((one, two), key=lambda e: (e["starts_at"], e["id"]))
            hours = (
                datetime.fromisoformat(end) - datetime.fromisoformat(start)
            ).total_seconds() / 3600
            found.add((first["id"], second["id"], one["market"] or two["market"], hours))
    return found


entry_lists = st.lists(
    st.tuples(
        st.sampled_from(["de", "at", None]),
        st.integers(min_value=0, max_value=48),
        st.integers(min_value=0, max_value=24),
        st.sampled_from(["paid_burst", "paid_burst", "organic_post"]),
    ),
    max_size=30,
)


def build(raw: list[tuple[str | None, int, int, str]]) -> list[dict[str, Any]]:
    return [
        {**burst(f"e{i:02d}", market, start, start + length), "kind": kind}
        for i, (market, start, length, kind) in enumerate(raw)
    ]


@given(entry_lists)
def test_find_overlaps_equals_brute_force(raw: list[tuple[str | None, int, int, str]]) -> None:
    entries = build(raw)
    found = find_overlaps(entries)
    assert len(found) == len(set(pairs(found)))  # each pair once
    assert set(pairs(found)) == brute_force(entries)


@given(entry_lists, st.randoms(use_true_random=False))
def test_find_overlaps_ignores_input_order(
    raw: list[tuple[str | None, int, int, str]], rnd: random.Random
) -> None:
    entries = build(raw)
    shuffled = entries[:]
    rnd.shuffle(shuffled)
    assert find_overlaps(shuffled) == find_overlaps(entries)


@given(entry_lists)
def test_overlaps_are_symmetric(raw: list[tuple[str | None, int, int, str]]) -> None:
    entries = build(raw)
    found = {(o.first_id, o.second_id) for o in find_overlaps(entries)}
    by_id = {e["id"]: e for e in entries}
    for first, second in found:
        assert (second, first) not in found
        a, b = by_id[first], by_id[second]
        # whichever way round the pair is looked at, the shared time is the same
        assert max(a["starts_at"], b["starts_at"]) < min(a["ends_at"], b["ends_at"])
        assert (a["starts_at"], a["id"]) <= (b["starts_at"], b["id"])


def test_fifty_thousand_entries_are_fast() -> None:
    rnd = random.Random(7)
    markets: list[str | None] = [f"m{i:02d}" for i in range(30)] + [None]
    entries = []
    for i in range(50_000):
        start = rnd.randrange(0, 24 * 365 * 2)
        market = rnd.choice(markets)
        kind = "paid_burst" if rnd.random() < 0.4 else "organic_post"
        entries.append(
            {**burst(f"e{i}", market, start, start + rnd.randrange(1, 72)), "kind": kind}
        )
    begun = time.perf_counter()
    found = find_overlaps(entries)
    elapsed = time.perf_counter() - begun
    assert len(found) > 10_000  # the data does overlap, a lot
    assert elapsed < 5.0, f"find_overlaps took {elapsed:.2f} s for 50,000 entries"


def test_an_adaptation_does_not_overlap_its_own_master() -> None:
    master = burst("m", None, 0, 48)
    adaptation = {**burst("a", "de", 0, 48), "parent_id": "m"}
    other_local = burst("o", "de", 24, 72)
    found = pairs(find_overlaps([master, adaptation, other_local]))
    assert {(first, second) for first, second, _m, _h in found} == {("a", "o"), ("m", "o")}


def brute_force_per_burst(entries: list[dict[str, Any]]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for o in find_overlaps(entries):
        for ident in (o.first_id, o.second_id):
            totals[ident] = totals.get(ident, 0.0) + o.hours
    return totals


def close(a: dict[Any, float], b: dict[Any, float]) -> bool:
    keys = {k for k, v in a.items() if abs(v) > 1e-9} | {k for k, v in b.items() if abs(v) > 1e-9}
    return all(abs(a.get(k, 0.0) - b.get(k, 0.0)) < 1e-6 for k in keys)


@given(
    st.lists(
        st.tuples(
            st.sampled_from([None, "de", "fr"]),
            st.integers(0, 300),
            st.integers(1, 200),
            st.sampled_from(["planned", "cancelled"]),
        ),
        max_size=30,
    ),
    st.data(),
)
def test_duplicate_spend_by_sweep_equals_summing_the_pairs(
    raw: list[tuple[str | None, int, int, str]], data: st.DataObject
) -> None:
    from desktop.rules.overlap import duplicate_spend

    entries = [
        burst(f"b{n}", market, start, start + length, status=status)
        for n, (market, start, length, status) in enumerate(raw)
    ]
    centrals = [e["id"] for e in entries if e["market"] is None]
    for entry in entries:  # some local bursts adapt a central one
        if entry["market"] is not None and centrals and data.draw(st.booleans()):
            entry["parent_id"] = data.draw(st.sampled_from(centrals))
    spend = duplicate_spend(entries)
    assert close(spend.by_market_week, duplicate_spend_hours(find_overlaps(entries)))
    assert close(spend.by_burst, brute_force_per_burst(entries))
