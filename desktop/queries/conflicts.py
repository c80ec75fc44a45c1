"""What waits for the lead after a sync: conflicts, rejected ("failed") changes, pending edits.

Pure reads for the conflicts view and the sidebar badge; the writes (resolve, resubmit, dismiss)
are ``desktop.services.conflicts``. Every function runs on a worker and returns plain values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.rules._text import field_label
from desktop.store import records
from desktop.store.models import Conflict, FailedChange, OutboxOp

RowKind = Literal["conflict", "failed"]
TYPE_WORDS = {
    "calendar_entry": "Calendar entry",
    "asset": "Asset",
    "amplification_request": "Boost request",
    "comment": "Comment",
    "campaign": "Campaign",
    "market": "Market",
    "brand": "Brand",
}


@dataclass(frozen=True)
class AttentionCounts:
    conflicts: int
    failed: int
    pending: int  # records with edits waiting to be sent

    @property
    def badge(self) -> int:
        """What the sidebar's Conflicts badge shows: everything the lead must decide."""
        return self.conflicts + self.failed


@dataclass(frozen=True)
class ConflictRow:
    """One line of the conflicts view: a conflict or a failed change, with a title to show."""

    kind: RowKind
    id: int
    record_type: str
    record_id: str
    title: str
    summary: str
    created_at: str
    fields: dict[str, Any] = field(default_factory=dict)
    mine_deleted: bool = False
    server_deleted: bool = False
    server_version: int | None = None
    server_record: dict[str, Any] = field(default_factory=dict)
    error_code: str | None = None
    message: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    created: bool = False
    deleted: bool = False

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)


def attention_counts(session: Session) -> AttentionCounts:
    conflicts = session.scalar(select(func.count()).select_from(Conflict)) or 0
    failed = session.scalar(select(func.count()).select_from(FailedChange)) or 0
    pending = session.scalar(
        select(func.count()).select_from(
            select(OutboxOp.record_type, OutboxOp.record_id)
            .where(OutboxOp.state == "pending")
            .distinct()
            .subquery()
        )
    )
    return AttentionCounts(int(conflicts), int(failed), int(pending or 0))


def title_of(record_type: str, data: dict[str, Any] | None) -> str:
    """A short human name for a record: its title, name, caption or what it is."""
    data = data or {}
    for key in ("title", "name", "code", "body", "caption", "cta"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            text = " ".join(value.split())
            return text if len(text) <= 70 else text[:69].rstrip() + "…"
    return TYPE_WORDS.get(record_type, record_type.replace("_", " ").capitalize())


def _local_data(session: Session, record_type: str, record_id: str) -> dict[str, Any] | None:
    try:
        found = records.get(session, record_type, record_id)
    except KeyError:  # a record type this client does not know
        return None
    return None if found is None else dict(found["data"])


def _conflict_summary(c: Conflict) -> str:
    if c.server_deleted:
        return "Deleted centrally while you edited it here."
    if c.mine_deleted:
        return "You deleted it here while it was edited centrally."
    names = ", ".join(field_label(n) for n in c.fields)
    return f"Changed both here and centrally: {names}." if names else "Changed both ways."


def _failed_summary(f: FailedChange) -> str:
    what = "delete" if f.deleted else "new record" if f.created else "change"
    return f"The server refused this {what}: {f.message}"


def conflict_rows(session: Session) -> list[ConflictRow]:
    """Every conflict, then every failed change, oldest first."""
    rows: list[ConflictRow] = []
    for c in session.scalars(select(Conflict).order_by(Conflict.pk)):
        data = _local_data(session, c.record_type, c.record_id)
        theirs = (c.server_record or {}).get("data")
        rows.append(
            ConflictRow(
                kind="conflict",
                id=c.pk,
                record_type=c.record_type,
                record_id=c.record_id,
                title=title_of(c.record_type, data or theirs),
                summary=_conflict_summary(c),
                created_at=c.created_at,
                fields=dict(c.fields or {}),
                mine_deleted=c.mine_deleted,
                server_deleted=c.server_deleted,
                server_version=c.server_version,
                server_record=dict(c.server_record or {}),
            )
        )
    for f in session.scalars(select(FailedChange).order_by(FailedChange.pk)):
        data = _local_data(session, f.record_type, f.record_id)
        rows.append(
            ConflictRow(
                kind="failed",
                id=f.pk,
                record_type=f.record_type,
                record_id=f.record_id,
                title=title_of(f.record_type, {**(data or {}), **(f.fields or {})}),
                summary=_failed_summary(f),
                created_at=f.created_at,
                fields=dict(f.fields or {}),
                error_code=f.error_code,
                message=f.message,
                details=dict(f.details or {}),
                created=f.created,
                deleted=f.deleted,
            )
        )
    return rows


def current_values(
    session: Session, record_type: str, record_id: str, names: list[str]
) -> dict[str, Any]:
    """The local values of ``names`` (empty when the record is not here)."""
    data = _local_data(session, record_type, record_id) or {}
    return {n: data.get(n) for n in names}
