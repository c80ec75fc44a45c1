from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.values import format_time
from desktop.rules.drift import check_drift
from desktop.rules.stale import changed_fields, check_stale

PLAN = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
PARENT = {"starts_at": format_time(PLAN)}


def entry_at(delta: timedelta) -> dict[str, Any]:
    return {"starts_at": format_time(PLAN + delta)}


@pytest.mark.parametrize(
    ("delta", "days", "direction"),
    [
        (timedelta(days=2), 2, None),  # exactly the allowance is fine
        (timedelta(days=2, seconds=1), 2, "later"),
        (timedelta(days=-2), 2, None),
        (timedelta(days=-3), 2, "earlier"),
        (timedelta(hours=13), 0.5, "later"),
        (timedelta(hours=11), 0.5, None),
        (timedelta(0), 0, None),
    ],
)
def test_check_drift(delta: timedelta, days: float, direction: str | None) -> None:
    finding = check_drift(entry_at(delta), PARENT, days=days)
    if direction is None:
        assert finding is None
        return
    assert finding is not None
    assert finding.code == "drift"
    assert finding.severity == "warning"
    assert finding.field == "starts_at"
    assert finding.details["direction"] == direction
    assert finding.details["days"] == pytest.approx(delta.total_seconds() / 86400)


@pytest.mark.parametrize(
    ("delta", "message"),
    [
        (
            timedelta(days=3, hours=4),
            "This starts 3 days and 4 hours later than the global plan (more than 2 days apart).",
        ),
        (
            timedelta(days=-5),
            "This starts 5 days earlier than the global plan (more than 2 days apart).",
        ),
    ],
)
def test_drift_message(delta: timedelta, message: str) -> None:
    finding = check_drift(entry_at(delta), PARENT)
    assert finding is not None
    assert finding.message == message


def test_drift_message_with_fractional_allowance() -> None:
    finding = check_drift(entry_at(timedelta(days=2)), PARENT, days=1.5)
    assert finding is not None
    assert finding.message.endswith("(more than 1.5 days apart).")
    one = check_drift(entry_at(timedelta(days=2)), PARENT, days=1)
    assert one is not None and one.message.endswith("(more than 1 day apart).")


def test_drift_needs_both_times() -> None:
    assert check_drift({}, PARENT) is None
    assert check_drift(entry_at(timedelta(days=9)), {"starts_at": None}) is None
    assert check_drift({"starts_at": "next week"}, PARENT) is None


@given(st.integers(min_value=-(10**7), max_value=10**7), st.floats(min_value=0, max_value=30))
def test_drift_is_symmetric_in_direction(seconds: int, days: float) -> None:
    later = check_drift(entry_at(timedelta(seconds=seconds)), PARENT, days=days)
    earlier = check_drift(entry_at(timedelta(seconds=-seconds)), PARENT, days=days)
    allowed = timedelta(days=days)  # the allowance as the rule measures it (microseconds)
    assert (later is None) == (earlier is None) == (timedelta(seconds=abs(seconds)) <= allowed)


MASTER_THEN = {"caption": "Hello", "starts_at": "2026-11-27T09:00:00Z", "tags": ["a"], "rights": {}}
MASTER_NOW = {"caption": "Hello!", "starts_at": "2026-11-27T09:00:00Z", "tags": ["b"]}


@pytest.mark.parametrize(
    ("then", "now", "fields", "expected"),
    [
        (MASTER_THEN, MASTER_NOW, ["caption", "starts_at"], ["caption"]),
        (MASTER_THEN, MASTER_NOW, ["tags", "caption", "tags"], ["tags", "caption"]),
        (MASTER_THEN, MASTER_NOW, ["starts_at"], []),
        (MASTER_THEN, MASTER_NOW, ["rights"], []),  # {} and missing are the same
        ({"asset_ids": None}, {"asset_ids": []}, ["asset_ids"], []),
        ({"title": None}, {}, ["title"], []),
        ({"title": None}, {"title": ""}, ["title"], ["title"]),
        (
            {"rights": {"usage": ["paid"]}},
            {"rights": {"usage": ["organic"]}},
            ["rights"],
            ["rights"],
        ),
        ({}, {}, [], []),
    ],
)
def test_changed_fields(
    then: dict[str, Any], now: dict[str, Any], fields: list[str], expected: list[str]
) -> None:
    assert changed_fields(then, now, fields) == expected


@pytest.mark.parametrize(
    ("adapted", "version", "then", "expected"),
    [
        (3, 3, MASTER_THEN, None),
        (4, 3, MASTER_THEN, None),
        (None, 3, MASTER_THEN, None),
        (2, 3, MASTER_THEN, ["caption"]),
        (2, 3, {**MASTER_NOW}, None),  # only fields that do not matter changed
        (2, 3, None, "no list"),
    ],
)
def test_check_stale(
    adapted: int | None, version: int, then: dict[str, Any] | None, expected: Any
) -> None:
    finding = check_stale(
        adapted_from_version=adapted,
        master_version=version,
        master_then=then,
        master_now=MASTER_NOW,
        fields=["caption", "starts_at"],
    )
    if expected is None:
        assert finding is None
        return
    assert finding is not None
    assert finding.code == "stale_adaptation"
    assert finding.severity == "warning"
    assert finding.details["from_version"] == adapted
    assert finding.details["to_version"] == version
    if expected == "no list":
        assert "changed_fields" not in finding.details
        assert finding.message == (
            "The global version changed since you adapted it (version 2 is now 3); "
            "compare it with the global version."
        )
    else:
        assert finding.details["changed_fields"] == expected
        assert finding.message == (
            "The global version changed since you adapted it (version 2 is now 3): caption changed."
        )


def test_stale_message_uses_plain_field_names() -> None:
    finding = check_stale(
        adapted_from_version=1,
        master_version=5,
        master_then={"cta": "a", "starts_at": "2026-01-01T00:00:00Z"},
        master_now={"cta": "b", "starts_at": "2026-01-02T00:00:00Z"},
        fields=("cta", "starts_at"),
    )
    assert finding is not None
    assert finding.message.endswith(": call to action, start time changed.")
