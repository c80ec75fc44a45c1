"""Asset operations: create, edit, delete, tags, rights and embargo in bulk, and adaptation.

Bulk operations compute each asset's new value inside the write transaction (RecordEdit.update),
so tagging 500 assets is one transaction, one undo step, and never races a sync.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from desktop.rules.naming import build_name, parse_name
from desktop.services.changes import ChangeSet, EditRefused, RecordEdit
from desktop.services.workspace import Workspace
from desktop.store import records

# What a local variant inherits from its master before the lead localizes it.
ADAPTED_FIELDS = (
    "title",
    "kind",
    "sha256",
    "size",
    "mime",
    "width",
    "height",
    "brand",
    "campaign_id",
    "tags",
    "alt_text",
    "rights",
    "embargo",
)


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else f"{count} {many}"


def create_asset(
    ws: Workspace, *, data: Mapping[str, Any], asset_id: str | None = None
) -> ChangeSet:
    fields = {"status": "draft", **data}
    return ws.apply(
        [RecordEdit("asset", asset_id or str(uuid.uuid4()), fields=fields, create=True)],
        label=f"Add {fields.get('name') or 'asset'}",
    )


def edit_asset(ws: Workspace, *, asset_id: str, fields: Mapping[str, Any]) -> ChangeSet:
    return ws.apply([RecordEdit("asset", asset_id, fields=fields)], label="Edit asset")


def delete_assets(ws: Workspace, *, asset_ids: list[str]) -> ChangeSet:
    return ws.apply(
        [RecordEdit("asset", i, delete=True) for i in asset_ids],
        label=f"Delete {_plural(len(asset_ids), 'asset', 'assets')}",
    )


def add_tags(ws: Workspace, *, asset_ids: Iterable[str], tags: Iterable[str]) -> ChangeSet:
    new = [t.strip() for t in tags if t.strip()]
    ids = list(asset_ids)

    def update(data: dict[str, Any]) -> dict[str, Any]:
        current = list(data["tags"])
        return {"tags": current + [t for t in new if t not in current]}

    label = f"Tag {_plural(len(ids), 'asset', 'assets')} with {', '.join(new)}"
    return ws.apply([RecordEdit("asset", i, update=update) for i in ids], label=label)


def remove_tags(ws: Workspace, *, asset_ids: Iterable[str], tags: Iterable[str]) -> ChangeSet:
    gone = set(tags)
    ids = list(asset_ids)

    def update(data: dict[str, Any]) -> dict[str, Any]:
        return {"tags": [t for t in data["tags"] if t not in gone]}

    label = f"Remove {', '.join(sorted(gone))} from {_plural(len(ids), 'asset', 'assets')}"
    return ws.apply([RecordEdit("asset", i, update=update) for i in ids], label=label)


def set_rights(
    ws: Workspace, *, asset_ids: Iterable[str], rights: Mapping[str, Any], label: str | None = None
) -> ChangeSet:
    """Merge ``rights`` (some or all of its keys, e.g. a preset) into each asset's rights."""
    ids = list(asset_ids)

    def update(data: dict[str, Any]) -> dict[str, Any]:
        return {"rights": {**data["rights"], **rights}}

    text = label or f"Set rights on {_plural(len(ids), 'asset', 'assets')}"
    return ws.apply([RecordEdit("asset", i, update=update) for i in ids], label=text)


def set_embargo(
    ws: Workspace,
    *,
    asset_ids: Iterable[str],
    until: str | None,
    markets: list[str],
    label: str | None = None,
) -> ChangeSet:
    """Embargo assets until a time in some markets (``["*"]``: all); ``until=None`` lifts it."""
    ids = list(asset_ids)
    embargo = {"until": until, "markets": markets if until else []}
    text = label or (
        f"Embargo {_plural(len(ids), 'asset', 'assets')}"
        if until
        else f"Lift embargo on {_plural(len(ids), 'asset', 'assets')}"
    )
    return ws.apply([RecordEdit("asset", i, fields={"embargo": embargo}) for i in ids], label=text)


def adapt_asset(
    ws: Workspace,
    *,
    asset_id: str,
    market: str,
    language: str | None = None,
    fields: Mapping[str, Any] | None = None,
    new_id: str | None = None,
) -> ChangeSet:
    """Create the ``market`` variant of a master asset, linked by ``master_id``.

    Its name follows the convention with the market swapped in; ``fields`` carry the lead's
    changes (a local file's sha256/size/mime, a crop, alt text, ...).
    """
    with ws.store.read() as session:
        master = records.get(session, "asset", asset_id)
    if master is None or master["deleted"]:
        raise EditRefused("Adapt was not possible: the master asset is no longer here.")
    if master["data"]["market"] is not None:
        raise EditRefused("Only master (global) assets can be adapted; this one is already local.")
    if master["version"] < 1:
        raise EditRefused("Sync first: this master asset has not reached the server yet.")
    data = {name: master["data"][name] for name in ADAPTED_FIELDS}
    parts = parse_name(master["data"]["name"])
    if parts is not None:
        name = build_name(
            brand=parts.brand,
            market=market,
            day=parts.day,
            campaign=parts.campaign,
            variant=parts.variant,
        )
    else:
        name = build_name(
            brand=master["data"]["brand"] or "brand",
            market=market,
            day=datetime.now(UTC).date(),
            campaign=master["data"]["name"],
            variant="local",
        )
    data.update(
        name=name,
        market=market,
        language=language,
        master_id=asset_id,
        adapted_from_version=master["version"],
        status="draft",
        **(fields or {}),
    )
    return ws.apply(
        [RecordEdit("asset", new_id or str(uuid.uuid4()), fields=data, create=True)],
        label=f"Adapt {master['data']['name']} for {market.upper()}",
    )
