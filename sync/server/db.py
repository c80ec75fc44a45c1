"""The server's database: SQLite (one file, WAL) or PostgreSQL (psycopg 3), migrated on start.

Threading contract: a ``Database`` is shared by every request thread; each request opens its own
connection and transaction through ``read()`` or ``write()``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection, Engine, Table, create_engine, event, select, text, update
from sqlalchemy.engine import make_url

from sync.server.migrations import HEAD
from sync.server.models import seq_counter

MIGRATIONS_DIR: Final = Path(__file__).with_name("migrations")
# Any fixed number: PostgreSQL advisory lock that keeps two starting workers from migrating at once.
_MIGRATION_LOCK: Final = 0x5EC7_10DE


class DatabaseError(RuntimeError):
    """The database cannot be opened or used; the message says what to do."""


def normalize_url(url: str) -> str:
    """Point plain ``postgresql://`` URLs at psycopg 3, the driver this project ships."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # the begin event below issues BEGIN itself
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "foreign_keys=ON",
        # FULL: an acknowledged write survives a power cut, not only a killed process.
        "synchronous=FULL",
        "busy_timeout=60000",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 40) -> Engine:
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise DatabaseError("Give SQLite a file (sqlite:///path/server.db), not memory.")
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed,
            connect_args={"check_same_thread": False, "timeout": 60},
            pool_size=pool_size,
            max_overflow=max_overflow,
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise DatabaseError(
            f"{parsed.get_backend_name()!r} is not supported: use sqlite:///... "
            "or postgresql+psycopg://..."
        )
    return create_engine(parsed, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True)


def current_revision(connection: Connection) -> str | None:
    if not connection.dialect.has_table(connection, "alembic_version"):
        return None
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; safe when several processes start at once."""
    from alembic import command
    from alembic.config import Config

    with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(select(text(f"pg_advisory_xact_lock({_MIGRATION_LOCK})")))
        if current_revision(connection) == HEAD:
            return
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def insert_ignore(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows, skipping those whose primary key exists already."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        connection.execute(pg_insert(table).on_conflict_do_nothing(), rows)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        connection.execute(sqlite_insert(table).on_conflict_do_nothing(), rows)


class Database:
    """One engine and the two kinds of transaction the server runs."""

    def __init__(self, url: str, *, pool_size: int = 10, max_overflow: int = 40) -> None:
        self.engine = make_engine(url, pool_size=pool_size, max_overflow=max_overflow)
        self.dialect: str = self.engine.dialect.name
        self._writer: Engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        if self.dialect == "postgresql":
            # One snapshot for the whole read: a pull's counter and rows agree.
            self._reader: Engine = self.engine.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        else:
            self._reader = self.engine  # a deferred SQLite transaction reads one WAL snapshot

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self._reader.begin() as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction; committed when the block ends, rolled back on any error."""
        with self._writer.begin() as connection:
            yield connection

    def lock_seq(self, connection: Connection) -> int:
        """Take the write lock of the seq counter (held to commit) and return its value.

        Every transaction that hands out seqs takes it first, so seqs follow commit order and
        what such a transaction reads cannot change under it. SQLite's BEGIN IMMEDIATE already
        holds the one write lock.
        """
        query = select(seq_counter.c.v).where(seq_counter.c.id == 1)
        if self.dialect == "postgresql":
            query = query.with_for_update()
        return int(connection.execute(query).scalar_one())

    @staticmethod
    def take_seqs(connection: Connection, count: int) -> range:
        """Hand out ``count`` consecutive seqs inside the caller's write transaction."""
        if count <= 0:
            return range(0)
        last = connection.execute(
            update(seq_counter)
            .where(seq_counter.c.id == 1)
            .values(v=seq_counter.c.v + count)
            .returning(seq_counter.c.v)
        ).scalar_one()
        return range(int(last) - count + 1, int(last) + 1)

    def dispose(self) -> None:
        self.engine.dispose()
