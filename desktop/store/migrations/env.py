"""Alembic environment for the local store; run through ``desktop.store.db.migrate``."""

from __future__ import annotations

from alembic import context

from desktop.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_object=lambda obj, name, kind, reflected, compare_to: (
        not (kind == "table" and name is not None and "_fts" in name)
    ),
)
with context.begin_transaction():
    context.run_migrations()
