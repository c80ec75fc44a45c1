"""The reference server's tables (SQLAlchemy Core: pushes and pulls are bulk statements).

Record ``data`` and ``field_versions`` are stored as compact JSON text, not a JSON column: a pull
splices the stored text into its answer without parsing it, on SQLite and PostgreSQL alike.
Times are canonical RFC 3339 text (``desktop.domain.values``), which sorts correctly as text.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

users = Table(
    "users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(150), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("markets", Text, nullable=False),  # JSON list of market codes
    Column("password_hash", String(300), nullable=False),
    # Raised whenever what the user may read changes: cursors of an older epoch get 410.
    Column("scope_epoch", Integer, nullable=False),
    Column("created_at", String(20), nullable=False),
    Column("updated_at", String(20), nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # SHA-256 of the token; never the token
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("device_name", String(200), nullable=False),
    Column("created_at", String(20), nullable=False),
    Column("expires_at", String(20), nullable=False),
    Index("ix_tokens_user_id", "user_id"),
)

records = Table(
    "records",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("type", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("updated_at", String(20), nullable=False),
    Column("updated_by", String(36), nullable=True),
    Column("deleted", Boolean, nullable=False),
    # Derived for scoping: data.market; a comment takes its target's; NULL is global.
    Column("scope_market", String(16), nullable=True),
    Column("sha256", String(64), nullable=True),  # assets: the blob they name
    Column("code", String(16), nullable=True),  # markets: their unique code
    Column("target_id", String(36), nullable=True),  # comments: the record they are about
    Column("created_by", String(36), nullable=True),  # a comment's author
    Column("data", Text, nullable=False),
    # field -> version of the record at which that field was last written
    Column("field_versions", Text, nullable=False),
    Index("ix_records_seq", "seq", unique=True),
    Index("ix_records_scope_market_seq", "scope_market", "seq"),
    Index("ix_records_sha256", "sha256"),
    Index("ix_records_type_code", "type", "code"),
    Index("ix_records_target_id", "target_id"),
    Index("ix_records_deleted_updated_at", "deleted", "updated_at"),
)

# One row (id = 1): the last seq handed out, updated inside each write transaction.
seq_counter = Table(
    "seq_counter",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("v", BigInteger, nullable=False),
)

# One row (id = 1): cursors below ``seq`` can no longer be served (tombstones were purged).
purge_state = Table(
    "purge_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
)

push_batches = Table(
    "push_batches",
    metadata,
    Column("client_id", String(36), primary_key=True),
    Column("batch_id", String(36), primary_key=True),
    Column("user_id", String(36), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("results", Text, nullable=False),  # the answer's JSON exactly as first sent
    Column("created_at", String(20), nullable=False),
    Index("ix_push_batches_created_at", "created_at"),
)

push_ops = Table(
    "push_ops",
    metadata,
    Column("op_id", String(64), primary_key=True),
    Column("client_id", String(36), nullable=False),
    Column("user_id", String(36), nullable=False),
    Column("result", Text, nullable=False),  # an applied or merged result's JSON
    Column("created_at", String(20), nullable=False),
    Index("ix_push_ops_created_at", "created_at"),
)

blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("mime", String(255), nullable=False),
    Column("uploaded_by", String(36), nullable=True),
    Column("created_at", String(20), nullable=False),
)

uploads = Table(
    "uploads",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("filename", String(255), nullable=False),
    Column("mime", String(255), nullable=False),
    Column("offset", BigInteger, nullable=False),
    Column("created_at", String(20), nullable=False),
    Column("updated_at", String(20), nullable=False),
    Index("ix_uploads_updated_at", "updated_at"),
)
