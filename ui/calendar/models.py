"""The calendar's Qt models: the week/month grid (one cell per lane or week and day) and the list
(ids of the visible range plus a row cache filled a page at a time)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont

from desktop.domain.values import parse_time
from desktop.queries.calendar import KIND_LABELS, STATUS_LABELS, EntryRow
from ui.calendar.layout import GLOBAL, Cell, GridLayout
from ui.calendar.style import KIND_COLOURS, MUTED_INK, TODAY, channel_name, entry_title, market_tag

CELL_ROLE: Final = Qt.ItemDataRole.UserRole + 1
DAY_ROLE: Final = Qt.ItemDataRole.UserRole + 2
ENTRY_ID_ROLE: Final = Qt.ItemDataRole.UserRole + 3
TRACKS_ROLE: Final = Qt.ItemDataRole.UserRole + 4
ROW_ROLE: Final = Qt.ItemDataRole.UserRole + 5

_DAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)

Index = QModelIndex | QPersistentModelIndex


def day_label(day: date, *, weekday: bool = True) -> str:
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{_DAYS[day.weekday()]} {text}" if weekday else text


def lane_label(lane: str) -> str:
    return "Global" if lane == GLOBAL else lane.upper()


class CalendarGridModel(QAbstractTableModel):
    """Week view: a row per lane (Global, then each market), a column per day. Month view: a row
    per week. Each cell's CELL_ROLE is a ``layout.Cell``; the view draws the chips and spans."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._layout: GridLayout | None = None
        self._today: date | None = None
        self._month: int | None = None

    @property
    def layout_data(self) -> GridLayout | None:
        return self._layout

    @property
    def today(self) -> date | None:
        return self._today

    def set_layout(self, layout: GridLayout, *, today: date, month: int | None = None) -> None:
        """Show ``layout``; cells keep their selection when the grid's shape is unchanged."""
        old = self._layout
        same_shape = (
            old is not None
            and old.mode == layout.mode
            and old.rows == layout.rows
            and old.days == layout.days
            and old.lanes == layout.lanes
        )
        if same_shape:
            self._layout, self._today, self._month = layout, today, month
            if layout.rows:
                self.dataChanged.emit(self.index(0, 0), self.index(layout.rows - 1, 6))
            return
        self.beginResetModel()
        self._layout, self._today, self._month = layout, today, month
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._layout is None:
            return 0
        return self._layout.rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._layout is None:
            return 0
        return 7

    def cell(self, index: Index) -> Cell | None:
        if self._layout is None or not index.isValid():
            return None
        return self._layout.cell(index.row(), index.column())

    def in_month(self, day: date) -> bool:
        return self._month is None or day.month == self._month

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._summary(cell)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(cell)
        if role == CELL_ROLE:
            return cell
        if role == DAY_ROLE:
            return cell.day
        if role == TRACKS_ROLE:
            assert self._layout is not None
            return self._layout.tracks[index.row()]
        return None

    def _summary(self, cell: Cell) -> str:
        where = "" if cell.lane is None else f"{lane_label(cell.lane)}, "
        count = cell.total
        noun = "entry" if count == 1 else "entries"
        text = f"{where}{day_label(cell.day)}: {count} {noun}"
        if cell.chips:
            text += ": " + "; ".join(
                f"{c.local_start:%H:%M} {entry_title(c.row)}" for c in cell.chips[:5]
            )
        return text

    def _tooltip(self, cell: Cell) -> str:
        if not cell.chips:
            return f"{day_label(cell.day)}: nothing planned"
        lines = [
            f"{c.local_start:%H:%M}  {market_tag(c.row.market)}  {entry_title(c.row)}"
            for c in cell.chips[:8]
        ]
        if cell.total > 8:
            lines.append(f"… and {cell.total - 8} more")
        return "\n".join(lines)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        layout = self._layout
        if layout is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < 7:
                return None
            if layout.mode == "week":
                day = layout.days[section]
                if role == Qt.ItemDataRole.DisplayRole:
                    return ("Today · " if day == self._today else "") + day_label(day)
                if role == Qt.ItemDataRole.ForegroundRole and day == self._today:
                    return QBrush(TODAY)
                if role == Qt.ItemDataRole.FontRole and day == self._today:
                    font = QFont()
                    font.setBold(True)
                    return font
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return _DAYS[section]
            return None
        if not 0 <= section < layout.rows:
            return None
        if layout.mode == "week":
            lane = layout.lanes[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return lane_label(lane)
            if role == Qt.ItemDataRole.ToolTipRole:
                return (
                    "The central team's global plan"
                    if lane == GLOBAL
                    else f"Your {lane.upper()} entries and adaptations"
                )
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            first = layout.days[section * 7]
            return f"W{first.isocalendar().week}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


# --- the list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListRow:
    """An entry as the list shows it: the row plus what links it to the global plan."""

    entry: EntryRow
    link: str  # "adapts <global title>", "2 local versions: DE, FR" or ""


LIST_COLUMNS: Final = (
    ("starts_at", "When"),
    ("title", "Title"),
    ("market", "Market"),
    ("kind", "Kind"),
    ("channel", "Channel"),
    ("status", "Status"),
    ("campaign", "Campaign"),
    ("link", "Global plan"),
)
SORTABLE: Final = frozenset({"starts_at", "title", "market", "kind", "channel", "status"})
PAGE: Final = 100


class EntryListModel(QAbstractTableModel):
    """The entries of the visible range as a table: ids from one range query, rows fetched a
    page at a time when the view asks for them (Anki's browser table). Sorting re-queries."""

    sort_requested = Signal(str, bool)  # column key, descending

    def __init__(
        self,
        fetch: Callable[[Sequence[str]], dict[str, ListRow]],
        *,
        zone: tzinfo,
        campaigns: dict[str, str],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._zone = zone
        self._campaigns = campaigns
        self._ids: list[str] = []
        self._cache: dict[str, ListRow] = {}
        self.sort_key = "starts_at"
        self.descending = False

    @property
    def ids(self) -> list[str]:
        return self._ids

    def set_campaigns(self, campaigns: dict[str, str]) -> None:
        self._campaigns = campaigns

    def set_zone(self, zone: tzinfo) -> None:
        self._zone = zone

    def set_ids(self, ids: Sequence[str]) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._cache.clear()
        self.endResetModel()

    def row_of(self, entry_id: str) -> int:
        try:
            return self._ids.index(entry_id)
        except ValueError:
            return -1

    def entry(self, row: int) -> ListRow | None:
        if not 0 <= row < len(self._ids):
            return None
        entry_id = self._ids[row]
        found = self._cache.get(entry_id)
        if found is None:
            start = max(0, row - PAGE // 4)
            page = [i for i in self._ids[start : start + PAGE] if i not in self._cache]
            self._cache.update(self._fetch(page))
            found = self._cache.get(entry_id)
        return found

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(LIST_COLUMNS)

    def _text(self, item: ListRow, key: str) -> str:
        row = item.entry
        if key == "starts_at":
            start = parse_time(row.starts_at).astimezone(self._zone)
            text = f"{day_label(start.date())} {start:%H:%M}"
            if row.ends_at and row.ends_at > row.starts_at:
                end = parse_time(row.ends_at).astimezone(self._zone)
                text += (
                    f" – {end:%H:%M}"
                    if end.date() == start.date()
                    else f" – {day_label(end.date())}"
                )
            return text
        if key == "title":
            return ("↳ " if row.parent_id else "") + entry_title(row)
        if key == "market":
            return market_tag(row.market)
        if key == "kind":
            return KIND_LABELS.get(row.kind, row.kind)
        if key == "channel":
            return channel_name(row.channel) if row.channel else "—"
        if key == "status":
            return STATUS_LABELS.get(row.status or "draft", row.status or "draft")
        if key == "campaign":
            return self._campaigns.get(row.campaign_id or "", "—")
        return item.link

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == ENTRY_ID_ROLE:
            return self._ids[index.row()]
        item = self.entry(index.row())
        if item is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return "(removed)"
            return None
        key = LIST_COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(item, key)
        if role == ROW_ROLE:
            return item.entry
        if role == Qt.ItemDataRole.DecorationRole and key == "kind":
            return KIND_COLOURS.get(item.entry.kind)
        if role == Qt.ItemDataRole.ForegroundRole and item.entry.status == "cancelled":
            return QBrush(MUTED_INK)
        if role == Qt.ItemDataRole.FontRole and item.entry.status == "cancelled":
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(LIST_COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return LIST_COLUMNS[section][1]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(LIST_COLUMNS):
            return
        key = LIST_COLUMNS[column][0]
        if key not in SORTABLE:
            return
        self.sort_key = key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.sort_requested.emit(key, self.descending)
