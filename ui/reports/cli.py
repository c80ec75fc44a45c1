"""``sectiondesk report NAME [--format csv|xlsx|png] -o FILE [--data-dir DIR]``.

CSV holds the report's main table, XLSX every table and chart (native Excel charts), PNG the
charts as the app draws them (Qt runs offscreen: no display is needed). Exit status 0 when the
file was written, 1 when it could not be, 2 on bad usage (an unknown report name or format).
Qt is loaded only for PNG.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from desktop.paths import resolve_data_dir
from desktop.reports import REPORTS, build_report
from desktop.spreadsheets.export import ExportError
from desktop.store.db import Store, StoreError
from desktop.store.models import SyncState

FORMATS = ("csv", "xlsx", "png")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    names = ", ".join(REPORTS)
    parser.add_argument("name", metavar="NAME", help=f"the report: {names}")
    parser.add_argument("--format", choices=FORMATS, help="file format (default: from the name)")
    parser.add_argument("-o", "--output", metavar="FILE", required=True, help="file to write")


def _format(args: argparse.Namespace) -> str | None:
    chosen = (args.format or Path(args.output).suffix.lstrip(".") or "csv").lower()
    return chosen if chosen in FORMATS else None


def run(args: argparse.Namespace) -> int:
    if args.name not in REPORTS:
        names = ", ".join(REPORTS)
        print(f'There is no report named "{args.name}"; the reports are: {names}.', file=sys.stderr)
        return 2
    fmt = _format(args)
    if fmt is None:
        print("Choose --format csv, xlsx or png.", file=sys.stderr)
        return 2
    try:
        store = Store(resolve_data_dir(getattr(args, "data_dir", None)))
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        with store.read() as session:
            state = session.get(SyncState, 1)
            me = state.user_id if state is not None else None
        report = build_report(args.name, store, me=me)
    except Exception as exc:  # noqa: BLE001 - a terminal gets a plain line, never a traceback
        print(f"The report could not be built ({exc.__class__.__name__}: {exc}).", file=sys.stderr)
        return 1
    finally:
        store.close()
    try:
        if fmt == "png":
            _png(report, Path(args.output))
        elif fmt == "xlsx":
            from desktop.reports.export import write_xlsx

            write_xlsx(report, args.output)
        else:
            from desktop.reports.export import write_csv

            write_csv(report, args.output)
    except ExportError as exc:
        print(f"The report was not written: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a terminal gets a plain line, never a traceback
        print(
            f"The report was not written: something went wrong ({exc.__class__.__name__}: {exc}).",
            file=sys.stderr,
        )
        return 1
    print(f"Wrote {report.title} to {args.output}.")
    return 0


def _png(report: object, path: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.reports.render import write_png

    app = QApplication.instance() or QApplication(["sectiondesk"])
    write_png(report, path)  # type: ignore[arg-type]
    del app
