"""Alembic migrations of the reference server's database (SQLite or PostgreSQL)."""

HEAD = "0001"
