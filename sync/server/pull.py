"""``GET /v1/changes``: the records a caller may read, after its cursor, in seq order.

The cursor is opaque to clients: URL-safe base64 of ``{"s": seq, "e": scope epoch, "u": user}``.
A page reads the seq counter and the rows in one snapshot, so a page that is not full moves the
cursor to the counter (past every seq the caller may not read) and a full one to its last row.
Rows are sent as stored: their ``data`` text is spliced into the answer without being parsed.

Threading contract: ``pull`` runs on a request worker thread and opens its own read transaction.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select

from desktop.domain.values import format_time
from sync.server import access
from sync.server.auth import User, user_by_id
from sync.server.db import Database
from sync.server.errors import ApiError, unauthorized
from sync.server.models import purge_state, records, seq_counter

_RESYNC = (
    "Your copy can no longer be brought up to date from where it stopped; sync from the start "
    "(your unsent edits are kept)."
)


@dataclass(frozen=True)
class Cursor:
    seq: int
    epoch: int
    user_id: str

    def encode(self) -> str:
        raw = json.dumps({"s": self.seq, "e": self.epoch, "u": self.user_id}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            value = json.loads(raw)
            cursor = cls(seq=int(value["s"]), epoch=int(value["e"]), user_id=str(value["u"]))
        except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
            raise ApiError(
                400, "invalid_cursor", "The cursor is not one this server gave out."
            ) from None
        if cursor.seq < 0:
            raise ApiError(400, "invalid_cursor", "The cursor is not one this server gave out.")
        return cursor


def pull(db: Database, user: User, *, since: str | None, limit: int, now: datetime) -> str:
    """One page of changes as the answer's JSON text."""
    cursor = Cursor.decode(since) if since else None
    with db.read() as connection:
        # The user as of this snapshot: markets changed since sign-in count from now.
        fresh = user_by_id(connection, user.id)
        if fresh is None:
            raise unauthorized()
        if cursor is not None:
            horizon = connection.execute(select(purge_state.c.seq)).scalar_one()
            if (
                cursor.user_id != fresh.id
                or cursor.epoch != fresh.scope_epoch
                or cursor.seq < horizon
            ):
                raise ApiError(410, "resync_required", _RESYNC)
        top = int(connection.execute(select(seq_counter.c.v)).scalar_one())
        if cursor is not None and cursor.seq > top:
            # A cursor from beyond this database's history (it was restored from a backup).
            raise ApiError(410, "resync_required", _RESYNC)
        since_seq = 0 if cursor is None else cursor.seq
        where = and_(records.c.seq > since_seq, records.c.seq <= top)
        readable = access.readable_clause(fresh)
        if readable is not None:
            where = and_(where, readable)
        rows = connection.execute(
            select(
                records.c.type,
                records.c.id,
                records.c.version,
                records.c.seq,
                records.c.updated_at,
                records.c.updated_by,
                records.c.deleted,
                records.c.data,
            )
            .where(where)
            .order_by(records.c.seq)
            .limit(limit + 1)
        ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1].seq if has_more else top
    parts = [
        f'{{"type":"{r.type}","id":"{r.id}","version":{r.version},"seq":{r.seq},'
        f'"updated_at":"{r.updated_at}","updated_by":{json.dumps(r.updated_by)},'
        f'"deleted":{"true" if r.deleted else "false"},"data":{r.data}}}'
        for r in rows
    ]
    next_cursor = Cursor(seq=last, epoch=fresh.scope_epoch, user_id=fresh.id).encode()
    return (
        f'{{"changes":[{",".join(parts)}],"cursor":"{next_cursor}",'
        f'"has_more":{"true" if has_more else "false"},"server_time":"{format_time(now)}"}}'
    )
