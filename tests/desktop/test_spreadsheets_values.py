"""Reading cells: dates and times in the usual formats and zones, yes/no, lists."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from desktop.spreadsheets.values import (
    CellError,
    format_local,
    guess_day_first,
    join_list,
    parse_bool,
    parse_day,
    parse_moment,
    split_list,
)

BERLIN = ZoneInfo("Europe/Berlin")


def utc(text: str, *, zone: ZoneInfo | None = BERLIN, day_first: bool = True) -> str:
    return parse_moment(text, zone=zone, day_first=day_first).utc.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25", "2026-11-24T23:00:00Z"),
        ("2026-11-25 09:00", "2026-11-25T08:00:00Z"),
        ("2026-11-25T09:00:30", "2026-11-25T08:00:30Z"),
        ("2026/11/25 09:00", "2026-11-25T08:00:00Z"),
        ("2026-11-25T09:00:00Z", "2026-11-25T09:00:00Z"),
        ("2026-11-25 09:00 UTC", "2026-11-25T09:00:00Z"),
        ("2026-11-25T09:00:00+01:00", "2026-11-25T08:00:00Z"),
        ("2026-11-25 09:00 -0500", "2026-11-25T14:00:00Z"),
        ("2026-11-25 09:00 UTC+2", "2026-11-25T07:00:00Z"),
        ("2026-11-25 09:00 America/New_York", "2026-11-25T14:00:00Z"),
        ("25.11.2026 9:00", "2026-11-25T08:00:00Z"),
        ("25.11.26", "2026-11-24T23:00:00Z"),
        ("25/11/2026 21:30", "2026-11-25T20:30:00Z"),
        ("25-11-2026 21:30", "2026-11-25T20:30:00Z"),
        ("Wed 25 Nov 2026 09:00", "2026-11-25T08:00:00Z"),
        ("Nov 25, 2026 9:00 PM", "2026-11-25T20:00:00Z"),
        ("November 25th, 2026 9am", "2026-11-25T08:00:00Z"),
        ("25. November 2026 9 Uhr", "2026-11-25T08:00:00Z"),
        ("Mittwoch, 25. November 2026 9:30 Uhr", "2026-11-25T08:30:00Z"),
        ("25 novembre 2026 9h30", "2026-11-25T08:30:00Z"),
        ("25 déc. 2026", "2026-12-24T23:00:00Z"),
        ("1. März 2026 12:00", "2026-03-01T11:00:00Z"),
    ],
)
def test_usual_formats(text: str, expected: str) -> None:
    assert utc(text) == expected


def test_month_first_and_ambiguous_slash_dates() -> None:
    assert utc("11/25/2026 9:00", day_first=False) == "2026-11-25T08:00:00Z"
    assert utc("03/04/2026", day_first=True).startswith("2026-04-02T22")
    assert utc("03/04/2026", day_first=False).startswith("2026-03-03T23")
    with pytest.raises(CellError, match="can only be read month first"):
        utc("11/25/2026", day_first=True)
    with pytest.raises(CellError, match="can only be read day first"):
        utc("25/11/2026", day_first=False)
    assert guess_day_first(["03/04/2026", "25/11/2026"]) is True
    assert guess_day_first(["03/04/2026", "11/25/2026"]) is False
    assert guess_day_first(["03/04/2026", "25.11.2026"]) is None


def test_zones_and_daylight_saving() -> None:
    assert utc("2026-07-01 09:00") == "2026-07-01T07:00:00Z"  # summer time
    with pytest.raises(CellError, match="does not exist in Europe/Berlin"):
        utc("2026-03-29 02:30")
    moment = parse_moment("2026-10-25 02:30", zone=BERLIN, day_first=True)
    assert moment.utc == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert moment.note is not None and "happens twice" in moment.note
    with pytest.raises(CellError, match="has no time zone"):
        parse_moment("2026-11-25 09:00", zone=None, day_first=True)
    with pytest.raises(CellError, match="not a time zone"):
        utc("2026-11-25 09:00 Mars/Olympus")


def test_separate_time_column() -> None:
    moment = parse_moment("25.11.2026", zone=BERLIN, day_first=True, clock="14:15")
    assert moment.utc == datetime(2026, 11, 25, 13, 15, tzinfo=UTC)
    with pytest.raises(CellError, match="already has a time"):
        parse_moment("25.11.2026 10:00", zone=BERLIN, day_first=True, clock="14:15")


@pytest.mark.parametrize(
    "text", ["tomorrow", "2026-13-01", "31.02.2026", "45000", "25.11.2026 25:00", "9:00", ""]
)
def test_not_dates(text: str) -> None:
    with pytest.raises(CellError):
        utc(text)


def test_days_bools_and_lists() -> None:
    assert parse_day("31.03.2027", day_first=True) == date(2027, 3, 31)
    assert parse_day("2027-03-31", day_first=True) == date(2027, 3, 31)
    with pytest.raises(CellError):
        parse_day("2027-03-31 10:00", day_first=True)
    assert [parse_bool(t) for t in ("yes", "Ja", "oui", "TRUE", "1")] == [True] * 5
    assert [parse_bool(t) for t in ("no", "Nein", "non", "FALSE", "0")] == [False] * 5
    with pytest.raises(CellError, match="not yes or no"):
        parse_bool("maybe")
    assert split_list("a, b;c ,") == ["a", "b", "c"]
    assert split_list("x, y\nz") == ["x, y", "z"]
    assert split_list("  ") == []
    for items in (["a", "b"], ["a,b", "c"], ["one; two"], []):
        assert split_list(join_list(items)) == items


def test_local_times_keep_their_offset() -> None:
    assert format_local("2026-11-25T09:00:00Z", BERLIN) == "2026-11-25 10:00:00+01:00"
    assert utc(format_local("2026-11-25T09:00:00Z", BERLIN), zone=None) == "2026-11-25T09:00:00Z"
    assert format_local("2026-11-25T09:00:00Z", None) == "2026-11-25T09:00:00Z"
