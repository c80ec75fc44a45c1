"""A local adaptation whose date drifts from the global plan it localizes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from desktop.rules._text import format_span, to_time
from desktop.rules.findings import Finding


def _days(value: float) -> str:
    return f"{value:g} day" if value == 1 else f"{value:g} days"


def check_drift(
    entry: dict[str, Any], parent: dict[str, Any], *, days: float = 2
) -> Finding | None:
    """``drift`` (warning) when the entry starts more than ``days`` days before or after its parent.

    Exactly ``days`` apart is not drift. Missing or unreadable start times give None.
    """
    start, planned = to_time(entry.get("starts_at")), to_time(parent.get("starts_at"))
    if start is None or planned is None:
        return None
    delta = start - planned
    if abs(delta) <= timedelta(days=days):
        return None
    direction = "later" if delta > timedelta(0) else "earlier"
    return Finding(
        "drift",
        "warning",
        "starts_at",
        f"This starts {format_span(delta)} {direction} than the global plan "
        f"(more than {_days(days)} apart).",
        {
            "days": delta.total_seconds() / 86400,
            "direction": direction,
            "allowed_days": days,
        },
    )
