"""Pushing the outbox: coalesce, store the batch, send, apply each result.

The batch is written to ``push_batches`` (and its ops marked with its ``batch_id``) in the same
transaction that forms it, BEFORE it is sent; a retry after a lost answer or a crash therefore
replays exactly the same ``batch_id`` and changes, and the server's idempotency does the rest.
Results are applied in one transaction per batch. One bad change never holds up the others.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from desktop.domain.values import format_time, utcnow
from desktop.progress import Progress
from desktop.store import records
from desktop.store.db import Store
from desktop.store.models import Conflict, FailedChange, OutboxOp, PushBatch
from sync.client.api import BadAnswer, ServerApi
from sync.schemas import MAX_PUSH_BYTES, MAX_PUSH_CHANGES, ChangeResult, PushResponse

# Stay well inside the server's limits: JSON escaping and headers add a little.
BATCH_BYTES = MAX_PUSH_BYTES // 2


@dataclass
class PushSummary:
    pushed: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    rejections: list[str] = field(default_factory=list)

    def add(self, other: PushSummary) -> None:
        self.pushed += other.pushed
        self.merged += other.merged
        self.conflicts += other.conflicts
        self.rejected += other.rejected
        self.rejections += other.rejections


def pending_change_count(store: Store) -> int:
    with store.read() as session:
        rows = session.execute(
            select(OutboxOp.record_type, OutboxOp.record_id)
            .where(OutboxOp.state == "pending")
            .distinct()
        ).all()
    return len(rows)


def push(store: Store, api: ServerApi, *, client_id: str, progress: Progress) -> PushSummary:
    """Send every pending change; returns what happened to them."""
    summary = PushSummary()
    total = pending_change_count(store)
    done = 0
    progress.report("Sending changes", 0, total, force=True)
    while True:
        progress.check()
        batch = _prepare_batch(store, client_id)
        if batch is None:
            break
        body = batch.payload["body"]
        response = api.push(body)
        result = _apply_results(store, batch.batch_id, response)
        summary.add(result)
        done += len(body["changes"])
        progress.report("Sending changes", min(done, total), total)
    return summary


# --- forming a batch ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Batch:
    batch_id: str
    payload: dict[str, Any]


def _prepare_batch(store: Store, client_id: str) -> _Batch | None:
    """The batch in flight if one was never answered, else a new one from pending ops."""
    with store.write() as session:
        waiting = session.scalars(select(PushBatch).order_by(PushBatch.created_at)).first()
        if waiting is not None:
            return _Batch(waiting.batch_id, waiting.payload)
        blocked = set(
            session.execute(
                select(OutboxOp.record_type, OutboxOp.record_id).where(OutboxOp.state == "conflict")
            ).all()
        )
        ops = session.scalars(
            select(OutboxOp)
            .where(OutboxOp.state == "pending", OutboxOp.batch_id.is_(None))
            .order_by(OutboxOp.seq)
        ).all()
        groups: dict[tuple[str, str], list[OutboxOp]] = {}
        for op in ops:
            key = (op.record_type, op.record_id)
            if key not in blocked:
                groups.setdefault(key, []).append(op)
        if not groups:
            return None
        # One query per record type for the local rows, not one per record.
        keys = list(groups)[:MAX_PUSH_CHANGES]
        ids_by_type: dict[str, list[str]] = {}
        for record_type, record_id in keys:
            ids_by_type.setdefault(record_type, []).append(record_id)
        local = {t: records.load(session, t, ids) for t, ids in ids_by_type.items()}
        batch_id = str(uuid.uuid4())
        changes: list[dict[str, Any]] = []
        op_map: dict[str, list[str]] = {}
        sent_seqs: list[int] = []
        size = 200
        with session.no_autoflush:
            for record_type, record_id in keys:
                group = groups[(record_type, record_id)]
                current = local[record_type].get(record_id)
                change = _coalesce(session, record_type, record_id, group, current)
                if change is None:
                    continue
                encoded = len(json.dumps(change, ensure_ascii=False))
                if changes and size + encoded > BATCH_BYTES:
                    break
                size += encoded + 1
                changes.append(change)
                op_map[change["op_id"]] = [op.op_id for op in group]
                sent_seqs += [op.seq for op in group]
        if not changes:
            return None
        body = {"client_id": client_id, "batch_id": batch_id, "changes": changes}
        payload = {"body": body, "ops": op_map}
        session.add(PushBatch(batch_id=batch_id, created_at=format_time(utcnow()), payload=payload))
        session.flush()  # the ops refer to the batch
        for part in range(0, len(sent_seqs), 500):
            session.execute(
                update(OutboxOp)
                .where(OutboxOp.seq.in_(sent_seqs[part : part + 500]))
                .values(batch_id=batch_id)
            )
        return _Batch(batch_id, payload)


def _coalesce(
    session: Session,
    record_type: str,
    record_id: str,
    group: list[OutboxOp],
    local: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """One wire change for all pending ops of one record (None: they cancel out)."""
    first, last = group[0], group[-1]
    created = first.base_version is None
    if created and last.deleted:
        # Made and removed here before any push: nothing for the server to know.
        for op in group:
            session.delete(op)
        if local is not None:
            records.purge(session, record_type, [record_id])
        return None
    if local is None:  # the record vanished locally (purged by a resync); nothing to send
        for op in group:
            session.delete(op)
        return None
    op_id = first.op_id if len(group) == 1 else str(uuid.uuid4())
    change: dict[str, Any] = {
        "op_id": op_id,
        "type": record_type,
        "id": record_id,
        "base_version": first.base_version,
        "deleted": bool(last.deleted),
    }
    if last.deleted:
        change["data"] = {}
    elif created or any(op.deleted for op in group):
        change["data"] = dict(local["data"])  # a create, or a restore after a delete: all fields
    else:
        names = dict.fromkeys(name for op in group for name in op.fields)
        change["data"] = {name: local["data"][name] for name in names}
    return change


# --- applying results -----------------------------------------------------------------------


def _apply_results(store: Store, batch_id: str, response: PushResponse) -> PushSummary:
    summary = PushSummary()
    now = format_time(utcnow())
    with store.write() as session:
        batch = session.get(PushBatch, batch_id)
        if batch is None:  # applied by an earlier run that crashed after its commit
            return summary
        body = batch.payload["body"]
        op_map: dict[str, list[str]] = batch.payload["ops"]
        changes = body["changes"]
        results = response.results
        if len(results) != len(changes) or any(
            r.op_id != c["op_id"] for r, c in zip(results, changes, strict=False)
        ):
            raise BadAnswer(
                "The server's answer to a push does not match the changes sent. Nothing was "
                "applied; the same changes will be sent again next sync."
            )
        writer = _ResultWriter(session, changes, now)
        for change, result in zip(changes, results, strict=True):
            sent = [writer.ops_by_id[i] for i in op_map[change["op_id"]] if i in writer.ops_by_id]
            if result.status in ("applied", "merged"):
                writer.accepted(change, result, sent)
                summary.pushed += 1
                summary.merged += result.status == "merged"
            elif result.status == "conflict":
                if writer.conflicted(change, result, sent):
                    summary.conflicts += 1
                else:
                    summary.pushed += 1
            else:
                summary.rejections.append(writer.rejected(change, result, sent))
                summary.rejected += 1
        writer.finish()
        session.execute(update(OutboxOp).where(OutboxOp.batch_id == batch_id).values(batch_id=None))
        session.delete(batch)
    return summary


def _first_base_values(ops: list[OutboxOp]) -> dict[str, Any]:
    base: dict[str, Any] = {}
    for op in ops:
        for name, value in op.base_values.items():
            base.setdefault(name, value)
    return base


class _ResultWriter:
    """Applies one batch's results with a handful of bulk statements: the local rows and the
    outbox ops of every record in the batch are read once, and writes are gathered per type."""

    def __init__(self, session: Session, changes: list[dict[str, Any]], now: str) -> None:
        self.session = session
        self.now = now
        self.local: dict[tuple[str, str], dict[str, Any]] = {}
        self.ops: dict[tuple[str, str], list[OutboxOp]] = {}
        ids_by_type: dict[str, list[str]] = {}
        for change in changes:
            ids_by_type.setdefault(change["type"], []).append(change["id"])
        for record_type, ids in ids_by_type.items():
            for record_id, record in records.load(session, record_type, ids).items():
                self.local[(record_type, record_id)] = record
            for part in records.chunks(ids):
                for op in session.scalars(
                    select(OutboxOp)
                    .where(OutboxOp.record_type == record_type, OutboxOp.record_id.in_(part))
                    .order_by(OutboxOp.seq)
                ):
                    self.ops.setdefault((record_type, op.record_id), []).append(op)
        self.ops_by_id = {op.op_id: op for group in self.ops.values() for op in group}
        self.done_ops: list[str] = []
        self.upserts: dict[str, list[dict[str, Any]]] = {}
        self.tombstones: dict[str, list[dict[str, Any]]] = {}
        self.purges: dict[str, list[str]] = {}

    def later(self, change: dict[str, Any], sent: list[OutboxOp]) -> list[OutboxOp]:
        """Ops on the record made after the batch was formed (not part of this change)."""
        sent_ids = {op.op_id for op in sent}
        return [
            op
            for op in self.ops.get((change["type"], change["id"]), [])
            if op.op_id not in sent_ids
        ]

    def forget(self, ops: list[OutboxOp]) -> None:
        self.done_ops += [op.op_id for op in ops]

    def take_server_record(self, record: dict[str, Any], keep_local: set[str]) -> None:
        """Write the server's record locally, keeping the local value of ``keep_local`` fields."""
        record_type = record["type"]
        local = self.local.get((record_type, record["id"]))
        if record["deleted"] and not keep_local:
            if local is not None:
                self.tombstones.setdefault(record_type, []).append(record)
            return
        if keep_local and local is not None:
            record = {
                **record,
                "deleted": local["deleted"],
                "data": {**record["data"], **{k: local["data"][k] for k in keep_local}},
            }
        self.upserts.setdefault(record_type, []).append(record)

    def accepted(self, change: dict[str, Any], result: ChangeResult, sent: list[OutboxOp]) -> None:
        self.forget(sent)
        if result.record is None:
            return
        record = result.record.model_dump(mode="json")
        later = self.later(change, sent)
        for op in later:
            # Rebased: the lead made these after seeing the values just accepted.
            op.base_version = record["version"]
        keep = {name for op in later for name in op.fields}
        if any(op.deleted for op in later):
            keep = set(record["data"])
        self.take_server_record(record, keep)

    def conflicted(
        self, change: dict[str, Any], result: ChangeResult, sent: list[OutboxOp]
    ) -> bool:
        """Record a conflict for the lead; False when both sides already agree."""
        theirs = result.record.model_dump(mode="json") if result.record else None
        local = self.local.get((change["type"], change["id"]))
        mine = local["data"] if local else change["data"]
        base = _first_base_values(sent)
        their_data = (theirs or {}).get("data") or {}
        server_deleted = bool(theirs and theirs["deleted"])
        names = list(change["data"]) if not change["deleted"] else list(their_data)
        fields = {
            name: {"mine": mine.get(name), "theirs": their_data.get(name), "base": base.get(name)}
            for name in names
            if server_deleted or change["deleted"] or mine.get(name) != their_data.get(name)
        }
        later = self.later(change, sent)
        if theirs is not None and not fields and not server_deleted and not change["deleted"]:
            # Both sides made the same change: take the server's version, nothing left to send.
            self.forget(sent)
            for op in later:
                op.base_version = theirs["version"]
            self.take_server_record(theirs, {n for op in later for n in op.fields})
            return False
        for op in [*sent, *later]:
            op.state = "conflict"  # the record waits for the lead, whatever else was edited on it
        self.session.execute(
            delete(Conflict).where(
                Conflict.record_type == change["type"], Conflict.record_id == change["id"]
            )
        )
        self.session.add(
            Conflict(
                record_type=change["type"],
                record_id=change["id"],
                fields=fields,
                mine_deleted=bool(change["deleted"]),
                server_version=theirs["version"] if theirs else 0,
                server_deleted=server_deleted,
                server_record=theirs or {},
                created_at=self.now,
            )
        )
        return True

    def rejected(self, change: dict[str, Any], result: ChangeResult, sent: list[OutboxOp]) -> str:
        error = result.error
        code = error.code if error else "rejected"
        message = error.message if error else "The server refused this change."
        created = change["base_version"] is None
        self.session.add(
            FailedChange(
                op_id=change["op_id"],
                record_type=change["type"],
                record_id=change["id"],
                fields=change["data"],
                deleted=bool(change["deleted"]),
                created=created,
                error_code=code,
                message=message,
                details=dict(error.details) if error else {},
                created_at=self.now,
            )
        )
        base = _first_base_values(sent)
        self.forget(sent)
        later = self.later(change, sent)
        keep = {name for op in later for name in op.fields}
        local = self.local.get((change["type"], change["id"]))
        if result.record is not None:
            self.take_server_record(result.record.model_dump(mode="json"), keep)
        elif created:
            if not later:
                self.purges.setdefault(change["type"], []).append(change["id"])
        elif local is not None:
            reverted = {k: v for k, v in base.items() if k not in keep}
            self.upserts.setdefault(change["type"], []).append(
                {
                    **local,
                    "deleted": False if change["deleted"] else local["deleted"],
                    "data": {**local["data"], **reverted},
                }
            )
        what = change["type"].replace("_", " ")
        return f"A change to a {what} was refused: {message}"

    def finish(self) -> None:
        for part in range(0, len(self.done_ops), 500):
            self.session.execute(
                delete(OutboxOp).where(OutboxOp.op_id.in_(self.done_ops[part : part + 500]))
            )
        self.session.flush()
        for record_type, rows in self.upserts.items():
            records.upsert(self.session, record_type, rows)
        for record_type, rows in self.tombstones.items():
            records.mark_deleted(self.session, record_type, rows)
        for record_type, ids in self.purges.items():
            records.purge(self.session, record_type, ids)
