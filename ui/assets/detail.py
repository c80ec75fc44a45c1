"""The asset bank's detail panel: preview, metadata, rights and embargo editors, lineage, the file's
state ("take offline") and, for an adaptation whose master moved on, what changed.

Every edit goes through ``desktop.services.assets`` in an Op on the database thread, so it is one
undo step and announced on ``AppSignals.changed``; the panel reloads from the store when "asset"
changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QDate, QDateTime, QModelIndex, Qt, QTime, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from desktop.domain.values import format_time, parse_time
from desktop.progress import Progress
from desktop.queries import assets as queries
from desktop.queries.assets import AssetRow, StaleDiff
from desktop.rules._text import field_label
from desktop.services import assets as asset_service
from desktop.services.changes import ChangeSet
from desktop.store.models import Campaign, Market
from ui.assets.models import ID_ROLE, LineageModel, embargo_text, rights_text
from ui.assets.thumbs import ThumbnailCache, placeholder
from ui.context import AppContext
from ui.operations import Op, Pool

PREVIEW_SIDE = 300
STATUSES = ("draft", "ready", "approved", "retired")
TALENT = (("Not recorded", None), ("Yes, signed", True), ("No release", False))


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def split_list(text: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


class AssetDetailPanel(QWidget):
    open_record = Signal(str, str)
    adapt_requested = Signal(str, str)  # master asset id, market
    status = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row: AssetRow | None = None
        self.diff: StaleDiff | None = None
        self.markets: dict[str, dict[str, Any]] = {}
        self.campaigns: dict[str, str] = {}
        # How a full file is opened (the system's viewer); tests replace it.
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.preview_cache = ThumbnailCache(side=PREVIEW_SIDE * 2, max_bytes=24 * 1024 * 1024)
        self.preview_cache.setParent(self)
        self.preview_cache.loaded.connect(self._preview_loaded)
        self._build()
        self.show_asset(None)

    # --- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.name_label = QLabel()
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name_label.setStyleSheet("color: #5b6370;")
        self.stale_banner = QLabel()
        self.stale_banner.setWordWrap(True)
        self.stale_banner.setStyleSheet(
            "background: #fff1d6; border: 1px solid #e0a030; padding: 6px; color: #5a3a00;"
        )
        self.review_button = QPushButton("Review master changes…")
        self.review_button.clicked.connect(self._review)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFixedHeight(PREVIEW_SIDE * 2 // 3)
        self.preview.setStyleSheet("background: #f1f2f4; border: 1px solid #d5d8dd;")
        self.file_state = QLabel()
        self.file_state.setWordWrap(True)
        self.open_button = QPushButton("Open full file")
        self.open_button.clicked.connect(self._open_full)
        self.offline_button = QPushButton("Take campaign offline")
        self.offline_button.clicked.connect(self._take_offline)
        file_row = QHBoxLayout()
        file_row.addWidget(self.open_button)
        file_row.addWidget(self.offline_button)
        self.adapt_row = QHBoxLayout()
        self.adapt_buttons: list[QPushButton] = []
        self.empty = QLabel(
            "Select an asset to see it here.\n\nDrop files from your file manager onto the grid "
            "to import them; drag tags and presets from the palette onto assets."
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #5b6370; padding: 20px;")
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        for widget in (self.heading, self.name_label, self.stale_banner, self.review_button):
            body.addWidget(widget)
        body.addWidget(self.preview)
        body.addWidget(self.file_state)
        body.addLayout(file_row)
        body.addLayout(self.adapt_row)
        self.tabs = QTabWidget()
        self.tabs.setMinimumHeight(330)
        self.tabs.addTab(self._details_tab(), "Details")
        self.tabs.addTab(self._rights_tab(), "Rights")
        self.tabs.addTab(self._embargo_tab(), "Embargo")
        self.tabs.addTab(self._lineage_tab(), "Lineage")
        body.addWidget(self.tabs, 1)
        self.read_only_note = QLabel()
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setStyleSheet("color: #5b6370;")
        body.addWidget(self.read_only_note)
        layout.addWidget(self.empty)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroller.setWidget(self.body)
        layout.addWidget(self.scroller, 1)

    def _details_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.title_edit = QLineEdit()
        self.alt_edit = QPlainTextEdit()
        self.alt_edit.setFixedHeight(60)
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText("comma, separated, tags")
        self.status_combo = QComboBox()
        for status in STATUSES:
            self.status_combo.addItem(status.capitalize(), status)
        self.language_combo = QComboBox()
        self.language_combo.setEditable(True)
        self.save_details = QPushButton("Save details")
        self.save_details.clicked.connect(self._save_details)
        form.addRow("Title", self.title_edit)
        form.addRow("Alt text", self.alt_edit)
        form.addRow("Tags", self.tags_edit)
        form.addRow("Status", self.status_combo)
        form.addRow("Language", self.language_combo)
        form.addRow(self.save_details)
        return page

    def _rights_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.holder_edit = QLineEdit()
        self.licence_edit = QLineEdit()
        self.organic_box = QCheckBox("Organic")
        self.paid_box = QCheckBox("Paid")
        usage = QHBoxLayout()
        usage.addWidget(self.organic_box)
        usage.addWidget(self.paid_box)
        usage.addStretch(1)
        self.territories_edit = QLineEdit()
        self.territories_edit.setPlaceholderText("de, fr — or * for worldwide")
        self.expires_box = QCheckBox("Expires on")
        self.expires_edit = QDateEdit()
        self.expires_edit.setCalendarPopup(True)
        self.expires_edit.setDisplayFormat("yyyy-MM-dd")
        self.expires_box.toggled.connect(self.expires_edit.setEnabled)
        expiry = QHBoxLayout()
        expiry.addWidget(self.expires_box)
        expiry.addWidget(self.expires_edit, 1)
        self.talent_combo = QComboBox()
        for label, value in TALENT:
            self.talent_combo.addItem(label, value)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setFixedHeight(50)
        self.rights_summary = QLabel()
        self.rights_summary.setWordWrap(True)
        self.save_rights = QPushButton("Save rights")
        self.save_rights.clicked.connect(self._save_rights)
        form.addRow(self.rights_summary)
        form.addRow("Holder", self.holder_edit)
        form.addRow("Licence", self.licence_edit)
        form.addRow("Usage", usage)
        form.addRow("Territories", self.territories_edit)
        form.addRow("Expiry", expiry)
        form.addRow("Talent release", self.talent_combo)
        form.addRow("Notes", self.notes_edit)
        form.addRow(self.save_rights)
        return page

    def _embargo_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.embargo_box = QCheckBox("Embargoed until")
        self.embargo_edit = QDateTimeEdit()
        self.embargo_edit.setCalendarPopup(True)
        self.embargo_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.embargo_box.toggled.connect(self.embargo_edit.setEnabled)
        self.zone_label = QLabel()
        self.zone_label.setStyleSheet("color: #5b6370;")
        self.embargo_summary = QLabel()
        self.embargo_summary.setWordWrap(True)
        self.all_markets_box = QCheckBox("All markets")
        self.market_boxes: dict[str, QCheckBox] = {}
        self.markets_row = QHBoxLayout()
        self.markets_row.addWidget(self.all_markets_box)
        self.save_embargo = QPushButton("Save embargo")
        self.save_embargo.clicked.connect(self._save_embargo)
        self.lift_button = QPushButton("Lift embargo")
        self.lift_button.clicked.connect(self._lift_embargo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_embargo)
        buttons.addWidget(self.lift_button)
        form.addRow(self.embargo_summary)
        form.addRow(self.embargo_box, self.embargo_edit)
        form.addRow("", self.zone_label)
        form.addRow("Markets", self.markets_row)
        form.addRow(buttons)
        return page

    def _lineage_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.lineage_model = LineageModel(self)
        self.lineage_view = QListView()
        self.lineage_view.setModel(self.lineage_model)
        self.lineage_view.activated.connect(self._open_lineage)
        self.lineage_view.doubleClicked.connect(self._open_lineage)
        layout.addWidget(QLabel("The master and its local variants; double-click to open one."))
        layout.addWidget(self.lineage_view)
        return page

    # --- showing --------------------------------------------------------------------------

    def _load_lookups(self) -> None:
        with self.ctx.store.read() as session:
            self.markets = {
                m.code: {"timezone": m.timezone, "languages": list(m.languages or [])}
                for m in session.scalars(select(Market).where(Market.deleted.is_(False)))
            }
            self.campaigns = {
                c.id: c.name
                for c in session.scalars(select(Campaign).where(Campaign.deleted.is_(False)))
            }

    def show_asset(self, asset_id: str | None) -> None:
        row = family = diff = None
        if asset_id is not None:
            if not self.markets:
                self._load_lookups()
            with self.ctx.store.read() as session:
                row = queries.asset_row(session, asset_id)
                if row is not None:
                    family = queries.lineage(session, asset_id)
                    diff = queries.stale_diff(session, "asset", asset_id)
        self.row, self.diff = row, diff
        self.empty.setVisible(row is None)
        self.scroller.setVisible(row is not None)
        if row is None:
            return
        self.heading.setText(row.title or row.name)
        self.name_label.setText(row.name)
        self._show_stale(diff)
        self._show_file(row)
        self._show_details(row)
        self._show_rights(row)
        self._show_embargo(row)
        assert family is not None
        rows = ([family.master] if family.master else []) + [
            v for v in family.variants if family.master is None or v.id != family.master.id
        ]
        self.lineage_model.set_rows(rows, row.id)
        self._show_adapt_buttons(row)
        writable = self.ctx.workspace.actor.may_write("asset", row.market)
        for widget in (
            self.title_edit,
            self.alt_edit,
            self.tags_edit,
            self.status_combo,
            self.language_combo,
            self.save_details,
            self.holder_edit,
            self.licence_edit,
            self.organic_box,
            self.paid_box,
            self.territories_edit,
            self.expires_box,
            self.talent_combo,
            self.notes_edit,
            self.save_rights,
            self.embargo_box,
            self.all_markets_box,
            self.save_embargo,
            self.lift_button,
            *self.market_boxes.values(),
        ):
            widget.setEnabled(writable)
        self.expires_edit.setEnabled(writable and self.expires_box.isChecked())
        self.embargo_edit.setEnabled(writable and self.embargo_box.isChecked())
        self.read_only_note.setText(
            ""
            if writable
            else (
                "Masters are edited centrally: adapt it for your market to change your version."
                if row.is_master
                else "This asset belongs to another market; you can look but not change it."
            )
        )

    def refresh(self) -> None:
        self.show_asset(self.row.id if self.row else None)

    def _show_stale(self, diff: StaleDiff | None) -> None:
        self.stale_banner.setVisible(diff is not None)
        self.review_button.setVisible(diff is not None)
        if diff is None:
            return
        if diff.changes:
            names = ", ".join(field_label(c.name) for c in diff.changes)
            text = f"The master changed since this was adapted (version {diff.from_version} → "
            text += f"{diff.master_version}): {names}."
        else:
            text = (
                f"The master moved on (version {diff.from_version} → {diff.master_version}); "
                "compare it with the master."
            )
        self.stale_banner.setText(text)

    def _show_file(self, row: AssetRow) -> None:
        blob = self.ctx.store.data_dir / row.blob_path if row.blob_path else None
        has_full = blob is not None and blob.exists()
        states = {
            "pinned": "Kept offline with its campaign (full file on this computer).",
            "full": "Full file on this computer.",
            "thumbnail": "Thumbnail only; the full file downloads when you open it.",
            "none": "Not on this computer yet; it downloads when you open it.",
        }
        size = f" {row.size / 1_048_576:.1f} MB" if row.size else ""
        dims = f", {row.width} × {row.height}" if row.width and row.height else ""
        self.file_state.setText(
            f"{row.kind.capitalize()}{dims}{',' if size else ''}{size}. "
            + states.get(row.blob_state if has_full or row.blob_state != "full" else "none", "")
        )
        self.open_button.setText("Open full file" if has_full else "Download full file")
        campaign = self.campaigns.get(row.campaign_id or "", "")
        self.offline_button.setEnabled(row.campaign_id is not None)
        self.offline_button.setText(
            f"Take “{campaign}” offline" if campaign else "Take campaign offline"
        )
        source: Path | None = None
        key = row.sha256
        if has_full and row.kind == "image":
            source, key = blob, f"full:{row.sha256}"
        elif row.thumbnail_path:
            source = self.ctx.store.data_dir / row.thumbnail_path
        pixmap = self.preview_cache.get(key, source) if source is not None else None
        self._preview_key = key
        self._set_preview(pixmap if pixmap is not None else placeholder(row.kind, 120))

    def _set_preview(self, pixmap: QPixmap) -> None:
        height = self.preview.height() - 4
        self.preview.setPixmap(
            pixmap.scaled(
                PREVIEW_SIDE + 60,
                height,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    @Slot(str)
    def _preview_loaded(self, key: str) -> None:
        if self.row is not None and key == getattr(self, "_preview_key", None):
            pixmap = self.preview_cache.get(key, None)
            if pixmap is not None:
                self._set_preview(pixmap)

    def _show_details(self, row: AssetRow) -> None:
        self.title_edit.setText(row.title or "")
        self.alt_edit.setPlainText(row.alt_text or "")
        self.tags_edit.setText(", ".join(row.tags))
        self.status_combo.setCurrentIndex(max(0, STATUSES.index(row.status or "draft")))
        self.language_combo.clear()
        languages = list(self.markets.get(row.market or "", {}).get("languages", []))
        for language in dict.fromkeys([*(languages or ["en"]), row.language or ""]):
            if language:
                self.language_combo.addItem(language)
        self.language_combo.setCurrentText(row.language or "")

    def set_tag_vocabulary(self, tags: list[str]) -> None:
        completer = QCompleter(tags, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags_edit.setCompleter(completer)

    def _show_rights(self, row: AssetRow) -> None:
        rights = row.rights
        today = datetime.now(UTC).date()
        self.rights_summary.setText(rights_text(rights, today))
        self.holder_edit.setText(rights.get("holder") or "")
        self.licence_edit.setText(rights.get("license") or "")
        usage = rights.get("usage") or []
        self.organic_box.setChecked("organic" in usage)
        self.paid_box.setChecked("paid" in usage)
        self.territories_edit.setText(", ".join(rights.get("territories") or []))
        expires = rights.get("expires_on")
        self.expires_box.setChecked(bool(expires))
        self.expires_edit.setDate(
            QDate.fromString(expires, "yyyy-MM-dd") if expires else QDate.currentDate()
        )
        talent = rights.get("talent_release")
        self.talent_combo.setCurrentIndex([v for _, v in TALENT].index(talent))
        self.notes_edit.setPlainText(rights.get("notes") or "")

    def _zone_of(self, row: AssetRow) -> tuple[str, ZoneInfo]:
        name = self.markets.get(row.market or "", {}).get("timezone") or "UTC"
        return name, _zone(name)

    def _show_embargo(self, row: AssetRow) -> None:
        embargo = row.embargo
        zone_name, zone = self._zone_of(row)
        where = f" ({row.market.upper()})" if row.market else " (a master)"
        self.zone_label.setText(f"Times in {zone_name}{where}")
        self.embargo_summary.setText(embargo_text(embargo) or "No embargo.")
        until = embargo.get("until")
        self.embargo_box.setChecked(bool(until))
        moment = parse_time(until).astimezone(zone) if until else datetime.now(zone)
        self.embargo_edit.setDateTime(
            QDateTime(
                QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute)
            )
        )
        for box in self.market_boxes.values():
            self.markets_row.removeWidget(box)
            box.deleteLater()
        self.market_boxes = {}
        chosen = set(embargo.get("markets") or [])
        for market in self.ctx.workspace.actor.markets or ((row.market,) if row.market else ()):
            box = QCheckBox(market.upper())
            box.setChecked(market in chosen or (not chosen and market == row.market))
            self.market_boxes[market] = box
            self.markets_row.addWidget(box)
        self.all_markets_box.setChecked("*" in chosen)

    def _show_adapt_buttons(self, row: AssetRow) -> None:
        for button in self.adapt_buttons:
            self.adapt_row.removeWidget(button)
            button.deleteLater()
        self.adapt_buttons = []
        if not row.is_master:
            return
        for market in self.ctx.workspace.actor.markets:
            button = QPushButton(f"Adapt for {market.upper()}…")
            button.clicked.connect(
                lambda _=False, m=market, i=row.id: self.adapt_requested.emit(i, m)
            )
            self.adapt_buttons.append(button)
            self.adapt_row.addWidget(button)

    # --- editing --------------------------------------------------------------------------

    def _run(self, fn: Any, done: str) -> None:
        ws = self.ctx.workspace

        def finished(changes: ChangeSet) -> None:
            self.status.emit(f"{done} — Ctrl+Z to undo" if changes else "Nothing changed.")

        Op(self.ctx.ops, lambda _p: fn(ws), pool=Pool.DB).success(finished).with_progress(
            done, self
        ).run()

    def details_fields(self) -> dict[str, Any]:
        return {
            "title": self.title_edit.text().strip() or None,
            "alt_text": self.alt_edit.toPlainText().strip() or None,
            "tags": split_list(self.tags_edit.text()),
            "status": self.status_combo.currentData(),
            "language": self.language_combo.currentText().strip() or None,
        }

    @Slot()
    def _save_details(self) -> None:
        if self.row is None:
            return
        asset_id, fields = self.row.id, self.details_fields()
        self._run(
            lambda ws: asset_service.edit_asset(ws, asset_id=asset_id, fields=fields),
            f"Saved {self.row.name}",
        )

    def rights_fields(self) -> dict[str, Any]:
        usage = [
            u
            for u, box in (("organic", self.organic_box), ("paid", self.paid_box))
            if box.isChecked()
        ]
        territories = split_list(self.territories_edit.text().lower())
        return {
            "holder": self.holder_edit.text().strip() or None,
            "license": self.licence_edit.text().strip() or None,
            "usage": usage,
            "territories": ["*"] if "*" in territories else territories,
            "expires_on": (
                self.expires_edit.date().toString("yyyy-MM-dd")
                if self.expires_box.isChecked()
                else None
            ),
            "talent_release": self.talent_combo.currentData(),
            "notes": self.notes_edit.toPlainText().strip() or None,
        }

    @Slot()
    def _save_rights(self) -> None:
        if self.row is None:
            return
        asset_id, rights = self.row.id, self.rights_fields()
        self._run(
            lambda ws: asset_service.set_rights(
                ws,
                asset_ids=[asset_id],
                rights=rights,
                label=f"Rights of {self.row.name if self.row else ''}",
            ),
            "Saved the rights",
        )

    def embargo_values(self) -> tuple[str | None, list[str]]:
        if self.row is None or not self.embargo_box.isChecked():
            return None, []
        _, zone = self._zone_of(self.row)
        qt = self.embargo_edit.dateTime()
        d, t = qt.date(), qt.time()
        local = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=zone)
        markets = (
            ["*"]
            if self.all_markets_box.isChecked()
            else [m for m, box in self.market_boxes.items() if box.isChecked()]
        )
        return format_time(local.astimezone(UTC)), markets

    @Slot()
    def _save_embargo(self) -> None:
        if self.row is None:
            return
        until, markets = self.embargo_values()
        if until is not None and not markets:
            self.status.emit("Choose the markets the embargo holds in, or All markets.")
            return
        asset_id = self.row.id
        self._run(
            lambda ws: asset_service.set_embargo(
                ws, asset_ids=[asset_id], until=until, markets=markets
            ),
            "Saved the embargo" if until else "Lifted the embargo",
        )

    @Slot()
    def _lift_embargo(self) -> None:
        self.embargo_box.setChecked(False)
        self._save_embargo()

    # --- files ----------------------------------------------------------------------------

    @Slot()
    def _open_full(self) -> None:
        row = self.row
        if row is None:
            return
        blob = self.ctx.store.data_dir / row.blob_path if row.blob_path else None
        if blob is not None and blob.exists():
            self.open_url(QUrl.fromLocalFile(str(blob)))
            return
        engine, store, sha = self.ctx.engine, self.ctx.store, row.sha256

        def download(_progress: Progress) -> Path:
            from sync.client.blobs import download_blob

            api = engine.api()
            try:
                return download_blob(store, api, engine.files, sha)
            finally:
                api.close()

        def done(path: Path) -> None:
            self.status.emit(f"Downloaded {row.name}.")
            self.ctx.signals.changed.emit(frozenset({"asset"}))
            self.open_url(QUrl.fromLocalFile(str(path)))

        Op(self.ctx.ops, download, pool=Pool.NET).success(done).with_progress(
            f"Downloading {row.name}", self
        ).run()

    @Slot()
    def _take_offline(self) -> None:
        row = self.row
        if row is None or row.campaign_id is None:
            return
        engine, store, campaign_id = self.ctx.engine, self.ctx.store, row.campaign_id
        campaign = self.campaigns.get(campaign_id, "this campaign")

        def work(progress: Progress) -> tuple[int, int, str | None]:
            from sync.client.api import SyncError
            from sync.client.blobs import download_pinned, pin_campaign

            shas = pin_campaign(store, campaign_id)
            try:
                api = engine.api()
            except SyncError as exc:
                return len(shas), 0, str(exc)
            try:
                return len(shas), download_pinned(store, api, engine.files, progress=progress), None
            except SyncError as exc:
                return len(shas), 0, str(exc)
            finally:
                api.close()

        def done(result: tuple[int, int, str | None]) -> None:
            count, fetched, problem = result
            if problem is None:
                self.status.emit(
                    f"“{campaign}” is kept offline: {count:,} files, {fetched:,} downloaded now."
                )
            else:
                self.status.emit(
                    f"“{campaign}” will be kept offline ({count:,} files); they download at the "
                    f"next sync. ({problem})"
                )
            self.ctx.signals.changed.emit(frozenset({"asset"}))

        Op(self.ctx.ops, work, pool=Pool.NET).success(done).with_progress(
            f"Taking “{campaign}” offline", self
        ).run()

    # --- lineage and staleness ---------------------------------------------------------------

    @Slot(QModelIndex)
    def _open_lineage(self, index: QModelIndex) -> None:
        asset_id = index.data(ID_ROLE)
        if asset_id:
            self.open_record.emit("asset", asset_id)

    @Slot()
    def _review(self) -> None:
        if self.row is not None and self.row.master_id and self.row.market:
            self.adapt_requested.emit(self.row.master_id, self.row.market)
