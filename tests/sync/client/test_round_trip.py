"""Pull and push against the real reference server: first sync, edits both ways, merges,
conflicts and their resolution, rejections, deletes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.services import assets as asset_ops
from desktop.services import entries as entry_ops
from desktop.services import requests as request_ops
from desktop.services.conflicts import Resolution, list_conflicts, list_failed, resolve_conflict
from desktop.store.models import RECORD_MODELS, Conflict, OutboxOp
from tests.sync.client.conftest import Client


def count(client: Client, record_type: str) -> int:
    model = RECORD_MODELS[record_type]
    with client.store.read() as session:
        return int(
            session.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False)))
            or 0
        )


def outbox_size(client: Client) -> int:
    with client.store.read() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxOp)) or 0)


def local_entry(client: Client, market: str = "de") -> str:
    with client.store.read() as session:
        model = RECORD_MODELS["calendar_entry"]
        return str(
            session.scalar(
                select(model.id)
                .where(model.market == market, model.status == "draft")
                .order_by(model.id)
                .limit(1)
            )
        )


def local_asset(client: Client, market: str = "de") -> str:
    model = RECORD_MODELS["asset"]
    with client.store.read() as session:
        return str(
            session.scalar(
                select(model.id).where(model.market == market).order_by(model.id).limit(1)
            )
        )


def test_first_sync_brings_what_the_lead_may_read(make_client: Any) -> None:
    lena = make_client("lena-t")
    summary = lena.sync()
    assert summary.pulled > 0 and summary.pushed == 0
    assert count(lena, "market") == 6
    with lena.store.read() as session:
        model = RECORD_MODELS["calendar_entry"]
        markets = set(session.scalars(select(model.market).distinct()))
    assert markets <= {None, "de", "fr"}
    again = lena.sync()
    assert again.pulled == 0  # the cursor moved with the data


def test_an_edit_reaches_another_client(make_client: Any) -> None:
    lena, max_ = make_client("lena-t"), make_client("max-t")
    lena.sync()
    max_.sync()
    entry_id = local_entry(lena)
    entry_ops.edit_entry(lena.ws, entry_id=entry_id, fields={"caption": "Frisch aus Berlin"})
    assert outbox_size(lena) == 1
    summary = lena.sync()
    assert summary.pushed == 1 and outbox_size(lena) == 0
    version = lena.get("calendar_entry", entry_id)["version"]  # type: ignore[index]
    assert version >= 2
    max_.sync()
    assert max_.data("calendar_entry", entry_id)["caption"] == "Frisch aus Berlin"
    assert max_.get("calendar_entry", entry_id)["version"] == version  # type: ignore[index]


def test_different_fields_merge(make_client: Any) -> None:
    lena, max_ = make_client("lena-t"), make_client("max-t")
    lena.sync()
    max_.sync()
    entry_id = local_entry(lena)
    entry_ops.edit_entry(lena.ws, entry_id=entry_id, fields={"caption": "Lena's caption"})
    entry_ops.edit_entry(max_.ws, entry_id=entry_id, fields={"title": "Max's title"})
    assert max_.sync().pushed == 1
    result = lena.sync()
    assert result.merged == 1 and result.conflicts == 0
    max_.sync()
    for client in (lena, max_):
        data = client.data("calendar_entry", entry_id)
        assert (data["caption"], data["title"]) == ("Lena's caption", "Max's title")


def test_a_pull_keeps_pending_fields_and_takes_the_rest(make_client: Any) -> None:
    lena, max_ = make_client("lena-t"), make_client("max-t")
    lena.sync()
    max_.sync()
    entry_id = local_entry(lena)
    entry_ops.edit_entry(lena.ws, entry_id=entry_id, fields={"caption": "Mine, unpushed"})
    entry_ops.edit_entry(max_.ws, entry_id=entry_id, fields={"title": "Theirs"})
    max_.sync()
    from desktop.progress import Progress
    from sync.client.pull import pull

    api = lena.engine.api()
    pull(lena.store, api, progress=Progress())
    api.close()
    data = lena.data("calendar_entry", entry_id)
    assert data["caption"] == "Mine, unpushed" and data["title"] == "Theirs"
    assert outbox_size(lena) == 1


def conflict_on_caption(make_client: Any) -> tuple[Client, Client, str]:
    lena, max_ = make_client("lena-t"), make_client("max-t")
    lena.sync()
    max_.sync()
    entry_id = local_entry(lena)
    entry_ops.edit_entry(max_.ws, entry_id=entry_id, fields={"caption": "Max was first"})
    max_.sync()
    entry_ops.edit_entry(
        lena.ws, entry_id=entry_id, fields={"caption": "Lena offline", "title": "T"}
    )
    summary = lena.sync()
    assert summary.conflicts == 1
    return lena, max_, entry_id


def test_the_same_field_conflicts_and_waits(make_client: Any) -> None:
    lena, _max, entry_id = conflict_on_caption(make_client)
    (conflict,) = list_conflicts(lena.ws)
    caption = conflict["fields"]["caption"]
    assert (caption["mine"], caption["theirs"]) == ("Lena offline", "Max was first")
    assert caption["base"] not in ("Lena offline", "Max was first", None)
    # The change waits: another sync sends nothing for this record.
    assert lena.sync().pushed == 0
    assert lena.data("calendar_entry", entry_id)["caption"] == "Lena offline"


@pytest.mark.parametrize("side", ["mine", "theirs"])
def test_resolving_a_conflict_both_ways(make_client: Any, side: str) -> None:
    lena, max_, entry_id = conflict_on_caption(make_client)
    (conflict,) = list_conflicts(lena.ws)
    resolve_conflict(
        lena.ws, conflict_id=conflict["id"], resolution=Resolution(fields={"caption": side})
    )
    lena.sync()
    max_.sync()
    expected = "Lena offline" if side == "mine" else "Max was first"
    for client in (lena, max_):
        data = client.data("calendar_entry", entry_id)
        assert data["caption"] == expected
        assert data["title"] == "T"  # the non-conflicting field of the change went through
    with lena.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Conflict)) == 0
    assert outbox_size(lena) == 0


def test_resolving_with_an_edited_value(make_client: Any) -> None:
    lena, max_, entry_id = conflict_on_caption(make_client)
    (conflict,) = list_conflicts(lena.ws)
    resolve_conflict(
        lena.ws,
        conflict_id=conflict["id"],
        resolution=Resolution(edited={"caption": "Max was first, Lena agreed"}),
    )
    lena.sync()
    max_.sync()
    assert max_.data("calendar_entry", entry_id)["caption"] == "Max was first, Lena agreed"


def test_delete_against_edit(make_client: Any) -> None:
    lena, max_ = make_client("lena-t"), make_client("max-t")
    lena.sync()
    max_.sync()
    entry_id = local_entry(lena)
    entry_ops.delete_entries(max_.ws, entry_ids=[entry_id])
    max_.sync()
    entry_ops.edit_entry(lena.ws, entry_id=entry_id, fields={"caption": "Still wanted"})
    assert lena.sync().conflicts == 1
    (conflict,) = list_conflicts(lena.ws)
    assert conflict["server_deleted"]
    resolve_conflict(lena.ws, conflict_id=conflict["id"], resolution=Resolution(record="mine"))
    lena.sync()
    max_.sync()
    back = max_.get("calendar_entry", entry_id)
    assert back is not None and not back["deleted"]
    assert back["data"]["caption"] == "Still wanted"


def test_edit_against_delete_taking_theirs(make_client: Any) -> None:
    lena, max_ = make_client("lena-t"), make_client("max-t")
    lena.sync()
    max_.sync()
    entry_id = local_entry(lena)
    entry_ops.edit_entry(max_.ws, entry_id=entry_id, fields={"caption": "Edited centrally"})
    max_.sync()
    entry_ops.delete_entries(lena.ws, entry_ids=[entry_id])
    assert lena.sync().conflicts == 1
    (conflict,) = list_conflicts(lena.ws)
    assert conflict["mine_deleted"]
    resolve_conflict(lena.ws, conflict_id=conflict["id"], resolution=Resolution(record="theirs"))
    lena.sync()
    kept = lena.get("calendar_entry", entry_id)
    assert kept is not None and not kept["deleted"]
    assert kept["data"]["caption"] == "Edited centrally"


def test_a_synced_delete_reaches_others_and_undo_resurrects(make_client: Any) -> None:
    lena, max_ = make_client("lena-t"), make_client("max-t")
    lena.sync()
    max_.sync()
    entry_id = local_entry(lena)
    entry_ops.delete_entries(lena.ws, entry_ids=[entry_id])
    lena.sync()
    max_.sync()
    assert max_.get("calendar_entry", entry_id)["deleted"]  # type: ignore[index]
    lena.ws.undo()
    lena.sync()
    max_.sync()
    assert not max_.get("calendar_entry", entry_id)["deleted"]  # type: ignore[index]


def test_created_and_deleted_offline_sends_nothing(make_client: Any) -> None:
    lena = make_client("lena-t")
    lena.sync()
    entry = lena.data("calendar_entry", local_entry(lena))
    created = entry_ops.create_entry(
        lena.ws, data={**entry, "parent_id": None, "adapted_from_version": None}
    )
    entry_ops.delete_entries(lena.ws, entry_ids=[created.changes[0].id])
    assert lena.sync().pushed == 0
    assert outbox_size(lena) == 0 and lena.get("calendar_entry", created.changes[0].id) is None


def test_a_rejection_reverts_and_is_kept_for_the_author(make_client: Any, server: Any) -> None:
    lena = make_client("lena-t")
    lena.sync()
    request_id = submit_request_offline(lena)
    # While Lena was offline, the central team embargoed the asset in DE.
    conductor = make_client("conductor-t")
    conductor.sync()
    asset_id = lena.data("amplification_request", request_id)["asset_id"]
    asset_ops.set_embargo(
        conductor.ws, asset_ids=[asset_id], until="2030-01-01T00:00:00Z", markets=["*"]
    )
    assert conductor.sync().pushed == 1
    summary = lena.sync()
    assert summary.rejected == 1 and "embargo" in summary.rejections[0].lower()
    (failed,) = list_failed(lena.ws)
    assert failed["error_code"] == "embargoed" and failed["created"]
    assert failed["fields"]["status"] == "submitted"  # the whole edit is kept to fix and resubmit
    assert lena.get("amplification_request", request_id) is None  # a rejected create goes
    assert outbox_size(lena) == 0


def submit_request_offline(client: Client) -> str:
    """Draft and submit a request that passes every check, as a lead would on a plane."""
    ws = client.ws
    asset_id = local_asset(client)
    asset_ops.set_rights(
        ws,
        asset_ids=[asset_id],
        rights={"usage": ["organic", "paid"], "territories": ["*"], "expires_on": "2031-01-01"},
    )
    asset_ops.set_embargo(ws, asset_ids=[asset_id], until=None, markets=[])
    entry_id = local_entry(client)
    entry_ops.edit_entry(ws, entry_id=entry_id, fields={"caption": "Ein schöner Wintertag."})
    # Rights and embargo of one asset coalesce into one change: two records, two changes.
    assert client.sync().pushed == 2
    with client.store.read() as session:
        model = RECORD_MODELS["market"]
        market = session.scalars(select(model).where(model.code == "de")).one()
        legal_note, currency = market.legal_note or "", market.currency
    drafted = request_ops.draft_request(
        ws,
        data={
            "entry_id": entry_id,
            "asset_id": asset_id,
            "market": "de",
            "cta": "Mehr erfahren",
            "audience": "Outdoor 25-44",
            "budget": {"amount": "100.00", "currency": currency},
            "starts_at": "2029-12-01T00:00:00Z",
            "ends_at": "2029-12-05T00:00:00Z",
            "primary_kpi": "reach",
            "legal_note": legal_note,
            "checklist": dict.fromkeys(
                ("landing_page", "audience_overlap", "budget_cap", "tracking", "dashboard"), True
            ),
        },
    )
    request_id = drafted.changes[0].id
    request_ops.submit_request(ws, request_id=request_id)
    return request_id
