"""``python -m ui.calendar.bench``: how fast the calendar is over a large local store.

Builds (once, in ``--folder``) a store of the demo workspace with ``--entries`` calendar entries
as the demo lead holds it, then measures, as medians over ``--repeat`` runs: the range read and
the layout of a week and of a month, the list's ids and its first page of rows, and the time
from a new CalendarView to its first drawn week and from a step to the next week (offscreen Qt).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

DEMO_TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _envelopes(entries: int, assets: int) -> tuple[Iterator[dict[str, Any]], Any]:
    from resources.demo import DEMO_LEAD, generate_workspace

    workspace = generate_workspace(today=DEMO_TODAY, assets=assets, entries=entries)
    lead = next(u for u in workspace.users if u.username == DEMO_LEAD)

    return workspace.envelopes(markets=lead.markets), lead


def build_store(folder: Path, *, entries: int, assets: int) -> Any:
    from desktop.store import records
    from desktop.store.db import DB_FILENAME, Store
    from desktop.store.models import SyncState

    marker = folder / f"built-{entries}-{assets}"
    if marker.exists() and (folder / DB_FILENAME).exists():
        return Store(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DB_FILENAME).unlink(missing_ok=True)
    store = Store(folder)
    envelopes, lead = _envelopes(entries, assets)
    started = time.perf_counter()
    count = records.bulk_load(store.write, envelopes, chunk=5_000)
    with store.write() as session:
        session.merge(
            SyncState(
                pk=1,
                client_id="00000000-0000-4000-8000-000000000001",
                username=lead.username,
                user_id=lead.id,
                display_name=lead.display_name,
                role=lead.role,
                markets=list(lead.markets),
                clock_offset_seconds=0.0,
            )
        )
    print(f"Loaded {count:,} records in {time.perf_counter() - started:.1f} s into {folder}")
    marker.touch()
    return store


def median_ms(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.calendar.bench", description=__doc__)
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--assets", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--folder", type=Path, default=Path(".bench") / "calendar")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from desktop.queries import calendar as queries
    from desktop.queries.calendar import EntryFilter
    from ui.calendar.layout import build_layout, period_days, utc_range

    store = build_store(args.folder, entries=args.entries, assets=args.assets)
    zone = ZoneInfo("Europe/Berlin")
    scope = EntryFilter(markets=("de", "fr"), include_global=True)
    with store.read() as session:
        total = session.connection().exec_driver_sql("SELECT count(*) FROM calendar_entries")
        print(f"{total.scalar():,} calendar entries in the local store")
        ms, lookback = median_ms(lambda: queries.longest_span_seconds(session), args.repeat)
        print(f"longest span (once per change of entries): {ms:8.1f} ms")
        for mode in ("week", "month"):
            days = period_days(mode, DEMO_TODAY)
            start, end = utc_range(days, zone)

            def read(start: str = start, end: str = end) -> Any:
                return queries.entries_in_range(
                    session, start=start, end=end, filters=scope, lookback_seconds=lookback
                )

            ms, rows = median_ms(read, args.repeat)
            print(f"{mode:5} range read: {ms:8.1f} ms ({len(rows):,} entries)")
            lanes = ["", "de", "fr"] if mode == "week" else []
            ms, layout = median_ms(
                partial(build_layout, mode=mode, days=days, lanes=lanes, rows=rows, zone=zone),
                args.repeat,
            )
            print(f"{mode:5} layout:     {ms:8.1f} ms ({layout.total:,} placed)")
            ms, ids = median_ms(
                partial(
                    queries.entry_ids_in_range,
                    session,
                    start=start,
                    end=end,
                    filters=scope,
                    lookback_seconds=lookback,
                ),
                args.repeat,
            )
            print(f"{mode:5} list ids:   {ms:8.1f} ms ({len(ids):,} ids)")
            ms, _page = median_ms(partial(queries.entry_rows, session, ids[:100]), 5)
            print(f"{mode:5} list page:  {ms:8.1f} ms (100 rows)")

    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from sync.client.auth import TokenStore
    from ui.calendar.view import CalendarView
    from ui.context import make_context

    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = QSettings(str(args.folder / "bench.ini"), QSettings.Format.IniFormat)
    ctx = make_context(store, settings, tokens=TokenStore())

    def until_loaded(view: CalendarView, action: Callable[[], Any]) -> float:
        loop = QEventLoop()
        view.loaded.connect(loop.quit)
        started = time.perf_counter()
        action()
        QTimer.singleShot(30_000, loop.quit)
        loop.exec()
        view.loaded.disconnect(loop.quit)
        return (time.perf_counter() - started) * 1000

    first = []
    holder: list[CalendarView] = []
    for _ in range(args.repeat):

        def create() -> None:
            view = CalendarView(ctx, clock=lambda: NOW)
            view.resize(1400, 900)
            view.show()
            holder.append(view)

        loop = QEventLoop()
        started = time.perf_counter()
        create()
        holder[-1].loaded.connect(loop.quit)
        QTimer.singleShot(30_000, loop.quit)
        loop.exec()
        app.processEvents()
        first.append((time.perf_counter() - started) * 1000)
        holder[-1].close()
    print(f"a new calendar view to its first week, drawn:    {statistics.median(first):8.1f} ms")
    view = holder[-1]
    view.show()
    # Back and forth, so every step lands on a busy period of the demo plan.
    steps = [until_loaded(view, partial(view.step, 1 if i % 2 else -1)) for i in range(args.repeat)]
    print(f"another week, read in the background and drawn:  {statistics.median(steps):8.1f} ms")
    until_loaded(view, partial(view.set_mode, "month"))
    steps = [until_loaded(view, partial(view.step, 1 if i % 2 else -1)) for i in range(args.repeat)]
    print(f"another month, read in the background and drawn: {statistics.median(steps):8.1f} ms")
    ctx.ops.wait_all()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
