"""The local store's records as pandas DataFrames, read once for the reports.

Times become timezone-aware UTC timestamps (``NaT`` when empty or unreadable); deleted records are
left out. Runs on a worker: one read session, only DataFrames leave it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select

from desktop.store import records
from desktop.store.db import Store
from desktop.store.models import RecordHistory

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def to_times(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, utc=True, format=TIME_FORMAT, errors="coerce")


@dataclass(frozen=True)
class Frames:
    entries: pd.DataFrame
    requests: pd.DataFrame
    assets: pd.DataFrame
    markets: pd.DataFrame
    history: dict[tuple[str, int], dict[str, Any]]  # (entry id, version) -> data then


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)


def load_frames(store: Store) -> Frames:
    """Every record the reports read, as DataFrames."""
    with store.read() as session:
        e = records.table("calendar_entry")
        entry_columns = [
            "id", "version", "title", "kind", "market", "channel", "status", "starts_at",
            "ends_at", "parent_id", "adapted_from_version", "campaign_id", "caption", "asset_ids",
        ]  # fmt: skip
        entries = [
            dict(r._mapping)
            for r in session.execute(
                select(*(e.c[c] for c in entry_columns)).where(e.c.deleted.is_(False))
            )
        ]
        r = records.table("amplification_request")
        request_columns = [
            "id", "entry_id", "asset_id", "market", "status", "priority", "submitted_at",
            "sla_due_at", "decided_at", "decided_by", "budget",
        ]  # fmt: skip
        requests = [
            dict(row._mapping)
            for row in session.execute(
                select(*(r.c[c] for c in request_columns)).where(r.c.deleted.is_(False))
            )
        ]
        a = records.table("asset")
        asset_rows = []
        for row in session.execute(
            select(a.c.id, a.c.name, a.c.market, a.c.status, a.c.rights, a.c.embargo).where(
                a.c.deleted.is_(False)
            )
        ):
            rights = row.rights or {}
            embargo = row.embargo or {}
            asset_rows.append(
                {
                    "id": row.id,
                    "name": row.name,
                    "market": row.market,
                    "status": row.status,
                    "expires_on": rights.get("expires_on"),
                    "holder": rights.get("holder"),
                    "usage": ", ".join(rights.get("usage") or []),
                    "territories": ", ".join(rights.get("territories") or []),
                    "embargo_until": embargo.get("until"),
                    "embargo_markets": ", ".join(embargo.get("markets") or []),
                }
            )
        m = records.table("market")
        markets = [
            {"code": row.code, "name": row.name, "timezone": row.timezone}
            for row in session.execute(select(m.c.code, m.c.name, m.c.timezone, m.c.deleted))
            if not row.deleted
        ]
        history = {
            (h.record_id, h.version): dict(h.data)
            for h in session.scalars(
                select(RecordHistory).where(RecordHistory.record_type == "calendar_entry")
            )
        }
    entry_frame = _frame(entries, entry_columns)
    for name in ("starts_at", "ends_at"):
        entry_frame[name] = to_times(entry_frame[name])
    request_frame = _frame(requests, request_columns)
    for name in ("submitted_at", "sla_due_at", "decided_at"):
        request_frame[name] = to_times(request_frame[name])
    asset_frame = _frame(
        asset_rows,
        [
            "id", "name", "market", "status", "expires_on", "holder", "usage", "territories",
            "embargo_until", "embargo_markets",
        ],
    )  # fmt: skip
    asset_frame["expires_on"] = pd.to_datetime(
        asset_frame["expires_on"], format="%Y-%m-%d", errors="coerce"
    ).dt.date
    asset_frame["embargo_until"] = to_times(asset_frame["embargo_until"])
    return Frames(
        entries=entry_frame,
        requests=request_frame,
        assets=asset_frame,
        markets=_frame(markets, ["code", "name", "timezone"]),
        history=history,
    )
