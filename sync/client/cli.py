"""``sectiondesk sync``: sync from a script or a terminal, with progress and a summary.

Exit status 0 when the sync completed (conflicts and rejections are listed, they are not a
failure of the sync), 1 when it could not (offline, refused sign-in, bad answer), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from desktop.paths import resolve_data_dir
from desktop.progress import Progress, ProgressReport
from desktop.store.db import Store, StoreError
from sync.client.api import SyncError
from sync.client.auth import TokenStore
from sync.client.engine import SyncEngine, account
from sync.schemas import MAX_PULL_LIMIT


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", metavar="URL", help="the central endpoint (first time only)")
    parser.add_argument("--user", metavar="NAME", help="your user name (first time only)")
    parser.add_argument(
        "--no-thumbnails", action="store_true", help="skip fetching thumbnails after the sync"
    )
    parser.add_argument(
        "--page-size",
        type=int,
        default=None,
        metavar="N",
        help="records per pull page (1 to 5,000; smaller pages suit slow or flaky links)",
    )


def _printer(report: ProgressReport) -> None:
    amount = f"{report.done} of {report.total}" if report.total is not None else f"{report.done}"
    if report.bytes_total:
        amount += f" ({report.bytes_done / 1e6:.1f} of {report.bytes_total / 1e6:.1f} MB)"
    print(f"  {report.phase}: {amount}", file=sys.stderr, flush=True)


def _password(server: str, user: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(f"Password for {user} on {server}: ")
    return sys.stdin.readline().rstrip("\r\n")


def run(args: argparse.Namespace) -> int:
    try:
        store = Store(resolve_data_dir(getattr(args, "data_dir", None)))
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 1
    tokens = TokenStore()
    engine = SyncEngine(store, tokens=tokens)
    acct = account(store)
    server = (args.server or acct.server_url or "").rstrip("/")
    user = args.user or acct.username
    if args.page_size is not None and not 1 <= args.page_size <= MAX_PULL_LIMIT:
        print(f"--page-size must be between 1 and {MAX_PULL_LIMIT:,}.", file=sys.stderr)
        return 2
    if not server or not user:
        print(
            "This store has not synced before: give --server URL and --user NAME.", file=sys.stderr
        )
        return 2
    try:
        if (server, user) != (acct.server_url, acct.username) or not tokens.get(server, user):
            engine.sign_in(server, user, _password(server, user))
            print(f"Signed in to {server} as {user}.", file=sys.stderr)
        if tokens.notice:
            print(tokens.notice, file=sys.stderr)
        summary = engine.sync(
            Progress(_printer, min_interval=0.5),
            thumbnails=not args.no_thumbnails,
            page_size=args.page_size,
        )
    except SyncError as exc:
        print(f"Sync did not complete: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(summary.line())
    for line in summary.rejections:
        print(f"  {line}")
    if summary.conflicts:
        print(f"  {summary.conflicts} change(s) wait for you in Conflicts.")
    return 0
