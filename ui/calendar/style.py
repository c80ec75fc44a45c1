"""How entries look: a hue per kind, a fill per status, and short labels for chips."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop.queries.calendar import KIND_LABELS, STATUS_LABELS, EntryRow
from desktop.rules.channels import CHANNEL_NAMES, canonical_channel

KIND_COLOURS: Final = {
    "organic_post": QColor("#2563c9"),
    "paid_burst": QColor("#c9680e"),
    "moment": QColor("#7c4dbd"),
    "launch": QColor("#1f8a4c"),
}
INK: Final = QColor("#1b2330")
MUTED_INK: Final = QColor("#5b6472")
TODAY: Final = QColor("#d6336c")
ERROR_INK: Final = QColor("#b3261e")
WARNING_INK: Final = QColor("#8a5a00")


@dataclass(frozen=True)
class ChipStyle:
    fill: QColor
    border: QColor
    text: QColor
    border_style: Qt.PenStyle
    strike: bool
    bold: bool


def _blend(colour: QColor, alpha: float) -> QColor:
    """``colour`` laid over white at ``alpha`` (opaque, so text contrast is predictable)."""
    r, g, b = colour.red(), colour.green(), colour.blue()
    return QColor(
        round(255 - (255 - r) * alpha),
        round(255 - (255 - g) * alpha),
        round(255 - (255 - b) * alpha),
    )


def chip_style(kind: str | None, status: str | None) -> ChipStyle:
    """Kind gives the hue; status the weight: a draft is pale and dashed, a published post
    solid, a cancelled one grey and struck through."""
    hue = KIND_COLOURS.get(kind or "", QColor("#5b6472"))
    status = status or "draft"
    if status == "cancelled":
        return ChipStyle(
            QColor("#eceef1"), QColor("#aab1bb"), MUTED_INK, Qt.PenStyle.SolidLine, True, False
        )
    if status == "draft":
        return ChipStyle(_blend(hue, 0.08), hue, INK, Qt.PenStyle.DashLine, False, False)
    if status == "published":
        return ChipStyle(hue, hue.darker(130), QColor("white"), Qt.PenStyle.SolidLine, False, True)
    if status == "approved":
        return ChipStyle(_blend(hue, 0.30), hue, INK, Qt.PenStyle.SolidLine, False, True)
    return ChipStyle(_blend(hue, 0.18), _blend(hue, 0.7), INK, Qt.PenStyle.SolidLine, False, False)


def market_tag(market: str | None) -> str:
    return market.upper() if market else "Global"


def channel_name(channel: str | None) -> str:
    if not channel:
        return "no channel"
    key = canonical_channel(channel)
    return CHANNEL_NAMES.get(key, channel) if key else channel


def entry_title(row: EntryRow) -> str:
    return (row.title or "").strip() or f"Untitled {KIND_LABELS.get(row.kind, 'entry').lower()}"


def describe(row: EntryRow) -> str:
    """One plain line about an entry, for tooltips and accessible text."""
    parts = [
        entry_title(row),
        market_tag(row.market),
        KIND_LABELS.get(row.kind, row.kind),
        STATUS_LABELS.get(row.status or "draft", row.status or "draft").lower(),
    ]
    if row.channel:
        parts.append(channel_name(row.channel))
    if row.parent_id:
        parts.append("adapts a global entry")
    return " · ".join(parts)
