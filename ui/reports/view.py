"""The Reports section: the five reports as charts and tables, exported to PNG, PDF and XLSX.

``ReportsView(ctx)`` builds every report off the GUI thread (one read of the store, on the
network/read pool so it never waits behind edits), then draws them. It refreshes when an edit or a
sync changes entries, assets or requests. ``show_record(type, id)`` opens the report that lists
that record and selects its row; double-clicking a row that is a record emits ``open_record``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Final

from PySide6.QtCore import QModelIndex, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.progress import Progress
from desktop.reports import REPORTS, Report, build_all
from desktop.reports.export import write_xlsx
from desktop.spreadsheets.export import ExportError
from ui.context import AppContext
from ui.operations import Op, Pool, show_error
from ui.reports.charts import chart_widget
from ui.reports.frame_model import FrameModel
from ui.reports.render import write_pdf, write_png

WATCHED: Final = frozenset({"calendar_entry", "asset", "amplification_request"})
# Which report lists a record of each type, in the order they are searched.
WHERE: Final[dict[str, tuple[str, ...]]] = {
    "asset": ("rights",),
    "amplification_request": ("requests", "time-to-amplify"),
    "calendar_entry": ("adaptation", "overlap"),
}
FILTERS: Final[dict[str, str]] = {
    "png": "PNG image (*.png)",
    "pdf": "PDF document (*.pdf)",
    "xlsx": "Excel workbook (*.xlsx)",
}


class ReportPage(QWidget):
    """One report: its title, notes, charts and tables, and its export buttons."""

    open_record = Signal(str, str)
    exported = Signal(str)  # the path written

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.report: Report | None = None
        self.models: list[FrameModel] = []
        self.views: list[QTableView] = []
        self.heading = QLabel(f"<h2>{title}</h2>")
        self.description = QLabel("Loading…")
        self.description.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(self.heading)
        bar.addStretch(1)
        for fmt, label in (
            ("png", "Export PNG…"),
            ("pdf", "Export PDF…"),
            ("xlsx", "Export XLSX…"),
        ):
            button = QPushButton(label)
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, f=fmt: self.ask_export(f))
            self.buttons[fmt] = button
            bar.addWidget(button)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        self.scroller = scroll
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.description)
        layout.addWidget(scroll, 1)

    def set_report(self, report: Report) -> None:
        self.report = report
        self.description.setText(f"{report.description} {' '.join(report.notes)}")
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.models, self.views = [], []
        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        per_row = 1 if len(report.charts) == 1 else 2
        for index, chart in enumerate(report.charts):
            widget = chart_widget(chart)
            widget.setMinimumHeight(max(widget.minimumHeight(), 340))
            grid.addWidget(widget, index // per_row, index % per_row)
        self.body_layout.addWidget(charts)
        for table in report.tables:
            label = QLabel(f"<h3>{table.title}</h3>")
            self.body_layout.addWidget(label)
            if table.frame.empty:
                self.body_layout.addWidget(QLabel(table.empty_text))
                continue
            model = FrameModel(table, self)
            view = QTableView()
            view.setModel(model)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setAlternatingRowColors(True)
            view.verticalHeader().setVisible(False)
            if model.rowCount() <= 1_000:
                view.resizeColumnsToContents()
            for column in range(model.columnCount()):
                if view.columnWidth(column) > 360:
                    view.setColumnWidth(column, 360)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            rows_shown = min(model.rowCount(), 12)
            row_height = view.verticalHeader().defaultSectionSize()
            header_height = view.horizontalHeader().sizeHint().height()
            view.setFixedHeight(header_height + row_height * rows_shown + 2 * view.frameWidth())
            view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            if table.record_type is not None:
                view.doubleClicked.connect(
                    lambda index, m=model, t=table.record_type: self._open(m, t, index)
                )
                view.setToolTip("Double-click a row to open it.")
            self.body_layout.addWidget(view)
            self.models.append(model)
            self.views.append(view)
        self.body_layout.addStretch(1)
        for button in self.buttons.values():
            button.setEnabled(True)

    def _open(self, model: FrameModel, record_type: str, index: QModelIndex) -> None:
        record_id = model.record_id(index.row())
        if record_id is not None:
            self.open_record.emit(record_type, record_id)

    def select_record(self, record_type: str, record_id: str) -> bool:
        """Select the row of that record in this report; False if it is not listed here."""
        for model, view in zip(self.models, self.views, strict=True):
            table = model.table
            if table is None or table.record_type != record_type:
                continue
            row = model.row_of(record_id)
            if row is None:
                continue
            view.selectRow(row)
            view.scrollTo(model.index(row, 0))
            self.scroller.ensureWidgetVisible(view)
            return True
        return False

    # --- exports ----------------------------------------------------------------------------

    def ask_export(self, fmt: str) -> None:
        if self.report is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, f"Export {self.report.title}", f"{self.name}.{fmt}", FILTERS[fmt]
        )
        if path:
            self.export(fmt, path)

    def export(self, fmt: str, path: str | Path) -> bool:
        """Write this report as ``fmt`` (png, pdf, xlsx); shows a plain message on failure."""
        if self.report is None:
            return False
        target = Path(path)
        if target.suffix.lower() != f".{fmt}":
            target = target.with_name(target.name + f".{fmt}")
        try:
            {"png": write_png, "pdf": write_pdf, "xlsx": write_xlsx}[fmt](self.report, target)
        except ExportError as exc:
            show_error(self, exc)
            return False
        self.exported.emit(str(target))
        return True


class ReportsView(QWidget):
    """The Reports section (see the module)."""

    open_record = Signal(str, str)
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reports: dict[str, Report] = {}
        self._pending: tuple[str, str] | None = None
        self._loading = False
        self._again = False
        self.tabs = QTabWidget()
        self.pages: dict[str, ReportPage] = {}
        for name, title in REPORTS.items():
            page = ReportPage(name, title)
            page.open_record.connect(self.open_record)
            self.pages[name] = page
            self.tabs.addTab(page, title)
        self.status = QLabel("Loading reports…")
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(500)
        self._debounce.timeout.connect(self.refresh)
        ctx.signals.changed.connect(self._changed)
        self.refresh()

    @Slot(object)
    def _changed(self, types: object) -> None:
        if isinstance(types, frozenset | set) and types & WATCHED:
            self._debounce.start()

    @Slot()
    def refresh(self) -> None:
        """Build every report again, off the GUI thread."""
        if self._loading:
            self._again = True
            return
        self._loading = True
        self.status.setText("Loading reports…")
        store = self.ctx.store
        now: datetime = self.ctx.workspace.clock()
        me = self.ctx.workspace.actor.user_id

        def build(progress: Progress) -> dict[str, Report]:
            progress.report("Reading the workspace", 0, None)
            return build_all(store, now=now, me=me)

        Op(self.ctx.ops, build, pool=Pool.NET).success(self._show).failure(self._failed).run()

    def _show(self, reports: dict[str, Report]) -> None:
        self._loading = False
        self.reports = reports
        for name, report in reports.items():
            self.pages[name].set_report(report)
        moment = next(iter(reports.values())).generated_at if reports else None
        self.status.setText(
            f"As of {moment:%d %b %Y %H:%M} UTC." if moment is not None else "No reports."
        )
        if self._pending is not None:
            record_type, record_id = self._pending
            self._pending = None
            self.show_record(record_type, record_id)
        self.loaded.emit()
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, error: BaseException) -> None:
        from ui.operations import user_message

        self._loading = False
        self.status.setText(f"The reports could not be built: {user_message(error)}")
        self.loaded.emit()

    def show_record(self, record_type: str, record_id: str) -> None:
        """Open the report listing this record and select it (after loading, if need be)."""
        if self._loading and not self.reports:
            self._pending = (record_type, record_id)
            return
        for name in WHERE.get(record_type, ()):
            page = self.pages[name]
            if page.select_record(record_type, record_id):
                self.tabs.setCurrentWidget(page)
                return
        self.status.setText("That record is not in any report right now.")
