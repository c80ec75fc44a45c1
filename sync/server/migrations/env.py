"""Alembic environment of the reference server; run through ``sync.server.db.migrate``."""

from __future__ import annotations

from alembic import context

from sync.server.models import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
