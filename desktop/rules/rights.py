"""Usage rights and embargoes of an asset.

Decisions where PROTOCOL.md is silent:

- ``rights`` with no ``expires_on`` never expire; an ``expires_on`` that cannot be read does not
  clear anything (it is reported as not cleared, so nobody boosts on unreadable rights).
- A global use (``market`` None: a global entry) needs territories ``["*"]``: a global post is seen
  in every market. An embargo blocks a global use only when its markets hold ``*``.
- An embargo with an ``until`` and no ``markets`` blocks nothing (``assets.check_asset`` warns).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from desktop.domain.values import end_of_day_utc, format_time
from desktop.rules._text import (
    format_day,
    format_moment,
    format_span,
    market_label,
    obj,
    plural,
    require_aware,
    str_list,
    to_date,
    to_time,
)
from desktop.rules.findings import Finding

Usage = Literal["organic", "paid"]


def _whose(asset_name: str | None) -> str:
    return f'The rights of "{asset_name}"' if asset_name else "The rights"


def check_rights(
    rights: dict[str, Any] | None,
    *,
    usage: Usage,
    market: str | None,
    until: datetime | None,
    asset_name: str | None = None,
) -> list[Finding]:
    """``rights_not_cleared`` for each reason the rights do not allow this use, in this order:
    usage, territory, expiry.

    ``market`` None is a global use (needs ``*``). ``until`` is when the use ends (the post's or
    the spend window's end); None skips the expiry check. Rights hold through the end of
    ``expires_on`` in UTC.
    """
    data = obj(rights)
    whose = _whose(asset_name)
    details: dict[str, Any] = {"asset": asset_name} if asset_name else {}
    findings: list[Finding] = []
    if usage not in str_list(data.get("usage")):
        findings.append(
            Finding(
                "rights_not_cleared",
                "error",
                "rights.usage",
                f"{whose} do not allow {usage} use.",
                {**details, "reason": "usage", "usage": usage},
            )
        )
    territories = str_list(data.get("territories"))
    if "*" not in territories and (market is None or market not in territories):
        covered = ", ".join(market_label(t) for t in territories) or "no market"
        needed = "every market (a global post is seen everywhere)" if market is None else market
        if market is not None:
            needed = market_label(market)
        findings.append(
            Finding(
                "rights_not_cleared",
                "error",
                "rights.territories",
                f"{whose} do not cover {needed}; they cover {covered}.",
                {**details, "reason": "territory", "market": market, "territories": territories},
            )
        )
    expires = data.get("expires_on")
    if until is not None and expires is not None:
        end = require_aware(until, "until")
        day = to_date(expires)
        if day is None:
            findings.append(
                Finding(
                    "rights_not_cleared",
                    "error",
                    "rights.expires_on",
                    f'{whose} have an expiry date that cannot be read ("{expires}"); fix it first.',
                    {**details, "reason": "expiry", "expires_on": str(expires)},
                )
            )
        elif end > end_of_day_utc(day):
            findings.append(
                Finding(
                    "rights_not_cleared",
                    "error",
                    "rights.expires_on",
                    f"{whose} end on {format_day(day)} (midnight UTC), before the planned end "
                    f"on {format_day(end.date())}.",
                    {**details, "reason": "expiry", "expires_on": day.isoformat()},
                )
            )
    return findings


def _embargo_covers(markets: list[str], market: str | None) -> bool:
    return "*" in markets or (market is not None and market in markets)


def check_embargo(
    embargo: dict[str, Any] | None,
    *,
    market: str | None,
    starts_at: datetime,
    timezone: str | None = None,
    asset_name: str | None = None,
) -> list[Finding]:
    """``embargoed`` when the embargo's ``until`` is after ``starts_at`` and it holds the market.

    ``market`` None is a global use (only a ``*`` embargo holds it). The lift time is given in
    ``timezone`` (the market's IANA zone) when known, else in UTC.
    """
    data = obj(embargo)
    until_value = data.get("until")
    if until_value is None or not _embargo_covers(str_list(data.get("markets")), market):
        return []
    start = require_aware(starts_at, "starts_at")
    until = to_time(until_value)
    subject = f'"{asset_name}" is embargoed' if asset_name else "Embargoed"
    where = f"in {market_label(market)}" if market else "in all markets"
    details: dict[str, Any] = {"asset": asset_name} if asset_name else {}
    if until is None:
        return [
            Finding(
                "embargoed",
                "error",
                "embargo.until",
                f'{subject} {where}: the embargo end ("{until_value}") cannot be read; '
                "fix it first.",
                {**details, "market": market, "until": str(until_value)},
            )
        ]
    if until <= start:
        return []
    return [
        Finding(
            "embargoed",
            "error",
            "embargo.until",
            f"{subject} {where} until {format_moment(until, timezone, reference=start)}.",
            {**details, "market": market, "until": until_value},
        )
    ]


def rights_expiring(
    rights: dict[str, Any] | None, *, now: datetime, days: int = 14
) -> Finding | None:
    """``rights_expiring`` (warning, with the days left) when the rights end within ``days`` days,
    ``rights_expired`` (warning) when they already have; None otherwise.

    Days left counts calendar days in UTC: 0 means the rights end tonight at midnight UTC.
    """
    expires = obj(rights).get("expires_on")
    day = to_date(expires)
    if day is None:
        return None
    today = require_aware(now, "now").date()
    left = (day - today).days
    if left < 0:
        return Finding(
            "rights_expired",
            "warning",
            "rights.expires_on",
            f"The rights expired on {format_day(day)}; this asset can no longer be used.",
            {"expires_on": day.isoformat(), "days_left": left},
        )
    if left > days:
        return None
    when = {0: "today", 1: "tomorrow"}.get(left, f"in {plural(left, 'day')}")
    return Finding(
        "rights_expiring",
        "warning",
        "rights.expires_on",
        f"The rights expire {when} ({format_day(day)}, end of day UTC).",
        {"expires_on": day.isoformat(), "days_left": left},
    )


def embargo_lifting(
    embargo: dict[str, Any] | None,
    *,
    market: str | None,
    now: datetime,
    hours: float = 48,
    timezone: str | None = None,
) -> Finding | None:
    """``embargo_lifting`` (info) when an embargo holding ``market`` lifts within ``hours``."""
    data = obj(embargo)
    until = to_time(data.get("until"))
    if until is None or not _embargo_covers(str_list(data.get("markets")), market):
        return None
    current = require_aware(now, "now")
    left = until - current
    if left.total_seconds() <= 0 or left.total_seconds() > hours * 3600:
        return None
    where = f"in {market_label(market)}" if market else "in all markets"
    return Finding(
        "embargo_lifting",
        "info",
        "embargo.until",
        f"The embargo {where} lifts in {format_span(left)}: "
        f"{format_moment(until, timezone, reference=current)}.",
        {"market": market, "until": format_time(until), "hours_left": left.total_seconds() / 3600},
    )
