"""The entry editor: title, caption (live character count for the channel, forbidden terms
marked), times, status and assets, checked with the shared rules while the lead types.

Global entries open read-only for a lead (the central team owns them) with "Adapt for <market>".
Saving goes through ``entries.edit_entry`` on the database pool; a refusal stays in the dialog.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any, Final

from PySide6.QtCore import QDateTime, Qt, QTimer, QTimeZone, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.values import format_time, parse_time
from desktop.progress import Progress
from desktop.queries import calendar as queries
from desktop.queries.calendar import KIND_LABELS, STATUS_LABELS, EntryContext
from desktop.rules.channels import (
    CHANNEL_NAMES,
    canonical_channel,
    caption_length,
    channel_limit,
)
from desktop.rules.entries import check_entry
from desktop.rules.findings import Finding
from desktop.services import entries as entry_service
from desktop.services.changes import ChangeSet
from ui.calendar.links import adapt_available
from ui.calendar.style import ERROR_INK, WARNING_INK
from ui.calendar.widgets import MessageBar, TermHighlighter
from ui.context import AppContext
from ui.operations import Op, Pool, user_message

EDITABLE: Final = ("title", "channel", "caption", "starts_at", "ends_at", "status", "asset_ids")


def qt_zone(zone: tzinfo) -> QTimeZone:
    key = getattr(zone, "key", None)
    if key:
        found = QTimeZone(key.encode())
        if found.isValid():
            return found
    return QTimeZone.utc()


def to_qdatetime(value: str, zone: QTimeZone) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(parse_time(value).timestamp()), zone)


def from_qdatetime(value: QDateTime) -> str:
    return format_time(datetime.fromtimestamp(value.toSecsSinceEpoch(), tz=UTC))


def findings_html(findings: list[Finding], *, intro: str = "") -> str:
    """Findings as a short list: what blocks first (red), then what to know (amber)."""
    if not findings:
        return "<span style='color:#1f6b3a'>✓ No problems found.</span>"
    ordered = sorted(findings, key=lambda f: f.severity != "error")
    items = []
    for finding in ordered:
        colour = ERROR_INK if finding.severity == "error" else WARNING_INK
        mark = "✖" if finding.severity == "error" else "⚠"
        text = finding.message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        items.append(f"<li style='color:{colour.name()}'>{mark} {text}</li>")
    return f"{intro}<ul style='margin-left:-20px'>{''.join(items)}</ul>"


class AssetPicker(QDialog):
    """Pick an asset an entry of this market may link (search as you type, at most 200)."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        market: str | None,
        campaign_id: str | None,
        exclude: set[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add an asset")
        self.ctx = ctx
        self._market = market
        self._campaign = campaign_id
        self._exclude = exclude
        self.search = QLineEdit(placeholderText="Search names, titles and tags")
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.itemActivated.connect(self._activated)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(420, 300)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(buttons)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._typed)
        self.resize(520, 420)
        self.refresh()

    # Slots are bound methods, never lambdas holding ``self``: a lambda would keep a closed
    # dialog alive (and its C++ side undeleted) until the application quits.
    @Slot(QListWidgetItem)
    def _activated(self, _item: QListWidgetItem) -> None:
        self.accept()

    @Slot(str)
    def _typed(self, _text: str) -> None:
        self._timer.start()

    @Slot()
    def refresh(self) -> None:
        with self.ctx.store.read() as session:
            options = queries.asset_options(
                session,
                market=self._market,
                campaign_id=self._campaign,
                typed=self.search.text(),
            )
        self.results.clear()
        for option in options:
            if option.id in self._exclude:
                continue
            where = option.market.upper() if option.market else "global"
            item = QListWidgetItem(f"{option.name}  ({where}, {option.kind})")
            item.setToolTip(option.title or option.name)
            item.setData(Qt.ItemDataRole.UserRole, option.id)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def chosen(self) -> str | None:
        item = self.results.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))


class EntryEditor(QDialog):
    """Edit one calendar entry; global entries are shown read-only with the adapt actions."""

    adapt_requested = Signal(str, str)  # entry id, market
    boost_requested = Signal(str)  # entry id
    open_record = Signal(str, str)
    saved = Signal(str)  # what was saved, in words

    def __init__(
        self,
        ctx: AppContext,
        entry_id: str,
        parent: QWidget | None = None,
        *,
        zone: tzinfo = UTC,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entry_id = entry_id
        self._zone = qt_zone(zone)
        with ctx.store.read() as session:
            self.context: EntryContext | None = queries.entry_context(session, entry_id)
        self.setWindowTitle("Calendar entry")
        self.message_bar = MessageBar()
        layout = QVBoxLayout(self)
        # Messages and counts change while it is open; they never resize the window.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(620, 520)
        layout.addWidget(self.message_bar)
        if self.context is None:
            gone = QLabel("This entry is no longer here; a sync may have removed it.")
            layout.addWidget(gone)
            close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            close.rejected.connect(self.reject)
            layout.addWidget(close)
            self.writable = False
            return
        data = self.context.data
        self.original = {name: data.get(name) for name in EDITABLE}
        self.asset_data: dict[str, dict[str, Any]] = dict(self.context.assets)
        self._asset_ids: list[str] = list(data.get("asset_ids") or [])
        self._loading = True
        self.writable = ctx.workspace.actor.may_write("calendar_entry", data.get("market"))
        self._build(data)
        self._load(data)
        self._loading = False
        self.update_checks()
        self.resize(760, 720)

    # --- building ---------------------------------------------------------------------------

    def _build(self, data: dict[str, Any]) -> None:
        assert self.context is not None
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setText(self._header_html(data))
        layout.addWidget(self.header)

        form = QFormLayout()
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Title")
        form.addRow("&Title", self.title_edit)
        self.channel_box = QComboBox()
        self.channel_box.addItem("No channel", None)
        for key, name in CHANNEL_NAMES.items():
            self.channel_box.addItem(name, key)
        form.addRow("C&hannel", self.channel_box)
        self.caption_edit = QPlainTextEdit()
        self.caption_edit.setAccessibleName("Caption")
        self.caption_edit.setTabChangesFocus(True)
        self.caption_edit.setMinimumHeight(130)
        market = self.context.market or {}
        self.highlighter = TermHighlighter(
            self.caption_edit.document(), market.get("forbidden_terms") or ()
        )
        self.count_label = QLabel()
        self.count_label.setObjectName("captionCount")
        caption_box = QVBoxLayout()
        caption_box.setSpacing(2)
        caption_box.addWidget(self.caption_edit)
        caption_box.addWidget(self.count_label)
        caption_label = QLabel("&Caption")
        caption_label.setBuddy(self.caption_edit)
        form.addRow(caption_label, caption_box)
        zone_name = bytes(self._zone.id().data()).decode() if self._zone.isValid() else "UTC"
        self.starts_edit = self._time_edit()
        self.ends_edit = self._time_edit()
        times = QHBoxLayout()
        times.addWidget(self.starts_edit)
        times.addWidget(QLabel("to"))
        times.addWidget(self.ends_edit)
        times.addWidget(QLabel(zone_name))
        times.addStretch(1)
        when_label = QLabel("&When")
        when_label.setBuddy(self.starts_edit)
        form.addRow(when_label, times)
        self.status_box = QComboBox()
        for key, label in STATUS_LABELS.items():
            self.status_box.addItem(label, key)
        form.addRow("&Status", self.status_box)
        self.asset_list = QListWidget()
        self.asset_list.setMaximumHeight(96)
        self.asset_list.itemActivated.connect(self._open_asset)
        self.add_asset_button = QPushButton("&Add asset…")
        self.remove_asset_button = QPushButton("&Remove")
        self.add_asset_button.clicked.connect(self._add_asset)
        self.remove_asset_button.clicked.connect(self._remove_asset)
        asset_buttons = QVBoxLayout()
        asset_buttons.addWidget(self.add_asset_button)
        asset_buttons.addWidget(self.remove_asset_button)
        asset_buttons.addStretch(1)
        assets = QHBoxLayout()
        assets.addWidget(self.asset_list, 1)
        assets.addLayout(asset_buttons)
        form.addRow("Assets", assets)
        layout.addLayout(form)

        self.findings_label = QLabel()
        self.findings_label.setObjectName("findings")
        self.findings_label.setWordWrap(True)
        self.findings_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.findings_label)
        layout.addStretch(1)

        self.buttons = QDialogButtonBox()
        self.adapt_buttons: dict[str, QPushButton] = {}
        if data.get("market") is None:
            available = adapt_available()
            for code in self.ctx.workspace.actor.markets:
                button = QPushButton(f"Adapt for {code.upper()}…")
                button.setEnabled(available)
                if not available:
                    button.setToolTip("Adapting opens the Adapt screen, not part of this build.")
                button.setProperty("market", code)
                button.clicked.connect(self._adapt_clicked)
                self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
                self.adapt_buttons[code] = button
        self.boost_button: QPushButton | None = None
        if data.get("kind") == "organic_post" and self.ctx.workspace.actor.markets:
            self.boost_button = QPushButton("Request a &boost…")
            self.boost_button.clicked.connect(self._boost)
            self.buttons.addButton(self.boost_button, QDialogButtonBox.ButtonRole.ActionRole)
        if self.writable:
            self.save_button = self.buttons.addButton(
                "&Save", QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        else:
            self.save_button = QPushButton("&Save")
            self.save_button.hide()
            self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        for signal in (
            self.title_edit.textChanged,
            self.caption_edit.textChanged,
            self.channel_box.currentIndexChanged,
            self.status_box.currentIndexChanged,
            self.starts_edit.dateTimeChanged,
            self.ends_edit.dateTimeChanged,
        ):
            signal.connect(self.update_checks)
        for widget in (
            self.title_edit,
            self.channel_box,
            self.starts_edit,
            self.ends_edit,
            self.status_box,
            self.add_asset_button,
            self.remove_asset_button,
        ):
            widget.setEnabled(self.writable)
        self.caption_edit.setReadOnly(not self.writable)

    def _time_edit(self) -> QDateTimeEdit:
        edit = QDateTimeEdit()
        edit.setTimeZone(self._zone)
        edit.setDisplayFormat("ddd d MMM yyyy HH:mm")
        edit.setCalendarPopup(True)
        return edit

    def _header_html(self, data: dict[str, Any]) -> str:
        assert self.context is not None
        kind = KIND_LABELS.get(data.get("kind") or "", "Entry")
        market = data.get("market")
        where = market.upper() if market else "Global"
        parts = [f"<b>{kind}</b> · {where}"]
        if self.context.campaign_name:
            parts.append(f"campaign {self._escape(self.context.campaign_name)}")
        if self.context.parent is not None:
            title = self.context.parent.get("title") or "a global entry"
            parts.append(f"adapts “{self._escape(title)}”")
        html = " · ".join(parts)
        if market is None:
            html += (
                "<br><span style='color:#5b6472'>The central team's global plan: you can read "
                "it here and adapt it for your markets.</span>"
            )
        elif not self.ctx.workspace.actor.may_write("calendar_entry", market):
            html += "<br><span style='color:#5b6472'>Not one of your markets: read-only.</span>"
        if self.context.adaptations:
            listed = ", ".join((a.market or "?").upper() for a in self.context.adaptations)
            html += f"<br>Local versions: {listed}"
        return html

    @staticmethod
    def _escape(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def _load(self, data: dict[str, Any]) -> None:
        self.title_edit.setText(data.get("title") or "")
        channel = canonical_channel(data.get("channel")) or data.get("channel")
        index = self.channel_box.findData(channel)
        if index < 0 and channel:
            self.channel_box.addItem(str(channel), channel)
            index = self.channel_box.count() - 1
        self.channel_box.setCurrentIndex(max(0, index))
        self.caption_edit.setPlainText(data.get("caption") or "")
        self.starts_edit.setDateTime(to_qdatetime(data["starts_at"], self._zone))
        self.ends_edit.setDateTime(
            to_qdatetime(data.get("ends_at") or data["starts_at"], self._zone)
        )
        self.status_box.setCurrentIndex(max(0, self.status_box.findData(data.get("status"))))
        self._fill_assets()

    def _fill_assets(self) -> None:
        self.asset_list.clear()
        for asset_id in self._asset_ids:
            asset = self.asset_data.get(asset_id)
            name = asset.get("name") if asset else None
            item = QListWidgetItem(name or "(an asset not in this workspace)")
            item.setData(Qt.ItemDataRole.UserRole, asset_id)
            self.asset_list.addItem(item)

    # --- live checks ------------------------------------------------------------------------

    def edited(self) -> dict[str, Any]:
        """The editable fields as they are in the form now."""
        starts = from_qdatetime(self.starts_edit.dateTime())
        ends = from_qdatetime(self.ends_edit.dateTime())
        original_ends = self.original.get("ends_at")
        if original_ends is None and ends == starts:
            ends_value: str | None = None
        else:
            ends_value = ends
        return {
            "title": self.title_edit.text(),
            "channel": self.channel_box.currentData(),
            "caption": self.caption_edit.toPlainText(),
            "starts_at": starts,
            "ends_at": ends_value,
            "status": self.status_box.currentData(),
            "asset_ids": list(self._asset_ids),
        }

    def changes(self) -> dict[str, Any]:
        current = self.edited()
        changed = {}
        for name, value in current.items():
            before = self.original.get(name)
            if name in ("title", "caption") and not value and not before:
                continue
            if value != before:
                changed[name] = value
        return changed

    def findings(self) -> list[Finding]:
        assert self.context is not None
        after = {**self.context.data, **self.edited()}
        assets = [self.asset_data[i] for i in self._asset_ids if i in self.asset_data]
        return check_entry(
            after,
            assets=assets,
            market=self.context.market,
            parent=self.context.parent,
            drift_days=self.ctx.workspace.drift_days,
        )

    @Slot()
    def update_checks(self) -> None:
        if self.context is None or self._loading:
            return
        channel = self.channel_box.currentData()
        caption = self.caption_edit.toPlainText()
        length = caption_length(channel, caption)
        limit = channel_limit(channel)
        if limit is None:
            self.count_label.setText(f"{length:,} characters (pick a channel to see its limit)")
            self.count_label.setStyleSheet("color: #5b6472;")
        else:
            name = CHANNEL_NAMES.get(canonical_channel(channel) or "", str(channel))
            over = length - limit
            text = f"{length:,} / {limit:,} characters on {name}"
            if over > 0:
                text += f" — {over:,} too many"
            self.count_label.setText(text)
            self.count_label.setStyleSheet(
                f"color: {ERROR_INK.name()}; font-weight: 600;" if over > 0 else "color: #3a4250;"
            )
        findings = self.findings() if self.writable else []
        self.current_findings = findings
        if self.writable:
            self.findings_label.setText(findings_html(findings))
            blocking = any(f.severity == "error" for f in findings)
            self.save_button.setEnabled(bool(self.changes()) and not blocking)
            self.save_button.setToolTip(
                "Fix the problems marked ✖ to save." if blocking else "Save (Enter)"
            )
        else:
            self.findings_label.setText("")

    # --- assets -----------------------------------------------------------------------------

    @Slot()
    def _add_asset(self) -> None:
        assert self.context is not None
        picker = AssetPicker(
            self.ctx,
            market=self.context.data.get("market"),
            campaign_id=self.context.data.get("campaign_id"),
            exclude=set(self._asset_ids),
            parent=self,
        )
        self.picker = picker
        picker.accepted.connect(self._picker_accepted)
        picker.open()

    @Slot()
    def _picker_accepted(self) -> None:
        self._picked(self.picker.chosen())

    def _picked(self, asset_id: str | None) -> None:
        if not asset_id or asset_id in self._asset_ids:
            return
        with self.ctx.store.read() as session:
            self.asset_data.update(queries.asset_data(session, [asset_id]))
        self._asset_ids.append(asset_id)
        self._fill_assets()
        self.update_checks()

    @Slot()
    def _remove_asset(self) -> None:
        row = self.asset_list.currentRow()
        if 0 <= row < len(self._asset_ids):
            del self._asset_ids[row]
            self._fill_assets()
            self.update_checks()

    def _open_asset(self, item: QListWidgetItem) -> None:
        asset_id = item.data(Qt.ItemDataRole.UserRole)
        if asset_id:
            self.open_record.emit("asset", str(asset_id))

    # --- actions ----------------------------------------------------------------------------

    @Slot()
    def _adapt_clicked(self) -> None:
        button = self.sender()
        market = button.property("market") if button is not None else None
        if market:
            self._adapt(str(market))

    def _adapt(self, market: str) -> None:
        self.adapt_requested.emit(self.entry_id, market)
        self.accept()

    def _boost(self) -> None:
        self.boost_requested.emit(self.entry_id)

    @Slot()
    def save(self) -> None:
        if not self.writable:
            self.reject()
            return
        fields = self.changes()
        if not fields:
            self.accept()
            return
        self.save_button.setEnabled(False)
        workspace, entry_id = self.ctx.workspace, self.entry_id

        def write(progress: Progress) -> ChangeSet:
            return entry_service.edit_entry(workspace, entry_id=entry_id, fields=fields)

        def done(changes: ChangeSet) -> None:
            title = self.title_edit.text() or "the entry"
            self.saved.emit(f'Saved "{title}". Undo with Ctrl+Z.')
            self.accept()

        def refused(error: BaseException) -> None:
            self.message_bar.show_message(user_message(error), "error")
            self.update_checks()

        Op(self.ctx.ops, write, pool=Pool.DB).success(done).failure(refused).run()
