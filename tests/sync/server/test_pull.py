"""Pull: paging, opaque cursors, seq order, each record once in its latest state, 410."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sync.server.auth import save_user
from tests.sync.server.conftest import World
from tests.sync.server.helpers import applied, create, delete, entry_data, pull_all, push, update


def test_pages_in_seq_order_each_record_once_latest_state(world: World) -> None:
    created = [
        applied(r)
        for r in push(world.conductor, *[create("brand", {"code": f"b{i}"}) for i in range(25)])
    ]
    # Rewrite a few: they move to the end of the order, and come once, in their latest state.
    rewritten = push(world.conductor, *[update(r, {"name": "new"}) for r in created[:5]])
    changes, _ = pull_all(world.conductor, limit=7)
    seqs = [c["seq"] for c in changes]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    ids = [c["id"] for c in changes]
    assert len(ids) == len(set(ids)) == 27  # 2 markets + 25 brands
    latest = {c["id"]: c for c in changes}
    for result in rewritten:
        assert latest[result["record"]["id"]] == result["record"]


def test_cursor_resumes_and_empty_page_keeps_moving(world: World) -> None:
    _, cursor = pull_all(world.lead_de)
    # Writes the lead cannot read move its cursor along without showing up.
    push(world.conductor, create("calendar_entry", entry_data("fr")))
    page = world.lead_de.get("/v1/changes", params={"since": cursor}).json()
    assert page["changes"] == [] and page["has_more"] is False
    assert page["cursor"] != cursor
    [mine] = push(world.conductor, create("calendar_entry", entry_data("de")))
    page2 = world.lead_de.get("/v1/changes", params={"since": page["cursor"]}).json()
    assert [c["id"] for c in page2["changes"]] == [applied(mine)["id"]]
    again = world.lead_de.get("/v1/changes", params={"since": page2["cursor"]}).json()
    assert again["changes"] == []


def test_has_more_and_limits(world: World) -> None:
    push(world.conductor, *[create("brand", {"code": f"c{i}"}) for i in range(3)])
    first = world.conductor.get("/v1/changes", params={"limit": 4}).json()
    assert len(first["changes"]) == 4 and first["has_more"] is True
    rest = world.conductor.get("/v1/changes", params={"since": first["cursor"]}).json()
    assert len(rest["changes"]) == 1 and rest["has_more"] is False
    for bad in (
        {"limit": 0},
        {"limit": 5001},
        {"limit": "x"},
        {"since": "%%%"},
        {"since": "eyJ4Ijox"},
    ):
        answer = world.conductor.get("/v1/changes", params=bad)
        assert answer.status_code == 400, bad
        assert answer.json()["error"]["code"] in ("bad_request", "invalid_cursor")


def test_tombstones_are_pulled(world: World) -> None:
    [brand] = push(world.conductor, create("brand", {"code": "gone"}))
    _, cursor = pull_all(world.lead_de)
    push(world.conductor, delete(applied(brand)))
    changes, _ = pull_all(world.lead_de, cursor)
    assert [(c["id"], c["deleted"]) for c in changes] == [(applied(brand)["id"], True)]


def test_changed_markets_make_old_cursors_resync(world: World) -> None:
    _, cursor = pull_all(world.lead_de)
    with world.server.db.write() as connection:
        save_user(
            connection, username="lead_de", role="section_lead", markets=("de", "fr"), password=None
        )
    answer = world.lead_de.get("/v1/changes", params={"since": cursor})
    assert answer.status_code == 410
    assert answer.json()["error"]["code"] == "resync_required"
    # From the start is always served, and now includes the new market's records.
    assert world.lead_de.get("/v1/changes").status_code == 200
    # Another user's cursor is not one to continue from either.
    assert world.lead_fr.get("/v1/changes", params={"since": cursor}).status_code == 410


def test_purged_tombstones_make_older_cursors_resync(world: World) -> None:
    [brand] = push(world.conductor, create("brand", {"code": "old"}))
    _, before = pull_all(world.conductor)
    push(world.conductor, delete(applied(brand)))
    _, after = pull_all(world.conductor)
    world.server.maintain(datetime.now(UTC) + timedelta(days=181))
    gone = world.conductor.get("/v1/changes", params={"since": before})
    assert gone.status_code == 410 and gone.json()["error"]["code"] == "resync_required"
    assert world.conductor.get("/v1/changes", params={"since": after}).status_code == 200
    ids = {c["id"] for c in pull_all(world.conductor)[0]}
    assert applied(brand)["id"] not in ids
