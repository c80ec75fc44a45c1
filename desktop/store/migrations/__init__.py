"""Alembic migrations of the local store. ``HEAD`` lets start-up skip Alembic when up to date."""

HEAD = "0002"
