"""Undo and redo of ChangeSets: each step is one ChangeSet, however many records it touched."""

from __future__ import annotations

from desktop.services.changes import ChangeSet, RecordEdit


class UndoStack:
    """Undo and redo stacks of ChangeSets. A new edit clears the redo stack."""

    def __init__(self, *, limit: int = 100) -> None:
        self._undo: list[ChangeSet] = []
        self._redo: list[ChangeSet] = []
        self._limit = limit

    def push(self, changeset: ChangeSet) -> None:
        self._undo.append(changeset)
        del self._undo[: -self._limit]
        self._redo.clear()

    def peek_undo(self) -> ChangeSet | None:
        return self._undo[-1] if self._undo else None

    def peek_redo(self) -> ChangeSet | None:
        return self._redo[-1] if self._redo else None

    def did_undo(self) -> None:
        self._redo.append(self._undo.pop())

    def did_redo(self) -> None:
        self._undo.append(self._redo.pop())

    @property
    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()


def inverse_edits(changeset: ChangeSet) -> list[RecordEdit]:
    """Edits that take every record of ``changeset`` back to how it was before it."""
    edits = []
    for change in reversed(changeset.changes):
        if change.kind in ("created", "restored"):
            edits.append(RecordEdit(change.type, change.id, delete=True))
        elif change.kind == "deleted":
            edits.append(RecordEdit(change.type, change.id, fields=change.before, restore=True))
        else:
            edits.append(
                RecordEdit(change.type, change.id, fields=change.before, expect=change.after)
            )
    return edits


def redo_edits(changeset: ChangeSet) -> list[RecordEdit]:
    """Edits that do ``changeset`` again after it was undone."""
    edits = []
    for change in changeset.changes:
        if change.kind in ("created", "restored"):
            edits.append(RecordEdit(change.type, change.id, fields=change.after, restore=True))
        elif change.kind == "deleted":
            edits.append(RecordEdit(change.type, change.id, delete=True))
        else:
            edits.append(
                RecordEdit(change.type, change.id, fields=change.after, expect=change.before)
            )
    return edits
