"""``python -m sync.server.bench`` (or ``sectiondesk-server bench``): the server's speed.

For SQLite and, given a URL, PostgreSQL: a full pull of N records by one client (records/s,
received and parsed; and "served": counting only the time waiting for the server's answers) beside
a raw baseline measured in the same run (the same rows fetched with the database driver alone),
and p50/p95 latency of 100-change pushes from 1 and from 50 concurrent clients. The server runs
as ``sectiondesk-server serve`` in a subprocess, so the clients do not share its interpreter.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

from resources.demo import generate_workspace
from sync.server.auth import save_user
from sync.server.db import Database, migrate, normalize_url
from sync.server.seed import load_records

PASSWORD = secrets.token_urlsafe(16)  # a throwaway user of a throwaway database
PUSH_SIZE = 100


@dataclass(frozen=True)
class Figures:
    backend: str
    records: int
    pull_rate: float  # answers received and parsed by the client
    served_rate: float  # answers received (the server's part: read, build, send)
    raw_rate: float
    push_1: tuple[float, float]
    push_50: tuple[float, float]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the benchmark server exited")
        try:
            if httpx.get(url + "/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the benchmark server did not start")


def _raw_rate(database_url: str, expected: int) -> float:
    """Rows per second fetching the pulled columns with the driver alone, no server."""
    query = (
        "SELECT type, id, version, seq, updated_at, updated_by, deleted, data "
        "FROM records ORDER BY seq"
    )
    url = make_url(normalize_url(database_url))
    started = time.perf_counter()
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(str(url.database)) as connection:
            rows = connection.execute(query).fetchall()
    else:
        import psycopg

        options = str(url.query.get("options") or "")
        conninfo = url.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
        with psycopg.connect(conninfo, options=options) as connection:
            rows = connection.execute(query).fetchall()
    elapsed = time.perf_counter() - started
    assert len(rows) == expected
    return expected / elapsed


def _pull_rate(url: str, token: str) -> tuple[int, float, float]:
    """(records, records/s received and parsed, records/s received)."""
    headers = {"Authorization": f"Bearer {token}"}
    count = 0
    waiting = 0.0
    started = time.perf_counter()
    with httpx.Client(base_url=url, headers=headers, timeout=300) as client:
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 5000}
            if cursor:
                params["since"] = cursor
            asked = time.perf_counter()
            answer = client.get("/v1/changes", params=params)
            waiting += time.perf_counter() - asked
            page = json.loads(answer.content)
            count += len(page["changes"])
            cursor = page["cursor"]
            if not page["has_more"]:
                break
    return count, count / (time.perf_counter() - started), count / waiting


def _push_latencies(url: str, token: str, *, clients: int, pushes: int) -> tuple[float, float]:
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    lock = threading.Lock()
    errors: list[str] = []

    def client_run() -> None:
        with httpx.Client(base_url=url, headers=headers, timeout=600) as client:
            for _ in range(pushes):
                body = {
                    "client_id": str(uuid.uuid4()),
                    "batch_id": str(uuid.uuid4()),
                    "changes": [
                        {
                            "op_id": str(uuid.uuid4()),
                            "type": "brand",
                            "id": str(uuid.uuid4()),
                            "base_version": None,
                            "data": {"code": secrets.token_hex(4), "name": "Benchmark brand"},
                        }
                        for _ in range(PUSH_SIZE)
                    ],
                }
                started = time.perf_counter()
                answer = client.post("/v1/changes", json=body)
                elapsed = time.perf_counter() - started
                if answer.status_code != 200:
                    errors.append(answer.text[:200])
                with lock:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=client_run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"pushes failed: {errors[0]}")
    cuts = statistics.quantiles(latencies, n=100)
    return statistics.median(latencies), cuts[94]


def bench_backend(backend: str, database_url: str, records: int, work: Path) -> Figures:
    database = Database(database_url, pool_size=2, max_overflow=2)
    migrate(database.engine)
    print(f"[{backend}] loading {records} demo records ...", flush=True)
    workspace = generate_workspace(assets=records, entries=records // 2)
    loaded = load_records(database, islice(workspace.records(), records), {})
    with database.write() as connection:
        save_user(connection, username="bench", role="conductor", markets=(), password=PASSWORD)
    database.dispose()
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sync.server.cli",
            "serve",
            "--database",
            database_url,
            "--blob-dir",
            str(work / f"blobs-{backend}"),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url, server)
        token = httpx.post(
            url + "/v1/auth/token", json={"username": "bench", "password": PASSWORD}
        ).json()["token"]
        print(f"[{backend}] pulling ...", flush=True)
        pulled, pull_rate, served_rate = _pull_rate(url, token)
        raw_rate = _raw_rate(database_url, loaded)
        assert pulled == loaded, (pulled, loaded)
        print(f"[{backend}] pushing ...", flush=True)
        push_1 = _push_latencies(url, token, clients=1, pushes=30)
        push_50 = _push_latencies(url, token, clients=50, pushes=4)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return Figures(backend, loaded, pull_rate, served_rate, raw_rate, push_1, push_50)


def _postgres_schema(url: str) -> tuple[str, str]:
    """A fresh schema in the database at ``url``: (URL using it, schema name)."""
    schema = "bench_" + secrets.token_hex(4)
    engine = Database(url, pool_size=1, max_overflow=0).engine
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}", schema


def _drop_schema(url: str, schema: str) -> None:
    engine = Database(url, pool_size=1, max_overflow=0).engine
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def run_bench(*, postgres_url: str | None, records: int) -> int:
    postgres_url = postgres_url or os.environ.get("SECTIONDESK_BENCH_PG_URL")
    work = Path(tempfile.mkdtemp(prefix="sectiondesk-bench-"))
    figures = []
    try:
        figures.append(bench_backend("sqlite", f"sqlite:///{work / 'bench.db'}", records, work))
        if postgres_url:
            url, schema = _postgres_schema(postgres_url)
            try:
                figures.append(bench_backend("postgresql", url, records, work))
            finally:
                _drop_schema(postgres_url, schema)
        else:
            print("PostgreSQL skipped: give --postgres URL or SECTIONDESK_BENCH_PG_URL.")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(
        f"{'backend':<11} {'records':>8} {'pull rec/s':>11} {'served':>8} {'raw rec/s':>11} "
        f"{'ratio':>6} {'served':>6} "
        f"{'push p50/p95 (1 client)':>24} {'push p50/p95 (50 clients)':>26}"
    )
    for f in figures:
        print(
            f"{f.backend:<11} {f.records:>8} {f.pull_rate:>11,.0f} {f.served_rate:>8,.0f} "
            f"{f.raw_rate:>11,.0f} {f.pull_rate / f.raw_rate:>6.2f} "
            f"{f.served_rate / f.raw_rate:>6.2f} "
            f"{f.push_1[0] * 1000:>10.0f} / {f.push_1[1] * 1000:>5.0f} ms "
            f"{f.push_50[0] * 1000:>12.0f} / {f.push_50[1] * 1000:>5.0f} ms"
        )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sync.server.bench", description=__doc__)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database to use")
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args(argv)
    return run_bench(postgres_url=args.postgres, records=args.records)


if __name__ == "__main__":
    sys.exit(main())
