"""The ops board: what needs the lead in the next hours, for their markets.

Pure reads over one session; the time is an argument (no clock here), so tests pin it. Every
section is a bounded, index-backed query (entries by ``(market, starts_at)``, requests by
``(market, status)``, adaptations by ``parent_id``/``master_id``); the two JSON scans (rights
expiry, embargo lift) read two small columns of the asset table. The rules decide and word each
warning (``desktop.rules``); this module only picks the records.

Decisions where PRODUCT.md is silent:

- "Posts due": local organic posts in the lead's markets starting within ``hours`` that are not
  published or cancelled; a draft among them is a warning (it cannot go out as it is).
- "Boost candidates": local organic posts published (or approved) in the last
  ``BOOST_LOOKBACK_HOURS`` with no amplification request that is not withdrawn.
- "Requests waiting": submitted or escalated requests of the lead's markets, soonest SLA first.
- Overlap and drift warnings look ``warning_days`` ahead (six weeks: the span of a campaign plan;
  a burst planned next month is cheapest to fix today); stale adaptations of entries that already
  ran are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sqlalchemy import and_, exists, func, literal_column, not_, or_, select
from sqlalchemy.orm import Session, aliased

from desktop.domain.values import format_time
from desktop.rules._text import field_label, format_moment, format_span, market_label, to_time
from desktop.rules.channels import CHANNEL_NAMES, canonical_channel
from desktop.rules.drift import check_drift
from desktop.rules.findings import Severity
from desktop.rules.overlap import find_overlaps
from desktop.rules.requests import sla_clock
from desktop.rules.rights import embargo_lifting, rights_expiring
from desktop.rules.stale import check_stale
from desktop.services.assets import ADAPTED_FIELDS as ASSET_ADAPTED_FIELDS
from desktop.services.entries import ADAPTED_FIELDS as ENTRY_ADAPTED_FIELDS
from desktop.store.models import (
    AmplificationRequest,
    Asset,
    CalendarEntry,
    Market,
    RecordHistory,
)

BOOST_LOOKBACK_HOURS: Final = 72
# The board loads in two steps: what is due, from indexed range reads, first (the first paint of
# the window waits for it); then what scans or compares records: rights and embargo windows (JSON
# fields of every asset in scope), the overlap sweep, drift and stale joins.
QUICK: Final = ("posts_due", "requests_waiting", "boost_candidates")
WARNINGS: Final = ("rights_expiring", "embargoes_lifting", "overlaps", "drift", "stale")
SECTION_LIMIT: Final = 100

SECTIONS: Final[tuple[tuple[str, str, str], ...]] = (
    # key, title, what an empty section says
    ("posts_due", "Posts due", "Nothing due in the next {hours} hours."),
    (
        "requests_waiting",
        "Requests waiting for a decision",
        "No boost request is waiting for a decision.",
    ),
    (
        "boost_candidates",
        "Boost candidates",
        "No recent organic post is waiting for a boost request.",
    ),
    ("rights_expiring", "Rights expiring", "No rights expire in the next {rights_days} days."),
    (
        "embargoes_lifting",
        "Embargoes lifting",
        "No embargo lifts in the next {embargo_hours} hours.",
    ),
    ("overlaps", "Overlapping paid bursts", "No paid bursts overlap in your markets."),
    ("drift", "Dates drifting from the global plan", "Your dates follow the global plan."),
    ("stale", "Stale adaptations", "Your adaptations are up to date with their masters."),
)


@dataclass(frozen=True)
class OpsItem:
    """One line of the board; opening it shows ``record_type``/``record_id``."""

    section: str
    record_type: str
    record_id: str
    title: str
    detail: str
    market: str | None
    when: str | None
    severity: Severity = "info"
    sla_due_at: str | None = None
    master_id: str | None = None
    changed_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpsSection:
    key: str
    title: str
    empty: str
    items: tuple[OpsItem, ...]
    total: int  # may exceed len(items): sections show at most ``limit`` items


@dataclass(frozen=True)
class OpsBoard:
    now: str
    markets: tuple[str, ...]
    hours: int
    sections: tuple[OpsSection, ...] = field(default_factory=tuple)

    def section(self, key: str) -> OpsSection:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sections)


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must carry its time zone")
    return now.astimezone(UTC)


def _short(text: str | None, limit: int = 70) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _entry_title(title: str | None, caption: str | None, kind: str | None) -> str:
    return _short(title) or _short(caption) or (kind or "entry").replace("_", " ")


def _channel(name: str | None) -> str:
    canonical = canonical_channel(name)
    if canonical is None:
        return "No channel"
    return CHANNEL_NAMES.get(canonical, canonical.replace("_", " ").title())


def market_zones(session: Session) -> dict[str, str | None]:
    """Each market's time zone, to say times as the market lives them."""
    return {
        code: tz
        for code, tz in session.execute(
            select(Market.code, Market.timezone).where(Market.deleted.is_(False))
        )
    }


def _in_markets(column: Any, markets: Sequence[str]) -> Any:
    return column.in_(list(markets))


# --- sections ---------------------------------------------------------------------------------


def posts_due(
    session: Session,
    *,
    markets: Sequence[str],
    now: datetime,
    hours: int = 48,
    limit: int = SECTION_LIMIT,
    zones: dict[str, str | None] | None = None,
) -> tuple[list[OpsItem], int]:
    now = _aware(now)
    zones = zones if zones is not None else market_zones(session)
    e = CalendarEntry
    where = and_(
        _in_markets(e.market, markets),
        e.kind == "organic_post",
        e.deleted.is_(False),
        e.starts_at >= format_time(now),
        e.starts_at < format_time(now + timedelta(hours=hours)),
        or_(e.status.is_(None), e.status.not_in(("published", "cancelled"))),
    )
    total = int(session.scalar(select(func.count()).select_from(e).where(where)) or 0)
    rows = session.execute(
        select(e.id, e.title, e.caption, e.kind, e.market, e.channel, e.starts_at, e.status)
        .where(where)
        .order_by(e.starts_at, e.id)
        .limit(limit)
    )
    items = []
    for row in rows:
        start = to_time(row.starts_at)
        when = format_moment(start, zones.get(row.market), reference=now) if start else "?"
        draft = row.status == "draft"
        detail = f"{_channel(row.channel)} · {market_label(row.market)} · {when}"
        detail += " · still a draft" if draft else f" · {row.status or 'no status'}"
        items.append(
            OpsItem(
                "posts_due",
                "calendar_entry",
                row.id,
                _entry_title(row.title, row.caption, row.kind),
                detail,
                row.market,
                row.starts_at,
                "warning" if draft else "info",
            )
        )
    return items, total


def boost_candidates(
    session: Session,
    *,
    markets: Sequence[str],
    now: datetime,
    lookback_hours: int = BOOST_LOOKBACK_HOURS,
    limit: int = SECTION_LIMIT,
    zones: dict[str, str | None] | None = None,
) -> tuple[list[OpsItem], int]:
    now = _aware(now)
    zones = zones if zones is not None else market_zones(session)
    e, r = CalendarEntry, AmplificationRequest
    asked = exists().where(
        r.entry_id == e.id, r.deleted.is_(False), or_(r.status.is_(None), r.status != "withdrawn")
    )
    where = and_(
        _in_markets(e.market, markets),
        e.kind == "organic_post",
        e.deleted.is_(False),
        e.status.in_(("published", "approved")),
        e.starts_at >= format_time(now - timedelta(hours=lookback_hours)),
        e.starts_at <= format_time(now),
        not_(asked),
    )
    total = int(session.scalar(select(func.count()).select_from(e).where(where)) or 0)
    rows = session.execute(
        select(e.id, e.title, e.caption, e.kind, e.market, e.channel, e.starts_at)
        .where(where)
        .order_by(e.starts_at.desc(), e.id)
        .limit(limit)
    )
    items = []
    for row in rows:
        start = to_time(row.starts_at)
        ago = f"posted {format_span(now - start)} ago" if start else "posted recently"
        items.append(
            OpsItem(
                "boost_candidates",
                "calendar_entry",
                row.id,
                _entry_title(row.title, row.caption, row.kind),
                f"{_channel(row.channel)} · {market_label(row.market)} · {ago} · "
                "no boost request yet",
                row.market,
                row.starts_at,
            )
        )
    return items, total


def requests_waiting(
    session: Session,
    *,
    markets: Sequence[str],
    now: datetime,
    clock_offset_seconds: float = 0.0,
    limit: int = SECTION_LIMIT,
) -> tuple[list[OpsItem], int]:
    now = _aware(now)
    r, e = AmplificationRequest, CalendarEntry
    where = and_(
        _in_markets(r.market, markets),
        r.deleted.is_(False),
        r.status.in_(("submitted", "escalated")),
    )
    total = int(session.scalar(select(func.count()).select_from(r).where(where)) or 0)
    rows = session.execute(
        select(
            r.id,
            r.market,
            r.status,
            r.priority,
            r.budget,
            r.sla_due_at,
            r.submitted_at,
            e.title,
            e.caption,
            e.kind,
        )
        .outerjoin(e, e.id == r.entry_id)
        .where(where)
        .order_by(r.sla_due_at.is_(None), r.sla_due_at, r.id)
        .limit(limit)
    )
    items = []
    for row in rows:
        budget = row.budget or {}
        money = f"{budget.get('amount')} {budget.get('currency') or ''}".strip()
        parts = [market_label(row.market), row.priority or "standard"]
        if budget.get("amount"):
            parts.append(money)
        parts.append("escalated to the conductor" if row.status == "escalated" else "submitted")
        severity: Severity = "info"
        if row.sla_due_at:
            clock = sla_clock(
                row.sla_due_at, local_now=now, clock_offset_seconds=clock_offset_seconds
            )
            severity = "error" if clock.breached else "info"
        items.append(
            OpsItem(
                "requests_waiting",
                "amplification_request",
                row.id,
                "Boost: " + _entry_title(row.title, row.caption, row.kind),
                " · ".join(parts),
                row.market,
                row.submitted_at,
                severity,
                sla_due_at=row.sla_due_at,
            )
        )
    return items, total


def _asset_scope(a: Any, markets: Sequence[str]) -> Any:
    return and_(
        a.deleted.is_(False),
        or_(a.status.is_(None), a.status != "retired"),
        or_(a.market.is_(None), _in_markets(a.market, markets)),
    )


def _asset_title(title: str | None, name: str | None) -> str:
    return _short(title) or _short(name) or "Untitled asset"


def rights_expiring_soon(
    session: Session,
    *,
    markets: Sequence[str],
    now: datetime,
    days: int = 14,
    limit: int = SECTION_LIMIT,
) -> tuple[list[OpsItem], int]:
    now = _aware(now)
    a = Asset
    # The path is a literal, not a parameter, so an expression index on it could serve this.
    expires = func.json_extract(a.rights, literal_column("'$.expires_on'"))
    today = now.date()
    where = and_(
        _asset_scope(a, markets),
        expires >= today.isoformat(),
        expires <= (today + timedelta(days=days)).isoformat(),
    )
    total = int(session.scalar(select(func.count()).select_from(a).where(where)) or 0)
    rows = session.execute(
        select(a.id, a.title, a.name, a.market, a.rights)
        .where(where)
        .order_by(expires, a.id)
        .limit(limit)
    )
    items = []
    for row in rows:
        finding = rights_expiring(row.rights, now=now, days=days)
        if finding is None:  # pragma: no cover - the query picked exactly these
            continue
        holder = (row.rights or {}).get("holder")
        detail = f"{market_label(row.market)} · {finding.message}"
        if holder:
            detail += f" Holder: {holder}."
        left = int(finding.details.get("days_left", days))
        items.append(
            OpsItem(
                "rights_expiring",
                "asset",
                row.id,
                _asset_title(row.title, row.name),
                detail,
                row.market,
                (row.rights or {}).get("expires_on"),
                "warning" if left <= 2 else "info",
            )
        )
    return items, total


def embargoes_lifting(
    session: Session,
    *,
    markets: Sequence[str],
    now: datetime,
    hours: int = 48,
    limit: int = SECTION_LIMIT,
    zones: dict[str, str | None] | None = None,
) -> tuple[list[OpsItem], int]:
    now = _aware(now)
    zones = zones if zones is not None else market_zones(session)
    a = Asset
    until = func.json_extract(a.embargo, literal_column("'$.until'"))
    where = and_(
        _asset_scope(a, markets),
        until > format_time(now),
        until <= format_time(now + timedelta(hours=hours)),
    )
    rows = session.execute(
        select(a.id, a.title, a.name, a.market, a.embargo).where(where).order_by(until, a.id)
    )
    items = []
    for row in rows:
        candidates = [row.market] if row.market else list(markets)
        lifting = [
            (m, f)
            for m in candidates
            if (
                f := embargo_lifting(
                    row.embargo, market=m, now=now, hours=hours, timezone=zones.get(m)
                )
            )
        ]
        if not lifting:
            continue
        finding = lifting[0][1]
        where_text = ", ".join(market_label(m) for m, _ in lifting)
        message = finding.message
        if len(lifting) > 1:
            message = message.replace(f"in {market_label(lifting[0][0])}", f"in {where_text}", 1)
        items.append(
            OpsItem(
                "embargoes_lifting",
                "asset",
                row.id,
                _asset_title(row.title, row.name),
                message,
                row.market,
                (row.embargo or {}).get("until"),
            )
        )
    return items[:limit], len(items)


def _titles(session: Session, ids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    e = CalendarEntry
    wanted = list(dict.fromkeys(ids))
    found: dict[str, tuple[str, str | None]] = {}
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        for row in session.execute(
            select(e.id, e.title, e.caption, e.kind, e.market).where(e.id.in_(part))
        ):
            found[row.id] = (_entry_title(row.title, row.caption, row.kind), row.market)
    return found


def overlap_warnings(
    session: Session,
    *,
    markets: Sequence[str],
    now: datetime,
    days: int = 14,
    limit: int = SECTION_LIMIT,
    zones: dict[str, str | None] | None = None,
) -> tuple[list[OpsItem], int]:
    """Paid bursts running now or starting within ``days`` that overlap in the lead's markets."""
    now = _aware(now)
    zones = zones if zones is not None else market_zones(session)
    e = CalendarEntry
    rows = session.execute(
        select(e.id, e.kind, e.market, e.starts_at, e.ends_at, e.status, e.parent_id).where(
            e.kind == "paid_burst",
            e.deleted.is_(False),
            or_(e.market.is_(None), _in_markets(e.market, markets)),
            e.starts_at < format_time(now + timedelta(days=days)),
            e.ends_at > format_time(now),
        )
    )
    bursts = [dict(row._mapping) for row in rows]
    wanted = set(markets)
    overlaps = [o for o in find_overlaps(bursts) if o.market in wanted]
    overlaps.sort(key=lambda o: (o.starts_at, o.first_id, o.second_id))
    by_id = {b["id"]: b for b in bursts}
    titles = _titles(session, {i for o in overlaps[:limit] for i in (o.first_id, o.second_id)})
    items = []
    for o in overlaps[:limit]:
        # Open the local burst: the one the lead can move or cancel.
        local = o.first_id if by_id[o.first_id]["market"] else o.second_id
        other = o.second_id if local == o.first_id else o.first_id
        other_market = by_id[other]["market"]
        other_text = titles.get(other, ("another burst", None))[0]
        if other_market is None:
            other_text += " (central)"
        when = format_moment(o.starts_at, zones.get(o.market), reference=now)
        items.append(
            OpsItem(
                "overlaps",
                "calendar_entry",
                local,
                titles.get(local, ("Paid burst", None))[0],
                f"{market_label(o.market)} · overlaps {other_text} for "
                f"{format_span(timedelta(hours=o.hours))} from {when}: duplicate spend",
                o.market,
                format_time(o.starts_at),
                "warning",
                master_id=other,
            )
        )
    return items, len(overlaps)


def drift_warnings(
    session: Session,
    *,
    markets: Sequence[str],
    now: datetime,
    drift_days: float = 2.0,
    days: int = 14,
    limit: int = SECTION_LIMIT,
) -> tuple[list[OpsItem], int]:
    """Local adaptations, upcoming or whose master is upcoming, more than ``drift_days`` apart."""
    now = _aware(now)
    e = CalendarEntry
    p = aliased(CalendarEntry)
    start, end = format_time(now), format_time(now + timedelta(days=days))
    rows = session.execute(
        select(
            e.id,
            e.title,
            e.caption,
            e.kind,
            e.market,
            e.starts_at,
            p.id.label("parent"),
            p.starts_at.label("parent_starts_at"),
        )
        .join(p, p.id == e.parent_id)
        .where(
            _in_markets(e.market, markets),
            e.deleted.is_(False),
            p.deleted.is_(False),
            or_(e.status.is_(None), e.status != "cancelled"),
            or_(e.starts_at.between(start, end), p.starts_at.between(start, end)),
            func.abs(func.julianday(e.starts_at) - func.julianday(p.starts_at)) > drift_days,
        )
        .order_by(e.starts_at, e.id)
    )
    items = []
    for row in rows:
        finding = check_drift(
            {"starts_at": row.starts_at}, {"starts_at": row.parent_starts_at}, days=drift_days
        )
        if finding is None:
            continue
        items.append(
            OpsItem(
                "drift",
                "calendar_entry",
                row.id,
                _entry_title(row.title, row.caption, row.kind),
                f"{market_label(row.market)} · {finding.message}",
                row.market,
                row.starts_at,
                "warning",
                master_id=row.parent,
            )
        )
    return items[:limit], len(items)


def _history(
    session: Session, record_type: str, keys: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], dict[str, Any]]:
    wanted = list(dict.fromkeys(keys))
    found: dict[tuple[str, int], dict[str, Any]] = {}
    ids = list({k[0] for k in wanted})
    for start in range(0, len(ids), 500):
        for row in session.execute(
            select(RecordHistory.record_id, RecordHistory.version, RecordHistory.data).where(
                RecordHistory.record_type == record_type,
                RecordHistory.record_id.in_(ids[start : start + 500]),
            )
        ):
            found[(row.record_id, row.version)] = row.data
    return found


def stale_adaptations(
    session: Session,
    *,
    markets: Sequence[str],
    now: datetime,
    limit: int = SECTION_LIMIT,
) -> tuple[list[OpsItem], int]:
    """Local entries (not yet over) and local assets whose master moved on since adapted."""
    now = _aware(now)
    e, pe = CalendarEntry, aliased(CalendarEntry)
    a, pa = Asset, aliased(Asset)
    entry_fields = (e.id, e.title, e.caption, e.kind, e.market, e.starts_at, e.adapted_from_version)
    entries = session.execute(
        select(
            *entry_fields,
            pe.id.label("master"),
            pe.version.label("master_version"),
            *(getattr(pe, name).label(f"m_{name}") for name in ENTRY_ADAPTED_FIELDS),
        )
        .join(pe, pe.id == e.parent_id)
        .where(
            _in_markets(e.market, markets),
            e.deleted.is_(False),
            or_(e.status.is_(None), e.status.not_in(("cancelled", "published"))),
            e.starts_at >= format_time(now - timedelta(days=1)),
            e.adapted_from_version.is_not(None),
            e.adapted_from_version < pe.version,
        )
        .order_by(e.starts_at, e.id)
    ).all()
    assets = session.execute(
        select(
            a.id,
            a.title,
            a.name,
            a.market,
            a.adapted_from_version,
            pa.id.label("master"),
            pa.version.label("master_version"),
            *(getattr(pa, name).label(f"m_{name}") for name in ASSET_ADAPTED_FIELDS),
        )
        .join(pa, pa.id == a.master_id)
        .where(
            _in_markets(a.market, markets),
            a.deleted.is_(False),
            or_(a.status.is_(None), a.status != "retired"),
            a.adapted_from_version.is_not(None),
            a.adapted_from_version < pa.version,
        )
        .order_by(a.name, a.id)
    ).all()
    entry_history = _history(
        session, "calendar_entry", [(r.master, r.adapted_from_version) for r in entries]
    )
    asset_history = _history(session, "asset", [(r.master, r.adapted_from_version) for r in assets])
    items: list[OpsItem] = []
    for row, record_type, history, fields, title in (
        *(
            (
                r,
                "calendar_entry",
                entry_history,
                ENTRY_ADAPTED_FIELDS,
                _entry_title(r.title, r.caption, r.kind),
            )
            for r in entries
        ),
        *(
            (r, "asset", asset_history, ASSET_ADAPTED_FIELDS, _asset_title(r.title, r.name))
            for r in assets
        ),
    ):
        # Only the master's columns that adaptations inherit are read (no ORM objects).
        master_now = {name: getattr(row, f"m_{name}") for name in fields}
        finding = check_stale(
            adapted_from_version=row.adapted_from_version,
            master_version=row.master_version,
            master_then=history.get((row.master, row.adapted_from_version)),
            master_now=master_now,
            fields=fields,
        )
        if finding is None:
            continue
        changed = tuple(finding.details.get("changed_fields", ()))
        if changed:
            what = ", ".join(field_label(name) for name in changed)
            detail = f"{market_label(row.market)} · changed in the master: {what}"
        else:
            detail = (
                f"{market_label(row.market)} · the master moved from version "
                f"{row.adapted_from_version} to {row.master_version}: compare them"
            )
        items.append(
            OpsItem(
                "stale",
                record_type,
                row.id,
                title,
                detail,
                row.market,
                getattr(row, "starts_at", None),
                "warning",
                master_id=row.master,
                changed_fields=changed,
            )
        )
    return items[:limit], len(items)


# --- the board --------------------------------------------------------------------------------


def ops_board(
    session: Session,
    *,
    markets: Sequence[str],
    now: datetime,
    hours: int = 48,
    rights_days: int = 14,
    embargo_hours: int = 48,
    drift_days: float = 2.0,
    warning_days: int = 42,
    clock_offset_seconds: float = 0.0,
    limit: int = SECTION_LIMIT,
    sections: Iterable[str] | None = None,
) -> OpsBoard:
    """The board for ``markets`` as of ``now``: every section, or only ``sections`` (keys).
    Runs on a worker; the view asks for ``QUICK`` first and ``WARNINGS`` after."""
    now = _aware(now)
    markets = tuple(sorted(set(markets)))
    wanted = set(sections) if sections is not None else {key for key, _, _ in SECTIONS}
    zones = market_zones(session) if markets else {}
    finders: dict[str, Callable[[], tuple[list[OpsItem], int]]] = {
        "posts_due": lambda: posts_due(
            session, markets=markets, now=now, hours=hours, limit=limit, zones=zones
        ),
        "requests_waiting": lambda: requests_waiting(
            session,
            markets=markets,
            now=now,
            clock_offset_seconds=clock_offset_seconds,
            limit=limit,
        ),
        "boost_candidates": lambda: boost_candidates(
            session, markets=markets, now=now, limit=limit, zones=zones
        ),
        "rights_expiring": lambda: rights_expiring_soon(
            session, markets=markets, now=now, days=rights_days, limit=limit
        ),
        "embargoes_lifting": lambda: embargoes_lifting(
            session, markets=markets, now=now, hours=embargo_hours, limit=limit, zones=zones
        ),
        "overlaps": lambda: overlap_warnings(
            session, markets=markets, now=now, days=warning_days, limit=limit, zones=zones
        ),
        "drift": lambda: drift_warnings(
            session,
            markets=markets,
            now=now,
            drift_days=drift_days,
            days=warning_days,
            limit=limit,
        ),
        "stale": lambda: stale_adaptations(session, markets=markets, now=now, limit=limit),
    }
    found = {key: finders[key]() for key in finders if key in wanted and markets}
    words = {"hours": hours, "rights_days": rights_days, "embargo_hours": embargo_hours}
    built = []
    for key, title, empty in SECTIONS:
        if key not in wanted:
            continue
        items, total = found.get(key, ([], 0))
        built.append(OpsSection(key, title, empty.format(**words), tuple(items), total))
    return OpsBoard(format_time(now), markets, hours, tuple(built))
