"""The FTS5 search indexes: kept in step by triggers, except while a full pull loads.

A full pull (first sync or resync) sets ``fts_state.deferred`` in its first page's transaction;
the triggers then skip their per-row work, and the last page's transaction rebuilds both indexes
in one pass and clears the flag (about three times faster than indexing row by row). If the pull
is interrupted, the flag stays set: the next pull keeps deferring, and a store opened with the
flag set rebuilds at once, so search is never silently stale.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

FTS_TABLES = ("assets_fts", "entries_fts")


def is_deferred(session: Session | Connection) -> bool:
    return bool(session.execute(text("SELECT deferred FROM fts_state WHERE id = 1")).scalar())


def defer(session: Session | Connection) -> None:
    session.execute(text("UPDATE fts_state SET deferred = 1 WHERE id = 1"))


def rebuild(session: Session | Connection) -> None:
    """Re-index every row and let the triggers work again (inside the caller's transaction)."""
    for name in FTS_TABLES:
        session.execute(text(f"INSERT INTO {name}({name}) VALUES ('rebuild')"))
    session.execute(text("UPDATE fts_state SET deferred = 0 WHERE id = 1"))
