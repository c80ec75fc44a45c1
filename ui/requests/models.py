"""The requests table: ids from one query plus a row cache, and a live SLA column."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Final

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.queries.requests import GROUPS, STATUS_LABELS, RequestRow
from ui.requests.sla import SlaState, sla_state

REQUEST_ID_ROLE: Final = Qt.ItemDataRole.UserRole + 1
ROW_ROLE: Final = Qt.ItemDataRole.UserRole + 2
SLA_TONE_ROLE: Final = Qt.ItemDataRole.UserRole + 3

COLUMNS: Final = (
    ("status", "Status"),
    ("post", "Post to boost"),
    ("market", "Market"),
    ("budget", "Budget"),
    ("sla", "SLA"),
    ("decision", "Decision"),
)
SLA_COLUMN: Final = 4
PAGE: Final = 100
BREACHED: Final = QColor("#b3261e")
SOON: Final = QColor("#8a5a00")
QUEUED: Final = QColor("#5b6472")
STATUS_COLOURS: Final = {
    "draft": QColor("#5b6472"),
    "submitted": QColor("#2563c9"),
    "escalated": QColor("#7c4dbd"),
    "approved": QColor("#1f8a4c"),
    "declined": QColor("#b3261e"),
    "withdrawn": QColor("#8b929c"),
}

Index = QModelIndex | QPersistentModelIndex


def money(amount: str | None, currency: str | None) -> str:
    if not amount:
        return "—"
    try:
        whole, _dot, cents = amount.partition(".")
        text = f"{int(whole):,}" + (f".{cents.ljust(2, '0')}" if cents else ".00")
    except ValueError:
        text = amount
    return f"{text} {currency or ''}".strip()


class RequestsModel(QAbstractTableModel):
    """The lead's requests in the order of ``request_ids``; the SLA column follows ``now``."""

    def __init__(
        self,
        fetch: Callable[[Sequence[str]], dict[str, RequestRow]],
        *,
        now: datetime,
        clock_offset_seconds: float = 0.0,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._ids: list[str] = []
        self._cache: dict[str, RequestRow] = {}
        self._now = now
        self.clock_offset_seconds = clock_offset_seconds

    @property
    def ids(self) -> list[str]:
        return self._ids

    def set_ids(self, ids: Sequence[str]) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._cache.clear()
        self.endResetModel()

    def row_of(self, request_id: str) -> int:
        try:
            return self._ids.index(request_id)
        except ValueError:
            return -1

    def request(self, row: int) -> RequestRow | None:
        if not 0 <= row < len(self._ids):
            return None
        request_id = self._ids[row]
        if request_id not in self._cache:
            start = max(0, row - PAGE // 4)
            page = [i for i in self._ids[start : start + PAGE] if i not in self._cache]
            self._cache.update(self._fetch(page))
        return self._cache.get(request_id)

    def sla(self, row: RequestRow) -> SlaState:
        return sla_state(row, now=self._now, clock_offset_seconds=self.clock_offset_seconds)

    def tick(self, now: datetime) -> None:
        """Advance the SLA column to ``now`` (only waiting requests change)."""
        self._now = now
        for row, request_id in enumerate(self._ids):
            cached = self._cache.get(request_id)
            if cached is not None and cached.status in GROUPS["waiting"]:
                index = self.index(row, SLA_COLUMN)
                self.dataChanged.emit(index, index)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def _text(self, row: RequestRow, key: str) -> str:
        if key == "status":
            label = STATUS_LABELS.get(row.status, row.status)
            if row.priority == "emergency":
                label += " · emergency"
            if row.queued and row.status != "draft":
                label += " (queued)"
            elif row.queued:
                label += " (not synced)"
            return label
        if key == "post":
            return row.entry_title or "(a post not in this workspace)"
        if key == "market":
            return row.market.upper()
        if key == "budget":
            return money(row.amount, row.currency)
        if key == "sla":
            return self.sla(row).text
        if row.status in ("approved", "declined"):
            verdict = "Approved" if row.status == "approved" else "Declined"
            return f"{verdict}: “{row.decision_note}”" if row.decision_note else verdict
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == REQUEST_ID_ROLE:
            return self._ids[index.row()]
        row = self.request(index.row())
        if row is None:
            return "(removed)" if role == Qt.ItemDataRole.DisplayRole else None
        key = COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, key)
        if role == ROW_ROLE:
            return row
        if role == SLA_TONE_ROLE and key == "sla":
            return self.sla(row).tone
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "sla":
                tone = self.sla(row).tone
                colour = {"breached": BREACHED, "soon": SOON, "queued": QUEUED}.get(tone)
                return QBrush(colour) if colour is not None else None
            if key == "status":
                return QBrush(STATUS_COLOURS.get(row.status, QUEUED))
            return None
        if role == Qt.ItemDataRole.FontRole:
            if (key == "sla" and self.sla(row).tone == "breached") or key == "status":
                font = QFont()
                font.setBold(True)
                return font
            return None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
