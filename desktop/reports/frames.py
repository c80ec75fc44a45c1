"""The local store's records as pandas DataFrames, read once for the reports.

Times become timezone-aware UTC timestamps (``NaT`` when empty or unreadable); deleted records are
left out. Runs on a worker: one read session, only DataFrames leave it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select

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


_ENTRY_COLUMNS = (
    "id", "version", "title", "kind", "market", "channel", "status", "starts_at", "ends_at",
    "parent_id", "adapted_from_version", "campaign_id", "caption", "asset_ids",
)  # fmt: skip
_REQUEST_COLUMNS = (
    "id", "entry_id", "asset_id", "market", "status", "priority", "submitted_at", "sla_due_at",
    "decided_at", "decided_by", "budget",
)  # fmt: skip
# Rights and embargo keys are read by SQLite (json_extract), not by parsing 100,000 JSON objects.
_ASSETS_SQL = """
SELECT id, name, market, status,
       json_extract(rights, '$.expires_on') AS expires_on,
       json_extract(rights, '$.holder') AS holder,
       json_extract(rights, '$.usage') AS usage,
       json_extract(rights, '$.territories') AS territories,
       json_extract(embargo, '$.until') AS embargo_until,
       json_extract(embargo, '$.markets') AS embargo_markets
FROM assets WHERE deleted = 0
"""


def _listed(series: pd.Series) -> pd.Series:
    """A JSON list of codes as the report shows it: ``["de","fr"]`` -> ``de, fr``."""
    return (
        series.fillna("[]")
        .str.replace(r'[\[\]"]', "", regex=True)
        .str.replace(",", ", ", regex=False)
    )


def _read(session: Any, sql: str) -> pd.DataFrame:
    return pd.read_sql_query(sql, session.connection().connection.driver_connection)


def load_frames(store: Store) -> Frames:
    """Every record the reports read, as DataFrames (``asset_ids`` stays JSON text)."""
    with store.read() as session:
        entries = _read(
            session,
            f"SELECT {', '.join(_ENTRY_COLUMNS)} FROM calendar_entries WHERE deleted = 0",
        )
        requests = _read(
            session,
            f"SELECT {', '.join(_REQUEST_COLUMNS)} FROM amplification_requests WHERE deleted = 0",
        )
        assets = _read(session, _ASSETS_SQL)
        markets = _read(session, "SELECT code, name, timezone FROM markets WHERE deleted = 0")
        history = {
            (h.record_id, h.version): dict(h.data)
            for h in session.scalars(
                select(RecordHistory).where(RecordHistory.record_type == "calendar_entry")
            )
        }
    for name in ("starts_at", "ends_at"):
        entries[name] = to_times(entries[name])
    entries["adapted_from_version"] = entries["adapted_from_version"].astype("Int64")
    requests["budget"] = [json.loads(b) if isinstance(b, str) else {} for b in requests["budget"]]
    for name in ("submitted_at", "sla_due_at", "decided_at"):
        requests[name] = to_times(requests[name])
    for name in ("usage", "territories", "embargo_markets"):
        assets[name] = _listed(assets[name])
    assets["expires_on"] = pd.to_datetime(
        assets["expires_on"], format="%Y-%m-%d", errors="coerce"
    ).dt.date
    assets["embargo_until"] = to_times(assets["embargo_until"])
    return Frames(
        entries=entries, requests=requests, assets=assets, markets=markets, history=history
    )
