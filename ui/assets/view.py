"""The asset bank: search-as-you-type, facets with counts, a thumbnail grid and a list over one lazy
model, the detail panel, the palette, and drag and drop (files to import, palette items to apply).

Threading: the model's keyset pages are read on the GUI thread (a few ms; ``python -m
ui.assets.bench`` measures them); facet counts are read on a worker; thumbnails decode on a pool
of their own; imports hash and copy on the network pool and create on the database thread; every
edit runs on the database thread through the services, one undo step each.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from desktop.domain.values import utcnow
from desktop.progress import Cancelled, Progress, ProgressReport
from desktop.queries import assets as queries
from desktop.queries.assets import FACETS, AssetRow, FacetValue
from desktop.services import files as importer
from desktop.services.files import ImportDefaults, ImportPlan, ImportResult
from desktop.store.models import Campaign, Market
from ui.assets.detail import AssetDetailPanel
from ui.assets.models import ID_ROLE, PALETTE_MIME, AssetTableModel, FacetModel, PaletteItem
from ui.assets.palette import PaletteWidget, PresetError, apply_item, resolve_embargo
from ui.assets.thumbs import ThumbnailCache
from ui.context import AppContext
from ui.operations import Op, Pool, show_error, user_message

SEARCH_DELAY_MS = 150
FACET_DELAY_MS = 300
FACET_TITLES = {
    "brand": "Brand",
    "campaign": "Campaign",
    "market": "Market",
    "language": "Language",
    "kind": "Kind",
    "rights": "Rights",
    "status": "Status",
    "tags": "Tags",
}


class _DropTarget:
    """Drops for the grid and the list: file URLs (import) and palette items (apply)."""

    files_dropped: Any
    palette_dropped: Any

    def _accepts(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        mime = event.mimeData()
        return mime.hasFormat(PALETTE_MIME) or (
            mime.hasUrls() and any(u.isLocalFile() for u in mime.urls())
        )

    def _handle_enter(self, event: QDragEnterEvent | QDragMoveEvent) -> None:
        if self._accepts(event):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def _handle_drop(self, view: QAbstractItemView, event: QDropEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(PALETTE_MIME):
            item = PaletteItem.from_json(bytes(mime.data(PALETTE_MIME).data()))
            index = view.indexAt(event.position().toPoint())
            if item is not None:
                self.palette_dropped.emit(item, index)
        elif mime.hasUrls():
            paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
            if paths:
                self.files_dropped.emit(paths)
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()


class AssetGrid(_DropTarget, QListView):
    files_dropped = Signal(list)
    palette_dropped = Signal(object, QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(160, 160))
        self.setGridSize(QSize(184, 214))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)
        self.viewport().setAcceptDrops(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._handle_enter(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._handle_enter(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._handle_drop(self, event)


class AssetTable(_DropTarget, QTableView):
    files_dropped = Signal(list)
    palette_dropped = Signal(object, QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setIconSize(QSize(32, 32))
        self.verticalHeader().setDefaultSectionSize(36)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setWordWrap(False)
        self.viewport().setAcceptDrops(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._handle_enter(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._handle_enter(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._handle_drop(self, event)


class FacetPanel(QScrollArea):
    """One checkable list per facet; ``changed`` when the selection changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(4, 4, 4, 4)
        self.models: dict[str, FacetModel] = {}
        self.views: dict[str, QListView] = {}
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)
        for facet in FACETS:
            model = FacetModel(facet, self)
            model.selection_changed.connect(self.changed)
            view = QListView()
            view.setModel(model)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
            layout.addWidget(QLabel(f"<b>{FACET_TITLES[facet]}</b>"))
            layout.addWidget(view)
            self.models[facet], self.views[facet] = model, view
        layout.addStretch(1)
        self.setWidget(inner)

    def selection(self) -> dict[str, list[str]]:
        return {f: sorted(m.selected) for f, m in self.models.items() if m.selected}

    def set_counts(self, counts: dict[str, list[FacetValue]]) -> None:
        for facet, values in counts.items():
            model, view = self.models[facet], self.views[facet]
            model.set_values(values)
            rows = min(max(len(values), 1), 8)
            view.setFixedHeight(rows * view.sizeHintForRow(0) + 6 if values else 24)

    def select(self, facet: str, value: str) -> None:
        model = self.models[facet]
        model.selected.add(value)
        model.layoutChanged.emit()
        self.changed.emit()

    @Slot()
    def clear(self) -> None:
        blocked = [m.blockSignals(True) for m in self.models.values()]
        for model in self.models.values():
            model.clear_selection()
        for model, was in zip(self.models.values(), blocked, strict=True):
            model.blockSignals(was)
            model.layoutChanged.emit()
        self.changed.emit()


class AssetBankView(QWidget):
    """The asset bank. ``open_record(type, id)`` asks the shell to open another record."""

    open_record = Signal(str, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today: date = datetime.now(UTC).date()
        self.thumbs = ThumbnailCache(parent=self)
        self.model = AssetTableModel(ctx.store, self.thumbs, today=self.today, parent=self)
        self.question: QMessageBox | None = None
        self.import_op: Op[Any] | None = None
        self.last_status = ""
        self._facet_generation = 0
        self._facet_cache: dict[Any, dict[str, list[FacetValue]]] = {}
        self._build()
        self.model.set_query("", {}, "name")
        self._update_count()
        self._schedule_facets(now=True)
        ctx.signals.changed.connect(self._changed)

    # --- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search names, titles, tags and alt text")
        self.search.setClearButtonEnabled(True)
        self.search.textEdited.connect(self._search_edited)
        self.search.textChanged.connect(self._search_edited)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._run_search)
        self.facet_timer = QTimer(self)
        self.facet_timer.setSingleShot(True)
        self.facet_timer.setInterval(FACET_DELAY_MS)
        self.facet_timer.timeout.connect(self._load_facets)
        self.sort_combo = QComboBox()
        self.sort_combo.addItem("Name A–Z", "name")
        self.sort_combo.addItem("Recently added", "recent")
        self.sort_combo.currentIndexChanged.connect(self._run_search)
        self.grid_button = QToolButton()
        self.grid_button.setText("Grid")
        self.list_button = QToolButton()
        self.list_button.setText("List")
        group = QButtonGroup(self)
        for n, button in enumerate((self.grid_button, self.list_button)):
            button.setCheckable(True)
            group.addButton(button, n)
        self.grid_button.setChecked(True)
        group.idClicked.connect(self.set_mode)
        self.count_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.sort_combo)
        top.addWidget(self.grid_button)
        top.addWidget(self.list_button)
        top.addWidget(self.count_label)

        self.grid = AssetGrid()
        self.grid.setModel(self.model)
        self.table = AssetTable()
        self.table.setModel(self.model)
        self.table.setSelectionModel(self.grid.selectionModel())
        for column, width in enumerate((260, 300, 70, 60, 70, 80, 240, 200, 220)):
            self.table.setColumnWidth(column, width)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.grid)
        self.stack.addWidget(self.table)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #5b6370; padding: 12px;")
        self.empty_label.hide()
        for view in (self.grid, self.table):
            view.files_dropped.connect(self.import_paths)
            view.palette_dropped.connect(self._palette_dropped)
            view.doubleClicked.connect(self._double_clicked)
        self.grid.selectionModel().currentChanged.connect(self._current_changed)
        self.grid.selectionModel().selectionChanged.connect(self._selection_changed)

        self.progress_bar = QProgressBar()
        self.progress_label = QLabel()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_import)
        self.import_bar = QWidget()
        bar = QHBoxLayout(self.import_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.progress_label)
        bar.addWidget(self.progress_bar, 1)
        bar.addWidget(self.cancel_button)
        self.import_bar.hide()
        self.status_label = QLabel()
        self.status_label.setStyleSheet("color: #2d3a4a;")

        center = QWidget()
        middle = QVBoxLayout(center)
        middle.setContentsMargins(0, 0, 0, 0)
        middle.addLayout(top)
        middle.addWidget(self.import_bar)
        middle.addWidget(self.empty_label)
        middle.addWidget(self.stack, 1)
        middle.addWidget(self.status_label)

        self.facets = FacetPanel()
        self.facets.changed.connect(self._facets_changed)
        self.facets.setMinimumWidth(210)

        self.detail = AssetDetailPanel(self.ctx)
        self.detail.status.connect(self.show_status)
        self.detail.open_record.connect(self._open_from_detail)
        self.detail.adapt_requested.connect(self.open_adapt)
        with self.ctx.store.read() as session:
            vocabulary = queries.tag_vocabulary(session, limit=40)
        self.detail.set_tag_vocabulary([t for t, _ in vocabulary])
        self.palette_panel = PaletteWidget(
            tags=vocabulary, markets=self.ctx.workspace.actor.markets, today=self.today
        )
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.detail)
        palette_box = QWidget()
        palette_layout = QVBoxLayout(palette_box)
        palette_layout.setContentsMargins(6, 6, 0, 0)
        palette_layout.addWidget(QLabel("<b>Palette</b>"))
        palette_layout.addWidget(self.palette_panel)
        right.addWidget(palette_box)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        right.setSizes([640, 300])
        right.setMinimumWidth(360)

        splitter = QSplitter()
        splitter.addWidget(self.facets)
        splitter.addWidget(center)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 700, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

    # --- the interface the shell uses --------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def show_record(self, record_type: str, record_id: str) -> None:
        if record_type != "asset":
            return
        row = self.model.row_of(record_id)
        if row < 0:
            self.search.clear()
            self.facets.clear()
            self._run_search()
            row = self.model.row_of(record_id)
        if row >= 0:
            index = self.model.index(row, 0)
            self.grid.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.current_view().scrollTo(index)
        self.detail.show_asset(record_id)

    def current_view(self) -> QAbstractItemView:
        return self.grid if self.stack.currentWidget() is not self.table else self.table

    @Slot(int)
    def set_mode(self, mode: int) -> None:
        """0: thumbnail grid; 1: list."""
        (self.grid_button if mode == 0 else self.list_button).setChecked(True)
        self._update_empty(mode)

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.grid.selectionModel().selectedIndexes()})
        ids = self.model.ids()
        return [ids[r] for r in rows if r < len(ids)]

    def show_status(self, message: str) -> None:
        self.last_status = message
        self.status_label.setText(message)
        self.ctx.signals.status.emit(message)

    # --- search and facets -------------------------------------------------------------------

    @Slot(str)
    def _search_edited(self, _text: str) -> None:
        self.search_timer.start()

    @Slot()
    def _run_search(self) -> None:
        self.search_timer.stop()
        keep = self.selected_ids()
        self.model.set_query(
            self.search.text(), self.facets.selection(), self.sort_combo.currentData()
        )
        self._restore_selection(keep)
        self._update_count()
        self._schedule_facets()

    @Slot()
    def _facets_changed(self) -> None:
        self._run_search()

    def _update_count(self) -> None:
        loaded = self.model.rowCount()
        more = "+" if self.model.canFetchMore() else ""
        self.count_label.setText(f"{loaded:,}{more} assets")
        self._update_empty(0 if self.grid_button.isChecked() else 1)

    def _update_empty(self, mode: int) -> None:
        self.stack.setCurrentWidget(self.grid if mode == 0 else self.table)
        empty = self.model.rowCount() == 0
        if empty:
            if self.search.text().strip() or self.facets.selection():
                text = "No asset matches this search. Clear a filter or try fewer words."
            else:
                text = (
                    "The asset bank is empty. Sync to bring in your campaigns' assets, or drop "
                    "files here from your file manager to import them."
                )
            self.empty_label.setText(text)
        self.empty_label.setVisible(empty)

    def _schedule_facets(self, *, now: bool = False) -> None:
        if now:
            self._load_facets()
        else:
            self.facet_timer.start()

    @Slot()
    def _load_facets(self) -> None:
        key = (
            self.search.text().strip(),
            tuple(sorted((k, tuple(v)) for k, v in self.facets.selection().items())),
        )
        if key in self._facet_cache:
            self.facets.set_counts(self._facet_cache[key])
            return
        self._facet_generation += 1
        generation = self._facet_generation
        store, typed, chosen, today = (
            self.ctx.store,
            key[0],
            dict(self.facets.selection()),
            self.today,
        )

        def work(_progress: Progress) -> dict[str, list[FacetValue]]:
            with store.read() as session:
                return queries.facet_counts(session, text=typed, facets=chosen, today=today)

        def done(counts: dict[str, list[FacetValue]]) -> None:
            if generation != self._facet_generation:
                return  # a newer search is on its way
            if len(self._facet_cache) > 32:
                self._facet_cache.clear()
            self._facet_cache[key] = counts
            self.facets.set_counts(counts)

        Op(self.ctx.ops, work, pool=Pool.NET, owner=self).success(done).failure(
            lambda error: self.show_status(
                f"The filter counts could not be read: {user_message(error)}"
            )
        ).run()

    def _restore_selection(self, ids: list[str]) -> None:
        selection = self.grid.selectionModel()
        for asset_id in ids:
            row = self.model.row_of(asset_id)
            if row >= 0:
                selection.select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )

    @Slot(object)
    def _changed(self, types: frozenset[str]) -> None:
        if "asset" not in types:
            return
        keep = self.selected_ids()
        current = self.detail.row.id if self.detail.row else None
        self._facet_cache.clear()
        self.model.refresh()
        self._restore_selection(keep)
        self._update_count()
        self._schedule_facets()
        if current:
            self.detail.show_asset(current)

    # --- selection -------------------------------------------------------------------------

    @Slot(QModelIndex, QModelIndex)
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        asset_id = current.data(ID_ROLE) if current.isValid() else None
        if asset_id:
            self.detail.show_asset(asset_id)

    @Slot()
    def _selection_changed(self) -> None:
        count = len(self.selected_ids())
        if count > 1:
            self.status_label.setText(f"{count:,} assets selected: drag a tag or preset onto them.")

    @Slot(QModelIndex)
    def _double_clicked(self, index: QModelIndex) -> None:
        row: AssetRow | None = self.model.asset(index.data(ID_ROLE)) if index.isValid() else None
        if row is not None and row.is_master and self.ctx.workspace.actor.markets:
            self.open_adapt(row.id, self.ctx.workspace.actor.markets[0])

    @Slot(str, str)
    def _open_from_detail(self, record_type: str, record_id: str) -> None:
        if record_type == "asset":
            self.show_record(record_type, record_id)
        else:
            self.open_record.emit(record_type, record_id)

    @Slot(str, str)
    def open_adapt(self, master_id: str, market: str) -> None:
        from ui.adapt.view import AdaptView

        dialog = AdaptView(
            self.ctx, record_type="asset", master_id=master_id, market=market, parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.created.connect(lambda new_id: self.show_record("asset", new_id))
        self.adapt_dialog = dialog
        dialog.open()

    # --- palette drops -------------------------------------------------------------------------

    def targets_for(self, index: QModelIndex) -> list[AssetRow]:
        """A drop on a selected asset applies to the whole selection; elsewhere to that one."""
        if not index.isValid():
            return []
        asset_id = index.data(ID_ROLE)
        selected = self.selected_ids()
        ids = selected if asset_id in selected else [asset_id]
        return [r for r in (self.model.asset(i) for i in ids) if r is not None]

    @Slot(object, QModelIndex)
    def _palette_dropped(self, item: PaletteItem, index: QModelIndex) -> None:
        rows = self.targets_for(index)
        if not rows:
            self.show_status("Drop it on an asset (or on one of the selected assets).")
            return
        self.apply_palette(item, rows)

    def apply_palette(self, item: PaletteItem, rows: list[AssetRow]) -> None:
        embargo = None
        if item.kind == "embargo":
            try:
                embargo = resolve_embargo(
                    item,
                    rows,
                    launches=self._campaign_starts(),
                    timezones=self._market_zones(),
                    now=utcnow(),
                )
            except PresetError as exc:
                self.show_status(str(exc))
                return
        ws = self.ctx.workspace

        def done(result: tuple[Any, str]) -> None:
            self.show_status(result[1])

        def failed(error: BaseException) -> None:
            self.show_status(user_message(error))

        Op(
            self.ctx.ops, lambda _p: apply_item(ws, item, rows, embargo=embargo), pool=Pool.DB
        ).success(done).failure(failed).run()

    def _campaign_starts(self) -> dict[str, str | None]:
        with self.ctx.store.read() as session:
            return {c.id: c.starts_on for c in session.scalars(select(Campaign))}

    def _market_zones(self) -> dict[str, str | None]:
        with self.ctx.store.read() as session:
            return {m.code: m.timezone for m in session.scalars(select(Market))}

    # --- importing files -----------------------------------------------------------------------

    def import_defaults(self) -> ImportDefaults | None:
        markets = self.ctx.workspace.actor.markets
        if not markets:
            return None
        chosen = self.facets.selection()
        picked = [m for m in chosen.get("market", []) if m in markets]
        market = picked[0] if picked else markets[0]
        brand = chosen["brand"][0] if len(chosen.get("brand", [])) == 1 else None
        campaign = chosen["campaign"][0] if len(chosen.get("campaign", [])) == 1 else None
        with self.ctx.store.read() as session:
            languages = session.scalar(select(Market.languages).where(Market.code == market))
        return ImportDefaults(
            market=market,
            markets=tuple(markets),
            brand=brand,
            campaign_id=campaign,
            language=languages[0] if languages else None,
        )

    @Slot(list)
    def import_paths(self, paths: list[str]) -> None:
        if self.import_op is not None:
            self.show_status("An import is still running; wait for it or cancel it first.")
            return
        defaults = self.import_defaults()
        if defaults is None:
            self.show_status("Sign in as a section lead to import files into your markets.")
            return
        store, files = self.ctx.store, self.ctx.engine.files
        self.import_bar.show()
        self.progress_bar.setRange(0, 0)
        self.progress_label.setText("Reading the dropped files…")

        def prepare(progress: Progress) -> ImportPlan | None:
            try:
                return importer.prepare_import(
                    store, files, paths, defaults=defaults, progress=progress
                )
            except Cancelled:
                return None  # the plan removed what it had copied; report it as cancelled

        op: Op[ImportPlan | None] = Op(self.ctx.ops, prepare, pool=Pool.NET)
        op.on_progress(self._import_progress).success(self._import_prepared).failure(
            self._import_failed
        )
        self.import_op = op
        op.run()

    @Slot()
    def cancel_import(self) -> None:
        if self.import_op is not None:
            self.import_op.progress.cancel()
            self.progress_label.setText("Cancelling…")

    def _import_progress(self, report: ProgressReport) -> None:
        if report.total:
            self.progress_bar.setRange(0, report.total)
            self.progress_bar.setValue(min(report.done, report.total))
        self.progress_label.setText(report.phase)

    def _import_done(self) -> None:
        self.import_op = None
        self.import_bar.hide()

    def _import_failed(self, error: BaseException) -> None:
        self._import_done()
        self.show_status(user_message(error))
        self._tell(user_message(error))

    def _tell(self, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information, "Import", text, QMessageBox.StandardButton.Ok, self
        )
        self.question = box
        box.open()

    def _import_prepared(self, plan: ImportPlan | None) -> None:
        if plan is None:
            self._import_done()
            self.show_status("Import cancelled; nothing was imported.")
            return
        dupes = "\n".join(f"• {d.line()}" for d in plan.duplicates[:10])
        if not plan.items:
            self._import_done()
            text = "Nothing new to import:\n" + dupes
            self.show_status("Nothing new to import: those files are already in the bank.")
            self._tell(text)
            return
        if plan.refused:
            lines = "\n".join(f"• {r.line()}" for r in plan.refused[:10])
            more = f"\n…and {len(plan.refused) - 10} more" if len(plan.refused) > 10 else ""
            extra = f"\n\nAlready in the bank, not imported again:\n{dupes}" if dupes else ""
            count = len(plan.items)
            refused = len(plan.refused)
            text = (
                f"{refused} of the dropped files cannot be imported:\n{lines}{more}{extra}"
                f"\n\nImport the other {count} file{'s' if count != 1 else ''} without them?"
            )
            box = QMessageBox(
                QMessageBox.Icon.Question,
                "Import",
                text,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                self,
            )
            box.button(QMessageBox.StandardButton.Yes).setText(f"Import {count}")
            box.button(QMessageBox.StandardButton.No).setText("Import nothing")
            box.finished.connect(lambda result: self._answered(plan, result))
            self.question = box
            box.open()
            return
        self._commit(plan)

    def _answered(self, plan: ImportPlan, result: int) -> None:
        self.question = None
        if result == QMessageBox.StandardButton.Yes:
            self._commit(importer.without_refused(plan))
            return
        files = self.ctx.engine.files
        importer.discard_import(files, plan)
        self._import_done()
        self.show_status("Nothing was imported.")

    def _commit(self, plan: ImportPlan) -> None:
        ws, files = self.ctx.workspace, self.ctx.engine.files
        self.progress_label.setText(f"Adding {len(plan.items)} assets…")

        def done(result: ImportResult) -> None:
            self._import_done()
            count = len(result.asset_ids)
            what = result.names[0] if count == 1 else f"{count} files"
            dupes = f"; {len(plan.duplicates)} already in the bank" if plan.duplicates else ""
            self.show_status(f"Imported {what}{dupes} — Ctrl+Z to undo")
            if result.asset_ids:
                self.show_record("asset", result.asset_ids[0])

        def failed(error: BaseException) -> None:
            self._import_done()
            show_error(self, error)
            self.show_status(user_message(error))

        Op(self.ctx.ops, lambda _p: importer.commit_import(ws, files, plan), pool=Pool.DB).success(
            done
        ).failure(failed).run()

    # --- undo ----------------------------------------------------------------------------------

    def undo(self) -> None:
        """Undo the newest edit (the shell binds Ctrl+Z to this or to its own undo)."""
        ws = self.ctx.workspace
        Op(self.ctx.ops, lambda _p: ws.undo(), pool=Pool.DB).success(
            lambda cs: self.show_status(cs.label if cs else "Nothing to undo.")
        ).run()

    def redo(self) -> None:
        ws = self.ctx.workspace
        Op(self.ctx.ops, lambda _p: ws.redo(), pool=Pool.DB).success(
            lambda cs: self.show_status(cs.label if cs else "Nothing to redo.")
        ).run()
