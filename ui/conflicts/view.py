"""Conflicts and failed changes, side by side, for the lead to decide.

A conflict shows each clashing field as it was before both edits (base), as edited here (mine)
and centrally (theirs); per field the lead keeps mine, takes theirs or types a new value, or
does the same for every field at once. A record deleted on one side and edited on the other is
kept or deleted as a whole. A change the server refused shows its reason; the lead fixes the
fields and resubmits it, or dismisses it. All writes go through ``desktop.services.conflicts``
on the database thread.
"""

from __future__ import annotations

import json
from typing import Any, Final

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop.progress import Progress
from desktop.queries.conflicts import TYPE_WORDS, ConflictRow
from desktop.rules._text import field_label
from ui.conflicts.model import KIND_ROLE, SUMMARY_ROLE, ConflictListModel
from ui.operations import Op, Pool, alive, user_message

Index = QModelIndex | QPersistentModelIndex
SHOWN_TYPES: Final = frozenset({"conflict"})


class ValueError_(ValueError):  # noqa: N801, N818 - a plain message for one field
    pass


def format_value(value: Any) -> str:
    """A field's value as the lead reads it."""
    if value is None or value in ("", [], {}):
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        parts = [
            f"{field_label(k)}: {format_value(v)}"
            for k, v in value.items()
            if v not in (None, [], "")
        ]
        return "; ".join(parts) or "(empty)"
    return json.dumps(value, ensure_ascii=False)


def editor_text(value: Any) -> str:
    """A value as editable text: plain for text, JSON for lists and objects."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def parse_value(text: str, like: Any, name: str) -> Any:
    """The typed value of ``text``, shaped like ``like`` (the field's current value)."""
    label = field_label(name)
    text = text.strip()
    if isinstance(like, bool):
        if text.lower() in ("yes", "true", "1"):
            return True
        if text.lower() in ("no", "false", "0"):
            return False
        raise ValueError_(f"{label.capitalize()}: write yes or no.")
    if isinstance(like, int):
        try:
            return int(text)
        except ValueError:
            raise ValueError_(f"{label.capitalize()}: write a whole number.") from None
    if isinstance(like, list | dict):
        if not text:
            return [] if isinstance(like, list) else {}
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            if isinstance(like, list):  # a plain comma-separated list is fine too
                return [part.strip() for part in text.split(",") if part.strip()]
            raise ValueError_(
                f"{label.capitalize()}: keep the braces and quotes as shown, e.g. "
                f"{editor_text(like)[:60]}"
            ) from None
        if not isinstance(value, type(like)):
            kind = "a list" if isinstance(like, list) else "an object in braces"
            raise ValueError_(f"{label.capitalize()}: write {kind}.")
        return value
    return text or None


class _RowDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width(), 54)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        rect = option.rect
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, QColor("#e4ecfd"))
        kind = index.data(KIND_ROLE)
        bar = QColor("#d98b00") if kind == "conflict" else QColor("#c9302c")
        painter.fillRect(QRect(rect.left() + 2, rect.top() + 8, 4, rect.height() - 16), bar)
        title_font = QFont(option.font)
        title_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(QColor("#1d2636"))
        text_rect = QRect(rect.left() + 14, rect.top() + 6, rect.width() - 24, 20)
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignVCenter,
            painter.fontMetrics().elidedText(
                str(index.data()), Qt.TextElideMode.ElideRight, text_rect.width()
            ),
        )
        painter.setFont(option.font)
        painter.setPen(QColor("#5b6678"))
        painter.drawText(
            text_rect.translated(0, 21),
            Qt.AlignmentFlag.AlignVCenter,
            str(index.data(SUMMARY_ROLE)),
        )
        painter.restore()


def _label(text: str, name: str = "panelText", *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ConflictPanel(QFrame):
    """One conflict: base, mine and theirs per field, and the choice per field."""

    resolve_requested = Signal(object)  # desktop.services.conflicts.Resolution
    open_requested = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("panel")
        self.row: ConflictRow | None = None
        self.choices: dict[str, tuple[QButtonGroup, QLineEdit]] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(18, 16, 18, 16)
        self.title = _label("", "panelTitle")
        self.summary = _label("")
        self.open_button = QPushButton("Open it")
        self.open_button.clicked.connect(self._open)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        self._layout.addLayout(head)
        self._layout.addWidget(self.summary)
        self.body = QWidget()
        self.grid = QGridLayout(self.body)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(8)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        self._layout.addWidget(scroll, 1)
        self.error = _label("", "formError")
        self.error.hide()
        self._layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.all_mine = QPushButton("Keep all mine")
        self.all_theirs = QPushButton("Take all theirs")
        self.resolve = QPushButton("Resolve")
        self.resolve.setObjectName("primary")
        self.keep_record = QPushButton()
        self.delete_record = QPushButton()
        for button in (self.all_mine, self.all_theirs):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.keep_record, self.delete_record, self.resolve):
            buttons.addWidget(button)
        self._layout.addLayout(buttons)
        self.all_mine.clicked.connect(lambda: self.choose_all("mine"))
        self.all_theirs.clicked.connect(lambda: self.choose_all("theirs"))
        self.resolve.clicked.connect(self.submit)
        self.keep_record.clicked.connect(lambda: self._whole("keep"))
        self.delete_record.clicked.connect(lambda: self._whole("delete"))

    def _clear_grid(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)  # detach now: findChild must not see the old rows
                widget.deleteLater()
        self.choices.clear()

    def set_row(self, row: ConflictRow) -> None:
        self.row = row
        self.error.hide()
        self._clear_grid()
        what = TYPE_WORDS.get(row.record_type, row.record_type)
        self.title.setText(row.title)
        whole = row.server_deleted or row.mine_deleted
        for button in (self.all_mine, self.all_theirs, self.resolve):
            button.setVisible(not whole)
        self.keep_record.setVisible(whole)
        self.delete_record.setVisible(whole)
        if row.server_deleted:
            self.summary.setText(
                f"This {what.lower()} was deleted centrally while you edited it here. Keep it "
                "with your edits (it comes back for everyone), or let it go."
            )
            self.keep_record.setText("Keep it, with my edits")
            self.delete_record.setText("Delete it")
        elif row.mine_deleted:
            self.summary.setText(
                f"You deleted this {what.lower()} here while it was edited centrally. Delete "
                "it anyway, or keep it with the central edits."
            )
            self.keep_record.setText("Keep it, with the central edits")
            self.delete_record.setText("Delete it anyway")
        else:
            self.summary.setText(
                f"This {what.lower()} was changed here and centrally. For each field, keep "
                "yours, take the central one, or write the value to keep."
            )
        heads = ("Field", "Before both edits", "Mine (this computer)", "Theirs (central)", "Keep")
        for col, text in enumerate(heads):
            self.grid.addWidget(_label(text, "columnHead", wrap=False), 0, col)
        r = 1
        for name, given in row.fields.items():
            sides = given or {}
            self.grid.addWidget(_label(field_label(name).capitalize(), "columnHead"), r, 0)
            for col, (side, style) in enumerate(
                (("base", "valueBase"), ("mine", "valueMine"), ("theirs", "valueTheirs")), start=1
            ):
                value = _label(format_value(sides.get(side)), style)
                value.setMinimumWidth(120)
                self.grid.addWidget(value, r, col)
            if not whole:
                self._add_choice(name, sides, r)
            r += 2
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 1)
        self.grid.setColumnStretch(3, 1)
        self.grid.setRowStretch(r, 1)

    def _add_choice(self, name: str, sides: dict[str, Any], r: int) -> None:
        box = QWidget()
        line = QVBoxLayout(box)
        line.setContentsMargins(0, 0, 0, 0)
        group = QButtonGroup(box)
        for n, text in enumerate(("Mine", "Theirs", "Edit")):
            radio = QRadioButton(text)
            radio.setObjectName(f"choice_{name}_{text.lower()}")
            group.addButton(radio, n)
            line.addWidget(radio)
        group.button(0).setChecked(True)
        editor = QLineEdit(editor_text(sides.get("mine")))
        editor.setObjectName(f"edit_{name}")
        editor.setEnabled(False)
        editor.setPlaceholderText(f"The {field_label(name)} to keep")
        group.idToggled.connect(lambda n, on, e=editor: e.setEnabled(on) if n == 2 else None)
        self.grid.addWidget(box, r, 4)
        self.grid.addWidget(editor, r + 1, 1, 1, 3)
        editor.hide()
        group.idToggled.connect(lambda n, on, e=editor: e.setVisible(on) if n == 2 else None)
        self.choices[name] = (group, editor)

    def choose_all(self, side: str) -> None:
        for group, _editor in self.choices.values():
            group.button(0 if side == "mine" else 1).setChecked(True)

    def choose(self, name: str, side: str, value: str | None = None) -> None:
        group, editor = self.choices[name]
        group.button({"mine": 0, "theirs": 1, "edit": 2}[side]).setChecked(True)
        if value is not None:
            editor.setText(value)

    def resolution(self) -> Any:
        from desktop.services.conflicts import Resolution

        assert self.row is not None
        fields: dict[str, Any] = {}
        edited: dict[str, Any] = {}
        for name, (group, editor) in self.choices.items():
            choice = group.checkedId()
            if choice == 2:
                sides = self.row.fields.get(name) or {}
                like = sides.get("mine") if sides.get("mine") is not None else sides.get("theirs")
                edited[name] = parse_value(editor.text(), like, name)
            else:
                fields[name] = "mine" if choice == 0 else "theirs"
        return Resolution(fields=fields, edited=edited)

    def submit(self) -> None:
        try:
            resolution = self.resolution()
        except ValueError_ as exc:
            self.show_error(str(exc))
            return
        self.error.hide()
        self.resolve_requested.emit(resolution)

    def _whole(self, which: str) -> None:
        from desktop.services.conflicts import Resolution

        assert self.row is not None
        # "mine" keeps this computer's intent: its delete, or its edit of a centrally deleted one.
        if self.row.server_deleted:
            side = "mine" if which == "keep" else "theirs"
        else:
            side = "mine" if which == "delete" else "theirs"
        self.resolve_requested.emit(Resolution(record=side))  # type: ignore[arg-type]

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _open(self) -> None:
        if self.row is not None:
            self.open_requested.emit(self.row.record_type, self.row.record_id)


class FailedPanel(QFrame):
    """A change the server refused: its reason, the fields to fix, resubmit or dismiss."""

    resubmit_requested = Signal(object)  # dict of fixed fields
    dismiss_requested = Signal()
    open_requested = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("panel")
        self.row: ConflictRow | None = None
        self.editors: dict[str, QLineEdit] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        self.title = _label("", "panelTitle")
        self.open_button = QPushButton("Open it")
        self.open_button.clicked.connect(self._open)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)
        self.reason = _label("", "reason")
        layout.addWidget(self.reason)
        self.hint = _label("")
        layout.addWidget(self.hint)
        self.body = QWidget()
        self.form = QGridLayout(self.body)
        self.form.setVerticalSpacing(8)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        layout.addWidget(scroll, 1)
        self.error = _label("", "formError")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.dismiss = QPushButton("Dismiss")
        self.dismiss.setToolTip("Forget this change; the record stays as the server has it")
        self.resubmit = QPushButton("Resubmit")
        self.resubmit.setObjectName("primary")
        buttons.addWidget(self.dismiss)
        buttons.addStretch(1)
        buttons.addWidget(self.resubmit)
        layout.addLayout(buttons)
        self.dismiss.clicked.connect(self.dismiss_requested)
        self.resubmit.clicked.connect(self.submit)

    def set_row(self, row: ConflictRow) -> None:
        self.row = row
        self.error.hide()
        while self.form.count():
            item = self.form.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.editors.clear()
        what = TYPE_WORDS.get(row.record_type, row.record_type).lower()
        self.title.setText(row.title)
        self.reason.setText(f"The server refused this {what}: {row.message}")
        self.open_button.setVisible(not row.created)
        if row.deleted:
            self.hint.setText(
                "You deleted it here. Resubmit the delete once the reason is settled, or dismiss "
                "it to keep the record."
            )
            self.resubmit.setText("Resubmit the delete")
            return
        self.resubmit.setText("Resubmit")
        self.hint.setText(
            "Fix what the reason names, then resubmit: it is checked here first and sent with "
            "the next sync. Dismiss forgets the change."
        )
        culprit = str(row.details.get("field") or "").split(".")[0]
        for r, (name, value) in enumerate(sorted(row.fields.items())):
            label = _label(field_label(name).capitalize(), "columnHead")
            editor = QLineEdit(editor_text(value))
            editor.setObjectName(f"fix_{name}")
            if name == culprit:
                editor.setStyleSheet("border: 1px solid #c9302c;")
            self.editors[name] = editor
            self.form.addWidget(label, r, 0)
            self.form.addWidget(editor, r, 1)
        self.form.setColumnStretch(1, 1)
        self.form.setRowStretch(len(row.fields), 1)

    def fields(self) -> dict[str, Any]:
        assert self.row is not None
        fixed: dict[str, Any] = {}
        for name, editor in self.editors.items():
            original = self.row.fields.get(name)
            if editor.text() == editor_text(original):
                continue
            fixed[name] = parse_value(editor.text(), original, name)
        return fixed

    def submit(self) -> None:
        try:
            fixed = self.fields()
        except ValueError_ as exc:
            self.show_error(str(exc))
            return
        self.error.hide()
        self.resubmit_requested.emit(fixed)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _open(self) -> None:
        if self.row is not None:
            self.open_requested.emit(self.row.record_type, self.row.record_id)


class ConflictsView(QWidget):
    open_record = Signal(str, str)
    loaded = Signal()

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        header = QWidget()
        header.setObjectName("viewHeader")
        head = QVBoxLayout(header)
        head.setContentsMargins(24, 16, 24, 8)
        title = QLabel("Conflicts")
        title.setObjectName("viewTitle")
        self.subtitle = QLabel("Loading…")
        self.subtitle.setObjectName("viewSubtitle")
        head.addWidget(title)
        head.addWidget(self.subtitle)
        outer.addWidget(header)

        self.model = ConflictListModel(self)
        self.list = QListView()
        self.list.setObjectName("conflictList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(_RowDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.selectionModel().currentChanged.connect(self._current_changed)

        self.conflict_panel = ConflictPanel()
        self.failed_panel = FailedPanel()
        self.empty = QWidget()
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addStretch(1)
        empty_title = QLabel("Nothing to decide")
        empty_title.setObjectName("emptyTitle")
        empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty_text = QLabel(
            "When an edit made here clashes with one made centrally, or the server refuses a "
            "change, it waits here for you with both sides shown. Until then, there is nothing "
            "to do."
        )
        empty_text.setObjectName("emptyText")
        empty_text.setWordWrap(True)
        empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty_layout.addWidget(empty_title)
        empty_layout.addWidget(empty_text)
        empty_layout.addStretch(2)
        self.stack = QStackedWidget()
        for widget in (self.empty, self.conflict_panel, self.failed_panel):
            self.stack.addWidget(widget)

        splitter = QSplitter()
        splitter.setObjectName("conflictsSplitter")
        splitter.addWidget(self.list)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 800])
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(24, 8, 24, 24)
        body_layout.addWidget(splitter)
        outer.addWidget(body, 1)

        self.conflict_panel.resolve_requested.connect(self._resolve)
        self.failed_panel.resubmit_requested.connect(self._resubmit)
        self.failed_panel.dismiss_requested.connect(self._dismiss)
        self.conflict_panel.open_requested.connect(self.open_record)
        self.failed_panel.open_requested.connect(self.open_record)
        self._refresh_soon = QTimer(self)
        self._refresh_soon.setSingleShot(True)
        self._refresh_soon.setInterval(150)
        self._refresh_soon.timeout.connect(self.refresh)
        ctx.signals.changed.connect(self._on_changed)
        self._want: tuple[str, int] | tuple[str, str] | None = None
        self.refresh()

    # --- loading ----------------------------------------------------------------------------

    def _on_changed(self, types: frozenset[str]) -> None:
        if types & SHOWN_TYPES:
            self._refresh_soon.start()

    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        store = self.ctx.store

        def job(_progress: Progress) -> list[ConflictRow]:
            from desktop.queries.conflicts import conflict_rows

            with store.read() as session:
                return conflict_rows(session)

        def done(rows: list[ConflictRow]) -> None:
            if alive(self) and generation == self._generation:
                self._apply(rows)

        def failed(error: BaseException) -> None:
            if alive(self):
                self.subtitle.setText(f"Could not read them: {user_message(error)}")

        Op(self.ctx.ops, job, pool=Pool.DB).success(done).failure(failed).run()

    def _apply(self, rows: list[ConflictRow]) -> None:
        current = self.current_row()
        keep = current.key if current is not None else None
        self.model.set_rows(rows)
        conflicts = sum(1 for r in rows if r.kind == "conflict")
        failed = len(rows) - conflicts
        if rows:
            self.subtitle.setText(
                f"{conflicts} conflict{'s' if conflicts != 1 else ''} and {failed} refused "
                f"change{'s' if failed != 1 else ''} wait for you."
            )
        else:
            self.subtitle.setText("Nothing waits for you.")
        row = -1
        if self._want is not None:
            row = self._find_wanted()
            self._want = None
        if row < 0 and keep is not None:
            row = self.model.find(keep)
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))  # shows it (currentChanged)
            if self.stack.currentWidget() is self.empty:
                self._show(self.model.row(row))
        else:
            self.stack.setCurrentWidget(self.empty)
        self.loaded.emit()

    def _find_wanted(self) -> int:
        want = self._want
        for n, row in enumerate(self.model.rows()):
            if want == row.key or (want is not None and want[1] == row.record_id):
                return n
        return -1

    def current_row(self) -> ConflictRow | None:
        index = self.list.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row(index.row())

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._show(self.model.row(current.row()))

    def _show(self, row: ConflictRow) -> None:
        if row.kind == "conflict":
            self.conflict_panel.set_row(row)
            self.stack.setCurrentWidget(self.conflict_panel)
        else:
            self.failed_panel.set_row(row)
            self.stack.setCurrentWidget(self.failed_panel)

    def show_record(self, record_type: str, record_id: str) -> None:
        if record_type == "conflict":
            self._want = ("conflict", int(record_id))
        elif record_type == "failed_change":
            self._want = ("failed", int(record_id))
        else:
            self._want = (record_type, record_id)
        row = self._find_wanted()
        if row >= 0:
            self._want = None
            self.list.setCurrentIndex(self.model.index(row))

    # --- decisions --------------------------------------------------------------------------

    def _run(self, job: Any, panel: Any, done_text: str) -> None:
        def done(_result: Any) -> None:
            self.ctx.signals.changed.emit(frozenset({"conflict"}))
            self.ctx.signals.status.emit(done_text)

        def failed(error: BaseException) -> None:
            if alive(panel):
                panel.show_error(user_message(error))

        Op(self.ctx.ops, job, pool=Pool.DB).success(done).failure(failed).run()

    def _resolve(self, resolution: Any) -> None:
        row = self.conflict_panel.row
        if row is None:
            return
        ws = self.ctx.workspace

        def job(_progress: Progress) -> Any:
            from desktop.services.conflicts import resolve_conflict

            return resolve_conflict(ws, conflict_id=row.id, resolution=resolution)

        self._run(
            job, self.conflict_panel, "Conflict resolved; your choice goes out with the next sync."
        )

    def _resubmit(self, fields: dict[str, Any]) -> None:
        row = self.failed_panel.row
        if row is None:
            return
        ws = self.ctx.workspace

        def job(_progress: Progress) -> Any:
            from desktop.services.conflicts import resubmit_failed

            return resubmit_failed(ws, failed_id=row.id, fields=fields)

        self._run(job, self.failed_panel, "Resubmitted; it goes out with the next sync.")

    def _dismiss(self) -> None:
        row = self.failed_panel.row
        if row is None:
            return
        ws = self.ctx.workspace

        def job(_progress: Progress) -> None:
            from desktop.services.conflicts import dismiss_failed

            dismiss_failed(ws, failed_id=row.id)

        self._run(job, self.failed_panel, "Dismissed; the record stays as the server has it.")

    def focus_search(self) -> None:
        self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
