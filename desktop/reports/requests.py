"""Amplification requests by status, and SLA breaches by market and approver.

Decisions where the issue is silent: a request breaches its SLA when it was decided after
``sla_due_at``, or is still undecided (submitted or escalated) after it (as of the report's
"now"). Requests never submitted have no SLA. Approvers are user IDs locally (the protocol gives
the client no directory of users): the signed-in lead is "you", others "user" and the ID's first
eight characters; undecided breaches are under "(not decided)".
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from desktop.reports.frames import Frames
from desktop.reports.model import Chart, Report, Table

NAME = "requests"
TITLE = "Requests and SLA"
STATUSES = ("draft", "submitted", "escalated", "approved", "declined", "withdrawn")
UNDECIDED = ("submitted", "escalated")


def approver(user_id: object, me: str | None) -> str:
    if not isinstance(user_id, str) or not user_id:
        return "(not decided)"
    return "you" if user_id == me else f"user {user_id[:8]}"


def sla_rows(frames: Frames, *, now: datetime) -> pd.DataFrame:
    """Every submitted request with its SLA outcome."""
    requests = frames.requests[frames.requests["sla_due_at"].notna()].copy()
    stamp = pd.Timestamp(now)
    decided = requests["decided_at"]
    undecided = requests["status"].isin(UNDECIDED)
    late_decision = decided.notna() & (decided > requests["sla_due_at"])
    overdue = undecided & (requests["sla_due_at"] < stamp)
    requests["breached"] = late_decision | overdue
    end = decided.where(decided.notna(), stamp)
    requests["hours_over"] = (
        ((end - requests["sla_due_at"]).dt.total_seconds() / 3600).clip(lower=0).round(1)
    )
    return requests


def build(frames: Frames, *, now: datetime, me: str | None = None) -> Report:
    requests = frames.requests
    markets = sorted(m for m in requests["market"].dropna().unique())
    counts = (
        requests.assign(market=requests["market"].str.upper())
        .pivot_table(index="status", columns="market", values="id", aggfunc="count", fill_value=0)
        .reindex(list(STATUSES), fill_value=0)
    )
    counts = counts.reindex(columns=[m.upper() for m in markets], fill_value=0)
    by_status = counts.copy()
    by_status["Total"] = by_status.sum(axis=1)
    by_status.index = by_status.index.str.capitalize()
    by_status = by_status.rename_axis("Status").reset_index()
    by_status.columns.name = None

    sla = sla_rows(frames, now=now)
    sla["Market"] = sla["market"].str.upper()
    sla["Approver"] = [
        approver(u, me) if s not in UNDECIDED else "(not decided)"
        for u, s in zip(sla["decided_by"], sla["status"], strict=True)
    ]
    by_market = (
        sla.groupby("Market")
        .agg(Submitted=("id", "size"), Breached=("breached", "sum"))
        .reset_index()
    )
    by_market["Breach rate %"] = (
        (100 * by_market["Breached"] / by_market["Submitted"]).round(0).astype(int)
        if not by_market.empty
        else by_market["Breached"]
    )
    breaches = sla[sla["breached"]]
    by_approver = (
        breaches.groupby(["Approver", "Market"]).size().unstack(fill_value=0)
        if not breaches.empty
        else pd.DataFrame()
    )
    if not by_approver.empty:
        by_approver.columns.name = None
    approver_table = (
        by_approver.assign(Total=by_approver.sum(axis=1)).reset_index()
        if not by_approver.empty
        else pd.DataFrame(columns=["Approver", "Total"])
    )
    detail = pd.DataFrame(
        {
            "Request ID": breaches["id"],
            "Market": breaches["Market"],
            "Status": breaches["status"].str.capitalize(),
            "Priority": breaches["priority"].fillna("standard").str.capitalize(),
            "Due (UTC)": breaches["sla_due_at"].dt.strftime("%Y-%m-%d %H:%M"),
            "Decided (UTC)": breaches["decided_at"].dt.strftime("%Y-%m-%d %H:%M").fillna(""),
            "Approver": breaches["Approver"],
            "Hours over": breaches["hours_over"],
        }
    ).reset_index(drop=True)
    total = int(sla["breached"].sum())
    chart_counts = counts.copy()
    chart_counts.index = chart_counts.index.str.capitalize()
    sla_chart = by_market.set_index("Market")[["Submitted", "Breached"]].copy()
    sla_chart["On time"] = sla_chart["Submitted"] - sla_chart["Breached"]
    return Report(
        name=NAME,
        title=TITLE,
        description=(
            "Amplification requests by status and market; SLA breaches (decided after the SLA "
            "was due, or still waiting past it) by market and approver."
        ),
        generated_at=now,
        charts=(
            Chart("stacked_bar", "Requests by status", chart_counts, y_label="requests"),
            Chart(
                "stacked_bar",
                "SLA by market",
                sla_chart[["On time", "Breached"]],
                y_label="submitted requests",
                empty_text="No request has been submitted yet.",
            ),
            Chart(
                "hbar",
                "SLA breaches by approver",
                by_approver,
                y_label="breaches",
                empty_text="No SLA breaches.",
            ),
        ),
        tables=(
            Table("By status", by_status),
            Table("SLA by market", by_market),
            Table("Breaches by approver", approver_table),
            Table("Breaches", detail, "amplification_request", "Request ID"),
        ),
        notes=(f"{total} SLA breach{'es' if total != 1 else ''} among {len(sla)} submitted.",),
    )
