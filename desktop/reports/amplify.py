"""Time to amplify: from an organic post going live to its boost being approved.

Decisions where the issue is silent: a post "goes live" at its ``starts_at``; its boost is the
first approved amplification request naming it (per market: a global post boosted in two markets
counts once in each). A boost approved before the post went live counts as 0 hours (it was ready
when the post was). Weeks are ISO weeks (UTC) of going live. Medians and 90th percentiles are in
hours, linear interpolation (pandas' default).
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from desktop.reports.frames import Frames
from desktop.reports.model import Chart, Report, Table

NAME = "time-to-amplify"
TITLE = "Time to amplify"


def iso_week(series: pd.Series) -> pd.Series:
    calendar = series.dt.isocalendar()
    return calendar["year"].astype(str) + "-W" + calendar["week"].astype(str).str.zfill(2)


def boosts(frames: Frames) -> pd.DataFrame:
    """One row per boosted organic post and market: when it went live, when the boost was
    approved, and the hours between (see the module)."""
    requests = frames.requests
    approved = requests[(requests["status"] == "approved") & requests["decided_at"].notna()]
    posts = frames.entries[frames.entries["kind"] == "organic_post"]
    joined = approved.merge(
        posts[["id", "title", "starts_at"]].rename(columns={"id": "entry_id"}),
        on="entry_id",
        how="inner",
    )
    joined = joined[joined["starts_at"].notna()]
    joined = joined.sort_values("decided_at").drop_duplicates(["entry_id", "market"])
    hours = (joined["decided_at"] - joined["starts_at"]).dt.total_seconds() / 3600
    out = pd.DataFrame(
        {
            "Request ID": joined["id"],
            "Post": joined["title"].fillna("(no title)"),
            "Market": joined["market"].str.upper(),
            "Live at (UTC)": joined["starts_at"].dt.strftime("%Y-%m-%d %H:%M"),
            "Approved at (UTC)": joined["decided_at"].dt.strftime("%Y-%m-%d %H:%M"),
            "Week": iso_week(joined["starts_at"]),
            "Hours": hours.clip(lower=0).round(1),
        }
    )
    return out.sort_values(["Week", "Market", "Live at (UTC)"]).reset_index(drop=True)


def _summary(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    if rows.empty:
        return pd.DataFrame(columns=[by, "Boosts", "Median hours", "90th percentile hours"])
    grouped = rows.groupby(by)["Hours"]
    out = pd.DataFrame(
        {
            "Boosts": grouped.size(),
            "Median hours": grouped.median().round(1),
            "90th percentile hours": grouped.quantile(0.9).round(1),
        }
    )
    return out.reset_index()


def build(frames: Frames, *, now: datetime) -> Report:
    rows = boosts(frames)
    by_market = _summary(rows, "Market")
    by_week = _summary(rows, "Week")
    overall = (
        f"Overall: median {rows['Hours'].median():.1f} h, 90th percentile "
        f"{rows['Hours'].quantile(0.9):.1f} h over {len(rows)} boosts."
        if not rows.empty
        else "No organic post has an approved boost yet."
    )
    chart_columns = ["Median hours", "90th percentile hours"]
    return Report(
        name=NAME,
        title=TITLE,
        description=(
            "Hours from an organic post going live to its boost being approved: median and 90th "
            "percentile, by market and by week of going live."
        ),
        generated_at=now,
        charts=(
            Chart(
                "bar",
                "By market",
                by_market.set_index("Market")[chart_columns],
                y_label="hours",
                empty_text="No approved boosts yet.",
                value_format="{:.1f}",
            ),
            Chart(
                "line",
                "By week of going live",
                by_week.set_index("Week")[chart_columns],
                y_label="hours",
                empty_text="No approved boosts yet.",
                value_format="{:.1f}",
            ),
        ),
        tables=(
            Table("By market", by_market),
            Table("By week", by_week),
            Table("Boosts", rows, "amplification_request", "Request ID"),
        ),
        notes=(overall,),
    )
