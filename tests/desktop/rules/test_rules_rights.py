from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.rules.rights import check_embargo, check_rights, embargo_lifting, rights_expiring

RIGHTS: dict[str, Any] = {
    "holder": "Studio",
    "usage": ["organic", "paid"],
    "territories": ["de", "at"],
    "expires_on": "2026-11-30",
}
NOV_30_LATE = datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC)
DEC_1 = datetime(2026, 12, 1, tzinfo=UTC)


def reasons(rights: dict[str, Any] | None, **kwargs: Any) -> list[str]:
    args: dict[str, Any] = {"usage": "paid", "market": "de", "until": NOV_30_LATE, **kwargs}
    findings = check_rights(rights, **args)
    assert {f.code for f in findings} <= {"rights_not_cleared"}
    assert all(f.severity == "error" for f in findings)
    json.dumps([f.details for f in findings])
    return [f.details["reason"] for f in findings]


@pytest.mark.parametrize(
    ("rights", "kwargs", "expected"),
    [
        (RIGHTS, {}, []),
        (RIGHTS, {"usage": "organic", "market": "at"}, []),
        ({**RIGHTS, "usage": ["organic"]}, {}, ["usage"]),
        ({**RIGHTS, "usage": ["organic"]}, {"usage": "organic"}, []),
        ({**RIGHTS, "usage": None}, {}, ["usage"]),
        (RIGHTS, {"market": "fr"}, ["territory"]),
        ({**RIGHTS, "territories": ["*"]}, {"market": "fr"}, []),
        ({**RIGHTS, "territories": []}, {}, ["territory"]),
        (RIGHTS, {"market": None}, ["territory"]),  # a global use needs every market
        ({**RIGHTS, "territories": ["*"]}, {"market": None}, []),
        # rights hold through the END of expires_on (UTC)
        (RIGHTS, {"until": DEC_1}, []),
        (RIGHTS, {"until": DEC_1 + timedelta(seconds=1)}, ["expiry"]),
        (RIGHTS, {"until": datetime(2026, 12, 1, 1, 0, tzinfo=UTC)}, ["expiry"]),
        # an offset time is compared as the instant it is
        (RIGHTS, {"until": datetime(2026, 12, 1, 0, 30, tzinfo=UTC).astimezone()}, ["expiry"]),
        ({**RIGHTS, "expires_on": None}, {"until": datetime(2099, 1, 1, tzinfo=UTC)}, []),
        ({**RIGHTS, "expires_on": "30.11.2026"}, {}, ["expiry"]),
        (RIGHTS, {"until": None}, []),  # no end known: expiry not checked
        ({}, {}, ["usage", "territory"]),
        (None, {"until": DEC_1 + timedelta(days=9)}, ["usage", "territory"]),
        (
            {"usage": [], "territories": ["fr"], "expires_on": "2026-01-01"},
            {},
            ["usage", "territory", "expiry"],
        ),
    ],
)
def test_check_rights(
    rights: dict[str, Any] | None, kwargs: dict[str, Any], expected: list[str]
) -> None:
    assert reasons(rights, **kwargs) == expected


def test_rights_messages_are_plain() -> None:
    rights = {"usage": ["organic"], "territories": ["at"], "expires_on": "2026-11-30"}
    usage, territory, expiry = check_rights(
        rights, usage="paid", market="de", until=datetime(2026, 12, 2, 12, tzinfo=UTC)
    )
    assert usage.message == "The rights do not allow paid use."
    assert usage.field == "rights.usage"
    assert territory.message == "The rights do not cover DE; they cover AT."
    assert expiry.message == (
        "The rights end on 30 Nov 2026 (midnight UTC), before the planned end on 2 Dec 2026."
    )
    (named,) = check_rights(
        {**rights, "territories": ["*"], "expires_on": None},
        usage="paid",
        market="de",
        until=None,
        asset_name="acme_de_20261124_bf_v1",
    )
    assert named.message == 'The rights of "acme_de_20261124_bf_v1" do not allow paid use.'
    assert named.details["asset"] == "acme_de_20261124_bf_v1"


def test_check_rights_refuses_a_naive_until() -> None:
    with pytest.raises(ValueError, match="time zone"):
        check_rights(RIGHTS, usage="paid", market="de", until=datetime(2026, 12, 1))


EMBARGO = {"until": "2026-11-25T09:00:00Z", "markets": ["de"]}
BEFORE = datetime(2026, 11, 25, 8, 59, 59, tzinfo=UTC)
AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("embargo", "market", "starts_at", "blocked"),
    [
        (EMBARGO, "de", BEFORE, True),
        (EMBARGO, "de", AT, False),  # lifted exactly when the window starts
        (EMBARGO, "de", AT + timedelta(days=1), False),
        (EMBARGO, "at", BEFORE, False),
        ({**EMBARGO, "markets": ["*"]}, "at", BEFORE, True),
        ({**EMBARGO, "markets": []}, "de", BEFORE, False),
        ({**EMBARGO, "markets": None}, "de", BEFORE, False),
        ({"until": None, "markets": ["de"]}, "de", BEFORE, False),
        ({}, "de", BEFORE, False),
        (None, "de", BEFORE, False),
        (EMBARGO, None, BEFORE, False),  # a global use: only "*" holds it
        ({**EMBARGO, "markets": ["*"]}, None, BEFORE, True),
        ({**EMBARGO, "until": "not a time"}, "de", AT + timedelta(days=9), True),
    ],
)
def test_check_embargo(
    embargo: dict[str, Any] | None, market: str | None, starts_at: datetime, blocked: bool
) -> None:
    findings = check_embargo(embargo, market=market, starts_at=starts_at)
    assert [f.code for f in findings] == (["embargoed"] if blocked else [])
    assert all(f.severity == "error" and f.field == "embargo.until" for f in findings)


@pytest.mark.parametrize(
    ("timezone", "starts_at", "message"),
    [
        ("Europe/Berlin", BEFORE, "Embargoed in DE until Wed 25 Nov 10:00 (Europe/Berlin)."),
        ("America/New_York", BEFORE, "Embargoed in DE until Wed 25 Nov 04:00 (America/New_York)."),
        (None, BEFORE, "Embargoed in DE until Wed 25 Nov 09:00 UTC."),
        ("Mars/Olympus", BEFORE, "Embargoed in DE until Wed 25 Nov 09:00 UTC."),
        # the year is given when it is not the window's
        (
            "Europe/Berlin",
            datetime(2025, 12, 30, tzinfo=UTC),
            "Embargoed in DE until Wed 25 Nov 2026 10:00 (Europe/Berlin).",
        ),
    ],
)
def test_embargo_message_in_the_market_time_zone(
    timezone: str | None, starts_at: datetime, message: str
) -> None:
    (finding,) = check_embargo(EMBARGO, market="de", starts_at=starts_at, timezone=timezone)
    assert finding.message == message
    assert finding.details == {"market": "de", "until": "2026-11-25T09:00:00Z"}


def test_embargo_message_names_the_asset_and_all_markets() -> None:
    (finding,) = check_embargo(
        {**EMBARGO, "markets": ["*"]}, market=None, starts_at=BEFORE, asset_name="hero"
    )
    assert finding.message == '"hero" is embargoed in all markets until Wed 25 Nov 09:00 UTC.'


NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("expires_on", "days", "code", "days_left", "words"),
    [
        ("2026-11-20", 14, "rights_expiring", 0, "expire today"),
        ("2026-11-21", 14, "rights_expiring", 1, "expire tomorrow"),
        ("2026-12-04", 14, "rights_expiring", 14, "expire in 14 days"),
        ("2026-12-05", 14, None, None, None),
        ("2026-11-23", 2, None, None, None),
        ("2026-11-22", 2, "rights_expiring", 2, "in 2 days"),
        ("2026-11-19", 14, "rights_expired", -1, "expired on 19 Nov 2026"),
        ("2025-01-01", 14, "rights_expired", -688, "expired on 1 Jan 2025"),
        (None, 14, None, None, None),
        ("garbage", 14, None, None, None),
    ],
)
def test_rights_expiring(
    expires_on: str | None, days: int, code: str | None, days_left: int | None, words: str | None
) -> None:
    finding = rights_expiring({"expires_on": expires_on}, now=NOW, days=days)
    if code is None:
        assert finding is None
        return
    assert finding is not None
    assert finding.code == code
    assert finding.severity == "warning"
    assert finding.details["days_left"] == days_left
    assert words is not None and words in finding.message


def test_rights_expiring_without_rights() -> None:
    assert rights_expiring(None, now=NOW) is None
    assert rights_expiring({}, now=NOW) is None


@pytest.mark.parametrize(
    ("embargo", "market", "now", "hours", "lifting"),
    [
        (EMBARGO, "de", AT - timedelta(hours=5), 48, True),
        (EMBARGO, "de", AT - timedelta(hours=48), 48, True),
        (EMBARGO, "de", AT - timedelta(hours=48, seconds=1), 48, False),
        (EMBARGO, "de", AT - timedelta(hours=5), 4, False),
        (EMBARGO, "de", AT, 48, False),  # already lifted
        (EMBARGO, "at", AT - timedelta(hours=5), 48, False),
        ({**EMBARGO, "markets": ["*"]}, "at", AT - timedelta(hours=5), 48, True),
        ({**EMBARGO, "markets": ["*"]}, None, AT - timedelta(hours=5), 48, True),
        (EMBARGO, None, AT - timedelta(hours=5), 48, False),
        ({"until": None, "markets": ["de"]}, "de", AT - timedelta(hours=5), 48, False),
        (None, "de", AT, 48, False),
    ],
)
def test_embargo_lifting(
    embargo: dict[str, Any] | None, market: str | None, now: datetime, hours: float, lifting: bool
) -> None:
    finding = embargo_lifting(embargo, market=market, now=now, hours=hours)
    assert (finding is not None) == lifting
    if finding is not None:
        assert finding.code == "embargo_lifting"
        assert finding.severity == "info"


def test_embargo_lifting_message() -> None:
    finding = embargo_lifting(
        EMBARGO, market="de", now=AT - timedelta(hours=5), timezone="Europe/Berlin"
    )
    assert finding is not None
    assert finding.message == (
        "The embargo in DE lifts in 5 hours: Wed 25 Nov 10:00 (Europe/Berlin)."
    )
    assert finding.details["hours_left"] == 5


@given(
    st.dates(min_value=datetime(2000, 1, 1).date(), max_value=datetime(2100, 1, 1).date()),
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
)
def test_expiry_agrees_with_end_of_day(expires_on: Any, until: datetime) -> None:
    rights = {"usage": ["paid"], "territories": ["*"], "expires_on": expires_on.isoformat()}
    blocked = bool(check_rights(rights, usage="paid", market="de", until=until))
    end = datetime(expires_on.year, expires_on.month, expires_on.day, tzinfo=UTC) + timedelta(
        days=1
    )
    assert blocked == (until > end)
    expired = rights_expiring(rights, now=until, days=0)
    assert (expired is not None and expired.code == "rights_expired") == (until >= end)
