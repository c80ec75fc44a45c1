"""Helpers for client sync tests: read the real server's state, make local files and assets."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from typing import Any

from sqlalchemy import func, select

from desktop.services import assets as asset_ops
from desktop.store.files import BlobFiles
from desktop.store.models import RECORD_MODELS, BlobCache, OutboxOp
from tests.sync.client.conftest import Client


def server_record(server: Any, record_id: str) -> dict[str, Any] | None:
    from sync.server.models import records as table

    with server.db.read() as connection:
        row = connection.execute(select(table).where(table.c.id == record_id)).first()
    if row is None:
        return None
    return {
        "version": row.version,
        "seq": row.seq,
        "deleted": row.deleted,
        "data": json.loads(row.data),
    }


def server_count(server: Any, record_type: str) -> int:
    from sync.server.models import records as table

    with server.db.read() as connection:
        return int(
            connection.scalar(
                select(func.count()).select_from(table).where(table.c.type == record_type)
            )
            or 0
        )


def outbox_size(client: Client) -> int:
    with client.store.read() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxOp)) or 0)


def first_id(client: Client, record_type: str, **where: Any) -> str:
    model = RECORD_MODELS[record_type]
    query = select(model.id).where(model.deleted.is_(False)).order_by(model.id).limit(1)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    with client.store.read() as session:
        found = session.scalar(query)
    assert found is not None, f"no {record_type} with {where}"
    return str(found)


def add_file_asset(
    client: Client, *, size: int, market: str = "de", name: str | None = None
) -> tuple[str, str]:
    """A new local file in the blob store and an asset naming it; returns (asset id, sha256)."""
    payload = os.urandom(size)
    sha = hashlib.sha256(payload).hexdigest()
    files = BlobFiles(client.store.data_dir)
    dest = files.blob_path(sha)
    files.write(dest, [payload], expect_sha=sha)
    with client.store.write() as session:
        session.add(BlobCache(sha256=sha, size=size, state="full", path=files.relative(dest)))
    asset_id = str(uuid.uuid4())
    asset_ops.create_asset(
        client.ws,
        asset_id=asset_id,
        data={
            "name": name or f"acme_{market}_20261122_upload_{sha[:6]}",
            "title": "Upload test",
            "kind": "document",
            "sha256": sha,
            "size": size,
            "mime": "application/octet-stream",
            "brand": "acme",
            "market": market,
        },
    )
    return asset_id, sha


def set_markets(server: Any, username: str, role: str, markets: tuple[str, ...]) -> None:
    """Change a user's markets on the server without touching the password (as add-user does)."""
    from sync.server.auth import save_user

    with server.db.write() as connection:
        save_user(connection, username=username, role=role, markets=markets, password=None)
