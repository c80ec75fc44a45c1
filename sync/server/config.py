"""The reference server's settings: where its data lives and the protocol's limits.

Settings are passed in (never a global); ``from_env`` reads them for uvicorn's worker processes,
which can only be handed an import string, and ``to_env`` writes them for those workers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from datetime import timedelta
from pathlib import Path
from typing import Final

from platformdirs import user_data_dir

from sync.schemas import (
    DEFAULT_PULL_LIMIT,
    MAX_BLOB_BYTES,
    MAX_CHUNK_BYTES,
    MAX_PULL_LIMIT,
    MAX_PUSH_BYTES,
    MAX_PUSH_CHANGES,
)

ENV_PREFIX: Final = "SECTIONDESK_"
APP_NAME: Final = "sectiondesk-server"


def default_data_dir() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'server.db'}"


def default_blob_dir() -> Path:
    return default_data_dir() / "blobs"


@dataclass(frozen=True)
class Settings:
    """Everything a server process needs; limits default to PROTOCOL.md's."""

    database_url: str = field(default_factory=default_database_url)
    blob_dir: Path = field(default_factory=default_blob_dir)
    max_push_bytes: int = MAX_PUSH_BYTES
    max_push_changes: int = MAX_PUSH_CHANGES
    max_pull_limit: int = MAX_PULL_LIMIT
    default_pull_limit: int = DEFAULT_PULL_LIMIT
    max_chunk_bytes: int = MAX_CHUNK_BYTES
    max_blob_bytes: int = MAX_BLOB_BYTES
    # Bodies of every other request (sign-in, upload start) are small.
    max_small_body_bytes: int = 64 * 1024
    token_lifetime: timedelta = timedelta(days=30)
    tombstone_horizon: timedelta = timedelta(days=180)
    result_retention: timedelta = timedelta(days=30)
    upload_retention: timedelta = timedelta(days=7)
    maintenance_interval: timedelta = timedelta(hours=1)
    thumbnail_px: int = 512

    def to_env(self) -> dict[str, str]:
        """The settings as environment variables, for worker processes (``from_env``)."""
        env: dict[str, str] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            text = str(value.total_seconds()) if isinstance(value, timedelta) else str(value)
            env[ENV_PREFIX + item.name.upper()] = text
        return env

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Settings from ``SECTIONDESK_*`` variables; unset ones keep their defaults."""
        source = os.environ if environ is None else environ
        settings = cls()
        changes: dict[str, object] = {}
        for item in fields(cls):
            raw = source.get(ENV_PREFIX + item.name.upper())
            if raw is None:
                continue
            current = getattr(settings, item.name)
            try:
                if isinstance(current, timedelta):
                    changes[item.name] = timedelta(seconds=float(raw))
                elif isinstance(current, Path):
                    changes[item.name] = Path(raw)
                elif isinstance(current, int):
                    changes[item.name] = int(raw)
                else:
                    changes[item.name] = raw
            except ValueError:
                raise ValueError(
                    f"{ENV_PREFIX + item.name.upper()}={raw!r} is not a valid value"
                ) from None
        return replace(settings, **changes)  # type: ignore[arg-type]
