"""Push: applied / merged / conflict / rejected decided per field, deletes, resurrection,
replays by batch and by op, and the shape of a push."""

from __future__ import annotations

import json

from sqlalchemy import select

from sync.server.models import records
from tests.sync.server.conftest import World
from tests.sync.server.helpers import (
    applied,
    asset_data,
    batch,
    create,
    delete,
    entry_data,
    new_id,
    png_bytes,
    push,
    update,
    upload,
)


def test_create_fills_missing_fields_and_versions_rise(world: World) -> None:
    [result] = push(world.conductor, create("brand", {"code": "acme"}))
    record = applied(result)
    assert result["status"] == "applied" and result["error"] is None
    assert record["version"] == 1 and record["deleted"] is False
    assert record["data"] == {"code": "acme", "name": None}
    assert record["updated_by"] == world.user_ids["conductor"]
    [result] = push(world.conductor, update(record, {"name": "Acme"}))
    assert result["status"] == "applied"
    assert applied(result)["version"] == 2 and applied(result)["seq"] > record["seq"]


def test_merged_when_other_fields_changed_and_conflict_when_same_field(world: World) -> None:
    [result] = push(world.conductor, create("campaign", {"name": "Winter", "objective": "reach"}))
    v1 = applied(result)
    [first] = push(world.conductor, update(v1, {"objective": "sales"}))
    assert first["status"] == "applied"
    # Another device edits from version 1: a different field merges on top ...
    [merged] = push(world.conductor, update(v1, {"status": "live"}))
    assert merged["status"] == "merged"
    assert applied(merged)["data"] | {} == {**v1["data"], "objective": "sales", "status": "live"}
    assert applied(merged)["version"] == 3
    # ... the same field is a conflict, nothing applied, the current record returned.
    [conflict] = push(world.conductor, update(v1, {"objective": "awareness", "name": "W2"}))
    assert conflict["status"] == "conflict"
    assert conflict["record"]["version"] == 3
    assert conflict["record"]["data"]["objective"] == "sales"
    assert conflict["record"]["data"]["name"] == "Winter"
    # Pushed again against the new version, it applies.
    [again] = push(world.conductor, update(conflict["record"], {"objective": "awareness"}))
    assert again["status"] == "applied"


def test_base_version_ahead_of_server_is_a_conflict(world: World) -> None:
    [result] = push(world.conductor, create("brand", {"code": "zed"}))
    [ahead] = push(world.conductor, update(applied(result), {"name": "Z"}, base_version=9))
    assert ahead["status"] == "conflict" and ahead["record"]["version"] == 1


def test_create_of_existing_id_is_conflict_unless_same_op(world: World) -> None:
    change = create("brand", {"code": "dup"})
    change["op_id"] = new_id()
    [first] = push(world.conductor, change)
    assert first["status"] == "applied"
    # The same op in a new batch (the answer was lost): its kept result, nothing written again.
    [replayed] = push(world.conductor, change)
    assert replayed == first
    # Another op creating the same id: conflict.
    [other] = push(world.conductor, {**change, "op_id": new_id(), "data": {"code": "dup2"}})
    assert other["status"] == "conflict" and other["record"]["data"]["code"] == "dup"


def test_batch_replay_returns_stored_results_and_writes_nothing(world: World) -> None:
    body = batch(
        create("brand", {"code": "one"}),
        create("brand", {"name": "no code"}),  # rejected: code is required
    )
    first = world.conductor.post("/v1/changes", json=body)
    second = world.conductor.post("/v1/changes", json=body)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    statuses = [r["status"] for r in first.json()["results"]]
    assert statuses == ["applied", "rejected"]
    with world.server.db.read() as connection:
        count = connection.execute(select(records.c.id).where(records.c.type == "brand")).all()
    assert len(count) == 1
    # The same batch id with other changes is refused whole.
    other = dict(body, changes=[create("brand", {"code": "three"}) | {"op_id": new_id()}])
    clash = world.conductor.post("/v1/changes", json=other)
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "batch_conflict"


def test_rejected_and_conflicting_ops_are_decided_afresh(world: World) -> None:
    change = create("brand", {"name": "missing code"})
    [first] = push(world.conductor, change)
    assert first["status"] == "rejected" and first["error"]["code"] == "invalid"
    assert first["record"] is None
    fixed = {**change, "data": {"code": "fixed"}}
    [second] = push(world.conductor, fixed)
    assert second["status"] == "applied"


def test_field_written_by_a_merge_conflicts_with_older_bases(world: World) -> None:
    [result] = push(world.conductor, create("campaign", {"name": "A"}))
    v1 = applied(result)
    [r2] = push(world.conductor, update(v1, {"objective": "x"}))
    [r3] = push(world.conductor, update(v1, {"primary_kpi": "reach"}))  # merged at v3
    assert r3["status"] == "merged"
    [from_v2] = push(world.conductor, update(applied(r2), {"primary_kpi": "sales"}))
    assert from_v2["status"] == "conflict"
    [from_v2_other] = push(world.conductor, update(applied(r2), {"status": "live"}))
    assert from_v2_other["status"] == "merged"


def test_delete_tombstone_conflict_and_resurrection(world: World) -> None:
    [result] = push(world.conductor, create("campaign", {"name": "Spring"}))
    v1 = applied(result)
    [edit] = push(world.conductor, update(v1, {"objective": "reach"}))
    # A delete made on version 1 after another write: conflict.
    [stale] = push(world.conductor, delete(v1))
    assert stale["status"] == "conflict" and stale["record"]["deleted"] is False
    [gone] = push(world.conductor, delete(applied(edit)))
    tombstone = applied(gone)
    assert tombstone["deleted"] is True and tombstone["version"] == 3
    # Deleting again is a no-op.
    [again] = push(world.conductor, delete(tombstone))
    assert again["status"] == "applied" and again["record"]["version"] == 3
    # A partial write to a tombstone is a conflict.
    [partial] = push(world.conductor, update(tombstone, {"name": "Back"}))
    assert partial["status"] == "conflict" and partial["record"]["deleted"] is True
    # All fields against the tombstone's version undo the delete.
    [undo] = push(world.conductor, update(tombstone, dict(tombstone["data"])))
    revived = applied(undo)
    assert undo["status"] == "applied" and revived["deleted"] is False
    assert revived["version"] == 4 and revived["data"]["objective"] == "reach"
    # ... but not against an older version.
    [gone2] = push(world.conductor, delete(revived))
    [late] = push(world.conductor, update(revived, dict(revived["data"])))
    assert applied(gone2)["deleted"] and late["status"] == "conflict"


def test_unknown_types_fields_and_bad_ids_are_rejected_per_change(world: World) -> None:
    results = push(
        world.conductor,
        create("poster", {"code": "x"}),
        create("brand", {"code": "ok", "colour": "red"}),
        create("brand", {"code": "ok2"}, record_id="not-a-uuid"),
        create("brand", {"code": "ok3"}, record_id=new_id().upper()),
        create("brand", {"code": "UPPER"}),
        create("calendar_entry", {"kind": "moment"}),  # starts_at is required
        create("brand", {"code": "fine"}),
    )
    assert [r["status"] for r in results] == ["rejected"] * 6 + ["applied"]
    assert {r["error"]["code"] for r in results[:6]} == {"invalid"}
    assert "colour" in results[1]["error"]["details"]["fields"]
    assert "starts_at" in results[5]["error"]["details"]["fields"]


def test_entry_times_checked_on_every_write(world: World) -> None:
    later = entry_data(None, starts_at="2026-12-01T10:00:00Z", ends_at="2026-12-01T09:00:00Z")
    [bad] = push(world.conductor, create("calendar_entry", later))
    assert bad["status"] == "rejected" and bad["error"]["code"] == "invalid"
    [moment] = push(world.conductor, create("calendar_entry", entry_data(None)))
    record = applied(moment)
    [moved] = push(world.conductor, update(record, {"ends_at": "2026-11-30T00:00:00Z"}))
    assert moved["status"] == "rejected" and moved["record"]["version"] == 1


def test_asset_needs_its_blob(world: World) -> None:
    missing = "ab" * 32
    [result] = push(world.conductor, create("asset", asset_data(None, missing)))
    assert result["status"] == "rejected" and result["error"]["code"] == "blob_missing"
    digest = upload(world.conductor, png_bytes())
    [ok] = push(world.conductor, create("asset", asset_data(None, digest)))
    record = applied(ok)
    [swap] = push(world.conductor, update(record, {"sha256": missing}))
    assert swap["error"]["code"] == "blob_missing"
    [tags] = push(world.conductor, update(record, {"tags": ["winter"]}))
    assert tags["status"] == "applied"


def test_market_codes_are_unique(world: World) -> None:
    [dup] = push(world.conductor, create("market", {"code": "de"}))
    assert dup["status"] == "rejected" and dup["error"]["code"] == "invalid"
    [at] = push(world.conductor, create("market", {"code": "at"}))
    [rename] = push(world.conductor, update(applied(at), {"code": "fr"}))
    assert rename["status"] == "rejected"


def test_same_record_twice_in_one_push(world: World) -> None:
    change = create("brand", {"code": "twice"})
    results = push(
        world.conductor,
        change,
        {"type": "brand", "id": change["id"], "base_version": 1, "data": {"name": "Two"}},
    )
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert results[0]["record"]["version"] == 1 and results[1]["record"]["version"] == 2
    assert results[0]["record"]["seq"] < results[1]["record"]["seq"]
    assert results[0]["record"]["data"]["name"] is None


def test_push_shape_errors_are_refused_whole(world: World) -> None:
    client = world.conductor
    not_json = client.post(
        "/v1/changes", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 400
    no_changes = client.post("/v1/changes", json={"client_id": new_id(), "batch_id": new_id()})
    assert no_changes.status_code == 422
    extra = batch(create("brand", {"code": "x"}))
    extra["surprise"] = 1
    assert client.post("/v1/changes", json=extra).status_code == 422
    too_many = batch(*[create("brand", {"code": "x"}) for _ in range(1001)])
    answer = client.post("/v1/changes", json=too_many)
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "too_large"
    for answer in (not_json, no_changes):
        assert set(answer.json()["error"]) == {"code", "message", "details"}


def test_push_body_limit_is_413(live_server) -> None:  # type: ignore[no-untyped-def]
    server = live_server(max_push_bytes=4096, max_push_changes=3)
    server.add_user("c", "a long password", "conductor")
    with server.client("c", "a long password") as client:
        big = batch(create("brand", {"code": "x", "name": "n" * 5000}))
        answer = client.post("/v1/changes", json=big)
        assert answer.status_code == 413 and answer.json()["error"]["code"] == "too_large"
        streamed = client.post(
            "/v1/changes",
            content=iter([json.dumps(big).encode()]),
            headers={"content-type": "application/json"},
        )
        assert streamed.status_code == 413
        four = batch(*[create("brand", {"code": "x"}) for _ in range(4)])
        assert client.post("/v1/changes", json=four).status_code == 413
