"""Qt models of the asset bank: the assets (ids + row cache, filled by keyset pages), facet values,
the palette and an asset's lineage.

``AssetTableModel`` is the grid's and the list's model: the grid (a QListView in icon mode) shows
column 0 with the thumbnail, the list (a QTableView) every column. It holds only ids and the rows of
the pages fetched so far; ``fetchMore`` asks ``desktop.queries.assets`` for the next page after the
last id (keyset), so scrolling through 100,000 assets never loads them all.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor

from desktop.queries import assets as queries
from desktop.queries.assets import AssetRow, FacetValue, Sort
from desktop.rules.rights import rights_expiring
from desktop.store.db import Store
from ui.assets.thumbs import ThumbnailCache, placeholder_icon

BLOCK = 50  # rows read together when a view first shows one of them
MAX_BLOCKS = 100  # row data kept for at most 5,000 assets
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
PALETTE_MIME = "application/x-sectiondesk-palette"
Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[tuple[str, str], ...] = (
    ("title", "Asset"),
    ("name", "Name"),
    ("kind", "Kind"),
    ("market", "Market"),
    ("language", "Language"),
    ("status", "Status"),
    ("rights", "Rights"),
    ("embargo", "Embargo"),
    ("tags", "Tags"),
    ("notes", "Notes"),
)


def rights_text(rights: dict[str, Any], today: date) -> str:
    usage = rights.get("usage") or []
    if not usage:
        return "No rights recorded"
    what = " + ".join(u.capitalize() for u in usage)
    where = ", ".join(
        t.upper() if t != "*" else "worldwide" for t in rights.get("territories") or []
    )
    expiry = rights_expiring(rights, now=datetime.combine(today, datetime.min.time(), UTC))
    if expiry is not None and expiry.code == "rights_expired":
        return f"Expired {rights.get('expires_on')}"
    until = f", until {rights['expires_on']}" if rights.get("expires_on") else ""
    return f"{what} ({where or 'no territory'}{until})"


def embargo_text(embargo: dict[str, Any]) -> str:
    until = embargo.get("until")
    if not until:
        return ""
    markets = ", ".join(
        "all markets" if m == "*" else m.upper() for m in embargo.get("markets", [])
    )
    return f"Until {until.replace('T', ' ').replace('Z', ' UTC')} ({markets or 'no market'})"


class AssetTableModel(QAbstractTableModel):
    """Assets matching a search, page by page. Touches the store only on the GUI thread, for one
    keyset page (a few ms on 100,000 assets); thumbnails load in the background."""

    page_loaded = Signal(int)  # rows now loaded

    def __init__(
        self,
        store: Store,
        thumbs: ThumbnailCache,
        *,
        today: date | None = None,
        page_size: int = queries.PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.thumbs = thumbs
        self.today = today or datetime.now(UTC).date()
        self.page_size = page_size
        self.text = ""
        self.facets: dict[str, list[str]] = {}
        self.sort_order: Sort = "name"
        self._ids: list[str] = []
        self._rows: dict[str, AssetRow] = {}
        self._stale: set[str] = set()
        self._by_sha: dict[str, list[int]] = {}
        self._blocks: OrderedDict[int, list[str]] = OrderedDict()
        self._missing: set[str] = set()
        self._done = False
        self._fetching = False  # views and testers may ask for more while rows go in
        thumbs.loaded.connect(self._thumb_loaded)

    # --- querying ---------------------------------------------------------------------------

    def set_query(self, text: str, facets: dict[str, list[str]], sort: Sort = "name") -> None:
        self.text, self.facets, self.sort_order = (
            text,
            {k: list(v) for k, v in facets.items()},
            sort,
        )
        self._reload(self.page_size)

    def refresh(self) -> None:
        """Run the same search again (after an edit or a sync), keeping as many rows loaded."""
        self._reload(max(self.page_size, len(self._ids)))

    def _reload(self, wanted: int) -> None:
        self.beginResetModel()
        self._ids, self._rows, self._stale, self._by_sha = [], {}, set(), {}
        self._blocks.clear()
        self._missing = set()
        self._done = False
        self._fetch(wanted, notify=False)
        self.endResetModel()
        self.page_loaded.emit(len(self._ids))

    def _fetch(self, wanted: int, *, notify: bool) -> None:
        self._fetching = True
        try:
            self._fetch_page(wanted, notify=notify)
        finally:
            self._fetching = False

    def _fetch_page(self, wanted: int, *, notify: bool) -> None:
        with self.store.read() as session:
            ids: list[str] = []
            after = self._ids[-1] if self._ids else None
            while len(ids) < wanted:
                page = queries.search_asset_ids(
                    session,
                    text=self.text,
                    facets=self.facets,
                    sort=self.sort_order,
                    limit=self.page_size,
                    after=after,
                    today=self.today,
                )
                ids += page
                if len(page) < self.page_size:
                    self._done = True
                    break
                after = page[-1]
        if not ids:
            return
        first = len(self._ids)
        if notify:
            self.beginInsertRows(QModelIndex(), first, first + len(ids) - 1)
        self._ids += ids
        if notify:
            self.endInsertRows()

    def _row_at(self, n: int) -> AssetRow | None:
        """Row ``n``'s data, reading its block of ``BLOCK`` rows on first use: a search only
        reads ids; the rows are read for what a view actually shows."""
        asset_id = self._ids[n]
        row = self._rows.get(asset_id)
        block = n // BLOCK
        if row is None and asset_id not in self._missing:
            self._load_block(block)
            row = self._rows.get(asset_id)
        elif block in self._blocks:
            self._blocks.move_to_end(block)
        return row

    def _load_block(self, block: int) -> None:
        start = block * BLOCK
        ids = self._ids[start : start + BLOCK]
        with self.store.read() as session:
            rows = queries.asset_rows(session, ids)
            stale = queries.stale_asset_ids(session, ids)
        self._rows.update(rows)
        self._stale |= stale
        self._missing.update(i for i in ids if i not in rows)  # deleted since the search
        for n, asset_id in enumerate(ids, start=start):
            if asset_id in rows:
                self._by_sha.setdefault(rows[asset_id].sha256, []).append(n)
        self._blocks[block] = ids
        while len(self._blocks) > MAX_BLOCKS:  # bounded memory however far the lead scrolls
            _, gone = self._blocks.popitem(last=False)
            for asset_id in gone:
                self._rows.pop(asset_id, None)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._done and not self._fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._done or self._fetching:
            return
        self._fetch(self.page_size, notify=True)
        self.page_loaded.emit(len(self._ids))

    # --- access -----------------------------------------------------------------------------

    def ids(self) -> list[str]:
        return list(self._ids)

    def asset(self, asset_id: str) -> AssetRow | None:
        row = self._rows.get(asset_id)
        if row is None:
            n = self.row_of(asset_id)
            row = self._row_at(n) if n >= 0 else None
        return row

    def row_of(self, asset_id: str) -> int:
        try:
            return self._ids.index(asset_id)
        except ValueError:
            return -1

    def is_stale(self, asset_id: str) -> bool:
        return self.asset(asset_id) is not None and asset_id in self._stale

    def thumbnail_path(self, row: AssetRow) -> Path | None:
        if not row.thumbnail_path:
            return None
        return self.store.data_dir / row.thumbnail_path

    # --- Qt model -----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section][1]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDropEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        row = self._row_at(index.row())
        if row is None:
            return "(removed)" if role == Qt.ItemDataRole.DisplayRole else None
        column = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            icon = self.thumbs.icon(row.sha256, self.thumbnail_path(row))
            return icon if icon is not None else placeholder_icon(row.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.ForegroundRole and column == "notes" and row.id in self._stale:
            return QColor("#a35200")
        if role == ID_ROLE:
            return row.id
        if role == ROW_ROLE:
            return row
        return None

    def _notes(self, row: AssetRow) -> str:
        notes = []
        if row.is_master:
            notes.append("Master")
        if row.id in self._stale:
            notes.append("Master changed")
        if row.embargo.get("until"):
            notes.append("Embargoed")
        if row.pending:
            notes.append("Not synced yet")
        if row.blob_state in ("full", "pinned"):
            notes.append("Offline" if row.blob_state == "pinned" else "File here")
        return " · ".join(notes)

    def _display(self, row: AssetRow, column: str) -> str:
        if column == "title":
            return row.title or row.name
        if column == "market":
            return row.market.upper() if row.market else "Global"
        if column == "status":
            return (row.status or "draft").capitalize()
        if column == "rights":
            return rights_text(row.rights, self.today)
        if column == "embargo":
            return embargo_text(row.embargo)
        if column == "tags":
            return ", ".join(row.tags)
        if column == "notes":
            return self._notes(row)
        value = getattr(row, column)
        return "" if value is None else str(value)

    def _tooltip(self, row: AssetRow) -> str:
        lines = [row.name, f"{(row.status or 'draft').capitalize()} · {row.kind}"]
        lines.append(rights_text(row.rights, self.today))
        if row.embargo.get("until"):
            lines.append(embargo_text(row.embargo))
        notes = self._notes(row)
        if notes:
            lines.append(notes)
        return "\n".join(lines)

    @Slot(str)
    def _thumb_loaded(self, sha: str) -> None:
        for n in self._by_sha.get(sha, ()):
            if n < len(self._ids):
                index = self.index(n, 0)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


class FacetModel(QAbstractListModel):
    """The values of one facet with their counts; checking a value selects it."""

    selection_changed = Signal()

    def __init__(self, facet: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.facet = facet
        self._values: list[FacetValue] = []
        self.selected: set[str] = set()

    def set_values(self, values: list[FacetValue]) -> None:
        self.beginResetModel()
        self._values = list(values)
        self.endResetModel()

    def values(self) -> list[FacetValue]:
        return list(self._values)

    def clear_selection(self) -> None:
        if self.selected:
            self.selected.clear()
            if self._values:
                self.dataChanged.emit(
                    self.index(0),
                    self.index(len(self._values) - 1),
                    [Qt.ItemDataRole.CheckStateRole],
                )
            self.selection_changed.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._values)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._values):
            return None
        value = self._values[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value.label}  ({value.count:,})"
        if role == Qt.ItemDataRole.CheckStateRole:
            checked = value.value in self.selected
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == ID_ROLE:
            return value.value
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        key = self._values[index.row()].value
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        if checked:
            self.selected.add(key)
        else:
            self.selected.discard(key)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.selection_changed.emit()
        return True


@dataclass(frozen=True)
class PaletteItem:
    """Something to drag onto assets: a tag, a rights preset or an embargo preset."""

    kind: str  # tag | rights | embargo
    key: str
    label: str
    payload: dict[str, Any] = field(default_factory=dict)
    hint: str = ""

    def to_json(self) -> bytes:
        body = {"kind": self.kind, "key": self.key, "label": self.label, "payload": self.payload}
        return json.dumps(body).encode()

    @staticmethod
    def from_json(data: bytes) -> PaletteItem | None:
        try:
            body = json.loads(bytes(data).decode())
            return PaletteItem(body["kind"], body["key"], body["label"], dict(body["payload"]))
        except (ValueError, KeyError, TypeError):
            return None


class PaletteModel(QAbstractListModel):
    """Palette items that drag as ``PALETTE_MIME``."""

    def __init__(self, items: list[PaletteItem] | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._items = list(items or [])

    def set_items(self, items: list[PaletteItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def add(self, item: PaletteItem) -> None:
        if any(i.key == item.key and i.kind == item.kind for i in self._items):
            return
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._items.insert(0, item)
        self.endInsertRows()

    def item(self, row: int) -> PaletteItem:
        return self._items[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.hint or f"Drag onto an asset or the selection: {item.label}"
        if role == ID_ROLE:
            return item.key
        return None

    def mimeTypes(self) -> list[str]:
        return [PALETTE_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        valid = [i for i in indexes if i.isValid()]
        if valid:
            item = self._items[valid[0].row()]
            mime.setData(PALETTE_MIME, QByteArray(item.to_json()))
            mime.setText(item.label)
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction


class LineageModel(QAbstractListModel):
    """A master and its local variants; ``current`` is the asset shown."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AssetRow] = []
        self.current: str | None = None

    def set_rows(self, rows: list[AssetRow], current: str | None) -> None:
        self.beginResetModel()
        self._rows, self.current = list(rows), current
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            where = "Global master" if row.is_master else f"{(row.market or '').upper()} variant"
            this = "  (shown)" if row.id == self.current else ""
            return f"{where}: {row.name}{this}"
        if role == ID_ROLE:
            return row.id
        return None
