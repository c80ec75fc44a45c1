"""Overlap heatmap: hours of duplicate paid spend by market and week.

Built on ``desktop.rules.overlap`` (the same pairs the ops board warns about): the hours two paid
bursts spend in the same market at the same time, summed per market and ISO week (UTC).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd

from desktop.reports.frames import TIME_FORMAT, Frames
from desktop.reports.model import Chart, Report, Table
from desktop.rules.overlap import duplicate_spend_hours, find_overlaps

NAME = "overlap"
TITLE = "Duplicate paid spend"


def _entries(frames: Frames) -> list[dict[str, Any]]:
    entries = frames.entries[frames.entries["kind"] == "paid_burst"]
    out = []
    for row in entries.itertuples(index=False):
        out.append(
            {
                "id": row.id,
                "kind": row.kind,
                "market": row.market if isinstance(row.market, str) else None,
                "status": row.status,
                "parent_id": row.parent_id if isinstance(row.parent_id, str) else None,
                "starts_at": None
                if pd.isna(row.starts_at)
                else row.starts_at.strftime(TIME_FORMAT),
                "ends_at": None if pd.isna(row.ends_at) else row.ends_at.strftime(TIME_FORMAT),
            }
        )
    return out


def build(frames: Frames, *, now: datetime) -> Report:
    overlaps = find_overlaps(_entries(frames))
    hours = duplicate_spend_hours(overlaps)
    titles = dict(
        zip(frames.entries["id"], frames.entries["title"].fillna("(no title)"), strict=True)
    )
    if hours:
        series = pd.Series(hours)
        heat = series.unstack(fill_value=0.0).sort_index().round(1)
        heat.index = heat.index.str.upper()
        heat = heat.reindex(columns=sorted(heat.columns))
    else:
        heat = pd.DataFrame()
    heat.index.name = "Market"
    heat.columns.name = None
    pairs = pd.DataFrame(
        [
            {
                "Entry ID": o.second_id,
                "Market": o.market.upper(),
                "Burst": titles.get(o.first_id, o.first_id),
                "Overlaps with": titles.get(o.second_id, o.second_id),
                "From (UTC)": o.starts_at.strftime("%Y-%m-%d %H:%M"),
                "To (UTC)": o.ends_at.strftime("%Y-%m-%d %H:%M"),
                "Hours": round(o.hours, 1),
            }
            for o in overlaps
        ],
        columns=["Entry ID", "Market", "Burst", "Overlaps with", "From (UTC)", "To (UTC)", "Hours"],
    )
    table = heat.reset_index() if not heat.empty else pd.DataFrame(columns=["Market"])
    total = sum(hours.values())
    return Report(
        name=NAME,
        title=TITLE,
        description=(
            "Hours in which two paid bursts spend in the same market at the same time (a local "
            "burst overlapping another or a central one), by market and ISO week."
        ),
        generated_at=now,
        charts=(
            Chart(
                "heatmap",
                "Hours of duplicate paid spend, market by week",
                heat,
                y_label="hours",
                empty_text="No paid bursts overlap.",
                value_format="{:.0f}",
            ),
        ),
        tables=(
            Table("Hours by market and week", table),
            Table("Overlapping bursts", pairs, "calendar_entry", "Entry ID"),
        ),
        notes=(f"{total:.0f} hours of duplicate paid spend in {len(overlaps)} overlap(s).",),
    )
