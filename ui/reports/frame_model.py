"""A read-only table model over a pandas DataFrame (a report's table).

The frame is small (a report's summary or a list of at most some thousand rows); cells are
formatted once, on demand, from the frame's values. The id column of a ``Table`` is kept out of
view but answers ``record_id(row)``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.reports.model import Table

Index = QModelIndex | QPersistentModelIndex


def format_value(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
    return str(value)


class FrameModel(QAbstractTableModel):
    """Rows of a report table; numbers right-aligned."""

    def __init__(self, table: Table | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._table: Table | None = None
        self._frame = pd.DataFrame()
        self._ids: list[str] = []
        if table is not None:
            self.set_table(table)

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self._table = table
        self._frame = table.shown.reset_index(drop=True)
        ids = table.frame[table.id_column] if table.id_column in table.frame.columns else None
        self._ids = [str(i) for i in ids] if ids is not None else []
        self.endResetModel()

    @property
    def table(self) -> Table | None:
        return self._table

    def record_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: str) -> int | None:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._frame)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._frame.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._frame)):
            return None
        value = self._frame.iat[index.row(), index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return format_value(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = pd.api.types.is_number(value) and not isinstance(value, bool)
            horizontal = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._frame.columns):
                return str(self._frame.columns[section])
            return None
        return str(section + 1)
