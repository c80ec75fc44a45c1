"""Records as the server holds them: one row per record, its data and per-field versions.

A ``Row`` is the working copy of one record inside a push; ``envelope`` is its wire form.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from sync.server.models import records

_COLUMNS = (
    "id",
    "type",
    "version",
    "seq",
    "updated_at",
    "updated_by",
    "deleted",
    "scope_market",
    "sha256",
    "code",
    "target_id",
    "created_by",
)


def dump_json(value: Any) -> str:
    """Compact JSON, the form data is stored and sent in."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@dataclass
class Row:
    id: str
    type: str
    version: int
    seq: int
    updated_at: str
    updated_by: str | None
    deleted: bool
    scope_market: str | None
    created_by: str | None
    data: dict[str, Any]
    field_versions: dict[str, int]
    in_db: bool = False
    # Index of this push's last write of the row (its seq is known only once all are decided).
    pending: int | None = field(default=None, compare=False)

    @property
    def sha256(self) -> str | None:
        value = self.data.get("sha256") if self.type == "asset" else None
        return value if isinstance(value, str) else None

    @property
    def code(self) -> str | None:
        value = self.data.get("code") if self.type == "market" else None
        return value if isinstance(value, str) else None

    @property
    def target_id(self) -> str | None:
        value = self.data.get("target_id") if self.type == "comment" else None
        return value.lower() if isinstance(value, str) else None

    def envelope(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "id": self.id,
            "version": self.version,
            "seq": self.seq,
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
            "deleted": self.deleted,
            "data": self.data,
        }

    def columns(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "version": self.version,
            "seq": self.seq,
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
            "deleted": self.deleted,
            "scope_market": self.scope_market,
            "sha256": self.sha256,
            "code": self.code,
            "target_id": self.target_id,
            "created_by": self.created_by,
            "data": dump_json(self.data),
            "field_versions": dump_json(self.field_versions),
        }


def _row(db_row: Any) -> Row:
    return Row(
        id=db_row.id,
        type=db_row.type,
        version=db_row.version,
        seq=db_row.seq,
        updated_at=db_row.updated_at,
        updated_by=db_row.updated_by,
        deleted=bool(db_row.deleted),
        scope_market=db_row.scope_market,
        created_by=db_row.created_by,
        data=json.loads(db_row.data),
        field_versions=json.loads(db_row.field_versions),
        in_db=True,
    )


def load_rows(connection: Connection, ids: Iterable[str]) -> dict[str, Row]:
    wanted = list(dict.fromkeys(ids))
    found: dict[str, Row] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for db_row in connection.execute(select(records).where(records.c.id.in_(chunk))):
            found[db_row.id] = _row(db_row)
    return found


def select_rows(connection: Connection, query: Any) -> list[Row]:
    return [_row(db_row) for db_row in connection.execute(query)]


def save_rows(connection: Connection, rows: list[Row]) -> None:
    """Insert new rows and update existing ones, in two bulk statements."""
    new = [row.columns() for row in rows if not row.in_db]
    old = [{"b_" + k: v for k, v in row.columns().items()} for row in rows if row.in_db]
    if new:
        connection.execute(insert(records), new)
    if old:
        connection.execute(
            update(records)
            .where(records.c.id == bindparam("b_id"))
            .values({name: bindparam("b_" + name) for name in _COLUMNS[1:]})
            .values(data=bindparam("b_data"), field_versions=bindparam("b_field_versions")),
            old,
        )
    for row in rows:
        row.in_db = True
