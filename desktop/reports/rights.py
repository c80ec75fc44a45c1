"""Rights expiring in the next 30 days; embargoes lifting in the next 7.

Decisions where the issue is silent: rights hold through the end of ``expires_on`` (UTC), so an
asset whose rights end today has 0 days left and counts; already expired ones do not. An embargo
counts when its ``until`` is after now and at most 7 days (168 hours) ahead. Charts count per ISO
week of expiry and per day (UTC) of lifting, by the asset's market ("global" for masters).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pandas as pd

from desktop.reports.frames import Frames
from desktop.reports.model import Chart, Report, Table

NAME = "rights"
TITLE = "Rights and embargoes"
RIGHTS_DAYS = 30
EMBARGO_DAYS = 7


def _market(series: pd.Series) -> pd.Series:
    return series.fillna("global").str.upper().replace("GLOBAL", "Global")


def build(frames: Frames, *, now: datetime) -> Report:
    assets = frames.assets
    today = now.date()
    horizon = today + timedelta(days=RIGHTS_DAYS)
    expiring = assets[
        assets["expires_on"].notna()
        & (assets["expires_on"] >= today)
        & (assets["expires_on"] <= horizon)
    ].copy()
    expiring["days"] = [(d - today).days for d in expiring["expires_on"]]
    expiring = expiring.sort_values(["days", "name"])
    rights_table = pd.DataFrame(
        {
            "Asset ID": expiring["id"],
            "Asset": expiring["name"],
            "Market": _market(expiring["market"]),
            "Expires on": [d.isoformat() for d in expiring["expires_on"]],
            "Days left": expiring["days"].astype(int),
            "Holder": expiring["holder"].fillna(""),
            "Usage": expiring["usage"],
            "Territories": expiring["territories"],
        }
    ).reset_index(drop=True)
    stamp = pd.Timestamp(now)
    lifting = assets[
        assets["embargo_until"].notna()
        & (assets["embargo_until"] > stamp)
        & (assets["embargo_until"] <= stamp + pd.Timedelta(days=EMBARGO_DAYS))
    ].sort_values(["embargo_until", "name"])
    embargo_table = pd.DataFrame(
        {
            "Asset ID": lifting["id"],
            "Asset": lifting["name"],
            "Market": _market(lifting["market"]),
            "Embargoed in": lifting["embargo_markets"].replace("*", "all markets"),
            "Lifts at (UTC)": lifting["embargo_until"].dt.strftime("%Y-%m-%d %H:%M"),
            "Hours left": ((lifting["embargo_until"] - stamp).dt.total_seconds() / 3600).round(1),
        }
    ).reset_index(drop=True)
    weeks = pd.date_range(
        pd.Timestamp(today) - pd.Timedelta(days=today.weekday()),
        pd.Timestamp(horizon),
        freq="7D",
    )
    week_labels = [f"{w.day} {w:%b}" for w in weeks]
    by_week = pd.DataFrame(0, index=week_labels, columns=sorted(set(rights_table["Market"])))
    week_counts = Counter(
        ((day - weeks[0].date()).days // 7, market)
        for day, market in zip(expiring["expires_on"], rights_table["Market"], strict=True)
    )
    for (index, market), count in week_counts.items():  # a few cells, not one write per asset
        by_week.iloc[index, by_week.columns.get_loc(market)] += count
    days = [today + timedelta(days=i) for i in range(EMBARGO_DAYS + 1)]
    day_labels = [f"{d:%a} {d.day}" for d in days]
    by_day = pd.DataFrame(0, index=day_labels, columns=sorted(set(embargo_table["Market"])))
    day_counts = Counter(
        ((moment.date() - today).days, market)
        for moment, market in zip(lifting["embargo_until"], embargo_table["Market"], strict=True)
    )
    for (index, market), count in day_counts.items():
        if 0 <= index < len(days):
            by_day.iloc[index, by_day.columns.get_loc(market)] += count
    return Report(
        name=NAME,
        title=TITLE,
        description=(
            f"Usage rights expiring in the next {RIGHTS_DAYS} days and embargoes lifting in the "
            f"next {EMBARGO_DAYS} days."
        ),
        generated_at=now,
        charts=(
            Chart(
                "stacked_bar",
                f"Rights expiring (next {RIGHTS_DAYS} days), per week",
                by_week,
                y_label="assets",
                x_label="week starting",
                empty_text=f"No rights expire in the next {RIGHTS_DAYS} days.",
            ),
            Chart(
                "stacked_bar",
                f"Embargoes lifting (next {EMBARGO_DAYS} days), per day",
                by_day,
                y_label="assets",
                x_label="day (UTC)",
                empty_text=f"No embargo lifts in the next {EMBARGO_DAYS} days.",
            ),
        ),
        tables=(
            Table("Rights expiring", rights_table, "asset", "Asset ID"),
            Table("Embargoes lifting", embargo_table, "asset", "Asset ID"),
        ),
        notes=(
            f"{len(rights_table)} asset(s) with rights expiring by {horizon.isoformat()}; "
            f"{len(embargo_table)} embargo(es) lifting within {EMBARGO_DAYS} days.",
        ),
    )
