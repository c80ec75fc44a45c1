"""``python -m resources.demo --assets N --entries N``: make a workspace, report counts, time.

It plans the workspace, renders its distinct files (``records()`` would do the same on first
use), iterates every record once and fetches every file's bytes; with ``--validate`` it also
checks each record's data against ``desktop.domain.records``. Times are wall-clock seconds; files
rendered earlier in the same process are not rendered again.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date

from resources.demo.workspace import generate_workspace


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m resources.demo", description="Generate the demo workspace and time it."
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--assets", type=int, default=200)
    parser.add_argument("--entries", type=int, default=300)
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    parser.add_argument("--validate", action="store_true", help="validate every record's data")
    args = parser.parse_args(argv)
    if args.assets < 0 or args.entries < 0:
        parser.error("--assets and --entries must be zero or more")

    started = time.perf_counter()
    workspace = generate_workspace(
        seed=args.seed, assets=args.assets, entries=args.entries, today=args.today
    )
    planned = time.perf_counter()
    shas = workspace.blob_shas()
    rendered = time.perf_counter()
    seen: Counter[str] = Counter()
    for record in workspace.records():
        seen[record.type] += 1
    iterated = time.perf_counter()
    total_bytes = sum(len(workspace.blob(sha)) for sha in shas)
    fetched = time.perf_counter()

    print(f"demo workspace seed={args.seed} today={workspace.today.isoformat()}")
    for record_type, count in workspace.counts.items():
        print(f"  {record_type:<22} {count:>8}")
    print(f"  {'distinct files':<22} {len(shas):>8}  ({total_bytes / 1_048_576:.1f} MiB)")
    print(f"plan      {planned - started:8.2f} s")
    print(f"files     {rendered - planned:8.2f} s  (render the distinct files)")
    print(f"records   {iterated - rendered:8.2f} s  (iterate every record)")
    print(f"blobs     {fetched - iterated:8.2f} s  (fetch every file's bytes)")
    print(f"total     {fetched - started:8.2f} s")
    if dict(seen) != workspace.counts:
        print(f"counts differ from the records: {dict(seen)}", file=sys.stderr)
        return 1
    if args.validate:
        from desktop.domain.records import RecordError, validate_data

        check_started = time.perf_counter()
        for record in workspace.records():
            try:
                validate_data(record.type, record.data, create=True)
            except RecordError as exc:
                print(f"invalid {record.type} {record.id}: {exc}", file=sys.stderr)
                return 1
        print(f"validate  {time.perf_counter() - check_started:8.2f} s  (every record valid)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
