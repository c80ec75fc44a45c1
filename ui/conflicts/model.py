"""The list of conflicts and failed changes (a small list: the row cache is the list itself)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.queries.conflicts import TYPE_WORDS, ConflictRow

Index = QModelIndex | QPersistentModelIndex
SUMMARY_ROLE: Final = Qt.ItemDataRole.UserRole + 1
KIND_ROLE: Final = Qt.ItemDataRole.UserRole + 2
ROW_ROLE: Final = Qt.ItemDataRole.UserRole + 3


class ConflictListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ConflictRow] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title
        if role == SUMMARY_ROLE:
            what = TYPE_WORDS.get(row.record_type, row.record_type)
            kind = "Conflict" if row.kind == "conflict" else "Refused by the server"
            return f"{kind} · {what}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.summary
        if role == KIND_ROLE:
            return row.kind
        if role == ROW_ROLE:
            return row
        return None

    def set_rows(self, rows: Sequence[ConflictRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, n: int) -> ConflictRow:
        return self._rows[n]

    def rows(self) -> list[ConflictRow]:
        return list(self._rows)

    def find(self, key: tuple[str, int]) -> int:
        for n, row in enumerate(self._rows):
            if row.key == key:
                return n
        return -1
