"""The calendar's read queries: range windows, filters, rows, one entry in full, asset options.

A 50,000-entry store (the demo generator's records, bulk-loaded once per session) checks that a
range query returns exactly the entries running in the window and walks an index.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.dialects import sqlite

from desktop.queries import calendar as q
from desktop.queries.calendar import EntryFilter
from desktop.services import entries as entry_service
from desktop.services.workspace import Workspace
from desktop.store import records
from desktop.store.db import Store
from resources.demo import generate_workspace
from tests.desktop.conftest import (
    CAMPAIGN,
    DE_ASSET,
    DE_ENTRY,
    GLOBAL_ENTRY,
    MASTER_ASSET,
    US_ASSET,
    server_record,
)

WEEK = ("2026-11-22T23:00:00Z", "2026-11-29T23:00:00Z")  # Mon 23 to Sun 29 Nov, Berlin
LEAD_SCOPE = EntryFilter(markets=("de", "fr"), include_global=True)


@pytest.fixture(scope="session")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """50,000 calendar entries (every market) and their assets, loaded once per session."""
    workspace = generate_workspace(today=date(2026, 11, 22), assets=300, entries=50_000)

    folder: Path = tmp_path_factory.mktemp("calendar-50k")
    store = Store(folder)
    records.bulk_load(store.write, workspace.envelopes(), chunk=5_000)
    yield store
    store.close()


def _all_entries(store: Store) -> list[dict[str, Any]]:
    with store.read() as session:
        rows = session.connection().exec_driver_sql(
            "SELECT id, market, kind, channel, status, campaign_id, starts_at, ends_at, deleted "
            "FROM calendar_entries"
        )
        return [dict(row._mapping) for row in rows]


def _expected(
    entries: list[dict[str, Any]], start: str, end: str, filters: EntryFilter
) -> set[str]:
    found = set()
    for e in entries:
        if e["deleted"]:
            continue
        in_scope = (e["market"] is None and filters.include_global) or (
            e["market"] in filters.markets
        )
        runs = e["starts_at"] < end and (
            e["starts_at"] >= start or (e["ends_at"] is not None and e["ends_at"] > start)
        )
        if not (in_scope and runs):
            continue
        if filters.channels and e["channel"] not in filters.channels:
            continue
        if filters.kinds and e["kind"] not in filters.kinds:
            continue
        if filters.statuses and e["status"] not in filters.statuses:
            continue
        if filters.campaign_ids and e["campaign_id"] not in filters.campaign_ids:
            continue
        found.add(e["id"])
    return found


def _plan(store: Store, statement: Any) -> str:
    compiled = statement.compile(
        dialect=sqlite.dialect(), compile_kwargs={"render_postcompile": True}
    )
    params = compiled.construct_params()
    values = tuple(params[name] for name in compiled.positiontup)
    with store.read() as session:
        rows = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", values)
        return "\n".join(str(row[-1]) for row in rows)


# --- the 50,000-entry store -----------------------------------------------------------------


def test_a_week_returns_exactly_the_entries_running_in_it(big_store: Store) -> None:
    everything = _all_entries(big_store)
    assert len(everything) == 50_000
    start, end = WEEK
    with big_store.read() as session:
        lookback = q.longest_span_seconds(session)
        rows = q.entries_in_range(
            session, start=start, end=end, filters=LEAD_SCOPE, lookback_seconds=lookback
        )
    ids = [r.id for r in rows]
    assert len(ids) == len(set(ids))
    assert set(ids) == _expected(everything, start, end, LEAD_SCOPE)
    assert 0 < len(ids) < 10_000  # a window, not the table
    assert [r.starts_at for r in rows] == sorted(r.starts_at for r in rows)
    # Bursts that began before the week and run into it are there.
    assert any(r.starts_at < start for r in rows)


def test_the_range_query_walks_an_index(big_store: Store) -> None:
    start, end = WEEK
    with big_store.read() as session:
        lookback = q.longest_span_seconds(session)
    for filters in (LEAD_SCOPE, EntryFilter(markets=("de",), include_global=False)):
        plan = _plan(
            big_store,
            q.range_statement(start=start, end=end, filters=filters, lookback_seconds=lookback),
        )
        assert "USING INDEX ix_calendar_entries_" in plan, plan
        assert "SCAN calendar_entries" not in plan, plan


@pytest.mark.parametrize(
    "filters",
    [
        EntryFilter(markets=("de",), include_global=False),
        EntryFilter(markets=(), include_global=True),
        EntryFilter(markets=("de", "fr"), channels=frozenset({"instagram"})),
        EntryFilter(markets=("fr",), kinds=frozenset({"paid_burst"})),
        EntryFilter(markets=("de", "fr"), statuses=frozenset({"draft", "cancelled"})),
    ],
)
def test_filters_match_a_brute_force_reading(big_store: Store, filters: EntryFilter) -> None:
    start, end = WEEK
    with big_store.read() as session:
        lookback = q.longest_span_seconds(session)
        ids = q.entry_ids_in_range(
            session, start=start, end=end, filters=filters, lookback_seconds=lookback
        )
    assert set(ids) == _expected(_all_entries(big_store), start, end, filters)


def test_a_campaign_filter_and_the_list_order(big_store: Store) -> None:
    start, end = WEEK
    with big_store.read() as session:
        campaign = next(iter(q.campaign_names(session)))
        filters = EntryFilter(markets=("de", "fr"), campaign_ids=frozenset({campaign}))
        lookback = q.longest_span_seconds(session)
        by_title = q.entry_ids_in_range(
            session,
            start=start,
            end=end,
            filters=filters,
            lookback_seconds=lookback,
            sort="title",
            descending=True,
        )
        rows = q.entry_rows(session, by_title)
        with pytest.raises(ValueError, match="cannot sort"):
            q.entry_ids_in_range(
                session,
                start=start,
                end=end,
                filters=filters,
                lookback_seconds=0,
                sort="caption; DROP TABLE",
            )
    assert set(by_title) == _expected(_all_entries(big_store), start, end, filters)
    titles = [(rows[i].title or "").lower() for i in by_title]
    assert titles == sorted(titles, reverse=True)


def test_no_market_and_no_global_shows_nothing(big_store: Store) -> None:
    start, end = WEEK
    with big_store.read() as session:
        rows = q.entries_in_range(
            session,
            start=start,
            end=end,
            filters=EntryFilter(markets=(), include_global=False),
            lookback_seconds=0,
        )
    assert rows == []


# --- the small seeded store -----------------------------------------------------------------


def test_rows_context_and_links(store: Store, ws: Workspace) -> None:
    with store.read() as session:
        rows = q.entry_rows(session, [GLOBAL_ENTRY, DE_ENTRY, str(uuid.uuid4())])
        assert set(rows) == {GLOBAL_ENTRY, DE_ENTRY}
        assert rows[DE_ENTRY].parent_id == GLOBAL_ENTRY and rows[DE_ENTRY].market == "de"
        assert q.entry_titles(session, [GLOBAL_ENTRY]) == {GLOBAL_ENTRY: "Winter Trails launch"}
        assert q.adaptation_markets(session, [GLOBAL_ENTRY]) == {GLOBAL_ENTRY: ["de"]}
        assert q.entry_start(session, DE_ENTRY) == "2026-11-25T09:00:00Z"
        context = q.entry_context(session, DE_ENTRY)
        assert context is not None
        assert context.market is not None and context.market["legal_note"] == "Anzeige"
        assert set(context.assets) == {DE_ASSET}
        assert context.parent is not None and context.parent["title"] == "Winter Trails launch"
        assert context.campaign_name == "Winter Trails"
        master = q.entry_context(session, GLOBAL_ENTRY)
        assert master is not None and [a.market for a in master.adaptations] == ["de"]
        assert master.market is None
    entry_service.delete_entries(ws, entry_ids=[DE_ENTRY])
    with store.read() as session:
        assert q.entry_context(session, DE_ENTRY) is None
        assert q.entry_rows(session, [DE_ENTRY]) == {}
        assert q.entry_start(session, DE_ENTRY) is None


def test_a_long_entry_that_began_before_the_window_is_in_it(store: Store) -> None:
    long_id = str(uuid.uuid4())
    with store.write() as session:
        records.upsert(
            session,
            "calendar_entry",
            [
                server_record(
                    "calendar_entry",
                    long_id,
                    {
                        "kind": "paid_burst",
                        "market": "de",
                        "title": "Thirty-day burst",
                        "starts_at": "2026-10-30T08:00:00Z",
                        "ends_at": "2026-11-29T08:00:00Z",
                        "status": "planned",
                    },
                )
            ],
        )
    start, end = WEEK
    with store.read() as session:
        lookback = q.longest_span_seconds(session)
        assert lookback >= 30 * 86400
        found = q.entries_in_range(
            session, start=start, end=end, filters=LEAD_SCOPE, lookback_seconds=lookback
        )
        before = q.entries_in_range(
            session,
            start="2026-10-01T00:00:00Z",
            end="2026-10-30T08:00:00Z",
            filters=LEAD_SCOPE,
            lookback_seconds=lookback,
        )
        ended = q.entries_in_range(
            session,
            start="2026-11-29T08:00:00Z",
            end="2026-12-01T00:00:00Z",
            filters=LEAD_SCOPE,
            lookback_seconds=lookback,
        )
    assert long_id in {r.id for r in found}
    assert long_id not in {r.id for r in before}  # ends exactly when that window ends
    assert long_id not in {r.id for r in ended}  # ends exactly when this one begins


def test_search_finds_titles_and_captions(store: Store) -> None:
    start, end = "2026-11-20T00:00:00Z", "2026-11-30T00:00:00Z"
    with store.read() as session:

        def ids(typed: str) -> set[str]:
            filters = EntryFilter(markets=("de", "fr"), text=typed)
            return {
                r.id
                for r in q.entries_in_range(
                    session, start=start, end=end, filters=filters, lookback_seconds=0
                )
            }

        assert ids("launch") == {GLOBAL_ENTRY}
        assert ids("finde weg") == {DE_ENTRY}  # caption words, prefixes, all required
        assert ids("winter st") == {DE_ENTRY}
        assert ids('"trail"') == {GLOBAL_ENTRY, DE_ENTRY}  # quotes cannot break the query
        assert ids("   ") == {GLOBAL_ENTRY, DE_ENTRY}
    assert q.fts_query('say "hi"') == '"say"* "hi"*'
    assert q.fts_query("!!") is None


def test_filter_options_and_markets(store: Store) -> None:
    with store.read() as session:
        assert q.channels_in_use(session) == ["instagram"]
        assert q.campaign_names(session) == {CAMPAIGN: "Winter Trails"}
        infos = q.markets(session)
        assert set(infos) == {"de", "fr", "us"}
        assert infos["de"].currency == "EUR" and infos["de"].forbidden_terms == (
            "gratis",
            "kostenlos",
        )
        assert set(q.markets(session, ["fr"])) == {"fr"}
    assert EntryFilter().narrowed() is False
    assert EntryFilter(text=" x ").narrowed() is True


def test_asset_options_for_an_entry_of_a_market(store: Store) -> None:
    with store.read() as session:
        de = q.asset_options(session, market="de", campaign_id=CAMPAIGN)
        assert [a.id for a in de] == [DE_ASSET, MASTER_ASSET]  # local first, then masters
        assert US_ASSET not in {a.id for a in de}
        assert [a.id for a in q.asset_options(session, market=None)] == [MASTER_ASSET]
        assert [a.id for a in q.asset_options(session, market="de", typed="winter hero")] == [
            DE_ASSET,
            MASTER_ASSET,
        ]
        assert q.asset_options(session, market="de", typed="nothing-like-this") == []
        assert set(q.asset_data(session, [DE_ASSET, "missing"])) == {DE_ASSET}


def test_the_leads_scope_is_read_without_writing(store: Store) -> None:
    from desktop.store.models import SyncState

    with store.read() as session:
        assert q.lead_scope(session) == q.LeadScope((), 0.0)  # nobody signed in yet
    with store.write() as session:
        session.add(
            SyncState(
                pk=1, client_id=str(uuid.uuid4()), markets=["de", "fr"], clock_offset_seconds=-2.5
            )
        )
    with store.read() as session:
        assert q.lead_scope(session) == q.LeadScope(("de", "fr"), -2.5)
