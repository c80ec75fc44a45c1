"""``sectiondesk export`` and ``sectiondesk import``: spreadsheets from a script or a terminal.

    sectiondesk export calendar|assets|requests --format csv|xlsx -o FILE [--data-dir DIR]
    sectiondesk import calendar|assets FILE [--data-dir DIR] [--dry-run]

``import`` prints the validation report (the rows with changes or problems, then a summary) and
imports all rows or none, as one undoable edit queued for sync. It uses the column mapping last
chosen in the app for files with the same headings, else the columns it recognises by name.
Exit status: 0 when everything was imported (or, with ``--dry-run``, would be), 1 when anything is
refused or the file cannot be read, 2 on bad usage. ``export_cli`` and ``import_cli`` are the
modules ``ui/cli.py`` registers; this module holds both commands.

The acting user is the account signed in to this store (``sectiondesk sync`` signs in); it is
read from the store's ``sync_state`` here because ``desktop/`` does not import ``sync/``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.paths import resolve_data_dir
from desktop.progress import Cancelled, Progress, ProgressReport
from desktop.services.changes import Actor, EditRefused
from desktop.services.workspace import Workspace
from desktop.spreadsheets.columns import KINDS
from desktop.spreadsheets.export import ExportError, export_records, format_for
from desktop.spreadsheets.importing import IMPORT_KINDS, plan_import, report_lines
from desktop.spreadsheets.mappings import initial_options
from desktop.spreadsheets.plan import ImportRefused, commit
from desktop.spreadsheets.sources import SpreadsheetError, inspect
from desktop.spreadsheets.values import guess_day_first
from desktop.store.db import Store, StoreError
from desktop.store.models import SyncState

SIGN_IN_FIRST = "Sign in first (sectiondesk sync --server URL --user NAME)"


def signed_in_actor(store: Store) -> Actor | None:
    """Who is signed in to this store, as ``sync.client.engine.Account.actor()`` gives it."""
    with store.read() as session:
        state = session.get(SyncState, 1)
        if state is None or not state.user_id or not state.role:
            return None
        return Actor(user_id=state.user_id, role=state.role, markets=tuple(state.markets or ()))


def _open_store(args: argparse.Namespace) -> Store | None:
    try:
        return Store(resolve_data_dir(getattr(args, "data_dir", None)))
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return None


def _printer(report: ProgressReport) -> None:
    if report.bytes_total:
        amount = f"{report.bytes_done * 100 // max(report.bytes_total, 1)}%"
    elif report.total:
        amount = f"{report.done:,} of {report.total:,}"
    else:
        amount = f"{report.done:,}"
    print(f"  {report.phase}: {amount}", file=sys.stderr, flush=True)


# --- export -----------------------------------------------------------------------------------


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS, help="what to export")
    parser.add_argument(
        "--format", choices=("csv", "xlsx"), help="file format (default: from the file name)"
    )
    parser.add_argument("-o", "--output", metavar="FILE", required=True, help="file to write")
    parser.add_argument(
        "--local-times",
        action="store_true",
        help="write times in each market's local time with its offset (default: UTC)",
    )


def run_export(args: argparse.Namespace) -> int:
    try:
        fmt = format_for(args.output, args.format)
    except ExportError as exc:
        print(exc, file=sys.stderr)
        return 2
    store = _open_store(args)
    if store is None:
        return 1
    try:
        count = export_records(
            store,
            args.kind,
            None,
            None,
            Path(args.output),
            fmt,
            times="local" if args.local_times else "utc",
            progress=Progress(_printer, min_interval=0.5),
        )
    except ExportError as exc:
        print(f"Export did not complete: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a terminal gets a plain line, never a traceback
        print(
            f"Export did not complete: something went wrong ({exc.__class__.__name__}: {exc}).",
            file=sys.stderr,
        )
        return 1
    finally:
        store.close()
    print(f"Exported {count:,} {args.kind} rows to {args.output}.")
    return 0


# --- import -----------------------------------------------------------------------------------


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=IMPORT_KINDS, help="what the file holds")
    parser.add_argument("file", metavar="FILE", help="a CSV file or an Excel workbook (.xlsx)")
    parser.add_argument(
        "--dry-run", action="store_true", help="print the validation report, import nothing"
    )


def run_import(args: argparse.Namespace) -> int:
    store = _open_store(args)
    if store is None:
        return 1
    try:
        return _import(store, args)
    except Exception as exc:  # noqa: BLE001 - a terminal gets a plain line, never a traceback
        print(
            f"Nothing was imported: something went wrong ({exc.__class__.__name__}: {exc}).",
            file=sys.stderr,
        )
        return 1
    finally:
        store.close()


def _import(store: Store, args: argparse.Namespace) -> int:
    actor = signed_in_actor(store)
    if actor is None:
        print(SIGN_IN_FIRST, file=sys.stderr)
        return 1
    try:
        source = inspect(args.file)
        guess = guess_day_first(v for row in source.samples for v in row)
        options, remembered = initial_options(store, args.kind, source.header, day_first=guess)
        if remembered:
            print("Using the column mapping you chose before for files like this one.")
        plan = plan_import(
            store,
            actor,
            args.kind,
            source,
            options,
            progress=Progress(_printer, min_interval=1.0),
        )
    except (SpreadsheetError, ImportRefused) as exc:
        print(f"Nothing was imported: {exc}", file=sys.stderr)
        return 1
    except Cancelled:
        print("Cancelled: nothing was imported.", file=sys.stderr)
        return 1
    for line in report_lines(plan):
        print(line)
    if plan.refused:
        return 1
    if args.dry_run:
        print("Dry run: nothing was imported.")
        return 0
    if not plan.edits:
        return 0
    ws = Workspace(store, actor=actor)
    try:
        changes = commit(ws, plan, Progress(_printer, min_interval=1.0))
    except EditRefused as exc:
        print(f"Nothing was imported: {exc}", file=sys.stderr)
        return 1
    except ImportRefused as exc:
        print(f"Nothing was imported: {exc}", file=sys.stderr)
        return 1
    print(
        f"Imported: {len(changes.changes):,} records changed in one step. They sync the next "
        "time you run sectiondesk sync."
    )
    for note in changes.notes:
        print(f"  {note}")
    return 0
