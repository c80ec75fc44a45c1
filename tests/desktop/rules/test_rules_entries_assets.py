from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from desktop.rules.assets import check_asset
from desktop.rules.entries import check_entry, check_entry_times

MARKET: dict[str, Any] = {
    "code": "de",
    "timezone": "Europe/Berlin",
    "currency": "EUR",
    "forbidden_terms": ["gratis"],
    "legal_note": "Anzeige",
}
ASSET: dict[str, Any] = {
    "name": "acme_de_20261127_black-friday_v1",
    "brand": "acme",
    "market": "de",
    "status": "approved",
    "rights": {"usage": ["organic"], "territories": ["de", "at"], "expires_on": "2026-11-30"},
    "embargo": {"until": "2026-11-27T07:00:00Z", "markets": ["de"]},
}
ENTRY: dict[str, Any] = {
    "kind": "organic_post",
    "market": "de",
    "channel": "instagram",
    "title": "Black Friday",
    "caption": "Black Friday bei Acme",
    "starts_at": "2026-11-27T09:00:00Z",
    "ends_at": "2026-11-30T20:00:00Z",
    "status": "planned",
}
PARENT: dict[str, Any] = {**ENTRY, "market": None, "starts_at": "2026-11-26T09:00:00Z"}


def run(
    entry_changes: dict[str, Any] | None = None,
    *,
    asset: dict[str, Any] | None = None,
    market: dict[str, Any] | None = MARKET,
    parent: dict[str, Any] | None = PARENT,
) -> list[tuple[str, str, str | None]]:
    entry = {**copy.deepcopy(ENTRY), **(entry_changes or {})}
    findings = check_entry(
        entry, assets=[asset or ASSET], market=market, parent=parent, drift_days=2
    )
    json.dumps([f.details for f in findings])
    return [(f.code, f.severity, f.field) for f in findings]


def test_a_good_entry_passes() -> None:
    assert run() == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # times
        ({"ends_at": "2026-11-27T08:59:59Z"}, [("invalid", "error", "ends_at")]),
        ({"ends_at": "2026-11-27T09:00:00Z"}, []),  # a moment: end equals start
        ({"ends_at": None}, []),
        ({"starts_at": None}, [("invalid", "error", "starts_at")]),
        ({"ends_at": "later"}, [("invalid", "error", "ends_at")]),
        # caption length: error once scheduled, warning for drafts and cancelled entries
        ({"caption": "a" * 2201}, [("caption_too_long", "error", "caption")]),
        ({"caption": "a" * 2200}, []),
        ({"caption": "a" * 2201, "status": "draft"}, [("caption_too_long", "warning", "caption")]),
        (
            {"caption": "a" * 2201, "status": "cancelled"},
            [("caption_too_long", "warning", "caption")],
        ),
        ({"caption": "a" * 2201, "status": None}, [("caption_too_long", "warning", "caption")]),
        ({"channel": "Myspace"}, [("unknown_channel", "warning", "channel")]),
        # forbidden terms: warnings in title and caption
        ({"title": "GRATIS"}, [("forbidden_term", "warning", "title")]),
        ({"caption": "alles gratis!"}, [("forbidden_term", "warning", "caption")]),
        ({"caption": "gratisfaction"}, []),
        # drift against the parent
        ({"starts_at": "2026-11-29T09:00:01Z"}, [("drift", "warning", "starts_at")]),
        ({"starts_at": "2026-11-28T09:00:00Z"}, []),
        # rights and embargo: only once scheduled
        ({"kind": "paid_burst"}, [("rights_not_cleared", "error", "asset_ids")]),
        ({"kind": "paid_burst", "status": "draft"}, []),
        ({"ends_at": "2026-12-01T00:00:01Z"}, [("rights_not_cleared", "error", "asset_ids")]),
        ({"ends_at": "2026-12-01T00:00:00Z"}, []),
        ({"market": "fr"}, [("rights_not_cleared", "error", "asset_ids")]),
        ({"starts_at": "2026-11-27T06:59:59Z"}, [("embargoed", "error", "asset_ids")]),
        ({"starts_at": "2026-11-27T07:00:00Z"}, []),
        (
            {"starts_at": "2026-11-27T06:00:00Z", "status": "published"},
            [("embargoed", "error", "asset_ids")],
        ),
        (
            {"starts_at": "2026-11-27T06:00:00Z", "status": "approved"},
            [("embargoed", "error", "asset_ids")],
        ),
        ({"starts_at": "2026-11-27T06:00:00Z", "status": "cancelled"}, []),
        ({"market": "at", "starts_at": "2026-11-27T06:00:00Z"}, []),  # embargo is DE only
    ],
)
def test_check_entry(changes: dict[str, Any], expected: list[tuple[str, str, str | None]]) -> None:
    assert run(changes) == expected


def test_global_entry_needs_worldwide_rights_and_is_held_only_by_a_worldwide_embargo() -> None:
    early = {"market": None, "starts_at": "2026-11-27T06:00:00Z"}
    assert run(early, market=None, parent=None) == [("rights_not_cleared", "error", "asset_ids")]
    worldwide = copy.deepcopy(ASSET)
    worldwide["rights"]["territories"] = ["*"]
    assert run(early, asset=worldwide, market=None, parent=None) == []
    worldwide["embargo"]["markets"] = ["*"]
    assert run(early, asset=worldwide, market=None, parent=None) == [
        ("embargoed", "error", "asset_ids")
    ]


def test_entry_findings_name_the_asset() -> None:
    entry = {**ENTRY, "kind": "paid_burst", "starts_at": "2026-11-27T06:00:00Z"}
    rights, embargo = check_entry(entry, assets=[ASSET], market=MARKET, parent=None)
    assert (
        rights.message == 'The rights of "acme_de_20261127_black-friday_v1" do not allow paid use.'
    )
    assert rights.details["asset"] == ASSET["name"]
    assert rights.details["asset_field"] == "rights.usage"
    assert embargo.message == (
        '"acme_de_20261127_black-friday_v1" is embargoed in DE until Fri 27 Nov 08:00 '
        "(Europe/Berlin)."
    )


def test_every_linked_asset_is_checked() -> None:
    other = {**ASSET, "name": "acme_de_20261127_black-friday_v2", "rights": {}}
    findings = check_entry(ENTRY, assets=[ASSET, other], market=MARKET, parent=None)
    assert {f.details["asset"] for f in findings} == {"acme_de_20261127_black-friday_v2"}
    assert check_entry(ENTRY, assets=[], market=MARKET, parent=None) == []


def test_drift_allowance_is_passed_on() -> None:
    entry = {**ENTRY, "starts_at": "2026-11-27T10:00:00Z"}
    findings = check_entry(entry, assets=[], market=MARKET, parent=PARENT, drift_days=1)
    assert [f.code for f in findings] == ["drift"]


@pytest.mark.parametrize(
    ("entry", "code"),
    [
        (ENTRY, None),
        ({**ENTRY, "ends_at": "2026-11-27T08:00:00Z"}, "invalid"),
        ({**ENTRY, "caption": "a" * 9999, "title": "gratis"}, None),  # not the server's concern
    ],
)
def test_check_entry_times(entry: dict[str, Any], code: str | None) -> None:
    finding = check_entry_times(entry)
    assert (None if finding is None else finding.code) == code
    if finding is not None:
        assert finding.message == "This ends before it starts; move the end later."


# --- assets -----------------------------------------------------------------------------------

NOW = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "now", "expected"),
    [
        ({}, NOW, []),
        ({"name": "Black Friday Hero.jpg"}, NOW, [("name_invalid", "warning")]),
        ({"name": None}, NOW, [("name_invalid", "warning")]),
        ({"market": "at"}, NOW, [("name_market_mismatch", "warning")]),
        ({"market": None}, NOW, [("name_market_mismatch", "warning")]),
        ({"brand": "Globex"}, NOW, [("name_brand_mismatch", "warning")]),
        ({"brand": "ACME"}, NOW, []),
        ({"brand": None}, NOW, []),
        ({"rights": {"usage": []}}, NOW, [("rights_missing", "warning")]),
        ({"rights": None, "status": "draft"}, NOW, [("rights_missing", "info")]),
        (
            {"rights": {**ASSET["rights"], "expires_on": "2026-11-19"}},
            NOW,
            [("rights_expired", "warning")],
        ),
        ({"rights": {**ASSET["rights"], "expires_on": "2026-11-20"}}, NOW, []),  # ends tonight
        ({"rights": {**ASSET["rights"], "expires_on": "2026-11-19"}}, None, []),  # no clock given
        (
            {"embargo": {"until": "2026-11-27T07:00:00Z", "markets": []}},
            NOW,
            [("embargo_no_markets", "warning")],
        ),
        ({"embargo": {"until": None, "markets": []}}, NOW, []),
        ({"embargo": None}, NOW, []),
    ],
)
def test_check_asset(
    changes: dict[str, Any], now: datetime | None, expected: list[tuple[str, str]]
) -> None:
    findings = check_asset({**ASSET, **changes}, now=now)
    assert [(f.code, f.severity) for f in findings] == expected
    json.dumps([f.details for f in findings])


def test_global_master_named_global_passes() -> None:
    master = {
        **ASSET,
        "name": "acme_global_20261127_black-friday_master",
        "market": None,
    }
    assert check_asset(master) == []
