"""Adaptation coverage: which global entries each market has adapted, and which adaptations are
stale.

Decisions where the issue is silent: the global entries counted are those not cancelled; a market
has adapted one when an entry of that market names it as ``parent_id``. The markets are those the
store holds local entries for (a lead's store holds its own markets). An adaptation is stale when
its master's version is past ``adapted_from_version`` and, where the master's earlier state is
known, a field it adapted changed (``desktop.rules.stale``).
"""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd

from desktop.reports.frames import Frames
from desktop.reports.model import Chart, Report, Table
from desktop.rules.stale import check_stale

NAME = "adaptation"
TITLE = "Adaptation coverage"
ADAPTED_FIELDS = ("title", "caption", "starts_at", "ends_at", "asset_ids", "channel", "kind")


def _clean(value: object, field: str = "") -> object:
    if field == "asset_ids" and isinstance(value, str):
        return json.loads(value)  # the frames keep it as JSON text
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def build(frames: Frames, *, now: datetime) -> Report:
    entries = frames.entries
    globals_ = entries[entries["market"].isna() & (entries["status"] != "cancelled")]
    local = entries[entries["market"].notna()]
    adaptations = local[local["parent_id"].isin(set(globals_["id"]))]
    masters = globals_.set_index("id")
    # Only an adaptation whose master moved on since can be stale: pick those first (vectorized),
    # then ask the rule about each of them (a large store has tens of thousands of adaptations).
    master_version = adaptations["parent_id"].map(masters["version"])
    behind = adaptations[
        adaptations["adapted_from_version"].notna()
        & (master_version > adaptations["adapted_from_version"])
    ]
    master_rows = masters.loc[behind["parent_id"].unique()].to_dict("index")
    stale_rows = []
    for row in behind.itertuples(index=False):
        master = master_rows[row.parent_id]
        version = row.adapted_from_version
        then = frames.history.get((row.parent_id, int(version))) if pd.notna(version) else None
        now_data = {f: _clean(master[f], f) for f in ADAPTED_FIELDS}
        finding = check_stale(
            adapted_from_version=int(version) if pd.notna(version) else None,
            master_version=int(master["version"]),
            master_then=then,
            master_now=now_data,
            fields=ADAPTED_FIELDS,
        )
        if finding is not None:
            stale_rows.append(
                {
                    "Entry ID": row.id,
                    "Entry": row.title or "(no title)",
                    "Market": str(row.market).upper(),
                    "Adapted from version": int(version),
                    "Global version": int(master["version"]),
                    "What changed": ", ".join(
                        f.replace("_", " ") for f in finding.details.get("changed_fields", [])
                    )
                    or "(compare with the global version)",
                }
            )
    stale = pd.DataFrame(
        stale_rows,
        columns=[
            "Entry ID", "Entry", "Market", "Adapted from version", "Global version",
            "What changed",
        ],
    )  # fmt: skip
    markets = sorted(local["market"].dropna().unique())
    total = len(globals_)
    rows = []
    for market in markets:
        mine = adaptations[adaptations["market"] == market]
        adapted = mine["parent_id"].nunique()
        stale_count = int((stale["Market"] == market.upper()).sum())
        rows.append(
            {
                "Market": market.upper(),
                "Global entries": total,
                "Adapted": adapted,
                "Coverage %": round(100 * adapted / total) if total else 0,
                "Stale": stale_count,
            }
        )
    coverage = pd.DataFrame(
        rows, columns=["Market", "Global entries", "Adapted", "Coverage %", "Stale"]
    )
    chart = pd.DataFrame(
        {
            "Adapted, up to date": coverage["Adapted"] - coverage["Stale"],
            "Adapted, stale": coverage["Stale"],
            "Not adapted": coverage["Global entries"] - coverage["Adapted"],
        }
    )
    chart.index = coverage["Market"]
    return Report(
        name=NAME,
        title=TITLE,
        description=(
            "Global entries adapted per market (coverage), and adaptations whose global entry "
            "changed since they were made (stale)."
        ),
        generated_at=now,
        charts=(
            Chart(
                "stacked_bar",
                "Global entries by market",
                chart,
                y_label="global entries",
                empty_text="No global entries yet.",
            ),
        ),
        tables=(
            Table("Coverage by market", coverage),
            Table("Stale adaptations", stale, "calendar_entry", "Entry ID"),
        ),
        notes=(f"{total} global entries; {len(stale)} stale adaptation(s).",),
    )
