"""The ops board's queries: each section picks the right records, words them, bounds them."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop.domain.values import format_time, parse_time
from desktop.queries import conflicts as conflict_queries
from desktop.queries import ops
from desktop.services.preferences import (
    DEFAULTS,
    PreferenceError,
    Preferences,
    load_preferences,
    save_preferences,
)
from desktop.store import records
from desktop.store.db import DB_FILENAME, Store
from desktop.store.models import Conflict, FailedChange, OutboxOp, RecordHistory
from tests.desktop.conftest import (
    CAMPAIGN,
    DE_ASSET,
    DE_ENTRY,
    GLOBAL_ENTRY,
    MASTER_ASSET,
    NOW,
    asset_data,
    ident,
    server_record,
)

MARKETS = ("de", "fr")


def entry(n: int, market: str | None, starts: datetime, **data: Any) -> dict[str, Any]:
    fields = {
        "campaign_id": CAMPAIGN,
        "kind": "organic_post",
        "market": market,
        "channel": "instagram",
        "title": f"Post {n}",
        "caption": "Ein Wintertag.",
        "starts_at": format_time(starts),
        "ends_at": format_time(starts),
        "status": "planned",
        **data,
    }
    return server_record("calendar_entry", ident(100 + n), fields)


def put(store: Store, *envelopes: dict[str, Any]) -> None:
    with store.write() as session:
        for envelope in envelopes:
            records.upsert(session, envelope["type"], [envelope])


def board(store: Store, **kwargs: Any) -> ops.OpsBoard:
    with store.read() as session:
        return ops.ops_board(session, markets=MARKETS, now=NOW, **kwargs)


def ids(section: ops.OpsSection) -> list[str]:
    return [item.record_id for item in section.items]


def test_posts_due_are_local_organic_posts_of_the_next_48_hours(store: Store) -> None:
    put(
        store,
        entry(1, "de", NOW + timedelta(hours=3), status="draft"),
        entry(2, "fr", NOW + timedelta(hours=47)),
        entry(3, "de", NOW + timedelta(hours=49)),  # too late
        entry(4, "us", NOW + timedelta(hours=3)),  # not her market
        entry(5, "de", NOW + timedelta(hours=5), status="published"),
        entry(6, "de", NOW - timedelta(hours=1)),  # already past
        entry(7, "de", NOW + timedelta(hours=6), kind="paid_burst"),
    )
    section = board(store).section("posts_due")
    assert ids(section) == [ident(101), ident(102)]
    assert section.total == 2
    first = section.items[0]
    assert first.severity == "warning" and "still a draft" in first.detail
    assert "Instagram · DE · Sun 22 Nov 13:00 (Europe/Berlin)" in first.detail


def test_empty_board_says_so(store: Store) -> None:
    result = board(store)
    section = result.section("posts_due")
    assert section.items == () and section.total == 0
    assert section.empty == "Nothing due in the next 48 hours."
    with store.read() as session:
        nobody = ops.ops_board(session, markets=(), now=NOW)
    assert nobody.total == 0 and all(not s.items for s in nobody.sections)


def test_sections_are_bounded_with_a_total(store: Store) -> None:
    put(store, *(entry(n, "de", NOW + timedelta(minutes=10 * n)) for n in range(1, 13)))
    section = board(store, limit=5).section("posts_due")
    assert len(section.items) == 5 and section.total == 12


def test_boost_candidates_are_recent_published_posts_without_a_request(store: Store) -> None:
    put(
        store,
        entry(1, "de", NOW - timedelta(hours=5), status="published"),
        entry(2, "de", NOW - timedelta(hours=10), status="published"),
        entry(3, "de", NOW - timedelta(hours=100), status="published"),  # too old
        entry(4, "fr", NOW - timedelta(hours=2), status="planned"),  # not out yet
    )
    request = {
        "entry_id": ident(102),
        "asset_id": DE_ASSET,
        "market": "de",
        "status": "submitted",
        "priority": "standard",
        "sla_due_at": format_time(NOW + timedelta(hours=1)),
    }
    put(store, server_record("amplification_request", ident(500), request))
    section = board(store).section("boost_candidates")
    assert ids(section) == [ident(101)]
    assert "posted 5 hours ago" in section.items[0].detail


def test_requests_waiting_soonest_sla_first_with_breach(store: Store) -> None:
    def request(n: int, due: datetime, status: str = "submitted", market: str = "de") -> Any:
        return server_record(
            "amplification_request",
            ident(500 + n),
            {
                "entry_id": DE_ENTRY,
                "asset_id": DE_ASSET,
                "market": market,
                "status": status,
                "priority": "emergency" if n == 2 else "standard",
                "budget": {"amount": "800.00", "currency": "EUR"},
                "sla_due_at": format_time(due),
            },
        )

    put(
        store,
        request(1, NOW + timedelta(hours=2)),
        request(2, NOW - timedelta(minutes=5), status="escalated"),
        request(3, NOW + timedelta(hours=1), status="approved"),
        request(4, NOW + timedelta(hours=1), market="us"),
    )
    section = board(store).section("requests_waiting")
    assert ids(section) == [ident(502), ident(501)]
    breached, waiting = section.items
    assert breached.severity == "error" and waiting.severity == "info"
    assert waiting.sla_due_at == format_time(NOW + timedelta(hours=2))
    assert "800.00 EUR" in waiting.detail and "escalated" in breached.detail
    assert waiting.title == "Boost: Winter Trails Start"
    # The server's clock runs 3 hours ahead: the second one is breached too.
    ahead = board(store, clock_offset_seconds=3 * 3600).section("requests_waiting")
    assert [i.severity for i in ahead.items] == ["error", "error"]


def test_rights_expiring_and_embargoes_lifting(store: Store) -> None:
    expiring = asset_data("acme_de_20261120_winter-trails_soon", "de")
    expiring["rights"] = {**expiring["rights"], "expires_on": "2026-11-24"}
    lifting = asset_data("acme_global_20261120_winter-trails_embargo", None)
    lifting["embargo"] = {"until": format_time(NOW + timedelta(hours=20)), "markets": ["*"]}
    later = asset_data("acme_fr_20261120_winter-trails_later", "fr")
    later["embargo"] = {"until": format_time(NOW + timedelta(hours=60)), "markets": ["fr"]}
    us = asset_data("acme_us_20261120_winter-trails_us", "us")
    us["rights"] = {**us["rights"], "expires_on": "2026-11-23"}
    put(
        store,
        server_record("asset", ident(600), expiring),
        server_record("asset", ident(601), lifting),
        server_record("asset", ident(602), later),
        server_record("asset", ident(603), us),
    )
    result = board(store)
    rights = result.section("rights_expiring")
    assert ids(rights) == [ident(600)]
    assert "expire in 2 days" in rights.items[0].detail and rights.items[0].severity == "warning"
    embargo = result.section("embargoes_lifting")
    assert ids(embargo) == [ident(601)]
    assert "in DE, FR lifts in 20 hours" in embargo.items[0].detail
    wider = board(store, embargo_hours=72).section("embargoes_lifting")
    assert ids(wider) == [ident(601), ident(602)]


def burst(n: int, market: str | None, start: datetime, hours: int, **data: Any) -> Any:
    return entry(
        n,
        market,
        start,
        kind="paid_burst",
        ends_at=format_time(start + timedelta(hours=hours)),
        title=f"Burst {n}",
        **data,
    )


def test_overlapping_bursts_open_the_local_one(store: Store) -> None:
    start = NOW + timedelta(days=3)
    put(
        store,
        burst(1, None, start, 48),
        burst(2, "de", start + timedelta(hours=24), 48),
        burst(3, "us", start, 48),
        burst(4, "fr", start + timedelta(days=60), 48),  # beyond the look-ahead
    )
    section = board(store).section("overlaps")
    assert ids(section) == [ident(102)]
    item = section.items[0]
    assert item.master_id == ident(101)
    assert (
        "overlaps Burst 1 (central) for 1 day" in item.detail and "duplicate spend" in item.detail
    )


def test_drift_uses_the_lead_s_tolerance(store: Store) -> None:
    parent_start = parse_time("2026-11-25T09:00:00Z")
    put(store, entry(1, "fr", parent_start + timedelta(days=3), parent_id=GLOBAL_ENTRY))
    assert ids(board(store).section("drift")) == [ident(101)]
    assert board(store, drift_days=4).section("drift").items == ()
    item = board(store).section("drift").items[0]
    assert item.master_id == GLOBAL_ENTRY and "3 days later" in item.detail


def test_stale_adaptations_name_the_changed_fields(store: Store) -> None:
    with store.read() as session:
        master = records.get(session, "calendar_entry", GLOBAL_ENTRY)
        master_asset = records.get(session, "asset", MASTER_ASSET)
    assert master is not None and master_asset is not None
    with store.write() as session:
        session.add(
            RecordHistory(
                record_type="calendar_entry",
                record_id=GLOBAL_ENTRY,
                version=1,
                data=master["data"],
            )
        )
    changed = {**master, "version": 2, "data": {**master["data"], "caption": "New words"}}
    changed_asset = {**master_asset, "version": 3}  # no history: versions only
    put(store, changed, changed_asset)
    section = board(store).section("stale")
    by_id = {item.record_id: item for item in section.items}
    assert set(by_id) == {DE_ENTRY, DE_ASSET}
    assert by_id[DE_ENTRY].changed_fields == ("caption",)
    assert by_id[DE_ENTRY].detail == "DE · changed in the master: caption"
    assert by_id[DE_ASSET].master_id == MASTER_ASSET
    assert "from version 1 to 3" in by_id[DE_ASSET].detail


def test_attention_counts_and_conflict_rows(store: Store) -> None:
    with store.write() as session:
        session.add(
            Conflict(
                record_type="calendar_entry",
                record_id=DE_ENTRY,
                fields={"caption": {"mine": "a", "theirs": "b", "base": "c"}},
                server_version=2,
                server_record={"data": {"title": "Central title"}},
                created_at="2026-11-22T09:00:00Z",
            )
        )
        session.add(
            FailedChange(
                op_id=ident(900),
                record_type="amplification_request",
                record_id=ident(901),
                fields={"cta": "Jetzt kaufen"},
                created=True,
                error_code="embargoed",
                message="The asset is under embargo in DE.",
                created_at="2026-11-22T09:00:00Z",
            )
        )
        for n in range(3):
            session.add(
                OutboxOp(
                    op_id=ident(950 + n),
                    record_type="asset",
                    record_id=DE_ASSET if n < 2 else MASTER_ASSET,
                    fields={"tags": ["x"]},
                    created_at="2026-11-22T09:00:00Z",
                )
            )
    with store.read() as session:
        counts = conflict_queries.attention_counts(session)
        rows = conflict_queries.conflict_rows(session)
    assert (counts.conflicts, counts.failed, counts.pending, counts.badge) == (1, 1, 2, 2)
    conflict, failed = rows
    assert conflict.title == "Winter Trails Start" and "caption" in conflict.summary
    assert failed.title == "Jetzt kaufen" and "under embargo" in failed.summary


def test_preferences_round_trip_and_refuse_out_of_range(store: Store) -> None:
    assert load_preferences(store) == DEFAULTS
    saved = save_preferences(store, Preferences(drift_days=3.5, storage_budget_mb=500))
    assert load_preferences(store) == saved
    assert saved.storage_budget_bytes == 500 * 1024 * 1024
    with pytest.raises(PreferenceError, match="between 0 and 60"):
        save_preferences(store, Preferences(drift_days=-1))
    with pytest.raises(PreferenceError, match="must be a number"):
        save_preferences(store, Preferences(rights_days=True))
    assert load_preferences(store).drift_days == 3.5


# --- at scale ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_store(template_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """50,000 entries: a global plan every 2 hours for 12 weeks, its DE/FR/US adaptations (some
    drifted, some stale), local posts and bursts, and requests; made in code, loaded in one go."""
    folder = tmp_path_factory.mktemp("big")
    shutil.copy(template_store, folder / DB_FILENAME)
    store = Store(folder)
    start = NOW - timedelta(weeks=6)
    rows: list[dict[str, Any]] = []
    requests: list[dict[str, Any]] = []
    kinds = ("organic_post", "organic_post", "paid_burst")
    statuses = ("draft", "planned", "approved", "published", "cancelled")
    n = 0
    while len(rows) < 50_000:
        at = start + timedelta(hours=2 * n)
        parent = str(uuid.UUID(int=10_000_000 + n))
        kind = kinds[n % 3]
        data = {
            "campaign_id": CAMPAIGN,
            "kind": kind,
            "market": None,
            "channel": "instagram",
            "title": f"Global {n}",
            "starts_at": format_time(at),
            "ends_at": format_time(at + timedelta(hours=30 if kind == "paid_burst" else 0)),
            "status": "planned",
        }
        rows.append(server_record("calendar_entry", parent, data, version=1 + n % 2))
        for m, market in enumerate(("de", "fr", "us")):
            drift = timedelta(days=3) if (n + m) % 17 == 0 else timedelta(0)
            local = {
                **data,
                "market": market,
                "title": f"{market} {n}",
                "starts_at": format_time(at + drift),
                "status": statuses[(n + m) % 5],
                "parent_id": parent,
                "adapted_from_version": 1,
            }
            local_id = str(uuid.UUID(int=20_000_000 + 4 * n + m))
            rows.append(server_record("calendar_entry", local_id, local))
            if n % 7 == 0 and kind == "organic_post":
                requests.append(
                    server_record(
                        "amplification_request",
                        str(uuid.UUID(int=30_000_000 + 4 * n + m)),
                        {
                            "entry_id": local_id,
                            "asset_id": DE_ASSET,
                            "market": market,
                            "status": ("submitted", "escalated", "approved")[n % 3],
                            "sla_due_at": format_time(at + timedelta(hours=3)),
                        },
                    )
                )
        n += 1
    with store.write() as session:
        records.upsert(session, "calendar_entry", rows)
        records.upsert(session, "amplification_request", requests)
    yield store
    store.close()


def test_the_board_on_50000_entries_matches_a_plain_scan(big_store: Store) -> None:
    with big_store.read() as session:
        result = ops.ops_board(session, markets=MARKETS, now=NOW, limit=100_000)
        every = [
            records.from_row("calendar_entry", row)
            for row in session.execute(records.table("calendar_entry").select())
        ]
    assert len(every) >= 50_000
    by_id = {e["id"]: e["data"] for e in every}
    end = NOW + timedelta(hours=48)
    expected = {
        i
        for i, e in by_id.items()
        if e["market"] in MARKETS
        and e["kind"] == "organic_post"
        and e["status"] not in ("published", "cancelled")
        and NOW <= parse_time(e["starts_at"]) < end
    }
    due = result.section("posts_due")
    assert set(ids(due)) == expected and due.total == len(expected) > 0
    drift_end = NOW + timedelta(days=42)
    drifted = {
        i
        for i, e in by_id.items()
        if e["market"] in MARKETS
        and e["parent_id"]
        and e["status"] != "cancelled"
        and abs(parse_time(e["starts_at"]) - parse_time(by_id[e["parent_id"]]["starts_at"]))
        > timedelta(days=2)
        and any(
            NOW <= parse_time(t) <= drift_end
            for t in (e["starts_at"], by_id[e["parent_id"]]["starts_at"])
        )
    }
    assert set(ids(result.section("drift"))) == drifted and drifted
    for key in ("requests_waiting", "overlaps", "stale"):
        assert result.section(key).total > 0, key
    with big_store.read() as session:
        quick = ops.ops_board(session, markets=MARKETS, now=NOW, sections=ops.QUICK)
    assert [s.key for s in quick.sections] == list(ops.QUICK)


def test_path_is_a_store_folder(tmp_path: Path) -> None:
    # A board over a brand-new, empty store: every section empty, nothing fails.
    store = Store(tmp_path / "fresh")
    try:
        with store.read() as session:
            result = ops.ops_board(session, markets=MARKETS, now=NOW)
        assert result.total == 0
    finally:
        store.close()
