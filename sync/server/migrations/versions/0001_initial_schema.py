"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("username", sa.String(150), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("markets", sa.Text, nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("scope_epoch", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(20), nullable=False),
        sa.Column("updated_at", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_table(
        "tokens",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("device_name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(20), nullable=False),
        sa.Column("expires_at", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name="pk_tokens"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_tokens_user_id_users", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_tokens_user_id", "tokens", ["user_id"])
    op.create_table(
        "records",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.String(20), nullable=False),
        sa.Column("updated_by", sa.String(36), nullable=True),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("scope_market", sa.String(16), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("code", sa.String(16), nullable=True),
        sa.Column("target_id", sa.String(36), nullable=True),
        sa.Column("created_by", sa.String(36), nullable=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("field_versions", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_records"),
    )
    op.create_index("ix_records_seq", "records", ["seq"], unique=True)
    op.create_index("ix_records_scope_market_seq", "records", ["scope_market", "seq"])
    op.create_index("ix_records_sha256", "records", ["sha256"])
    op.create_index("ix_records_type_code", "records", ["type", "code"])
    op.create_index("ix_records_target_id", "records", ["target_id"])
    op.create_index("ix_records_deleted_updated_at", "records", ["deleted", "updated_at"])
    counter = op.create_table(
        "seq_counter",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("v", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_seq_counter"),
    )
    op.bulk_insert(counter, [{"id": 1, "v": 0}])
    purge = op.create_table(
        "purge_state",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_purge_state"),
    )
    op.bulk_insert(purge, [{"id": 1, "seq": 0}])
    op.create_table(
        "push_batches",
        sa.Column("client_id", sa.String(36), nullable=False),
        sa.Column("batch_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("results", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("client_id", "batch_id", name="pk_push_batches"),
    )
    op.create_index("ix_push_batches_created_at", "push_batches", ["created_at"])
    op.create_table(
        "push_ops",
        sa.Column("op_id", sa.String(64), nullable=False),
        sa.Column("client_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("op_id", name="pk_push_ops"),
    )
    op.create_index("ix_push_ops_created_at", "push_ops", ["created_at"])
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("mime", sa.String(255), nullable=False),
        sa.Column("uploaded_by", sa.String(36), nullable=True),
        sa.Column("created_at", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_blobs"),
    )
    op.create_table(
        "uploads",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("mime", sa.String(255), nullable=False),
        sa.Column("offset", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.String(20), nullable=False),
        sa.Column("updated_at", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_uploads"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_uploads_user_id_users", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_uploads_updated_at", "uploads", ["updated_at"])


def downgrade() -> None:
    for table in (
        "uploads",
        "blobs",
        "push_ops",
        "push_batches",
        "purge_state",
        "seq_counter",
        "records",
        "tokens",
        "users",
    ):
        op.drop_table(table)
