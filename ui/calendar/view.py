"""The calendar: week and month grids and a list of the lead's markets and the global plan.

Reads run in the background (``Op`` on the network/reads pool) and land as one snapshot of the
range, so navigating never blocks the window; a stale answer (the lead moved on) is dropped.
Moves run through ``entries.move_entry`` on the database pool: the chip shows at its new day at
once ("saving…"), snaps back with the rules' words if the write is refused, and is confirmed by
the reload that follows the app's ``changed`` signal. Undo is the shell's (Ctrl+Z).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import partial
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QMetaMethod, QObject, QPoint, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QMenu,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from desktop.domain.values import format_time, parse_time, utcnow
from desktop.progress import Progress
from desktop.queries import calendar as queries
from desktop.queries.calendar import KIND_LABELS, STATUS_LABELS, EntryFilter, EntryRow
from desktop.rules.channels import CHANNEL_NAMES
from desktop.services import entries as entry_service
from desktop.services.changes import ChangeSet
from ui.calendar.grid import CalendarGrid
from ui.calendar.layout import (
    GLOBAL,
    GridLayout,
    Mode,
    build_layout,
    moved,
    period_days,
    shift_anchor,
    utc_range,
)
from ui.calendar.links import adapt_available, adapt_view_class
from ui.calendar.models import (
    ENTRY_ID_ROLE,
    CalendarGridModel,
    EntryListModel,
    ListRow,
    day_label,
)
from ui.calendar.style import KIND_COLOURS, channel_name, entry_title
from ui.calendar.widgets import EmptyState, MessageBar
from ui.context import AppContext
from ui.operations import Op, Pool, user_message

_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ENTRY_TYPES: Final = frozenset({"calendar_entry", "asset", "campaign", "market"})
# Toggle buttons read as on or off at a glance (the app's style sheet leaves them plain).
SEGMENT_STYLE: Final = (
    "QToolButton[segment='true'] { padding: 3px 10px; border: 1px solid #cdd4e0;"
    " background: #ffffff; color: #1d2636; border-radius: 4px; }"
    "QToolButton[segment='true']:hover { background: #eef2fa; }"
    "QToolButton[segment='true']:checked { background: #2f6fed; color: #ffffff;"
    " border-color: #2a62d4; }"
)


def _tool_button(text: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    return button


def period_title(mode: Mode, anchor: date) -> str:
    if mode == "month":
        return f"{_MONTHS[anchor.month - 1]} {anchor.year}"
    days = period_days("week", anchor)
    first, last = days[0], days[-1]
    if first.year != last.year:
        first_text, last_text = day_label(first, weekday=False), day_label(last, weekday=False)
        return f"{first_text} {first.year} – {last_text} {last.year}"
    if first.month != last.month:
        return f"{day_label(first, weekday=False)} – {day_label(last, weekday=False)} {last.year}"
    return f"{first.day} – {day_label(last, weekday=False)} {last.year}"


@dataclass(frozen=True)
class _Request:
    generation: int
    mode: Mode
    presentation: str  # "grid" or "list"
    anchor: date
    days: tuple[date, ...]
    lanes: tuple[str, ...]
    filters: EntryFilter
    sort: str
    descending: bool
    pending: frozenset[str] = frozenset()  # moves drawn optimistically in this read's layout


@dataclass(frozen=True)
class _Loaded:
    request: _Request
    lookback: int
    rows: list[EntryRow] | None
    layout: GridLayout | None
    ids: list[str] | None
    channels: list[str] | None = None  # read once: channels beyond the ones Section Desk knows


class CalendarView(QWidget):
    """Week, month and list views of the calendar for the signed-in lead's markets."""

    open_record = Signal(str, str)  # record type, id: show it in another view
    adapt_requested = Signal(str, str, str)  # record type, master id, market (the shell opens it)
    loaded = Signal()  # a range finished loading (what is shown is current)

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._clock = clock or utcnow
        with ctx.store.read() as session:
            self.lead_markets: tuple[str, ...] = queries.lead_scope(session).markets
            self.market_info = queries.markets(session)
            self.campaigns = queries.campaign_names(session)
        self.zone = self._display_zone()
        self.mode: Mode = "week"
        self.presentation = "grid"
        self.anchor = self.today()
        self.filters = EntryFilter(markets=self.lead_markets, include_global=True)
        self._generation = 0
        self._lookback: int | None = None
        self._channels_read = False
        self._rows: list[EntryRow] = []
        self._request: _Request | None = None
        self._loading = False
        self._reload_again = False
        self._overrides: dict[str, EntryRow] = {}
        self._saved_moves: set[str] = set()
        self._focus_after_load: str | None = None
        self._focus_day: date | None = None
        self._open_dialogs: list[QWidget] = []
        self._build()
        self._restore_settings()
        ctx.signals.changed.connect(self._on_changed)
        self.reload()

    # --- set-up -----------------------------------------------------------------------------

    def _display_zone(self) -> tzinfo:
        """Days are the lead's: the time zone of their first market (UTC when unknown)."""
        for code in self.lead_markets:
            info = self.market_info.get(code)
            if info is not None and info.timezone:
                try:
                    return ZoneInfo(info.timezone)
                except (ZoneInfoNotFoundError, ValueError):
                    continue
        return UTC

    def today(self) -> date:
        return self._clock().astimezone(self.zone).date()

    def _build(self) -> None:
        self.prev_button = _tool_button("◀")
        self.prev_button.setToolTip("Previous (PgUp, Ctrl+Left)")
        self.prev_button.setAccessibleName("Previous period")
        self.today_button = _tool_button("Today")
        self.today_button.setToolTip("Go to today (Ctrl+Home)")
        self.next_button = _tool_button("▶")
        self.next_button.setToolTip("Next (PgDn, Ctrl+Right)")
        self.next_button.setAccessibleName("Next period")
        self.title_label = QLabel()
        self.title_label.setObjectName("viewTitle")
        self.prev_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.today_button.clicked.connect(self.go_today)

        self.week_button = self._segment("&Week", "Week view (Alt+W)")
        self.month_button = self._segment("&Month", "Month view (Alt+M)")
        self.grid_button = self._segment("&Calendar", "Days as a calendar (Alt+C)")
        self.list_button = self._segment("&List", "Entries as a list (Alt+L)")
        periods = QButtonGroup(self)
        periods.addButton(self.week_button)
        periods.addButton(self.month_button)
        shows = QButtonGroup(self)
        shows.addButton(self.grid_button)
        shows.addButton(self.list_button)
        self.week_button.clicked.connect(self._show_week)
        self.month_button.clicked.connect(self._show_month)
        self.grid_button.clicked.connect(self._show_grid)
        self.list_button.clicked.connect(self._show_list_view)

        top = QHBoxLayout()
        top.addWidget(self.prev_button)
        top.addWidget(self.today_button)
        top.addWidget(self.next_button)
        top.addSpacing(8)
        top.addWidget(self.title_label)
        top.addStretch(1)
        for button in (self.week_button, self.month_button):
            top.addWidget(button)
        top.addSpacing(12)
        for button in (self.grid_button, self.list_button):
            top.addWidget(button)

        # Filters: markets as toggles, then one choice per facet, then the search box.
        self.market_buttons: dict[str, QToolButton] = {}
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show:"))
        self._lanes_row = QHBoxLayout()
        self._lanes_row.setSpacing(4)
        filters.addLayout(self._lanes_row)
        self._build_market_buttons()
        self.channel_box = self._choice(
            "All channels", [(c, channel_name(c)) for c in CHANNEL_NAMES]
        )
        self.campaign_box = self._choice(
            "All campaigns", sorted(self.campaigns.items(), key=lambda item: item[1].casefold())
        )
        self.kind_box = self._choice("All kinds", list(KIND_LABELS.items()))
        self.status_box = self._choice("All statuses", list(STATUS_LABELS.items()))
        for box in (self.channel_box, self.campaign_box, self.kind_box, self.status_box):
            filters.addWidget(box)
            box.currentIndexChanged.connect(self._filters_changed)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("search")
        self.search_box.setPlaceholderText("Search titles and captions")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search the calendar")
        self.search_box.setMinimumWidth(180)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self._filters_changed)
        self.search_box.textChanged.connect(self._typed)
        filters.addWidget(self.search_box, 1)
        self.clear_button = _tool_button("Clear filters")
        self.clear_button.clicked.connect(self.clear_filters)
        filters.addWidget(self.clear_button)

        self.message_bar = MessageBar()

        self.grid_model = CalendarGridModel(self)
        self.grid = CalendarGrid()
        self.grid.setModel(self.grid_model)
        self.grid.can_drag = self._why_not_movable
        self.grid.open_entry.connect(self.open_entry)
        self.grid.move_requested.connect(self.move_by_days)
        self.grid.more_requested.connect(self._show_day_in_list)
        self.grid.menu_requested.connect(self._show_menu)
        self.grid.navigate.connect(self.step)
        self.grid.drag_refused.connect(self._tell)

        self.list_model = EntryListModel(
            self._fetch_list_rows, zone=self.zone, campaigns=self.campaigns, parent=self
        )
        self.list_model.sort_requested.connect(self._sorted)
        self.list_view = QTableView()
        self.list_view.setModel(self.list_model)
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setSortingEnabled(True)
        self.list_view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.list_view.verticalHeader().hide()
        self.list_view.verticalHeader().setDefaultSectionSize(24)
        self.list_view.setWordWrap(False)
        self.list_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list_view.customContextMenuRequested.connect(self._list_menu)
        self.list_view.doubleClicked.connect(self._list_open)
        self.list_view.activated.connect(self._list_open)
        header = self.list_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((230, 300, 70, 110, 90, 90, 150)):
            self.list_view.setColumnWidth(column, width)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.grid)
        self.pages.addWidget(self.list_view)
        self.empty_state = EmptyState()
        self.empty_state.action.connect(self._empty_action)
        stage = QWidget()
        stage_layout = QGridLayout(stage)
        stage_layout.setContentsMargins(0, 0, 0, 0)
        stage_layout.addWidget(self.pages, 0, 0)
        stage_layout.addWidget(self.empty_state, 0, 0, Qt.AlignmentFlag.AlignCenter)

        self.legend = QLabel(self._legend_html())
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        bottom = QHBoxLayout()
        bottom.addWidget(self.legend, 1)
        bottom.addWidget(self.count_label)

        layout = QVBoxLayout(self)
        # Labels change after the view shows; never let that resize a top-level window.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(8, 8, 8, 6)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.message_bar)
        layout.addWidget(stage, 1)
        layout.addLayout(bottom)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Left), self.previous),
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Right), self.next),
            (QKeySequence(Qt.Key.Key_PageUp), self.previous),
            (QKeySequence(Qt.Key.Key_PageDown), self.next),
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Home), self.go_today),
        ):
            shortcut = QShortcut(keys, self, context=context)
            shortcut.activated.connect(slot)
        self.setFocusProxy(self.grid)

    def _build_market_buttons(self) -> None:
        """One toggle for the global plan and one per market of the lead (rebuilt when a sync
        changes the lead's markets)."""
        for button in self.market_buttons.values():
            self._lanes_row.removeWidget(button)
            button.deleteLater()
        self.market_buttons = {}
        for lane in (GLOBAL, *self.lead_markets):
            button = _tool_button("Global" if lane == GLOBAL else lane.upper())
            button.setProperty("segment", True)
            button.setStyleSheet(SEGMENT_STYLE)
            button.setCheckable(True)
            button.setChecked(True)
            name = (
                "the central team's global plan"
                if lane == GLOBAL
                else (self.market_info[lane].name if lane in self.market_info else lane.upper())
            )
            button.setToolTip(f"Show {name}")
            button.toggled.connect(self._filters_changed)
            self.market_buttons[lane] = button
            self._lanes_row.addWidget(button)

    def _segment(self, text: str, tip: str) -> QToolButton:
        button = _tool_button(text)
        button.setProperty("segment", True)
        button.setStyleSheet(SEGMENT_STYLE)
        button.setCheckable(True)
        button.setToolTip(tip)
        button.setAutoRaise(False)
        return button

    def _choice(self, everything: str, options: Sequence[tuple[str, str]]) -> QComboBox:
        box = QComboBox()
        box.addItem(everything, None)
        for value, label in options:
            box.addItem(label, value)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        box.setAccessibleName(everything.replace("All ", "Filter by "))
        return box

    def _legend_html(self) -> str:
        swatches = " ".join(
            f"<span style='color:{KIND_COLOURS[k].name()}'>■</span>&nbsp;{label}&nbsp;&nbsp;"
            for k, label in KIND_LABELS.items()
        )
        zone = getattr(self.zone, "key", "UTC")
        return (
            f"{swatches}&nbsp;&nbsp;<span style='color:#5b6472'>pale dashed: draft · solid: "
            f"published · struck out: cancelled · DE, FR: local (untagged: global) · "
            f"↳ adapts a global entry · times in {zone}"
            "</span>"
        )

    # --- settings ---------------------------------------------------------------------------

    def _settings(self) -> QSettings:
        return self.ctx.settings

    def _restore_settings(self) -> None:
        settings = self._settings()
        mode = settings.value("calendar/mode", "week")
        presentation = settings.value("calendar/presentation", "grid")
        self.mode = "month" if mode == "month" else "week"
        self.presentation = "list" if presentation == "list" else "grid"
        hidden = str(settings.value("calendar/hidden_lanes", "") or "")
        for lane in hidden.split(","):
            key = "" if lane == "global" else lane
            if lane and key in self.market_buttons:
                self.market_buttons[key].blockSignals(True)
                self.market_buttons[key].setChecked(False)
                self.market_buttons[key].blockSignals(False)
        self.filters = self._read_filters()
        self._sync_buttons()

    def _save_settings(self) -> None:
        settings = self._settings()
        settings.setValue("calendar/mode", self.mode)
        settings.setValue("calendar/presentation", self.presentation)
        hidden = [
            "global" if lane == GLOBAL else lane
            for lane, button in self.market_buttons.items()
            if not button.isChecked()
        ]
        settings.setValue("calendar/hidden_lanes", ",".join(hidden))

    def _sync_buttons(self) -> None:
        self.week_button.setChecked(self.mode == "week")
        self.month_button.setChecked(self.mode == "month")
        self.grid_button.setChecked(self.presentation == "grid")
        self.list_button.setChecked(self.presentation == "list")
        self.pages.setCurrentWidget(self.grid if self.presentation == "grid" else self.list_view)
        self.title_label.setText(period_title(self.mode, self.anchor))
        self.clear_button.setVisible(self.filters.narrowed())

    # --- filters ----------------------------------------------------------------------------

    def _read_filters(self) -> EntryFilter:
        def chosen(box: QComboBox) -> frozenset[str]:
            value = box.currentData()
            return frozenset() if value is None else frozenset({str(value)})

        markets = tuple(
            lane
            for lane, button in self.market_buttons.items()
            if lane != GLOBAL and button.isChecked()
        )
        global_button = self.market_buttons.get(GLOBAL)
        return EntryFilter(
            markets=markets,
            include_global=global_button is None or global_button.isChecked(),
            channels=chosen(self.channel_box),
            campaign_ids=chosen(self.campaign_box),
            kinds=chosen(self.kind_box),
            statuses=chosen(self.status_box),
            text=self.search_box.text().strip(),
        )

    @Slot()
    def _filters_changed(self) -> None:
        filters = self._read_filters()
        if filters == self.filters:
            return
        self.filters = filters
        self._save_settings()
        self._sync_buttons()
        self.reload()

    def set_filters(self, filters: EntryFilter) -> None:
        """Show exactly ``filters`` (used by show_record and tests)."""
        for lane, button in self.market_buttons.items():
            button.blockSignals(True)
            button.setChecked(filters.include_global if lane == GLOBAL else lane in filters.markets)
            button.blockSignals(False)
        for box, values in (
            (self.channel_box, filters.channels),
            (self.campaign_box, filters.campaign_ids),
            (self.kind_box, filters.kinds),
            (self.status_box, filters.statuses),
        ):
            box.blockSignals(True)
            value = next(iter(values)) if len(values) == 1 else None
            index = box.findData(value) if value is not None else 0
            box.setCurrentIndex(max(0, index))
            box.blockSignals(False)
        self.search_box.blockSignals(True)
        self.search_box.setText(filters.text)
        self.search_box.blockSignals(False)
        self._search_timer.stop()
        self.filters = self._read_filters()
        self._save_settings()
        self._sync_buttons()
        self.reload()

    @Slot()
    def clear_filters(self) -> None:
        self.set_filters(EntryFilter(markets=self.lead_markets, include_global=True))

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def lanes(self) -> tuple[str, ...]:
        lanes = [GLOBAL] if self.filters.include_global else []
        lanes += [m for m in self.lead_markets if m in self.filters.markets]
        return tuple(lanes)

    # --- navigation -------------------------------------------------------------------------

    # Slots are bound methods, never lambdas holding ``self``: a lambda connected to a
    # child's signal keeps the view alive (and undeleted) until the application quits.
    @Slot()
    def previous(self) -> None:
        self.step(-1)

    @Slot()
    def next(self) -> None:
        self.step(1)

    @Slot()
    def _show_week(self) -> None:
        self.set_mode("week")

    @Slot()
    def _show_month(self) -> None:
        self.set_mode("month")

    @Slot()
    def _show_grid(self) -> None:
        self.set_presentation("grid")

    @Slot()
    def _show_list_view(self) -> None:
        self.set_presentation("list")

    @Slot(str)
    def _typed(self, _text: str) -> None:
        self._search_timer.start()

    @Slot(str)
    def _tell(self, text: str) -> None:
        self.message_bar.show_message(text, "info")

    @Slot(str)
    def _saved(self, text: str) -> None:
        self.message_bar.show_message(text, "success")

    @Slot(str, bool)
    def _sorted(self, _key: str, _descending: bool) -> None:
        self.reload()

    @Slot(int)
    def step(self, steps: int) -> None:
        self.anchor = shift_anchor(self.mode, self.anchor, steps)
        self._sync_buttons()
        self.reload()

    @Slot()
    def go_today(self) -> None:
        self.anchor = self.today()
        self._sync_buttons()
        self.reload()

    def go_to(self, day: date) -> None:
        self.anchor = day
        self._sync_buttons()
        self.reload()

    def set_mode(self, mode: Mode) -> None:
        self.mode = mode
        self._save_settings()
        self._sync_buttons()
        self.reload()

    def set_presentation(self, presentation: str) -> None:
        self.presentation = "list" if presentation == "list" else "grid"
        self._save_settings()
        self._sync_buttons()
        self.reload()

    def days(self) -> list[date]:
        return period_days(self.mode, self.anchor)

    # --- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the visible range in the background; the newest request wins."""
        self._generation += 1
        if self._loading:
            self._reload_again = True
            return
        self._start_load()

    def _start_load(self) -> None:
        self._loading = True
        self._reload_again = False
        overrides = {k: v for k, v in self._overrides.items() if k not in self._saved_moves}
        request = _Request(
            pending=frozenset(overrides),
            generation=self._generation,
            mode=self.mode,
            presentation=self.presentation,
            anchor=self.anchor,
            days=tuple(self.days()),
            lanes=self.lanes(),
            filters=self.filters,
            sort=self.list_model.sort_key,
            descending=self.list_model.descending,
        )
        lookback = self._lookback
        want_channels = not self._channels_read
        self._channels_read = True
        store, zone = self.ctx.store, self.zone

        def read(progress: Progress) -> _Loaded:
            start, end = utc_range(request.days, zone)
            with store.read() as session:
                span = lookback if lookback is not None else queries.longest_span_seconds(session)
                channels = queries.channels_in_use(session) if want_channels else None
                if request.presentation == "list":
                    ids = queries.entry_ids_in_range(
                        session,
                        start=start,
                        end=end,
                        filters=request.filters,
                        lookback_seconds=span,
                        sort=request.sort,
                        descending=request.descending,
                    )
                    return _Loaded(request, span, None, None, ids, channels)
                rows = queries.entries_in_range(
                    session, start=start, end=end, filters=request.filters, lookback_seconds=span
                )
            layout = build_layout(
                mode=request.mode,
                days=request.days,
                lanes=request.lanes,
                rows=rows,
                zone=zone,
                overrides=overrides,
            )
            return _Loaded(request, span, rows, layout, None, channels)

        Op(self.ctx.ops, read, pool=Pool.NET).success(self._loaded).failure(self._load_failed).run()

    def _loaded(self, result: _Loaded) -> None:
        self._loading = False
        self._lookback = result.lookback
        if result.channels:
            self._add_channels(result.channels)
        if self._reload_again or result.request.generation != self._generation:
            self._start_load()
            return
        self._request = result.request
        # Moves the store now holds: the rows read show them where they are.
        confirmed = set(self._saved_moves)
        for entry_id in confirmed:
            self._overrides.pop(entry_id, None)
        self._saved_moves.clear()
        if result.layout is not None and result.rows is not None:
            self._rows = result.rows
            self._show_layout(result.layout)
            if confirmed & result.request.pending:
                self._relayout()  # drawn as "saving…" when the read began: draw them saved
        if result.ids is not None:
            self.list_model.set_campaigns(self.campaigns)
            self.list_model.set_ids(result.ids)
            self._show_list()
        self._update_empty_state()
        self.loaded.emit()

    def _add_channels(self, channels: Sequence[str]) -> None:
        """Offer the channels entries use that Section Desk has no name for, too."""
        for channel in channels:
            if self.channel_box.findData(channel) < 0:
                self.channel_box.blockSignals(True)
                self.channel_box.addItem(channel_name(channel), channel)
                self.channel_box.blockSignals(False)

    def _load_failed(self, error: BaseException) -> None:
        self._loading = False
        self.message_bar.show_message(
            f"The calendar could not be read: {user_message(error)}", "error"
        )
        if self._reload_again:
            self._start_load()

    def _show_layout(self, layout: GridLayout) -> None:
        month = self.anchor.month if layout.mode == "month" else None
        had_focus = self.grid.hasFocus()
        self.grid_model.set_layout(layout, today=self.today(), month=month)
        if not self.grid.currentIndex().isValid() and layout.rows:
            today = self.today()
            column = next((i for i, d in enumerate(layout.days) if d == today), 0)
            self.grid.setCurrentIndex(self.grid_model.index(column // 7, column % 7))
        self.grid.refresh_current()
        if self._focus_after_load is not None:
            target, self._focus_after_load = self._focus_after_load, None
            if not self.grid.select_entry(target):
                self._reveal(target)
            elif had_focus or self.isVisible():
                self.grid.setFocus()
        self.grid.viewport().update()

    def _show_list(self) -> None:
        target = self._focus_after_load
        row = -1
        if target is not None:
            self._focus_after_load = None
            row = self.list_model.row_of(target)
            if row < 0:
                self._reveal(target)
        elif self._focus_day is not None:
            first = format_time(datetime.combine(self._focus_day, time(0), tzinfo=self.zone))
            for i in range(len(self.list_model.ids)):
                item = self.list_model.entry(i)
                if item is not None and item.entry.starts_at >= first:
                    row = i
                    break
            self._focus_day = None
        if row >= 0:
            index = self.list_model.index(row, 0)
            self.list_view.setCurrentIndex(index)
            self.list_view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)

    def _update_empty_state(self) -> None:
        if self.presentation == "grid":
            layout = self.grid_model.layout_data
            empty = layout is None or layout.total == 0
        else:
            empty = self.list_model.rowCount() == 0
        if not empty:
            self.empty_state.hide()
            self.count_label.setText(self._count_text())
            return
        period = "week" if self.mode == "week" else "month"
        shown = [m.upper() for m in self.lead_markets if m in self.filters.markets]
        if not shown and self.filters.include_global:
            where = "the global plan"
        elif not shown:
            where = "no market (pick one above)"
        else:
            where = ", ".join(shown)
        self.empty_state.setText(
            f"No entries in this {period} for {where} — "
            "<a href='filters'>change the filters</a> or <a href='today'>go to today</a>"
        )
        self.empty_state.show()
        self.empty_state.raise_()
        self.count_label.setText("")

    def _count_text(self) -> str:
        if self.presentation == "list":
            count = self.list_model.rowCount()
        else:
            layout = self.grid_model.layout_data
            count = 0 if layout is None else layout.total
        return f"{count} {'entry' if count == 1 else 'entries'}"

    @Slot(str)
    def _empty_action(self, href: str) -> None:
        if href == "today":
            self.go_today()
        elif self.filters.narrowed() or not self.filters.markets:
            self.clear_filters()
        else:
            self.search_box.setFocus()

    @Slot(object)
    def _on_changed(self, types: Any) -> None:
        if not isinstance(types, frozenset | set) or not (set(types) & ENTRY_TYPES):
            return
        if "calendar_entry" in types:
            self._lookback = None
        if "campaign" in types or "market" in types:
            with self.ctx.store.read() as session:
                self.campaigns = queries.campaign_names(session)
                self.market_info = queries.markets(session)
            self._refresh_account()
        self.reload()

    def _refresh_account(self) -> None:
        """After a sign-in or a sync: the lead's markets (and so the lanes) may have changed."""
        with self.ctx.store.read() as session:
            markets = queries.lead_scope(session).markets
        if markets == self.lead_markets:
            return
        self.lead_markets = markets
        self.zone = self._display_zone()
        self.list_model.set_zone(self.zone)
        self.legend.setText(self._legend_html())
        self._build_market_buttons()
        self.filters = self._read_filters()
        self._sync_buttons()

    # --- showing one record -----------------------------------------------------------------

    def show_record(self, record_type: str, record_id: str) -> None:
        """Bring an entry into view and make it current (other types are not the calendar's)."""
        if record_type != "calendar_entry":
            return
        with self.ctx.store.read() as session:
            starts_at = queries.entry_start(session, record_id)
        if starts_at is None:
            self.message_bar.show_message(
                "That calendar entry is no longer here (it may have been removed by a sync).",
                "info",
            )
            return
        self._focus_after_load = record_id
        self.anchor = parse_time(starts_at).astimezone(self.zone).date()
        self._sync_buttons()
        self.reload()

    def _reveal(self, entry_id: str) -> None:
        """The entry is hidden by the filters: show everything, then select it."""
        everything = EntryFilter(markets=self.lead_markets, include_global=True)
        if self.filters == everything:
            return
        self._focus_after_load = entry_id
        self.message_bar.show_message(
            "The filters hid that entry, so they were cleared to show it.", "info"
        )
        self.set_filters(everything)

    # --- the current entry ------------------------------------------------------------------

    def current_entry(self) -> str | None:
        if self.presentation == "list":
            index = self.list_view.currentIndex()
            value = index.data(ENTRY_ID_ROLE) if index.isValid() else None
            return str(value) if value else None
        return self.grid.current_entry

    def _row(self, entry_id: str) -> EntryRow | None:
        layout = self.grid_model.layout_data
        found = None if layout is None else layout.row_of(entry_id)
        if found is not None:
            return found
        row = self.list_model.row_of(entry_id)
        item = self.list_model.entry(row) if row >= 0 else None
        if item is not None:
            return item.entry
        with self.ctx.store.read() as session:
            return queries.entry_rows(session, [entry_id]).get(entry_id)

    def writable(self, row: EntryRow) -> bool:
        return self.ctx.workspace.actor.may_write("calendar_entry", row.market)

    def _why_not_movable(self, row: EntryRow) -> str | None:
        if self.writable(row):
            return None
        if row.market is None:
            mine = "/".join(m.upper() for m in self.lead_markets) or "your market"
            return (
                f'"{entry_title(row)}" is in the central team\'s global plan, which only they '
                f"move. Adapt it for {mine} to schedule your own version."
            )
        return (
            f"{row.market.upper()} is not one of your markets, so its entries stay where they are."
        )

    # --- moving -----------------------------------------------------------------------------

    @Slot(str, int)
    def move_by_days(self, entry_id: str, days: int) -> None:
        """Move an entry by whole days (its local time of day kept); refused moves snap back."""
        row = self._row(entry_id)
        if row is None or not days:
            return
        reason = self._why_not_movable(row)
        if reason:
            self.message_bar.show_message(reason, "info")
            return
        start = parse_time(row.starts_at).astimezone(self.zone)
        target = datetime.combine(start.date() + timedelta(days=days), start.time())
        new_start = target.replace(tzinfo=self.zone).astimezone(UTC)
        target_row = moved(row, new_start - parse_time(row.starts_at))
        self._overrides[entry_id] = target_row
        self._saved_moves.discard(entry_id)
        self._relayout()
        when = parse_time(target_row.starts_at).astimezone(self.zone)
        title = entry_title(row)
        workspace = self.ctx.workspace

        def write(progress: Progress) -> ChangeSet:
            return entry_service.move_entry(
                workspace,
                entry_id=entry_id,
                starts_at=target_row.starts_at,
                ends_at=target_row.ends_at,
            )

        def done(changes: ChangeSet) -> None:
            self._saved_moves.add(entry_id)
            text = f'Moved "{title}" to {day_label(when.date())} {when:%H:%M}. Undo with Ctrl+Z.'
            warnings = [w.finding.message for w in changes.warnings]
            if warnings:
                self.message_bar.show_message(f"{text} Note: {' '.join(warnings)}", "warning")
            else:
                self.message_bar.show_message(text, "success")
            if not changes:
                self._overrides.pop(entry_id, None)
                self._relayout()

        def refused(error: BaseException) -> None:
            self._overrides.pop(entry_id, None)
            self._relayout()
            self.message_bar.show_message(user_message(error), "error")

        Op(self.ctx.ops, write, pool=Pool.DB).success(done).failure(refused).run()

    def _relayout(self) -> None:
        request = self._request
        if request is None or request.presentation != "grid":
            return
        layout = build_layout(
            mode=request.mode,
            days=request.days,
            lanes=request.lanes,
            rows=self._rows,
            zone=self.zone,
            overrides={k: v for k, v in self._overrides.items() if k not in self._saved_moves},
        )
        self.grid_model.set_layout(
            layout, today=self.today(), month=self.anchor.month if request.mode == "month" else None
        )
        self.grid.refresh_current()
        self.grid.viewport().update()

    # --- opening, adapting, boosting --------------------------------------------------------

    @Slot(str)
    def open_entry(self, entry_id: str) -> None:
        from ui.calendar.editor import EntryEditor

        editor = EntryEditor(self.ctx, entry_id, parent=self, zone=self.zone)
        editor.adapt_requested.connect(self.adapt)
        editor.boost_requested.connect(self.request_boost)
        editor.open_record.connect(self.open_record)
        editor.saved.connect(self._saved)
        self._keep(editor)
        editor.open()

    def _keep(self, widget: QWidget) -> None:
        self._open_dialogs.append(widget)
        widget.destroyed.connect(self._forget)
        widget.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

    @Slot(QObject)
    def _forget(self, widget: QObject | None = None) -> None:
        self._open_dialogs = [
            d for d in self._open_dialogs if d is not widget and Shiboken.isValid(d)
        ]

    @property
    def open_dialogs(self) -> list[QWidget]:
        return list(self._open_dialogs)

    def adapt(self, entry_id: str, market: str) -> None:
        """Open the master and the local version side by side (the Adapt screen): through the
        main window when it listens, else in a dialog of our own."""
        if self.isSignalConnected(QMetaMethod.fromSignal(self.adapt_requested)):
            self.adapt_requested.emit("calendar_entry", entry_id, market)
            return
        view_class = adapt_view_class()
        if view_class is None:
            self.message_bar.show_message(
                "Adapting needs the Adapt screen, which is not part of this build.", "info"
            )
            return
        view = view_class(self.ctx, record_type="calendar_entry", master_id=entry_id, market=market)
        if isinstance(view, QDialog):
            dialog = view
            dialog.setParent(self, dialog.windowFlags())
        else:
            dialog = QDialog(self)
            QVBoxLayout(dialog).addWidget(view)
            dialog.resize(1100, 720)
        dialog.setWindowTitle(f"Adapt for {market.upper()}")
        signal = getattr(view, "open_record", None)
        if signal is not None:
            signal.connect(self.open_record)
        self._keep(dialog)
        dialog.open()

    def request_boost(self, entry_id: str) -> None:
        from ui.requests.form import RequestForm

        form = RequestForm(self.ctx, entry_id=entry_id, parent=self)
        form.open_record.connect(self.open_record)
        self._keep(form)
        form.open()

    def entry_actions(self, entry_id: str, menu: QMenu) -> None:
        """The actions on one entry (the context menu and the keyboard's menu key)."""
        row = self._row(entry_id)
        if row is None:
            return
        menu.addAction("Open…", lambda: self.open_entry(entry_id))
        movable = self.writable(row)
        earlier = menu.addAction("Move a day earlier", lambda: self.move_by_days(entry_id, -1))
        later = menu.addAction("Move a day later", lambda: self.move_by_days(entry_id, 1))
        earlier.setShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left))
        later.setShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Right))
        earlier.setEnabled(movable)
        later.setEnabled(movable)
        if row.market is None:
            menu.addSeparator()
            available = adapt_available()
            for market in self.lead_markets:
                action = menu.addAction(f"Adapt for {market.upper()}…")
                action.triggered.connect(partial(self.adapt, entry_id, market))
                action.setEnabled(available)
                if not available:
                    action.setToolTip("Adapting opens the Adapt screen, not part of this build.")
            menu.setToolTipsVisible(True)
        if row.kind == "organic_post" and self.lead_markets:
            menu.addSeparator()
            menu.addAction("Request a boost…", lambda: self.request_boost(entry_id))
        if row.parent_id:
            menu.addAction("Show the global entry", lambda: self.show_record_now(row.parent_id))

    def show_record_now(self, entry_id: str | None) -> None:
        if entry_id:
            self.show_record("calendar_entry", entry_id)

    @Slot(str, QPoint)
    def _show_menu(self, entry_id: str, where: QPoint) -> None:
        menu = QMenu(self)
        self.entry_actions(entry_id, menu)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        menu.popup(where)
        self._menu = menu

    @Slot(QPoint)
    def _list_menu(self, pos: QPoint) -> None:
        index = self.list_view.indexAt(pos)
        if not index.isValid():
            return
        entry_id = index.data(ENTRY_ID_ROLE)
        if entry_id:
            self._show_menu(str(entry_id), self.list_view.viewport().mapToGlobal(pos))

    def _list_open(self, index: Any) -> None:
        entry_id = index.data(ENTRY_ID_ROLE)
        if entry_id:
            self.open_entry(str(entry_id))

    @Slot(object, object)
    def _show_day_in_list(self, day: date, lane: str | None) -> None:
        self._focus_day = day
        self.set_presentation("list")

    def _fetch_list_rows(self, ids: Sequence[str]) -> dict[str, ListRow]:
        with self.ctx.store.read() as session:
            rows = queries.entry_rows(session, ids)
            parents = queries.entry_titles(
                session, [r.parent_id for r in rows.values() if r.parent_id]
            )
            adapted = queries.adaptation_markets(
                session, [r.id for r in rows.values() if r.market is None]
            )
        found = {}
        for entry_id, row in rows.items():
            if row.parent_id:
                link = f"adapts “{parents.get(row.parent_id) or 'a global entry'}”"
            elif row.id in adapted:
                markets = adapted[row.id]
                noun = "version" if len(markets) == 1 else "versions"
                link = f"{len(markets)} local {noun}: {', '.join(m.upper() for m in markets)}"
            else:
                link = ""
            found[entry_id] = ListRow(row, link)
        return found

    def closeEvent(self, event: Any) -> None:
        self._save_settings()
        super().closeEvent(event)
