"""The local store's records as pandas DataFrames, read once for the reports.

Times become timezone-aware UTC timestamps (``NaT`` when empty or unreadable); deleted records are
left out. Runs on a worker: one read session, only DataFrames leave it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import select

from desktop.domain.values import format_time
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
    "parent_id", "adapted_from_version", "campaign_id",
)  # fmt: skip
# Captions and asset lists only matter for masters (is an adaptation stale?): not read for the
# tens of thousands of local entries.
_ENTRIES_SQL = (
    f"SELECT {', '.join(_ENTRY_COLUMNS)}, "
    "CASE WHEN market IS NULL THEN caption END AS caption, "
    "CASE WHEN market IS NULL THEN asset_ids END AS asset_ids "
    "FROM calendar_entries WHERE deleted = 0"
)
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
# With the report's time known, only the assets the rights report can show are read.
_ASSETS_IN_WINDOWS = """
 AND (json_extract(rights, '$.expires_on') BETWEEN :first_day AND :last_day
      OR json_extract(embargo, '$.until') BETWEEN :after AND :until)
"""


def _listed(series: pd.Series) -> pd.Series:
    """A JSON list of codes as the report shows it: ``["de","fr"]`` -> ``de, fr``."""
    return (
        series.fillna("[]")
        .str.replace(r'[\[\]"]', "", regex=True)
        .str.replace(",", ", ", regex=False)
    )


def _read(session: Any, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    return pd.read_sql_query(sql, session.connection().connection.driver_connection, params=params)


def load_frames(store: Store, *, now: datetime | None = None) -> Frames:
    """What the reports read, as DataFrames (``asset_ids`` stays JSON text; captions and asset
    lists are there for global entries only). With ``now``, assets are limited to those whose
    rights expire or embargo lifts within the rights report's windows."""
    from desktop.reports.rights import EMBARGO_DAYS, RIGHTS_DAYS

    with store.read() as session:
        entries = _read(session, _ENTRIES_SQL)
        requests = _read(
            session,
            f"SELECT {', '.join(_REQUEST_COLUMNS)} FROM amplification_requests WHERE deleted = 0",
        )
        if now is None:
            assets = _read(session, _ASSETS_SQL)
        else:
            today = now.astimezone(UTC).date()
            assets = _read(
                session,
                _ASSETS_SQL + _ASSETS_IN_WINDOWS,
                {
                    "first_day": today.isoformat(),
                    "last_day": (today + timedelta(days=RIGHTS_DAYS)).isoformat(),
                    "after": format_time(now),
                    "until": format_time(now + timedelta(days=EMBARGO_DAYS)),
                },
            )
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
