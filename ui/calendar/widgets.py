"""Small widgets the calendar and the requests screens share: an inline message bar, an empty
state, and a highlighter that marks a market's forbidden terms as the lead types."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from desktop.rules.terms import find_terms

Tone = Literal["info", "success", "warning", "error"]
_TONES: Final[dict[str, tuple[str, str, str]]] = {
    # background, border, text
    "info": ("#eaf1fd", "#9bb8ea", "#17325e"),
    "success": ("#e8f5ec", "#8cc9a2", "#124a27"),
    "warning": ("#fff5e0", "#e3b866", "#5c3d00"),
    "error": ("#fdecea", "#e5a39d", "#7a1712"),
}
TERM_BACKGROUND: Final = QColor("#ffd9d6")
TERM_INK: Final = QColor("#9b1c12")


class MessageBar(QFrame):
    """A one-line message above a view: what just happened, in plain words, until dismissed."""

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self._tone: Tone = "info"
        self._label = QLabel()
        self._label.setWordWrap(True)
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.setAccessibleName("Dismiss message")
        close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self._label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    @property
    def tone(self) -> Tone:
        return self._tone

    def text(self) -> str:
        """The message shown (empty once dismissed)."""
        return "" if self.isHidden() else self._label.text()

    def show_message(self, text: str, tone: Tone = "info") -> None:
        self._tone = tone
        background, border, ink = _TONES[tone]
        self.setStyleSheet(
            f"#messageBar {{ background: {background}; border: 1px solid {border};"
            f" border-radius: 4px; }} #messageBar QLabel {{ color: {ink}; }}"
        )
        self._label.setText(text)
        self.show()

    def dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()


class EmptyState(QLabel):
    """What an empty view says, with links for what to do (``href`` is emitted)."""

    action = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumWidth(460)
        self.setMaximumWidth(620)
        self.setStyleSheet(
            "#emptyState { background: white; border: 1px solid #d5d9e0; border-radius: 6px;"
            " padding: 18px 24px; color: #3a4250; font-size: 11pt; }"
        )
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.linkActivated.connect(self.action.emit)
        self.hide()

    def plain_text(self) -> str:
        doc = QTextDocument()
        doc.setHtml(self.text())
        return doc.toPlainText()


class TermHighlighter(QSyntaxHighlighter):
    """Marks each forbidden term of the market (whole word, as the rules match it)."""

    def __init__(self, document: QTextDocument, terms: Sequence[str] = ()) -> None:
        super().__init__(document)
        self._terms = tuple(terms)
        self._format = QTextCharFormat()
        self._format.setBackground(TERM_BACKGROUND)
        self._format.setForeground(TERM_INK)
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self._format.setUnderlineColor(TERM_INK)
        self._format.setToolTip("Not allowed in this market")

    @property
    def terms(self) -> tuple[str, ...]:
        return self._terms

    def set_terms(self, terms: Sequence[str]) -> None:
        if tuple(terms) != self._terms:
            self._terms = tuple(terms)
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        for hit in find_terms(text, self._terms):
            start, end = utf16_index(text, hit.start), utf16_index(text, hit.end)
            self.setFormat(start, end - start, self._format)


def utf16_index(text: str, index: int) -> int:
    """Qt counts positions in UTF-16 units; Python in code points (they differ after an emoji)."""
    if text.isascii():
        return index
    return index + sum(1 for char in text[:index] if ord(char) > 0xFFFF)


def highlighted_ranges(document: QTextDocument) -> list[tuple[int, int]]:
    """(start, length) of every highlighted range in ``document`` (for tests and checks)."""
    found = []
    block = document.begin()
    while block.isValid():
        layout = block.layout()
        for fmt in layout.formats():
            if fmt.format.background().color() == TERM_BACKGROUND:
                found.append((block.position() + fmt.start, fmt.length))
        block = block.next()
    return found
