"""Export a view to CSV or XLSX, with the columns as shown (the view passes its ids and columns).

The file is written off the GUI thread by ``desktop.spreadsheets.export.export_records``; it
reads back unchanged with the import dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final, Literal

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.progress import Progress
from desktop.spreadsheets.columns import DEFAULT_COLUMNS, export_columns
from desktop.spreadsheets.export import ExportError, TimeStyle, export_records
from ui.context import AppContext
from ui.operations import Op, Pool, user_message
from ui.spreadsheets.models import ColumnsModel

ExportKind = Literal["calendar", "assets", "requests"]
NOUNS: Final = {"calendar": "calendar entries", "assets": "assets", "requests": "requests"}


class ExportDialog(QDialog):
    """Export ``ids`` (None: all) of ``kind`` with ``columns`` (None: the usual ones)."""

    exported = Signal(str, int)  # path, rows written
    failed = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        kind: ExportKind,
        ids: list[str] | None = None,
        columns: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.ids = ids
        known = {c.key for c in export_columns(kind)}
        wanted = list(columns) if columns else list(DEFAULT_COLUMNS[kind])
        self.skipped = [c for c in wanted if c not in known]
        self.columns_model = ColumnsModel(export_columns(kind), wanted, self)
        noun = NOUNS[kind]
        count = "all" if ids is None else f"{len(ids):,}"
        self.setWindowTitle(f"Export {noun}")
        self.resize(560, 560)
        heading = QLabel(f"<h3>Export {count} {noun}</h3>")
        self.csv_button = QRadioButton("CSV (UTF-8, for any spreadsheet program)")
        self.xlsx_button = QRadioButton("Excel workbook (.xlsx)")
        self.csv_button.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.csv_button)
        group.addButton(self.xlsx_button)
        group.buttonToggled.connect(self._format_changed)
        self.local_times = QCheckBox("Times in each market's local time (with its UTC offset)")
        columns_view = QListView()
        columns_view.setModel(self.columns_model)
        note = QLabel(
            "Columns (ticked ones are exported, in this order). Keep ID ticked to edit the "
            "file and import it back onto the same records."
        )
        note.setWordWrap(True)
        if self.skipped:
            note.setText(note.text() + f" Not exportable: {', '.join(self.skipped)}.")
        self.path_edit = QLineEdit(str(Path.home() / f"{kind}.csv"))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(browse)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.export_button = QPushButton("Export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(close)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.csv_button)
        layout.addWidget(self.xlsx_button)
        layout.addWidget(self.local_times)
        layout.addWidget(note)
        layout.addWidget(columns_view, 1)
        layout.addWidget(QLabel("Save as:"))
        layout.addLayout(where)
        layout.addLayout(buttons)

    @property
    def fmt(self) -> str:
        return "xlsx" if self.xlsx_button.isChecked() else "csv"

    @Slot()
    def _format_changed(self) -> None:
        path = Path(self.path_edit.text() or f"{self.kind}.csv")
        if path.suffix.lower() in (".csv", ".xlsx", ""):
            self.path_edit.setText(str(path.with_suffix(f".{self.fmt}")))

    @Slot()
    def browse(self) -> None:
        fmt = self.fmt
        wanted = "Excel workbook (*.xlsx)" if fmt == "xlsx" else "CSV file (*.csv)"
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path_edit.text(), wanted)
        if path:
            self.path_edit.setText(path)

    @Slot()
    def export(self) -> None:
        """Write the file off the GUI thread; ``exported`` or ``failed`` when done."""
        columns = self.columns_model.chosen
        if not columns:
            self.status.setText("Tick at least one column.")
            return
        text = self.path_edit.text().strip()
        if not text:
            self.status.setText("Choose where to save the file.")
            return
        path = Path(text)
        if path.suffix.lower() != f".{self.fmt}":
            path = path.with_name(path.name + f".{self.fmt}")
        self.export_button.setEnabled(False)
        self.status.setText("Exporting…")
        store, kind, ids, fmt = self.ctx.store, self.kind, self.ids, self.fmt
        times: TimeStyle = "local" if self.local_times.isChecked() else "utc"

        def work(progress: Progress) -> int:
            return export_records(
                store,
                kind,
                ids,
                columns,
                path,
                fmt,
                times=times,
                progress=progress,
            )

        Op(self.ctx.ops, work, pool=Pool.NET).with_progress("Exporting", self).success(
            lambda count: self._done(str(path), count)
        ).failure(self._failed).run()

    def _done(self, path: str, count: int) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(f"Exported {count:,} rows to {path}.")
        self.ctx.signals.status.emit(f"Exported {count:,} rows to {path}.")
        self.exported.emit(path, count)

    def _failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        text = str(error) if isinstance(error, ExportError) else user_message(error)
        self.status.setText(f"Not exported: {text}")
        self.failed.emit(text)
