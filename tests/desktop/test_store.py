"""The local store: SQLite settings, FTS5 kept in step by triggers, record round trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from desktop.domain.records import DATA_MODELS
from desktop.store import records
from desktop.store.db import Store, StoreError
from desktop.store.models import RECORD_MODELS
from tests.desktop.conftest import DE_ASSET, MASTER_ASSET, US_ASSET, asset_data, server_record


def fts(store: Store, table: str, query: str) -> set[str]:
    source = {"assets_fts": "assets", "entries_fts": "calendar_entries"}[table]
    with store.read() as session:
        rows = session.execute(
            text(
                f"SELECT s.id FROM {table} f JOIN {source} s ON s.pk = f.rowid "
                f"WHERE {table} MATCH :q"
            ),
            {"q": query},
        )
        return {r.id for r in rows}


def test_sqlite_runs_in_wal_mode_with_foreign_keys(store: Store) -> None:
    with store.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    assert store.integrity_check() == "ok"


def test_every_record_type_has_a_column_per_data_field() -> None:
    for record_type, model in RECORD_MODELS.items():
        columns = set(inspect(model).columns.keys())
        envelope = {"pk", "id", "version", "seq", "updated_at", "updated_by", "deleted"}
        assert columns - envelope == set(DATA_MODELS[record_type].model_fields), record_type


def test_record_round_trips_through_the_store(store: Store) -> None:
    with store.read() as session:
        loaded = records.get(session, "asset", DE_ASSET)
    assert loaded is not None
    assert loaded["data"]["rights"]["usage"] == ["organic", "paid"]
    assert loaded["data"]["master_id"] == MASTER_ASSET
    assert loaded["version"] == 1


def test_fts_follows_inserts_updates_and_deletes(store: Store) -> None:
    assert fts(store, "assets_fts", "hiker") == {MASTER_ASSET, DE_ASSET, US_ASSET}
    assert DE_ASSET in fts(store, "assets_fts", "winte*")
    new = server_record(
        "asset",
        "00000000-0000-0000-0000-00000000abcd",
        asset_data(
            "nova_fr_20261201_bubbles_story",
            "fr",
            tags=["Sprudel"],
            alt_text="Glas mit Kohlensäure",
        ),
    )
    with store.write() as session:
        records.upsert(session, "asset", [new])
    assert fts(store, "assets_fts", "sprudel") == {new["id"]}
    assert fts(store, "assets_fts", "kohlensaure") == {new["id"]}  # diacritics folded
    with store.write() as session:
        records.upsert(session, "asset", [{**new, "data": {**new["data"], "tags": ["Bubbles"]}}])
    assert fts(store, "assets_fts", "sprudel") == set()
    assert fts(store, "assets_fts", "bubbles") == {new["id"]}
    with store.write() as session:
        records.purge(session, "asset", [new["id"]])
    assert fts(store, "assets_fts", "bubbles") == set()
    with store.write() as session:
        session.execute(text("INSERT INTO assets_fts(assets_fts) VALUES('integrity-check')"))


def test_entries_are_searchable_by_title_and_caption(store: Store) -> None:
    assert len(fts(store, "entries_fts", "trail*")) == 2
    assert len(fts(store, "entries_fts", "finde")) == 1


def test_a_failed_write_leaves_nothing(store: Store) -> None:
    new = server_record(
        "asset", "00000000-0000-0000-0000-00000000abce", asset_data("acme_de_20261201_x_y", "de")
    )
    with pytest.raises(RuntimeError), store.write() as session:
        records.upsert(session, "asset", [new])
        raise RuntimeError("disk full")
    with store.read() as session:
        assert records.get(session, "asset", new["id"]) is None


def test_an_unusable_data_folder_gets_a_plain_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="Cannot create the data folder"):
        Store(blocker / "store")


def test_reopening_is_a_no_op(store: Store) -> None:
    again = Store(store.data_dir)
    with again.read() as session:
        assert records.get(session, "asset", DE_ASSET) is not None
    again.close()


def test_a_deferred_index_is_rebuilt_at_the_end_or_when_the_store_opens(store: Store) -> None:
    from desktop.store import fts as search_index

    new = server_record(
        "asset",
        "00000000-0000-0000-0000-00000000abcf",
        asset_data("nova_de_20261201_fizz_story", "de", tags=["Prickeln"]),
    )
    with store.write() as session:
        search_index.defer(session)
        records.upsert(session, "asset", [new])
    assert fts(store, "assets_fts", "prickeln") == set()  # deferred: not indexed yet
    reopened = Store(store.data_dir)  # as after a first sync killed halfway
    assert fts(reopened, "assets_fts", "prickeln") == {new["id"]}
    with reopened.read() as session:
        assert not search_index.is_deferred(session)
    reopened.close()
    with store.write() as session:
        search_index.defer(session)
        records.purge(session, "asset", [new["id"]])
        search_index.rebuild(session)
    assert fts(store, "assets_fts", "prickeln") == set()
    with store.write() as session:
        session.execute(text("INSERT INTO assets_fts(assets_fts) VALUES('integrity-check')"))


def test_bulk_load_indexes_once_at_the_end(tmp_path: Path) -> None:
    from desktop.store import fts as search_index

    store = Store(tmp_path)
    batch = [
        server_record(
            "asset",
            f"00000000-0000-0000-0000-{n:012d}",
            asset_data(f"acme_de_20261201_bulk_v{n}", "de", tags=["Laterne"]),
        )
        for n in range(7)
    ]
    assert records.bulk_load(store.write, batch, chunk=3) == 7
    assert len(fts(store, "assets_fts", "laterne")) == 7
    with store.read() as session:
        assert not search_index.is_deferred(session)
    store.close()
