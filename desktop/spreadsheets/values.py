"""Reading spreadsheet cells: dates and times in the usual formats and zones, yes/no, lists.

Dates (documented in docs/SPREADSHEETS.md):

- ISO ``2026-11-25``, ``2026-11-25 09:00``, ``2026-11-25T09:00:00``; ``2026/11/25``.
- Day first with dots ``25.11.2026`` (and ``25.11.26``); with slashes or dashes ``25/11/2026``,
  ``25-11-2026`` day first or month first (``11/25/2026``) as the import says; a value that can
  only be read the other way (``11/25/2026`` in a day-first import) is refused with that reason.
- Month names in English, German or French: ``25 Nov 2026``, ``Nov 25, 2026``,
  ``25. November 2026``, ``25 novembre 2026``; a weekday in front (``Wed 25 Nov 2026``) is ignored.
- Times ``09:00``, ``9:00:30``, ``9:00 PM``, ``9pm``, ``9h30``, ``9 Uhr``; after the date, with a
  space or ``T``. A date alone is midnight at the start of that day.
- Zones: ``Z``, ``UTC``, ``GMT``, an offset (``+01:00``, ``+0100``, ``UTC+1``) or an IANA name
  (``Europe/Berlin``) after the time. A time without one is read in the zone the caller gives
  (the row's market's zone, by default). A local time that does not exist (the hour the clocks
  go forward) is refused; one that happens twice (the hour they go back) is the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UUID_RE: Final = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


class CellError(ValueError):
    """A cell that cannot be read; the message is for the lead (it names the value)."""


MONTHS: Final[dict[str, int]] = {}
for _number, _names in enumerate(
    (
        "jan january januar jänner jaenner janv janvier",
        "feb february februar févr fevr février fevrier",
        "mar march mär maer märz maerz mars",
        "apr april avr avril",
        "may mai",
        "jun june juni juin",
        "jul july juli juil juillet",
        "aug august août aout",
        "sep sept september septembre",
        "oct october okt oktober octobre",
        "nov november novembre",
        "dec december dez dezember déc dec décembre decembre",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

_ZONE = re.compile(
    r"\s*(?P<zone>Z|UTC|GMT|(?:UTC|GMT)?\s?[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]+/[A-Za-z_+\-]+(?:/[A-Za-z_+\-]+)?)$",
    re.IGNORECASE,
)
_ISO = re.compile(r"^(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?:[T\s]+(?P<rest>.*))?$")
_NUMERIC = re.compile(
    r"^(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})\.?(?:[T\s,]+(?P<rest>.*))?$"
)
_DAY_MONTH = re.compile(
    r"^(?P<d>\d{1,2})\.?\s*(?:de\s+)?(?P<mon>[^\W\d_]+)\.?,?\s+(?P<y>\d{4})(?:[T\s,]+(?P<rest>.*))?$"
)
_MONTH_DAY = re.compile(
    r"^(?P<mon>[^\W\d_]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?:[T\s,]+(?P<rest>.*))?$"
)
_WEEKDAY = re.compile(r"^[^\W\d_]+\.?,?\s+")
_TIME = re.compile(
    r"^(?:at\s+|um\s+|à\s+)?(?P<h>\d{1,2})(?:(?::|h|\.(?=\d{2}\s*uhr))(?P<m>\d{2}))?(?::(?P<s>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<ampm>am|pm|a\.m\.|p\.m\.|uhr|h)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Moment:
    """A point in time read from a cell: UTC, second precision; ``note`` when worth saying."""

    utc: datetime
    note: str | None = None
    date_only: bool = False


def zone_of(name: str | None) -> tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _make_date(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f'"{original}" is not a real date.') from None


def _split_zone(text: str) -> tuple[str, tzinfo | None, str | None]:
    """The text without a trailing zone, the zone, and its name as written."""
    match = _ZONE.search(text)
    if match is None:
        return text, None, None
    raw = match.group("zone")
    head = text[: match.start()].rstrip()
    if not head or not re.search(r"\d", head):
        return text, None, None
    upper = raw.upper().replace(" ", "")
    if upper in ("Z", "UTC", "GMT"):
        return head, UTC, raw
    offset = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?", upper)
    if offset:
        # A bare "-05" after a date without a time is part of the date, not a zone.
        if not re.search(r"\d[:h]\d|\d\s*(am|pm)", head, re.IGNORECASE) and not (
            upper.startswith(("UTC", "GMT")) or ":" in raw or len(raw.strip("+-")) == 4
        ):
            return text, None, None
        sign = -1 if offset.group(1) == "-" else 1
        hours, minutes = int(offset.group(2)), int(offset.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise CellError(f'"{raw}" is not a time zone offset.')
        return head, timezone(sign * timedelta(hours=hours, minutes=minutes)), raw
    named = zone_of(raw)
    if named is None:
        raise CellError(f'"{raw}" is not a time zone; use a name such as Europe/Berlin, or UTC.')
    return head, named, raw


def parse_clock(text: str, original: str | None = None) -> time:
    """A time of day: ``09:00``, ``9:00:30``, ``9 PM``, ``9h30``, ``9 Uhr``."""
    shown = original if original is not None else text
    match = _TIME.match(text.strip())
    if match is None:
        raise CellError(f'"{shown}" is not a time of day; write it like 09:30.')
    hour, minute = int(match.group("h")), int(match.group("m") or 0)
    second = int(match.group("s") or 0)
    ampm = (match.group("ampm") or "").lower().replace(".", "")
    if ampm in ("am", "pm"):
        if not 1 <= hour <= 12:
            raise CellError(f'"{shown}" is not a time of day.')
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    elif ampm == "" and match.group("m") is None and match.group("s") is None:
        raise CellError(f'"{shown}" is not a time of day; write it like 09:30.')
    if hour > 23 or minute > 59 or second > 59:
        raise CellError(f'"{shown}" is not a time of day.')
    return time(hour, minute, second)


def _date_and_rest(text: str, *, day_first: bool) -> tuple[date, str | None]:
    original = text
    for attempt in (text, _WEEKDAY.sub("", text, count=1)):
        match = _ISO.match(attempt)
        if match:
            day = _make_date(int(match["y"]), int(match["m"]), int(match["d"]), original)
            return day, match["rest"]
        match = _NUMERIC.match(attempt)
        if match:
            a, b = int(match["a"]), int(match["b"])
            year = _year(match["y"])
            if match["sep"] == ".":
                return _make_date(year, b, a, original), match["rest"]
            if day_first:
                if b > 12 and a <= 12:
                    raise CellError(
                        f'"{original}" can only be read month first, but this import reads '
                        "dates day first (25/11/2026). Choose month first for this file, or fix "
                        "the date."
                    )
                return _make_date(year, b, a, original), match["rest"]
            if a > 12 and b <= 12:
                raise CellError(
                    f'"{original}" can only be read day first, but this import reads dates '
                    "month first (11/25/2026). Choose day first for this file, or fix the date."
                )
            return _make_date(year, a, b, original), match["rest"]
        for pattern in (_DAY_MONTH, _MONTH_DAY):
            match = pattern.match(attempt)
            if match:
                month = MONTHS.get(match["mon"].casefold().rstrip("."))
                if month is None:
                    break
                return _make_date(int(match["y"]), month, int(match["d"]), original), match["rest"]
    raise CellError(
        f'"{original}" is not a date; write it like 2026-11-25 or 25.11.2026, with a time '
        "after it if it has one (2026-11-25 09:30)."
    )


def guess_day_first(values: Iterable[str]) -> bool | None:
    """True or False when some slash or dash date can only be read one way, None if undecided."""
    day_first = month_first = False
    for value in values:
        match = _NUMERIC.match(value.strip())
        if not match or match["sep"] == ".":
            continue
        a, b = int(match["a"]), int(match["b"])
        day_first |= a > 12 >= b
        month_first |= b > 12 >= a
    if day_first != month_first:
        return day_first
    return None


def localize(naive: datetime, zone: tzinfo) -> tuple[datetime, str | None]:
    """``naive`` wall-clock time in ``zone`` as UTC; refuses a time that does not exist there."""
    if not isinstance(zone, ZoneInfo):
        return naive.replace(tzinfo=zone).astimezone(UTC), None
    first = naive.replace(tzinfo=zone, fold=0)
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != naive:
        raise CellError(
            f"{naive:%H:%M} on {naive:%d %b %Y} does not exist in {zone.key}: the clocks go "
            "forward then. Give another time."
        )
    second = naive.replace(tzinfo=zone, fold=1)
    note = None
    if second.utcoffset() != first.utcoffset():
        note = (
            f"{naive:%H:%M} on {naive:%d %b %Y} happens twice in {zone.key} (the clocks go "
            "back); the first one was taken."
        )
    return first.astimezone(UTC), note


def parse_moment(
    text: str,
    *,
    zone: tzinfo | None,
    day_first: bool,
    clock: str | None = None,
) -> Moment:
    """A date with an optional time and zone, as UTC. ``zone`` is for times written without one
    (None: such times are refused). ``clock`` is a separate time-of-day cell for a date alone."""
    original = text.strip()
    if not original:
        raise CellError("is empty")
    head, written_zone, _zone_name = _split_zone(original)
    day, rest = _date_and_rest(head, day_first=day_first)
    date_only = not rest
    moment_time = time(0)
    if rest:
        moment_time = parse_clock(rest, original)
    if clock:
        if not date_only:
            raise CellError(
                f'"{original}" already has a time, and the time column says "{clock}"; '
                "keep only one."
            )
        clock_head, clock_zone, _ = _split_zone(clock.strip())
        moment_time = parse_clock(clock_head, clock)
        written_zone = written_zone or clock_zone
        date_only = False
    naive = datetime.combine(day, moment_time)
    use = written_zone or zone
    if use is None:
        raise CellError(f'"{original}" has no time zone; add one (such as UTC or +01:00).')
    utc, note = localize(naive, use)
    return Moment(utc.replace(microsecond=0), note, date_only)


def parse_day(text: str, *, day_first: bool) -> date:
    """A date with no time (rights expiry): the same formats as ``parse_moment``."""
    original = text.strip()
    head, written_zone, _ = _split_zone(original)
    day, rest = _date_and_rest(head, day_first=day_first)
    if rest and written_zone is None:
        try:
            if parse_clock(rest) != time(0):
                raise CellError(f'"{original}" has a time; give the date alone (2027-03-31).')
        except CellError:
            raise CellError(f'"{original}" is not a date; write it like 2027-03-31.') from None
    return day


_TRUE: Final = frozenset({"yes", "y", "true", "1", "ja", "j", "oui", "o", "x", "wahr", "vrai"})
_FALSE: Final = frozenset({"no", "n", "false", "0", "nein", "non", "falsch", "faux"})


def parse_bool(text: str) -> bool:
    value = text.strip().casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(f'"{text.strip()}" is not yes or no.')


def split_list(text: str) -> list[str]:
    """A list cell: one item a line when the cell has line breaks, else separated by ``,`` or
    ``;``. Items are trimmed; empty ones dropped."""
    if not text.strip():
        return []
    parts = re.split(r"\r\n|\r|\n", text) if re.search(r"[\r\n]", text) else re.split(r"[,;]", text)
    return [p.strip() for p in parts if p.strip()]


def join_list(items: Iterable[str]) -> str:
    """The inverse of ``split_list``: ``a, b`` unless an item holds a comma or semicolon."""
    values = [str(i) for i in items]
    if any(re.search(r"[,;]", v) for v in values):
        # One item a line; a lone item ends with a line break so it is not split at its commas.
        return "\n".join(values) + ("\n" if len(values) == 1 else "")
    return ", ".join(values)


def format_bool(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def format_local(utc_text: str | None, zone: tzinfo | None) -> str:
    """A canonical UTC time as local time with its offset (``2026-11-25 10:00:00+01:00``), or
    left canonical (``...Z``) without a zone. Both read back to the same instant."""
    if not utc_text:
        return ""
    if zone is None:
        return utc_text
    try:
        moment = datetime.strptime(utc_text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return utc_text
    return moment.astimezone(zone).isoformat(sep=" ")
