"""``python -m ui.bench``: the app's speed with 100,000 assets and 50,000 entries in the store.

Each figure is measured in fresh processes, next to a raw baseline measured in the same run on
the same machine, and reported with their ratio:

- start to a usable window: process start until the ops board has painted its first sections
  (the due items; the cross-record warnings follow on a worker), against a bare PySide6 process
  that shows one QLabel (``python -c 'QApplication; QLabel().show()'``) until its first paint;
- peak memory (RSS) of that app process after it has opened every section and searched, against
  the bare process's;
- search-as-you-type, per keystroke: what the asset grid runs for one typed prefix (a keyset
  page of ids from ``desktop.queries.assets.search_asset_ids``, then their rows and stale marks),
  against the raw FTS5 query in plain sqlite3 (``SELECT rowid ... MATCH ? LIMIT 200``);
- the ops board's two reads, against a raw ``count(*)`` over the entries.

The store is built once (``--rebuild`` builds it again) from the demo generator's records, all
markets (a conductor's view, so the counts are exact), in the user cache folder or ``--store``;
it belongs to the demo section lead (DE, FR), with nobody signed in, so nothing syncs. Qt runs
offscreen unless a display is set.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

ASSETS: Final = 100_000
ENTRIES: Final = 50_000
TYPED: Final = ("summit trail", "rain ready hero", "citrus wave story", "night hike portrait")
GOALS: Final = {"start": 1.5, "rss": 400.0, "search": 50.0}


def default_store() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("section-desk", appauthor=False)) / "bench-100k"


# --- the store ------------------------------------------------------------------------------


def build_store(folder: Path, *, assets: int = ASSETS, entries: int = ENTRIES) -> dict[str, Any]:
    """Build (or reuse) the benchmark store; returns its description."""
    import shutil

    from desktop.store.migrations import HEAD

    marker = folder / "bench.json"
    if marker.exists():
        info: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
        wanted = (assets, entries, HEAD)
        if (info.get("assets"), info.get("entries"), info.get("schema")) == wanted:
            return info
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    from desktop.store import records
    from desktop.store.db import Store
    from desktop.store.models import SyncState
    from resources.demo import DEMO_LEAD, generate_workspace

    print(f"Building the benchmark store in {folder} (once; a few minutes)…", flush=True)
    started = time.perf_counter()
    store = Store(folder)
    try:
        workspace = generate_workspace(assets=assets, entries=entries)
        loaded = records.bulk_load(store.write, workspace.envelopes(), chunk=5_000)
        lead = workspace.user(DEMO_LEAD)
        with store.write() as session:
            session.merge(
                SyncState(
                    pk=1,
                    client_id="00000000-0000-4000-8000-0000000000be",
                    server_url=None,
                    username=lead.username,
                    user_id=lead.id,
                    display_name=lead.display_name,
                    role=lead.role,
                    markets=list(lead.markets),
                    cursor=None,
                    clock_offset_seconds=0.0,
                )
            )
    finally:
        store.close()
    info = {
        "assets": assets,
        "entries": entries,
        "records": loaded,
        "built_on": datetime.now(UTC).date().isoformat(),
        "schema": HEAD,
        "seconds": round(time.perf_counter() - started, 1),
    }
    marker.write_text(json.dumps(info), encoding="utf-8")
    return info


# --- the children ---------------------------------------------------------------------------

RAW_START: Final = """
import resource, sys

def _rss_mb():
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / (1024 * 1024)

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

class Label(QLabel):
    def paintEvent(self, event):
        super().paintEvent(event)
        if not getattr(self, "done", False):
            self.done = True
            print("PAINTED", flush=True)
            QTimer.singleShot(0, app.quit)

app = QApplication(sys.argv[:1])
label = Label("Section Desk")
label.show()
app.exec()
print("RSS", _rss_mb(), flush=True)
"""


# What any app on this stack pays before its first line runs: the libraries, imported.
IMPORTS_ONLY: Final = """
import sqlalchemy, sqlalchemy.orm, pydantic, requests, PySide6.QtWidgets
print("PAINTED", flush=True)
"""


def _rss_mb() -> float:
    """This process's peak resident memory. On Linux VmHWM (ru_maxrss would start from the
    parent's peak: it survives fork and exec)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / (1024 * 1024)


def child_app(data_dir: Path) -> int:
    """The app as ``sectiondesk`` starts it; says PAINTED when the ops board is on screen, then
    opens every section and searches, and reports its figures and its peak memory."""
    import tempfile

    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from ui.app import make_app, open_context
    from ui.main_window import MainWindow

    make_app()
    # Fresh window settings: every run starts on the ops board, as a first start does.
    settings_dir = Path(tempfile.mkdtemp(prefix="sectiondesk-bench-"))
    ctx = open_context(
        data_dir, settings=QSettings(str(settings_dir / "settings.ini"), QSettings.Format.IniFormat)
    )
    window = MainWindow(ctx, start_sync=False)
    ops = window.views["ops"]
    marks: dict[str, float] = {}

    def painted() -> None:
        if "painted" not in marks:
            marks["painted"] = time.perf_counter()
            print("PAINTED", flush=True)

    ops.loaded.connect(painted)  # type: ignore[attr-defined]
    ops.warnings_loaded.connect(  # type: ignore[attr-defined]
        lambda: marks.setdefault("warnings", time.perf_counter())
    )
    window.resize(1440, 900)
    window.show()
    loop = QEventLoop()

    def wait_for(key: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while key not in marks and time.monotonic() < deadline:
            QTimer.singleShot(20, loop.quit)
            loop.exec()

    def settle(ms: int) -> None:
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    wait_for("painted")
    wait_for("warnings")
    rss = {"board": _rss_mb()}
    visited = []

    def visit(key: str) -> None:
        started = time.perf_counter()
        window.show_section(key)
        settle(400)
        ctx.ops.wait_all(120_000)
        settle(200)
        visited.append((key, round(time.perf_counter() - started - 0.6, 3)))

    for key in ("calendar", "assets", "requests", "conflicts"):
        visit(key)
    view = window.views.get("assets")
    search = getattr(view, "search", None)
    if search is not None and hasattr(search, "setText"):
        window.show_section("assets")
        for typed in TYPED:
            for n in range(1, len(typed) + 1):
                search.setText(typed[:n])
                settle(5)
        settle(500)
        ctx.ops.wait_all(30_000)
    rss["views"] = _rss_mb()
    visit("reports")
    rss["reports"] = _rss_mb()
    print(
        "APP "
        + json.dumps(
            {
                "warnings_after_paint": marks.get("warnings", 0) - marks.get("painted", 0),
                "sections": visited,
                "rss_mb": rss,
            }
        ),
        flush=True,
    )
    window.close()
    ctx.ops.wait_all(30_000)
    return 0


def _percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def child_queries(data_dir: Path) -> int:
    """Search per keystroke and the ops board's reads, each beside its raw sqlite3 baseline."""
    import sqlite3

    from desktop.queries import assets as queries
    from desktop.queries.ops import QUICK, WARNINGS, ops_board
    from desktop.store.db import DB_FILENAME, Store

    store = Store(data_dir)
    raw = sqlite3.connect(data_dir / DB_FILENAME)
    search_ms: list[float] = []
    raw_ms: list[float] = []
    prefixes = [t[:n] for t in TYPED for n in range(2, len(t) + 1)]
    for _round in range(3):
        for typed in prefixes:
            started = time.perf_counter()
            with store.read() as session:
                ids = queries.search_asset_ids(session, text=typed)
                queries.asset_rows(session, ids)
                queries.stale_asset_ids(session, ids)
            search_ms.append((time.perf_counter() - started) * 1000)
            fts = queries.fts_query(typed)
            started = time.perf_counter()
            if fts is not None:
                raw.execute(
                    "SELECT rowid FROM assets_fts WHERE assets_fts MATCH ? LIMIT 200", (fts,)
                ).fetchall()
            raw_ms.append((time.perf_counter() - started) * 1000)
    now = datetime.now(UTC)
    board: dict[str, float] = {}
    for name, sections in (("quick", QUICK), ("warnings", WARNINGS)):
        runs = []
        for _round in range(3):
            started = time.perf_counter()
            with store.read() as session:
                ops_board(session, markets=("de", "fr"), now=now, sections=sections)
            runs.append(time.perf_counter() - started)
        board[name] = statistics.median(runs)
    # The raw baseline: the core of "posts due" as one plain sqlite3 statement.
    start, end = (
        now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        (now + timedelta(hours=48)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    runs = []
    for _round in range(3):
        started = time.perf_counter()
        raw.execute(
            "SELECT id, title, channel, starts_at, status FROM calendar_entries "
            "WHERE market IN ('de', 'fr') AND kind = 'organic_post' AND starts_at >= ? "
            "AND starts_at < ? ORDER BY starts_at LIMIT 100",
            (start, end),
        ).fetchall()
        runs.append(time.perf_counter() - started)
    board["raw_count"] = statistics.median(runs)
    print(
        "QUERIES "
        + json.dumps(
            {
                "search_p50": statistics.median(search_ms),
                "search_p95": _percentile(search_ms, 0.95),
                "raw_p50": statistics.median(raw_ms),
                "raw_p95": _percentile(raw_ms, 0.95),
                "keystrokes": len(search_ms),
                "board": board,
            }
        ),
        flush=True,
    )
    raw.close()
    store.close()
    return 0


# --- the parent -----------------------------------------------------------------------------


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _timed(command: list[str], timeout: float = 300) -> tuple[float, list[str]]:
    """Seconds from process start to its PAINTED line, and all its output lines."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_env()
    )
    assert process.stdout is not None
    seen: float | None = None
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith("PAINTED") and seen is None:
            seen = time.perf_counter() - started
    process.wait(timeout)
    if process.returncode != 0 or seen is None:
        raise RuntimeError(f"{' '.join(command[:4])}… failed:\n" + "\n".join(lines[-30:]))
    return seen, lines


def _value(lines: list[str], tag: str) -> Any:
    for line in lines:
        if line.startswith(tag + " "):
            return json.loads(line[len(tag) + 1 :])
    raise RuntimeError(f"no {tag} line in:\n" + "\n".join(lines[-30:]))


def run(
    store_dir: Path,
    *,
    runs: int,
    rebuild: bool,
    assets: int = ASSETS,
    entries: int = ENTRIES,
) -> dict[str, Any]:
    if rebuild:
        (store_dir / "bench.json").unlink(missing_ok=True)
    info = build_store(store_dir, assets=assets, entries=entries)
    raw_starts, raw_rss, app_starts, app_figures, import_starts = [], [], [], [], []
    for _run in range(runs):
        seconds, _lines = _timed([sys.executable, "-c", IMPORTS_ONLY])
        import_starts.append(seconds)
        seconds, lines = _timed([sys.executable, "-c", RAW_START])
        raw_starts.append(seconds)
        raw_rss.append(float(_value(lines, "RSS")))
        seconds, lines = _timed([sys.executable, "-m", "ui.bench", "child-app", str(store_dir)])
        app_starts.append(seconds)
        app_figures.append(_value(lines, "APP"))
    _, lines = _timed(
        [sys.executable, "-c", "print('PAINTED')"], timeout=10
    )  # warm the interpreter's file cache equally for the query child
    query_process = subprocess.run(
        [sys.executable, "-m", "ui.bench", "child-queries", str(store_dir)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=600,
        check=False,
    )
    if query_process.returncode != 0:
        raise RuntimeError("the query benchmark failed:\n" + query_process.stdout[-3000:])
    queries = _value(query_process.stdout.splitlines(), "QUERIES")
    return {
        "store": str(store_dir),
        "info": info,
        "runs": runs,
        "platform": _env().get("QT_QPA_PLATFORM", "default display"),
        "start_app": statistics.median(app_starts),
        "start_raw": statistics.median(raw_starts),
        "start_imports": statistics.median(import_starts),
        "rss_board": max(f["rss_mb"]["board"] for f in app_figures),
        "rss_views": max(f["rss_mb"]["views"] for f in app_figures),
        "rss_app": max(f["rss_mb"]["reports"] for f in app_figures),
        "rss_raw": max(raw_rss),
        "warnings_after_paint": statistics.median(f["warnings_after_paint"] for f in app_figures),
        "sections": app_figures[-1]["sections"],
        **queries,
    }


def report(r: dict[str, Any]) -> str:
    board = r["board"]
    rows = [
        (
            "start to usable window",
            f"{r['start_app']:.2f} s",
            f"{r['start_raw']:.2f} s (bare QLabel)",
            r["start_app"] / r["start_raw"],
            f"< {GOALS['start']} s",
            r["start_app"] < GOALS["start"],
        ),
        (
            "start, libraries imported only",
            f"{r['start_imports']:.2f} s",
            f"{r['start_raw']:.2f} s (bare QLabel)",
            r["start_imports"] / r["start_raw"],
            "",
            True,
        ),
        (
            "peak memory, ops board shown",
            f"{r['rss_board']:.0f} MB",
            f"{r['rss_raw']:.0f} MB (bare QLabel)",
            r["rss_board"] / r["rss_raw"],
            f"< {GOALS['rss']:.0f} MB",
            r["rss_board"] < GOALS["rss"],
        ),
        (
            "peak memory, + 4 views, search",
            f"{r['rss_views']:.0f} MB",
            f"{r['rss_raw']:.0f} MB (bare QLabel)",
            r["rss_views"] / r["rss_raw"],
            f"< {GOALS['rss']:.0f} MB",
            r["rss_views"] < GOALS["rss"],
        ),
        (
            "peak memory, + reports",
            f"{r['rss_app']:.0f} MB",
            f"{r['rss_raw']:.0f} MB (bare QLabel)",
            r["rss_app"] / r["rss_raw"],
            f"< {GOALS['rss']:.0f} MB",
            r["rss_app"] < GOALS["rss"],
        ),
        (
            "search per keystroke, median",
            f"{r['search_p50']:.1f} ms",
            f"{r['raw_p50']:.2f} ms (raw FTS5)",
            r["search_p50"] / max(r["raw_p50"], 1e-6),
            f"< {GOALS['search']:.0f} ms",
            r["search_p50"] < GOALS["search"],
        ),
        (
            "search per keystroke, 95th pct",
            f"{r['search_p95']:.1f} ms",
            f"{r['raw_p95']:.2f} ms (raw FTS5)",
            r["search_p95"] / max(r["raw_p95"], 1e-6),
            f"< {GOALS['search']:.0f} ms",
            r["search_p95"] < GOALS["search"],
        ),
        (
            "ops board, first read",
            f"{board['quick'] * 1000:.0f} ms",
            f"{board['raw_count'] * 1000:.1f} ms (raw posts-due SQL)",
            board["quick"] / max(board["raw_count"], 1e-6),
            "on a worker",
            True,
        ),
        (
            "ops board, second read",
            f"{board['warnings'] * 1000:.0f} ms",
            f"{board['raw_count'] * 1000:.1f} ms (raw posts-due SQL)",
            board["warnings"] / max(board["raw_count"], 1e-6),
            "on a worker",
            True,
        ),
    ]
    info = r["info"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"Section Desk UI benchmark: {info['assets']:,} assets, {info['entries']:,} entries "
        f"({info['records']:,} records) in {r['store']}",
        f"Qt platform: {r['platform']}; start and memory: median and peak of {r['runs']} run(s); "
        f"search: {r['keystrokes']} keystrokes; load average at the end {load:.1f} on "
        f"{os.cpu_count()} CPUs",
        "",
        f"{'measure':<32}{'app':>11}   {'baseline':<30}{'ratio':>7}   {'goal':<12}",
    ]
    for name, app, base, ratio, goal, ok in rows:
        mark = ("ok" if ok else "MISSED") if goal else ""
        lines.append(f"{name:<32}{app:>11}   {base:<30}{ratio:>6.1f}x   {goal:<12}{mark}")
    lines.append("")
    lines.append(
        "The second read (rights, embargoes, overlap, drift, stale) is on screen "
        f"{r['warnings_after_paint']:.2f} s after the first paint."
    )
    lines.append(
        "Opening each section the first time (s): "
        + ", ".join(f"{k} {v:.2f}" for k, v in r["sections"])
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "child-app":
        return child_app(Path(args[1]))
    if args and args[0] == "child-queries":
        return child_queries(Path(args[1]))
    parser = argparse.ArgumentParser(prog="python -m ui.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=None, help="where the store is kept")
    parser.add_argument("--assets", type=int, default=ASSETS, help="assets in the store")
    parser.add_argument("--entries", type=int, default=ENTRIES, help="entries in the store")
    parser.add_argument("--runs", type=int, default=3, help="start-up runs (median is shown)")
    parser.add_argument("--rebuild", action="store_true", help="build the store again")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    options = parser.parse_args(args)
    results = run(
        options.store or default_store(),
        runs=max(1, options.runs),
        rebuild=options.rebuild,
        assets=options.assets,
        entries=options.entries,
    )
    print(report(results))
    if options.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
