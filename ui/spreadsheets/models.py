"""Qt models of the spreadsheet dialogs: the column mapping, the validation report's rows and the
export's columns. Each is a QAbstractItemModel over plain values (no item widgets)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from desktop.spreadsheets.columns import Column
from desktop.spreadsheets.plan import ImportPlan, RowResult
from desktop.spreadsheets.sources import Source

Index = QModelIndex | QPersistentModelIndex
NOT_IMPORTED: Final = "(not imported)"
ROOT = QModelIndex()


class MappingModel(QAbstractTableModel):
    """One row per column of the file: its heading, examples, and what it fills (editable)."""

    mapping_changed = Signal()
    HEADERS: Final = ("Column in the file", "Examples", "Imports as")

    def __init__(
        self,
        source: Source,
        mapping: Sequence[str | None],
        targets: Sequence[tuple[str, str]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.targets = list(targets)
        self.labels = dict(targets)
        self._mapping: list[str | None] = list(mapping)
        self._examples = [
            ", ".join(dict.fromkeys(s[i].replace("\n", " ")[:40] for s in source.samples if s[i]))[
                :120
            ]
            for i in range(len(source.header))
        ]

    @property
    def mapping(self) -> tuple[str | None, ...]:
        return tuple(self._mapping)

    def set_mapping(self, mapping: Sequence[str | None]) -> None:
        self.beginResetModel()
        self._mapping = list(mapping)
        self.endResetModel()
        self.mapping_changed.emit()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.source.header)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else 3

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 2:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._mapping):
            return None
        row, column = index.row(), index.column()
        target = self._mapping[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return self.source.header[row]
            if column == 1:
                return self._examples[row]
            return self.labels.get(target, NOT_IMPORTED) if target else NOT_IMPORTED
        if role == Qt.ItemDataRole.EditRole and column == 2:
            return target or ""
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and not target:
            return QColor("#777")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != 2:
            return False
        target = str(value) if value else None
        if target is not None and target not in self.labels:
            return False
        self._mapping[index.row()] = target
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
        self.mapping_changed.emit()
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < 3 else None
        return str(section + 1)


RESULT_WORDS: Final = {
    "create": "New",
    "update": "Update",
    "unchanged": "Unchanged",
    "refused": "Refused",
}
FILTERS: Final = ("All rows", "Problems", "Changes", "Refused")


class RowsModel(QAbstractTableModel):
    """The validation report: one line per row of the file, filterable."""

    HEADERS: Final = ("Row", "Result", "Entry", "Problems and changes")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan: ImportPlan | None = None
        self._shown: list[int] = []
        self._filter = FILTERS[0]

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        self.plan = plan
        self._shown = self._select()
        self.endResetModel()

    def set_filter(self, name: str) -> None:
        self.beginResetModel()
        self._filter = name
        self._shown = self._select()
        self.endResetModel()

    def _select(self) -> list[int]:
        if self.plan is None:
            return []
        rows = self.plan.rows
        if self._filter == "Problems":
            return [i for i, r in enumerate(rows) if r.problems]
        if self._filter == "Changes":
            return [i for i, r in enumerate(rows) if r.action in ("create", "update")]
        if self._filter == "Refused":
            return [i for i, r in enumerate(rows) if r.action == "refused"]
        return list(range(len(rows)))

    def result(self, row: int) -> RowResult | None:
        if self.plan is None or not 0 <= row < len(self._shown):
            return None
        return self.plan.rows[self._shown[row]]

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    @staticmethod
    def summary(result: RowResult) -> str:
        parts = [p.text() for p in result.problems if p.severity == "error"]
        parts += [f"{c.field.replace('_', ' ')} changes" for c in result.changes[:4]] + [
            p.text() for p in result.problems if p.severity != "error"
        ]
        return "; ".join(parts)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        result = self.result(index.row()) if index.isValid() else None
        if result is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return str(result.row)
            if column == 1:
                return RESULT_WORDS[result.action]
            if column == 2:
                return result.label
            return self.summary(result)
        if role == Qt.ItemDataRole.BackgroundRole:
            if result.action == "refused":
                return QColor("#fde2e1")
            if result.warnings:
                return QColor("#fff4d6")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.HEADERS):
                return None
            if section == 2 and self.plan is not None and self.plan.kind == "assets":
                return "Asset"
            return self.HEADERS[section]
        return None


class ColumnsModel(QAbstractListModel):
    """The columns an export can have, each checkable; checked ones are exported, in order."""

    def __init__(
        self, columns: Sequence[Column], chosen: Sequence[str], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        by_key = {c.key: c for c in columns}
        ordered = [by_key[k] for k in chosen if k in by_key]
        ordered += [c for c in columns if c.key not in chosen]
        self._columns = ordered
        self._checked = {k for k in chosen if k in by_key}

    @property
    def chosen(self) -> list[str]:
        return [c.key for c in self._columns if c.key in self._checked]

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsSelectable
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._columns):
            return None
        column = self._columns[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.key
        if role == Qt.ItemDataRole.CheckStateRole:
            checked = column.key in self._checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        key = self._columns[index.row()].key
        state = value.value if hasattr(value, "value") else value
        if state == Qt.CheckState.Checked.value:
            self._checked.add(key)
        else:
            self._checked.discard(key)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True
