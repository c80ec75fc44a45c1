"""Import from a spreadsheet: choose the file, map its columns, read the validation report, import.

Three steps in one dialog. Reading and checking run off the GUI thread with a progress bar and a
Cancel button; the import itself is one write on the database thread: all rows or none, one
undoable edit, queued for sync. The mapping is remembered for files with the same headings.
Every failure is a plain message in the dialog; nothing is half-imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final, Literal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.progress import Cancelled, Progress, ProgressReport
from desktop.services.changes import ChangeSet, EditRefused
from desktop.spreadsheets.columns import TARGETS
from desktop.spreadsheets.importing import plan_import, row_lines, short
from desktop.spreadsheets.mappings import initial_options, remember
from desktop.spreadsheets.plan import ImportOptions, ImportPlan, ImportRefused, commit
from desktop.spreadsheets.sources import Source, SpreadsheetError, inspect
from desktop.spreadsheets.values import guess_day_first
from ui.context import AppContext
from ui.operations import Op, Pool, user_message
from ui.spreadsheets.models import FILTERS, NOT_IMPORTED, MappingModel, RowsModel

ImportKind = Literal["calendar", "assets"]
ZONES: Final = (
    ("", "each row's market's time zone"),
    ("UTC", "UTC"),
    ("Europe/Berlin", "Europe/Berlin"),
    ("Europe/Paris", "Europe/Paris"),
    ("Europe/London", "Europe/London"),
    ("America/New_York", "America/New_York"),
    ("America/Sao_Paulo", "America/Sao_Paulo"),
    ("Asia/Tokyo", "Asia/Tokyo"),
)
FILE_FILTER: Final = "Spreadsheets (*.csv *.tsv *.txt *.xlsx *.xlsm);;All files (*)"
SIGN_IN: Final = "Sign in first (Sync, then your server and user name): imports are made as you."


class TargetDelegate(QStyledItemDelegate):
    """A combo box of import targets for the mapping's "Imports as" column."""

    def __init__(self, targets: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.targets = targets

    def createEditor(
        self,
        parent: QWidget,
        _option: QStyleOptionViewItem,
        _index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.addItem(NOT_IMPORTED, "")
        for key, label in self.targets:
            combo.addItem(label, key)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        position = editor.findData(index.data(Qt.ItemDataRole.EditRole) or "")
        editor.setCurrentIndex(max(position, 0))

    def setModelData(
        self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class ImportDialog(QDialog):
    """Import calendar entries (``kind="calendar"``) or asset metadata (``"assets"``)."""

    inspected = Signal()  # the file was read (or refused: see ``message``)
    planned = Signal()  # the validation report is ready (or the check failed)
    imported = Signal(object)  # the ChangeSet written

    def __init__(self, ctx: AppContext, kind: ImportKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.source: Source | None = None
        self.plan: ImportPlan | None = None
        self.mapping_model: MappingModel | None = None
        self.rows_model = RowsModel(self)
        self._op: Op[Any] | None = None
        what = "calendar entries" if kind == "calendar" else "asset tags, rights and embargoes"
        self.setWindowTitle(f"Import {what}")
        self.resize(980, 680)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("QLabel { color: #a61b1b; }")
        self.message.hide()
        self.pages = QStackedWidget()
        self.pages.addWidget(self._file_page(what))
        self.pages.addWidget(self._mapping_page())
        self.pages.addWidget(self._report_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)
        if ctx.workspace.actor.role == "nobody":
            self._say(SIGN_IN)
            self.choose_button.setEnabled(False)

    # --- the three pages ---------------------------------------------------------------------

    def _file_page(self, what: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel(
            f"<h3>Import {what} from a spreadsheet</h3>"
            "<p>A CSV file (UTF-8 or Windows-1252, comma or semicolon separated) or an Excel "
            "workbook (.xlsx). You choose which column fills which field next, and see a report "
            "of every row before anything is imported. All rows are imported, or none.</p>"
        )
        intro.setWordWrap(True)
        self.choose_button = QPushButton("Choose file…")
        self.choose_button.clicked.connect(self.choose_file)
        self.file_progress = QProgressBar()
        self.file_progress.setRange(0, 0)
        self.file_progress.hide()
        layout.addWidget(intro)
        layout.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.file_progress)
        layout.addStretch(1)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.mapping_view = QTableView()
        self.mapping_view.setItemDelegateForColumn(
            2, TargetDelegate(list(TARGETS[self.kind]), self)
        )
        self.mapping_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.mapping_view.verticalHeader().setVisible(False)
        self.mapping_view.horizontalHeader().setStretchLastSection(True)
        self.sheet_combo = QComboBox()
        self.sheet_combo.activated.connect(self._sheet_chosen)
        self.order_combo = QComboBox()
        self.order_combo.addItem("day first (25/11/2026)", True)
        self.order_combo.addItem("month first (11/25/2026)", False)
        self.zone_combo = QComboBox()
        for key, label in ZONES:
            self.zone_combo.addItem(label, key)
        options = QFormLayout()
        options.addRow("Sheet:", self.sheet_combo)
        options.addRow("Dates like 03/04/2026 are:", self.order_combo)
        options.addRow("Times written without a zone are in:", self.zone_combo)
        self.mapping_hint = QLabel()
        self.mapping_hint.setWordWrap(True)
        back = QPushButton("Choose another file…")
        back.clicked.connect(self.choose_file)
        self.check_button = QPushButton("Check rows")
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.check)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.check_button)
        layout.addWidget(self.file_label)
        layout.addWidget(self.mapping_view, 1)
        layout.addLayout(options)
        layout.addWidget(self.mapping_hint)
        layout.addLayout(buttons)
        return page

    def _report_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.progress_bar = QProgressBar()
        self.progress_label = QLabel()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_check)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_label)
        progress_row.addWidget(self.progress_bar, 1)
        progress_row.addWidget(self.cancel_button)
        self.progress_box = QWidget()
        self.progress_box.setLayout(progress_row)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.filter_combo = QComboBox()
        self.filter_combo.addItems(list(FILTERS))
        self.filter_combo.currentTextChanged.connect(self.rows_model.set_filter)
        self.rows_view = QTableView()
        self.rows_view.setModel(self.rows_model)
        self.rows_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rows_view.verticalHeader().setVisible(False)
        self.rows_view.verticalHeader().setDefaultSectionSize(24)
        header = self.rows_view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.rows_view.setColumnWidth(0, 56)
        self.rows_view.setColumnWidth(1, 90)
        self.rows_view.setColumnWidth(2, 330)
        self.rows_view.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Choose a row to see its changes and problems.")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.rows_view)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        back = QPushButton("Back to the columns")
        back.clicked.connect(lambda: self.pages.setCurrentIndex(1))
        self.import_button = QPushButton("Import")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.import_now)
        close = QPushButton("Cancel")
        close.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.filter_combo)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.import_button)
        layout.addWidget(self.progress_box)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        return page

    # --- step 1: the file -----------------------------------------------------------------------

    def _say(self, text: str | None) -> None:
        self.message.setText(text or "")
        self.message.setVisible(bool(text))

    @Slot()
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a spreadsheet", "", FILE_FILTER)
        if path:
            self.load_file(path)

    def load_file(self, path: str | Path, *, sheet: str | None = None) -> None:
        """Read the file's headings off the GUI thread; ``inspected`` when done."""
        self._say(None)
        self.file_progress.show()
        self.choose_button.setEnabled(False)
        store, kind = self.ctx.store, self.kind

        def work(_progress: Progress) -> tuple[Source, ImportOptions, bool]:
            source = inspect(path, sheet=sheet)
            guess = guess_day_first(v for row in source.samples for v in row)
            options, known = initial_options(store, kind, source.header, day_first=guess)
            return source, options, known

        self._op = (
            Op(self.ctx.ops, work, pool=Pool.NET)
            .success(self._inspected)
            .failure(self._not_inspected)
            .run()
        )

    def _not_inspected(self, error: BaseException) -> None:
        self.file_progress.hide()
        self.choose_button.setEnabled(True)
        self._say(str(error) if isinstance(error, SpreadsheetError) else user_message(error))
        self.inspected.emit()

    def _inspected(self, result: tuple[Source, ImportOptions, bool]) -> None:
        source, options, known = result
        self.file_progress.hide()
        self.choose_button.setEnabled(True)
        self.source = source
        self.mapping_model = MappingModel(source, options.mapping, TARGETS[self.kind], self)
        self.mapping_model.mapping_changed.connect(self._mapping_changed)
        self.mapping_view.setModel(self.mapping_model)
        self.mapping_view.setColumnWidth(0, 220)
        self.mapping_view.setColumnWidth(1, 380)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(source.sheets) or [source.name])
        self.sheet_combo.setCurrentText(source.sheet or source.name)
        self.sheet_combo.setEnabled(len(source.sheets) > 1)
        self.order_combo.setCurrentIndex(0 if options.day_first else 1)
        self.zone_combo.setCurrentIndex(max(self.zone_combo.findData(options.zone or ""), 0))
        rows = f"about {source.rows_estimate:,} rows" if source.rows_estimate else "rows"
        remembered = (
            " The columns are set as you chose last time for a file like this one."
            if known
            else " Check which field each column fills."
        )
        self.file_label.setText(
            f"<b>{source.name}</b>: {source.describe()}, {len(source.header)} columns, "
            f"{rows}.{remembered}"
        )
        self._mapping_changed()
        self.pages.setCurrentIndex(1)
        self.inspected.emit()

    @Slot(int)
    def _sheet_chosen(self, _index: int) -> None:
        if self.source is not None and self.source.format == "xlsx":
            self.load_file(self.source.path, sheet=self.sheet_combo.currentText())

    # --- step 2: the mapping ---------------------------------------------------------------

    def options(self) -> ImportOptions:
        assert self.mapping_model is not None
        zone = self.zone_combo.currentData() or None
        return ImportOptions(
            mapping=self.mapping_model.mapping,
            day_first=bool(self.order_combo.currentData()),
            zone=zone,
        )

    def set_target(self, column: int, target: str | None) -> bool:
        """Choose what file column ``column`` fills (None: not imported)."""
        assert self.mapping_model is not None
        return self.mapping_model.setData(self.mapping_model.index(column, 2), target or "")

    @Slot()
    def _mapping_changed(self) -> None:
        if self.mapping_model is None:
            return
        used = {t for t in self.mapping_model.mapping if t}
        labels = dict(TARGETS[self.kind])
        if used:
            text = "Imports: " + ", ".join(labels[t] for t, _ in TARGETS[self.kind] if t in used)
        else:
            text = "No column is imported yet: choose what each column fills."
        self.mapping_hint.setText(text + ".")

    # --- step 3: the report ----------------------------------------------------------------

    @Slot()
    def check(self) -> None:
        """Remember the mapping, then read and check every row off the GUI thread."""
        if self.source is None or self.mapping_model is None:
            return
        self._say(None)
        source, options, kind = self.source, self.options(), self.kind
        store = self.ctx.store
        Op(
            self.ctx.ops, lambda _p: remember(store, kind, source.header, options), pool=Pool.DB
        ).failure(
            lambda _error: None  # a mapping not remembered is no reason to stop the import
        ).run()
        actor = self.ctx.workspace.actor
        now = self.ctx.workspace.clock()
        drift = self.ctx.workspace.drift_days
        self.plan = None
        self.rows_model.set_plan(None)
        self.details.clear()
        self.import_button.setEnabled(False)
        self.summary.setText("Checking every row…")
        self.progress_bar.setRange(0, 0)
        self.progress_box.show()
        self.cancel_button.setEnabled(True)
        self.pages.setCurrentIndex(2)

        def work(progress: Progress) -> ImportPlan | None:
            try:
                return plan_import(
                    store,
                    actor,
                    kind,
                    source,
                    options,
                    progress=progress,
                    now=now,
                    drift_days=drift,
                )
            except Cancelled:
                return None  # Op treats a cancel as silent; this dialog says so

        self._op = (
            Op(self.ctx.ops, work, pool=Pool.NET)
            .on_progress(self._progressed)
            .success(self._planned)
            .failure(self._not_planned)
            .run()
        )

    def _progressed(self, report: ProgressReport) -> None:
        if report.bytes_total:
            self.progress_bar.setRange(0, 1000)
            self.progress_bar.setValue(int(1000 * report.bytes_done / max(report.bytes_total, 1)))
        elif report.total:
            self.progress_bar.setRange(0, report.total)
            self.progress_bar.setValue(min(report.done, report.total))
        self.progress_label.setText(f"{report.phase}: {report.done:,} rows")

    @Slot()
    def cancel_check(self) -> None:
        if self._op is not None:
            self._op.progress.cancel()
            self.cancel_button.setEnabled(False)

    def _not_planned(self, error: BaseException) -> None:
        self.progress_box.hide()
        if isinstance(error, SpreadsheetError | ImportRefused):
            self.summary.setText("Nothing can be imported.")
            self._say(str(error))
            if isinstance(error, ImportRefused):
                self.pages.setCurrentIndex(1)
        else:
            self.summary.setText("Nothing can be imported.")
            self._say(user_message(error))
        self.planned.emit()

    def _planned(self, plan: ImportPlan | None) -> None:
        self.progress_box.hide()
        if plan is None:
            self.summary.setText("Cancelled: nothing was imported.")
            self.planned.emit()
            return
        self.plan = plan
        self._show_plan()
        self.planned.emit()

    def _show_plan(self) -> None:
        plan = self.plan
        if plan is None:
            return
        self.rows_model.set_plan(plan)
        self.summary.setText(f"<b>{plan.summary()}</b><br>{plan.verdict()}")
        self.import_button.setEnabled(plan.can_import)
        self.import_button.setText(
            f"Import {len(plan.edits):,} {plan.what}" if plan.can_import else "Import"
        )
        if plan.refused:
            self.filter_combo.setCurrentText("Refused")
        if self.rows_model.rowCount():
            self.rows_view.selectRow(0)

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        result = self.rows_model.result(current.row())
        plan = self.plan
        if result is None or plan is None:
            self.details.clear()
            return
        lines = list(row_lines(result))
        if result.action == "create" and 0 <= result.edit < len(plan.edits):
            fields = plan.edits[result.edit].fields
            lines += [
                f"    {name.replace('_', ' ')}: {short(value)}"
                for name, value in fields.items()
                if value not in (None, [], {}, "")
            ]
        self.details.setPlainText("\n".join(lines))

    # --- importing -------------------------------------------------------------------------------

    @Slot()
    def import_now(self) -> None:
        """All rows or none, as one edit (one undo step), on the database thread."""
        plan = self.plan
        if plan is None or not plan.can_import:
            return
        self.import_button.setEnabled(False)
        self.summary.setText(f"Importing {len(plan.edits):,} {plan.what}…")
        ws = self.ctx.workspace
        Op(self.ctx.ops, lambda progress: commit(ws, plan, progress), pool=Pool.DB).with_progress(
            f"Importing {len(plan.edits):,} {plan.what}", self
        ).success(self._imported).failure(self._not_imported).on_cancel(
            self._import_cancelled
        ).run()

    def _import_cancelled(self) -> None:
        self._say("Import cancelled: nothing was imported. Import again when you are ready.")
        self._show_plan()

    def _imported(self, changes: ChangeSet) -> None:
        count = len(changes.changes)
        self.ctx.signals.status.emit(
            f"Imported {count:,} {self.plan.what if self.plan else 'records'}; "
            "Edit > Undo takes the whole import back."
        )
        self.imported.emit(changes)
        self.accept()

    def _not_imported(self, error: BaseException) -> None:
        if isinstance(error, EditRefused | ImportRefused):
            self._say(f"Nothing was imported: {error}")
            self._show_plan()
        else:
            self._say(f"Nothing was imported: {user_message(error)}")
            self.import_button.setEnabled(bool(self.plan and self.plan.can_import))
        self.planned.emit()
