"""The ops board: the next 48 hours for the lead's markets, in cards with counts.

It loads in two background reads (what is due first, the cross-record warnings after), refreshes
when entries, assets, requests or preferences change, and ticks the SLA countdowns every second
on the server's clock. Each item opens what it is about; a stale adaptation opens the master and
the local version side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Final

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop.progress import Progress
from desktop.queries.ops import QUICK, SECTIONS, WARNINGS, OpsBoard, OpsItem, OpsSection
from ui.operations import Op, Pool, alive
from ui.ops_board.model import (
    COUNTDOWN_COLOR_ROLE,
    COUNTDOWN_ROLE,
    DETAIL_ROLE,
    SEVERITY_COLORS,
    SEVERITY_ROLE,
    OpsItemsModel,
)
from ui.shell.icons import icon

Index = QModelIndex | QPersistentModelIndex
SHOWN_TYPES: Final = frozenset(
    {"calendar_entry", "asset", "amplification_request", "market", "preference"}
)
ROW_HEIGHT: Final = 50
VISIBLE_ROWS: Final = 4
CARD_WIDTH: Final = 370  # a column per this many pixels, up to three


class _ItemDelegate(QStyledItemDelegate):
    """Two lines per item: the title, the detail; a colour bar for severity; the countdown."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width(), ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        if selected:
            painter.fillRect(rect, QColor("#e4ecfd"))
        elif hovered:
            painter.fillRect(rect, QColor("#f3f6fc"))
        severity = index.data(SEVERITY_ROLE) or "info"
        painter.fillRect(
            QRect(rect.left(), rect.top() + 6, 4, rect.height() - 12),
            QColor(SEVERITY_COLORS.get(severity, "#2f6fed")),
        )
        countdown = index.data(COUNTDOWN_ROLE)
        right = rect.right() - 10
        if countdown:
            font = QFont(option.font)
            font.setBold(True)
            painter.setFont(font)
            width = painter.fontMetrics().horizontalAdvance(countdown) + 4
            color = index.data(COUNTDOWN_COLOR_ROLE) or QColor("#2b7a3d")
            painter.setPen(color)
            painter.drawText(
                QRect(right - width, rect.top(), width, rect.height()),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                countdown,
            )
            right -= width + 12
        text_rect = QRect(rect.left() + 14, rect.top() + 5, right - rect.left() - 14, 20)
        title_font = QFont(option.font)
        title_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(QColor("#1d2636"))
        metrics = painter.fontMetrics()
        title = metrics.elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            Qt.TextElideMode.ElideRight,
            text_rect.width(),
        )
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, title)
        painter.setFont(option.font)
        painter.setPen(QColor("#5b6678"))
        detail_rect = text_rect.translated(0, 21)
        detail = painter.fontMetrics().elidedText(
            str(index.data(DETAIL_ROLE) or ""), Qt.TextElideMode.ElideRight, detail_rect.width()
        )
        painter.drawText(detail_rect, Qt.AlignmentFlag.AlignVCenter, detail)
        painter.setPen(QColor("#edf0f5"))
        painter.drawLine(rect.left() + 10, rect.bottom(), rect.right() - 10, rect.bottom())
        painter.restore()


class _ItemList(QListView):
    """A card's list: Enter or a click opens the item."""

    activated_item = Signal(object)  # OpsItem

    def __init__(self, model: OpsItemsModel) -> None:
        super().__init__()
        self.setModel(model)
        self.setItemDelegate(_ItemDelegate(self))
        self.setMouseTracking(True)
        self.setUniformItemSizes(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.clicked.connect(self._open)
        self.activated.connect(self._open)

    def _open(self, index: QModelIndex) -> None:
        model = self.model()
        assert isinstance(model, OpsItemsModel)
        if index.isValid():
            self.activated_item.emit(model.item(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)


class SectionCard(QFrame):
    """One section: its title and count, its items or what the empty section says."""

    def __init__(self, key: str, title: str, empty: str) -> None:
        super().__init__()
        self.key = key
        self.setObjectName("card")
        self.setProperty("section", key)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 10)
        layout.setSpacing(6)
        head = QHBoxLayout()
        self.title = QLabel(title)
        self.title.setObjectName("cardTitle")
        self.count = QLabel("…")
        self.count.setObjectName("countPill")
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.count)
        layout.addLayout(head)
        self.model = OpsItemsModel(self)
        self.list = _ItemList(self.model)
        self.list.hide()
        self.empty = QLabel("Loading…")
        self.empty.setObjectName("cardEmpty")
        self.empty.setWordWrap(True)
        self.more = QLabel()
        self.more.setObjectName("cardMore")
        self.more.hide()
        layout.addWidget(self.list)
        layout.addWidget(self.empty)
        layout.addWidget(self.more)
        layout.addStretch(1)

    def set_section(self, section: OpsSection, now: datetime) -> None:
        self.model.set_items(section.items, now)
        self.count.setText(f"{section.total:,}")
        self.count.setProperty("zero", section.total == 0)
        self.count.style().unpolish(self.count)
        self.count.style().polish(self.count)
        rows = len(section.items)
        self.list.setVisible(rows > 0)
        self.list.setFixedHeight(min(rows, VISIBLE_ROWS) * ROW_HEIGHT + 2)
        self.empty.setVisible(rows == 0)
        self.empty.setText(section.empty)
        shown_all = section.total <= rows
        self.more.setVisible(not shown_all)
        if not shown_all:
            self.more.setText(f"Showing the first {rows:,} of {section.total:,}.")


class OpsBoardView(QWidget):
    """The ops board. ``clock`` (default: the workspace's) is injectable for tests."""

    open_record = Signal(str, str)
    adapt_requested = Signal(str, str, str)  # record type, master id, market
    loaded = Signal()  # the first sections are on screen
    warnings_loaded = Signal()

    def __init__(
        self,
        ctx: Any,
        *,
        clock: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.clock = clock or ctx.workspace.clock
        self.setObjectName("opsBoard")
        self.board: OpsBoard | None = None
        self._generation = 0
        self._painted_after_load = False
        self.cards: dict[str, SectionCard] = {}
        self._sections: dict[str, OpsSection] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        header = QWidget()
        header.setObjectName("viewHeader")
        head = QHBoxLayout(header)
        head.setContentsMargins(24, 16, 24, 8)
        titles = QVBoxLayout()
        heading = QLabel("Ops board")
        heading.setObjectName("viewTitle")
        self.subtitle = QLabel("Loading the next 48 hours…")
        self.subtitle.setObjectName("viewSubtitle")
        self.subtitle.setWordWrap(True)
        titles.addWidget(heading)
        titles.addWidget(self.subtitle)
        head.addLayout(titles, 1)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Filter the board (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.search.textChanged.connect(self._filter_changed)
        head.addWidget(self.search, 0, Qt.AlignmentFlag.AlignTop)
        self.refresh_button = QPushButton(icon("refresh"), "Refresh")
        self.refresh_button.setToolTip("Read the board again (it also refreshes by itself)")
        self.refresh_button.clicked.connect(self.refresh)
        head.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addWidget(header)

        scroll = QScrollArea()
        scroll.setObjectName("boardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("boardBody")
        self.grid = QGridLayout(body)
        self.grid.setContentsMargins(24, 8, 24, 24)
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(16)
        for key, title, _empty in SECTIONS:
            card = SectionCard(key, title, "")
            card.list.activated_item.connect(self._open_item)
            self.cards[key] = card
        self._columns = 0
        self._arrange(2)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.tick)
        self._refresh_soon = QTimer(self)
        self._refresh_soon.setSingleShot(True)
        self._refresh_soon.setInterval(250)
        self._refresh_soon.timeout.connect(self.refresh)
        ctx.signals.changed.connect(self._on_changed)
        self.refresh()

    # --- layout -----------------------------------------------------------------------------

    def _arrange(self, columns: int) -> None:
        """Cards in ``columns`` columns, in the sections' order (three on a wide window)."""
        if columns == self._columns:
            return
        self._columns = columns
        for card in self.cards.values():
            self.grid.removeWidget(card)
        for n, card in enumerate(self.cards.values()):
            self.grid.addWidget(card, n // columns, n % columns)
        for column in range(3):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(max(1, min(3, (event.size().width() - 48) // CARD_WIDTH)))

    # --- loading ----------------------------------------------------------------------------

    @Slot(object)
    def _on_changed(self, types: frozenset[str]) -> None:
        if types & SHOWN_TYPES:
            self._refresh_soon.start()

    @Slot()
    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        store, settings, now = self.ctx.store, self.ctx.settings, self.clock()
        shown = settings.value("view/markets")
        shown_markets = [str(m) for m in shown] if isinstance(shown, list) else None
        if isinstance(shown, str) and shown:
            shown_markets = [shown]

        def read(sections: Sequence[str]) -> Callable[[Progress], tuple[OpsBoard, float]]:
            def job(_progress: Progress) -> tuple[OpsBoard, float]:
                from desktop.queries.ops import ops_board
                from desktop.services.preferences import load_preferences
                from sync.client.engine import account

                acct = account(store)
                prefs = load_preferences(store)
                markets = [m for m in acct.markets if shown_markets is None or m in shown_markets]
                with store.read() as session:
                    board = ops_board(
                        session,
                        markets=markets,
                        now=now,
                        rights_days=prefs.rights_days,
                        embargo_hours=prefs.embargo_hours,
                        drift_days=prefs.drift_days,
                        clock_offset_seconds=acct.clock_offset_seconds,
                        sections=sections,
                    )
                return board, acct.clock_offset_seconds

            return job

        def show(result: tuple[OpsBoard, float], *, first: bool) -> None:
            if not alive(self) or generation != self._generation:
                return  # a newer refresh is on its way
            board, offset = result
            self._apply(board, offset, now)
            if first:
                if self.isVisible():
                    self._painted_after_load = False  # paintEvent says "loaded"
                    self.update()
                else:
                    self._painted_after_load = True  # a hidden board never paints
                    self.loaded.emit()
                Op(self.ctx.ops, read(WARNINGS), pool=Pool.DB).success(
                    lambda r: show(r, first=False)
                ).failure(self._failed).run()
            else:
                self.warnings_loaded.emit()

        Op(self.ctx.ops, read(QUICK), pool=Pool.DB).success(lambda r: show(r, first=True)).failure(
            self._failed
        ).run()

    def _apply(self, board: OpsBoard, offset: float, now: datetime) -> None:
        self.board = board
        for section in board.sections:
            self._sections[section.key] = section
            card = self.cards[section.key]
            card.model.clock_offset_seconds = offset
            card.set_section(self._filtered(section), now)
        if board.markets:
            markets = ", ".join(m.upper() for m in board.markets)
            self.subtitle.setText(
                f"Next {board.hours} hours for {markets} · as of {now.astimezone():%a %d %b %H:%M}"
            )
        else:
            self.subtitle.setText(
                "Sign in to see the next 48 hours for your markets (File → Sign in…)."
            )
        if not self.ticker.isActive():
            self.ticker.start()

    def _failed(self, error: BaseException) -> None:
        from ui.operations import user_message

        if not alive(self):
            return
        self.subtitle.setText(f"The board could not be read: {user_message(error)}")

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.board is not None and not self._painted_after_load:
            self._painted_after_load = True
            QTimer.singleShot(0, self.loaded.emit)

    # --- filtering --------------------------------------------------------------------------

    def _filtered(self, section: OpsSection) -> OpsSection:
        words = self.search.text().casefold().split()
        if not words:
            return section
        items = tuple(
            item
            for item in section.items
            if all(w in f"{item.title} {item.detail}".casefold() for w in words)
        )
        return OpsSection(
            section.key, section.title, "Nothing here matches the filter.", items, len(items)
        )

    def section(self, key: str) -> OpsSection:
        """The section as last read (before the filter)."""
        return self._sections[key]

    def _filter_changed(self, _text: str) -> None:
        now = self.clock()
        for key, section in self._sections.items():
            self.cards[key].set_section(self._filtered(section), now)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- live countdowns --------------------------------------------------------------------

    @Slot()
    def tick(self) -> None:
        now = self.clock()
        for card in self.cards.values():
            card.model.tick(now)

    # --- opening items ----------------------------------------------------------------------

    def _open_item(self, item: OpsItem) -> None:
        if item.section == "stale" and item.master_id and item.market:
            self.adapt_requested.emit(item.record_type, item.master_id, item.market)
            return
        self.open_record.emit(item.record_type, item.record_id)

    def show_record(self, record_type: str, record_id: str) -> None:
        """Select the record's first item on the board, if it is there."""
        for card in self.cards.values():
            for row, item in enumerate(card.model.items()):
                if item.record_type == record_type and item.record_id == record_id:
                    card.list.setCurrentIndex(card.model.index(row))
                    card.list.setFocus()
                    return

    def stop(self) -> None:
        self.ticker.stop()
