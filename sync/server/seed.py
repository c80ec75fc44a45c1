"""``seed-demo``: load the shared demo workspace (``resources.demo``), its files and its users.

Records keep the version the generator gives them and each gets a fresh seq (in the generator's
dependency order); every field counts as written at that version. Records whose id is already
there are left alone, so seeding twice adds nothing. Rows go in with bulk inserts, a few
thousand per transaction.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, Final

from sqlalchemy import insert, select

from desktop.domain.records import validate_data
from desktop.domain.values import format_time, utcnow
from resources.demo import DemoRecord, DemoUser, generate_workspace
from sync.server.access import scope_of
from sync.server.auth import save_user
from sync.server.blobstore import BlobStore
from sync.server.config import Settings
from sync.server.db import Database, insert_ignore, migrate
from sync.server.models import blobs, records
from sync.server.rows import dump_json

CHUNK: Final = 5_000


@dataclass(frozen=True)
class SeedResult:
    records: int
    blobs: int
    seconds: float
    users: list[DemoUser]


def seed_demo(
    settings: Settings,
    *,
    assets: int = 200,
    entries: int = 300,
    seed: int = 7,
    database: Database | None = None,
) -> SeedResult:
    started = time.perf_counter()
    own = database is None
    db = database or Database(settings.database_url, pool_size=1, max_overflow=1)
    try:
        if own:
            migrate(db.engine)
        workspace = generate_workspace(seed=seed, assets=assets, entries=entries)
        with db.write() as connection:
            for user in workspace.users:
                save_user(
                    connection,
                    username=user.username,
                    role=user.role,
                    markets=user.markets,
                    password=user.password,
                    display_name=user.display_name,
                    user_id=user.id,
                )
        mimes: dict[str, str] = {}
        loaded = load_records(db, workspace.records(), mimes)
        store = BlobStore(settings.blob_dir, thumbnail_px=settings.thumbnail_px)
        files = _load_blobs(db, store, workspace, mimes)
    finally:
        if own:
            db.dispose()
    return SeedResult(
        records=loaded,
        blobs=files,
        seconds=time.perf_counter() - started,
        users=list(workspace.users),
    )


def load_records(db: Database, demo: Iterator[DemoRecord], mimes: dict[str, str]) -> int:
    now = format_time(utcnow())
    scopes: dict[str, str | None] = {}
    loaded = 0
    while chunk := list(islice(demo, CHUNK)):
        rows = [_row(record, scopes, mimes, now) for record in chunk]
        with db.write() as connection:
            db.lock_seq(connection)
            ids = [row["id"] for row in rows]
            present = set(
                connection.execute(select(records.c.id).where(records.c.id.in_(ids))).scalars()
            )
            fresh = [row for row in rows if row["id"] not in present]
            for row, seq in zip(fresh, db.take_seqs(connection, len(fresh)), strict=True):
                row["seq"] = seq
            if fresh:
                connection.execute(insert(records), fresh)
        loaded += len(fresh)
    return loaded


def _row(
    record: DemoRecord, scopes: dict[str, str | None], mimes: dict[str, str], now: str
) -> dict[str, Any]:
    data = validate_data(record.type, record.data, create=True)
    if record.type == "comment":
        target = str(data["target_id"]).lower()
        scope = scopes.get(target)
    else:
        target = None
        scope = scope_of(record.type, data)
    scopes[record.id] = scope
    sha256 = data.get("sha256") if record.type == "asset" else None
    if sha256 and data.get("mime"):
        mimes.setdefault(sha256, str(data["mime"]))
    return {
        "id": record.id,
        "type": record.type,
        "version": record.version,
        "seq": 0,
        "updated_at": record.updated_at or now,
        "updated_by": record.updated_by,
        "deleted": False,
        "scope_market": scope,
        "sha256": sha256,
        "code": data.get("code") if record.type == "market" else None,
        "target_id": target,
        "created_by": record.updated_by,
        "data": dump_json(data),
        "field_versions": dump_json(dict.fromkeys(data, record.version)),
    }


def _load_blobs(db: Database, store: BlobStore, workspace: Any, mimes: dict[str, str]) -> int:
    now = format_time(utcnow())
    rows = []
    for sha256 in workspace.blob_shas():
        data: bytes = workspace.blob(sha256)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise RuntimeError(f"the demo file {sha256} does not match its hash")
        store.put(sha256, data)
        store.thumbnail(sha256)
        rows.append(
            {
                "sha256": sha256,
                "size": len(data),
                "mime": mimes.get(sha256, "application/octet-stream"),
                "uploaded_by": None,
                "created_at": now,
            }
        )
    with db.write() as connection:
        insert_ignore(connection, blobs, rows)
    return len(rows)
