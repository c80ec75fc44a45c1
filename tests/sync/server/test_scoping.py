"""Roles and market scopes on every read and write, comments and blobs included."""

from __future__ import annotations

from tests.sync.server.conftest import World
from tests.sync.server.helpers import (
    applied,
    asset_data,
    create,
    delete,
    entry_data,
    png_bytes,
    pull_all,
    push,
    sha,
    update,
    upload,
)


def _ids(changes: list[dict]) -> set[str]:  # type: ignore[type-arg]
    return {c["id"] for c in changes}


def test_leads_read_global_and_their_markets_only(world: World) -> None:
    results = push(
        world.conductor,
        create("calendar_entry", entry_data(None)),
        create("calendar_entry", entry_data("de")),
        create("calendar_entry", entry_data("fr")),
        create("brand", {"code": "acme"}),
    )
    global_entry, de_entry, fr_entry, brand = (applied(r) for r in results)
    markets = {m["id"] for m in world.markets.values()}
    de_seen = _ids(pull_all(world.lead_de)[0])
    assert de_seen == markets | {global_entry["id"], de_entry["id"], brand["id"]}
    fr_seen = _ids(pull_all(world.lead_fr)[0])
    assert fr_entry["id"] in fr_seen and de_entry["id"] not in fr_seen
    for reader in (world.paid, world.compliance, world.conductor):
        assert {global_entry["id"], de_entry["id"], fr_entry["id"]} <= _ids(pull_all(reader)[0])


def test_lead_writes_only_its_markets(world: World) -> None:
    [own] = push(world.lead_de, create("calendar_entry", entry_data("de")))
    assert own["status"] == "applied"
    rejected = push(
        world.lead_de,
        create("calendar_entry", entry_data("fr")),
        create("calendar_entry", entry_data(None)),
        create("brand", {"code": "mine"}),
        update(world.markets["de"], {"name": "Mine"}),
        update(applied(own), {"market": "fr"}),
    )
    assert [r["status"] for r in rejected] == ["rejected"] * 5
    assert {r["error"]["code"] for r in rejected} == {"forbidden"}
    # The rejection carries the server's record when the lead may read it, for reverting.
    assert rejected[3]["record"]["data"]["name"] == "DE"
    assert rejected[4]["record"]["data"]["market"] == "de"
    [fr_entry] = push(world.conductor, create("calendar_entry", entry_data("fr")))
    for change in (update(applied(fr_entry), {"title": "x"}), delete(applied(fr_entry))):
        [result] = push(world.lead_de, change)
        assert result["error"]["code"] == "forbidden" and result["record"] is None


def test_lead_adapts_a_global_entry_in_its_market(world: World) -> None:
    [master] = push(world.conductor, create("calendar_entry", entry_data(None)))
    master_record = applied(master)
    [local] = push(
        world.lead_de,
        create(
            "calendar_entry",
            entry_data(
                "de",
                parent_id=master_record["id"],
                adapted_from_version=master_record["version"],
                caption="Unsere Winterkollektion",
            ),
        ),
    )
    assert local["status"] == "applied"
    [edit] = push(world.lead_de, update(master_record, {"caption": "mine"}))
    assert edit["error"]["code"] == "forbidden" and edit["record"]["id"] == master_record["id"]


def test_operators_and_compliance_cannot_write_records(world: World) -> None:
    for client in (world.paid, world.compliance):
        results = push(
            client,
            create("calendar_entry", entry_data("de")),
            create("brand", {"code": "x"}),
        )
        assert {r["error"]["code"] for r in results} == {"forbidden"}


def test_comments_follow_their_target(world: World) -> None:
    [de_entry] = push(world.conductor, create("calendar_entry", entry_data("de")))
    target = applied(de_entry)
    comment = {"target_type": "calendar_entry", "target_id": target["id"], "body": "Nice"}
    [by_lead] = push(world.lead_de, create("comment", comment))
    [by_paid] = push(world.paid, create("comment", {**comment, "body": "Boost it?"}))
    [by_fr] = push(world.lead_fr, create("comment", comment))
    assert by_lead["status"] == by_paid["status"] == "applied"
    assert by_fr["status"] == "rejected" and by_fr["error"]["code"] == "invalid"
    wrong_type = {**comment, "target_type": "asset"}
    [mismatch] = push(world.lead_de, create("comment", wrong_type))
    assert mismatch["status"] == "rejected"
    assert applied(by_lead)["id"] in _ids(pull_all(world.lead_de)[0])
    assert applied(by_lead)["id"] not in _ids(pull_all(world.lead_fr)[0])
    # Only the author or a conductor edits or deletes a comment.
    [not_author] = push(world.lead_de, update(applied(by_paid), {"body": "edited"}))
    assert not_author["error"]["code"] == "forbidden"
    [author] = push(world.paid, update(applied(by_paid), {"body": "Boost it!"}))
    assert author["status"] == "applied"
    [conductor] = push(world.conductor, delete(applied(author)))
    assert applied(conductor)["deleted"] is True
    [moved] = push(
        world.lead_de, update(applied(by_lead), {"target_id": world.markets["de"]["id"]})
    )
    assert moved["status"] == "rejected"


def test_moving_a_record_takes_comments_along_and_resyncs_who_lost_it(world: World) -> None:
    [entry] = push(world.conductor, create("calendar_entry", entry_data("de")))
    target = applied(entry)
    [comment] = push(
        world.lead_de,
        create(
            "comment", {"target_type": "calendar_entry", "target_id": target["id"], "body": "x"}
        ),
    )
    _, de_cursor = pull_all(world.lead_de)
    _, fr_cursor = pull_all(world.lead_fr)
    [moved] = push(world.conductor, update(target, {"market": "fr"}))
    assert moved["status"] == "applied"
    # The de lead can no longer read it: its cursor must resync.
    stale = world.lead_de.get("/v1/changes", params={"since": de_cursor})
    assert stale.status_code == 410 and stale.json()["error"]["code"] == "resync_required"
    assert _ids(pull_all(world.lead_de)[0]).isdisjoint({target["id"], applied(comment)["id"]})
    # The fr lead now gets the entry and its comment.
    gained = _ids(pull_all(world.lead_fr, fr_cursor)[0])
    assert {target["id"], applied(comment)["id"]} <= gained


def test_blobs_are_read_only_through_records_one_may_read(world: World) -> None:
    data = png_bytes(color=(1, 2, 3))
    digest = upload(world.conductor, data)
    path = f"/v1/blobs/{digest}"
    # The uploader reads it before any record names it; nobody else does.
    assert world.conductor.head(path).status_code == 200
    for client in (world.lead_de, world.lead_fr, world.paid):
        assert client.head(path).status_code == 404
        assert client.get(path).status_code == 404
        assert client.get(path + "/thumbnail").status_code == 404
    [asset] = push(world.conductor, create("asset", asset_data("de", digest)))
    assert world.lead_de.get(path).content == data
    assert world.paid.head(path).status_code == 200
    assert world.lead_fr.get(path).status_code == 404
    assert world.lead_fr.head(path).status_code == 404
    # A global asset naming it makes it readable to every lead; deleting that hides it again.
    [master] = push(world.conductor, create("asset", asset_data(None, digest)))
    assert world.lead_fr.get(path).content == data
    push(world.conductor, delete(applied(master)))
    assert world.lead_fr.get(path).status_code == 404
    assert applied(asset)["data"]["sha256"] == sha(data)
