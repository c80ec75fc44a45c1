from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.rules.requests import (
    SlaClock,
    check_decision,
    check_delete,
    check_draft,
    check_submit,
    check_transition,
    escalates,
    sla_clock,
    sla_due_at,
)

MARKET: dict[str, Any] = {
    "code": "de",
    "name": "Germany",
    "timezone": "Europe/Berlin",
    "currency": "EUR",
    "forbidden_terms": ["gratis", "free shipping"],
    "legal_note": "Anzeige",
    "boost_threshold": "5000.00",
}
ENTRY: dict[str, Any] = {
    "kind": "organic_post",
    "market": "de",
    "channel": "instagram",
    "caption": "Black Friday bei Acme: jetzt zugreifen",
    "starts_at": "2026-11-27T08:00:00Z",
    "ends_at": "2026-11-27T08:00:00Z",
    "status": "published",
}
ASSET: dict[str, Any] = {
    "name": "acme_de_20261127_black-friday_v1",
    "market": "de",
    "rights": {"usage": ["organic", "paid"], "territories": ["de"], "expires_on": "2026-11-30"},
    "embargo": {"until": "2026-11-27T07:00:00Z", "markets": ["de"]},
}
REQUEST: dict[str, Any] = {
    "entry_id": "0b9f6c1e-3f59-4c39-9d2a-4a4d7c1f0d11",
    "asset_id": "6f1c2a0e-1d42-4b8e-9a77-2b51f9d0e222",
    "market": "de",
    "cta": "Jetzt shoppen",
    "audience": "DE 18-34",
    "budget": {"amount": "1500.00", "currency": "EUR"},
    "starts_at": "2026-11-27T09:00:00Z",
    "ends_at": "2026-11-30T21:00:00Z",
    "primary_kpi": "ctr",
    "priority": "standard",
    "legal_note": "Anzeige | Werbung für Acme",
    "checklist": {
        "landing_page": True,
        "audience_overlap": True,
        "budget_cap": True,
        "tracking": True,
        "dashboard": True,
    },
    "status": "draft",
}

Mutation = Callable[[dict[str, Any]], None]


def run(mutate: Mutation) -> list[tuple[str, str | None]]:
    state = {
        "request": copy.deepcopy(REQUEST),
        "entry": copy.deepcopy(ENTRY),
        "asset": copy.deepcopy(ASSET),
        "market": copy.deepcopy(MARKET),
    }
    mutate(state)
    findings = check_submit(
        state["request"], entry=state["entry"], asset=state["asset"], market=state["market"]
    )
    assert all(f.severity == "error" for f in findings)
    json.dumps([f.details for f in findings])
    return [(f.code, f.field) for f in findings]


def setter(path: str, value: Any) -> Mutation:
    def mutate(state: dict[str, Any]) -> None:
        *keys, last = path.split(".")
        target = state
        for key in keys:
            target = target[key]
        if value is DELETE:
            del target[last]
        else:
            target[last] = value

    return mutate


DELETE = object()


def test_a_complete_request_passes() -> None:
    assert run(lambda state: None) == []


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        # invalid: links
        ("entry", None, [("invalid", "entry_id")]),
        ("asset", None, [("invalid", "asset_id")]),
        ("market", None, [("invalid", "market")]),
        ("market.code", "at", [("invalid", "market")]),
        ("market", {**MARKET, "code": "us", "currency": "USD"}, [("invalid", "market")]),
        ("request.market", None, [("invalid", "market")]),
        # invalid: budget
        ("request.budget.amount", "0", [("invalid", "budget.amount")]),
        ("request.budget.amount", "0.00", [("invalid", "budget.amount")]),
        ("request.budget.amount", "-5", [("invalid", "budget.amount")]),
        ("request.budget.amount", "0.01", []),
        ("request.budget.amount", None, [("invalid", "budget.amount")]),
        ("request.budget.amount", "", [("invalid", "budget.amount")]),
        ("request.budget.amount", "lots", [("invalid", "budget.amount")]),
        ("request.budget", None, [("invalid", "budget.amount"), ("invalid", "budget.currency")]),
        ("request.budget.currency", "USD", [("invalid", "budget.currency")]),
        ("request.budget.currency", None, [("invalid", "budget.currency")]),
        ("market.currency", None, []),  # no currency set for the market: any is accepted
        # invalid: window
        ("request.ends_at", "2026-11-27T09:00:00Z", [("invalid", "ends_at")]),
        ("request.ends_at", "2026-11-27T08:00:00Z", [("invalid", "ends_at")]),
        ("request.ends_at", "2026-11-27T09:00:01Z", []),
        ("request.ends_at", None, [("invalid", "ends_at")]),
        ("request.starts_at", DELETE, [("invalid", "starts_at")]),
        ("request.starts_at", "tomorrow", [("invalid", "starts_at")]),
        # rights_not_cleared
        ("asset.rights.usage", ["organic"], [("rights_not_cleared", "rights.usage")]),
        ("asset.rights.territories", ["at"], [("rights_not_cleared", "rights.territories")]),
        ("asset.rights.territories", ["*"], []),
        ("asset.rights.expires_on", "2026-11-29", [("rights_not_cleared", "rights.expires_on")]),
        ("asset.rights.expires_on", "2026-11-30", []),  # holds through the end of the day
        (
            "asset.rights",
            None,
            [
                ("rights_not_cleared", "rights.usage"),
                ("rights_not_cleared", "rights.territories"),
            ],
        ),
        # embargoed: until after starts_at, market held
        ("asset.embargo.until", "2026-11-27T09:00:01Z", [("embargoed", "embargo.until")]),
        ("asset.embargo.until", "2026-11-27T09:00:00Z", []),
        ("asset.embargo.markets", ["*"], []),  # lifted before the window anyway
        (
            "asset.embargo",
            {"until": "2026-12-01T00:00:00Z", "markets": ["*"]},
            [("embargoed", "embargo.until")],
        ),
        ("asset.embargo", {"until": "2026-12-01T00:00:00Z", "markets": ["at"]}, []),
        # forbidden_term in the cta or the entry's caption
        ("request.cta", "GRATIS testen!", [("forbidden_term", "cta")]),
        ("request.cta", "Gratisfaction", []),
        ("entry.caption", "Free\nshipping heute", [("forbidden_term", "entry.caption")]),
        ("request.audience", "gratis", []),  # only cta and caption are checked
        ("market.forbidden_terms", [], []),
        # legal_note_missing
        ("request.legal_note", None, [("legal_note_missing", "legal_note")]),
        ("request.legal_note", "Werbung", [("legal_note_missing", "legal_note")]),
        ("request.legal_note", "ANZEIGE", []),  # case-insensitive
        ("market.legal_note", "", []),
        ("market.legal_note", None, []),
        # checklist_incomplete
        ("request.checklist.tracking", False, [("checklist_incomplete", "checklist")]),
        ("request.checklist.dashboard", DELETE, [("checklist_incomplete", "checklist")]),
        ("request.checklist.budget_cap", None, [("checklist_incomplete", "checklist")]),
        ("request.checklist", None, [("checklist_incomplete", "checklist")]),
    ],
)
def test_submit_checks(path: str, value: Any, expected: list[tuple[str, str | None]]) -> None:
    assert run(setter(path, value)) == expected


def test_findings_come_in_protocol_order() -> None:
    def everything(state: dict[str, Any]) -> None:
        state["request"]["checklist"] = {"tracking": True}
        state["request"]["legal_note"] = ""
        state["request"]["cta"] = "gratis"
        state["asset"]["embargo"] = {"until": "2026-12-24T00:00:00Z", "markets": ["*"]}
        state["asset"]["rights"]["usage"] = ["organic"]
        state["request"]["budget"]["amount"] = "0"

    assert [code for code, _ in run(everything)] == [
        "invalid",
        "rights_not_cleared",
        "embargoed",
        "forbidden_term",
        "legal_note_missing",
        "checklist_incomplete",
    ]


def test_missing_window_skips_expiry_and_embargo_but_not_usage() -> None:
    def no_window(state: dict[str, Any]) -> None:
        state["request"]["starts_at"] = None
        state["request"]["ends_at"] = None
        state["asset"]["rights"] = {"usage": ["organic"], "territories": ["de"]}
        state["asset"]["embargo"] = {"until": "2099-01-01T00:00:00Z", "markets": ["*"]}

    assert run(no_window) == [
        ("invalid", "starts_at"),
        ("invalid", "ends_at"),
        ("rights_not_cleared", "rights.usage"),
    ]


def test_submit_messages_are_plain() -> None:
    request = copy.deepcopy(REQUEST)
    request["budget"] = {"amount": "100", "currency": "USD"}
    request["checklist"] = {"landing_page": True, "budget_cap": True, "tracking": True}
    request["legal_note"] = None
    request["cta"] = "Gratis!"
    findings = check_submit(request, entry=ENTRY, asset=ASSET, market=MARKET)
    messages = {f.code: f.message for f in findings}
    assert messages["invalid"] == "The budget is in USD, but budgets in DE are in EUR."
    assert messages["legal_note_missing"] == 'Add the legal note required in DE: "Anzeige".'
    assert messages["checklist_incomplete"] == (
        "Complete the pre-flight checklist; not done yet: audience overlap, dashboard."
    )
    assert messages["forbidden_term"].startswith('The call to action contains "gratis"')
    (checklist,) = [f for f in findings if f.code == "checklist_incomplete"]
    assert checklist.details == {"missing": ["audience_overlap", "dashboard"]}


def test_embargo_message_uses_the_market_time_zone() -> None:
    (finding,) = check_submit(
        {**REQUEST, "starts_at": "2026-11-27T06:00:00Z"}, entry=ENTRY, asset=ASSET, market=MARKET
    )
    assert finding.message == (
        '"acme_de_20261127_black-friday_v1" is embargoed in DE until Fri 27 Nov 08:00 '
        "(Europe/Berlin)."
    )


def test_legal_note_ignores_spacing_and_case() -> None:
    market = {**MARKET, "legal_note": "Bezahlte  Partnerschaft mit Acme"}
    request = {**REQUEST, "legal_note": "#ad bezahlte partnerschaft\nmit ACME."}
    assert check_submit(request, entry=ENTRY, asset=ASSET, market=market) == []


def test_check_draft_gives_the_same_findings_as_warnings() -> None:
    request = {**REQUEST, "cta": "gratis", "checklist": {}}
    submit = check_submit(request, entry=ENTRY, asset=ASSET, market=MARKET)
    draft = check_draft(request, entry=ENTRY, asset=ASSET, market=MARKET)
    assert [f.severity for f in draft] == ["warning", "warning"]
    assert [(f.code, f.field, f.message, f.details) for f in draft] == [
        (f.code, f.field, f.message, f.details) for f in submit
    ]
    assert check_draft(REQUEST, entry=ENTRY, asset=ASSET, market=MARKET) == []


# --- SLA and escalation -----------------------------------------------------------------------

SUBMITTED = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("priority", "hours"), [("standard", 3), (None, 3), ("emergency", 1), ("whatever", 3)]
)
def test_sla_due_at(priority: str | None, hours: int) -> None:
    assert sla_due_at(SUBMITTED, priority) == SUBMITTED + timedelta(hours=hours)


def test_sla_due_at_is_utc() -> None:
    local = SUBMITTED.astimezone()
    assert sla_due_at(local, "emergency").utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("local_now", "offset", "remaining", "breached"),
    [
        (SUBMITTED, 0, timedelta(hours=3), False),
        (SUBMITTED, 3600, timedelta(hours=2), False),  # the server is an hour ahead
        (SUBMITTED, -1800, timedelta(hours=3, minutes=30), False),
        (SUBMITTED + timedelta(hours=3), 0, timedelta(0), True),
        (SUBMITTED + timedelta(hours=2, minutes=59), 0, timedelta(minutes=1), False),
        (SUBMITTED + timedelta(hours=2), 4000, timedelta(seconds=-400), True),
    ],
)
def test_sla_clock(
    local_now: datetime, offset: float, remaining: timedelta, breached: bool
) -> None:
    due = SUBMITTED + timedelta(hours=3)
    clock = sla_clock(due, local_now=local_now, clock_offset_seconds=offset)
    assert clock == SlaClock(due, remaining, breached)
    assert sla_clock("2026-11-27T12:00:00Z", local_now=local_now, clock_offset_seconds=offset) == (
        clock
    )


def test_sla_clock_refuses_what_is_not_a_time() -> None:
    with pytest.raises(ValueError, match="not a time"):
        sla_clock("soon", local_now=SUBMITTED, clock_offset_seconds=0)


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2)),
    st.floats(min_value=-86400, max_value=86400),
)
def test_sla_remaining_falls_as_time_passes(
    local_now: datetime, later: timedelta, offset: float
) -> None:
    due = SUBMITTED + timedelta(hours=3)
    now = local_now.replace(tzinfo=UTC)
    first = sla_clock(due, local_now=now, clock_offset_seconds=offset)
    second = sla_clock(due, local_now=now + later, clock_offset_seconds=offset)
    assert second.remaining == first.remaining - later
    assert second.breached or not first.breached  # once breached, it stays breached
    assert first.breached == (first.remaining <= timedelta(0))


@pytest.mark.parametrize(
    ("amount", "threshold", "expected"),
    [
        ("5000.01", "5000.00", True),
        ("5000.00", "5000.00", False),
        ("5000", "5000.00", False),
        ("100", None, False),
        ("100", "", False),
        (None, "5000.00", False),
        ("lots", "5000.00", False),
    ],
)
def test_escalates(amount: str | None, threshold: str | None, expected: bool) -> None:
    assert escalates({"amount": amount, "currency": "EUR"}, {"boost_threshold": threshold}) is (
        expected
    )


def test_escalates_without_budget_or_market() -> None:
    assert escalates(None, MARKET) is False
    assert escalates({"amount": "9999"}, None) is False


# --- lifecycle --------------------------------------------------------------------------------

ALLOWED = {
    ("section_lead", None, "draft"),
    ("section_lead", None, "submitted"),
    ("section_lead", "draft", "draft"),
    ("section_lead", "draft", "submitted"),
    ("section_lead", "draft", "withdrawn"),
    ("section_lead", "submitted", "withdrawn"),
    ("section_lead", "escalated", "withdrawn"),
    ("paid_operator", "submitted", "approved"),
    ("paid_operator", "submitted", "declined"),
    ("conductor", "submitted", "approved"),
    ("conductor", "submitted", "declined"),
    ("conductor", "escalated", "approved"),
    ("conductor", "escalated", "declined"),
    ("compliance", "submitted", "declined"),
    ("compliance", "escalated", "declined"),
    # a conductor writes everything, so it may do what a lead does
    ("conductor", None, "draft"),
    ("conductor", None, "submitted"),
    ("conductor", "draft", "draft"),
    ("conductor", "draft", "submitted"),
    ("conductor", "draft", "withdrawn"),
    ("conductor", "submitted", "withdrawn"),
    ("conductor", "escalated", "withdrawn"),
}
ROLES = ["section_lead", "paid_operator", "conductor", "compliance", "guest"]
STATUSES: list[str | None] = [
    None,
    "draft",
    "submitted",
    "escalated",
    "approved",
    "declined",
    "withdrawn",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("old", STATUSES)
@pytest.mark.parametrize("new", STATUSES[1:])
def test_check_transition_table(role: str, old: str | None, new: str) -> None:
    finding = check_transition(role=role, old=old, new=new)
    if (role, old, new) in ALLOWED:
        assert finding is None
    else:
        assert finding is not None
        assert finding.code == "invalid_transition"
        assert finding.severity == "error"
        assert finding.details == {"role": role, "from": old, "to": new}


@pytest.mark.parametrize(
    ("role", "old", "new", "message"),
    [
        (
            "section_lead",
            "submitted",
            "approved",
            "You cannot move a submitted request to approved; you can only withdraw it.",
        ),
        (
            "section_lead",
            None,
            "approved",
            "You cannot create a request as approved; you can only save it as a draft or "
            "submit it.",
        ),
        (
            "section_lead",
            "submitted",
            "submitted",
            "You cannot edit a submitted request; you can only withdraw it.",
        ),
        (
            "paid_operator",
            "escalated",
            "approved",
            "Only a conductor decides an escalated request (its budget is above the limit).",
        ),
        (
            "conductor",
            "approved",
            "declined",
            "This request is already approved; it cannot change any more.",
        ),
        ("guest", "draft", "submitted", "Your role cannot change amplification requests."),
        ("section_lead", "draft", "sent", '"sent" is not a request status.'),
        (
            "compliance",
            "submitted",
            "approved",
            "You cannot move a submitted request to approved; you can only decline it.",
        ),
    ],
)
def test_transition_messages(role: str, old: str | None, new: str, message: str) -> None:
    finding = check_transition(role=role, old=old, new=new)
    assert finding is not None
    assert finding.message == message


def test_lead_alias() -> None:
    assert check_transition(role="lead", old="draft", new="submitted") is None


@pytest.mark.parametrize(
    ("role", "status", "new_status", "note", "code"),
    [
        ("paid_operator", "submitted", "declined", "Landing page is down", None),
        ("paid_operator", "submitted", "declined", None, "invalid"),
        ("paid_operator", "submitted", "declined", "   ", "invalid"),
        ("paid_operator", "submitted", "approved", None, None),  # an approval needs no note
        ("compliance", "escalated", "declined", "Claims not substantiated", None),
        ("compliance", "escalated", "declined", "", "invalid"),
        ("compliance", "submitted", "approved", "ok", "invalid_transition"),
        ("paid_operator", "escalated", "approved", "ok", "invalid_transition"),
        ("conductor", "escalated", "approved", None, None),
        ("section_lead", "submitted", "declined", "no", "invalid_transition"),
    ],
)
def test_check_decision(
    role: str, status: str, new_status: str, note: str | None, code: str | None
) -> None:
    finding = check_decision(role=role, status=status, new_status=new_status, decision_note=note)
    assert (None if finding is None else finding.code) == code
    if code == "invalid":
        assert finding is not None
        assert finding.field == "decision_note"
        assert finding.message == "Say why the request is declined."


def test_check_delete() -> None:
    finding = check_delete()
    assert finding.code == "invalid_transition"
    assert finding.severity == "error"
    assert "withdraw" in finding.message
