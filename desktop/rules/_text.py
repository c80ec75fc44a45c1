"""Shared helpers for the rules: reading record values and writing plain, locale-free messages.

Messages never depend on the machine's locale (day and month names are spelled out here), so the
client and the server produce the very same text.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop.domain.values import ValueFormatError, parse_date, parse_decimal, parse_time

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

FIELD_LABELS: dict[str, str] = {
    "caption": "caption",
    "title": "title",
    "cta": "call to action",
    "legal_note": "legal note",
    "entry.caption": "post's caption",
    "starts_at": "start time",
    "ends_at": "end time",
    "alt_text": "alt text",
    "asset_ids": "assets",
    "campaign_id": "campaign",
    "utm_campaign": "UTM campaign",
    "primary_kpi": "primary KPI",
    "sha256": "file",
}


def field_label(name: str) -> str:
    """A field's name in plain words: ``cta`` -> ``call to action``."""
    return FIELD_LABELS.get(name, name.replace("_", " ").replace(".", " "))


def market_label(code: str | None) -> str:
    """How a market is named in messages: ``de`` -> ``DE``; global (None) -> ``all markets``."""
    if code is None or code == "*":
        return "all markets"
    return code.upper()


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def require_aware(moment: datetime, name: str) -> datetime:
    """Rules compare instants: a naive datetime is a programming error, refused loudly."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must carry its time zone")
    return moment.astimezone(UTC)


def to_time(value: Any) -> datetime | None:
    """A record time (canonical text or aware datetime) in UTC; None if absent or unreadable."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            return None
        return value.astimezone(UTC)
    if isinstance(value, str) and value:
        try:
            return parse_time(value)
        except ValueFormatError:
            return None
    return None


def to_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return parse_date(value)
        except ValueFormatError:
            return None
    return None


def to_decimal(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return parse_decimal(value.strip())
        except ValueFormatError:
            return None
    return None


def obj(value: Any) -> dict[str, Any]:
    """A nested object field; null means empty (PROTOCOL.md: missing keys count as null)."""
    return value if isinstance(value, dict) else {}


def str_list(value: Any) -> list[str]:
    """A list-of-text field; null means empty, non-text items are ignored."""
    if not isinstance(value, list | tuple):
        return []
    return [item for item in value if isinstance(item, str)]


def zone(name: str | None) -> ZoneInfo | None:
    """The named IANA time zone, or None when absent or unknown (messages then say UTC)."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def format_moment(
    moment: datetime, timezone: str | None, *, reference: datetime | None = None
) -> str:
    """``Tue 25 Nov 10:00 (Europe/Berlin)``, or ``Tue 25 Nov 09:00 UTC`` without a known zone.

    The year is added when it differs from ``reference``'s (a lift a year away is not ambiguous).
    """
    tz = zone(timezone)
    local = moment.astimezone(tz if tz is not None else UTC)
    text = f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]}"
    if reference is not None and reference.astimezone(local.tzinfo).year != local.year:
        text += f" {local.year}"
    text += f" {local.hour:02d}:{local.minute:02d}"
    return text + (f" ({timezone})" if tz is not None else " UTC")


def format_day(day: date) -> str:
    """``30 Nov 2026``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_span(span: timedelta) -> str:
    """A duration in days and hours, rounded to the hour: ``3 days and 4 hours``, ``5 hours``."""
    hours = round(abs(span).total_seconds() / 3600)
    days, hours = divmod(hours, 24)
    if days and hours:
        return f"{plural(days, 'day')} and {plural(hours, 'hour')}"
    if days:
        return plural(days, "day")
    if hours:
        return plural(hours, "hour")
    minutes = max(1, round(abs(span).total_seconds() / 60))
    return plural(minutes, "minute")
