"""Resolving conflicts and resubmitting failed changes.

A conflict holds a pushed change the server refused because the same fields changed there. The
lead picks, per field, mine, theirs or an edited value; the record then takes the server's version
and every field the lead did not keep, and one new outbox op (based on the server's version) carries
what the lead kept. Nothing is thrown away without the lead choosing it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from desktop.domain.records import validate_data
from desktop.domain.values import format_time
from desktop.services.changes import ChangeSet, EditRefused, RecordChange, RecordEdit
from desktop.services.workspace import Workspace
from desktop.store import records
from desktop.store.models import Conflict, FailedChange, OutboxOp

Side = Literal["mine", "theirs"]


@dataclass(frozen=True)
class Resolution:
    """Per conflicting field: ``"mine"``, ``"theirs"`` or an edited value in ``edited``.

    ``record``: for a delete-versus-edit conflict, ``"mine"`` keeps this side's intent (delete or
    keep) and ``"theirs"`` takes the server's.
    """

    fields: Mapping[str, Side] = field(default_factory=dict)
    edited: Mapping[str, Any] = field(default_factory=dict)
    record: Side | None = None

    def choice(self, name: str) -> tuple[Side | Literal["edited"], Any]:
        if name in self.edited:
            return "edited", self.edited[name]
        return self.fields.get(name, "mine"), None


def list_conflicts(ws: Workspace) -> list[dict[str, Any]]:
    with ws.store.read() as session:
        rows = session.scalars(select(Conflict).order_by(Conflict.pk)).all()
        return [
            {
                "id": c.pk,
                "record_type": c.record_type,
                "record_id": c.record_id,
                "fields": c.fields,
                "mine_deleted": c.mine_deleted,
                "server_deleted": c.server_deleted,
                "server_version": c.server_version,
                "created_at": c.created_at,
            }
            for c in rows
        ]


def resolve_conflict(ws: Workspace, *, conflict_id: int, resolution: Resolution) -> ChangeSet:
    """Apply the lead's choice for one conflict, in one transaction."""
    now = format_time(ws.clock())
    with ws.store.write() as session:
        conflict = session.get(Conflict, conflict_id)
        if conflict is None:
            raise EditRefused("This conflict was already resolved.")
        change = _resolve(session, ws, conflict, resolution, now)
        session.delete(conflict)
    changeset = ChangeSet(label="Resolve conflict", changes=(change,) if change else ())
    return changeset


def _resolve(
    session: Session, ws: Workspace, conflict: Conflict, resolution: Resolution, now: str
) -> RecordChange | None:
    record_type, record_id = conflict.record_type, conflict.record_id
    local = records.get(session, record_type, record_id)
    server = conflict.server_record or {}
    theirs: dict[str, Any] = dict(server.get("data") or {})
    ops = session.scalars(
        select(OutboxOp)
        .where(OutboxOp.record_type == record_type, OutboxOp.record_id == record_id)
        .where(OutboxOp.batch_id.is_(None))
        .order_by(OutboxOp.seq)
    ).all()
    pending = [name for op in ops for name in op.fields]
    mine: dict[str, Any] = dict(local["data"]) if local else {}
    keep_mine_record = resolution.record != "theirs"

    # Delete against edit: one side deleted the record.
    if conflict.server_deleted and not keep_mine_record:
        _replace_ops(session, ops, None)
        if local is not None:
            records.mark_deleted(session, record_type, [{**server, "id": record_id}])
        return RecordChange(record_type, record_id, "deleted", mine, {})
    if conflict.mine_deleted and not keep_mine_record:
        records.upsert(session, record_type, [{**server, "type": record_type, "deleted": False}])
        _replace_ops(session, ops, None)
        return RecordChange(record_type, record_id, "restored", {}, theirs)

    final: dict[str, Any] = {}
    for name in dict.fromkeys(pending):
        side, value = resolution.choice(name) if name in conflict.fields else ("mine", None)
        if side == "theirs":
            continue
        final[name] = value if side == "edited" else mine.get(name)
    if final:
        final = validate_data(record_type, final, create=False)
    merged = {**theirs, **final} if theirs else {**mine, **final}
    delete_it = conflict.mine_deleted and keep_mine_record
    resurrect = conflict.server_deleted and keep_mine_record
    send = {k: v for k, v in final.items() if theirs.get(k) != v}
    if resurrect:
        send = merged
    if send or delete_it:
        op = {
            "op_id": str(uuid.uuid4()),
            "record_type": record_type,
            "record_id": record_id,
            "base_version": conflict.server_version,
            "fields": {} if delete_it else send,
            "base_values": {k: theirs.get(k) for k in send},
            "deleted": delete_it,
            "created_at": now,
            "label": "Resolve conflict",
            "state": "pending",
        }
        _replace_ops(session, ops, op)
    else:
        _replace_ops(session, ops, None)
    envelope = {
        "type": record_type,
        "id": record_id,
        "version": conflict.server_version,
        "seq": server.get("seq"),
        "updated_at": now,
        "updated_by": ws.actor.user_id,
        "deleted": delete_it,
        "data": merged,
    }
    records.upsert(session, record_type, [envelope])
    before = {k: mine.get(k) for k in merged if mine.get(k) != merged[k]}
    return RecordChange(record_type, record_id, "updated", before, {k: merged[k] for k in before})


def _replace_ops(session: Session, ops: Sequence[OutboxOp], op: dict[str, Any] | None) -> None:
    for old in ops:
        session.delete(old)
    session.flush()
    if op is not None:
        session.execute(insert(OutboxOp), [op])


def list_failed(ws: Workspace) -> list[dict[str, Any]]:
    with ws.store.read() as session:
        rows = session.scalars(select(FailedChange).order_by(FailedChange.pk)).all()
        return [
            {
                "id": f.pk,
                "record_type": f.record_type,
                "record_id": f.record_id,
                "fields": f.fields,
                "deleted": f.deleted,
                "created": f.created,
                "error_code": f.error_code,
                "message": f.message,
                "details": f.details,
                "created_at": f.created_at,
            }
            for f in rows
        ]


def resubmit_failed(
    ws: Workspace, *, failed_id: int, fields: Mapping[str, Any] | None = None
) -> ChangeSet:
    """Queue a rejected change again, with the lead's fixes in ``fields``; clears it on success."""
    with ws.store.read() as session:
        failed = session.get(FailedChange, failed_id)
        if failed is None:
            raise EditRefused("This change was already resubmitted or dismissed.")
        exists = records.get(session, failed.record_type, failed.record_id) is not None
        record_type, record_id = failed.record_type, failed.record_id
        wanted = {**failed.fields, **(fields or {})}
        is_delete = failed.deleted

    def clear(session: Session) -> None:
        session.execute(delete(FailedChange).where(FailedChange.pk == failed_id))

    if is_delete:
        edit = RecordEdit(record_type, record_id, delete=True)
    else:
        edit = RecordEdit(record_type, record_id, fields=wanted, create=not exists)
    return ws.apply([edit], label="Resubmit change", also=clear)


def dismiss_failed(ws: Workspace, *, failed_id: int) -> None:
    with ws.store.write() as session:
        session.execute(delete(FailedChange).where(FailedChange.pk == failed_id))
