"""Calendar entry operations: create, edit, move, delete, and adapt a global entry for a market."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from desktop.services.changes import ChangeSet, EditRefused, RecordEdit
from desktop.services.workspace import Workspace
from desktop.store import records

# What an adaptation starts from: the master's content, then localized by the lead.
ADAPTED_FIELDS = (
    "campaign_id",
    "kind",
    "channel",
    "title",
    "caption",
    "starts_at",
    "ends_at",
    "asset_ids",
    "utm_campaign",
)


def create_entry(
    ws: Workspace, *, data: Mapping[str, Any], entry_id: str | None = None
) -> ChangeSet:
    new_id = entry_id or str(uuid.uuid4())
    fields = {"status": "draft", **data}
    return ws.apply(
        [RecordEdit("calendar_entry", new_id, fields=fields, create=True)],
        label=f"Create {fields.get('title') or 'entry'}",
    )


def edit_entry(ws: Workspace, *, entry_id: str, fields: Mapping[str, Any]) -> ChangeSet:
    return ws.apply([RecordEdit("calendar_entry", entry_id, fields=fields)], label="Edit entry")


def move_entry(ws: Workspace, *, entry_id: str, starts_at: str, ends_at: str | None) -> ChangeSet:
    """Move an entry in time (the calendar's drag); the rules check embargo and drift."""
    return ws.apply(
        [
            RecordEdit(
                "calendar_entry", entry_id, fields={"starts_at": starts_at, "ends_at": ends_at}
            )
        ],
        label="Move entry",
    )


def delete_entries(ws: Workspace, *, entry_ids: list[str]) -> ChangeSet:
    label = "Delete entry" if len(entry_ids) == 1 else f"Delete {len(entry_ids)} entries"
    return ws.apply([RecordEdit("calendar_entry", i, delete=True) for i in entry_ids], label=label)


def adapt_entry(
    ws: Workspace,
    *,
    entry_id: str,
    market: str,
    fields: Mapping[str, Any] | None = None,
    new_id: str | None = None,
) -> ChangeSet:
    """Create the ``market`` version of a global entry, linked to it by ``parent_id``."""
    with ws.store.read() as session:
        master = records.get(session, "calendar_entry", entry_id)
    if master is None or master["deleted"]:
        raise EditRefused("Adapt was not possible: the global entry is no longer here.")
    if master["data"]["market"] is not None:
        raise EditRefused("Only global entries can be adapted; this one is already local.")
    if master["version"] < 1:
        raise EditRefused("Sync first: this global entry has not reached the server yet.")
    data = {name: master["data"][name] for name in ADAPTED_FIELDS}
    data.update(
        market=market,
        parent_id=entry_id,
        adapted_from_version=master["version"],
        status="draft",
        **(fields or {}),
    )
    return ws.apply(
        [RecordEdit("calendar_entry", new_id or str(uuid.uuid4()), fields=data, create=True)],
        label=f"Adapt for {market.upper()}",
    )
