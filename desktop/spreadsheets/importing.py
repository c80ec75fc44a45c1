"""One entry point for planning an import of either kind, and the report as plain text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, Final

from desktop.progress import Progress
from desktop.services.changes import Actor
from desktop.spreadsheets.assets import plan_asset_import
from desktop.spreadsheets.calendar import plan_calendar_import
from desktop.spreadsheets.plan import ImportOptions, ImportPlan, RowResult
from desktop.spreadsheets.sources import Source

IMPORT_KINDS: Final = ("calendar", "assets")


def plan_import(
    store: Any,
    actor: Actor,
    kind: str,
    source: Source,
    options: ImportOptions,
    *,
    progress: Progress | None = None,
    now: datetime | None = None,
    drift_days: float = 2.0,
) -> ImportPlan:
    """The validation report of importing ``source`` as ``kind`` (calendar or assets)."""
    if kind == "calendar":
        return plan_calendar_import(
            store, actor, source, options, progress=progress, now=now, drift_days=drift_days
        )
    if kind == "assets":
        return plan_asset_import(store, actor, source, options, progress=progress, now=now)
    raise ValueError(f"{kind!r} cannot be imported; choose calendar or assets")


def short(value: Any, limit: int = 60) -> str:
    """A value for a one-line report: lists joined, long text cut, null as (empty)."""
    if value is None or value in ("", [], {}):
        return "(empty)"
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, dict):
        text = ", ".join(f"{k}: {short(v, 30)}" for k, v in value.items() if v not in (None, []))
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def row_lines(row: RowResult) -> Iterator[str]:
    """The report lines of one row: what it does, its changes, then its problems."""
    words = {"create": "new", "update": "update", "unchanged": "unchanged", "refused": "REFUSED"}
    yield f"Row {row.row}: {words[row.action]} - {row.label}"
    for change in row.changes:
        name = change.field.replace("_", " ")
        yield f"    {name}: {short(change.before)} -> {short(change.after)}"
    for problem in row.problems:
        marker = {"error": "error", "warning": "warning", "info": "note"}[problem.severity]
        yield f"    {marker}: {problem.text()}"


def report_lines(plan: ImportPlan, *, limit: int = 2_000) -> Iterator[str]:
    """The validation report as text: notes, every row with problems or changes, the summary.

    New and unchanged rows without problems are counted, not listed. At most ``limit`` rows are
    listed (the summary counts them all)."""
    yield from plan.notes
    listed = 0
    hidden = 0
    for row in plan.rows:
        if not row.problems and row.action in ("create", "unchanged"):
            continue
        if listed >= limit:
            hidden += 1
            continue
        listed += 1
        yield from row_lines(row)
    if hidden:
        yield f"... and {hidden:,} more rows with changes or problems."
    yield plan.summary()
    yield plan.verdict()
