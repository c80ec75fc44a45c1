"""The sections of the main window, the views that show them, and which view opens a record.

Views are imported lazily, the first time their section is shown, so start-up loads only the ops
board. While a section's module is still being built, the section says so plainly.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    module: str
    cls: str
    icon: str  # a file in resources/icons (without .svg)
    hint: str  # the sidebar's tooltip


SECTIONS: Final[tuple[Section, ...]] = (
    Section(
        "ops",
        "Ops board",
        "ui.ops_board.view",
        "OpsBoardView",
        "ops",
        "The next 48 hours for your markets",
    ),
    Section(
        "calendar",
        "Calendar",
        "ui.calendar.view",
        "CalendarView",
        "calendar",
        "Week, month and list of global and local entries",
    ),
    Section(
        "assets",
        "Asset bank",
        "ui.assets.view",
        "AssetBankView",
        "assets",
        "Thumbnails, facets and search over every asset",
    ),
    Section(
        "requests",
        "Requests",
        "ui.requests.view",
        "RequestsView",
        "requests",
        "Amplification requests and their SLA",
    ),
    Section(
        "conflicts",
        "Conflicts",
        "ui.conflicts.view",
        "ConflictsView",
        "conflicts",
        "Edits that clashed with central ones, and changes the server refused",
    ),
    Section(
        "reports",
        "Reports",
        "ui.reports.view",
        "ReportsView",
        "reports",
        "Time to amplify, SLA breaches, rights and overlaps",
    ),
)
SECTION_KEYS: Final = tuple(s.key for s in SECTIONS)

# Which section shows a record of a type.
ROUTES: Final[dict[str, str]] = {
    "calendar_entry": "calendar",
    "campaign": "calendar",
    "asset": "assets",
    "amplification_request": "requests",
    "conflict": "conflicts",
    "failed_change": "conflicts",
}

# Which record types each section shows (the "what changed" signal refreshes only those).
SHOWS: Final[dict[str, frozenset[str]]] = {
    "ops": frozenset({"calendar_entry", "asset", "amplification_request", "market", "preference"}),
    "calendar": frozenset({"calendar_entry", "campaign", "market"}),
    "assets": frozenset({"asset", "campaign", "brand"}),
    "requests": frozenset({"amplification_request", "calendar_entry", "asset"}),
    "conflicts": frozenset({"conflict"}),
    "reports": frozenset({"amplification_request", "calendar_entry", "asset"}),
}


def module_exists(name: str) -> bool:
    """True once a section's module is in the source tree (it may still be under construction)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


class Placeholder(QWidget):
    """Stands in for a section whose view is not in this build; it says so plainly."""

    open_record = Signal(str, str)

    def __init__(self, section: Section, reason: str | None = None) -> None:
        super().__init__()
        self.section = section
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel(f"{section.title} is being built")
        title.setObjectName("emptyTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = reason or (
            f"This version of Section Desk does not have the {section.title.lower()} yet. "
            "Everything else works; your data is safe and syncs as usual."
        )
        body = QLabel(text)
        body.setObjectName("emptyText")
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        layout.addWidget(body)
        layout.addStretch(2)

    def show_record(self, record_type: str, record_id: str) -> None:
        """Nothing to show here yet."""


def create_view(section: Section, ctx: Any) -> QWidget:
    """The section's view, or a plain placeholder while its module is missing or broken."""
    if not module_exists(section.module):
        return Placeholder(section)
    try:
        module = importlib.import_module(section.module)
        cls = getattr(module, section.cls)
        view: QWidget = cls(ctx)
    except Exception as exc:
        log.exception("The %s view could not be opened", section.title, exc_info=exc)
        return Placeholder(
            section,
            f"The {section.title.lower()} could not be opened ({exc.__class__.__name__}: {exc}). "
            "The details are in the log; the other sections work.",
        )
    return view
