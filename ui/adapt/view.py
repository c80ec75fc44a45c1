"""Adapt a global entry or a master asset for one of the lead's markets: the master (read-only) and
the local version side by side, with the market's checks live while typing.

For a calendar entry: the caption, its hook (first line) and call to action, the title, and a local
file or a crop of the master's picture (imported like a drop, as its own undoable step, and linked
as the entry's asset). For an asset: title, alt text, language, and a local file or crop (stored
in the blob store; the adaptation points at it). Checks: the market's forbidden terms highlighted
(``desktop.rules.terms``), the market's legal note required in an entry's caption, the channel's
character limit (``desktop.rules.channels``).

When the local version already exists and its master moved on (stale), the view lists what
changed in the master (``desktop.queries.assets.stale_diff``) and lets the lead take the master's
new value per field; saving marks the adaptation as made from the master's current version.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QPixmap,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRubberBand,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from desktop.domain.values import parse_time
from desktop.progress import Progress
from desktop.queries import assets as queries
from desktop.queries.assets import StaleDiff
from desktop.rules._text import field_label, format_moment
from desktop.rules.channels import CHANNEL_NAMES, canonical_channel, caption_length, channel_limit
from desktop.rules.requests import legal_note_present
from desktop.rules.terms import find_terms
from desktop.services import assets as asset_service
from desktop.services import entries as entry_service
from desktop.services import files as importer
from desktop.services.changes import ChangeSet
from desktop.services.files import ImportDefaults
from desktop.store import records
from desktop.store.models import Asset, CalendarEntry, Market
from ui.adapt.caption import split_caption, utf16_offset, with_cta, with_hook
from ui.operations import Op, Pool, show_error, user_message

RECORD_TYPES = ("calendar_entry", "asset")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class TermHighlighter(QSyntaxHighlighter):
    """Marks the market's forbidden terms (whole words, as the rules match them) while typing."""

    def __init__(self, document: QTextDocument, terms: list[str]) -> None:
        super().__init__(document)
        self.terms = list(terms)
        self.term_format = QTextCharFormat()
        self.term_format.setBackground(QColor("#ffd6d6"))
        self.term_format.setForeground(QColor("#a00000"))
        self.term_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self.term_format.setUnderlineColor(QColor("#d00000"))
        # Mark the text already there now, not after a queued pass (which would also skip the
        # edits made before it runs).
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        for hit in find_terms(text, self.terms):
            start = utf16_offset(text, hit.start)
            self.setFormat(start, utf16_offset(text, hit.end) - start, self.term_format)


class CropArea(QLabel):
    """A picture on which the lead draws the crop rectangle with the mouse."""

    def __init__(self, pixmap: QPixmap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPixmap(pixmap)
        self.setFixedSize(pixmap.size())
        self.band = QRubberBand(QRubberBand.Shape.Rectangle, self)
        self.origin = QPoint()
        self.rect_ = QRect()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.origin = event.position().toPoint()
        self.band.setGeometry(QRect(self.origin, QSize()))
        self.band.show()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self.band.setGeometry(QRect(self.origin, event.position().toPoint()).normalized())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.rect_ = QRect(self.origin, event.position().toPoint()).normalized() & self.rect()
        self.band.setGeometry(self.rect_)

    def set_fraction(self, box: QRectF) -> None:
        w, h = self.width(), self.height()
        self.rect_ = QRect(
            round(box.left() * w),
            round(box.top() * h),
            round(box.width() * w),
            round(box.height() * h),
        )
        self.band.setGeometry(self.rect_)
        self.band.show()

    def fraction(self) -> tuple[float, float, float, float]:
        w, h = max(self.width(), 1), max(self.height(), 1)
        r = self.rect_
        return (r.left() / w, r.top() / h, (r.left() + r.width()) / w, (r.top() + r.height()) / h)


class CropDialog(QDialog):
    def __init__(self, pixmap: QPixmap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Crop the master picture")
        scaled = pixmap.scaled(
            560, 560, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self.area = CropArea(scaled)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Use this crop")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Drag a rectangle over the part of the picture to keep."))
        layout.addWidget(self.area, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(buttons)


def _read_only(text: str) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setReadOnly(True)
    box.setStyleSheet("background: #f4f5f7;")
    return box


class AdaptView(QDialog):
    """The master and the local version side by side. ``created(new id)`` after a create."""

    created = Signal(str)
    saved = Signal(str)

    def __init__(
        self,
        ctx: Any,
        *,
        record_type: str,
        master_id: str,
        market: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if record_type not in RECORD_TYPES:
            raise ValueError(f"Only calendar entries and assets can be adapted, not {record_type}")
        self.ctx = ctx
        self.record_type = record_type
        self.master_id = master_id
        self.market = market
        self.extra: dict[str, Any] = {}  # fields set by a local file, a crop or "take the master's"
        self.local_label_text = ""
        self._syncing = False
        self._load()
        self.setWindowTitle(f"Adapt for {market.upper()}: {self._master_title()}")
        self.resize(1100, 720)
        self._build()
        self.update_checks()

    # --- data ------------------------------------------------------------------------------

    def _load(self) -> None:
        with self.ctx.store.read() as session:
            found = records.get(session, self.record_type, self.master_id)
            market = session.scalar(select(Market).where(Market.code == self.market))
            self.market_data: dict[str, Any] = {
                "name": market.name if market else self.market.upper(),
                "languages": list(market.languages or []) if market else [],
                "forbidden_terms": list(market.forbidden_terms or []) if market else [],
                "legal_note": market.legal_note if market else None,
                "timezone": market.timezone if market else None,
            }
            if self.record_type == "calendar_entry":
                link = CalendarEntry
                existing_id = session.scalar(
                    select(link.id).where(
                        link.parent_id == self.master_id,
                        link.market == self.market,
                        link.deleted.is_(False),
                    )
                )
            else:
                existing_id = session.scalar(
                    select(Asset.id).where(
                        Asset.master_id == self.master_id,
                        Asset.market == self.market,
                        Asset.deleted.is_(False),
                    )
                )
            self.existing = (
                records.get(session, self.record_type, existing_id) if existing_id else None
            )
            self.diff: StaleDiff | None = (
                queries.stale_diff(session, self.record_type, existing_id) if existing_id else None
            )
            asset_ids = (found or {}).get("data", {}).get("asset_ids") or []
            if self.record_type == "asset":
                asset_ids = [self.master_id]
            self.master_assets = queries.asset_rows(session, asset_ids)
        if found is None or found["deleted"]:
            self.master: dict[str, Any] = {}
            self.problem = "The master is no longer here (removed by a sync?)."
        else:
            self.master = found["data"]
            self.problem = ""

    def _master_title(self) -> str:
        return str(self.master.get("title") or self.master.get("name") or "")

    def local(self) -> dict[str, Any]:
        """The local version's starting values: the existing adaptation, else the master's."""
        return (self.existing or {}).get("data") or self.master

    # --- layout -------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        heading = QLabel(
            f"<b>{'Global entry' if self.record_type == 'calendar_entry' else 'Master asset'}</b>"
            f" → <b>{self.market.upper()}</b> {self.market_data['name'] or ''}"
            + (" — editing your existing adaptation" if self.existing else "")
        )
        layout.addWidget(heading)
        if self.problem:
            layout.addWidget(QLabel(self.problem))
        self.stale_box = self._stale_section()
        layout.addWidget(self.stale_box)
        columns = QHBoxLayout()
        self.master_box = QGroupBox("Master (read-only)")
        self.local_box = QGroupBox(f"Your version for {self.market.upper()}")
        for box in (self.master_box, self.local_box):
            box.setAlignment(Qt.AlignmentFlag.AlignLeft)
        columns.addWidget(self.master_box, 1)
        columns.addWidget(self.local_box, 1)
        layout.addLayout(columns, 1)
        if self.record_type == "calendar_entry":
            self._build_entry()
        else:
            self._build_asset()
        self.checks = QLabel()
        self.checks.setWordWrap(True)
        self.checks.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.checks)
        self.buttons = QDialogButtonBox()
        self.submit = self.buttons.addButton(
            "Save changes" if self.existing else "Create adaptation",
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit_adaptation)
        self.buttons.rejected.connect(self.reject)
        self.submit.setEnabled(not self.problem)
        layout.addWidget(self.buttons)

    def _stale_section(self) -> QGroupBox:
        box = QGroupBox("The master changed since you adapted it")
        box.setStyleSheet("QGroupBox { background: #fff6e5; }")
        grid = QGridLayout(box)
        self.take_buttons: dict[str, QPushButton] = {}
        diff = self.diff
        box.setVisible(diff is not None)
        if diff is None:
            return box
        note = (
            f"Version {diff.from_version} → {diff.master_version}."
            if diff.known
            else f"Version {diff.from_version} → {diff.master_version}; the earlier master is "
            "not kept here, so these are the fields where yours differs from the master now."
        )
        grid.addWidget(QLabel(note), 0, 0, 1, 4)
        for col, title in enumerate(("Field", "Master then", "Master now", "")):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 1, col)
        for row, change in enumerate(diff.changes, start=2):
            grid.addWidget(QLabel(field_label(change.name).capitalize()), row, 0)
            zone = self.market_data["timezone"]
            then = QLabel(_short(change.then, zone) if diff.known else "—")
            now = QLabel(_short(change.now, zone))
            for label in (then, now):
                label.setWordWrap(True)
            grid.addWidget(then, row, 1)
            grid.addWidget(now, row, 2)
            button = QPushButton("Take the master's")
            button.clicked.connect(lambda _=False, name=change.name: self.take_master(name))
            self.take_buttons[change.name] = button
            grid.addWidget(button, row, 3)
        if not diff.changes:
            grid.addWidget(QLabel("None of the fields you adapted changed."), 2, 0, 1, 4)
        return box

    def _build_entry(self) -> None:
        master, local = self.master, self.local()
        channel = master.get("channel")
        hook, cta = split_caption(master.get("caption") or "")
        left = QFormLayout(self.master_box)
        left.addRow("Title", QLabel(master.get("title") or ""))
        left.addRow(
            "Channel", QLabel(CHANNEL_NAMES.get(canonical_channel(channel) or "", channel or "—"))
        )
        left.addRow("Hook", _wrapped(hook))
        self.master_caption = _read_only(master.get("caption") or "")
        left.addRow("Caption", self.master_caption)
        left.addRow("Call to action", _wrapped(cta or "—"))
        names = ", ".join(r.name for r in self.master_assets.values()) or "none"
        left.addRow("Files", _wrapped(names))
        right = QFormLayout(self.local_box)
        self.title_edit = QLineEdit(local.get("title") or "")
        self.hook_edit = QLineEdit()
        self.caption_edit = QPlainTextEdit(local.get("caption") or "")
        self.cta_edit = QLineEdit()
        self.highlighter = TermHighlighter(
            self.caption_edit.document(), self.market_data["forbidden_terms"]
        )
        self.title_highlight = QLabel()
        languages = self.market_data["languages"]
        self.language_combo = QComboBox()
        self.language_combo.addItems(languages or ["—"])
        self.language_combo.setEnabled(False)
        self.language_combo.setToolTip("A post is in its market's language.")
        self.counter = QLabel()
        right.addRow("Title", self.title_edit)
        right.addRow("Hook (first line)", self.hook_edit)
        right.addRow("Caption", self.caption_edit)
        right.addRow("", self.counter)
        right.addRow("Call to action", self.cta_edit)
        right.addRow("Language", self.language_combo)
        right.addRow("File", self._file_row())
        self._sync_parts()
        self.caption_edit.textChanged.connect(self._caption_changed)
        self.hook_edit.textEdited.connect(self._hook_edited)
        self.cta_edit.textEdited.connect(self._cta_edited)
        self.title_edit.textChanged.connect(self.update_checks)

    def _build_asset(self) -> None:
        master, local = self.master, self.local()
        if self.existing is None:
            local = {**local, "title": _localized_title(master.get("title"), self.market)}
        row = self.master_assets.get(self.master_id)
        left = QFormLayout(self.master_box)
        self.master_preview = QLabel()
        self.master_preview.setFixedHeight(200)
        self.master_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pixmap = self._master_pixmap()
        if pixmap is not None:
            self.master_preview.setPixmap(
                pixmap.scaled(
                    360,
                    196,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.master_preview.setText("No preview on this computer yet")
        left.addRow(self.master_preview)
        left.addRow("Name", _wrapped(master.get("name") or ""))
        left.addRow("Title", _wrapped(master.get("title") or ""))
        left.addRow("Alt text", _wrapped(master.get("alt_text") or "—"))
        left.addRow("Language", QLabel(master.get("language") or "—"))
        if row is not None:
            left.addRow("File", QLabel(f"{row.kind}, {row.width or '?'} × {row.height or '?'}"))
        right = QFormLayout(self.local_box)
        self.title_edit = QLineEdit(local.get("title") or "")
        self.alt_edit = QPlainTextEdit(local.get("alt_text") or "")
        self.alt_edit.setFixedHeight(90)
        self.highlighter = TermHighlighter(
            self.alt_edit.document(), self.market_data["forbidden_terms"]
        )
        self.language_combo = QComboBox()
        self.language_combo.setEditable(True)
        current = (self.existing or {}).get("data", {}).get("language")
        languages = list(
            dict.fromkeys([*self.market_data["languages"], *([current] if current else [])])
        )
        self.language_combo.addItems(languages or ["en"])
        if current:
            self.language_combo.setCurrentText(current)
        self.counter = QLabel()
        self.local_preview = QLabel()
        self.local_preview.setFixedHeight(160)
        self.local_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.local_preview.setText("Uses the master's file unless you pick a local file or crop.")
        self.local_preview.setWordWrap(True)
        self.local_preview.setStyleSheet("color: #5b6370; background: #f4f5f7;")
        right.addRow("Title", self.title_edit)
        right.addRow("Alt text", self.alt_edit)
        right.addRow("Language", self.language_combo)
        right.addRow("File", self._file_row())
        right.addRow(self.local_preview)
        self.title_edit.textChanged.connect(self.update_checks)
        self.alt_edit.textChanged.connect(self.update_checks)

    def _file_row(self) -> QWidget:
        box = QWidget()
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.file_button = QPushButton("Use a local file…")
        self.file_button.clicked.connect(self._pick_file)
        self.crop_button = QPushButton("Crop the master…")
        self.crop_button.clicked.connect(self._pick_crop)
        self.crop_button.setEnabled(self._master_image_path() is not None)
        if not self.crop_button.isEnabled():
            self.crop_button.setToolTip(
                "The master's full picture is not on this computer: open it in the asset bank "
                "to download it, then crop."
            )
        self.file_label = QLabel("The master's file")
        self.file_label.setWordWrap(True)
        row.addWidget(self.file_button)
        row.addWidget(self.crop_button)
        row.addWidget(self.file_label, 1)
        return box

    # --- the caption's parts ------------------------------------------------------------

    def _sync_parts(self) -> None:
        hook, cta = split_caption(self.caption_edit.toPlainText())
        self._syncing = True
        if not self.hook_edit.hasFocus():
            self.hook_edit.setText(hook)
            self.hook_edit.setCursorPosition(0)
        if not self.cta_edit.hasFocus():
            self.cta_edit.setText(cta)
            self.cta_edit.setCursorPosition(0)
        self._syncing = False

    @Slot()
    def _caption_changed(self) -> None:
        if not self._syncing:
            self._sync_parts()
        self.update_checks()

    def _set_caption(self, text: str) -> None:
        self._syncing = True
        self.caption_edit.setPlainText(text)
        self._syncing = False
        self.update_checks()

    @Slot(str)
    def _hook_edited(self, hook: str) -> None:
        self._set_caption(with_hook(self.caption_edit.toPlainText(), hook))

    @Slot(str)
    def _cta_edited(self, cta: str) -> None:
        self._set_caption(with_cta(self.caption_edit.toPlainText(), cta))

    # --- checks -------------------------------------------------------------------------

    def findings(self) -> list[tuple[str, str]]:
        """(severity, message) of the live checks: "error" blocks creating, "ok" is a pass."""
        terms = self.market_data["forbidden_terms"]
        where = self.market.upper()
        found: list[tuple[str, str]] = []
        texts = {"title": self.title_edit.text()}
        if self.record_type == "calendar_entry":
            texts["caption"] = self.caption_edit.toPlainText()
        else:
            texts["alt text"] = self.alt_edit.toPlainText()
        for name, text in texts.items():
            for term in dict.fromkeys(h.term for h in find_terms(text, terms)):
                found.append(("error", f"The {name} contains “{term}”, not allowed in {where}."))
        if self.record_type == "calendar_entry":
            caption = texts["caption"]
            required = self.market_data["legal_note"]
            if required and required.strip():
                if legal_note_present(required, caption):
                    found.append(("ok", f"Legal note “{required}” is in the caption."))
                else:
                    found.append(
                        ("error", f"Add the legal note required in {where}: “{required}”.")
                    )
            channel = self.master.get("channel")
            limit = channel_limit(channel)
            length = caption_length(channel, caption)
            name = CHANNEL_NAMES.get(canonical_channel(channel) or "", channel or "")
            if limit is None:
                self.counter.setText(f"{length:,} characters")
            else:
                self.counter.setText(f"{length:,} / {limit:,} characters on {name}")
                if length > limit:
                    found.append(
                        (
                            "error",
                            f"The caption is {length - limit:,} characters over "
                            f"{name}'s limit of {limit:,}.",
                        )
                    )
            self.counter.setStyleSheet(
                "color: #b00000; font-weight: 600;"
                if limit and length > limit
                else "color: #5b6370;"
            )
        return found

    @Slot()
    def update_checks(self) -> None:
        found = self.findings()
        if not found:
            self.checks.setText("<span style='color:#2d6a2d'>✓ No problems for this market.</span>")
        else:
            lines = [
                f"<span style='color:{'#b00000' if s == 'error' else '#2d6a2d'}'>"
                f"{'✗' if s == 'error' else '✓'} {m}</span>"
                for s, m in found
            ]
            self.checks.setText("<br>".join(lines))
        blocked = any(s == "error" for s, _ in found)
        self.submit.setEnabled(not self.problem and not blocked)
        self.submit.setToolTip("Fix the problems listed above first." if blocked else "")

    # --- local file and crop ------------------------------------------------------------

    def _master_image_path(self) -> Path | None:
        for row in self.master_assets.values():
            if row.kind == "image" and row.blob_path:
                path: Path = self.ctx.store.data_dir / row.blob_path
                if path.exists():
                    return path
        return None

    def _master_pixmap(self) -> QPixmap | None:
        for row in self.master_assets.values():
            for relative in (row.thumbnail_path, row.blob_path):
                if relative and (self.ctx.store.data_dir / relative).exists():
                    pixmap = QPixmap(str(self.ctx.store.data_dir / relative))
                    if not pixmap.isNull():
                        return pixmap
        return None

    @Slot()
    def _pick_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "A local file for this market", "", "Images, videos and PDFs (*.*)"
        )
        if path:
            self.use_file(Path(path))

    @Slot()
    def _pick_crop(self) -> None:
        source = self._master_image_path()
        if source is None:
            return
        dialog = CropDialog(QPixmap(str(source)), self)
        self.crop_dialog = dialog
        dialog.accepted.connect(lambda: self.use_crop(dialog.area.fraction()))
        dialog.open()

    def use_crop(self, box: tuple[float, float, float, float]) -> None:
        source = self._master_image_path()
        if source is None:
            return
        stem = f"{self.market}-crop"
        dest_dir = self.ctx.store.data_dir / "imports"

        def crop(_progress: Progress) -> Path:
            return importer.crop_image(source, box, dest_dir, stem=stem)

        Op(self.ctx.ops, crop, pool=Pool.NET).success(self.use_file).failure(self._failed).run()

    def use_file(self, path: Path) -> None:
        """Import ``path`` as this adaptation's file (asset: its blob; entry: a local asset)."""
        store, files = self.ctx.store, self.ctx.engine.files
        self.file_label.setText(f"Importing {path.name}…")
        if self.record_type == "asset":

            def work(progress: Progress) -> dict[str, Any]:
                return importer.import_file_blob(store, files, path, progress=progress)

            def done(fields: dict[str, Any]) -> None:
                self.extra.update(fields)
                size = f", {fields['width']} × {fields['height']}" if fields.get("width") else ""
                self.file_label.setText(f"{path.name} ({fields['kind']}{size})")
                pixmap = QPixmap(str(files.thumb_path(fields["sha256"])))
                if not pixmap.isNull():
                    self.local_preview.setPixmap(
                        pixmap.scaled(
                            300,
                            156,
                            Qt.AspectRatioMode.KeepAspectRatio,
                            Qt.TransformationMode.SmoothTransformation,
                        )
                    )

            Op(self.ctx.ops, work, pool=Pool.NET).success(done).failure(self._failed).run()
            return
        defaults = ImportDefaults(
            market=self.market,
            markets=tuple(self.ctx.workspace.actor.markets),
            brand=next((r.brand for r in self.master_assets.values() if r.brand), None),
            campaign_id=self.master.get("campaign_id"),
            language=(self.market_data["languages"] or [None])[0],
        )

        def prepare(progress: Progress) -> importer.ImportPlan:
            plan = importer.prepare_import(
                store, files, [path], defaults=defaults, progress=progress
            )
            if plan.refused:
                importer.discard_import(files, plan)
                raise importer.ImportRefused(
                    f"{path.name} cannot be used: {plan.refused[0].reason}."
                )
            return plan

        def prepared(plan: importer.ImportPlan) -> None:
            if not plan.items:
                duplicate = plan.duplicates[0]
                if duplicate.asset_id:
                    self.extra["asset_ids"] = [duplicate.asset_id]
                    self.file_label.setText(f"{path.name}: already in the bank as {duplicate.name}")
                return
            ws = self.ctx.workspace
            Op(
                self.ctx.ops, lambda _p: importer.commit_import(ws, files, plan), pool=Pool.DB
            ).success(imported).failure(self._failed).run()

        def imported(result: importer.ImportResult) -> None:
            self.extra["asset_ids"] = list(result.asset_ids)
            self.file_label.setText(f"{path.name} imported as {result.names[0]}")

        Op(self.ctx.ops, prepare, pool=Pool.NET).success(prepared).failure(self._failed).run()

    def _failed(self, error: BaseException) -> None:
        self.file_label.setText(user_message(error))

    # --- stale: take the master's values --------------------------------------------------

    def take_master(self, name: str) -> None:
        value = self.master.get(name)
        if name == "title":
            self.title_edit.setText(value or "")
        elif name == "caption" and self.record_type == "calendar_entry":
            self.caption_edit.setPlainText(value or "")
        elif name == "alt_text" and self.record_type == "asset":
            self.alt_edit.setPlainText(value or "")
        else:
            self.extra[name] = value
        button = self.take_buttons.get(name)
        if button is not None:
            button.setEnabled(False)
            button.setText("Taken")
        self.update_checks()

    # --- creating ------------------------------------------------------------------------

    def local_fields(self) -> dict[str, Any]:
        if self.record_type == "calendar_entry":
            fields: dict[str, Any] = {
                "title": self.title_edit.text().strip() or None,
                "caption": self.caption_edit.toPlainText().strip() or None,
            }
        else:
            fields = {
                "title": self.title_edit.text().strip() or None,
                "alt_text": self.alt_edit.toPlainText().strip() or None,
                "language": self.language_combo.currentText().strip() or None,
            }
        fields.update(self.extra)
        return fields

    @Slot()
    def submit_adaptation(self) -> None:
        """Create the adaptation (or save the existing one) on the database thread."""
        self.update_checks()
        if not self.submit.isEnabled():
            return
        ws, fields = self.ctx.workspace, self.local_fields()
        existing = self.existing
        master_version = self._master_version()

        def work(_progress: Progress) -> tuple[ChangeSet, str]:
            if existing is not None:
                update = {**fields, "adapted_from_version": master_version}
                if self.record_type == "calendar_entry":
                    changes = entry_service.edit_entry(ws, entry_id=existing["id"], fields=update)
                else:
                    changes = asset_service.edit_asset(ws, asset_id=existing["id"], fields=update)
                return changes, existing["id"]
            if self.record_type == "calendar_entry":
                changes = entry_service.adapt_entry(
                    ws, entry_id=self.master_id, market=self.market, fields=fields
                )
            else:
                language = fields.pop("language", None)
                changes = asset_service.adapt_asset(
                    ws,
                    asset_id=self.master_id,
                    market=self.market,
                    language=language,
                    fields=fields,
                )
            return changes, changes.changes[0].id

        def done(result: tuple[ChangeSet, str]) -> None:
            changes, record_id = result
            message = f"{changes.label} — Ctrl+Z to undo" if changes else "Nothing changed."
            self.ctx.signals.status.emit(message)
            (self.saved if existing is not None else self.created).emit(record_id)
            self.accept()

        def failed(error: BaseException) -> None:
            show_error(self, error)

        Op(self.ctx.ops, work, pool=Pool.DB).success(done).failure(failed).run()

    def _master_version(self) -> int:
        with self.ctx.store.read() as session:
            found = records.get(session, self.record_type, self.master_id)
        return int(found["version"]) if found else 1


def _localized_title(title: str | None, market: str) -> str | None:
    """A master's title for the local version: "(global)" becomes the market."""
    if not title:
        return title
    if title.endswith("(global)"):
        return title[: -len("(global)")] + f"({market.upper()})"
    return title


def _short(value: Any, zone: str | None = None) -> str:
    """A field's value in a few plain words (times in the market's zone)."""
    if value is None or value in ([], {}):
        return "—"
    if isinstance(value, str) and _TIME.fullmatch(value):
        return format_moment(parse_time(value), zone)
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    if isinstance(value, dict):
        text = ", ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, [], ""))
    return text if len(text) <= 160 else text[:157] + "…"


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
