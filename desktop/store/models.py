"""The local store's tables: a mirror of every record type plus the client's own sync tables.

Each record table has the sync envelope and one column per ``data`` field of
``desktop.domain.records`` (a test keeps the two in step). ``pk`` is an integer alias of SQLite's
rowid so the FTS5 indexes can use the tables as external content; ``id`` is the protocol's UUID.
Times are canonical RFC 3339 text (see ``desktop.domain.values``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[str]: JSON,
        list[Any]: JSON,
    }


class Envelope:
    """The sync envelope. ``version`` is the last server version this copy is based on (0: never
    synced); ``deleted`` marks a local delete waiting for the server to confirm it."""

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    version: Mapped[int] = mapped_column(default=0)
    seq: Mapped[int | None]
    updated_at: Mapped[str | None] = mapped_column(String(20))
    updated_by: Mapped[str | None] = mapped_column(String(36))
    deleted: Mapped[bool] = mapped_column(default=False)


class Market(Envelope, Base):
    __tablename__ = "markets"
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str | None]
    region: Mapped[str | None]
    languages: Mapped[list[str]] = mapped_column(default=list)
    timezone: Mapped[str | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    forbidden_terms: Mapped[list[str]] = mapped_column(default=list)
    legal_note: Mapped[str | None] = mapped_column(Text)
    boost_threshold: Mapped[str | None]


class Brand(Envelope, Base):
    __tablename__ = "brands"
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str | None]


class Campaign(Envelope, Base):
    __tablename__ = "campaigns"
    name: Mapped[str]
    brand: Mapped[str | None]
    objective: Mapped[str | None]
    primary_kpi: Mapped[str | None]
    starts_on: Mapped[str | None] = mapped_column(String(10))
    ends_on: Mapped[str | None] = mapped_column(String(10))
    top_messages: Mapped[list[str]] = mapped_column(default=list)
    status: Mapped[str | None]


class CalendarEntry(Envelope, Base):
    __tablename__ = "calendar_entries"
    __table_args__ = (
        Index(None, "market", "starts_at"),
        Index(None, "starts_at"),
        Index(None, "campaign_id"),
        Index(None, "status"),
        Index(None, "parent_id"),
    )
    campaign_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))
    market: Mapped[str | None] = mapped_column(String(8))
    channel: Mapped[str | None]
    title: Mapped[str | None]
    caption: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[str] = mapped_column(String(20))
    ends_at: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str | None] = mapped_column(String(16))
    asset_ids: Mapped[list[str]] = mapped_column(default=list)
    parent_id: Mapped[str | None] = mapped_column(String(36))
    adapted_from_version: Mapped[int | None]
    owners: Mapped[dict[str, Any]] = mapped_column(default=dict)
    utm_campaign: Mapped[str | None]


class Asset(Envelope, Base):
    __tablename__ = "assets"
    __table_args__ = (
        Index(None, "market"),
        Index(None, "campaign_id"),
        Index(None, "status"),
        Index(None, "brand"),
        Index(None, "master_id"),
        Index(None, "sha256"),
        Index(None, "name"),
    )
    name: Mapped[str]
    title: Mapped[str | None]
    kind: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int | None]
    mime: Mapped[str | None]
    width: Mapped[int | None]
    height: Mapped[int | None]
    brand: Mapped[str | None]
    campaign_id: Mapped[str | None] = mapped_column(String(36))
    market: Mapped[str | None] = mapped_column(String(8))
    language: Mapped[str | None] = mapped_column(String(35))
    master_id: Mapped[str | None] = mapped_column(String(36))
    adapted_from_version: Mapped[int | None]
    tags: Mapped[list[str]] = mapped_column(default=list)
    alt_text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(16))
    rights: Mapped[dict[str, Any]] = mapped_column(default=dict)
    embargo: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AmplificationRequest(Envelope, Base):
    __tablename__ = "amplification_requests"
    __table_args__ = (Index(None, "market", "status"), Index(None, "entry_id"))
    entry_id: Mapped[str] = mapped_column(String(36))
    asset_id: Mapped[str] = mapped_column(String(36))
    market: Mapped[str] = mapped_column(String(8))
    cta: Mapped[str | None]
    audience: Mapped[str | None] = mapped_column(Text)
    budget: Mapped[dict[str, Any]] = mapped_column(default=dict)
    starts_at: Mapped[str | None] = mapped_column(String(20))
    ends_at: Mapped[str | None] = mapped_column(String(20))
    primary_kpi: Mapped[str | None]
    priority: Mapped[str | None] = mapped_column(String(16))
    legal_note: Mapped[str | None] = mapped_column(Text)
    checklist: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str | None] = mapped_column(String(16))
    submitted_at: Mapped[str | None] = mapped_column(String(20))
    sla_due_at: Mapped[str | None] = mapped_column(String(20))
    decided_at: Mapped[str | None] = mapped_column(String(20))
    decided_by: Mapped[str | None] = mapped_column(String(36))
    decision_note: Mapped[str | None] = mapped_column(Text)


class Comment(Envelope, Base):
    __tablename__ = "comments"
    __table_args__ = (Index(None, "target_id"),)
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str] = mapped_column(String(36))
    body: Mapped[str] = mapped_column(Text)


RECORD_MODELS: dict[str, type[Envelope]] = {
    "market": Market,
    "brand": Brand,
    "campaign": Campaign,
    "calendar_entry": CalendarEntry,
    "asset": Asset,
    "amplification_request": AmplificationRequest,
    "comment": Comment,
}
ENVELOPE_COLUMNS = ("pk", "id", "version", "seq", "updated_at", "updated_by", "deleted")


# --- The client's own tables --------------------------------------------------------------


class OutboxOp(Base):
    """One local edit of one record, waiting to be pushed.

    ``fields`` holds the new values of the fields this edit changed, ``base_values`` their values
    before it (the conflict view's "base" and the fallback for a revert). ``base_version`` is the
    server version the edit was made on (null: the record was created here). ``batch_id`` is set,
    in the same transaction that stores the batch, before the batch is sent. ``state`` is
    ``pending`` (to send or in flight) or ``conflict`` (waiting for the lead to resolve).
    """

    __tablename__ = "outbox"
    __table_args__ = (Index(None, "record_type", "record_id"), Index(None, "batch_id"))
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(String(36), unique=True)
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(36))
    base_version: Mapped[int | None]
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    base_values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    deleted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[str] = mapped_column(String(20))
    label: Mapped[str | None]
    batch_id: Mapped[str | None] = mapped_column(ForeignKey("push_batches.batch_id"))
    state: Mapped[str] = mapped_column(String(16), default="pending")


class PushBatch(Base):
    """A push exactly as sent, kept until its results are applied, so a retry after a lost answer
    replays the same ``batch_id`` with the same changes."""

    __tablename__ = "push_batches"
    batch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class SyncState(Base):
    """One row: who this install is and where its pull stands."""

    __tablename__ = "sync_state"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36))
    server_url: Mapped[str | None]
    username: Mapped[str | None]
    user_id: Mapped[str | None] = mapped_column(String(36))
    display_name: Mapped[str | None]
    role: Mapped[str | None] = mapped_column(String(32))
    markets: Mapped[list[str]] = mapped_column(default=list)
    cursor: Mapped[str | None] = mapped_column(Text)
    clock_offset_seconds: Mapped[float] = mapped_column(default=0.0)
    last_sync_at: Mapped[str | None] = mapped_column(String(20))


class Conflict(Base):
    """A pushed change the server refused because the same fields changed there.

    ``fields`` maps each conflicting field to ``{"mine", "theirs", "base"}``; ``theirs`` is the
    server's record at ``server_version`` (``server_deleted`` when the server deleted it).
    """

    __tablename__ = "conflicts"
    __table_args__ = (Index(None, "record_type", "record_id"),)
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(36))
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    mine_deleted: Mapped[bool] = mapped_column(default=False)
    server_version: Mapped[int]
    server_deleted: Mapped[bool] = mapped_column(default=False)
    server_record: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[str] = mapped_column(String(20))


class FailedChange(Base):
    """A change the server rejected for good, kept so its author can fix and resubmit it."""

    __tablename__ = "failed_changes"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    op_id: Mapped[str] = mapped_column(String(36))
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(36))
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    deleted: Mapped[bool] = mapped_column(default=False)
    created: Mapped[bool] = mapped_column(default=False)
    error_code: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[str] = mapped_column(String(20))


class BlobCache(Base):
    """What this install holds of each file: ``none``, ``thumbnail``, ``full`` or ``pinned``.

    ``upload_id``/``upload_offset`` let an interrupted upload resume where the server stopped.
    Paths are relative to the data folder.
    """

    __tablename__ = "blob_cache"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int | None]
    state: Mapped[str] = mapped_column(String(16), default="none")
    path: Mapped[str | None]
    thumbnail_path: Mapped[str | None]
    upload_id: Mapped[str | None]
    upload_offset: Mapped[int | None]
    last_used_at: Mapped[str | None] = mapped_column(String(20))


class Preference(Base):
    """Workspace settings that the services read (drift days, storage budget, ...)."""

    __tablename__ = "preferences"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class RecordHistory(Base):
    """Earlier versions of global records that local adaptations point at, kept when a pull
    replaces them, so a stale adaptation can show which fields of its master changed."""

    __tablename__ = "record_history"
    record_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class FtsState(Base):
    """One row: while ``deferred``, the FTS5 triggers skip their work (a full first pull loads
    faster and rebuilds the index once at its end); see ``desktop.store.fts``."""

    __tablename__ = "fts_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deferred: Mapped[bool] = mapped_column(default=False)
