"""Deferred search index: the FTS5 triggers skip their work while a full pull loads

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FTS = {
    "assets": ("assets_fts", ("name", "title", "tags", "alt_text")),
    "calendar_entries": ("entries_fts", ("title", "caption")),
}


def _triggers(table: str, fts: str, columns: tuple[str, ...], *, when: str) -> list[str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.pk, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.pk, {new});"
    return [
        f"DROP TRIGGER IF EXISTS {fts}_ai",
        f"DROP TRIGGER IF EXISTS {fts}_ad",
        f"DROP TRIGGER IF EXISTS {fts}_au",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} {when} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} {when} BEGIN {delete} END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} {when} "
        f"BEGIN {delete} {insert} END",
    ]


def upgrade() -> None:
    op.create_table(
        "fts_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deferred", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fts_state")),
    )
    op.execute("INSERT INTO fts_state (id, deferred) VALUES (1, 0)")
    when = "WHEN (SELECT deferred FROM fts_state WHERE id = 1) = 0"
    for table, (fts, columns) in FTS.items():
        for statement in _triggers(table, fts, columns, when=when):
            op.execute(statement)


def downgrade() -> None:
    for table, (fts, columns) in FTS.items():
        for statement in _triggers(table, fts, columns, when=""):
            op.execute(statement)
    op.drop_table("fts_state")
