"""The sidebar: one row per section, with a count badge (conflicts waiting, for instance)."""

from __future__ import annotations

from typing import Any, Final

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QListView, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ui.shell.icons import icon
from ui.shell.sections import SECTIONS, Section

BADGE_ROLE: Final = Qt.ItemDataRole.UserRole + 1
KEY_ROLE: Final = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


class SectionsModel(QAbstractListModel):
    """The sections, in sidebar order; a badge count per section (0: no badge)."""

    def __init__(self, sections: tuple[Section, ...] = SECTIONS, parent: Any = None) -> None:
        super().__init__(parent)
        self._sections = sections
        self._badges: dict[str, int] = {}
        self._icons: dict[str, Any] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._sections)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._sections):
            return None
        section = self._sections[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return section.title
        if role == Qt.ItemDataRole.ToolTipRole:
            badge = self._badges.get(section.key, 0)
            extra = f" — {badge} waiting for you" if badge else ""
            return section.hint + extra
        if role == Qt.ItemDataRole.DecorationRole:
            if section.key not in self._icons:
                self._icons[section.key] = icon(section.icon, color="#c9d3e6")
            return self._icons[section.key]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            badge = self._badges.get(section.key, 0)
            return f"{section.title}, {badge} waiting" if badge else section.title
        if role == BADGE_ROLE:
            return self._badges.get(section.key, 0)
        if role == KEY_ROLE:
            return section.key
        return None

    def row_of(self, key: str) -> int:
        for row, section in enumerate(self._sections):
            if section.key == key:
                return row
        raise KeyError(key)

    def set_badge(self, key: str, count: int) -> None:
        if self._badges.get(key, 0) == count:
            return
        self._badges[key] = count
        index = self.index(self.row_of(key))
        self.dataChanged.emit(index, index, [BADGE_ROLE, Qt.ItemDataRole.ToolTipRole])

    def badge(self, key: str) -> int:
        return self._badges.get(key, 0)


class _BadgeDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 36, max(size.height(), 38))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        count = int(index.data(BADGE_ROLE) or 0)
        if not count:
            return
        text = str(count) if count < 1000 else "999+"
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(option.font)
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        painter.setFont(font)
        width = max(22, painter.fontMetrics().horizontalAdvance(text) + 12)
        rect = QRect(option.rect.right() - width - 10, option.rect.center().y() - 10, width, 20)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#d9534f"))
        painter.drawRoundedRect(rect, 10, 10)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


class Sidebar(QListView):
    def __init__(self, model: SectionsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setModel(model)
        self.setItemDelegate(_BadgeDelegate(self))
        self.setIconSize(QSize(20, 20))
        self.setUniformItemSizes(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(170)
