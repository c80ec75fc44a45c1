"""What a write asks for (RecordEdit) and what it did (ChangeSet): plain values for any thread."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from desktop.domain.records import GLOBAL_TYPES
from desktop.rules.findings import Finding

ChangeKind = Literal["created", "updated", "deleted", "restored"]


@dataclass(frozen=True)
class Actor:
    """Who is editing: the signed-in user's id, protocol role and markets."""

    user_id: str
    role: str
    markets: tuple[str, ...] = ()

    def may_write(self, record_type: str, market: str | None) -> bool:
        if self.role == "conductor":
            return True
        if record_type in GLOBAL_TYPES or record_type == "comment":
            return record_type == "comment"
        if self.role == "section_lead":
            return market is not None and market in self.markets
        return False


@dataclass(frozen=True)
class RecordEdit:
    """One record to create, change, delete or restore.

    ``fields`` are the new values; ``update`` instead computes them from the record's current data
    inside the write transaction (so a bulk tag never races a sync). ``expect`` skips any field
    whose current value is no longer the expected one (undo after sync changed it).
    """

    type: str
    id: str
    fields: Mapping[str, Any] = field(default_factory=dict)
    update: Callable[[dict[str, Any]], Mapping[str, Any]] | None = None
    expect: Mapping[str, Any] | None = None
    create: bool = False
    delete: bool = False
    restore: bool = False


@dataclass(frozen=True)
class RecordChange:
    """One record as changed: ``before``/``after`` hold the changed fields only (all fields for a
    create's ``after`` and a delete's ``before``)."""

    type: str
    id: str
    kind: ChangeKind
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass(frozen=True)
class RecordFinding:
    type: str
    id: str
    finding: Finding


@dataclass(frozen=True)
class ChangeSet:
    """What one edit did: the unit of undo and of the app's "what changed" signal."""

    label: str
    changes: tuple[RecordChange, ...] = ()
    warnings: tuple[RecordFinding, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def types(self) -> frozenset[str]:
        return frozenset(c.type for c in self.changes)

    def ids(self, record_type: str) -> list[str]:
        return [c.id for c in self.changes if c.type == record_type]

    def __bool__(self) -> bool:
        return bool(self.changes)


class EditRefused(Exception):  # noqa: N818 - a refusal the user reads, not a program error
    """The rules refused an edit; nothing was written. ``findings`` say why, per record."""

    def __init__(self, message: str, findings: tuple[RecordFinding, ...] = ()) -> None:
        super().__init__(message)
        self.findings = findings

    @classmethod
    def from_findings(cls, label: str, findings: list[RecordFinding]) -> EditRefused:
        first = findings[0].finding.message
        more = len(findings) - 1
        tail = f" ({more} more problem{'s' if more > 1 else ''})" if more else ""
        return cls(f"{label} was not saved: {first}{tail}", tuple(findings))
