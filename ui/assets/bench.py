"""Asset bank benchmark: search-as-you-type and grid paging on a 100,000-asset store.

    python -m ui.assets.bench [--assets 100000] [--data-dir DIR] [--keep]

Builds the store from the demo generator (or reuses ``--data-dir`` if it already holds one), then:

- per keystroke, for phrases typed letter by letter: ``desktop.queries.assets.search_asset_ids``
  (one page of 200 ids), and the grid model's whole reaction (``AssetTableModel.set_query``:
  search, the page's rows, the stale check), with p50/p95; beside them, as the baseline, a raw
  ``sqlite3`` FTS5 ``MATCH`` of the same term (``LIMIT 200``) in the same run;
- grid scrolling: ``AssetTableModel.fetchMore`` per page of 200 (p50/p95);
- facet counts (read on a worker thread in the app) for no search and for a search.

The target is under 50 ms a keystroke; thumbnails are not part of it (they decode off the GUI
thread).
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

PHRASES = ("summit trail", "rain ready de", "square", "bottle citrus", "zzz")
TODAY = date(2026, 11, 22)


def envelopes(assets: int) -> Iterator[dict[str, Any]]:
    from resources.demo import generate_workspace

    return generate_workspace(assets=assets, entries=500, today=TODAY).envelopes()


def build(folder: Path, assets: int) -> Any:
    from sqlalchemy import text

    from desktop.store import records
    from desktop.store.db import Store

    store = Store(folder)
    with store.read() as session:
        have = int(session.execute(text("SELECT count(*) FROM assets")).scalar_one())
    if have < assets:
        started = time.perf_counter()
        print(f"Building a store of {assets:,} assets in {folder} …", flush=True)
        records.bulk_load(store.write, envelopes(assets))
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    return store


def _fetch_all(connection: sqlite3.Connection, sql: str, params: tuple[str, ...]) -> None:
    connection.execute(sql, params).fetchall()


def keystrokes(phrase: str) -> list[str]:
    return [phrase[:n] for n in range(1, len(phrase) + 1)]


def timed(fn: Callable[[], Any], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def line(label: str, values: list[float]) -> str:
    return (
        f"  {label:<44} p50 {statistics.median(values):7.2f} ms   p95 {pct(values, 95):7.2f} ms"
        f"   max {max(values):7.2f} ms"
    )


def run(store: Any) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop.queries import assets as queries
    from ui.assets.models import AssetTableModel
    from ui.assets.thumbs import ThumbnailCache

    app = QApplication.instance() or QApplication(sys.argv[:1])
    raw = sqlite3.connect(store.path)
    raw.execute("PRAGMA cache_size=-32000")
    typed = [k for phrase in PHRASES for k in keystrokes(phrase)]
    ours: list[float] = []
    model_ms: list[float] = []
    baseline: list[float] = []
    thumbs = ThumbnailCache()
    model = AssetTableModel(store, thumbs, today=TODAY)
    with store.read() as session:
        # Warm the page cache once, as a lead's first search would.
        queries.search_asset_ids(session, text="warm", today=TODAY)
        for text in typed:
            search = functools.partial(queries.search_asset_ids, session, text=text, today=TODAY)
            ours.append(timed(search))
            query = queries.fts_query(text)
            params: tuple[str, ...]
            if query is None:
                sql, params = "SELECT id FROM assets ORDER BY name LIMIT 200", ()
            else:
                sql = "SELECT rowid FROM assets_fts WHERE assets_fts MATCH ? LIMIT 200"
                params = (query,)
            baseline.append(timed(functools.partial(_fetch_all, raw, sql, params)))
    for text in typed:
        model_ms.append(timed(functools.partial(model.set_query, text, {}), repeat=1))
    print(f"\nSearch as you type: {len(typed)} keystrokes over {', '.join(map(repr, PHRASES))}")
    print(line("search_asset_ids (one page of 200)", ours))
    print(line("grid model's reaction (search + rows)", model_ms))
    print(line("baseline: raw sqlite3 FTS5 MATCH, LIMIT 200", baseline))
    ratio = statistics.median(ours) / max(statistics.median(baseline), 1e-6)
    print(f"  ratio (ours / baseline, p50): {ratio:.1f}×")
    slow = [(t, m) for t, m in zip(typed, model_ms, strict=True) if m >= 50]
    print(f"  keystrokes at or over 50 ms (grid model): {len(slow)} {slow[:5]}")
    print("  per keystroke (grid model, ms):")
    for phrase in PHRASES:
        keys = keystrokes(phrase)
        values = [model_ms[typed.index(k)] for k in keys]
        print("    " + "  ".join(f"{k!r}:{v:.1f}" for k, v in zip(keys, values, strict=True)))

    model.set_query("", {})
    pages: list[float] = []
    for _ in range(50):
        started = time.perf_counter()
        model.fetchMore()
        pages.append((time.perf_counter() - started) * 1000)
        app.processEvents()
    print(f"\nGrid scrolling: {len(pages)} pages of 200 (rows loaded: {model.rowCount():,})")
    print(line("AssetTableModel.fetchMore, one page", pages))

    with store.read() as session:
        facet_none = timed(lambda: queries.facet_counts(session, today=TODAY), repeat=2)
        facet_text = timed(
            lambda: queries.facet_counts(session, text="summit", today=TODAY), repeat=2
        )
        count_all = timed(lambda: queries.count_assets(session), repeat=2)
    print("\nOn a worker thread (not per keystroke):")
    print(f"  facet_counts, no search:        {facet_none:8.1f} ms")
    print(f"  facet_counts, 'summit':         {facet_text:8.1f} ms")
    print(f"  count_assets, no search:        {count_all:8.1f} ms")
    thumbs.wait()
    raw.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.assets.bench", description=__doc__)
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--data-dir", help="reuse (or build once into) this folder")
    parser.add_argument("--keep", action="store_true", help="keep the temporary store")
    args = parser.parse_args(argv)
    folder = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="assets-"))
    try:
        store = build(folder, args.assets)
        run(store)
        store.close()
    finally:
        if not args.data_dir and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
