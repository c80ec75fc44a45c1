"""Asset bank reads: FTS prefix search, facets and their counts, keyset paging, query plans on a
100,000-asset store, lineage and stale diffs."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, text

from desktop.queries import assets as q
from desktop.rules.naming import slug
from desktop.store import records
from desktop.store.db import DB_FILENAME, Store
from desktop.store.models import RecordHistory
from resources.demo import generate_workspace

TODAY = date(2026, 11, 22)


def envelopes(assets: int, entries: int) -> Iterator[dict[str, Any]]:
    return generate_workspace(assets=assets, entries=entries, today=TODAY).envelopes()


def build(folder: Path, assets: int, entries: int) -> Path:
    store = Store(folder)
    records.bulk_load(store.write, envelopes(assets, entries))
    store.close()
    return folder / DB_FILENAME


@pytest.fixture(scope="session")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """100,000 assets (and a few entries), built once for the session, only read."""
    folder = tmp_path_factory.mktemp("assets-100k")
    build(folder, 100_000, 500)
    store = Store(folder)
    yield store
    store.close()


@pytest.fixture(scope="session")
def mid_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("assets-3k"), 3_000, 100)


@pytest.fixture
def mid_store(mid_template: Path, tmp_path: Path) -> Iterator[Store]:
    shutil.copy(mid_template, tmp_path / DB_FILENAME)
    store = Store(tmp_path)
    yield store
    store.close()


def all_assets(store: Store) -> list[dict[str, Any]]:
    with store.read() as session:
        rows = session.execute(text("SELECT * FROM assets ORDER BY name, pk")).all()
    found = []
    for r in rows:
        record = {"pk": r.pk, **records.from_row("asset", r)}
        for name in ("tags", "rights", "embargo"):
            if isinstance(record["data"][name], str):
                record["data"][name] = json.loads(record["data"][name])
        found.append(record)
    return found


WORD = re.compile(r"[^\W_]+")


def words_of(asset: dict[str, Any]) -> list[str]:
    data = asset["data"]
    joined = " ".join(
        [data["name"] or "", data["title"] or "", " ".join(data["tags"]), data["alt_text"] or ""]
    )
    return WORD.findall(joined.lower())


def matches_text(asset: dict[str, Any], typed: str) -> bool:
    wanted = [w for w in WORD.findall(typed.lower()) if len(w) >= 2]
    tokens = words_of(asset)
    return all(any(t.startswith(w) for t in tokens) for w in wanted)


def rights_keys(rights: dict[str, Any]) -> set[str]:
    usage = rights.get("usage") or []
    expires = rights.get("expires_on")
    expired = expires is not None and expires < TODAY.isoformat()
    soon = (TODAY + timedelta(days=q.EXPIRING_DAYS)).isoformat()
    keys = set()
    if "paid" in usage and not expired:
        keys.add("paid")
    if "organic" in usage and "paid" not in usage and not expired:
        keys.add("organic-only")
    if expires is not None and TODAY.isoformat() <= expires <= soon:
        keys.add("expiring")
    if expired:
        keys.add("expired")
    if not usage:
        keys.add("none")
    return keys


def facet_values(asset: dict[str, Any], facet: str) -> set[str]:
    data = asset["data"]
    if facet == "tags":
        return set(data["tags"])
    if facet == "rights":
        return rights_keys(data["rights"])
    if facet == "market":
        return {data["market"] or q.GLOBAL}
    if facet == "status":
        return {data["status"] or "draft"}
    column = {"campaign": "campaign_id"}.get(facet, facet)
    return {data[column]} if data[column] is not None else set()


def oracle(assets: list[dict[str, Any]], typed: str, facets: dict[str, list[str]]) -> list[str]:
    return [
        a["id"]
        for a in assets
        if not a["deleted"]
        and matches_text(a, typed)
        and all(not vs or facet_values(a, f) & set(vs) for f, vs in facets.items())
    ]


def test_what_is_typed_becomes_prefix_queries() -> None:
    assert q.fts_query("Adv kal") == '"adv"* "kal"*'
    assert q.fts_query("a") is None
    assert q.fts_query("  -- ") is None
    assert q.fts_query('x "quoted" OR') == '"quoted"* "or"*'
    assert q.fts_query("Größe größe") == '"größe"*'


@pytest.mark.parametrize(
    ("typed", "facets"),
    [
        ("", {}),
        ("sum", {}),
        ("summit tra", {}),
        ("", {"market": ["de", "global"]}),
        ("story", {"rights": ["expiring", "expired"]}),
        ("", {"tags": ["sunrise"], "kind": ["image"]}),
        ("rain", {"status": ["draft"], "brand": ["acme"]}),
        ("zzzz", {}),
        ("", {"rights": ["none"]}),
        ("", {"rights": ["paid"], "language": ["de-DE"]}),
    ],
)
def test_search_matches_an_oracle_page_by_page(
    mid_store: Store, typed: str, facets: dict[str, list[str]]
) -> None:
    expected = oracle(all_assets(mid_store), typed, facets)
    pages: list[str] = []
    after = None
    with mid_store.read() as session:
        while True:
            page = q.search_asset_ids(
                session, text=typed, facets=facets, limit=250, after=after, today=TODAY
            )
            pages += page
            if len(page) < 250:
                break
            after = page[-1]
        total = q.count_assets(session, text=typed, facets=facets, today=TODAY)
    assert pages == expected
    assert total == len(expected)


def test_recent_sort_pages_newest_first(mid_store: Store) -> None:
    assets = all_assets(mid_store)
    expected = [a["id"] for a in sorted(assets, key=lambda a: -a["pk"]) if matches_text(a, "por")]
    with mid_store.read() as session:
        first = q.search_asset_ids(session, text="por", sort="recent", limit=100)
        second = q.search_asset_ids(session, text="por", sort="recent", limit=100, after=first[-1])
    assert first + second == expected[:200]


def test_facet_counts_count_each_facet_with_the_other_facets_applied(mid_store: Store) -> None:
    assets = [a for a in all_assets(mid_store) if not a["deleted"]]
    chosen = {"market": ["de"], "rights": ["paid"], "tags": ["sunrise"]}
    with mid_store.read() as session:
        counts = q.facet_counts(session, text="su", facets=chosen, today=TODAY)
    for facet in q.FACETS:
        others = {f: v for f, v in chosen.items() if f != facet}
        expected: Counter[str] = Counter()
        for a in assets:
            if matches_text(a, "su") and all(
                facet_values(a, f) & set(v) for f, v in others.items()
            ):
                expected.update(facet_values(a, facet))
        got = {v.value: v.count for v in counts[facet]}
        if facet == "tags":
            top = dict(expected.most_common(q.TAG_FACET_LIMIT))
            assert all(got[t] == n for t, n in top.items() if t in got)
            assert got["sunrise"] == expected["sunrise"]
        else:
            assert got == {k: n for k, n in expected.items() if n}, facet
    campaign_labels = {v.label for v in counts["campaign"]}
    assert campaign_labels and all(not re.fullmatch(r"[0-9a-f-]{36}", x) for x in campaign_labels)


def test_a_selected_value_with_no_match_stays_listed_with_zero(mid_store: Store) -> None:
    with mid_store.read() as session:
        counts = q.facet_counts(session, text="zzzz", facets={"brand": ["acme"]})
    assert [(v.value, v.count) for v in counts["brand"]] == [("acme", 0)]


def test_rows_lineage_and_the_tag_vocabulary(mid_store: Store) -> None:
    with mid_store.read() as session:
        variant_id = session.execute(
            text("SELECT id FROM assets WHERE master_id IS NOT NULL LIMIT 1")
        ).scalar_one()
        row = q.asset_row(session, variant_id)
        assert row is not None and row.master_id and not row.is_master
        assert row.campaign and row.blob_state == "none"
        family = q.lineage(session, variant_id)
        assert family.master is not None and family.master.id == row.master_id
        assert variant_id in [v.id for v in family.variants]
        assert all(v.master_id == row.master_id for v in family.variants)
        vocabulary = q.tag_vocabulary(session, limit=5)
        assert len(vocabulary) == 5 and vocabulary[0][1] >= vocabulary[-1][1]


def test_a_stale_adaptation_lists_what_changed_in_its_master(mid_store: Store) -> None:
    with mid_store.write() as session:
        variant_id, master_id, version = session.execute(
            text(
                "SELECT a.id, m.id, a.adapted_from_version FROM assets a JOIN assets m "
                "ON m.id = a.master_id WHERE m.version > a.adapted_from_version LIMIT 1"
            )
        ).one()
        master = records.get(session, "asset", master_id)
        assert master is not None
        then = {**master["data"], "title": "The old title", "alt_text": "Old words"}
        session.execute(
            insert(RecordHistory),
            [{"record_type": "asset", "record_id": master_id, "version": version, "data": then}],
        )
    with mid_store.read() as session:
        diff = q.stale_diff(session, "asset", variant_id)
        assert variant_id in q.stale_asset_ids(session, [variant_id])
    assert diff is not None and diff.known
    assert [c.name for c in diff.changes] == ["title", "alt_text"]
    assert diff.changes[0].then == "The old title"
    assert diff.changes[0].now == master["data"]["title"]


def test_duplicates_and_names_lookups(mid_store: Store) -> None:
    with mid_store.read() as session:
        sha, name = session.execute(text("SELECT sha256, name FROM assets LIMIT 1")).one()
        found = q.ids_with_sha(session, [sha, "0" * 64])
        assert list(found) == [sha]
        assert q.names_taken(session, [name, "nope"]) == {name}


# --- 100,000 assets: plans and paging ----------------------------------------------------------


def plan_of(store: Store, sql: str, params: dict[str, Any]) -> list[str]:
    with store.read() as session:
        return [row[-1] for row in session.execute(text("EXPLAIN QUERY PLAN " + sql), params)]


def test_the_plans_use_the_fts_index_and_the_column_indexes(big_store: Store) -> None:
    sql, params = q.search_sql(text_="rain ready", facets={}, today=TODAY)
    plan = plan_of(big_store, sql, params)
    assert any("assets_fts VIRTUAL TABLE" in step for step in plan), plan
    assert any("INTEGER PRIMARY KEY" in step for step in plan), plan
    assert not any(step.startswith("SCAN a ") for step in plan), plan
    sql, params = q.search_sql(text_="square", facets={}, today=TODAY, dense=True)
    plan = plan_of(big_store, sql, params)
    assert "SCAN a USING INDEX ix_assets_name" in plan, plan
    sql, params = q.search_sql(text_="", facets={"market": ["de"]}, today=TODAY)
    assert any("ix_assets_market" in step for step in plan_of(big_store, sql, params))
    sql, params = q.search_sql(text_="", facets={}, today=TODAY)
    assert plan_of(big_store, sql, params) == ["SCAN a USING INDEX ix_assets_name"]


def test_dense_and_sparse_texts_are_told_apart_cheaply(big_store: Store) -> None:
    with big_store.read() as session:
        assert q.is_dense(session, "square")
        assert not q.is_dense(session, "zzzz")
        assert not q.is_dense(session, "")


def test_keyset_pages_on_100k_are_ordered_and_do_not_overlap(big_store: Store) -> None:
    with big_store.read() as session:
        seen: list[str] = []
        after = None
        for _ in range(5):
            page = q.search_asset_ids(session, text="square", after=after)
            assert len(page) == q.PAGE_SIZE
            seen += page
            after = page[-1]
        assert len(set(seen)) == len(seen)
        rows = q.asset_rows(session, seen)
        names = [rows[i].name for i in seen]
        assert names == sorted(names)
        assert all(
            "square" in (rows[i].title or "").lower() or "square" in rows[i].tags for i in seen
        )
        assert q.count_assets(session, text="zzzz") == 0


def test_facet_counts_on_100k_add_up(big_store: Store) -> None:
    with big_store.read() as session:
        counts = q.facet_counts(session, today=TODAY, only=["kind", "market"])
        total = q.count_assets(session)
    assert total == 100_000
    assert sum(v.count for v in counts["kind"]) == total
    assert sum(v.count for v in counts["market"]) == total


def test_slugs_of_campaigns_are_findable_by_prefix(big_store: Store) -> None:
    with big_store.read() as session:
        name = session.execute(text("SELECT name FROM campaigns LIMIT 1")).scalar_one()
        first_word = slug(name).split("-")[0][:3]
        assert q.search_asset_ids(session, text=first_word, limit=5)
