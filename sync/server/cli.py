"""``sectiondesk-server``: serve, add-user, seed-demo (and bench), as the README shows them."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sync.server.config import Settings, default_blob_dir, default_database_url

ROLE_CHOICES = ("section_lead", "paid_operator", "compliance", "conductor")


def _settings(args: argparse.Namespace) -> Settings:
    blob_dir = getattr(args, "blob_dir", None)
    return Settings(
        database_url=args.database or default_database_url(),
        blob_dir=Path(blob_dir) if blob_dir else default_blob_dir(),
    )


def _add_database(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database",
        metavar="URL",
        help="SQLAlchemy URL: sqlite:///path/server.db (default: a file in your user data "
        "folder) or postgresql+psycopg://user:password@host/dbname",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sectiondesk-server",
        description="Section Desk's reference central endpoint (sync protocol v1).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the server (migrates the database first)")
    _add_database(serve)
    serve.add_argument("--blob-dir", metavar="DIR", help="where files are kept")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes")

    add_user = commands.add_parser(
        "add-user",
        help="create a user, or change one (the password comes from standard input or a prompt)",
    )
    add_user.add_argument("username")
    add_user.add_argument("--role", required=True, choices=ROLE_CHOICES)
    add_user.add_argument("--markets", help="comma-separated market codes, such as de,at")
    _add_database(add_user)

    seed = commands.add_parser(
        "seed-demo", help="load the demo workspace and its users, then print their passwords"
    )
    _add_database(seed)
    seed.add_argument("--blob-dir", metavar="DIR", help="where files are kept")
    seed.add_argument("--assets", type=int, default=200, metavar="N")
    seed.add_argument("--entries", type=int, default=300, metavar="N")

    bench = commands.add_parser(
        "bench", help="measure pull and push speed on SQLite and PostgreSQL"
    )
    bench.add_argument("--postgres", metavar="URL", help="a PostgreSQL database to use (emptied)")
    bench.add_argument("--records", type=int, default=100_000)
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sync.server.app import SKIP_MIGRATIONS_ENV, create_app
    from sync.server.db import Database, migrate

    if args.workers < 1:
        print("--workers must be at least 1.", file=sys.stderr)
        return 2
    settings = _settings(args)
    database = Database(settings.database_url, pool_size=1, max_overflow=0)
    migrate(database.engine)
    database.dispose()
    print(
        f"Section Desk server on http://{args.host}:{args.port} "
        f"(database {_safe_url(settings.database_url)}, files in {settings.blob_dir}); "
        "Ctrl-C stops it.",
        flush=True,
    )
    try:
        if args.workers == 1:
            app = create_app(settings, migrate=False)
            uvicorn.run(app, host=args.host, port=args.port, log_level="info")
        else:
            os.environ.update(settings.to_env())
            os.environ[SKIP_MIGRATIONS_ENV] = "1"
            uvicorn.run(
                "sync.server.app:app_from_env",
                factory=True,
                host=args.host,
                port=args.port,
                workers=args.workers,
                log_level="info",
            )
    except KeyboardInterrupt:
        pass
    return 0


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _read_password(existing: bool) -> str | None:
    """The password from standard input (not a terminal) or a prompt; None keeps the old one."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\r\n")
        return line or None
    hint = " (Enter keeps the current one)" if existing else ""
    first = getpass.getpass(f"Password{hint}: ")
    if not first and existing:
        return None
    second = getpass.getpass("Password again: ")
    if first != second:
        raise ValueError("The two passwords differ; nothing was changed.")
    return first


def _add_user(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from sync.server.auth import UserError, parse_markets, save_user
    from sync.server.db import Database, migrate
    from sync.server.models import users

    database = Database(args.database or default_database_url(), pool_size=1, max_overflow=0)
    try:
        migrate(database.engine)
        markets = parse_markets(args.markets) if args.markets is not None else None
        with database.read() as connection:
            existing = (
                connection.execute(
                    select(users.c.id).where(users.c.username == args.username.strip())
                ).first()
                is not None
            )
        password = _read_password(existing)
        with database.write() as connection:
            user, created = save_user(
                connection,
                username=args.username,
                role=args.role,
                markets=markets,
                password=password,
            )
    except (UserError, ValueError) as exc:
        print(f"add-user: {exc}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    what = "Created" if created else "Updated"
    markets_text = ",".join(user.markets) or "none"
    print(f"{what} {user.username}: role {user.role}, markets {markets_text}.")
    return 0


def _seed(args: argparse.Namespace) -> int:
    from sync.server.seed import seed_demo

    settings = _settings(args)
    result = seed_demo(settings, assets=args.assets, entries=args.entries)
    print(
        f"Loaded {result.records} records and {result.blobs} files in {result.seconds:.1f} s "
        f"into {_safe_url(settings.database_url)}."
    )
    print("Demo users (username / password / role / markets):")
    for user in result.users:
        print(f"  {user.username}  {user.password}  {user.role}  {','.join(user.markets) or '-'}")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from sync.server.bench import run_bench

    return int(run_bench(postgres_url=args.postgres, records=args.records))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "serve": _serve,
        "add-user": _add_user,
        "seed-demo": _seed,
        "bench": _bench,
    }
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
