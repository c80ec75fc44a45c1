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
from desktop.rules.overlap import duplicate_spend

NAME = "overlap"
TITLE = "Duplicate paid spend"


MOST_SHOWN = 200  # bursts listed in the table; the heatmap counts every one


def _entries(frames: Frames) -> list[dict[str, Any]]:
    bursts = frames.entries[frames.entries["kind"] == "paid_burst"]
    starts = bursts["starts_at"].dt.strftime(TIME_FORMAT)
    ends = bursts["ends_at"].dt.strftime(TIME_FORMAT)
    return [
        {
            "id": ident,
            "kind": "paid_burst",
            "market": market if isinstance(market, str) else None,
            "status": status,
            "parent_id": parent if isinstance(parent, str) else None,
            "starts_at": start if isinstance(start, str) else None,
            "ends_at": end if isinstance(end, str) else None,
        }
        for ident, market, status, parent, start, end in zip(
            bursts["id"],
            bursts["market"],
            bursts["status"],
            bursts["parent_id"],
            starts,
            ends,
            strict=True,
        )
    ]


def build(frames: Frames, *, now: datetime) -> Report:
    # A sweep, not a list of pairs: a large workspace can have hundreds of thousands of pairs.
    spend = duplicate_spend(_entries(frames))
    hours = spend.by_market_week
    if hours:
        series = pd.Series(hours)
        heat = series.unstack(fill_value=0.0).sort_index().round(1)
        heat.index = heat.index.str.upper()
        heat = heat.reindex(columns=sorted(heat.columns))
    else:
        heat = pd.DataFrame()
    heat.index.name = "Market"
    heat.columns.name = None
    entries = frames.entries.set_index("id")
    worst = sorted(spend.by_burst.items(), key=lambda item: (-item[1], item[0]))[:MOST_SHOWN]
    rows = []
    for ident, burst_hours in worst:
        entry = entries.loc[ident]
        market = entry["market"] if isinstance(entry["market"], str) else None
        rows.append(
            {
                "Entry ID": ident,
                "Market": market.upper() if market else "Global",
                "Burst": entry["title"] if isinstance(entry["title"], str) else "(no title)",
                "From (UTC)": entry["starts_at"].strftime("%Y-%m-%d %H:%M"),
                "To (UTC)": entry["ends_at"].strftime("%Y-%m-%d %H:%M"),
                "Most at once": spend.most_at_once.get(ident, 0),
                "Duplicate hours": round(burst_hours, 1),
            }
        )
    columns = ["Entry ID", "Market", "Burst", "From (UTC)", "To (UTC)", "Most at once",
               "Duplicate hours"]  # fmt: skip
    bursts = pd.DataFrame(rows, columns=columns)
    table = heat.reset_index() if not heat.empty else pd.DataFrame(columns=["Market"])
    total = sum(hours.values())
    overlapping = len(spend.by_burst)
    notes = [f"{total:.0f} hours of duplicate paid spend; {overlapping} burst(s) overlap others."]
    if overlapping > MOST_SHOWN:
        notes.append(f"The table shows the {MOST_SHOWN} bursts with the most duplicate spend.")
    return Report(
        name=NAME,
        title=TITLE,
        description=(
            "Hours in which two paid bursts spend in the same market at the same time (a local "
            "burst overlapping another or a central one), by market and ISO week; a local burst "
            "adapting a central one is not counted against it."
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
            Table("Bursts with the most duplicate spend", bursts, "calendar_entry", "Entry ID"),
        ),
        notes=tuple(notes),
    )
