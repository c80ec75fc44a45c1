"""The palette: tags, rights presets and embargo presets to drag onto assets, and how a dropped
preset becomes one service call (one undo step) for the assets it lands on."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.values import format_time
from desktop.queries.assets import AssetRow
from desktop.services import assets as asset_service
from desktop.services.changes import ChangeSet
from desktop.services.workspace import Workspace
from ui.assets.models import PaletteItem, PaletteModel


class PresetError(ValueError):
    """A preset cannot apply to these assets; the message says why, in plain words."""


def rights_presets(markets: tuple[str, ...], today: date) -> list[PaletteItem]:
    items = [
        PaletteItem(
            "rights",
            f"organic-{m}",
            f"Organic only — {m.upper()}",
            {"usage": ["organic"], "territories": [m]},
            f"Organic use in {m.upper()} only, no paid boost",
        )
        for m in markets
    ]
    items.append(
        PaletteItem(
            "rights",
            "paid-worldwide-12m",
            "Paid + organic — worldwide, 12 months",
            {
                "usage": ["organic", "paid"],
                "territories": ["*"],
                "expires_on": (today + timedelta(days=365)).isoformat(),
            },
            f"Organic and paid use everywhere until {today + timedelta(days=365)}",
        )
    )
    items.append(
        PaletteItem(
            "rights",
            "expired",
            "Expired — do not use",
            {"expires_on": (today - timedelta(days=1)).isoformat()},
            "Marks the rights as ended yesterday: the asset can no longer be scheduled",
        )
    )
    return items


EMBARGO_PRESETS = [
    PaletteItem(
        "embargo",
        "launch-0900",
        "Until launch day 09:00 local",
        {"rule": "launch"},
        "Embargo until 09:00 in the asset's market on its campaign's first day",
    ),
    PaletteItem("embargo", "24h", "24 hours", {"hours": 24}, "Embargo for the next 24 hours"),
    PaletteItem("embargo", "lift", "Lift embargo", {"lift": True}, "Remove the embargo"),
]


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def resolve_embargo(
    item: PaletteItem,
    rows: list[AssetRow],
    *,
    launches: dict[str, str | None],
    timezones: dict[str, str | None],
    now: datetime,
) -> tuple[str | None, list[str]]:
    """The ``until`` (canonical UTC text, None to lift) and markets an embargo preset sets on
    ``rows``. ``launches`` maps campaign ids to their first day; ``timezones`` market codes to
    IANA zones. Raises PresetError when one time cannot fit them all."""
    markets = sorted({r.market or "*" for r in rows})
    if "*" in markets:
        markets = ["*"]
    if item.payload.get("lift"):
        return None, []
    if "hours" in item.payload:
        return format_time(now + timedelta(hours=float(item.payload["hours"]))), markets
    campaigns = {r.campaign_id for r in rows}
    if len(campaigns) != 1 or None in campaigns:
        raise PresetError(
            "These assets belong to different campaigns (or none), so they have no one launch "
            "day; drop the preset on one campaign's assets at a time."
        )
    campaign = next(iter(campaigns))
    assert campaign is not None
    first_day = launches.get(campaign)
    if not first_day:
        raise PresetError("This campaign has no start date; set the embargo in the Embargo tab.")
    zones = {timezones.get(r.market or "") for r in rows}
    if len(zones) > 1:
        raise PresetError(
            "These assets are for markets in different time zones, so 09:00 local is not one "
            "time; drop the preset on one market's assets at a time."
        )
    local = datetime.combine(date.fromisoformat(first_day), time(9, 0), _zone(zones.pop()))
    until = local.astimezone(UTC)
    if until <= now:
        raise PresetError(
            f"The campaign launched on {first_day}; that time has passed. "
            "Set another time in the Embargo tab."
        )
    return format_time(until), markets


def plural(count: int, one: str, many: str) -> str:
    return f"1 {one}" if count == 1 else f"{count:,} {many}"


def apply_item(
    ws: Workspace,
    item: PaletteItem,
    rows: list[AssetRow],
    *,
    embargo: tuple[str | None, list[str]] | None = None,
) -> tuple[ChangeSet, str]:
    """One service call for a dropped palette item; returns the change and the status message.
    Runs on the database thread."""
    ids = [r.id for r in rows]
    what = plural(len(ids), "asset", "assets")
    if item.kind == "tag":
        changes = asset_service.add_tags(ws, asset_ids=ids, tags=[item.key])
        message = f"Tagged {what} with '{item.key}'"
    elif item.kind == "rights":
        changes = asset_service.set_rights(
            ws, asset_ids=ids, rights=item.payload, label=f"Rights “{item.label}” on {what}"
        )
        message = f"Set rights “{item.label}” on {what}"
    elif item.kind == "embargo":
        assert embargo is not None
        until, markets = embargo
        label = f"Embargo “{item.label}” on {what}" if until else f"Lift embargo on {what}"
        changes = asset_service.set_embargo(
            ws, asset_ids=ids, until=until, markets=markets, label=label
        )
        message = label if until else f"Lifted the embargo on {what}"
    else:
        raise PresetError(f"Section Desk does not know what to do with a dropped {item.kind}.")
    if not changes:
        return changes, f"Nothing to change: {what} already had that"
    return changes, f"{message} — Ctrl+Z to undo"


class PaletteWidget(QWidget):
    """Tags (the store's vocabulary and new ones), rights presets and embargo presets."""

    def __init__(
        self,
        *,
        tags: list[tuple[str, int]],
        markets: tuple[str, ...],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tag_model = PaletteModel(
            [PaletteItem("tag", t, t, {}, f"Used on {n:,} assets") for t, n in tags], self
        )
        self.rights_model = PaletteModel(rights_presets(markets, today), self)
        self.embargo_model = PaletteModel(EMBARGO_PRESETS, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        hint = QLabel("Drag onto an asset or the selection")
        hint.setObjectName("hint")
        hint.setStyleSheet("color: #5b6370;")
        layout.addWidget(hint)
        self.new_tag = QLineEdit()
        self.new_tag.setPlaceholderText("New tag…")
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self._add_tag)
        self.new_tag.returnPressed.connect(self._add_tag)
        row = QHBoxLayout()
        row.addWidget(self.new_tag)
        row.addWidget(self.add_button)
        self.tag_list = self._list(self.tag_model, flow_wrap=True)
        self.rights_list = self._list(self.rights_model)
        self.embargo_list = self._list(self.embargo_model)
        for title, widget in (
            ("Tags", self.tag_list),
            (None, row),
            ("Rights presets", self.rights_list),
            ("Embargo presets", self.embargo_list),
        ):
            if title:
                label = QLabel(f"<b>{title}</b>")
                layout.addWidget(label)
            if isinstance(widget, QHBoxLayout):
                layout.addLayout(widget)
            else:
                layout.addWidget(widget)

    def _list(self, model: PaletteModel, *, flow_wrap: bool = False) -> QListView:
        view = QListView()
        view.setModel(model)
        view.setDragEnabled(True)
        view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        view.setDefaultDropAction(Qt.DropAction.CopyAction)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        if flow_wrap:
            view.setFlow(QListView.Flow.LeftToRight)
            view.setWrapping(True)
            view.setSpacing(3)
            view.setMinimumHeight(70)
            view.setMaximumHeight(120)
        else:
            view.setMaximumHeight(20 * max(3, model.rowCount()) + 8)
        return view

    @Slot()
    def _add_tag(self) -> None:
        tag = " ".join(self.new_tag.text().split())
        if not tag:
            return
        self.tag_model.add(PaletteItem("tag", tag, tag, {}, "A new tag: drag it onto assets"))
        self.new_tag.clear()
