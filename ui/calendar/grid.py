"""The week and month grids: a table view of day cells whose delegate draws entry chips, with
burst spans drawn across cells, mouse drag to move an entry, and keyboard use.

Mouse: press on a chip (or a burst) and drag it to another day; double-click opens it; "+N more"
lists the day. Keyboard: arrows move between days, Up/Down walk the chips of a day, Enter opens
the current entry, Alt+Left/Right (and Alt+Up/Down in the month) move it a day (a week), the
menu key opens its actions, PgUp/PgDn and Ctrl+Left/Right change the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop.queries.calendar import EntryRow
from ui.calendar.layout import Cell, Chip, GridLayout, SpanPiece
from ui.calendar.models import CELL_ROLE, CalendarGridModel, day_label
from ui.calendar.style import (
    INK,
    MUTED_INK,
    TODAY,
    ChipStyle,
    chip_style,
    entry_title,
    market_tag,
)

PAD: Final = 3
DAY_STRIP: Final = 20  # month view: the day number
SPAN_H: Final = 17
HIDDEN_H: Final = 14
CHIP_H: Final = 19
CHIP_GAP: Final = 2
ACCENT: Final = QColor("#2563c9")


@dataclass(frozen=True)
class CellGeometry:
    chips: list[tuple[QRect, Chip]]
    more: QRect | None
    more_count: int
    hidden: QRect | None


@dataclass(frozen=True)
class Hit:
    kind: str  # "chip", "span", "more", "cell" or "none"
    index: QModelIndex
    row: EntryRow | None = None


@dataclass
class _Press:
    row: EntryRow
    index: QPersistentModelIndex
    pos: QPoint


@dataclass(frozen=True)
class _Fonts:
    plain: QFont
    bold: QFont
    struck: QFont
    struck_bold: QFont
    plain_metrics: QFontMetrics
    bold_metrics: QFontMetrics


_FONTS: dict[str, _Fonts] = {}


def _fonts(base: QFont) -> _Fonts:
    """The chip fonts for ``base``, made once (a grid paints hundreds of chips)."""
    key = base.key()
    found = _FONTS.get(key)
    if found is None:
        plain = QFont(base)
        bold = QFont(base)
        bold.setBold(True)
        struck, struck_bold = QFont(plain), QFont(bold)
        struck.setStrikeOut(True)
        struck_bold.setStrikeOut(True)
        found = _Fonts(plain, bold, struck, struck_bold, QFontMetrics(plain), QFontMetrics(bold))
        _FONTS[key] = found
    return found


def paint_chip(
    painter: QPainter,
    rect: QRect,
    row: EntryRow,
    *,
    time_text: str,
    label: str,
    current: bool = False,
    focused: bool = False,
    linked: bool = False,
    pending: bool = False,
    ghost: bool = False,
) -> None:
    """One entry's chip: kind hue, status weight, time in bold, the label elided to fit."""
    style: ChipStyle = chip_style(row.kind, row.status)
    fonts = _fonts(painter.font())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    if ghost:
        painter.setOpacity(0.85)
    painter.setPen(QPen(style.border, 1.0, Qt.PenStyle.DotLine if pending else style.border_style))
    painter.setBrush(style.fill)
    box = QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5)
    painter.drawRoundedRect(box, 3, 3)
    if current or linked:
        # The keyboard's entry: a thick accent ring with focus, a thin one without; the
        # entries linked to it (its global entry, its local versions): a dashed ink ring.
        outline = QPen(ACCENT if current else INK, 2.0 if current and focused else 1.0)
        outline.setStyle(Qt.PenStyle.SolidLine if current else Qt.PenStyle.DashLine)
        painter.setPen(outline)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(box.adjusted(-1, -1, 1, 1), 4, 4)
    painter.setPen(style.text)
    inner = rect.adjusted(5, 0, -4, 0)
    x = inner.left()
    align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
    if time_text:
        painter.setFont(fonts.struck_bold if style.strike else fonts.bold)
        painter.drawText(inner, align, time_text)
        x += fonts.bold_metrics.horizontalAdvance(time_text) + 5
    bold = style.bold and not time_text
    if style.strike:
        painter.setFont(fonts.struck_bold if bold else fonts.struck)
    else:
        painter.setFont(fonts.bold if bold else fonts.plain)
    metrics = fonts.bold_metrics if bold else fonts.plain_metrics
    text = label + (" · saving…" if pending else "")
    room = QRect(x, inner.top(), max(0, inner.right() - x), inner.height())
    painter.drawText(
        room, align, metrics.elidedText(text, Qt.TextElideMode.ElideRight, room.width())
    )
    painter.restore()


class _CellDelegate(QStyledItemDelegate):
    def __init__(self, grid: CalendarGrid) -> None:
        super().__init__(grid)
        self._grid = grid

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        return QSize(120, 96)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        grid = self._grid
        model = grid.grid_model()
        cell = index.data(CELL_ROLE)
        if model is None or not isinstance(cell, Cell):
            return
        rect: QRect = option.rect
        state = option.state
        painter.save()
        today = cell.day == model.today
        if not model.in_month(cell.day):
            background = QColor("#f1f2f4")
        elif today:
            background = QColor("#fff3f7")
        elif cell.day.weekday() >= 5:
            background = QColor("#f8f9fb")
        else:
            background = QColor("white")
        painter.fillRect(rect, background)
        if today:
            painter.fillRect(QRect(rect.left(), rect.top(), rect.width(), 3), TODAY)
        if grid.drop_target_index() == index:
            painter.fillRect(rect, QColor(37, 99, 201, 28))
            painter.setPen(QPen(ACCENT, 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        elif state & QStyle.StateFlag.State_Selected:
            painter.setPen(QPen(QColor(37, 99, 201, 120), 1))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        if grid.mode() == "month":
            self._paint_day_number(painter, rect, cell.day, today, model.in_month(cell.day))
        geometry = grid.cell_geometry(index, rect)
        for chip_rect, chip in geometry.chips:
            paint_chip(
                painter,
                chip_rect,
                chip.row,
                time_text=f"{chip.local_start:%H:%M}",
                label=grid.chip_label(chip.row),
                current=chip.row.id == grid.current_entry,
                focused=grid.hasFocus(),
                linked=chip.row.id in grid.linked,
                pending=chip.pending,
            )
        small = QFont(painter.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        painter.setFont(small)
        if geometry.more is not None:
            painter.setPen(ACCENT)
            painter.drawText(
                geometry.more,
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                f"+{geometry.more_count} more",
            )
        if geometry.hidden is not None:
            painter.setPen(MUTED_INK)
            painter.drawText(
                geometry.hidden,
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                f"+{cell.hidden_spans} bursts",
            )
        painter.restore()

    def _paint_day_number(
        self, painter: QPainter, rect: QRect, day: date, today: bool, in_month: bool
    ) -> None:
        text = day_label(day, weekday=False) if day.day == 1 else str(day.day)
        box = QRect(rect.left() + PAD, rect.top() + 3, rect.width() - 2 * PAD, DAY_STRIP - 4)
        painter.save()
        try:
            self._draw_day_number(painter, box, text, today, in_month)
        finally:
            painter.restore()

    def _draw_day_number(
        self, painter: QPainter, box: QRect, text: str, today: bool, in_month: bool
    ) -> None:
        font = QFont(painter.font())
        font.setBold(today)
        painter.setFont(font)
        if today:
            width = QFontMetrics(font).horizontalAdvance(text) + 10
            badge = QRect(box.left(), box.top(), width, box.height())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TODAY)
            painter.drawRoundedRect(QRectF(badge), 7, 7)
            painter.setPen(QColor("white"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
            return
        painter.setPen(INK if in_month else MUTED_INK)
        painter.drawText(box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)


class CalendarGrid(QTableView):
    """Day cells of a week (a row per lane) or a month (a row per week)."""

    open_entry = Signal(str)
    move_requested = Signal(str, int)  # entry id, days to move it by
    more_requested = Signal(object, object)  # the day, the lane (None: every lane)
    menu_requested = Signal(str, QPoint)  # entry id, where (global position)
    current_entry_changed = Signal(object)  # entry id or None
    navigate = Signal(int)  # -1: the previous period, +1: the next
    drag_refused = Signal(str)  # why this entry cannot be dragged

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(_CellDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMouseTracking(True)
        self.setTabKeyNavigation(False)
        self.setCornerButtonEnabled(False)
        self.setWordWrap(False)
        self.setShowGrid(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setHighlightSections(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setHighlightSections(False)
        self.verticalHeader().setMinimumSectionSize(72)
        self.setStyleSheet("QTableView { gridline-color: #d5d9e0; }")
        self.current_entry: str | None = None
        self.linked: set[str] = set()
        self.can_drag: Any = None  # callable(EntryRow) -> str | None (why not)
        self._press: _Press | None = None
        self._dragging = False
        self._drop_target: QPersistentModelIndex | None = None
        self._drag_pos = QPoint()

    # --- what is shown ------------------------------------------------------------------------

    def grid_model(self) -> CalendarGridModel | None:
        model = self.model()
        return model if isinstance(model, CalendarGridModel) else None

    def layout_data(self) -> GridLayout | None:
        model = self.grid_model()
        return None if model is None else model.layout_data

    def mode(self) -> str:
        layout = self.layout_data()
        return "week" if layout is None else layout.mode

    def chip_label(self, row: EntryRow) -> str:
        prefix = "↳ " if row.parent_id else ""
        if self.mode() == "month" and row.market:
            return f"{row.market.upper()} · {prefix}{entry_title(row)}"
        return prefix + entry_title(row)

    def drop_target_index(self) -> QModelIndex | None:
        if self._drop_target is None or not self._drop_target.isValid():
            return None
        model = self.model()
        return model.index(self._drop_target.row(), self._drop_target.column())

    def band_height(self, grid_row: int) -> int:
        layout = self.layout_data()
        if layout is None or grid_row >= layout.rows:
            return 0
        tracks = layout.tracks[grid_row]
        hidden = any(cell.hidden_spans for cell in layout.cells[grid_row])
        height = tracks * SPAN_H + (HIDDEN_H if hidden else 0)
        return height + 2 if height else 0

    def _band_top(self, rect: QRect) -> int:
        return rect.top() + (DAY_STRIP if self.mode() == "month" else PAD + 2)

    def cell_geometry(self, index: QModelIndex, rect: QRect | None = None) -> CellGeometry:
        """Where the chips, "+N more" and "+N bursts" of a cell go (paint and hit test)."""
        rect = self.visualRect(index) if rect is None else rect
        cell = index.data(CELL_ROLE)
        if not isinstance(cell, Cell):
            return CellGeometry([], None, 0, None)
        band_top = self._band_top(rect)
        tracks = 0
        layout = self.layout_data()
        if layout is not None:
            tracks = layout.tracks[index.row()]
        hidden = None
        if cell.hidden_spans:
            hidden = QRect(
                rect.left() + PAD, band_top + tracks * SPAN_H, rect.width() - 2 * PAD, HIDDEN_H
            )
        top = band_top + self.band_height(index.row())
        bottom = rect.bottom() - PAD
        slots = max(0, (bottom - top + CHIP_GAP) // (CHIP_H + CHIP_GAP))
        shown = len(cell.chips)
        needs_more = cell.total > shown or shown > slots
        if needs_more:
            shown = min(shown, max(0, slots - 1))
        chips = []
        for i, chip in enumerate(cell.chips[:shown]):
            y = top + i * (CHIP_H + CHIP_GAP)
            chips.append((QRect(rect.left() + PAD, y, rect.width() - 2 * PAD, CHIP_H), chip))
        more = None
        more_count = cell.total - shown
        if needs_more and more_count > 0 and slots > 0:
            y = top + shown * (CHIP_H + CHIP_GAP)
            more = QRect(rect.left() + PAD + 2, y, rect.width() - 2 * PAD, CHIP_H)
        return CellGeometry(chips, more, more_count, hidden)

    def span_rect(self, grid_row: int, piece: SpanPiece) -> QRect:
        model = self.model()
        first = self.visualRect(model.index(grid_row, piece.first))
        last = self.visualRect(model.index(grid_row, piece.last))
        top = self._band_top(first) + piece.track * SPAN_H
        left = first.left() + (0 if piece.starts_before else PAD)
        right = last.right() - (0 if piece.ends_after else PAD)
        return QRect(left, top, max(4, right - left), SPAN_H - 2)

    def hit(self, pos: QPoint) -> Hit:
        index = self.indexAt(pos)
        if not index.isValid():
            return Hit("none", index)
        layout = self.layout_data()
        if layout is not None:
            for piece in layout.spans[index.row()]:
                covers = piece.first <= index.column() <= piece.last
                if covers and self.span_rect(index.row(), piece).contains(pos):
                    return Hit("span", index, piece.row)
        geometry = self.cell_geometry(index)
        for rect, chip in geometry.chips:
            if rect.contains(pos):
                return Hit("chip", index, chip.row)
        if geometry.more is not None and geometry.more.contains(pos):
            return Hit("more", index)
        return Hit("cell", index)

    def visible_chips(self, index: QModelIndex) -> list[EntryRow]:
        """What the keyboard walks in a cell: its bursts, then its shown chips."""
        layout = self.layout_data()
        found: list[EntryRow] = []
        if layout is None or not index.isValid():
            return found
        for piece in sorted(layout.spans[index.row()], key=lambda p: p.track):
            if piece.first <= index.column() <= piece.last:
                found.append(piece.row)
        found.extend(chip.row for _rect, chip in self.cell_geometry(index).chips)
        return found

    def entry_rect(self, entry_id: str) -> QRect | None:
        index = self.currentIndex()
        layout = self.layout_data()
        if layout is None:
            return None
        position = layout.find(entry_id)
        if position is None:
            return None
        index = self.model().index(*position)
        for piece in layout.spans[position[0]]:
            if piece.row.id == entry_id:
                return self.span_rect(position[0], piece)
        for rect, chip in self.cell_geometry(index).chips:
            if chip.row.id == entry_id:
                return rect
        return self.visualRect(index)

    # --- the current entry --------------------------------------------------------------------

    def set_current_entry(self, entry_id: str | None) -> None:
        if entry_id == self.current_entry:
            return
        self.current_entry = entry_id
        self.linked = self._linked_ids(entry_id)
        self.viewport().update()
        self.current_entry_changed.emit(entry_id)

    def _linked_ids(self, entry_id: str | None) -> set[str]:
        layout = self.layout_data()
        if layout is None or entry_id is None:
            return set()
        row = layout.row_of(entry_id)
        linked: set[str] = set()
        if row is not None and row.parent_id:
            linked.add(row.parent_id)
        for cells in layout.cells:
            for cell in cells:
                linked.update(c.row.id for c in cell.chips if c.row.parent_id == entry_id)
        for pieces in layout.spans:
            linked.update(p.row.id for p in pieces if p.row.parent_id == entry_id)
        linked.discard(entry_id)
        return linked

    def select_entry(self, entry_id: str) -> bool:
        """Make ``entry_id`` current and scroll to it; False when it is not in the grid."""
        layout = self.layout_data()
        position = None if layout is None else layout.find(entry_id)
        if position is None:
            return False
        index = self.model().index(*position)
        self.setCurrentIndex(index)
        self.scrollTo(index)
        self.current_entry = None
        self.set_current_entry(entry_id)
        return True

    def refresh_current(self) -> None:
        """After new data: keep the current entry if it is still here, else the cell's first."""
        layout = self.layout_data()
        current = self.current_entry
        position = None if current is None or layout is None else layout.find(current)
        if position is not None:
            self.linked = self._linked_ids(current)
            index = self.model().index(*position)
            if index != self.currentIndex():
                self.setCurrentIndex(index)  # follow an entry that moved to another day
            return
        self.current_entry = None
        self.linked = set()
        chips = self.visible_chips(self.currentIndex())
        self.set_current_entry(chips[0].id if chips else None)

    def currentChanged(self, current: Any, previous: Any) -> None:
        super().currentChanged(current, previous)
        chips = self.visible_chips(current)
        if self.current_entry not in {row.id for row in chips}:
            self.set_current_entry(chips[0].id if chips else None)

    # --- mouse --------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        hit = self.hit(pos)
        super().mousePressEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            if hit.row is not None:
                self.set_current_entry(hit.row.id)
            return
        if hit.kind in ("chip", "span") and hit.row is not None:
            self.set_current_entry(hit.row.id)
            self._press = _Press(hit.row, QPersistentModelIndex(hit.index), pos)
        elif hit.kind == "more":
            cell = hit.index.data(CELL_ROLE)
            if isinstance(cell, Cell):
                self.more_requested.emit(cell.day, cell.lane)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        press = self._press
        if press is None:
            hit = self.hit(pos)
            cursor = (
                Qt.CursorShape.PointingHandCursor
                if hit.kind in ("chip", "span", "more")
                else Qt.CursorShape.ArrowCursor
            )
            self.viewport().setCursor(cursor)
            super().mouseMoveEvent(event)
            return
        if not self._dragging:
            if (pos - press.pos).manhattanLength() < QApplication.startDragDistance():
                return
            reason = self.can_drag(press.row) if callable(self.can_drag) else None
            if reason:
                self._press = None
                self.drag_refused.emit(reason)
                return
            self._dragging = True
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        self._drag_pos = pos
        target = self.indexAt(pos)
        self._drop_target = QPersistentModelIndex(target) if target.isValid() else None
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, dragging = self._press, self._dragging
        self._end_drag()
        if press is not None and dragging:
            target = self.indexAt(event.position().toPoint())
            source = press.index
            if target.isValid() and source.isValid():
                start = source.data(CELL_ROLE)
                end = target.data(CELL_ROLE)
                if isinstance(start, Cell) and isinstance(end, Cell):
                    days = (end.day - start.day).days
                    if days:
                        self.move_requested.emit(press.row.id, days)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def _end_drag(self) -> None:
        self._press = None
        self._dragging = False
        self._drop_target = None
        self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
        self.viewport().update()

    @property
    def dragging(self) -> bool:
        return self._dragging

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self.hit(event.position().toPoint())
        if hit.row is not None:
            self.set_current_entry(hit.row.id)
            self.open_entry.emit(hit.row.id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        hit = self.hit(event.pos())
        if hit.row is not None:
            self.set_current_entry(hit.row.id)
            self.menu_requested.emit(hit.row.id, event.globalPos())
            event.accept()
            return
        super().contextMenuEvent(event)

    # --- keyboard -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers()
        if self._dragging and key == Qt.Key.Key_Escape:
            self._end_drag()
            return
        if key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.navigate.emit(-1 if key == Qt.Key.Key_PageUp else 1)
            return
        if mods & Qt.KeyboardModifier.ControlModifier and key in (
            Qt.Key.Key_Left,
            Qt.Key.Key_Right,
        ):
            self.navigate.emit(-1 if key == Qt.Key.Key_Left else 1)
            return
        if mods & Qt.KeyboardModifier.AltModifier and self.current_entry is not None:
            step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(Qt.Key(key))
            if step is None and self.mode() == "month":
                step = {Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7}.get(Qt.Key(key))
            if step is not None:
                self.move_requested.emit(self.current_entry, step)
                return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current_entry is not None:
            self.open_entry.emit(self.current_entry)
            return
        if key == Qt.Key.Key_Menu and self.current_entry is not None:
            rect = self.entry_rect(self.current_entry) or self.visualRect(self.currentIndex())
            self.menu_requested.emit(
                self.current_entry, self.viewport().mapToGlobal(rect.bottomLeft())
            )
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not mods:
            chips = [row.id for row in self.visible_chips(self.currentIndex())]
            if self.current_entry in chips:
                position = chips.index(self.current_entry) + (1 if key == Qt.Key.Key_Down else -1)
                if 0 <= position < len(chips):
                    self.set_current_entry(chips[position])
                    return
            previous = self.currentIndex()
            super().keyPressEvent(event)
            if self.currentIndex() != previous and key == Qt.Key.Key_Up:
                above = self.visible_chips(self.currentIndex())
                if above:
                    self.set_current_entry(above[-1].id)
            return
        super().keyPressEvent(event)

    # --- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        layout = self.layout_data()
        if layout is None:
            return
        painter = QPainter(self.viewport())
        for grid_row, pieces in enumerate(layout.spans):
            row_rect = self.visualRect(self.model().index(grid_row, 0)).united(
                self.visualRect(self.model().index(grid_row, 6))
            )
            if not row_rect.intersects(event.rect()):
                continue
            painter.save()
            painter.setClipRect(row_rect)
            for piece in pieces:
                rect = self.span_rect(grid_row, piece)
                label = entry_title(piece.row)
                if piece.row.market:
                    label = f"{market_tag(piece.row.market)} · {label}"
                if piece.row.parent_id:
                    label = "↳ " + label
                if piece.starts_before:
                    label = "◂ " + label
                if piece.ends_after:
                    label += " ▸"
                paint_chip(
                    painter,
                    rect,
                    piece.row,
                    time_text="",
                    label=label,
                    current=piece.row.id == self.current_entry,
                    focused=self.hasFocus(),
                    linked=piece.row.id in self.linked,
                    pending=piece.pending,
                )
            painter.restore()
        if self._dragging and self._press is not None:
            width = max(120, self.columnWidth(0) - 2 * PAD)
            ghost = QRect(self._drag_pos.x() - 12, self._drag_pos.y() - CHIP_H // 2, width, CHIP_H)
            target = self.drop_target_index()
            when = ""
            if target is not None:
                cell = target.data(CELL_ROLE)
                if isinstance(cell, Cell):
                    when = day_label(cell.day)
            paint_chip(
                painter,
                ghost,
                self._press.row,
                time_text=when,
                label=entry_title(self._press.row),
                ghost=True,
            )
        painter.end()

    def sizeHint(self) -> QSize:
        return QSize(900, 600)
