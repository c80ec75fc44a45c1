"""``sectiondesk import``: registered in ``ui/cli.py``; the command lives in ``cli``."""

from __future__ import annotations

from desktop.spreadsheets.cli import add_import_arguments as add_arguments
from desktop.spreadsheets.cli import run_import as run

__all__ = ["add_arguments", "run"]
