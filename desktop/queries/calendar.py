"""The calendar's reads: entries of a date range, filtered, as light rows; one entry in full.

Pure reads over one session; no clock (the range is an argument). A range query is bounded by
``starts_at`` on both sides so SQLite walks the ``(market, starts_at)`` or ``starts_at`` index,
never the whole table: an entry that began before the range still shows when it runs into it,
and the lower bound for those is the range start minus the longest entry in the store
(``longest_span_seconds``, read once per refresh, not per navigation).

Rows carry no caption (the biggest column); the editor reads the one entry it opens in full.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Final, NamedTuple

from sqlalchemy import ColumnElement, Select, case, false, func, literal, or_, select, text
from sqlalchemy.orm import Session

from desktop.domain.values import format_time, parse_time
from desktop.store import records
from desktop.store.models import Asset, CalendarEntry, Campaign, Market, SyncState

KINDS: Final = ("organic_post", "paid_burst", "moment", "launch")
STATUSES: Final = ("draft", "planned", "approved", "published", "cancelled")
KIND_LABELS: Final = {
    "organic_post": "Organic post",
    "paid_burst": "Paid burst",
    "moment": "Moment",
    "launch": "Launch",
}
STATUS_LABELS: Final = {
    "draft": "Draft",
    "planned": "Planned",
    "approved": "Approved",
    "published": "Published",
    "cancelled": "Cancelled",
}
# Sortable list columns and the SQL column each sorts on (ties broken by start, then id).
SORT_COLUMNS: Final = ("starts_at", "ends_at", "title", "market", "channel", "kind", "status")
_WORD = re.compile(r"\w+", re.UNICODE)

_E = CalendarEntry.__table__


class EntryRow(NamedTuple):
    """One entry as the calendar draws it (no caption)."""

    id: str
    kind: str
    market: str | None
    channel: str | None
    title: str | None
    status: str | None
    starts_at: str
    ends_at: str | None
    campaign_id: str | None
    parent_id: str | None
    version: int


_ROW_COLUMNS: Final = (
    _E.c.id,
    _E.c.kind,
    _E.c.market,
    _E.c.channel,
    _E.c.title,
    _E.c.status,
    _E.c.starts_at,
    _E.c.ends_at,
    _E.c.campaign_id,
    _E.c.parent_id,
    _E.c.version,
)


@dataclass(frozen=True)
class EntryFilter:
    """What the calendar shows. Empty sets mean "all"; ``markets`` are the local markets shown
    and ``include_global`` adds the central plan; ``text`` searches titles and captions."""

    markets: tuple[str, ...] = ()
    include_global: bool = True
    channels: frozenset[str] = field(default_factory=frozenset)
    campaign_ids: frozenset[str] = field(default_factory=frozenset)
    kinds: frozenset[str] = field(default_factory=frozenset)
    statuses: frozenset[str] = field(default_factory=frozenset)
    text: str = ""

    def narrowed(self) -> bool:
        """True when anything but the markets narrows the entries."""
        return bool(
            self.channels or self.campaign_ids or self.kinds or self.statuses or self.text.strip()
        )


def fts_query(typed: str) -> str | None:
    """The FTS5 query for what was typed: every word as a required quoted prefix; None when
    nothing searchable was typed."""
    words = [w for w in _WORD.findall(typed.casefold()) if w]
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in dict.fromkeys(words))


def _conditions(filters: EntryFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [_E.c.deleted.is_(False)]
    scope: list[ColumnElement[bool]] = []
    if filters.markets:
        scope.append(_E.c.market.in_(list(filters.markets)))
    if filters.include_global:
        scope.append(_E.c.market.is_(None))
    conditions.append(or_(*scope) if scope else false())
    if filters.channels:
        conditions.append(_E.c.channel.in_(sorted(filters.channels)))
    if filters.campaign_ids:
        conditions.append(_E.c.campaign_id.in_(sorted(filters.campaign_ids)))
    if filters.kinds:
        conditions.append(_E.c.kind.in_(sorted(filters.kinds)))
    if filters.statuses:
        conditions.append(_E.c.status.in_(sorted(filters.statuses)))
    match = fts_query(filters.text)
    if match is not None:
        conditions.append(
            _E.c.pk.in_(
                select(text("rowid"))
                .select_from(text("entries_fts"))
                .where(text("entries_fts MATCH :fts").bindparams(fts=match))
            )
        )
    return conditions


def longest_span_seconds(session: Session) -> int:
    """The longest entry (``ends_at - starts_at``) in the store, in whole seconds (0: none).

    One pass over two columns; callers keep it until the entries change."""
    value = session.scalar(
        select(
            func.max((func.julianday(_E.c.ends_at) - func.julianday(_E.c.starts_at)) * 86400)
        ).where(_E.c.ends_at.is_not(None), _E.c.deleted.is_(False))
    )
    if value is None or value <= 0:
        return 0
    return int(value) + 1


def _range_conditions(start: str, end: str, lookback_seconds: int) -> list[ColumnElement[bool]]:
    lower = format_time(parse_time(start) - timedelta(seconds=max(0, lookback_seconds)))
    return [
        _E.c.starts_at < end,
        _E.c.starts_at >= lower,
        # Began before the range: show it only while it is still running at the range's start.
        or_(_E.c.starts_at >= start, _E.c.ends_at > start),
    ]


def range_statement(
    *,
    start: str,
    end: str,
    filters: EntryFilter,
    lookback_seconds: int,
    columns: Sequence[Any] = _ROW_COLUMNS,
) -> Select[Any]:
    """The SELECT of the entries that run at some time in ``[start, end)`` (canonical UTC
    times), ordered by start; exposed so tests and benchmarks can EXPLAIN it."""
    return (
        select(*columns)
        .where(*_range_conditions(start, end, lookback_seconds), *_conditions(filters))
        .order_by(_E.c.starts_at, _E.c.id)
    )


def entries_in_range(
    session: Session,
    *,
    start: str,
    end: str,
    filters: EntryFilter,
    lookback_seconds: int,
) -> list[EntryRow]:
    """Every entry that runs at some time in ``[start, end)``, by start time."""
    statement = range_statement(
        start=start, end=end, filters=filters, lookback_seconds=lookback_seconds
    )
    return [EntryRow._make(row) for row in session.execute(statement)]


def _sort_column(sort: str) -> Any:
    if sort not in SORT_COLUMNS:
        raise ValueError(f"cannot sort entries by {sort!r}")
    column = _E.c[sort]
    if sort in ("title", "channel"):
        return func.lower(func.coalesce(column, ""))
    return func.coalesce(column, "")


def entry_ids_in_range(
    session: Session,
    *,
    start: str,
    end: str,
    filters: EntryFilter,
    lookback_seconds: int,
    sort: str = "starts_at",
    descending: bool = False,
) -> list[str]:
    """The ids of ``entries_in_range`` in the list's order (ties: start time, then id)."""
    key = _sort_column(sort)
    statement = (
        select(_E.c.id)
        .where(*_range_conditions(start, end, lookback_seconds), *_conditions(filters))
        .order_by(key.desc() if descending else key, _E.c.starts_at, _E.c.id)
    )
    return list(session.scalars(statement))


def entry_rows(session: Session, ids: Iterable[str]) -> dict[str, EntryRow]:
    """Rows by id, for a page of a list (missing or deleted ids are absent)."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, EntryRow] = {}
    for part in records.chunks(wanted):
        statement = select(*_ROW_COLUMNS).where(_E.c.id.in_(part), _E.c.deleted.is_(False))
        for row in session.execute(statement):
            found[row[0]] = EntryRow._make(row)
    return found


# --- what the filters offer -------------------------------------------------------------------


@dataclass(frozen=True)
class MarketInfo:
    code: str
    name: str
    timezone: str | None
    currency: str | None
    legal_note: str | None
    forbidden_terms: tuple[str, ...]
    boost_threshold: str | None


def markets(session: Session, codes: Iterable[str] | None = None) -> dict[str, MarketInfo]:
    """Markets by code (all of them when ``codes`` is None)."""
    statement = select(Market).where(Market.deleted.is_(False))
    if codes is not None:
        statement = statement.where(Market.code.in_(list(codes)))
    return {
        m.code: MarketInfo(
            code=m.code,
            name=m.name or m.code.upper(),
            timezone=m.timezone,
            currency=m.currency,
            legal_note=m.legal_note,
            forbidden_terms=tuple(m.forbidden_terms or ()),
            boost_threshold=m.boost_threshold,
        )
        for m in session.scalars(statement)
    }


def campaign_names(session: Session) -> dict[str, str]:
    """Every campaign's name by id (a workspace has tens of them)."""
    statement = select(Campaign.id, Campaign.name).where(Campaign.deleted.is_(False))
    return {cid: name for cid, name in session.execute(statement)}


def channels_in_use(session: Session) -> list[str]:
    """The channels entries use, sorted (one pass over one column)."""
    statement = (
        select(_E.c.channel).where(_E.c.channel.is_not(None), _E.c.deleted.is_(False)).distinct()
    )
    return sorted(c for c in session.scalars(statement) if c)


# --- one entry in full, for the editor --------------------------------------------------------


@dataclass(frozen=True)
class LinkedEntry:
    id: str
    market: str | None
    title: str | None
    starts_at: str


@dataclass(frozen=True)
class EntryContext:
    """An entry and what its checks need: its market, assets, parent, and its adaptations."""

    record: dict[str, Any]
    market: dict[str, Any] | None
    assets: dict[str, dict[str, Any]]
    parent: dict[str, Any] | None
    adaptations: tuple[LinkedEntry, ...]
    campaign_name: str | None

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.record["data"]
        return data


def entry_context(session: Session, entry_id: str) -> EntryContext | None:
    """The entry (None when it is not here or deleted) with its market, assets and parent."""
    record = records.get(session, "calendar_entry", entry_id)
    if record is None or record["deleted"]:
        return None
    data = record["data"]
    market = None
    if data.get("market"):
        m = Market.__table__
        row = session.execute(
            select(m).where(m.c.code == data["market"], m.c.deleted.is_(False))
        ).first()
        if row is not None:
            market = records.from_row("market", row)["data"]
    assets = {
        aid: found["data"]
        for aid, found in records.load(
            session, "asset", data.get("asset_ids") or [], include_deleted=False
        ).items()
    }
    parent = None
    if data.get("parent_id"):
        found = records.get(session, "calendar_entry", data["parent_id"])
        parent = None if found is None or found["deleted"] else found["data"]
    children = session.execute(
        select(_E.c.id, _E.c.market, _E.c.title, _E.c.starts_at)
        .where(_E.c.parent_id == entry_id, _E.c.deleted.is_(False))
        .order_by(_E.c.market)
    )
    campaign = None
    if data.get("campaign_id"):
        campaign = session.scalar(select(Campaign.name).where(Campaign.id == data["campaign_id"]))
    return EntryContext(
        record=record,
        market=market,
        assets=assets,
        parent=parent,
        adaptations=tuple(LinkedEntry(*row) for row in children),
        campaign_name=campaign,
    )


@dataclass(frozen=True)
class AssetOption:
    id: str
    name: str
    title: str | None
    market: str | None
    kind: str


def asset_data(session: Session, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The data of the assets ``ids`` (for the rules), deleted ones left out."""
    return {
        aid: found["data"]
        for aid, found in records.load(session, "asset", ids, include_deleted=False).items()
    }


def asset_options(
    session: Session,
    *,
    market: str | None,
    campaign_id: str | None = None,
    typed: str = "",
    limit: int = 200,
) -> list[AssetOption]:
    """Assets an entry of ``market`` may link: the market's own and the global masters,
    the entry's campaign first, matching ``typed`` (names, titles, tags), at most ``limit``."""
    a = Asset.__table__
    scope = (
        a.c.market.is_(None) if market is None else or_(a.c.market == market, a.c.market.is_(None))
    )
    statement = select(a.c.id, a.c.name, a.c.title, a.c.market, a.c.kind).where(
        a.c.deleted.is_(False), scope, a.c.status != "retired"
    )
    match = fts_query(typed)
    if match is not None:
        statement = statement.where(
            a.c.pk.in_(
                select(text("rowid"))
                .select_from(text("assets_fts"))
                .where(text("assets_fts MATCH :fts").bindparams(fts=match))
            )
        )
    other_campaign = (
        case((a.c.campaign_id == campaign_id, 0), else_=1) if campaign_id else literal(0)
    )
    global_last = case((a.c.market.is_(None), 1), else_=0)
    statement = statement.order_by(other_campaign, global_last, a.c.name).limit(limit)
    return [AssetOption(*row) for row in session.execute(statement)]


def entry_titles(session: Session, ids: Iterable[str]) -> dict[str, str | None]:
    """Titles by id (for naming the global entry an adaptation follows)."""
    wanted = [i for i in dict.fromkeys(ids) if i]
    found: dict[str, str | None] = {}
    for part in records.chunks(wanted):
        statement = select(_E.c.id, _E.c.title).where(_E.c.id.in_(part))
        found.update(dict(session.execute(statement).all()))
    return found


def adaptation_markets(session: Session, parent_ids: Iterable[str]) -> dict[str, list[str]]:
    """For each global entry, the markets that adapted it (by the ``parent_id`` index)."""
    wanted = [i for i in dict.fromkeys(parent_ids) if i]
    found: dict[str, list[str]] = {}
    for part in records.chunks(wanted):
        statement = (
            select(_E.c.parent_id, _E.c.market)
            .where(_E.c.parent_id.in_(part), _E.c.deleted.is_(False))
            .order_by(_E.c.market)
        )
        for parent, market in session.execute(statement):
            if parent is not None and market is not None:
                found.setdefault(parent, []).append(market)
    return found


def entry_start(session: Session, entry_id: str) -> str | None:
    """When the entry starts (None when it is not here), to bring it into view."""
    return session.scalar(
        select(_E.c.starts_at).where(_E.c.id == entry_id, _E.c.deleted.is_(False))
    )


@dataclass(frozen=True)
class LeadScope:
    """Whose store this is, as the views need it: the lead's markets and the server's clock
    offset (read only: ``sync.client.engine.account`` opens a write to create the row)."""

    markets: tuple[str, ...]
    clock_offset_seconds: float


def lead_scope(session: Session) -> LeadScope:
    state = session.get(SyncState, 1)
    if state is None:
        return LeadScope((), 0.0)
    return LeadScope(tuple(state.markets or ()), float(state.clock_offset_seconds or 0.0))
