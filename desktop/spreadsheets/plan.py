"""An import plan: the validation report of every row, the edits it would make, and committing
them as one undoable edit (all rows or none).

Threading contract: planning and committing run on a worker (committing on the database-writer
thread); a plan is a plain object that the GUI thread may read once it is handed over.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from desktop.progress import Progress
from desktop.services.changes import ChangeSet, EditRefused, RecordEdit
from desktop.services.workspace import Workspace
from desktop.spreadsheets.sources import Source

Severity = Literal["error", "warning", "info"]
Action = Literal["create", "update", "unchanged", "refused"]

ACTION_WORDS: Final[dict[str, str]] = {
    "create": "new",
    "update": "update",
    "unchanged": "unchanged",
    "refused": "refused",
}


class ImportRefused(Exception):  # noqa: N818 - a refusal the user reads, not a program error
    """The import cannot go ahead (refused rows, a mapping that misses a column); the message
    says why. Nothing was written."""


@dataclass(frozen=True)
class ImportOptions:
    """How to read the file: the target of each column (None: not imported), whether slash dates
    are day first, and the zone of times written without one (None: the row's market's zone)."""

    mapping: tuple[str | None, ...]
    day_first: bool = True
    zone: str | None = None


@dataclass(frozen=True)
class Problem:
    severity: Severity
    column: str | None  # the file's heading (or the field) it concerns
    message: str
    target: str | None = None  # the import target it came from (dropped when that is unchanged)

    def text(self) -> str:
        return f"{self.column}: {self.message}" if self.column else self.message


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(slots=True)
class RowResult:
    """One row of the file: what importing it does, and what is wrong with it."""

    row: int
    action: Action
    label: str
    record_id: str | None = None
    problems: tuple[Problem, ...] = ()
    changes: tuple[FieldChange, ...] = ()  # updates: the fields that change
    edit: int = -1  # index in ImportPlan.edits (creates: the new record's fields are there)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]


@dataclass
class ImportPlan:
    """The validation report of a whole file and the edits it makes (see ``commit``)."""

    kind: str
    source: Source
    options: ImportOptions
    rows: list[RowResult] = field(default_factory=list)
    edits: list[RecordEdit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    what: str = "entries"  # "entries" or "assets", for messages

    @property
    def counts(self) -> Counter[str]:
        return Counter(r.action for r in self.rows)

    @property
    def refused(self) -> int:
        return self.counts["refused"]

    @property
    def warnings(self) -> int:
        return sum(1 for r in self.rows if r.warnings)

    @property
    def can_import(self) -> bool:
        return not self.refused and bool(self.edits)

    @property
    def label(self) -> str:
        count = len(self.edits)
        noun = self.what if count != 1 else self.what.removesuffix("s").replace("entrie", "entry")
        return f"Import {count} {noun} from {self.source.name}"

    def summary(self) -> str:
        """``120 rows: 100 new, 10 to update, 8 unchanged, 2 refused.``"""
        counts = self.counts
        total = len(self.rows)
        parts = [
            f"{counts[a]} {w}" if a != "update" else f"{counts[a]} to update"
            for a, w in ACTION_WORDS.items()
            if counts[a]
        ]
        rows = "row" if total == 1 else "rows"
        text = f"{total:,} {rows}: " + (", ".join(parts) if parts else "nothing") + "."
        if self.warnings:
            text += f" {self.warnings:,} with warnings."
        return text

    def verdict(self) -> str:
        """What happens next, in one sentence."""
        if self.refused:
            return (
                f"Nothing can be imported: {self.refused:,} row"
                f"{'s are' if self.refused != 1 else ' is'} refused. Fix them in the file and "
                "import it again (all rows or none)."
            )
        if not self.edits:
            return "Nothing to import: every row matches what is already here."
        return f"Ready: {self.label.lower().removeprefix('import ')} in one step (undoable)."

    def absorb(self, refusal: EditRefused) -> None:
        """Mark the rows that a refused commit names (the store changed since the plan)."""
        by_id: dict[str, list[Problem]] = {}
        for finding in refusal.findings:
            by_id.setdefault(finding.id, []).append(
                Problem("error", finding.finding.field, finding.finding.message)
            )
        for row in self.rows:
            if row.record_id in by_id:
                row.problems = row.problems + tuple(by_id[row.record_id])
                row.action = "refused"
        if not any(r.record_id in by_id for r in self.rows):
            self.notes.append(str(refusal))


def commit(ws: Workspace, plan: ImportPlan, progress: Progress | None = None) -> ChangeSet:
    """Write every edit of ``plan`` as ONE transaction: one undo step, queued for sync.

    Raises ImportRefused when the plan has refused rows or nothing to do, and EditRefused when
    the rules refuse it now (the store changed since the plan was made); the plan's rows then
    carry the reasons; and Cancelled when ``progress`` is cancelled before the last rows are
    written. Nothing is written in any of these cases. Runs on the database-writer thread.
    """
    if plan.refused:
        raise ImportRefused(plan.verdict())
    if not plan.edits:
        raise ImportRefused("Nothing to import: every row matches what is already here.")
    try:
        return ws.apply(plan.edits, label=plan.label, progress=progress)
    except EditRefused as exc:
        plan.absorb(exc)
        raise


def check_targets(mapping: Sequence[str | None], header: Sequence[str]) -> list[str]:
    """Problems with a mapping itself: a target filled by two columns."""
    seen: dict[str, str] = {}
    problems = []
    for heading, target in zip(header, mapping, strict=False):
        if target is None:
            continue
        if target in seen:
            problems.append(
                f'Both "{seen[target]}" and "{heading}" are set to fill the same field; choose one.'
            )
        seen.setdefault(target, heading)
    return problems
