"""The amplification request form: the template of PRODUCT.md step 7, checked live with the same
submit rules the server runs, saved as a draft offline, submitted to go out on the next sync.

"Save draft" writes through ``requests.draft_request``/``edit_request``; "Submit" through
``submit_request`` (a new request: ``submit_new_request``, one write and one undo step). A
refused new request is kept as a draft so nothing typed is lost; a refusal is the rules' own
words, the server's; nothing is half-saved.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QRegularExpression, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.values import format_time, parse_time, utcnow
from desktop.progress import Progress
from desktop.queries import calendar as calendar_queries
from desktop.queries import requests as queries
from desktop.queries.requests import EntryChoice, RequestContext
from desktop.rules.findings import Finding
from desktop.rules.requests import CHECKLIST_LABELS, SLA_HOURS, check_draft, escalates
from desktop.services import requests as request_service
from desktop.services.changes import ChangeSet, EditRefused
from ui.calendar.editor import findings_html, from_qdatetime, qt_zone, to_qdatetime
from ui.calendar.models import day_label
from ui.calendar.widgets import MessageBar, TermHighlighter
from ui.context import AppContext
from ui.operations import Op, Pool, user_message

CHECKLIST_TEXT: Final = {
    "landing_page": "Landing page — the link works and matches the post",
    "audience_overlap": "Audience overlap — checked against the central audiences",
    "budget_cap": "Budget cap — a spending limit is set on the ad account",
    "tracking": "Tracking — UTM tags and the pixel are in place",
    "dashboard": "Dashboard — results will show on the market's dashboard",
}
KPIS: Final = ("reach", "video views", "link clicks", "engagement rate", "conversions", "CTR")
SUBMITTED_TEXT: Final = "Submitted — it will reach the paid team on the next sync."
ESCALATED_HINT: Final = (
    "The budget is above {market}'s boost limit of {limit} {currency}: once submitted, the "
    "request goes to the conductor to decide (escalated), not straight to the paid team."
)
_AMOUNT = QRegularExpression(r"^\d{0,12}([.,]\d{0,2})?$")
_PROBLEM_STYLE: Final = "border: 1px solid #b3261e; border-radius: 3px;"


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _zone(name: str | None) -> tzinfo:
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return UTC


def canonical_amount(text: str) -> str | None:
    """What the lead typed as the budget, as the protocol's decimal string (None if blank)."""
    value = text.strip().replace(",", ".")
    if not value:
        return None
    if value.endswith("."):
        value = value[:-1]
    if value.startswith("."):
        value = "0" + value
    return value if re.fullmatch(r"\d{1,15}(\.\d{1,6})?", value) else text.strip()


class LineTextEdit(QPlainTextEdit):
    """A one-line text box that can show highlights (a QLineEdit cannot)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        height = self.fontMetrics().lineSpacing() + 14
        self.setFixedHeight(height)

    def sizeHint(self) -> QSize:
        return QSize(320, self.height())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.focusNextChild()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: Any) -> None:
        self.insertPlainText(" ".join(source.text().split()))

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(" ".join(text.split()))


@dataclass(frozen=True)
class _SubmitOutcome:
    draft: ChangeSet | None
    submitted: ChangeSet | None
    refused: EditRefused | None


class RequestForm(QDialog):
    """Create or edit an amplification request (a draft); a submitted one is shown read-only."""

    open_record = Signal(str, str)
    saved = Signal(str, str)  # request id, what happened in words
    checked = Signal()  # the live findings were updated

    def __init__(
        self,
        ctx: AppContext,
        *,
        request_id: str | None = None,
        entry_id: str | None = None,
        parent: QWidget | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request_id = request_id
        self._clock = clock or utcnow
        self._context = RequestContext(None, None, None)
        self._context_key: tuple[str | None, str | None, str | None] | None = None
        self._choices: dict[str, EntryChoice] = {}
        self.findings: list[Finding] = []
        self._busy = False
        with ctx.store.read() as session:
            self._markets = calendar_queries.lead_scope(session).markets
            self.market_info = calendar_queries.markets(session)
            record = queries.request_record(session, request_id) if request_id else None
        self.record = record
        gone = request_id is not None and record is None
        if gone:
            self.request_id = None
        self.status = (record or {}).get("status") or "draft"
        self.editable = self.status == "draft" and bool(self._markets)
        self.setWindowTitle("Amplification request")
        self._build()
        self._load(record, entry_id)
        self.update_checks()
        if gone:
            self.message_bar.show_message(
                "That request is no longer here (a sync may have removed it); this is a new one.",
                "info",
            )
        self.resize(1080, 820)

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.message_bar = MessageBar()
        self.heading = QLabel()
        self.heading.setObjectName("formHeading")
        self.heading.setStyleSheet("#formHeading { font-size: 13pt; font-weight: 600; }")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.market_box = QComboBox()
        for code in self._markets:
            info = self.market_info.get(code)
            self.market_box.addItem(f"{code.upper()} — {info.name if info else code}", code)
        form.addRow("&Market", self.market_box)

        self.entry_search = QLineEdit()
        self.entry_search.setPlaceholderText("Search posts by title or caption")
        self.entry_search.setClearButtonEnabled(True)
        self.entry_box = QComboBox()
        self.entry_box.setAccessibleName("Organic post")
        self.entry_box.setMinimumContentsLength(24)
        self.entry_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.open_entry_button = QPushButton("Open")
        self.open_entry_button.setToolTip("Show this post in the calendar")
        self.open_entry_button.clicked.connect(self._open_entry)
        entry_line = QHBoxLayout()
        entry_line.addWidget(self.entry_box, 1)
        entry_line.addWidget(self.open_entry_button)
        entry_row = QVBoxLayout()
        entry_row.setSpacing(3)
        entry_row.addLayout(entry_line)
        entry_row.addWidget(self.entry_search)
        form.addRow(_label("Organic &post", self.entry_box), entry_row)
        self.caption_view = QPlainTextEdit()
        self.caption_view.setReadOnly(True)
        self.caption_view.setAccessibleName("The post's caption")
        self.caption_view.setMaximumHeight(72)
        self.caption_view.setStyleSheet("QPlainTextEdit { background: #f6f7f9; }")
        self.caption_highlighter = TermHighlighter(self.caption_view.document())
        form.addRow("Post's caption", self.caption_view)

        self.asset_box = QComboBox()
        self.asset_box.setAccessibleName("Creative variant")
        self.asset_box.setMinimumContentsLength(24)
        self.asset_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.asset_rights = QLabel()
        self.asset_rights.setWordWrap(True)
        self.asset_rights.setStyleSheet("color: #5b6472;")
        creative = QVBoxLayout()
        creative.setSpacing(2)
        creative.addWidget(self.asset_box)
        creative.addWidget(self.asset_rights)
        form.addRow(_label("&Creative variant", self.asset_box), creative)

        self.cta_edit = LineTextEdit()
        self.cta_edit.setAccessibleName("Call to action")
        self.cta_highlighter = TermHighlighter(self.cta_edit.document())
        form.addRow("Call to &action", self.cta_edit)
        self.audience_edit = QPlainTextEdit()
        self.audience_edit.setAccessibleName("Audience")
        self.audience_edit.setTabChangesFocus(True)
        self.audience_edit.setMaximumHeight(56)
        self.audience_edit.setPlaceholderText("Who should see it: ages, interests, regions")
        form.addRow("A&udience", self.audience_edit)

        self.amount_edit = QLineEdit()
        self.amount_edit.setAccessibleName("Budget amount")
        self.amount_edit.setValidator(QRegularExpressionValidator(_AMOUNT, self))
        self.amount_edit.setPlaceholderText("1500.00")
        self.amount_edit.setMaximumWidth(160)
        self.currency_label = QLabel()
        budget = QHBoxLayout()
        budget.addWidget(self.amount_edit)
        budget.addWidget(self.currency_label)
        budget.addStretch(1)
        form.addRow(_label("&Budget", self.amount_edit), budget)

        self.starts_edit = QDateTimeEdit()
        self.ends_edit = QDateTimeEdit()
        for edit in (self.starts_edit, self.ends_edit):
            edit.setDisplayFormat("ddd d MMM yyyy HH:mm")
            edit.setCalendarPopup(True)
        self.zone_label = QLabel()
        self.zone_label.setStyleSheet("color: #5b6472;")
        edits = QHBoxLayout()
        edits.addWidget(self.starts_edit)
        edits.addWidget(QLabel("to"))
        edits.addWidget(self.ends_edit)
        edits.addStretch(1)
        window = QVBoxLayout()
        window.setSpacing(2)
        window.addLayout(edits)
        window.addWidget(self.zone_label)
        form.addRow(_label("Spend &window", self.starts_edit), window)

        self.kpi_box = QComboBox()
        self.kpi_box.setEditable(True)
        self.kpi_box.addItems(KPIS)
        self.kpi_box.setAccessibleName("Primary KPI")
        form.addRow("Primary &KPI", self.kpi_box)

        self.standard_radio = QRadioButton("Standard — 3-hour SLA")
        self.emergency_radio = QRadioButton("Emergency — 1-hour SLA")
        self.priority_hint = QLabel(
            f"The paid team decides within {SLA_HOURS['standard']} hours, or "
            f"{SLA_HOURS['emergency']} hour for an emergency, once the request reaches the "
            "server. Keep emergencies for moments that cannot wait."
        )
        self.priority_hint.setWordWrap(True)
        self.priority_hint.setStyleSheet("color: #5b6472;")
        self.priority_group = QButtonGroup(self)
        self.priority_group.addButton(self.standard_radio)
        self.priority_group.addButton(self.emergency_radio)
        priority = QVBoxLayout()
        priority.setSpacing(2)
        priority.addWidget(self.standard_radio)
        priority.addWidget(self.emergency_radio)
        priority.addWidget(self.priority_hint)
        form.addRow("Priority", priority)

        self.legal_edit = QLineEdit()
        self.legal_edit.setAccessibleName("Legal note")
        form.addRow("&Legal note", self.legal_edit)

        self.checklist: dict[str, QCheckBox] = {}
        checks = QVBoxLayout()
        checks.setSpacing(2)
        for item in CHECKLIST_LABELS:
            box = QCheckBox(CHECKLIST_TEXT.get(item, CHECKLIST_LABELS[item]))
            self.checklist[item] = box
            checks.addWidget(box)
        form.addRow("Pre-flight\nchecklist", checks)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.heading)
        left_layout.addLayout(form)
        left_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)

        self.findings_title = QLabel("<b>Before you submit</b>")
        self.findings_label = QLabel()
        self.findings_label.setObjectName("requestFindings")
        self.findings_label.setWordWrap(True)
        self.findings_label.setTextFormat(Qt.TextFormat.RichText)
        self.findings_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.escalation_label = QLabel()
        self.escalation_label.setWordWrap(True)
        self.escalation_label.setStyleSheet(
            "background: #eaf1fd; border: 1px solid #9bb8ea; border-radius: 4px; padding: 6px;"
        )
        self.escalation_label.hide()
        side = QFrame()
        side.setObjectName("card")
        side.setFixedWidth(300)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(12, 10, 12, 10)
        side_layout.addWidget(self.findings_title)
        side_layout.addWidget(self.escalation_label)
        side_layout.addWidget(self.findings_label, 1)

        body = QHBoxLayout()
        body.addWidget(scroll, 1)
        body.addWidget(side)

        self.save_button = QPushButton("Save &draft")
        self.save_button.setToolTip("Keep it on this computer; works offline")
        self.submit_button = QPushButton("&Submit")
        self.submit_button.setObjectName("primary")
        self.submit_button.setToolTip("Queue it for the paid team; it goes out on the next sync")
        self.close_button = QPushButton("Close")
        self.save_button.clicked.connect(self.save_draft)
        self.submit_button.clicked.connect(self.submit)
        self.close_button.clicked.connect(self.reject)
        self.submit_button.setDefault(False)
        self.submit_button.setAutoDefault(False)
        self.save_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.submit_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        # Findings and messages change while it is open; they never resize the window.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(860, 600)
        layout.addWidget(self.message_bar)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)

        self._entry_timer = QTimer(self, singleShot=True, interval=200)
        self._entry_timer.timeout.connect(self._search_entries)
        self.entry_search.textChanged.connect(self._search_typed)
        self.market_box.currentIndexChanged.connect(self._market_changed)
        self.entry_box.currentIndexChanged.connect(self._entry_changed)
        for signal in (
            self.asset_box.currentIndexChanged,
            self.cta_edit.textChanged,
            self.audience_edit.textChanged,
            self.amount_edit.textChanged,
            self.starts_edit.dateTimeChanged,
            self.ends_edit.dateTimeChanged,
            self.kpi_box.currentTextChanged,
            self.priority_group.buttonToggled,
            self.legal_edit.textChanged,
            *(box.toggled for box in self.checklist.values()),
        ):
            signal.connect(self.update_checks)
        self._problem_widgets: dict[str, QWidget] = {
            "entry_id": self.entry_box,
            "asset_id": self.asset_box,
            "cta": self.cta_edit,
            "entry.caption": self.caption_view,
            "budget.amount": self.amount_edit,
            "budget.currency": self.amount_edit,
            "starts_at": self.starts_edit,
            "ends_at": self.ends_edit,
            "legal_note": self.legal_edit,
            "market": self.market_box,
        }

    # --- loading ----------------------------------------------------------------------------

    def _load(self, record: dict[str, Any] | None, entry_id: str | None) -> None:
        data = record or {}
        entry_id = data.get("entry_id") or entry_id
        choice = None
        if entry_id:
            with self.ctx.store.read() as session:
                choice = queries.entry_choice(session, entry_id)
        market = data.get("market")
        if market is None and choice is not None and choice.market in self._markets:
            market = choice.market
        if market is None and self._markets:
            market = self._markets[0]
        self.market_box.blockSignals(True)
        index = self.market_box.findData(market)
        if index < 0 and market:
            self.market_box.addItem(market.upper(), market)
            index = self.market_box.count() - 1
        self.market_box.setCurrentIndex(max(0, index))
        self.market_box.blockSignals(False)
        self._apply_market(prefill=record is None)
        self._fill_entries(selected=choice)
        self._fill_assets(selected=data.get("asset_id"))
        self.cta_edit.setText(data.get("cta") or "")
        self.audience_edit.setPlainText(data.get("audience") or "")
        budget = data.get("budget") or {}
        self.amount_edit.setText(budget.get("amount") or "")
        now = self._clock()
        start = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        if choice is not None:
            start = max(start, parse_time(choice.starts_at))
        starts = data.get("starts_at") or format_time(start)
        ends = data.get("ends_at") or format_time(parse_time(starts) + timedelta(days=7))
        self.starts_edit.setDateTime(to_qdatetime(starts, self._qzone))
        self.ends_edit.setDateTime(to_qdatetime(ends, self._qzone))
        if data.get("primary_kpi"):
            self.kpi_box.setCurrentText(data["primary_kpi"])
        elif record is None:
            self.kpi_box.setCurrentText("reach")
        (
            self.emergency_radio if data.get("priority") == "emergency" else self.standard_radio
        ).setChecked(True)
        if record is not None:
            self.legal_edit.setText(data.get("legal_note") or "")
        checklist = data.get("checklist") or {}
        for item, box in self.checklist.items():
            box.setChecked(checklist.get(item) is True)
        self._apply_mode()

    def _apply_mode(self) -> None:
        status = self.status
        if self.request_id is None:
            self.heading.setText("New amplification request")
        else:
            label = queries.STATUS_LABELS.get(status, status)
            self.heading.setText(f"Amplification request · {label}")
        editable = self.editable
        for widget in (
            self.market_box,
            self.entry_box,
            self.entry_search,
            self.asset_box,
            self.amount_edit,
            self.starts_edit,
            self.ends_edit,
            self.kpi_box,
            self.standard_radio,
            self.emergency_radio,
            self.legal_edit,
            *self.checklist.values(),
        ):
            widget.setEnabled(editable)
        self.cta_edit.setReadOnly(not editable)
        self.audience_edit.setReadOnly(not editable)
        self.save_button.setVisible(editable)
        self.submit_button.setVisible(editable)
        self.findings_title.setVisible(editable)
        if not self._markets:
            self.message_bar.show_message(
                "Sign in as a section lead to write requests: they belong to your markets.",
                "info",
            )

    def market(self) -> str | None:
        value = self.market_box.currentData()
        return str(value) if value else None

    def _apply_market(self, *, prefill: bool) -> None:
        info = self.market_info.get(self.market() or "")
        self._tz = _zone(info.timezone if info else None)
        self._qzone = qt_zone(self._tz)
        for edit in (self.starts_edit, self.ends_edit):
            moment = edit.dateTime()
            edit.setTimeZone(self._qzone)
            if moment.isValid():
                edit.setDateTime(moment)
        self.zone_label.setText(f"Times in {getattr(self._tz, 'key', 'UTC')}")
        currency = info.currency if info and info.currency else ""
        self.currency_label.setText(currency or "(the market has no currency set)")
        terms = info.forbidden_terms if info else ()
        self.cta_highlighter.set_terms(terms)
        self.caption_highlighter.set_terms(terms)
        if prefill:
            self.legal_edit.setText(info.legal_note or "" if info else "")
        legal = info.legal_note if info else None
        self.legal_edit.setPlaceholderText(
            f"Must contain: {legal}" if legal else f"{self.market() or 'This market'} needs none"
        )

    @Slot()
    def _market_changed(self) -> None:
        self._apply_market(prefill=not self.legal_edit.text().strip())
        self._fill_entries(selected=self.entry_choice())
        self._fill_assets(selected=self.asset_box.currentData())
        self.update_checks()

    def _entry_label(self, choice: EntryChoice) -> str:
        when = parse_time(choice.starts_at).astimezone(self._tz)
        where = choice.market.upper() if choice.market else "Global"
        return (
            f"{day_label(when.date())} {when:%H:%M} · {where} · {choice.title or 'Untitled post'}"
        )

    def _query_entries(self, typed: str = "") -> list[EntryChoice]:
        market = self.market()
        with self.ctx.store.read() as session:
            return queries.boostable_entries(
                session,
                markets=[market] if market else list(self._markets),
                around=format_time(self._clock()),
                typed=typed,
            )

    def _fill_entries(
        self, *, selected: EntryChoice | None, options: list[EntryChoice] | None = None
    ) -> None:
        options = list(options) if options is not None else self._query_entries()
        if selected is not None and all(o.id != selected.id for o in options):
            options.insert(0, selected)
        self.entry_box.blockSignals(True)
        self.entry_box.clear()
        self.entry_box.addItem("Choose the organic post to boost…", None)
        for option in options:
            # Item data holds the id only: Qt outlives Python objects put in its models.
            self._choices[option.id] = option
            self.entry_box.addItem(self._entry_label(option), option.id)
        index = 0
        if selected is not None:
            index = next(
                (i for i in range(self.entry_box.count()) if self._choice_at(i) == selected), 0
            )
        self.entry_box.setCurrentIndex(index)
        self.entry_box.blockSignals(False)
        self._show_caption()

    def _choice_at(self, index: int) -> EntryChoice | None:
        value = self.entry_box.itemData(index)
        return self._choices.get(value) if isinstance(value, str) else None

    def entry_choice(self) -> EntryChoice | None:
        return self._choice_at(self.entry_box.currentIndex())

    @Slot(str)
    def _search_typed(self, _text: str) -> None:
        self._entry_timer.start()

    @Slot()
    def _search_entries(self) -> None:
        """Show the posts matching what was typed and pick the first (or keep the current)."""
        typed = self.entry_search.text().strip()
        current = self.entry_choice()
        if not typed:
            self._fill_entries(selected=current)
            return
        matches = self._query_entries(typed)
        if not matches:
            self.message_bar.show_message(f'No organic post matches "{typed}".', "info")
            return
        kept = next((m for m in matches if current is not None and m.id == current.id), None)
        chosen = kept or matches[0]
        self._fill_entries(selected=chosen, options=matches)
        if chosen != current:
            self._entry_changed()

    @Slot()
    def _entry_changed(self) -> None:
        self._show_caption()
        self._fill_assets(selected=self.asset_box.currentData())
        self.update_checks()

    def _show_caption(self) -> None:
        choice = self.entry_choice()
        caption = ""
        if choice is not None:
            with self.ctx.store.read() as session:
                found = calendar_queries.entry_context(session, choice.id)
            caption = (found.data.get("caption") or "") if found else ""
        self.caption_view.setPlainText(caption)
        self.open_entry_button.setEnabled(choice is not None)

    def _fill_assets(self, *, selected: str | None) -> None:
        choice = self.entry_choice()
        with self.ctx.store.read() as session:
            options = queries.creative_options(
                session, entry_id=choice.id if choice else None, market=self.market()
            )
            if selected and all(o.id != selected for o in options):
                extra = calendar_queries.asset_data(session, [selected])
                if selected in extra:
                    data = extra[selected]
                    options.insert(
                        0,
                        calendar_queries.AssetOption(
                            selected,
                            data.get("name") or selected,
                            data.get("title"),
                            data.get("market"),
                            data.get("kind") or "image",
                        ),
                    )
        self.asset_box.blockSignals(True)
        self.asset_box.clear()
        placeholder = "Choose the creative…" if choice is not None else "Choose a post first"
        self.asset_box.addItem(placeholder, None)
        own = set()
        if choice is not None:
            with self.ctx.store.read() as session:
                found = calendar_queries.entry_context(session, choice.id)
            own = set((found.data.get("asset_ids") or []) if found else [])
        for option in options:
            where = option.market.upper() if option.market else "global master"
            mark = "in the post · " if option.id in own else ""
            self.asset_box.addItem(f"{option.name}  ({mark}{where}, {option.kind})", option.id)
        index = self.asset_box.findData(selected) if selected else -1
        if index < 0 and self.asset_box.count() > 1 and own:
            index = 1
        self.asset_box.setCurrentIndex(max(0, index))
        self.asset_box.blockSignals(False)

    # --- live checks ------------------------------------------------------------------------

    def data(self) -> dict[str, Any]:
        """The request as the form holds it now (what a save writes)."""
        choice = self.entry_choice()
        info = self.market_info.get(self.market() or "")
        amount = canonical_amount(self.amount_edit.text())
        return {
            "entry_id": choice.id if choice else None,
            "asset_id": self.asset_box.currentData(),
            "market": self.market(),
            "cta": self.cta_edit.text().strip() or None,
            "audience": self.audience_edit.toPlainText().strip() or None,
            "budget": {
                "amount": amount,
                "currency": (info.currency if info else None) or None,
            },
            "starts_at": from_qdatetime(self.starts_edit.dateTime()),
            "ends_at": from_qdatetime(self.ends_edit.dateTime()),
            "primary_kpi": self.kpi_box.currentText().strip() or None,
            "priority": "emergency" if self.emergency_radio.isChecked() else "standard",
            "legal_note": self.legal_edit.text().strip() or None,
            "checklist": {item: box.isChecked() for item, box in self.checklist.items()},
        }

    def _request_context(self, data: dict[str, Any]) -> RequestContext:
        key = (data["entry_id"], data["asset_id"], data["market"])
        if key != self._context_key:
            with self.ctx.store.read() as session:
                self._context = queries.request_context(
                    session, entry_id=key[0], asset_id=key[1], market=key[2]
                )
            self._context_key = key
            self._show_rights(self._context.asset)
        return self._context

    def _show_rights(self, asset: dict[str, Any] | None) -> None:
        if asset is None:
            self.asset_rights.setText("")
            return
        rights = asset.get("rights") or {}
        usage = ", ".join(rights.get("usage") or []) or "no use"
        territories = (
            ", ".join(
                t.upper() if t != "*" else "every market" for t in rights.get("territories") or []
            )
            or "no market"
        )
        text = f"Rights: {usage} · {territories}"
        if rights.get("expires_on"):
            text += f" · until {rights['expires_on']}"
        embargo = asset.get("embargo") or {}
        if embargo.get("until"):
            until = parse_time(embargo["until"]).astimezone(self._tz)
            text += f" · embargoed until {day_label(until.date())} {until:%H:%M}"
        self.asset_rights.setText(text)

    @Slot()
    def update_checks(self) -> None:
        """Run the submit rules (as warnings) on the form as it is now."""
        if not self.editable:
            self.findings = []
            self.findings_label.setText("")
            self.escalation_label.hide()
            return
        data = self.data()
        context = self._request_context(data)
        self.findings = check_draft(
            data, entry=context.entry, asset=context.asset, market=context.market
        )
        self.findings_label.setText(
            findings_html(self.findings)
            if self.findings
            else "<span style='color:#1f6b3a'>"
            "✓ Ready to submit: nothing the server would refuse.</span>"
        )
        problem_fields = {f.field for f in self.findings}
        for name, widget in self._problem_widgets.items():
            flagged = name in problem_fields
            if widget is self.amount_edit:
                flagged = "budget.amount" in problem_fields or "budget.currency" in problem_fields
            widget.setStyleSheet(self._style_for(widget, flagged))
        for box in self.checklist.values():
            box.setStyleSheet("" if box.isChecked() else "color: #8a5a00;")
        info = self.market_info.get(self.market() or "")
        if context.market is not None and escalates(data["budget"], context.market) and info:
            self.escalation_label.setText(
                ESCALATED_HINT.format(
                    market=info.code.upper(),
                    limit=info.boost_threshold,
                    currency=info.currency or "",
                )
            )
            self.escalation_label.show()
        else:
            self.escalation_label.hide()
        self.checked.emit()

    def _style_for(self, widget: QWidget, flagged: bool) -> str:
        if widget is self.caption_view:
            base = "QPlainTextEdit { background: #f6f7f9; "
            return base + (_PROBLEM_STYLE if flagged else "") + "}"
        if not flagged:
            return ""
        name = type(widget).__name__
        if isinstance(widget, QComboBox):
            name = "QComboBox"
        return f"{name} {{ {_PROBLEM_STYLE} }}"

    # --- saving -----------------------------------------------------------------------------

    def _missing_links(self, data: dict[str, Any]) -> str | None:
        if not data["market"]:
            return "Choose the market this request is for."
        if not data["entry_id"]:
            return "Choose the organic post to boost before saving."
        if not data["asset_id"]:
            return "Choose the creative variant before saving."
        return None

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)
        self.submit_button.setEnabled(not busy)

    @Slot()
    def save_draft(self) -> None:
        if self._busy or not self.editable:
            return
        data = self.data()
        missing = self._missing_links(data)
        if missing:
            self.message_bar.show_message(missing, "warning")
            return
        workspace = self.ctx.workspace
        request_id = self.request_id or str(uuid.uuid4())
        creating = self.request_id is None

        def write(progress: Progress) -> ChangeSet:
            if creating:
                return request_service.draft_request(workspace, data=data, request_id=request_id)
            return request_service.edit_request(workspace, request_id=request_id, fields=data)

        def done(changes: ChangeSet) -> None:
            self._set_busy(False)
            self.request_id = request_id
            self._apply_mode()
            text = "Draft saved on this computer. Submit it when it is ready; it works offline."
            self.message_bar.show_message(text, "success")
            self.saved.emit(request_id, text)

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            self.message_bar.show_message(user_message(error), "error")

        self._set_busy(True)
        Op(self.ctx.ops, write, pool=Pool.DB).success(done).failure(failed).run()

    @Slot()
    def submit(self) -> None:
        if self._busy or not self.editable:
            return
        data = self.data()
        missing = self._missing_links(data)
        if missing:
            self.message_bar.show_message(missing, "warning")
            return
        workspace = self.ctx.workspace
        request_id = self.request_id or str(uuid.uuid4())
        creating = self.request_id is None

        def write(progress: Progress) -> _SubmitOutcome:
            try:
                if creating:
                    submitted = request_service.submit_new_request(
                        workspace, data=data, request_id=request_id
                    )
                else:
                    submitted = request_service.submit_request(
                        workspace, request_id=request_id, fields=data
                    )
            except EditRefused as refusal:
                # Keep what the lead typed: a refused new request stays as a draft.
                draft = (
                    request_service.draft_request(workspace, data=data, request_id=request_id)
                    if creating
                    else None
                )
                return _SubmitOutcome(draft, None, refusal)
            return _SubmitOutcome(None, submitted, None)

        def done(outcome: _SubmitOutcome) -> None:
            self._set_busy(False)
            changed: set[str] = set()
            for changes in (outcome.draft, outcome.submitted):
                if changes:
                    changed |= changes.types
            if changed:
                self.ctx.signals.changed.emit(frozenset(changed))
            if outcome.draft is not None or (creating and outcome.submitted is not None):
                self.request_id = request_id
            if outcome.refused is not None:
                text = str(outcome.refused)
                if creating:
                    text += " It was saved as a draft; fix it and submit again."
                self.message_bar.show_message(text, "error")
                self._apply_mode()
                if creating:
                    self.saved.emit(request_id, "Draft saved.")
                return
            self.request_id = request_id
            self.status = "submitted"
            self.editable = False
            self._apply_mode()
            self.update_checks()
            self.message_bar.show_message(SUBMITTED_TEXT, "success")
            self.saved.emit(request_id, SUBMITTED_TEXT)

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            self.message_bar.show_message(user_message(error), "error")

        self._set_busy(True)
        Op(self.ctx.ops, write, pool=Pool.DB).success(done).failure(failed).run()

    @Slot()
    def _open_entry(self) -> None:
        choice = self.entry_choice()
        if choice is not None:
            self.open_record.emit("calendar_entry", choice.id)
