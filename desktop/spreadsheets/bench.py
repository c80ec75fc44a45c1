"""Benchmark: import and export of N calendar entries (200,000 by default), beside pandas alone.

    python -m desktop.spreadsheets.bench [--rows 200000] [--formats csv,xlsx] [--profile FILE]

For each format it times, in the same run and on the same file:

- export: ``export_records`` from a store of N entries, against ``DataFrame.to_csv`` /
  ``to_excel`` writing the same cells;
- import: reading and checking every row (``plan_import``) and committing the plan
  (``commit``: one ``Workspace.apply``, one transaction), against ``pandas.read_csv`` /
  ``read_excel`` of the same file.

Ratios are Section Desk's time over pandas'. The stores are temporary; nothing else is touched.
"""

from __future__ import annotations

import argparse
import cProfile
import resource
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from desktop.services.changes import Actor
from desktop.services.workspace import Workspace
from desktop.spreadsheets.columns import column
from desktop.spreadsheets.export import export_records, record_rows
from desktop.spreadsheets.importing import plan_import
from desktop.spreadsheets.mappings import initial_options
from desktop.spreadsheets.plan import commit
from desktop.spreadsheets.sources import inspect
from desktop.store import records
from desktop.store.db import Store

T = TypeVar("T")
COLUMNS = (
    "title", "market", "campaign", "kind", "channel", "starts_at", "ends_at", "status", "caption",
    "utm_campaign",
)  # fmt: skip
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
LEAD = Actor(user_id=str(uuid.UUID(int=77)), role="section_lead", markets=("de", "fr"))


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def _globals() -> Iterator[dict[str, Any]]:
    from resources.demo import generate_workspace

    workspace = generate_workspace(today=date(2026, 11, 22), assets=0, entries=0)
    for record in workspace.records():
        if record.type in ("market", "brand", "campaign"):
            yield {
                "type": record.type, "id": record.id, "version": 1, "seq": 1,
                "updated_at": "2026-11-20T08:00:00Z", "updated_by": None, "deleted": False,
                "data": record.data,
            }  # fmt: skip


def _entries(count: int, campaigns: list[str]) -> Iterator[dict[str, Any]]:
    channels = ("instagram", "tiktok", "facebook", "linkedin", "x", "youtube")
    base = datetime(2027, 1, 4, 7, 0, tzinfo=UTC)
    for i in range(count):
        start = base + timedelta(minutes=15 * i)
        market = "de" if i % 2 else "fr"
        yield {
            "type": "calendar_entry",
            "id": str(uuid.UUID(int=10_000_000 + i)),
            "version": 1,
            "seq": i + 1,
            "updated_at": "2026-11-20T08:00:00Z",
            "updated_by": LEAD.user_id,
            "deleted": False,
            "data": {
                "campaign_id": campaigns[i % len(campaigns)],
                "kind": "organic_post" if i % 7 else "moment",
                "market": market,
                "channel": channels[i % len(channels)],
                "title": f"Post {i}: winter trails ({market.upper()})",
                "caption": f"Entry {i}: find your trail this winter; new routes every week.",
                "starts_at": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "status": "planned" if i % 3 else "draft",
                "asset_ids": [],
                "parent_id": None,
                "adapted_from_version": None,
                "owners": {},
                "utm_campaign": f"winter_{market}",
            },
        }


def _store(folder: Path, rows: int) -> Store:
    store = Store(folder)
    records.bulk_load(store.write, _globals())
    with store.read() as session:
        campaigns = [r.id for r in session.execute(records.table("campaign").select())]
    if rows:
        records.bulk_load(store.write, _entries(rows, campaigns), chunk=20_000)
    return store


def _pandas_write(frame: Any, path: Path, fmt: str) -> None:
    if fmt == "csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    else:
        frame.to_excel(path, index=False, engine="openpyxl")


def _pandas_read(path: Path, fmt: str) -> Any:
    import pandas as pd

    if fmt == "csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return pd.read_excel(path, dtype=str, engine="openpyxl")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(
    rows: int, formats: list[str], profile: Path | None
) -> tuple[list[tuple[str, float, float]], float]:
    """The timings (name, Section Desk, pandas) and the peak memory through the imports (MB),
    taken before the pandas baselines build their frames."""
    import pandas as pd

    work = Path(tempfile.mkdtemp(prefix="sectiondesk-bench-"))
    results: list[tuple[str, float, float]] = []
    ours_export: dict[str, float] = {}
    imports: dict[str, tuple[float, float]] = {}
    try:
        print(f"Making a store of {rows:,} calendar entries…", file=sys.stderr)
        source = _store(work / "source", rows)
        for fmt in formats:
            exported = work / f"calendar.{fmt}"
            print(f"{fmt}: export…", file=sys.stderr)
            _, ours_export[fmt] = timed(
                partial(export_records, source, "calendar", None, COLUMNS, exported, fmt)
            )
            print(f"{fmt}: import into an empty store…", file=sys.stderr)
            target = _store(work / f"target-{fmt}", 0)
            ws = Workspace(target, actor=LEAD, clock=lambda: NOW)
            spreadsheet = inspect(exported)
            options, _ = initial_options(target, "calendar", spreadsheet.header)
            profiler = cProfile.Profile() if profile is not None else None
            if profiler is not None:
                profiler.enable()
            plan, checking = timed(
                partial(plan_import, target, LEAD, "calendar", spreadsheet, options, now=NOW)
            )
            assert plan.can_import and len(plan.edits) == rows, plan.summary()
            _, writing = timed(partial(commit, ws, plan))
            if profiler is not None and profile is not None:
                profiler.disable()
                profiler.dump_stats(str(profile.with_suffix(f".{fmt}.prof")))
            imports[fmt] = (checking, writing)
            del plan, spreadsheet, ws
            target.close()
        import_peak = peak_mb()
        print("pandas alone…", file=sys.stderr)
        labels = [column("calendar", c).label for c in COLUMNS]
        frame = pd.DataFrame(list(record_rows(source, "calendar", None, COLUMNS)), columns=labels)
        exports: list[tuple[str, float, float]] = []
        for fmt in formats:
            _, theirs = timed(partial(_pandas_write, frame, work / f"pandas.{fmt}", fmt))
            exports.append((f"export {fmt}", ours_export[fmt], theirs))
            _, theirs = timed(partial(_pandas_read, work / f"calendar.{fmt}", fmt))
            checking, writing = imports[fmt]
            results.append((f"import {fmt}: read and check", checking, theirs))
            results.append((f"import {fmt}: commit (Workspace.apply)", writing, theirs))
            results.append((f"import {fmt}: total", checking + writing, theirs))
        source.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return exports + results, import_peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.spreadsheets.bench")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the imports here")
    args = parser.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f in ("csv", "xlsx")]
    results, import_peak = run(args.rows, formats, args.profile)
    print(f"\n{args.rows:,} calendar entries, {len(COLUMNS)} columns")
    print(f"{'operation':<44}{'Section Desk':>14}{'pandas alone':>14}{'ratio':>8}")
    for name, ours, theirs in results:
        print(f"{name:<44}{ours:>12.2f} s{theirs:>12.2f} s{ours / theirs:>7.1f}x")
    print(f"peak memory through the imports: {import_peak:,.0f} MB; whole run: {peak_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
