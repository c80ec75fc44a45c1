"""Where Section Desk keeps its files: the platform's user folders unless told otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "section-desk"
DATA_DIR_ENV = "SECTIONDESK_DATA_DIR"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir`` first, then ``$SECTIONDESK_DATA_DIR``, then the platform's data folder."""
    chosen = option or os.environ.get(DATA_DIR_ENV)
    return Path(chosen).expanduser().resolve() if chosen else default_data_dir()


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
