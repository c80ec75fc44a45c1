"""Sync benchmark: ``python -m sync.client.bench [--assets N] [--entries N]``.

Prints, each beside a raw baseline measured in the same run:
- the first full sync of the workspace from a local reference server (its own process, SQLite)
  in records/s, beside raw ``sqlite3`` ``executemany`` of the same records into the same schema;
- an incremental sync of 100 changes each way (push 100, pull 100 made by someone else), in ms,
  beside a bare ``GET /v1/health`` round trip.
"""

from __future__ import annotations

import argparse
import json
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

from desktop.services import entries as entry_ops
from desktop.services.workspace import Workspace
from desktop.store import records
from desktop.store.db import Store
from desktop.store.models import CalendarEntry
from sync.client.auth import TokenStore
from sync.client.engine import SyncEngine, account

PASSWORD = "benchmark password"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "sync.server.cli", *args]


def start_server(folder: Path, *, assets: int, entries: int) -> tuple[subprocess.Popen[bytes], str]:
    database = f"sqlite:///{folder / 'server.db'}"
    blobs = str(folder / "blobs")
    started = time.perf_counter()
    subprocess.run(
        _server_cli(
            "seed-demo",
            "--database",
            database,
            "--blob-dir",
            blobs,
            "--assets",
            str(assets),
            "--entries",
            str(entries),
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    for name in ("bench-a", "bench-b"):
        subprocess.run(
            _server_cli("add-user", name, "--role", "conductor", "--database", database),
            input=PASSWORD.encode(),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    print(f"  seeded the server in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    port = _free_port()
    server = subprocess.Popen(
        _server_cli("serve", "--database", database, "--blob-dir", blobs, "--port", str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/v1/health", timeout=1).ok:
                return server, url
        except requests.RequestException:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the reference server did not start")


def client(folder: Path, url: str, username: str) -> tuple[Store, SyncEngine]:
    store = Store(folder)
    engine = SyncEngine(store, tokens=TokenStore())
    engine.sign_in(url, username, PASSWORD)
    return store, engine


def raw_baseline(source: Store, folder: Path, *, deferred_index: bool) -> tuple[int, float]:
    """Insert the same records with raw sqlite3 executemany into an empty copy of the schema,
    one transaction per 2,000 records (as sync applies pages). With ``deferred_index``, the same
    bulk technique the client uses: search index deferred, rebuilt once at the end. Returns
    (records, seconds)."""
    Store(folder).close()  # the same schema, migrated, empty
    pages: list[list[tuple[str, str, list[tuple[Any, ...]]]]] = []
    page: dict[str, list[tuple[Any, ...]]] = {}
    count = 0
    statements: dict[str, str] = {}
    with source.read() as session:
        for record_type in records.DATA_FIELDS:
            table = records.table(record_type)
            columns = [c.name for c in table.columns if c.name != "pk"]
            statements[record_type] = (
                f"INSERT INTO {table.name} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})"
            )
            json_columns = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
            for row in session.execute(table.select()):
                mapping = row._mapping
                values = tuple(
                    json.dumps(mapping[c]) if c in json_columns else mapping[c] for c in columns
                )
                page.setdefault(record_type, []).append(values)
                count += 1
                if count % 2000 == 0:
                    pages.append([(t, statements[t], rows) for t, rows in page.items()])
                    page = {}
    if page:
        pages.append([(t, statements[t], rows) for t, rows in page.items()])
    connection = sqlite3.connect(folder / "section-desk.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    started = time.perf_counter()
    if deferred_index:
        connection.execute("UPDATE fts_state SET deferred = 1")
    for batch in pages:
        connection.execute("BEGIN")
        for _type, statement, rows in batch:
            connection.executemany(statement, rows)
        connection.execute("COMMIT")
    if deferred_index:
        connection.execute("BEGIN")
        for name in ("assets_fts", "entries_fts"):
            connection.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
        connection.execute("UPDATE fts_state SET deferred = 0")
        connection.execute("COMMIT")
    seconds = time.perf_counter() - started
    connection.close()
    return count, seconds


def incremental(
    store_a: Store, engine_a: SyncEngine, store_b: Store, engine_b: SyncEngine
) -> tuple[float, int, int]:
    """B pushes 100 edits; A makes 100 edits; time A's sync (push 100, pull 100)."""

    def edit_100(store: Store, label: str, offset: int) -> None:
        actor = account(store).actor()
        assert actor is not None
        ws = Workspace(store, actor=actor)
        with store.read() as session:
            from sqlalchemy import select

            ids = list(
                session.scalars(
                    select(CalendarEntry.id)
                    .where(CalendarEntry.status == "draft")
                    .order_by(CalendarEntry.id)
                    .offset(offset)
                    .limit(100)
                )
            )
        for entry_id in ids:
            entry_ops.edit_entry(ws, entry_id=entry_id, fields={"title": f"{label} {time.time()}"})

    edit_100(store_b, "B", 0)
    engine_b.sync(thumbnails=False)
    edit_100(store_a, "A", 500)
    started = time.perf_counter()
    summary = engine_a.sync(thumbnails=False)
    return time.perf_counter() - started, summary.pushed, summary.pulled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=50_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sd-bench-") as tmp:
        folder = Path(tmp)
        server, url = start_server(folder / "server", assets=args.assets, entries=args.entries)
        try:
            store_a, engine_a = client(folder / "a", url, "bench-a")
            started = time.perf_counter()
            first = engine_a.sync(thumbnails=False)
            full_seconds = time.perf_counter() - started
            raw_count, raw_seconds = raw_baseline(store_a, folder / "raw", deferred_index=True)
            _n, raw_row_seconds = raw_baseline(store_a, folder / "raw2", deferred_index=False)
            store_b, engine_b = client(folder / "b", url, "bench-b")
            engine_b.sync(thumbnails=False)
            rounds = [incremental(store_a, engine_a, store_b, engine_b) for _ in range(5)]
            health = []
            for _ in range(20):
                t = time.perf_counter()
                requests.get(f"{url}/v1/health", timeout=5)
                health.append(time.perf_counter() - t)
        finally:
            server.terminate()
            server.wait(timeout=30)
    rate = first.pulled / full_seconds
    raw_rate = raw_count / raw_seconds
    row_rate = raw_count / raw_row_seconds
    inc = statistics.median(r[0] for r in rounds)
    rtt = statistics.median(health)
    lines = [
        f"Sync benchmark: {args.assets:,} assets, {args.entries:,} entries",
        f"  first full sync: {first.pulled:,} records in {full_seconds:.2f} s"
        f" = {rate:,.0f} records/s",
        f"  raw sqlite3 executemany, same records and schema, index deferred and rebuilt:"
        f" {raw_seconds:.2f} s = {raw_rate:,.0f} records/s",
        f"    ratio sync/raw: {rate / raw_rate:.2f} (goal: at least 0.50)",
        f"  raw sqlite3 executemany, index kept row by row (triggers):"
        f" {raw_row_seconds:.2f} s = {row_rate:,.0f} records/s; ratio {rate / row_rate:.2f}",
        f"  incremental sync, 100 changes each way: median {inc * 1000:.0f} ms over"
        f" {len(rounds)} rounds (pushed {rounds[-1][1]}, pulled {rounds[-1][2]};"
        " goal: under 300 ms)",
        f"  raw round trip GET /v1/health: median {rtt * 1000:.1f} ms (ratio {inc / rtt:.0f}x)",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
