"""Amplification requests: draft (offline), submit (queued for sync), withdraw.

The server sets submitted_at and the SLA when the submit reaches it; the same submit checks run
here first, so the lead learns what the server would refuse while still on the plane.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from desktop.services.changes import ChangeSet, RecordEdit
from desktop.services.workspace import Workspace


def draft_request(
    ws: Workspace, *, data: Mapping[str, Any], request_id: str | None = None
) -> ChangeSet:
    fields = {"priority": "standard", **data, "status": "draft"}
    return ws.apply(
        [
            RecordEdit(
                "amplification_request", request_id or str(uuid.uuid4()), fields=fields, create=True
            )
        ],
        label="Draft amplification request",
    )


def edit_request(ws: Workspace, *, request_id: str, fields: Mapping[str, Any]) -> ChangeSet:
    return ws.apply(
        [RecordEdit("amplification_request", request_id, fields=fields)], label="Edit request"
    )


def submit_request(
    ws: Workspace, *, request_id: str, fields: Mapping[str, Any] | None = None
) -> ChangeSet:
    """Submit a draft (with any last edits); refused with the server's words if it would be."""
    return ws.apply(
        [
            RecordEdit(
                "amplification_request",
                request_id,
                fields={**(fields or {}), "status": "submitted"},
            )
        ],
        label="Submit request",
    )


def submit_new_request(
    ws: Workspace, *, data: Mapping[str, Any], request_id: str | None = None
) -> ChangeSet:
    """Create a request directly as submitted (drafted and submitted offline in one step, as the
    protocol allows): one write, one undo step; refused with the server's words if it would be."""
    fields = {"priority": "standard", **data, "status": "submitted"}
    return ws.apply(
        [
            RecordEdit(
                "amplification_request",
                request_id or str(uuid.uuid4()),
                fields=fields,
                create=True,
            )
        ],
        label="Submit request",
    )


def withdraw_request(ws: Workspace, *, request_id: str) -> ChangeSet:
    return ws.apply(
        [RecordEdit("amplification_request", request_id, fields={"status": "withdrawn"})],
        label="Withdraw request",
    )
