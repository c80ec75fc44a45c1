"""Opening the local store: one SQLite file in WAL mode, migrated on open.

Threading contract: a ``Store`` is shared by all threads; each operation opens its own session
(``read()`` or ``write()``) on the thread that runs it, and only ids and plain values leave it.
Writes begin ``IMMEDIATE`` so two writers queue on SQLite's lock instead of failing halfway.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from desktop.store.migrations import HEAD

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
DB_FILENAME = "section-desk.db"


class StoreError(RuntimeError):
    """The local store cannot be opened or used; the message says what to do."""


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's begin event below issues BEGIN itself
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "foreign_keys=ON",
        # FULL: an acknowledged edit survives a power cut, not only a crash (laptops run flat).
        "synchronous=FULL",
        "busy_timeout=10000",
        "temp_store=MEMORY",
        "cache_size=-8000",  # 8 MB a connection; the app holds several, the OS caches the file
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _on_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": 10},
        pool_size=4,
        max_overflow=4,
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        exists = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).first()
        if not exists:
            return None
        row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return None if row is None else str(row[0])


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op, without importing Alembic, at head)."""
    if current_revision(engine) == HEAD:
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Store:
    """The local SQLite store in ``data_dir``."""

    def __init__(self, data_dir: Path, *, filename: str = DB_FILENAME) -> None:
        self.data_dir = Path(data_dir)
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Cannot create the data folder {self.data_dir}: {exc.strerror}. "
                "Choose another folder with --data-dir."
            ) from exc
        self.path = self.data_dir / filename
        self.engine = make_engine(self.path)
        try:
            migrate(self.engine)
        except sqlite3.DatabaseError as exc:  # pragma: no cover - depends on a damaged disk file
            raise StoreError(
                f"The local store {self.path} cannot be read ({exc}). "
                "Move it aside and sync again to rebuild it from the server."
            ) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            self.engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )
        self._finish_interrupted_bulk_load()

    def _finish_interrupted_bulk_load(self) -> None:
        from desktop.store import fts

        with self.read() as session:
            if not fts.is_deferred(session):
                return
        with self.write() as session:
            fts.rebuild(session)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session; it sees one consistent snapshot (WAL)."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        with self._write_sessions() as session, session.begin():
            yield session

    def integrity_check(self) -> str:
        with self.engine.connect() as connection:
            return str(connection.execute(text("PRAGMA integrity_check")).scalar())

    def close(self) -> None:
        self.engine.dispose()
