"""What a write of a calendar entry must satisfy.

Decisions where the brief and PROTOCOL.md are silent:

- An entry with no ``status`` counts as a draft.
- ``assets`` are the data of the entry's linked assets (``asset_ids``), as the caller found them;
  rights and embargo findings name the asset and point at the entry's ``asset_ids`` field (the
  asset's own field is in ``details["asset_field"]``).
- Rights must hold through ``ends_at`` (``starts_at`` for an entry with no end).
- A global entry (``market`` None) needs rights for every market (``*``) and is blocked only by an
  embargo on all markets (``*``).
- Forbidden terms are checked in ``title`` and ``caption`` as warnings; the server enforces them
  only when a request is submitted.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

from desktop.rules._text import obj, to_time
from desktop.rules.channels import check_caption
from desktop.rules.drift import check_drift
from desktop.rules.findings import Finding, Severity
from desktop.rules.rights import Usage, check_embargo, check_rights
from desktop.rules.terms import check_terms

SCHEDULED: Final = frozenset({"planned", "approved", "published"})
UNSCHEDULED: Final = frozenset({"draft", "cancelled"})


def _invalid(field: str, message: str) -> Finding:
    return Finding("invalid", "error", field, message)


def _check_times(entry: dict[str, Any]) -> list[Finding]:
    findings = []
    start_value, end_value = entry.get("starts_at"), entry.get("ends_at")
    start, end = to_time(start_value), to_time(end_value)
    if start_value is None or start_value == "":
        findings.append(_invalid("starts_at", "Set when this starts."))
    elif start is None:
        findings.append(_invalid("starts_at", f'The start "{start_value}" is not a time.'))
    if end_value not in (None, "") and end is None:
        findings.append(_invalid("ends_at", f'The end "{end_value}" is not a time.'))
    if start is not None and end is not None and end < start:
        findings.append(_invalid("ends_at", "This ends before it starts; move the end later."))
    return findings


def check_entry_times(entry: dict[str, Any]) -> Finding | None:
    """The first problem with the entry's times (``invalid``), or None: what the server enforces
    on every calendar entry write (PROTOCOL.md: ``ends_at`` before ``starts_at`` is invalid)."""
    problems = _check_times(entry)
    return problems[0] if problems else None


def _linked(finding: Finding, asset_name: str | None) -> Finding:
    details = {**finding.details, "asset_field": finding.field}
    if asset_name:
        details["asset"] = asset_name
    return replace(finding, field="asset_ids", details=details)


def check_entry(
    entry: dict[str, Any],
    *,
    assets: list[dict[str, Any]],
    market: dict[str, Any] | None,
    parent: dict[str, Any] | None,
    drift_days: float = 2,
) -> list[Finding]:
    """The findings on a calendar entry's data (see the module for the rules)."""
    findings = _check_times(entry)
    status = entry.get("status") or "draft"
    severity: Severity = "warning" if status in UNSCHEDULED else "error"
    findings += check_caption(entry.get("channel"), entry.get("caption"), severity=severity)
    market_data = obj(market)
    market_code = entry.get("market") if isinstance(entry.get("market"), str) else None
    terms = market_data.get("forbidden_terms")
    if terms:
        for text_field in ("title", "caption"):
            findings += check_terms(
                entry.get(text_field),
                terms,
                field=text_field,
                severity="warning",
                market=market_code,
            )
    start, end = to_time(entry.get("starts_at")), to_time(entry.get("ends_at"))
    if status in SCHEDULED:
        usage: Usage = "paid" if entry.get("kind") == "paid_burst" else "organic"
        for asset in assets:
            name = asset.get("name") if isinstance(asset.get("name"), str) else None
            rights = check_rights(
                asset.get("rights"),
                usage=usage,
                market=market_code,
                until=end or start,
                asset_name=name,
            )
            findings += [_linked(f, name) for f in rights]
            if start is not None:
                embargo = check_embargo(
                    asset.get("embargo"),
                    market=market_code,
                    starts_at=start,
                    timezone=market_data.get("timezone"),
                    asset_name=name,
                )
                findings += [_linked(f, name) for f in embargo]
    if parent is not None:
        drift = check_drift(entry, parent, days=drift_days)
        if drift is not None:
            findings.append(drift)
    return findings
