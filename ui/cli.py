"""The ``sectiondesk`` command: the app, or a headless subcommand (sync, import, export, report).

Nothing here imports Qt at module level: ``--help``, ``--version`` and the headless subcommands
start without loading a GUI toolkit.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from desktop import __version__
from desktop.paths import DATA_DIR_ENV

# Subcommand -> module providing ``add_arguments(parser)`` and ``run(args) -> int``.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "sync": ("sync.client.cli", "sync the local store with the central endpoint, headless"),
    "export": ("desktop.spreadsheets.export_cli", "export calendar, assets or requests to a file"),
    "import": ("desktop.spreadsheets.import_cli", "import calendar entries or asset metadata"),
    "report": ("ui.reports.cli", "write a report to CSV, XLSX or PNG"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sectiondesk",
        description=(
            "Section Desk: adapt global social campaigns for your markets, offline, then sync. "
            "With no subcommand, opens the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"Section Desk {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"folder of the local store (default: ${DATA_DIR_ENV}, else your user data folder)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start a local reference server with the demo workspace, sign in, sync and open",
    )
    parser.add_argument("--screenshot", metavar="PATH", help="render a view to a PNG and exit")
    parser.add_argument(
        "--view",
        default="ops",
        choices=[
            "ops",
            "calendar",
            "assets",
            "requests",
            "conflicts",
            "reports",
            "adapt",
            "request-form",
        ],
        help="the view --screenshot renders (default: ops)",
    )
    if SUBCOMMANDS:
        sub = parser.add_subparsers(dest="command", metavar="COMMAND")
        for name, (module, help_text) in SUBCOMMANDS.items():
            command = sub.add_parser(name, help=help_text, description=help_text)
            command.add_argument(
                "--data-dir",
                metavar="DIR",
                default=argparse.SUPPRESS,
                help="folder of the local store",
            )
            importlib.import_module(module).add_arguments(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = getattr(args, "command", None)
    if command:
        module = importlib.import_module(SUBCOMMANDS[command][0])
        return int(module.run(args))
    from ui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
