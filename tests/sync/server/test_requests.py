"""Amplification requests: submit checks against entry, asset and market; SLA from the server's
clock; escalation; who may move a request where; server-set fields."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from desktop.domain.values import parse_time
from tests.sync.server.conftest import World
from tests.sync.server.helpers import (
    applied,
    asset_data,
    create,
    delete,
    entry_data,
    png_bytes,
    push,
    request_data,
    update,
    upload,
)


@pytest.fixture
def linked(world: World) -> dict[str, Any]:
    digest = upload(world.conductor, png_bytes(color=(9, 9, 9)))
    results = push(
        world.conductor,
        create("asset", asset_data(None, digest)),
        create("calendar_entry", entry_data("de", caption="Winter is here")),
    )
    asset, entry = (applied(r) for r in results)
    return {"asset": asset, "entry": entry}


def _request(linked: dict[str, Any], **extra: Any) -> dict[str, Any]:
    data = request_data("de", linked["entry"]["id"], linked["asset"]["id"], legal_note="Anzeige")
    data.update(extra)
    return create("amplification_request", data)


def test_submit_sets_server_times_and_sla(world: World, linked: dict[str, Any]) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    [standard] = push(world.lead_de, _request(linked))
    [emergency] = push(world.lead_de, _request(linked, priority="emergency"))
    after = datetime.now(UTC)
    for result, hours in ((standard, 3), (emergency, 1)):
        data = applied(result)["data"]
        assert data["status"] == "submitted"
        submitted = parse_time(data["submitted_at"])
        assert before <= submitted <= after
        assert parse_time(data["sla_due_at"]) - submitted == timedelta(hours=hours)


def test_draft_then_submit_then_withdraw(world: World, linked: dict[str, Any]) -> None:
    [draft] = push(world.lead_de, _request(linked, status=None, checklist={}))
    record = applied(draft)
    assert record["data"]["status"] == "draft" and record["data"]["submitted_at"] is None
    [edit] = push(world.lead_de, update(record, {"cta": "Buy now"}))
    record = applied(edit)
    [incomplete] = push(world.lead_de, update(record, {"status": "submitted"}))
    assert incomplete["error"]["code"] == "checklist_incomplete"
    assert incomplete["record"]["data"]["status"] == "draft"
    done = {k: True for k in request_data("de", "x", "y")["checklist"]}
    [submitted] = push(world.lead_de, update(record, {"status": "submitted", "checklist": done}))
    record = applied(submitted)
    assert record["data"]["status"] == "submitted" and record["data"]["sla_due_at"]
    [edit_after] = push(world.lead_de, update(record, {"cta": "Changed"}))
    assert edit_after["error"]["code"] == "invalid_transition"
    [withdrawn] = push(world.lead_de, update(record, {"status": "withdrawn"}))
    assert applied(withdrawn)["data"]["status"] == "withdrawn"
    [never] = push(world.lead_de, delete(applied(withdrawn)))
    assert never["error"]["code"] == "invalid_transition"


@pytest.mark.parametrize(
    ("asset_changes", "request_changes", "code"),
    [
        ({}, {"budget": {"amount": "0", "currency": "EUR"}}, "invalid"),
        ({}, {"budget": {"amount": "10.00", "currency": "USD"}}, "invalid"),
        ({}, {"ends_at": "2026-12-02T09:00:00Z"}, "invalid"),
        ({"rights": {"usage": ["organic"], "territories": ["*"]}}, {}, "rights_not_cleared"),
        ({"rights": {"usage": ["paid"], "territories": ["fr"]}}, {}, "rights_not_cleared"),
        (
            {"rights": {"usage": ["paid"], "territories": ["*"], "expires_on": "2026-12-05"}},
            {},
            "rights_not_cleared",
        ),
        ({"embargo": {"until": "2026-12-03T00:00:00Z", "markets": ["de"]}}, {}, "embargoed"),
        ({}, {"cta": "Get it FREE today"}, "forbidden_term"),
        ({}, {"legal_note": None}, "legal_note_missing"),
        ({}, {"checklist": {"landing_page": True}}, "checklist_incomplete"),
    ],
)
def test_submit_checks(
    world: World,
    linked: dict[str, Any],
    asset_changes: dict[str, Any],
    request_changes: dict[str, Any],
    code: str,
) -> None:
    if asset_changes:
        [changed] = push(world.conductor, update(linked["asset"], asset_changes))
        assert changed["status"] == "applied"
    [result] = push(world.lead_de, _request(linked, **request_changes))
    assert result["status"] == "rejected"
    assert result["error"]["code"] == code, result["error"]
    assert result["record"] is None


def test_first_failing_check_wins_and_others_are_listed(
    world: World, linked: dict[str, Any]
) -> None:
    [result] = push(
        world.lead_de, _request(linked, cta="free stuff", checklist={}, legal_note=None)
    )
    error = result["error"]
    assert error["code"] == "forbidden_term"
    assert [o["code"] for o in error["details"]["others"]] == [
        "legal_note_missing",
        "checklist_incomplete",
    ]


def test_forbidden_term_in_the_entry_caption(world: World, linked: dict[str, Any]) -> None:
    push(world.conductor, update(linked["entry"], {"caption": "All free this week"}))
    [result] = push(world.lead_de, _request(linked))
    assert result["error"]["code"] == "forbidden_term"


def test_links_must_exist_and_be_readable(world: World, linked: dict[str, Any]) -> None:
    [fr_entry] = push(world.conductor, create("calendar_entry", entry_data("fr")))
    data = request_data("de", applied(fr_entry)["id"], linked["asset"]["id"], legal_note="Anzeige")
    [unreadable] = push(world.lead_de, create("amplification_request", data))
    assert unreadable["error"]["code"] == "invalid"
    missing = request_data("de", linked["entry"]["id"], linked["entry"]["id"])
    [wrong] = push(world.lead_de, create("amplification_request", missing))
    assert wrong["error"]["code"] == "invalid"


def test_server_set_fields_are_read_only_for_leads(world: World, linked: dict[str, Any]) -> None:
    for field, value in (
        ("submitted_at", "2026-01-01T00:00:00Z"),
        ("decision_note", "approve me"),
        ("decided_by", world.user_ids["lead_de"]),
    ):
        [result] = push(world.lead_de, _request(linked, **{field: value}))
        assert result["error"]["code"] == "read_only_field", field
    nulls = {"submitted_at": None, "sla_due_at": None, "decided_at": None, "decided_by": None}
    [ok] = push(world.lead_de, _request(linked, **nulls))
    assert ok["status"] == "applied"


def test_escalation_and_who_decides(world: World, linked: dict[str, Any]) -> None:
    big = {"amount": "9000.00", "currency": "EUR"}
    [escalated] = push(world.lead_de, _request(linked, budget=big))
    record = applied(escalated)
    assert record["data"]["status"] == "escalated" and record["data"]["sla_due_at"]
    [paid_try] = push(world.paid, update(record, {"status": "approved"}))
    assert paid_try["error"]["code"] == "invalid_transition"
    [approved] = push(world.conductor, update(record, {"status": "approved"}))
    decided = applied(approved)["data"]
    assert decided["status"] == "approved" and decided["decided_by"] == world.user_ids["conductor"]
    assert decided["decided_at"] is not None

    [small] = push(world.lead_de, _request(linked))
    record = applied(small)
    [lead_try] = push(world.lead_de, update(record, {"status": "approved"}))
    assert lead_try["error"]["code"] == "invalid_transition"
    [no_note] = push(world.paid, update(record, {"status": "declined"}))
    assert no_note["error"]["code"] == "invalid"
    [edit_try] = push(world.paid, update(record, {"status": "approved", "cta": "mine"}))
    assert edit_try["error"]["code"] == "forbidden"
    [ok] = push(world.paid, update(record, {"status": "approved", "decision_note": "Go"}))
    assert applied(ok)["data"]["decision_note"] == "Go"
    [again] = push(world.paid, update(applied(ok), {"status": "declined", "decision_note": "no"}))
    assert again["error"]["code"] == "invalid_transition"


def test_compliance_declines_any_undecided_with_a_note(
    world: World, linked: dict[str, Any]
) -> None:
    big = {"amount": "9000.00", "currency": "EUR"}
    [escalated] = push(world.lead_de, _request(linked, budget=big))
    record = applied(escalated)
    [approve] = push(world.compliance, update(record, {"status": "approved"}))
    assert approve["error"]["code"] == "invalid_transition"
    [decline] = push(
        world.compliance, update(record, {"status": "declined", "decision_note": "Claims"})
    )
    assert applied(decline)["data"]["status"] == "declined"


def test_other_markets_lead_cannot_touch_a_request(world: World, linked: dict[str, Any]) -> None:
    [mine] = push(world.lead_de, _request(linked))
    [theirs] = push(world.lead_fr, update(applied(mine), {"status": "withdrawn"}))
    assert theirs["error"]["code"] == "forbidden" and theirs["record"] is None
