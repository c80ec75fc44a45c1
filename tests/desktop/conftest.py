"""Desktop-layer fixtures: a migrated template store copied per test, as Anki's tests do."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from desktop.services.changes import Actor
from desktop.store import records
from desktop.store.db import DB_FILENAME, Store

if TYPE_CHECKING:
    from desktop.services.workspace import Workspace

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
LEAD = Actor(user_id=str(uuid.UUID(int=1)), role="section_lead", markets=("de", "fr"))
CONDUCTOR = Actor(user_id=str(uuid.UUID(int=2)), role="conductor")


def ident(n: int) -> str:
    return str(uuid.UUID(int=1000 + n))


MARKET_DE = ident(1)
MARKET_FR = ident(2)
MARKET_US = ident(3)
CAMPAIGN = ident(10)
MASTER_ASSET = ident(20)
DE_ASSET = ident(21)
US_ASSET = ident(22)
GLOBAL_ENTRY = ident(30)
DE_ENTRY = ident(31)


def server_record(
    record_type: str, record_id: str, data: dict[str, Any], *, version: int = 1, seq: int = 1
) -> dict[str, Any]:
    from desktop.domain.records import validate_data

    return {
        "type": record_type,
        "id": record_id,
        "version": version,
        "seq": seq,
        "updated_at": "2026-11-20T08:00:00Z",
        "updated_by": CONDUCTOR.user_id,
        "deleted": False,
        "data": validate_data(record_type, data, create=True),
    }


def asset_data(name: str, market: str | None, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "title": "Winter hero",
        "kind": "image",
        "sha256": "ab" * 32,
        "size": 1234,
        "mime": "image/jpeg",
        "width": 1200,
        "height": 800,
        "brand": "acme",
        "campaign_id": CAMPAIGN,
        "market": market,
        "language": "de" if market == "de" else "en",
        "tags": ["winter", "hero"],
        "alt_text": "A hiker on a snowy ridge",
        "status": "approved",
        "rights": {
            "holder": "Acme",
            "license": "buyout",
            "usage": ["organic", "paid"],
            "territories": ["*"],
            "expires_on": "2027-12-31",
            "talent_release": True,
        },
        **extra,
    }


SEED: list[dict[str, Any]] = [
    server_record(
        "market",
        MARKET_DE,
        {
            "code": "de",
            "name": "Germany",
            "region": "EMEA",
            "languages": ["de"],
            "timezone": "Europe/Berlin",
            "currency": "EUR",
            "forbidden_terms": ["gratis", "kostenlos"],
            "legal_note": "Anzeige",
            "boost_threshold": "5000.00",
        },
    ),
    server_record(
        "market",
        MARKET_FR,
        {
            "code": "fr",
            "name": "France",
            "region": "EMEA",
            "languages": ["fr"],
            "timezone": "Europe/Paris",
            "currency": "EUR",
            "forbidden_terms": ["gratuit"],
            "legal_note": "Publicité",
            "boost_threshold": "5000.00",
        },
    ),
    server_record(
        "market",
        MARKET_US,
        {
            "code": "us",
            "name": "United States",
            "region": "AMER",
            "languages": ["en"],
            "timezone": "America/New_York",
            "currency": "USD",
            "forbidden_terms": ["free"],
            "legal_note": "#ad",
            "boost_threshold": "10000.00",
        },
    ),
    server_record(
        "campaign",
        CAMPAIGN,
        {
            "name": "Winter Trails",
            "brand": "acme",
            "objective": "awareness",
            "primary_kpi": "reach",
            "starts_on": "2026-11-01",
            "ends_on": "2027-01-31",
            "status": "live",
        },
    ),
    server_record(
        "asset", MASTER_ASSET, asset_data("acme_global_20261120_winter-trails_hero", None)
    ),
    server_record(
        "asset",
        DE_ASSET,
        asset_data(
            "acme_de_20261120_winter-trails_hero",
            "de",
            master_id=MASTER_ASSET,
            adapted_from_version=1,
        ),
    ),
    server_record("asset", US_ASSET, asset_data("acme_us_20261120_winter-trails_hero", "us")),
    server_record(
        "calendar_entry",
        GLOBAL_ENTRY,
        {
            "campaign_id": CAMPAIGN,
            "kind": "organic_post",
            "market": None,
            "channel": "instagram",
            "title": "Winter Trails launch",
            "caption": "Find your trail this winter.",
            "starts_at": "2026-11-25T09:00:00Z",
            "ends_at": "2026-11-25T09:00:00Z",
            "status": "planned",
            "asset_ids": [MASTER_ASSET],
        },
    ),
    server_record(
        "calendar_entry",
        DE_ENTRY,
        {
            "campaign_id": CAMPAIGN,
            "kind": "organic_post",
            "market": "de",
            "channel": "instagram",
            "title": "Winter Trails Start",
            "caption": "Finde deinen Weg diesen Winter.",
            "starts_at": "2026-11-25T09:00:00Z",
            "ends_at": "2026-11-25T09:00:00Z",
            "status": "planned",
            "asset_ids": [DE_ASSET],
            "parent_id": GLOBAL_ENTRY,
            "adapted_from_version": 1,
        },
    ),
]


@pytest.fixture(scope="session")
def template_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    store = Store(folder)
    with store.write() as session:
        for record in SEED:
            records.upsert(session, record["type"], [record])
    store.close()
    return folder / DB_FILENAME


@pytest.fixture
def store(template_store: Path, tmp_path: Path) -> Iterator[Store]:
    shutil.copy(template_store, tmp_path / DB_FILENAME)
    opened = Store(tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def ws(store: Store) -> Workspace:
    from desktop.services.workspace import Workspace

    return Workspace(store, actor=LEAD, clock=lambda: NOW)
