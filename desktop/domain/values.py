"""Canonical wire values: RFC 3339 UTC times, ISO dates and decimal strings.

Times are kept as canonical strings (``2026-11-22T09:14:03Z``) end to end: they sort correctly as
text in SQLite and PostgreSQL, and a pulled page is written without parsing a single date.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_DECIMAL = re.compile(r"^-?\d{1,15}(\.\d{1,6})?$")
_CANONICAL = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


class ValueFormatError(ValueError):
    """A value that is not in the protocol's format; the message says what was expected."""


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def format_time(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueFormatError("a time must carry its time zone")
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime:
    """Parse an RFC 3339 time with an offset (``Z`` or ``+02:00``) into an aware UTC datetime."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueFormatError(
            f"{text!r} is not a time; use RFC 3339 such as 2026-11-22T09:14:03Z"
        ) from None
    if moment.tzinfo is None:
        raise ValueFormatError(f"{text!r} has no time zone; end it with Z for UTC or an offset")
    return moment.astimezone(UTC)


def canonical_time(text: str) -> str:
    if len(text) == 20 and text[10] == "T" and text[19] == "Z" and _CANONICAL.match(text):
        parse_time(text)  # already canonical (the common case): only check it is a real time
        return text
    return format_time(parse_time(text).replace(microsecond=0))


def parse_date(text: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueFormatError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def canonical_date(text: str) -> str:
    return parse_date(text).isoformat()


def parse_decimal(text: str) -> Decimal:
    if not isinstance(text, str) or not _DECIMAL.match(text):
        raise ValueFormatError(
            f"{text!r} is not an amount; write it as a decimal string such as 1500.00"
        )
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueFormatError(f"{text!r} is not an amount") from None


def canonical_decimal(text: str) -> str:
    parse_decimal(text)
    return text


def end_of_day_utc(day: date) -> datetime:
    """Rights hold through the end of ``expires_on`` in UTC (PROTOCOL.md clarifications)."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)
