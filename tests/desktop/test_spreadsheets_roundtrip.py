"""Property: exporting calendar entries or assets and importing the file changes nothing."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.spreadsheets.columns import export_columns
from desktop.spreadsheets.export import export_records
from desktop.spreadsheets.importing import plan_import
from desktop.spreadsheets.mappings import initial_options
from desktop.spreadsheets.sources import inspect
from desktop.store import records
from desktop.store.db import DB_FILENAME, Store
from tests.desktop.conftest import (
    CAMPAIGN,
    DE_ASSET,
    GLOBAL_ENTRY,
    LEAD,
    MASTER_ASSET,
    NOW,
    US_ASSET,
    server_record,
)

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=30,
)
WORDS = st.sampled_from(
    ["instagram", "tiktok", "x", "linkedin", "facebook", "youtube", "newsletter", "radio"]
)
MOMENTS = st.datetimes(
    min_value=datetime(2001, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))
IDS = st.uuids().map(str)


def fmt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@st.composite
def entries(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(MOMENTS)
    end = draw(st.none() | st.integers(0, 500_000).map(lambda s: start + timedelta(seconds=s)))
    return {
        "campaign_id": draw(st.none() | st.just(CAMPAIGN)),
        "kind": draw(st.sampled_from(["organic_post", "paid_burst", "moment", "launch"])),
        "market": draw(st.sampled_from(["de", "fr", None])),
        "channel": draw(st.none() | WORDS),
        "title": draw(st.none() | TEXT),
        "caption": draw(st.none() | TEXT),
        "starts_at": fmt(start),
        "ends_at": None if end is None else fmt(end),
        "status": draw(st.none() | st.sampled_from(["draft", "planned", "cancelled"])),
        "asset_ids": draw(st.lists(st.sampled_from([DE_ASSET, MASTER_ASSET, US_ASSET]))),
        "parent_id": draw(st.none() | st.just(GLOBAL_ENTRY)),
        "adapted_from_version": draw(st.none() | st.integers(1, 9)),
        "owners": draw(
            st.fixed_dictionaries({}, optional={"market": IDS, "creative": IDS, "paid": IDS})
        ),
        "utm_campaign": draw(st.none() | TEXT),
    }


def asset_changes(draw: st.DrawFn) -> dict[str, Any]:
    markets = st.lists(st.sampled_from(["de", "fr", "us", "*"]), max_size=3)
    return {
        # A tag cannot hold a line break: a list cell puts one item a line when items hold commas.
        "tags": draw(st.lists(TEXT.map(lambda t: " ".join(t.split())).filter(bool), max_size=4)),
        "rights": {
            "holder": draw(st.none() | TEXT),
            "license": draw(st.none() | TEXT),
            "usage": draw(st.sampled_from([[], ["organic"], ["paid"], ["organic", "paid"]])),
            "territories": draw(markets),
            "expires_on": draw(st.none() | st.dates().map(lambda d: d.isoformat())),
            "talent_release": draw(st.none() | st.booleans()),
            "notes": draw(st.none() | TEXT),
        },
        "embargo": {"until": draw(st.none() | MOMENTS.map(fmt)), "markets": draw(markets)},
    }


def fresh_store(template: Path) -> tuple[Store, Path]:
    folder = Path(tempfile.mkdtemp(prefix="roundtrip-"))
    shutil.copy(template, folder / DB_FILENAME)
    return Store(folder), folder


def import_counts(store: Store, kind: str, path: Path) -> dict[str, int]:
    source = inspect(path)
    options, _ = initial_options(store, kind, source.header)
    plan = plan_import(store, LEAD, kind, source, options, now=NOW)
    problems = [(r.row, r.changes, r.problems) for r in plan.rows if r.action != "unchanged"]
    assert not problems, problems
    return dict(plan.counts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.lists(entries(), min_size=1, max_size=6),
    fmt_=st.sampled_from(["csv", "xlsx"]),
    times=st.sampled_from(["utc", "local"]),
)
def test_calendar_export_then_import_changes_nothing(
    template_store: Path, data: list[dict[str, Any]], fmt_: str, times: str
) -> None:
    store, folder = fresh_store(template_store)
    try:
        made = [server_record("calendar_entry", str(uuid.uuid4()), d) for d in data]
        with store.write() as session:
            records.upsert(session, "calendar_entry", made)
        path = folder / f"out.{fmt_}"
        keys = [c.key for c in export_columns("calendar")]
        export_records(store, "calendar", None, keys, path, fmt_, times=times)  # type: ignore[arg-type]
        assert import_counts(store, "calendar", path) == {"unchanged": len(made) + 2}
    finally:
        store.close()
        shutil.rmtree(folder)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(change=st.composite(asset_changes)(), fmt_=st.sampled_from(["csv", "xlsx"]))
def test_asset_export_then_import_changes_nothing(
    template_store: Path, change: dict[str, Any], fmt_: str
) -> None:
    store, folder = fresh_store(template_store)
    try:
        with store.read() as session:
            asset = records.get(session, "asset", DE_ASSET)
        assert asset is not None
        asset["data"] = {**asset["data"], **change}
        with store.write() as session:
            records.upsert(session, "asset", [asset])
        path = folder / f"assets.{fmt_}"
        keys = [c.key for c in export_columns("assets")]
        export_records(store, "assets", None, keys, path, fmt_)
        assert import_counts(store, "assets", path) == {"unchanged": 3}
    finally:
        store.close()
        shutil.rmtree(folder)
