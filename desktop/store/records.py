"""Records in and out of the local store as plain dicts, with Core statements (no ORM objects).

A record dict is the protocol's envelope: ``{"type", "id", "version", "seq", "updated_at",
"updated_by", "deleted", "data": {...}}``. These functions are what sync's pull, the services and
the demo loader share, so a page of 1,000 records is one ``executemany``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

from sqlalchemy import JSON, Table, bindparam, delete, select
from sqlalchemy.orm import Session

from desktop.domain.records import DATA_MODELS
from desktop.store.models import RECORD_MODELS

DATA_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    t: tuple(model.model_fields) for t, model in DATA_MODELS.items()
}
ENVELOPE_FIELDS: Final = ("id", "version", "seq", "updated_at", "updated_by", "deleted")
CHUNK: Final = 500  # ids per IN (...) query, well under SQLite's variable limit
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def table(record_type: str) -> Table:
    return RECORD_MODELS[record_type].__table__  # type: ignore[attr-defined, no-any-return]


def to_row(record: dict[str, Any]) -> dict[str, Any]:
    """Flatten an envelope into column values (data fields missing from ``data`` are left out)."""
    row: dict[str, Any] = {name: record[name] for name in ENVELOPE_FIELDS if name in record}
    data = record.get("data") or {}
    for name in DATA_FIELDS[record["type"]]:
        if name in data:
            row[name] = data[name]
    return row


def from_row(record_type: str, row: Any) -> dict[str, Any]:
    """A row (mapping) as an envelope dict."""
    mapping = row._mapping if hasattr(row, "_mapping") else row
    record: dict[str, Any] = {"type": record_type}
    for name in ENVELOPE_FIELDS:
        record[name] = mapping[name]
    record["data"] = {name: mapping[name] for name in DATA_FIELDS[record_type]}
    return record


def chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load(
    session: Session, record_type: str, ids: Iterable[str], *, include_deleted: bool = True
) -> dict[str, dict[str, Any]]:
    """Records by id (missing ids are absent from the result)."""
    t = table(record_type)
    wanted = list(dict.fromkeys(ids))
    found: dict[str, dict[str, Any]] = {}
    for part in chunks(wanted):
        query = select(t).where(t.c.id.in_(part))
        if not include_deleted:
            query = query.where(t.c.deleted.is_(False))
        for row in session.execute(query):
            found[row.id] = from_row(record_type, row)
    return found


def get(session: Session, record_type: str, record_id: str) -> dict[str, Any] | None:
    return load(session, record_type, [record_id]).get(record_id)


@functools.cache
def _upsert_plan(record_type: str) -> tuple[str, tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """The upsert statement of a type (built once), its data columns and which hold JSON."""
    t = table(record_type)
    fields = DATA_FIELDS[record_type]
    columns = (*ENVELOPE_FIELDS, *fields)
    json_columns = frozenset(c.name for c in t.columns if isinstance(c.type, JSON))
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
    sql = (
        f"INSERT INTO {t.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates}"
    )
    return sql, ENVELOPE_FIELDS, fields, json_columns


def upsert(session: Session, record_type: str, records: Sequence[dict[str, Any]]) -> None:
    """Insert or replace whole records (envelope and every data field): one ``executemany``.

    This is the hot path of a first sync (150,000 records), so rows go to the driver as tuples
    with JSON pre-serialized, skipping per-row parameter processing; the statement is the
    SQLite upsert that ``sqlalchemy.dialects.sqlite.insert(...).on_conflict_do_update`` makes.
    """
    if not records:
        return
    sql, envelope, fields, json_columns = _upsert_plan(record_type)
    dumps = _JSON.encode
    rows: list[tuple[Any, ...]] = []
    for record in records:
        data = record["data"]
        row = [record[name] for name in envelope]
        for name in fields:
            value = data[name]
            row.append(dumps(value) if name in json_columns else value)
        rows.append(tuple(row))
    session.connection().exec_driver_sql(sql, rows)


def mark_deleted(session: Session, record_type: str, tombstones: Sequence[dict[str, Any]]) -> None:
    """Apply server tombstones: keep the row (so an undo can resurrect it) but mark it deleted."""
    if not tombstones:
        return
    t = table(record_type)
    statement = (
        t.update()
        .where(t.c.id == bindparam("b_id"))
        .values(
            deleted=True,
            version=bindparam("b_version"),
            seq=bindparam("b_seq"),
            updated_at=bindparam("b_updated_at"),
            updated_by=bindparam("b_updated_by"),
        )
    )
    session.execute(
        statement,
        [
            {
                "b_id": r["id"],
                "b_version": r["version"],
                "b_seq": r.get("seq"),
                "b_updated_at": r.get("updated_at"),
                "b_updated_by": r.get("updated_by"),
            }
            for r in tombstones
        ],
    )


def purge(session: Session, record_type: str, ids: Sequence[str]) -> None:
    t = table(record_type)
    for part in chunks(list(ids)):
        session.execute(delete(t).where(t.c.id.in_(part)))


def bulk_load(store_write: Any, envelopes: Iterable[dict[str, Any]], *, chunk: int = 2_000) -> int:
    """Load server-shaped records in chunks of ``chunk`` per transaction; returns the count.

    ``store_write`` is ``Store.write`` (a context manager factory). For benchmarks, tests and
    fixtures that need a large local store without a server; sync itself applies pages. Like a
    full pull, it defers the search index and rebuilds it once at the end.
    """
    from desktop.store import fts

    count = 0
    batch: dict[str, list[dict[str, Any]]] = {}
    pending = 0

    def flush() -> None:
        with store_write() as session:
            fts.defer(session)
            for record_type, group in batch.items():
                upsert(session, record_type, group)
        batch.clear()

    for envelope in envelopes:
        batch.setdefault(envelope["type"], []).append(envelope)
        pending += 1
        count += 1
        if pending >= chunk:
            flush()
            pending = 0
    if batch:
        flush()
    with store_write() as session:
        fts.rebuild(session)
    return count
