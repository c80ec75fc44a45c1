"""The requests' read queries: the lead's list in status order, counts, rows, and the form's
choices (posts to boost, creatives) and submit context."""

from __future__ import annotations

import uuid
from typing import Any

from desktop.queries import requests as q
from desktop.services import requests as request_service
from desktop.services.workspace import Workspace
from desktop.store import records
from desktop.store.db import Store
from tests.desktop.conftest import (
    CAMPAIGN,
    DE_ASSET,
    DE_ENTRY,
    GLOBAL_ENTRY,
    MASTER_ASSET,
    server_record,
)

CHECKED = dict.fromkeys(
    ("landing_page", "audience_overlap", "budget_cap", "tracking", "dashboard"), True
)


def request_data(**extra: Any) -> dict[str, Any]:
    return {
        "entry_id": DE_ENTRY,
        "asset_id": DE_ASSET,
        "market": "de",
        "cta": "Jetzt entdecken",
        "audience": "Hikers 25-45",
        "budget": {"amount": "1500.00", "currency": "EUR"},
        "starts_at": "2026-11-26T08:00:00Z",
        "ends_at": "2026-12-03T08:00:00Z",
        "primary_kpi": "reach",
        "legal_note": "Anzeige",
        "checklist": CHECKED,
        **extra,
    }


def server_request(status: str, **extra: Any) -> dict[str, Any]:
    return server_record(
        "amplification_request", str(uuid.uuid4()), request_data(status=status, **extra)
    )


def test_requests_come_waiting_first_soonest_sla_first(store: Store, ws: Workspace) -> None:
    late = server_request(
        "submitted", submitted_at="2026-11-22T08:00:00Z", sla_due_at="2026-11-22T11:00:00Z"
    )
    soon = server_request(
        "escalated", submitted_at="2026-11-22T06:00:00Z", sla_due_at="2026-11-22T09:00:00Z"
    )
    approved = server_request(
        "approved",
        submitted_at="2026-11-20T06:00:00Z",
        sla_due_at="2026-11-20T09:00:00Z",
        decided_at="2026-11-20T07:00:00Z",
        decision_note="Go",
    )
    withdrawn = server_request("withdrawn")
    us = server_request("submitted", market="us", sla_due_at="2026-11-22T10:00:00Z")
    with store.write() as session:
        records.upsert(session, "amplification_request", [late, soon, approved, withdrawn, us])
    draft = str(uuid.uuid4())
    request_service.draft_request(ws, data=request_data(cta="Entwurf"), request_id=draft)
    queued = str(uuid.uuid4())
    request_service.draft_request(ws, data=request_data(), request_id=queued)
    request_service.submit_request(ws, request_id=queued)

    with store.read() as session:
        ids = q.request_ids(session, markets=["de", "fr"])
        # Queued (no SLA yet) first among the waiting, then by SLA; drafts; decided; withdrawn.
        assert ids == [queued, soon["id"], late["id"], draft, approved["id"], withdrawn["id"]]
        assert q.request_ids(session, markets=["de"], group="drafts") == [draft]
        assert q.request_ids(session, markets=["de"], group="waiting") == [
            queued,
            soon["id"],
            late["id"],
        ]
        assert q.request_ids(session, markets=["de"], typed="entwurf") == [draft]
        assert q.request_ids(session, markets=["de"], typed="winter start") == [
            queued,
            soon["id"],
            late["id"],
            draft,
            approved["id"],
            withdrawn["id"],
        ]
        assert q.request_ids(session, markets=["de"], typed="50%_") == []
        assert q.group_counts(session, markets=["de", "fr"]) == {
            "waiting": 3,
            "drafts": 1,
            "decided": 1,
            "withdrawn": 1,
        }
        rows = q.request_rows(session, ids)
    assert rows[queued].queued and rows[queued].status == "submitted"
    assert rows[queued].sla_due_at is None
    assert not rows[late["id"]].queued
    assert rows[approved["id"]].decision_note == "Go" and rows[approved["id"]].group == "decided"
    assert rows[draft].entry_title == "Winter Trails Start"
    assert rows[draft].asset_name == "acme_de_20261120_winter-trails_hero"
    assert rows[draft].amount == "1500.00" and rows[draft].currency == "EUR"
    assert rows[draft].checklist == CHECKED
    assert q.group_of(None) == "drafts" and q.group_of("declined") == "decided"


def test_request_record_and_context(store: Store, ws: Workspace) -> None:
    request_id = str(uuid.uuid4())
    request_service.draft_request(ws, data=request_data(), request_id=request_id)
    with store.read() as session:
        record = q.request_record(session, request_id)
        assert record is not None and record["status"] == "draft"
        assert q.request_record(session, str(uuid.uuid4())) is None
        context = q.request_context(session, entry_id=DE_ENTRY, asset_id=DE_ASSET, market="de")
        assert context.entry is not None and context.entry["title"] == "Winter Trails Start"
        assert context.asset is not None and context.asset["market"] == "de"
        assert context.market is not None and context.market["currency"] == "EUR"
        missing = q.request_context(session, entry_id=None, asset_id=None, market="zz")
        assert missing == q.RequestContext(None, None, None)


def test_posts_to_boost_and_their_creatives(store: Store) -> None:
    other = server_record(
        "calendar_entry",
        str(uuid.uuid4()),
        {
            "campaign_id": CAMPAIGN,
            "kind": "paid_burst",
            "market": "de",
            "title": "Burst",
            "starts_at": "2026-11-25T09:00:00Z",
            "ends_at": "2026-11-30T09:00:00Z",
            "status": "planned",
        },
    )
    old = server_record(
        "calendar_entry",
        str(uuid.uuid4()),
        {
            "kind": "organic_post",
            "market": "de",
            "title": "Summer post",
            "caption": "Sommer",
            "starts_at": "2026-07-01T09:00:00Z",
            "status": "published",
        },
    )
    with store.write() as session:
        records.upsert(session, "calendar_entry", [other, old])
    with store.read() as session:
        around = "2026-11-22T12:00:00Z"
        choices = q.boostable_entries(session, markets=["de"], around=around)
        assert [c.id for c in choices] == sorted([GLOBAL_ENTRY, DE_ENTRY])  # same start
        assert q.boostable_entries(session, markets=["fr"], around=around)[0].id == GLOBAL_ENTRY
        assert [
            c.id
            for c in q.boostable_entries(session, markets=["de"], around=around, typed="sommer")
        ] == [old["id"]]
        assert q.boostable_entries(session, markets=["de"], around=around, limit=1) != []
        choice = q.entry_choice(session, DE_ENTRY)
        assert choice is not None and choice.market == "de" and choice.campaign_id == CAMPAIGN
        assert q.entry_choice(session, str(uuid.uuid4())) is None
        creatives = q.creative_options(session, entry_id=DE_ENTRY, market="de")
        assert [c.id for c in creatives] == [DE_ASSET, MASTER_ASSET]
        assert [c.id for c in q.creative_options(session, entry_id=GLOBAL_ENTRY, market="de")] == [
            MASTER_ASSET,
            DE_ASSET,
        ]
        assert q.creative_options(session, entry_id=None, market="de") == []
