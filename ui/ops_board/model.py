"""One section of the ops board as a list model, with live SLA countdowns for requests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Final

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.queries.ops import OpsItem
from desktop.rules.requests import sla_clock

Index = QModelIndex | QPersistentModelIndex
DETAIL_ROLE: Final = Qt.ItemDataRole.UserRole + 1
SEVERITY_ROLE: Final = Qt.ItemDataRole.UserRole + 2
COUNTDOWN_ROLE: Final = Qt.ItemDataRole.UserRole + 3
COUNTDOWN_COLOR_ROLE: Final = Qt.ItemDataRole.UserRole + 4
BREACHED_ROLE: Final = Qt.ItemDataRole.UserRole + 5
ITEM_ROLE: Final = Qt.ItemDataRole.UserRole + 6

SEVERITY_COLORS: Final = {"error": "#c9302c", "warning": "#d98b00", "info": "#2f6fed"}
BREACHED_COLOR: Final = QColor("#c9302c")
RUNNING_COLOR: Final = QColor("#2b7a3d")
SOON_COLOR: Final = QColor("#b36b00")


def countdown_text(remaining: timedelta) -> str:
    """``2h 05m 09s left`` while it runs; ``Overdue 4m 10s`` (``Overdue 2h 01m`` past an hour)
    once the SLA is breached."""
    seconds = int(abs(remaining).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if remaining <= timedelta(0):
        return f"Overdue {hours}h {minutes:02d}m" if hours else f"Overdue {minutes}m {secs:02d}s"
    span = f"{hours}h {minutes:02d}m {secs:02d}s" if hours else f"{minutes}m {secs:02d}s"
    return f"{span} left"


class OpsItemsModel(QAbstractListModel):
    """The items of one section (a bounded list: the row cache is the list itself)."""

    def __init__(self, parent: Any = None, *, clock_offset_seconds: float = 0.0) -> None:
        super().__init__(parent)
        self._items: list[OpsItem] = []
        self._countdowns: list[tuple[str, bool] | None] = []
        self.clock_offset_seconds = clock_offset_seconds

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._items)

    def item(self, row: int) -> OpsItem:
        return self._items[row]

    def items(self) -> list[OpsItem]:
        return list(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        countdown = self._countdowns[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.title
        if role == Qt.ItemDataRole.ToolTipRole:
            text = f"{item.title}\n{item.detail}"
            if countdown is not None:
                text += "\nSLA breached: " if countdown[1] else "\nSLA: "
                text += countdown[0]
            return text + "\nDouble-click or press Enter to open it."
        if role == Qt.ItemDataRole.AccessibleTextRole:
            extra = f", {countdown[0]}" if countdown is not None else ""
            return f"{item.title}, {item.detail}{extra}"
        if role == DETAIL_ROLE:
            return item.detail
        if role == SEVERITY_ROLE:
            if countdown is not None and countdown[1]:
                return "error"
            return item.severity
        if role == COUNTDOWN_ROLE:
            return None if countdown is None else countdown[0]
        if role == BREACHED_ROLE:
            return None if countdown is None else countdown[1]
        if role == COUNTDOWN_COLOR_ROLE:
            if countdown is None:
                return None
            if countdown[1]:
                return BREACHED_COLOR
            return (
                SOON_COLOR if "m " in countdown[0] and "h " not in countdown[0] else RUNNING_COLOR
            )
        if role == ITEM_ROLE:
            return item
        return None

    def set_items(self, items: Sequence[OpsItem], now: datetime) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._countdowns = [self._countdown(item, now) for item in self._items]
        self.endResetModel()

    def _countdown(self, item: OpsItem, now: datetime) -> tuple[str, bool] | None:
        if not item.sla_due_at:
            return None
        clock = sla_clock(
            item.sla_due_at, local_now=now, clock_offset_seconds=self.clock_offset_seconds
        )
        return countdown_text(clock.remaining), clock.breached

    def tick(self, now: datetime) -> None:
        """Recompute the countdowns (once a second); only those rows repaint."""
        rows = [r for r, item in enumerate(self._items) if item.sla_due_at]
        if not rows:
            return
        for row in rows:
            self._countdowns[row] = self._countdown(self._items[row], now)
        self.dataChanged.emit(
            self.index(rows[0]),
            self.index(rows[-1]),
            [COUNTDOWN_ROLE, COUNTDOWN_COLOR_ROLE, BREACHED_ROLE, SEVERITY_ROLE],
        )
