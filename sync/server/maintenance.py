"""Housekeeping: purging old tombstones (moving the purge horizon), push results kept past
their 30 days, abandoned uploads and stray temporary files.

Threading contract: ``run_maintenance`` is a plain function; the app runs it on a worker thread
at start and then every ``Settings.maintenance_interval``. Running it twice at once is harmless.
"""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import and_, delete, func, select, update

from desktop.domain.values import format_time
from sync.server.blobstore import BlobStore
from sync.server.config import Settings
from sync.server.db import Database
from sync.server.models import purge_state, push_batches, push_ops, records, uploads


def purge_tombstones(db: Database, *, before: datetime) -> int:
    """Delete tombstones last written before ``before``; cursors older than the newest of them
    will answer 410 resync_required. Returns how many were purged."""
    cutoff = format_time(before)
    gone = and_(records.c.deleted.is_(True), records.c.updated_at < cutoff)
    with db.write() as connection:
        db.lock_seq(connection)  # no push may revive a tombstone while it is being purged
        horizon = connection.execute(select(func.max(records.c.seq)).where(gone)).scalar()
        if horizon is None:
            return 0
        count = connection.execute(delete(records).where(gone)).rowcount
        connection.execute(
            update(purge_state)
            .where(and_(purge_state.c.id == 1, purge_state.c.seq < horizon))
            .values(seq=horizon)
        )
        return int(count)


def purge_results(db: Database, *, before: datetime) -> None:
    cutoff = format_time(before)
    with db.write() as connection:
        connection.execute(delete(push_batches).where(push_batches.c.created_at < cutoff))
        connection.execute(delete(push_ops).where(push_ops.c.created_at < cutoff))


def purge_uploads(db: Database, store: BlobStore, *, before: datetime) -> None:
    cutoff = format_time(before)
    with db.write() as connection:
        stale = list(
            connection.execute(select(uploads.c.id).where(uploads.c.updated_at < cutoff)).scalars()
        )
        if stale:
            connection.execute(delete(uploads).where(uploads.c.id.in_(stale)))
    for upload_id in stale:
        store.part_path(upload_id).unlink(missing_ok=True)
    day_ago = time.time() - 86_400
    for temp in (store.root / "tmp").glob("*.tmp"):
        try:
            if temp.stat().st_mtime < day_ago:
                temp.unlink()
        except FileNotFoundError:
            continue


def run_maintenance(db: Database, store: BlobStore, settings: Settings, *, now: datetime) -> None:
    purge_tombstones(db, before=now - settings.tombstone_horizon)
    purge_results(db, before=now - settings.result_retention)
    purge_uploads(db, store, before=now - settings.upload_retention)
