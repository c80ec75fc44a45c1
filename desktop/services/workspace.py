"""The one write path of the app, and undo/redo over it.

``Workspace.apply`` takes RecordEdits, and in ONE transaction: reads the current records, validates
the new data (record type, permissions, the shared rules), writes the rows and appends one outbox
op per record. An edit the rules refuse raises EditRefused before anything is written, so the
outbox never holds a change the store does not. Undo and redo are compensating edits through the
same path, so they are validated, queued for sync and never rewrite history the server has seen.

Threading contract: call from one thread at a time (the app's database-writer thread).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert
from sqlalchemy.orm import Session

from desktop.domain.records import RecordError, empty_data, validate_data
from desktop.domain.values import format_time, utcnow
from desktop.progress import Progress
from desktop.rules.findings import Finding
from desktop.services.changes import (
    Actor,
    ChangeSet,
    EditRefused,
    RecordChange,
    RecordEdit,
    RecordFinding,
)
from desktop.services.checks import Lookups, check_permission, check_rules, check_server_set
from desktop.services.undo import UndoStack, inverse_edits, redo_edits
from desktop.store import fts, records
from desktop.store.db import Store
from desktop.store.models import OutboxOp


@dataclass
class _Plan:
    moment: datetime
    planned: list[tuple[RecordChange, dict[str, Any], int]]
    refusals: list[RecordFinding]
    warnings: list[RecordFinding]
    notes: list[str]


@dataclass(frozen=True)
class Verdict:
    """What ``Workspace.check`` found: the changes ``apply`` would make, and why it would not."""

    changes: tuple[RecordChange, ...]
    refusals: tuple[RecordFinding, ...]
    warnings: tuple[RecordFinding, ...]
    notes: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.refusals


# Above this many records in one write (an import), the search index is rebuilt once at the end
# of the transaction instead of row by row: the same mechanism a first sync uses.
BULK_INDEX_THRESHOLD = 10_000
WRITE_SLICE = 5_000  # changes written per executemany round
PROGRESS_EVERY = 1_000  # edits checked between progress reports (and chances to cancel)
OUTBOX: Table = OutboxOp.__table__  # type: ignore[assignment]


class Workspace:
    """The signed-in lead's view of the local store, for writing."""

    def __init__(
        self,
        store: Store,
        *,
        actor: Actor,
        clock: Callable[[], datetime] = utcnow,
        drift_days: float = 2.0,
        undo_limit: int = 100,
    ) -> None:
        self.store = store
        self.actor = actor
        self.clock = clock
        self.drift_days = drift_days
        self.undo_stack = UndoStack(limit=undo_limit)

    # --- writing ---------------------------------------------------------------------------

    def apply(
        self,
        edits: Sequence[RecordEdit],
        *,
        label: str,
        record_undo: bool = True,
        also: Callable[[Session], None] | None = None,
        progress: Progress | None = None,
    ) -> ChangeSet:
        """Validate and write ``edits`` as one transaction; returns what changed.

        ``also`` runs inside the same transaction after the writes (e.g. clearing a failed change
        that this edit resubmits), so both happen or neither.
        """
        with self.store.write() as session:
            changeset = self._write(session, edits, label, progress)
            if also is not None:
                also(session)
        if record_undo and changeset:
            self.undo_stack.push(changeset)
        return changeset

    def undo(self) -> ChangeSet | None:
        """Undo the newest edit as one step; None when there is nothing to undo."""
        changeset = self.undo_stack.peek_undo()
        if changeset is None:
            return None
        result = self.apply(
            inverse_edits(changeset), label=f"Undo {changeset.label}", record_undo=False
        )
        self.undo_stack.did_undo()
        return result

    def redo(self) -> ChangeSet | None:
        changeset = self.undo_stack.peek_redo()
        if changeset is None:
            return None
        result = self.apply(
            redo_edits(changeset), label=f"Redo {changeset.label}", record_undo=False
        )
        self.undo_stack.did_redo()
        return result

    # --- the transaction -----------------------------------------------------------------

    def check(self, edits: Sequence[RecordEdit], *, label: str = "This edit") -> Verdict:
        """What ``apply`` would say of ``edits``, without writing: a preview (an import's report).
        The same planning code runs, so the preview and the write never disagree by design."""
        with self.store.read() as session:
            plan = self._plan_all(session, edits, label)
        return Verdict(
            changes=tuple(change for change, _, _ in plan.planned),
            refusals=tuple(plan.refusals),
            warnings=tuple(plan.warnings),
            notes=tuple(plan.notes),
        )

    def _write(
        self,
        session: Session,
        edits: Sequence[RecordEdit],
        label: str,
        progress: Progress | None = None,
    ) -> ChangeSet:
        plan = self._plan_all(session, edits, label, progress)
        if plan.refusals:
            raise EditRefused.from_findings(label, plan.refusals)
        self._store_changes(
            session, plan.planned, label=label, now=format_time(plan.moment), progress=progress
        )
        return ChangeSet(
            label=label,
            changes=tuple(change for change, _, _ in plan.planned),
            warnings=tuple(plan.warnings),
            notes=tuple(plan.notes),
        )

    def _plan_all(
        self,
        session: Session,
        edits: Sequence[RecordEdit],
        label: str,
        progress: Progress | None = None,
    ) -> _Plan:
        moment = self.clock()
        current: dict[str, dict[str, dict[str, Any]]] = {}
        by_type: defaultdict[str, list[RecordEdit]] = defaultdict(list)
        for edit in edits:
            by_type[edit.type].append(edit)
        for record_type, group in by_type.items():
            try:
                current[record_type] = records.load(session, record_type, [e.id for e in group])
            except KeyError:
                raise EditRefused(
                    f"{label} was not saved: {record_type!r} is not a record type"
                ) from None

        lookups = Lookups(session)
        planned: list[tuple[RecordChange, dict[str, Any], int]] = []
        refusals: list[RecordFinding] = []
        warnings: list[RecordFinding] = []
        notes: list[str] = []
        for done, edit in enumerate(edits):
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress.check()  # a safe point: nothing is written yet
                progress.report("Checking", done, len(edits))
            existing = current[edit.type].get(edit.id)
            try:
                plan = self._plan(edit, existing, notes)
            except RecordError as exc:
                refusals += [
                    RecordFinding(
                        edit.type,
                        edit.id,
                        Finding("invalid", "error", f, f"{f.replace('_', ' ')} {m}"),
                    )
                    for f, m in exc.problems.items()
                ]
                continue
            if plan is None:
                continue
            change, after_full = plan
            before_full = None if existing is None else existing["data"]
            findings = check_permission(self.actor, edit.type, before_full, after_full)
            findings += check_server_set(self.actor, edit.type, change.after)
            if not findings and change.kind != "deleted":
                findings = check_rules(
                    edit.type,
                    before=None if change.kind == "created" else before_full,
                    after=after_full,
                    actor=self.actor,
                    lookups=lookups,
                    drift_days=self.drift_days,
                    now=moment,
                )
            for finding in findings:
                target = refusals if finding.severity == "error" else warnings
                target.append(RecordFinding(edit.type, edit.id, finding))
            version = 0 if existing is None else existing["version"]
            planned.append((change, after_full, version))
        return _Plan(moment, planned, refusals, warnings, notes)

    def _plan(
        self, edit: RecordEdit, existing: dict[str, Any] | None, notes: list[str]
    ) -> tuple[RecordChange, dict[str, Any]] | None:
        what = edit.type.replace("_", " ")
        if edit.create:
            if existing is not None:
                raise RecordError(edit.type, {"id": "already exists"})
            data = validate_data(edit.type, dict(edit.fields), create=True)
            return RecordChange(edit.type, edit.id, "created", {}, data), data
        if existing is None:
            raise RecordError(edit.type, {"id": f"no such {what} here (was it removed by sync?)"})
        data = existing["data"]
        if edit.delete:
            if existing["deleted"]:
                return None
            return RecordChange(edit.type, edit.id, "deleted", dict(data), {}), data
        if edit.restore:
            if not existing["deleted"]:
                return None
            restored = {
                **empty_data(edit.type),
                **validate_data(edit.type, dict(edit.fields), create=False),
            }
            return RecordChange(edit.type, edit.id, "restored", {}, restored), restored
        if existing["deleted"]:
            raise RecordError(edit.type, {"id": f"this {what} was deleted"})
        wanted = dict(edit.update(dict(data)) if edit.update else edit.fields)
        if edit.expect is not None:
            drifted = [k for k in wanted if k in edit.expect and data.get(k) != edit.expect[k]]
            for name in drifted:
                del wanted[name]
            if drifted:
                notes.append(
                    f"{len(drifted)} field(s) of a {what} changed since and were left as they are"
                )
        fields = validate_data(edit.type, wanted, create=False)
        changed = {k: v for k, v in fields.items() if data.get(k) != v}
        if not changed:
            return None
        before = {k: data.get(k) for k in changed}
        return RecordChange(edit.type, edit.id, "updated", before, changed), {**data, **changed}

    def _store_changes(
        self,
        session: Session,
        planned: list[tuple[RecordChange, dict[str, Any], int]],
        *,
        label: str,
        now: str,
        progress: Progress | None = None,
    ) -> None:
        bulk = len(planned) >= BULK_INDEX_THRESHOLD
        if bulk:
            fts.defer(session)
        # In slices, so a 200,000-row import never holds every row's statement parameters at once.
        for start in range(0, len(planned), WRITE_SLICE):
            if progress is not None:
                progress.check()  # the transaction is still open: a cancel writes nothing
                progress.report("Writing", start, len(planned))
            self._store_slice(session, planned[start : start + WRITE_SLICE], label=label, now=now)
        if bulk:
            if progress is not None:
                progress.report("Updating the search index", len(planned), len(planned))
            fts.rebuild(session)

    def _store_slice(
        self,
        session: Session,
        planned: list[tuple[RecordChange, dict[str, Any], int]],
        *,
        label: str,
        now: str,
    ) -> None:
        stamp = {"updated_at": now, "updated_by": self.actor.user_id}
        creates: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        updates: defaultdict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
        ops: list[dict[str, Any]] = []
        for change, after_full, version in planned:
            base_version = version or None
            if change.kind == "created":
                creates[change.type].append(
                    {
                        "type": change.type,
                        "id": change.id,
                        "version": 0,
                        "seq": None,
                        "deleted": False,
                        "data": after_full,
                        **stamp,
                    }
                )
                fields, base_values = after_full, {}
            elif change.kind == "deleted":
                values: dict[str, Any] = {"deleted": True}
                fields, base_values = {}, change.before
            elif change.kind == "restored":
                values = {"deleted": False, **after_full}
                fields, base_values = after_full, {}
            else:
                values = dict(change.after)
                fields, base_values = change.after, change.before
            if change.kind != "created":
                values.update(stamp)
                updates[(change.type, tuple(sorted(values)))].append(
                    {"b_id": change.id, **{f"v_{k}": v for k, v in values.items()}}
                )
            ops.append(
                {
                    "op_id": str(uuid.uuid4()),
                    "record_type": change.type,
                    "record_id": change.id,
                    "base_version": None if change.kind == "created" else base_version,
                    "fields": fields,
                    "base_values": base_values,
                    "deleted": change.kind == "deleted",
                    "created_at": now,
                    "label": label,
                    "state": "pending",
                }
            )
        for record_type, rows in creates.items():
            records.upsert(session, record_type, rows)
        for (record_type, columns), rows in updates.items():
            t = records.table(record_type)
            statement = (
                t.update()
                .where(t.c.id == bindparam("b_id"))
                .values({c: bindparam(f"v_{c}") for c in columns})
            )
            session.execute(statement, rows)
        if ops:
            session.execute(insert(OUTBOX), ops)  # Core: one executemany, no ORM bookkeeping
