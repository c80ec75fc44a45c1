"""``POST /v1/changes``: deciding each change ``applied``, ``merged``, ``conflict`` or ``rejected``.

One push is one transaction. It first takes the seq counter's lock, so pushes are serialised:
what a push reads cannot change before it commits, and the seqs it hands out (one per write,
``UPDATE seq_counter SET v = v + n RETURNING v``) follow commit order. Changes are decided in
order on working copies of their records; the writes are then saved in bulk with the answer,
which is kept per ``client_id`` + ``batch_id`` (and per ``op_id`` for applied and merged changes)
so a replay gets the same answer and writes nothing again.

Threading contract: ``push`` runs on a request worker thread and opens its own transaction.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Connection, and_, insert, select

from desktop.domain.records import (
    DATA_MODELS,
    GLOBAL_TYPES,
    RECORD_TYPES,
    RecordError,
    validate_data,
)
from desktop.domain.values import format_time
from desktop.rules.entries import check_entry_times
from desktop.rules.requests import check_delete
from sync.schemas import Change, PushRequest
from sync.server import access
from sync.server.auth import User, all_users, bump_scope_epochs
from sync.server.db import Database
from sync.server.errors import ApiError
from sync.server.models import blobs, push_batches, push_ops, records
from sync.server.rejections import Rejected, forbidden, from_finding, invalid
from sync.server.request_flow import RequestFlow
from sync.server.rows import Row, dump_json, load_rows, save_rows, select_rows

_RECORD_ID: Final = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
KEPT_OP_STATUSES: Final = frozenset({"applied", "merged"})


@dataclass
class Outcome:
    status: str
    record: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


@dataclass
class PushContext:
    """The state of one push: the records it read and wrote, and its writes in order."""

    connection: Connection
    user: User
    now: datetime
    rows: dict[str, Row | None] = field(default_factory=dict)
    writes: list[Row] = field(default_factory=list)
    # (envelope, index of the write whose seq it shows): filled in once seqs are handed out
    to_patch: list[tuple[dict[str, Any], int]] = field(default_factory=list)
    old_scopes: dict[str, str | None] = field(default_factory=dict)

    @property
    def now_text(self) -> str:
        return format_time(self.now)

    def row(self, record_id: str) -> Row | None:
        if record_id not in self.rows:
            self.preload([record_id])
        return self.rows[record_id]

    def preload(self, ids: list[str]) -> None:
        missing = [i for i in ids if i not in self.rows]
        found = load_rows(self.connection, missing)
        for record_id in missing:
            row = self.rows[record_id] = found.get(record_id)
            if row is not None:
                self.old_scopes[record_id] = row.scope_market

    def market(self, code: str) -> Row | None:
        """The live market record with this code, as this push sees it."""
        ids = self.connection.execute(
            select(records.c.id).where(and_(records.c.type == "market", records.c.code == code))
        ).scalars()
        candidates = [self.row(i) for i in ids]
        candidates += [r for r in self.rows.values() if r is not None and r.type == "market"]
        for row in candidates:
            if row is not None and not row.deleted and row.code == code:
                return row
        return None

    def blob_exists(self, sha256: str) -> bool:
        return (
            self.connection.execute(select(blobs.c.sha256).where(blobs.c.sha256 == sha256)).first()
            is not None
        )

    def write(self, row: Row) -> None:
        """Record a write of ``row``: its seq comes when the push's seqs are handed out."""
        row.pending = len(self.writes)
        row.updated_at = self.now_text
        row.updated_by = self.user.id
        self.writes.append(row)
        self.rows[row.id] = row

    def snapshot(self, row: Row) -> dict[str, Any]:
        envelope = row.envelope()
        envelope["data"] = dict(row.data)
        if row.pending is not None:
            self.to_patch.append((envelope, row.pending))
        return envelope

    def readable_snapshot(self, row: Row | None) -> dict[str, Any] | None:
        if row is None or not access.can_read(self.user, row.scope_market):
            return None
        return self.snapshot(row)


def request_hash(request: PushRequest) -> str:
    canonical = json.dumps(request.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def push(db: Database, user: User, request: PushRequest, *, now: datetime) -> str:
    """Decide and apply one push; returns the answer's JSON text."""
    digest = request_hash(request)
    with db.write() as connection:
        db.lock_seq(connection)
        stored = connection.execute(
            select(push_batches).where(
                and_(
                    push_batches.c.client_id == request.client_id,
                    push_batches.c.batch_id == request.batch_id,
                )
            )
        ).first()
        if stored is not None:
            if stored.user_id != user.id or stored.request_hash != digest:
                raise ApiError(
                    409,
                    "batch_conflict",
                    "This batch id was already used for other changes; send new changes "
                    "under a new batch id.",
                )
            return str(stored.results)
        ctx = PushContext(connection=connection, user=user, now=now)
        ctx.preload([c.id for c in request.changes if _RECORD_ID.fullmatch(c.id)])
        kept, taken = _kept_ops(connection, request, user)
        results: list[dict[str, Any]] = []
        new_kept: dict[str, dict[str, Any]] = {}
        for change in request.changes:
            previous = kept.get(change.op_id) or new_kept.get(change.op_id)
            if previous is not None:
                results.append(previous)
                continue
            outcome = _decide(ctx, change)
            result = {
                "op_id": change.op_id,
                "status": outcome.status,
                "record": outcome.record,
                "error": outcome.error,
            }
            results.append(result)
            if outcome.status in KEPT_OP_STATUSES:
                new_kept[change.op_id] = result
        _follow_scope_changes(ctx)
        _assign_seqs(db, ctx)
        save_rows(connection, list({row.id: row for row in ctx.writes}.values()))
        answer = dump_json({"results": results})
        if set(new_kept) - taken:
            connection.execute(
                insert(push_ops),
                [
                    {
                        "client_id": request.client_id,
                        "op_id": op_id,
                        "user_id": user.id,
                        "result": dump_json(result),
                        "created_at": ctx.now_text,
                    }
                    for op_id, result in new_kept.items()
                    if op_id not in taken
                ],
            )
        connection.execute(
            insert(push_batches).values(
                client_id=request.client_id,
                batch_id=request.batch_id,
                user_id=user.id,
                request_hash=digest,
                results=answer,
                created_at=ctx.now_text,
            )
        )
        return answer


def _kept_ops(
    connection: Connection, request: PushRequest, user: User
) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """The kept results of this push's op ids (the caller's only) and every op id already kept."""
    op_ids = list({c.op_id for c in request.changes})
    kept: dict[str, dict[str, Any]] = {}
    taken: set[str] = set()
    for start in range(0, len(op_ids), 500):
        rows = connection.execute(
            select(push_ops.c.op_id, push_ops.c.user_id, push_ops.c.result).where(
                push_ops.c.op_id.in_(op_ids[start : start + 500])
            )
        )
        for row in rows:
            taken.add(row.op_id)
            if row.user_id == user.id:
                kept[row.op_id] = json.loads(row.result)
    return kept, taken


def _assign_seqs(db: Database, ctx: PushContext) -> None:
    seqs = db.take_seqs(ctx.connection, len(ctx.writes))
    for row, seq in zip(ctx.writes, seqs, strict=True):
        row.seq = seq
    for envelope, index in ctx.to_patch:
        envelope["seq"] = seqs[index]
    for row in ctx.writes:
        row.pending = None


# --- one change ---------------------------------------------------------------------------


def _decide(ctx: PushContext, change: Change) -> Outcome:
    row: Row | None = None
    try:
        if change.type not in RECORD_TYPES:
            raise invalid(
                f"{change.type!r} is not a record type; use one of {', '.join(RECORD_TYPES)}.",
                {"field": "type"},
            )
        if not _RECORD_ID.fullmatch(change.id):
            raise invalid(
                "The record id must be a UUID in lower case (such as those uuid4 makes).",
                {"field": "id"},
            )
        row = ctx.row(change.id)
        if row is not None and row.type != change.type:
            if not access.can_read(ctx.user, row.scope_market):
                raise forbidden("This record is outside your markets.")
            raise invalid(f"This id belongs to a record of type {row.type}, not {change.type}.")
        if change.deleted:
            return _delete(ctx, change, row)
        if change.base_version is None:
            if row is not None:
                return Outcome("conflict", record=ctx.readable_snapshot(row))
            return _create(ctx, change)
        if row is None:
            raise invalid(
                "There is no record with this id on the server; create it with base_version null."
            )
        if not access.can_read(ctx.user, row.scope_market):
            raise forbidden("This record is outside your markets.")
        if row.deleted:
            return _write_to_tombstone(ctx, change, row)
        return _update(ctx, change, row)
    except Rejected as rejection:
        return Outcome(
            "rejected",
            record=ctx.readable_snapshot(row),
            error=rejection.as_error(),
        )


def _validated(change: Change, *, create: bool) -> dict[str, Any]:
    try:
        return validate_data(change.type, change.data, create=create)
    except RecordError as exc:
        raise invalid(str(exc), {"fields": exc.problems}) from None


def _create(ctx: PushContext, change: Change) -> Outcome:
    data = _validated(change, create=True)
    row = Row(
        id=change.id,
        type=change.type,
        version=1,
        seq=0,
        updated_at=ctx.now_text,
        updated_by=ctx.user.id,
        deleted=False,
        scope_market=None,
        created_by=ctx.user.id,
        data=data,
        field_versions={},
    )
    written, row.scope_market = _check_write(ctx, row, old=None, sent=set(change.data), data=data)
    row.data = written
    row.field_versions = dict.fromkeys(written, 1)
    ctx.write(row)
    return Outcome("applied", record=ctx.snapshot(row))


def _update(ctx: PushContext, change: Change, row: Row) -> Outcome:
    sent = _validated(change, create=False)
    base = change.base_version
    assert base is not None
    if base > row.version or any(row.field_versions.get(f, 1) > base for f in sent):
        _check_may_touch(ctx, row)
        return Outcome("conflict", record=ctx.snapshot(row))
    status = "applied" if base == row.version else "merged"
    if not sent:
        return Outcome(status, record=ctx.snapshot(row))
    merged = {**row.data, **sent}
    written, row.scope_market = _check_write(ctx, row, old=row.data, sent=set(sent), data=merged)
    version = row.version + 1
    changed = {f for f in written if f in sent or written[f] != row.data.get(f)}
    row.data = written
    row.version = version
    for name in changed:
        row.field_versions[name] = version
    ctx.write(row)
    return Outcome(status, record=ctx.snapshot(row))


def _write_to_tombstone(ctx: PushContext, change: Change, row: Row) -> Outcome:
    """Resurrection (docs/ARCHITECTURE.md): all fields against the tombstone's own version
    undo a synced delete; any other write to a deleted record is a conflict."""
    every_field = set(DATA_MODELS[row.type].model_fields)
    if change.base_version != row.version or set(change.data) != every_field:
        return Outcome("conflict", record=ctx.snapshot(row))
    data = _validated(change, create=True)
    written, row.scope_market = _check_write(
        ctx, row, old=None, sent=set(change.data), data=data, revive=True
    )
    row.deleted = False
    row.data = written
    row.version += 1
    row.field_versions = dict.fromkeys(written, row.version)
    ctx.write(row)
    return Outcome("applied", record=ctx.snapshot(row))


def _delete(ctx: PushContext, change: Change, row: Row | None) -> Outcome:
    if row is None:
        raise invalid("There is no record with this id on the server to delete.")
    if not access.can_read(ctx.user, row.scope_market):
        raise forbidden("This record is outside your markets.")
    if row.type == "amplification_request":
        raise from_finding(check_delete())
    _check_may_touch(ctx, row)
    if row.deleted:
        return Outcome("applied", record=ctx.snapshot(row))
    if change.base_version is None:
        raise invalid("A delete needs the base_version it was made on.")
    if change.base_version != row.version:
        return Outcome("conflict", record=ctx.snapshot(row))
    row.deleted = True
    row.version += 1
    ctx.write(row)
    return Outcome("applied", record=ctx.snapshot(row))


# --- rights of the caller and rules of each type --------------------------------------------


def _check_may_touch(ctx: PushContext, row: Row) -> None:
    """May the caller write (or delete) this existing record at all?"""
    user = ctx.user
    if row.type == "comment":
        if row.created_by != user.id and user.role != "conductor":
            raise forbidden("Only its author or a conductor may change a comment.")
        return
    if row.type == "amplification_request" and user.role in ("paid_operator", "compliance"):
        return  # they decide requests; RequestFlow says which changes that allows
    if not access.can_write(user, row.type, row.scope_market):
        raise forbidden(_not_yours(row.type, row.scope_market))


def _not_yours(record_type: str, scope: str | None) -> str:
    if record_type in GLOBAL_TYPES:
        return f"Only a conductor may change {record_type.replace('_', ' ')} records."
    if scope is None:
        return "This is a global record: only a conductor may change it; adapt it in your market."
    return f"This record belongs to the market {scope}, which is not one of yours."


def _check_write(
    ctx: PushContext,
    row: Row,
    *,
    old: dict[str, Any] | None,
    sent: set[str],
    data: dict[str, Any],
    revive: bool = False,
) -> tuple[dict[str, Any], str | None]:
    """Check a create (``old`` None) or an update of ``row`` to ``data``, changing nothing;
    returns the data to store (rules may set server fields) and its scope. Raises Rejected."""
    user = ctx.user
    if old is not None or revive:
        _check_may_touch(ctx, row)
    if row.type == "comment":
        data, scope = _check_comment(ctx, row, old=old, data=data)
    else:
        scope = access.scope_of(row.type, data)
        decides = row.type == "amplification_request" and user.role in (
            "paid_operator",
            "compliance",
        )
        if not decides and not access.can_write(user, row.type, scope):
            raise forbidden(_not_yours(row.type, scope))
    if row.type == "market":
        _check_market(ctx, row, data)
    elif row.type == "asset" and ("sha256" in sent or old is None):
        sha = data.get("sha256")
        if isinstance(sha, str) and not ctx.blob_exists(sha):
            raise Rejected(
                "blob_missing",
                "The server does not hold this asset's file yet; upload it, then sync again.",
                {"sha256": sha},
            )
    elif row.type == "calendar_entry":
        _check_entry(data)
    elif row.type == "amplification_request":
        data = RequestFlow(ctx, row).check(old=old, sent=sent, data=data)
    return data, scope


def _check_entry(data: dict[str, Any]) -> None:
    finding = check_entry_times(data)
    if finding is not None:
        raise from_finding(finding)


def _check_market(ctx: PushContext, row: Row, data: dict[str, Any]) -> None:
    code = data.get("code")
    if isinstance(code, str):
        other = ctx.market(code)
        if other is not None and other.id != row.id:
            raise invalid(f"There is already a market with the code {code!r}.", {"field": "code"})


def _check_comment(
    ctx: PushContext, row: Row, *, old: dict[str, Any] | None, data: dict[str, Any]
) -> tuple[dict[str, Any], str | None]:
    if old is not None:
        for name in ("target_type", "target_id"):
            if data.get(name) != old.get(name):
                raise invalid("A comment stays on the record it was written on.", {"field": name})
        return data, row.scope_market
    target_id = str(data.get("target_id", "")).lower()
    target = ctx.row(target_id)
    if (
        target is None
        or target.deleted
        or target.type != data.get("target_type")
        or not access.can_read(ctx.user, target.scope_market)
    ):
        raise invalid(
            "The record this comment is about does not exist or you cannot read it.",
            {"field": "target_id"},
        )
    return {**data, "target_id": target_id}, target.scope_market


def _follow_scope_changes(ctx: PushContext) -> None:
    """A record that moved to another market takes its comments along, and the leads who can
    no longer read it are sent to resync (their copies would otherwise never hear of it)."""
    moved = [
        row
        for row in {r.id: r for r in ctx.writes}.values()
        if row.id in ctx.old_scopes and ctx.old_scopes[row.id] != row.scope_market and row.in_db
    ]
    if not moved:
        return
    leads = [u for u in all_users(ctx.connection) if not u.reads_all]
    losing: set[str] = set()
    queue = list(moved)
    seen: set[str] = set()
    while queue:
        row = queue.pop()
        if row.id in seen:
            continue
        seen.add(row.id)
        old_scope = ctx.old_scopes.get(row.id)
        for lead in leads:
            if access.can_read(lead, old_scope) and not access.can_read(lead, row.scope_market):
                losing.add(lead.id)
        for comment in select_rows(
            ctx.connection, select(records).where(records.c.target_id == row.id)
        ):
            current = ctx.rows.get(comment.id) or comment
            if current.scope_market != row.scope_market:
                ctx.old_scopes.setdefault(current.id, current.scope_market)
                current.scope_market = row.scope_market
                _rescope(ctx, current)
                queue.append(current)
    bump_scope_epochs(ctx.connection, sorted(losing))


def _rescope(ctx: PushContext, row: Row) -> None:
    """A new seq for a comment whose target moved; its version and author stay as they were."""
    updated_at, updated_by = row.updated_at, row.updated_by
    ctx.write(row)
    row.updated_at, row.updated_by = updated_at, updated_by
