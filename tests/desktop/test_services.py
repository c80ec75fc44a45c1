"""The services: every write validated, written and queued in one transaction; undo as one step."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.services import assets as asset_ops
from desktop.services import entries as entry_ops
from desktop.services import requests as request_ops
from desktop.services.changes import EditRefused, RecordEdit
from desktop.services.workspace import Workspace
from desktop.store import records
from desktop.store.db import Store
from desktop.store.models import OutboxOp
from tests.desktop.conftest import (
    CAMPAIGN,
    CONDUCTOR,
    DE_ASSET,
    DE_ENTRY,
    GLOBAL_ENTRY,
    LEAD,
    MASTER_ASSET,
    NOW,
    US_ASSET,
    asset_data,
    server_record,
)


def outbox(store: Store) -> list[OutboxOp]:
    with store.read() as session:
        return list(session.scalars(select(OutboxOp).order_by(OutboxOp.seq)))


def get(store: Store, record_type: str, record_id: str) -> dict[str, Any]:
    with store.read() as session:
        found = records.get(session, record_type, record_id)
    assert found is not None
    return found


def new_entry(**extra: Any) -> dict[str, Any]:
    return {
        "campaign_id": CAMPAIGN,
        "kind": "organic_post",
        "market": "de",
        "channel": "instagram",
        "title": "Adventskalender",
        "caption": "Tür 1 öffnet sich.",
        "starts_at": "2026-12-01T08:00:00Z",
        "ends_at": "2026-12-01T08:00:00Z",
        "asset_ids": [DE_ASSET],
        **extra,
    }


# --- one transaction: record and outbox together, or neither ----------------------------


def test_create_writes_record_and_outbox_op_together(ws: Workspace) -> None:
    changes = entry_ops.create_entry(ws, data=new_entry())
    (change,) = changes.changes
    assert change.kind == "created"
    stored = get(ws.store, "calendar_entry", change.id)
    assert stored["version"] == 0 and stored["updated_by"] == LEAD.user_id
    assert stored["data"]["status"] == "draft"
    (op,) = outbox(ws.store)
    assert (op.record_id, op.base_version, op.deleted) == (change.id, None, False)
    assert op.fields["title"] == "Adventskalender"
    assert op.created_at == "2026-11-22T09:00:00Z"


def test_edit_records_changed_fields_base_values_and_base_version(ws: Workspace) -> None:
    entry_ops.edit_entry(
        ws, entry_id=DE_ENTRY, fields={"caption": "Neu", "title": "Winter Trails Start"}
    )
    (op,) = outbox(ws.store)
    assert op.fields == {"caption": "Neu"}  # the unchanged title is not sent
    assert op.base_values == {"caption": "Finde deinen Weg diesen Winter."}
    assert op.base_version == 1
    assert get(ws.store, "calendar_entry", DE_ENTRY)["data"]["caption"] == "Neu"


def test_an_edit_that_changes_nothing_writes_nothing(ws: Workspace) -> None:
    changes = entry_ops.edit_entry(ws, entry_id=DE_ENTRY, fields={"status": "planned"})
    assert not changes
    assert outbox(ws.store) == []
    assert ws.undo_stack.undo_label is None


def test_refused_edit_writes_neither_record_nor_outbox(ws: Workspace) -> None:
    with pytest.raises(EditRefused) as refused:
        entry_ops.edit_entry(ws, entry_id=DE_ENTRY, fields={"ends_at": "2026-11-24T09:00:00Z"})
    assert refused.value.findings[0].finding.code == "invalid"
    assert get(ws.store, "calendar_entry", DE_ENTRY)["data"]["ends_at"] == "2026-11-25T09:00:00Z"
    assert outbox(ws.store) == []


def test_a_failure_inside_the_transaction_rolls_back_the_outbox_too(ws: Workspace) -> None:
    def explode(_session: Any) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        ws.apply(
            [RecordEdit("calendar_entry", DE_ENTRY, fields={"caption": "Neu"})],
            label="Edit",
            also=explode,
        )
    assert get(ws.store, "calendar_entry", DE_ENTRY)["data"]["caption"] != "Neu"
    assert outbox(ws.store) == []
    assert ws.undo_stack.undo_label is None


def test_bad_field_types_and_unknown_fields_are_refused_in_plain_words(ws: Workspace) -> None:
    with pytest.raises(EditRefused, match="not a field"):
        entry_ops.edit_entry(ws, entry_id=DE_ENTRY, fields={"colour": "red"})
    with pytest.raises(EditRefused, match="starts at"):
        entry_ops.edit_entry(ws, entry_id=DE_ENTRY, fields={"starts_at": "next tuesday"})


def test_a_lead_cannot_write_global_or_other_markets(ws: Workspace) -> None:
    with pytest.raises(EditRefused, match="your own markets"):
        entry_ops.edit_entry(ws, entry_id=GLOBAL_ENTRY, fields={"caption": "Hijack"})
    with pytest.raises(EditRefused, match="US market"):
        asset_ops.add_tags(ws, asset_ids=[US_ASSET], tags=["mine"])
    with pytest.raises(EditRefused, match="your own markets"):
        entry_ops.edit_entry(ws, entry_id=DE_ENTRY, fields={"market": "us"})
    assert outbox(ws.store) == []


def test_a_conductor_may_edit_global_entries(store: Store) -> None:
    conductor = Workspace(store, actor=CONDUCTOR, clock=lambda: NOW)
    entry_ops.edit_entry(conductor, entry_id=GLOBAL_ENTRY, fields={"caption": "New master copy"})
    assert outbox(store)[0].record_id == GLOBAL_ENTRY


def test_scheduling_an_embargoed_asset_is_refused_with_the_reason(ws: Workspace) -> None:
    asset_ops.set_embargo(ws, asset_ids=[DE_ASSET], until="2026-12-05T09:00:00Z", markets=["de"])
    with pytest.raises(EditRefused) as refused:
        entry_ops.create_entry(ws, data=new_entry(status="planned"))
    assert refused.value.findings[0].finding.code == "embargoed"
    draft = entry_ops.create_entry(ws, data=new_entry())  # a draft may still be planned later
    assert draft


def test_delete_marks_the_record_and_queues_a_tombstone(ws: Workspace) -> None:
    entry_ops.delete_entries(ws, entry_ids=[DE_ENTRY])
    assert get(ws.store, "calendar_entry", DE_ENTRY)["deleted"] is True
    (op,) = outbox(ws.store)
    assert op.deleted and op.fields == {} and op.base_values["title"] == "Winter Trails Start"


# --- bulk edits and undo ------------------------------------------------------------------


def many_assets(store: Store, count: int) -> list[str]:
    ids = [str(uuid.UUID(int=50_000 + n)) for n in range(count)]
    batch = [
        server_record("asset", i, asset_data(f"acme_de_20261120_bulk_v{n}", "de"))
        for n, i in enumerate(ids)
    ]
    with store.write() as session:
        records.upsert(session, "asset", batch)
    return ids


def test_tagging_500_assets_is_one_transaction_and_one_undo_step(ws: Workspace) -> None:
    ids = many_assets(ws.store, 500)
    changes = asset_ops.add_tags(ws, asset_ids=ids, tags=["advent", "winter"])
    assert len(changes.changes) == 500
    assert changes.label == "Tag 500 assets with advent, winter"
    assert get(ws.store, "asset", ids[7])["data"]["tags"] == ["winter", "hero", "advent"]
    assert len(outbox(ws.store)) == 500

    undone = ws.undo()
    assert undone is not None and len(undone.changes) == 500
    assert get(ws.store, "asset", ids[7])["data"]["tags"] == ["winter", "hero"]
    assert ws.undo_stack.undo_label is None and ws.undo_stack.redo_label == changes.label

    ws.redo()
    assert get(ws.store, "asset", ids[499])["data"]["tags"] == ["winter", "hero", "advent"]


def test_undo_of_a_create_deletes_and_redo_restores(ws: Workspace) -> None:
    created = entry_ops.create_entry(ws, data=new_entry())
    entry_id = created.changes[0].id
    ws.undo()
    assert get(ws.store, "calendar_entry", entry_id)["deleted"] is True
    ws.redo()
    restored = get(ws.store, "calendar_entry", entry_id)
    assert restored["deleted"] is False and restored["data"]["title"] == "Adventskalender"


def test_undo_of_a_delete_restores_the_record(ws: Workspace) -> None:
    entry_ops.delete_entries(ws, entry_ids=[DE_ENTRY])
    ws.undo()
    back = get(ws.store, "calendar_entry", DE_ENTRY)
    assert back["deleted"] is False and back["data"]["caption"] == "Finde deinen Weg diesen Winter."


def test_undo_leaves_fields_that_changed_since_alone(ws: Workspace) -> None:
    entry_ops.edit_entry(ws, entry_id=DE_ENTRY, fields={"caption": "Mine"})
    with ws.store.write() as session:  # a sync brings the server's newer caption
        current = records.get(session, "calendar_entry", DE_ENTRY)
        assert current is not None
        current["data"]["caption"] = "Theirs"
        records.upsert(session, "calendar_entry", [current])
    undone = ws.undo()
    assert undone is not None and not undone.changes
    assert undone.notes and "changed since" in undone.notes[0]
    assert get(ws.store, "calendar_entry", DE_ENTRY)["data"]["caption"] == "Theirs"


def test_a_new_edit_clears_redo(ws: Workspace) -> None:
    entry_ops.edit_entry(ws, entry_id=DE_ENTRY, fields={"caption": "One"})
    ws.undo()
    entry_ops.edit_entry(ws, entry_id=DE_ENTRY, fields={"caption": "Two"})
    assert ws.undo_stack.redo_label is None
    assert ws.redo() is None


def test_rights_preset_and_embargo_in_bulk(ws: Workspace) -> None:
    ids = many_assets(ws.store, 3)
    asset_ops.set_rights(ws, asset_ids=ids, rights={"usage": ["organic"], "territories": ["de"]})
    rights = get(ws.store, "asset", ids[0])["data"]["rights"]
    assert rights["usage"] == ["organic"] and rights["holder"] == "Acme"
    asset_ops.set_embargo(ws, asset_ids=ids, until="2026-12-24T17:00:00+01:00", markets=["de"])
    assert get(ws.store, "asset", ids[2])["data"]["embargo"] == {
        "until": "2026-12-24T16:00:00Z",
        "markets": ["de"],
    }
    asset_ops.set_embargo(ws, asset_ids=ids, until=None, markets=[])
    assert get(ws.store, "asset", ids[2])["data"]["embargo"] == {"until": None, "markets": []}
    ws.undo()
    assert get(ws.store, "asset", ids[2])["data"]["embargo"]["until"] == "2026-12-24T16:00:00Z"


def test_remove_tags(ws: Workspace) -> None:
    asset_ops.remove_tags(ws, asset_ids=[DE_ASSET], tags=["hero"])
    assert get(ws.store, "asset", DE_ASSET)["data"]["tags"] == ["winter"]


# --- adaptation -----------------------------------------------------------------------------


def test_adapting_a_global_entry_links_it_to_its_master(ws: Workspace) -> None:
    changes = entry_ops.adapt_entry(
        ws, entry_id=GLOBAL_ENTRY, market="fr", fields={"caption": "Trouvez votre sentier."}
    )
    local = get(ws.store, "calendar_entry", changes.changes[0].id)["data"]
    assert local["parent_id"] == GLOBAL_ENTRY and local["adapted_from_version"] == 1
    assert local["market"] == "fr" and local["status"] == "draft"
    assert local["caption"] == "Trouvez votre sentier." and local["title"] == "Winter Trails launch"


def test_adapting_a_master_asset_names_it_by_the_convention(ws: Workspace) -> None:
    changes = asset_ops.adapt_asset(ws, asset_id=MASTER_ASSET, market="fr", language="fr")
    local = get(ws.store, "asset", changes.changes[0].id)["data"]
    assert local["name"] == "acme_fr_20261120_winter-trails_hero"
    assert local["master_id"] == MASTER_ASSET and local["adapted_from_version"] == 1
    assert local["sha256"] == "ab" * 32 and local["language"] == "fr"


def test_only_global_records_can_be_adapted(ws: Workspace) -> None:
    with pytest.raises(EditRefused, match="already local"):
        entry_ops.adapt_entry(ws, entry_id=DE_ENTRY, market="fr")
    with pytest.raises(EditRefused, match="your own markets"):
        entry_ops.adapt_entry(ws, entry_id=GLOBAL_ENTRY, market="us")


# --- amplification requests -----------------------------------------------------------------


def request_data(**extra: Any) -> dict[str, Any]:
    return {
        "entry_id": DE_ENTRY,
        "asset_id": DE_ASSET,
        "market": "de",
        "cta": "Jetzt entdecken",
        "audience": "Outdoor fans 25-44",
        "budget": {"amount": "1500.00", "currency": "EUR"},
        "starts_at": "2026-11-26T08:00:00Z",
        "ends_at": "2026-11-30T08:00:00Z",
        "primary_kpi": "reach",
        "legal_note": "Anzeige",
        "checklist": {
            k: True
            for k in ("landing_page", "audience_overlap", "budget_cap", "tracking", "dashboard")
        },
        **extra,
    }


def test_draft_then_submit_then_withdraw(ws: Workspace) -> None:
    drafted = request_ops.draft_request(ws, data=request_data(checklist={"tracking": True}))
    request_id = drafted.changes[0].id
    assert any(w.finding.code == "checklist_incomplete" for w in drafted.warnings)
    with pytest.raises(EditRefused) as refused:
        request_ops.submit_request(ws, request_id=request_id)
    assert refused.value.findings[0].finding.code == "checklist_incomplete"
    assert get(ws.store, "amplification_request", request_id)["data"]["status"] == "draft"
    request_ops.submit_request(
        ws, request_id=request_id, fields={"checklist": request_data()["checklist"]}
    )
    assert get(ws.store, "amplification_request", request_id)["data"]["status"] == "submitted"
    with pytest.raises(EditRefused, match="withdraw"):
        request_ops.edit_request(ws, request_id=request_id, fields={"cta": "Los"})
    request_ops.withdraw_request(ws, request_id=request_id)
    assert get(ws.store, "amplification_request", request_id)["data"]["status"] == "withdrawn"


def test_submit_checks_follow_the_protocol_order(ws: Workspace) -> None:
    drafted = request_ops.draft_request(ws, data=request_data(cta="Gratis testen", legal_note=""))
    with pytest.raises(EditRefused) as refused:
        request_ops.submit_request(ws, request_id=drafted.changes[0].id)
    codes = [f.finding.code for f in refused.value.findings]
    assert codes[:2] == ["forbidden_term", "legal_note_missing"]


def test_a_lead_cannot_set_server_fields(ws: Workspace) -> None:
    with pytest.raises(EditRefused, match="set by the server"):
        request_ops.draft_request(ws, data=request_data(sla_due_at="2026-11-22T12:00:00Z"))


def test_a_lead_cannot_approve(ws: Workspace) -> None:
    drafted = request_ops.draft_request(ws, data=request_data())
    with pytest.raises(EditRefused) as refused:
        request_ops.edit_request(
            ws, request_id=drafted.changes[0].id, fields={"status": "approved"}
        )
    assert refused.value.findings[0].finding.code == "invalid_transition"


def test_outbox_count_matches_records_written(ws: Workspace) -> None:
    entry_ops.create_entry(ws, data=new_entry())
    asset_ops.add_tags(ws, asset_ids=[DE_ASSET], tags=["x"])
    with ws.store.read() as session:
        assert session.scalar(select(func.count()).select_from(OutboxOp)) == 2


def test_a_new_request_submitted_at_once_is_one_write_and_one_undo_step(ws: Workspace) -> None:
    changes = request_ops.submit_new_request(ws, data=request_data())
    request_id = changes.changes[0].id
    assert get(ws.store, "amplification_request", request_id)["data"]["status"] == "submitted"
    (op,) = outbox(ws.store)
    assert op.base_version is None and op.fields["status"] == "submitted"
    ws.undo()
    assert get(ws.store, "amplification_request", request_id)["deleted"] is True
    assert ws.undo_stack.undo_label is None
    with pytest.raises(EditRefused):
        request_ops.submit_new_request(ws, data=request_data(checklist={}))
    assert len(outbox(ws.store)) == 2  # the refused one wrote nothing


def test_check_previews_exactly_what_apply_would_do_without_writing(ws: Workspace) -> None:
    edits = [
        RecordEdit("calendar_entry", DE_ENTRY, fields={"caption": "Neu"}),
        RecordEdit("calendar_entry", GLOBAL_ENTRY, fields={"caption": "Not mine"}),
    ]
    verdict = ws.check(edits)
    assert not verdict.ok
    assert [r.id for r in verdict.refusals] == [GLOBAL_ENTRY]
    assert [c.id for c in verdict.changes] == [DE_ENTRY, GLOBAL_ENTRY]
    assert outbox(ws.store) == []
    assert get(ws.store, "calendar_entry", DE_ENTRY)["data"]["caption"] != "Neu"
    assert ws.check(edits[:1]).ok


def test_a_very_large_write_rebuilds_the_search_index_once(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import text

    from desktop.services import workspace as workspace_module

    monkeypatch.setattr(workspace_module, "BULK_INDEX_THRESHOLD", 3)
    created = [
        RecordEdit(
            "calendar_entry",
            str(uuid.UUID(int=90_000 + n)),
            create=True,
            fields=new_entry(title=f"Sternschnuppe {n}"),
        )
        for n in range(4)
    ]
    ws.apply(created, label="Import")
    with ws.store.read() as session:
        hits = session.execute(
            text("SELECT count(*) FROM entries_fts WHERE entries_fts MATCH 'sternschnuppe'")
        ).scalar()
        deferred = session.execute(text("SELECT deferred FROM fts_state")).scalar()
    assert hits == 4 and deferred == 0


def test_a_write_larger_than_one_slice_lands_whole_and_undoes_as_one_step(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.services import workspace as workspace_module

    monkeypatch.setattr(workspace_module, "WRITE_SLICE", 3)
    ids = [str(uuid.UUID(int=95_000 + n)) for n in range(7)]
    edits = [
        RecordEdit("calendar_entry", i, create=True, fields=new_entry(title=f"Slice {n}"))
        for n, i in enumerate(ids)
    ]
    # An update of a record that exists, placed in the last slice.
    edits.append(RecordEdit("calendar_entry", DE_ENTRY, fields={"caption": "Sliced"}))
    changeset = ws.apply(edits, label="Import")
    assert len(changeset.changes) == 8
    assert [get(ws.store, "calendar_entry", i)["data"]["title"] for i in ids] == [
        f"Slice {n}" for n in range(7)
    ]
    assert get(ws.store, "calendar_entry", DE_ENTRY)["data"]["caption"] == "Sliced"
    assert sorted(op.record_id for op in outbox(ws.store)) == sorted([*ids, DE_ENTRY])

    ws.undo()
    with ws.store.read() as session:
        left = session.scalar(
            select(func.count())
            .select_from(records.table("calendar_entry"))
            .where(
                records.table("calendar_entry").c.id.in_(ids),
                records.table("calendar_entry").c.deleted.is_(False),
            )
        )
    assert left == 0
    assert get(ws.store, "calendar_entry", DE_ENTRY)["data"]["caption"] != "Sliced"


def test_a_big_write_reports_progress_and_a_cancel_writes_nothing(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.progress import Cancelled, Progress, ProgressReport
    from desktop.services import workspace as workspace_module

    monkeypatch.setattr(workspace_module, "WRITE_SLICE", 2)
    monkeypatch.setattr(workspace_module, "PROGRESS_EVERY", 2)
    ids = [str(uuid.UUID(int=96_000 + n)) for n in range(5)]
    edits = [
        RecordEdit("calendar_entry", i, create=True, fields=new_entry(title=f"Step {n}"))
        for n, i in enumerate(ids)
    ]
    seen: list[ProgressReport] = []
    ws.apply(edits, label="Import", progress=Progress(seen.append, min_interval=0))
    phases = [(r.phase, r.done, r.total) for r in seen]
    assert phases == [
        ("Checking", 0, 5),
        ("Checking", 2, 5),
        ("Checking", 4, 5),
        ("Writing", 0, 5),
        ("Writing", 2, 5),
        ("Writing", 4, 5),
    ]

    # Cancelled with two slices written and one to go: the transaction is rolled back whole.
    more = [
        RecordEdit(
            "calendar_entry",
            str(uuid.UUID(int=97_000 + n)),
            create=True,
            fields=new_entry(title=f"Cancelled {n}"),
        )
        for n in range(5)
    ]
    queued = len(outbox(ws.store))
    steps = ws.undo_stack.undo_label

    def cancel_after_first_slice(report: ProgressReport) -> None:
        if report.phase == "Writing" and report.done == 2:
            progress.cancel()

    progress = Progress(cancel_after_first_slice, min_interval=0)
    with pytest.raises(Cancelled):
        ws.apply(more, label="Import again", progress=progress)
    with ws.store.read() as session:
        table = records.table("calendar_entry")
        written = session.scalar(
            select(func.count()).select_from(table).where(table.c.title.like("Cancelled%"))
        )
    assert written == 0
    assert len(outbox(ws.store)) == queued
    assert ws.undo_stack.undo_label == steps
