"""The Requests screen: the lead's amplification requests by status, each with its live SLA timer
(on the server's clock), decision and note; new, edit draft, submit and withdraw.

Status, SLA and decision come back by sync: the view re-reads when the app's ``changed`` signal
names requests. Requests are few (hundreds), so reads are one query on the GUI thread; writes
run on the database pool.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QItemSelection, QModelIndex, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from desktop.domain.values import parse_time, utcnow
from desktop.progress import Progress
from desktop.queries import calendar as calendar_queries
from desktop.queries import requests as queries
from desktop.queries.requests import GROUP_LABELS, STATUS_LABELS, RequestRow
from desktop.rules.requests import CHECKLIST_LABELS
from desktop.services import requests as request_service
from desktop.services.changes import ChangeSet
from ui.calendar.models import day_label
from ui.calendar.view import SEGMENT_STYLE
from ui.calendar.widgets import EmptyState, MessageBar
from ui.context import AppContext
from ui.operations import Op, Pool, user_message
from ui.requests.form import SUBMITTED_TEXT, RequestForm
from ui.requests.models import (
    REQUEST_ID_ROLE,
    SLA_COLUMN,
    STATUS_COLOURS,
    RequestsModel,
    money,
)

REQUEST_TYPES: Final = frozenset({"amplification_request", "calendar_entry", "asset", "market"})
_TONE_STYLE: Final = {
    "breached": "color: #b3261e; font-weight: 700;",
    "soon": "color: #8a5a00; font-weight: 700;",
    "ok": "color: #1b2330; font-weight: 600;",
    "queued": "color: #5b6472; font-style: italic;",
    "none": "color: #5b6472;",
}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class RequestsView(QWidget):
    """The lead's amplification requests, grouped by status."""

    open_record = Signal(str, str)
    refreshed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._clock = clock or utcnow
        with ctx.store.read() as session:
            who = calendar_queries.lead_scope(session)
            self.market_info = calendar_queries.markets(session)
        self.markets: tuple[str, ...] = who.markets
        self.clock_offset_seconds = who.clock_offset_seconds
        self.group: str | None = None
        self._dialogs: list[QWidget] = []
        self.confirm_box: QMessageBox | None = None
        self._withdraw_target: tuple[str, Any] | None = None
        self._build()
        ctx.signals.changed.connect(self._on_changed)
        self.timer = QTimer(self, interval=1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.refresh()

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel("Amplification requests")
        title.setObjectName("viewTitle")
        self.new_button = QPushButton("&New request…")
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip("Ask the paid team to boost one of your organic posts")
        self.new_button.clicked.connect(self.new_request)
        self.new_button.setEnabled(bool(self.markets))
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.new_button)

        self.group_buttons: dict[str | None, QToolButton] = {}
        self._group_choice = QButtonGroup(self)
        groups = QHBoxLayout()
        for key in (None, *GROUP_LABELS):
            button = QToolButton()
            button.setProperty("segment", True)
            button.setStyleSheet(SEGMENT_STYLE)
            button.setCheckable(True)
            button.setChecked(key is None)
            button.setProperty("group", key or "")
            button.clicked.connect(self._group_clicked)
            self._group_choice.addButton(button)
            self.group_buttons[key] = button
            groups.addWidget(button)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("search")
        self.search_box.setPlaceholderText("Search posts, calls to action and audiences")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search requests")
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self.refresh)
        self.search_box.textChanged.connect(self._typed)
        groups.addSpacing(12)
        groups.addWidget(self.search_box, 1)

        self.message_bar = MessageBar()

        self.model = RequestsModel(
            self._fetch, now=self._clock(), clock_offset_seconds=self.clock_offset_seconds
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(SLA_COLUMN, 190)
        self.table.setColumnWidth(SLA_COLUMN + 1, 170)
        fit = QHeaderView.ResizeMode.ResizeToContents
        for column, mode in ((0, fit), (1, QHeaderView.ResizeMode.Stretch), (2, fit), (3, fit)):
            header.setSectionResizeMode(column, mode)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(self._index_opened)
        self.table.doubleClicked.connect(self._index_opened)

        self.empty_state = EmptyState()
        self.empty_state.action.connect(self._empty_action)
        stage = QWidget()
        stage_layout = QGridLayout(stage)
        stage_layout.setContentsMargins(0, 0, 0, 0)
        stage_layout.addWidget(self.table, 0, 0)
        stage_layout.addWidget(self.empty_state, 0, 0, Qt.AlignmentFlag.AlignCenter)

        self.detail = self._build_detail()
        splitter = QSplitter()
        splitter.addWidget(stage)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1000, 380])
        self.detail.setMinimumWidth(320)

        layout = QVBoxLayout(self)
        # Counts and the detail change while it shows; they never resize a top-level window.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addLayout(groups)
        layout.addWidget(self.message_bar)
        layout.addWidget(splitter, 1)

    def _build_detail(self) -> QWidget:
        panel = QFrame()
        panel.setObjectName("requestDetail")
        panel.setStyleSheet("#requestDetail { background: white; border: 1px solid #d5d9e0; }")
        self.detail_title = QLabel()
        self.detail_title.setWordWrap(True)
        self.detail_title.setObjectName("detailTitle")
        self.detail_title.setStyleSheet("#detailTitle { font-size: 12pt; font-weight: 600; }")
        self.detail_status = QLabel()
        self.sla_label = QLabel()
        self.sla_label.setObjectName("slaLabel")
        self.sla_label.setWordWrap(True)
        self.detail_body = QLabel()
        self.detail_body.setWordWrap(True)
        self.detail_body.setTextFormat(Qt.TextFormat.RichText)
        self.detail_body.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail_body.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.detail_body.linkActivated.connect(self._detail_link)
        self.open_post_button = QPushButton("Show the &post")
        self.edit_button = QPushButton("&Edit draft…")
        self.submit_button = QPushButton("&Submit")
        self.withdraw_button = QPushButton("&Withdraw…")
        self.open_post_button.clicked.connect(self._open_post)
        self.edit_button.clicked.connect(self.open_selected)
        self.submit_button.clicked.connect(self.submit_selected)
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        buttons = QHBoxLayout()
        for button in (
            self.open_post_button,
            self.edit_button,
            self.submit_button,
            self.withdraw_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        heading = QHBoxLayout()
        heading.addWidget(self.detail_title, 1)
        heading.addWidget(self.detail_status, 0, Qt.AlignmentFlag.AlignTop)
        inner_layout.addLayout(heading)
        inner_layout.addWidget(self.sla_label)
        inner_layout.addWidget(self.detail_body, 1)
        inner_layout.addLayout(buttons)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        return panel

    # --- reading ----------------------------------------------------------------------------

    def _fetch(self, ids: Sequence[str]) -> dict[str, RequestRow]:
        with self.ctx.store.read() as session:
            return queries.request_rows(session, ids)

    def refresh(self) -> None:
        """Re-read the list (keeping the selection) and the counts."""
        selected = self.selected_id()
        with self.ctx.store.read() as session:
            # A sync may have changed the lead's markets or the server's clock offset.
            who = calendar_queries.lead_scope(session)
            self.markets = who.markets
            self.model.clock_offset_seconds = who.clock_offset_seconds
            ids = queries.request_ids(
                session, markets=self.markets, group=self.group, typed=self.search_box.text()
            )
            counts = queries.group_counts(session, markets=self.markets)
        self.new_button.setEnabled(bool(self.markets))
        self.clock_offset_seconds = self.model.clock_offset_seconds
        self.model.set_ids(ids)
        total = sum(counts.values())
        for key, button in self.group_buttons.items():
            if key is None:
                button.setText(f"All ({total})")
            else:
                button.setText(f"{GROUP_LABELS[key]} ({counts[key]})")
        row = self.model.row_of(selected) if selected else -1
        if row < 0 and ids:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        self._show_detail(self.selected_row())
        self._update_empty_state(total)
        self.refreshed.emit()

    def _update_empty_state(self, total: int) -> None:
        if self.model.rowCount():
            self.empty_state.hide()
            return
        if not self.markets:
            text = "Sign in as a section lead to see your markets' boost requests."
        elif total == 0:
            text = (
                "No boost requests yet — pick an organic post in the Calendar and choose "
                "<i>Request a boost</i>, or <a href='new'>start a new request</a>."
            )
        else:
            what = GROUP_LABELS.get(self.group or "", "requests").lower()
            text = f"No {what} match — <a href='all'>show all requests</a>."
        self.empty_state.setText(text)
        self.empty_state.show()
        self.empty_state.raise_()

    # Slots are bound methods, never lambdas holding ``self`` (see the request form).
    @Slot()
    def _group_clicked(self) -> None:
        button = self.sender()
        if button is not None:
            self.set_group(str(button.property("group")) or None)

    @Slot(str)
    def _typed(self, _text: str) -> None:
        self._search_timer.start()

    @Slot(QModelIndex)
    def _index_opened(self, _index: QModelIndex) -> None:
        self.open_selected()

    @Slot(QObject)
    def _dialog_destroyed(self, widget: QObject | None = None) -> None:
        self._dialogs = [d for d in self._dialogs if d is not widget and Shiboken.isValid(d)]

    @Slot(str)
    def _empty_action(self, href: str) -> None:
        if href == "new":
            self.new_request()
        else:
            self.search_box.clear()
            self.set_group(None)

    @Slot(object)
    def _on_changed(self, types: Any) -> None:
        if isinstance(types, frozenset | set) and set(types) & REQUEST_TYPES:
            self.refresh()

    def set_group(self, group: str | None) -> None:
        self.group = group
        self.group_buttons[group].setChecked(True)
        self.refresh()

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    # --- the selection ----------------------------------------------------------------------

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = rows[0].data(REQUEST_ID_ROLE)
        return str(value) if value else None

    def selected_row(self) -> RequestRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.request(rows[0].row()) if rows else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_detail(self.selected_row())

    def show_record(self, record_type: str, record_id: str) -> None:
        """Select a request (or the first request of a post), clearing filters if needed."""
        target = record_id
        if record_type == "calendar_entry":
            with self.ctx.store.read() as session:
                ids = queries.request_ids(session, markets=self.markets)
                rows = queries.request_rows(session, ids)
            found = next((i for i in ids if rows[i].entry_id == record_id), None)
            if found is None:
                self.message_bar.show_message(
                    "No boost request for that post yet; choose New request to ask for one.",
                    "info",
                )
                return
            target = found
        elif record_type != "amplification_request":
            return
        if self.model.row_of(target) < 0:
            self.search_box.blockSignals(True)
            self.search_box.clear()
            self.search_box.blockSignals(False)
            self.group = None
            self.group_buttons[None].setChecked(True)
            self.refresh()
        row = self.model.row_of(target)
        if row < 0:
            self.message_bar.show_message(
                "That request is no longer here (a sync may have removed it).", "info"
            )
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    # --- the detail panel -------------------------------------------------------------------

    def _zone(self, market: str) -> tzinfo:
        info = self.market_info.get(market)
        if info is not None and info.timezone:
            try:
                return ZoneInfo(info.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                pass
        return UTC

    def _when(self, value: str | None, zone: tzinfo) -> str:
        if not value:
            return "—"
        moment = parse_time(value).astimezone(zone)
        return f"{day_label(moment.date())} {moment:%H:%M}"

    def _show_detail(self, row: RequestRow | None) -> None:
        widgets = (self.open_post_button, self.edit_button, self.submit_button)
        if row is None:
            self.detail_title.setText("No request selected")
            self.detail_status.setText("")
            self.sla_label.setText("")
            self.detail_body.setText(
                "<span style='color:#5b6472'>Select a request to see its details.</span>"
            )
            for button in (*widgets, self.withdraw_button):
                button.setEnabled(False)
            return
        zone = self._zone(row.market)
        zone_name = getattr(zone, "key", "UTC")
        self.detail_title.setText(row.entry_title or "(a post not in this workspace)")
        colour = STATUS_COLOURS.get(row.status)
        label = STATUS_LABELS.get(row.status, row.status)
        self.detail_status.setText(
            f"<span style='color:white; background:{colour.name() if colour else '#5b6472'};"
            f" padding:2px 8px; border-radius:8px'>&nbsp;{label}&nbsp;</span>"
        )
        self._update_sla(row)
        checklist = "".join(
            f"<div>{'✓' if row.checklist.get(item) is True else '✗'} {text}</div>"
            for item, text in CHECKLIST_LABELS.items()
        )
        lines = [
            ("Market", row.market.upper()),
            ("Budget", _escape(money(row.amount, row.currency))),
            (
                "Priority",
                "Emergency — 1-hour SLA"
                if row.priority == "emergency"
                else "Standard — 3-hour SLA",
            ),
            (
                "Spend window",
                f"{self._when(row.starts_at, zone)} – {self._when(row.ends_at, zone)} "
                f"<span style='color:#5b6472'>({zone_name})</span>",
            ),
            (
                "Creative",
                f"<a href='asset'>{_escape(row.asset_name)}</a>"
                if row.asset_name
                else "(an asset not in this workspace)",
            ),
            ("Call to action", _escape(row.cta or "—")),
            ("Audience", _escape(row.audience or "—")),
            ("Primary KPI", _escape(row.primary_kpi or "—")),
            ("Legal note", _escape(row.legal_note or "—")),
            ("Checklist", checklist),
        ]
        if row.submitted_at:
            lines.append(("Submitted", self._when(row.submitted_at, zone)))
            lines.append(("Decision due", self._when(row.sla_due_at, zone)))
        elif row.status in ("submitted", "escalated"):
            lines.append(("Submitted", "on this computer; it goes to the server on the next sync"))
        if row.status in ("approved", "declined"):
            verdict = "Approved" if row.status == "approved" else "Declined"
            note = f" — “{_escape(row.decision_note)}”" if row.decision_note else ""
            lines.append(("Decision", f"<b>{verdict}</b>{note}"))
            lines.append(("Decided", self._when(row.decided_at, zone)))
        elif row.status == "escalated":
            lines.append(
                (
                    "Decision",
                    "escalated: the budget is above the market's limit, so the conductor decides",
                )
            )
        if row.queued:
            lines.append(("Sync", "changes here wait for the next sync"))
        rows_html = "".join(
            f"<tr><td style='color:#5b6472; padding-right:10px; vertical-align:top'>{name}</td>"
            f"<td style='vertical-align:top'>{value}</td></tr>"
            for name, value in lines
        )
        self.detail_body.setText(f"<table cellspacing='3'>{rows_html}</table>")
        draft = row.status == "draft"
        self.open_post_button.setEnabled(True)
        self.edit_button.setText("&Edit draft…" if draft else "&Open…")
        self.edit_button.setEnabled(True)
        self.submit_button.setVisible(draft)
        self.submit_button.setEnabled(draft)
        self.withdraw_button.setEnabled(row.status in ("draft", "submitted", "escalated"))

    def _update_sla(self, row: RequestRow) -> None:
        state = self.model.sla(row)
        text = f"SLA: {state.text}"
        if state.who:
            text += f" — the {state.who} decides"
        self.sla_label.setText(text)
        self.sla_label.setStyleSheet(
            "#slaLabel { font-size: 12pt; " + _TONE_STYLE.get(state.tone, "") + " }"
        )
        self.sla_label.setProperty("tone", state.tone)

    @Slot()
    def tick(self) -> None:
        """Advance the SLA timers to the clock's now."""
        self.model.tick(self._clock())
        row = self.selected_row()
        if row is not None:
            self._update_sla(row)

    def sla_text(self, request_id: str) -> str:
        row = self.model.row_of(request_id)
        value = self.model.index(row, SLA_COLUMN).data() if row >= 0 else None
        return str(value or "")

    # --- actions ----------------------------------------------------------------------------

    def _keep(self, widget: QWidget) -> None:
        self._dialogs.append(widget)
        widget.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        widget.destroyed.connect(self._dialog_destroyed)

    @property
    def open_dialogs(self) -> list[QWidget]:
        return list(self._dialogs)

    @Slot()
    def new_request(self) -> RequestForm:
        form = RequestForm(self.ctx, parent=self)
        self._open_form(form)
        return form

    @Slot()
    def open_selected(self) -> RequestForm | None:
        request_id = self.selected_id()
        if request_id is None:
            return None
        form = RequestForm(self.ctx, request_id=request_id, parent=self)
        self._open_form(form)
        return form

    def _open_form(self, form: RequestForm) -> None:
        form.open_record.connect(self.open_record)
        form.saved.connect(self._after_save)
        self._keep(form)
        form.open()

    @Slot(str, str)
    def _after_save(self, request_id: str, _text: str = "") -> None:
        self.refresh()
        self.show_record("amplification_request", request_id)

    @Slot()
    def _open_post(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_record.emit("calendar_entry", row.entry_id)

    @Slot(str)
    def _detail_link(self, href: str) -> None:
        row = self.selected_row()
        if row is not None and href == "asset":
            self.open_record.emit("asset", row.asset_id)

    @Slot()
    def submit_selected(self) -> None:
        row = self.selected_row()
        if row is None or row.status != "draft":
            return
        workspace, request_id = self.ctx.workspace, row.id

        def write(progress: Progress) -> ChangeSet:
            return request_service.submit_request(workspace, request_id=request_id)

        def done(_changes: ChangeSet) -> None:
            self.message_bar.show_message(SUBMITTED_TEXT, "success")

        def refused(error: BaseException) -> None:
            self.message_bar.show_message(user_message(error), "error")

        Op(self.ctx.ops, write, pool=Pool.DB).success(done).failure(refused).run()

    @Slot()
    def withdraw_selected(self) -> None:
        row = self.selected_row()
        if row is None or row.status not in ("draft", "submitted", "escalated"):
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Withdraw request")
        box.setText(f"Withdraw the boost request for “{row.entry_title or 'this post'}”?")
        box.setInformativeText(
            "A withdrawn request cannot be submitted again; you would start a new one."
        )
        withdraw = box.addButton("Withdraw", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(withdraw)
        self._withdraw_target = (row.id, withdraw)
        box.finished.connect(self._confirm_finished)
        self.confirm_box = box
        box.open()

    @Slot(int)
    def _confirm_finished(self, _result: int) -> None:
        box, target = self.confirm_box, self._withdraw_target
        self._withdraw_target = None
        if box is None or target is None:
            return
        request_id, withdraw = target
        if box.clickedButton() is withdraw:
            self._withdraw(request_id)

    def _withdraw(self, request_id: str) -> None:
        workspace = self.ctx.workspace

        def write(progress: Progress) -> ChangeSet:
            return request_service.withdraw_request(workspace, request_id=request_id)

        def done(_changes: ChangeSet) -> None:
            self.message_bar.show_message(
                "Withdrawn. The paid team will see it on the next sync.", "success"
            )

        def refused(error: BaseException) -> None:
            self.message_bar.show_message(user_message(error), "error")

        Op(self.ctx.ops, write, pool=Pool.DB).success(done).failure(refused).run()
