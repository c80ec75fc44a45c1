"""Migrations: an empty database migrated to head has exactly the models' schema."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from desktop.store.db import MIGRATIONS_DIR, Store, current_revision
from desktop.store.migrations import HEAD
from desktop.store.models import Base


def test_head_constant_matches_the_newest_migration() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


def test_migrating_an_empty_database_gives_the_models_schema(tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert current_revision(store.engine) == HEAD
    with store.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_object": lambda obj, name, kind, reflected, compare_to: (
                    not (kind == "table" and name is not None and "_fts" in name)
                )
            },
        )
        assert compare_metadata(context, Base.metadata) == []
        triggers = {
            row[0]
            for row in connection.execute(
                text("SELECT name FROM sqlite_master WHERE type='trigger'")
            )
        }
    assert triggers == {
        f"{fts}_{kind}" for fts in ("assets_fts", "entries_fts") for kind in ("ai", "ad", "au")
    }
    store.close()


def test_downgrade_to_base_and_up_again(tmp_path: Path) -> None:
    from alembic import command

    store = Store(tmp_path)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert current_revision(store.engine) is None
    store.close()
    reopened = Store(tmp_path)
    assert current_revision(reopened.engine) == HEAD
    reopened.close()


def test_a_store_made_at_the_first_revision_upgrades_with_its_data(tmp_path: Path) -> None:
    from alembic import command

    from desktop.store import records
    from desktop.store.db import make_engine
    from tests.desktop.conftest import SEED

    engine = make_engine(tmp_path / "section-desk.db")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    engine.dispose()
    old = Store.__new__(Store)  # the 0001 schema, written with today's record code
    old.engine = make_engine(tmp_path / "section-desk.db")
    from sqlalchemy.orm import Session

    with Session(old.engine) as session, session.begin():
        for record in SEED:
            records.upsert(session, record["type"], [record])
    old.engine.dispose()
    store = Store(tmp_path)  # opening migrates to head
    assert current_revision(store.engine) == HEAD
    with store.read() as session:
        hits = session.execute(
            text("SELECT count(*) FROM assets_fts WHERE assets_fts MATCH 'hiker'")
        ).scalar()
    assert hits == 3
    store.close()
