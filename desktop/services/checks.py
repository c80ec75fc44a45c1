"""What the local write path checks before it writes: permissions, and the shared rules.

The rules themselves live in ``desktop.rules`` (the server runs the same ones); this module only
looks up what they need (the market, the linked assets, the parent entry) inside the write
transaction, once per edit batch.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from desktop.domain.records import SERVER_SET_FIELDS
from desktop.rules import entries as entry_rules
from desktop.rules import requests as request_rules
from desktop.rules.assets import check_asset
from desktop.rules.findings import Finding
from desktop.services.changes import Actor
from desktop.store import records
from desktop.store.models import Market


class Lookups:
    """Records the rules need, read once per write transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._markets: dict[str, dict[str, Any] | None] | None = None
        self._cache: dict[tuple[str, str], dict[str, Any] | None] = {}

    def market(self, code: str | None) -> dict[str, Any] | None:
        if code is None:
            return None
        if self._markets is None:
            rows = self.session.execute(Market.__table__.select()).all()
            self._markets = {
                row.code: records.from_row("market", row)["data"] for row in rows if not row.deleted
            }
        return self._markets.get(code)

    def record(self, record_type: str, record_id: str | None) -> dict[str, Any] | None:
        if record_id is None:
            return None
        key = (record_type, record_id)
        if key not in self._cache:
            found = records.get(self.session, record_type, record_id)
            self._cache[key] = None if found is None or found["deleted"] else found
        return self._cache[key]

    def data(self, record_type: str, record_id: str | None) -> dict[str, Any] | None:
        found = self.record(record_type, record_id)
        return None if found is None else found["data"]


def _finding(code: str, field: str | None, message: str) -> Finding:
    return Finding(code=code, severity="error", field=field, message=message)


def check_permission(
    actor: Actor, record_type: str, before: dict[str, Any] | None, after: dict[str, Any]
) -> list[Finding]:
    problems = []
    for data in (before, after):
        if data is None:
            continue
        market = data.get("market")
        if not actor.may_write(record_type, market):
            where = f"the {market.upper()} market" if market else "global records"
            problems.append(
                _finding(
                    "forbidden",
                    "market",
                    "You can only change records of your own markets; "
                    f"this one belongs to {where}.",
                )
            )
            break
    return problems


def check_server_set(actor: Actor, record_type: str, changed: dict[str, Any]) -> list[Finding]:
    if actor.role == "conductor":
        return []
    return [
        _finding("read_only_field", name, f"{name.replace('_', ' ')} is set by the server.")
        for name in SERVER_SET_FIELDS.get(record_type, ())
        if changed.get(name) is not None
    ]


def check_rules(
    record_type: str,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    actor: Actor,
    lookups: Lookups,
    drift_days: float,
    now: datetime,
) -> list[Finding]:
    """Findings for writing ``after`` (the whole record's data) over ``before``."""
    if record_type == "calendar_entry":
        assets = [d for d in (lookups.data("asset", i) for i in after["asset_ids"]) if d]
        return entry_rules.check_entry(
            after,
            assets=assets,
            market=lookups.market(after.get("market")),
            parent=lookups.data("calendar_entry", after.get("parent_id")),
            drift_days=drift_days,
        )
    if record_type == "asset":
        return check_asset(after, now=now)
    if record_type == "amplification_request":
        return _check_request(before=before, after=after, actor=actor, lookups=lookups)
    return []


def _check_request(
    *, before: dict[str, Any] | None, after: dict[str, Any], actor: Actor, lookups: Lookups
) -> list[Finding]:
    old = None if before is None else (before.get("status") or "draft")
    new = after.get("status") or "draft"
    findings: list[Finding] = []
    if old != new:
        problem = request_rules.check_transition(role=actor.role, old=old, new=new)
        if problem is not None:
            return [problem]
    elif old in ("submitted", "escalated"):
        return [
            _finding(
                "invalid_transition",
                "status",
                "A submitted request can only be withdrawn; withdraw it to change it.",
            )
        ]
    context = {
        "entry": lookups.data("calendar_entry", after.get("entry_id")),
        "asset": lookups.data("asset", after.get("asset_id")),
        "market": lookups.market(after.get("market")),
    }
    if new == "submitted" and old != "submitted":
        findings += request_rules.check_submit(after, **context)
    elif new == "draft":
        findings += request_rules.check_draft(after, **context)
    return findings
