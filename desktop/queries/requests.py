"""The amplification requests' reads: the lead's requests by status group, one request in full,
and what the request form offers (the posts to boost, the creatives of a post).

Pure reads over one session; no clock. A workspace holds hundreds of requests, not millions, so
the list is one query by the ``(market, status)`` index; the form's post chooser searches the
calendar by FTS and by the ``(market, starts_at)`` index, a page at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Final

from sqlalchemy import ColumnElement, and_, case, func, or_, select, text
from sqlalchemy.orm import Session

from desktop.domain.values import format_time, parse_time
from desktop.queries.calendar import AssetOption, fts_query
from desktop.store import records
from desktop.store.models import AmplificationRequest, Asset, CalendarEntry, Market, OutboxOp

GROUPS: Final[dict[str, tuple[str, ...]]] = {
    "waiting": ("submitted", "escalated"),
    "drafts": ("draft",),
    "decided": ("approved", "declined"),
    "withdrawn": ("withdrawn",),
}
GROUP_LABELS: Final = {
    "waiting": "Waiting for a decision",
    "drafts": "Drafts",
    "decided": "Decided",
    "withdrawn": "Withdrawn",
}
STATUS_LABELS: Final = {
    "draft": "Draft",
    "submitted": "Submitted",
    "escalated": "Escalated",
    "approved": "Approved",
    "declined": "Declined",
    "withdrawn": "Withdrawn",
}

_R = AmplificationRequest.__table__
_E = CalendarEntry.__table__
_A = Asset.__table__


def group_of(status: str | None) -> str:
    for group, statuses in GROUPS.items():
        if (status or "draft") in statuses:
            return group
    return "drafts"


@dataclass(frozen=True)
class RequestRow:
    """A request as the list and its detail panel show it."""

    id: str
    status: str
    priority: str
    market: str
    entry_id: str
    entry_title: str | None
    entry_kind: str | None
    asset_id: str
    asset_name: str | None
    cta: str | None
    audience: str | None
    amount: str | None
    currency: str | None
    starts_at: str | None
    ends_at: str | None
    primary_kpi: str | None
    legal_note: str | None
    checklist: dict[str, Any] = field(default_factory=dict)
    submitted_at: str | None = None
    sla_due_at: str | None = None
    decided_at: str | None = None
    decision_note: str | None = None
    version: int = 0
    updated_at: str | None = None
    queued: bool = False  # local edits not yet pushed (a submit made offline waits for sync)

    @property
    def group(self) -> str:
        return group_of(self.status)


def _scope(markets: Sequence[str]) -> list[ColumnElement[bool]]:
    return [_R.c.market.in_(list(markets)), _R.c.deleted.is_(False)]


def _text_condition(typed: str) -> ColumnElement[bool] | None:
    words = [w for w in typed.casefold().split() if w]
    if not words:
        return None
    conditions = []
    for word in words:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            or_(
                func.lower(func.coalesce(_R.c.cta, "")).like(pattern, escape="\\"),
                func.lower(func.coalesce(_E.c.title, "")).like(pattern, escape="\\"),
                func.lower(func.coalesce(_R.c.audience, "")).like(pattern, escape="\\"),
            )
        )
    return and_(*conditions)


def request_ids(
    session: Session, *, markets: Sequence[str], group: str | None = None, typed: str = ""
) -> list[str]:
    """The lead's requests: waiting ones first (soonest SLA first, queued ones before them),
    then drafts, decided and withdrawn ones (newest first)."""
    rank = case(
        *((_R.c.status.in_(statuses), i) for i, statuses in enumerate(GROUPS.values())),
        else_=1,
    )
    waiting = _R.c.status.in_(GROUPS["waiting"])
    statement = (
        select(_R.c.id)
        .select_from(_R.outerjoin(_E, _E.c.id == _R.c.entry_id))
        .where(*_scope(markets))
        .order_by(
            rank,
            case((waiting, func.coalesce(_R.c.sla_due_at, "")), else_=""),
            func.coalesce(_R.c.decided_at, _R.c.updated_at, "").desc(),
            _R.c.id,
        )
    )
    if group is not None:
        statement = statement.where(_R.c.status.in_(GROUPS[group]))
    condition = _text_condition(typed)
    if condition is not None:
        statement = statement.where(condition)
    return list(session.scalars(statement))


def group_counts(session: Session, *, markets: Sequence[str]) -> dict[str, int]:
    """How many of the lead's requests are in each group (every group present)."""
    counts = dict.fromkeys(GROUPS, 0)
    statement = (
        select(func.coalesce(_R.c.status, "draft"), func.count())
        .where(*_scope(markets))
        .group_by(_R.c.status)
    )
    for status, count in session.execute(statement):
        counts[group_of(status)] += int(count)
    return counts


def _queued(session: Session, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for part in records.chunks(list(ids)):
        statement = select(OutboxOp.record_id).where(
            OutboxOp.record_type == "amplification_request", OutboxOp.record_id.in_(part)
        )
        found.update(session.scalars(statement))
    return found


def request_rows(session: Session, ids: Iterable[str]) -> dict[str, RequestRow]:
    """Rows by id, with the post's title and the creative's name (deleted ones absent)."""
    wanted = list(dict.fromkeys(ids))
    queued = _queued(session, wanted)
    found: dict[str, RequestRow] = {}
    for part in records.chunks(wanted):
        statement = (
            select(_R, _E.c.title.label("entry_title"), _E.c.kind.label("entry_kind"), _A.c.name)
            .select_from(
                _R.outerjoin(_E, _E.c.id == _R.c.entry_id).outerjoin(_A, _A.c.id == _R.c.asset_id)
            )
            .where(_R.c.id.in_(part), _R.c.deleted.is_(False))
        )
        for row in session.execute(statement):
            m = row._mapping
            budget = m[_R.c.budget] or {}
            found[m[_R.c.id]] = RequestRow(
                id=m[_R.c.id],
                status=m[_R.c.status] or "draft",
                priority=m[_R.c.priority] or "standard",
                market=m[_R.c.market],
                entry_id=m[_R.c.entry_id],
                entry_title=m["entry_title"],
                entry_kind=m["entry_kind"],
                asset_id=m[_R.c.asset_id],
                asset_name=m[_A.c.name],
                cta=m[_R.c.cta],
                audience=m[_R.c.audience],
                amount=budget.get("amount"),
                currency=budget.get("currency"),
                starts_at=m[_R.c.starts_at],
                ends_at=m[_R.c.ends_at],
                primary_kpi=m[_R.c.primary_kpi],
                legal_note=m[_R.c.legal_note],
                checklist=dict(m[_R.c.checklist] or {}),
                submitted_at=m[_R.c.submitted_at],
                sla_due_at=m[_R.c.sla_due_at],
                decided_at=m[_R.c.decided_at],
                decision_note=m[_R.c.decision_note],
                version=m[_R.c.version],
                updated_at=m[_R.c.updated_at],
                queued=m[_R.c.id] in queued,
            )
    return found


def request_record(session: Session, request_id: str) -> dict[str, Any] | None:
    """The request's data (None when it is not here or deleted)."""
    found = records.get(session, "amplification_request", request_id)
    if found is None or found["deleted"]:
        return None
    data: dict[str, Any] = found["data"]
    return data


# --- the form ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryChoice:
    id: str
    title: str | None
    market: str | None
    channel: str | None
    starts_at: str
    status: str | None
    campaign_id: str | None


_CHOICE_COLUMNS: Final = (
    _E.c.id,
    _E.c.title,
    _E.c.market,
    _E.c.channel,
    _E.c.starts_at,
    _E.c.status,
    _E.c.campaign_id,
)


def boostable_entries(
    session: Session,
    *,
    markets: Sequence[str],
    around: str,
    typed: str = "",
    limit: int = 50,
    days_before: int = 14,
) -> list[EntryChoice]:
    """Organic posts a lead of ``markets`` may boost (theirs and global ones, not cancelled):
    those matching ``typed`` (titles and captions), else the ones since ``days_before`` days
    before ``around``, soonest first; at most ``limit``."""
    scope = or_(_E.c.market.in_(list(markets)), _E.c.market.is_(None))
    statement = select(*_CHOICE_COLUMNS).where(
        _E.c.deleted.is_(False),
        scope,
        _E.c.kind == "organic_post",
        func.coalesce(_E.c.status, "draft") != "cancelled",
    )
    match = fts_query(typed)
    if match is not None:
        statement = statement.where(
            _E.c.pk.in_(
                select(text("rowid"))
                .select_from(text("entries_fts"))
                .where(text("entries_fts MATCH :fts").bindparams(fts=match))
            )
        ).order_by(_E.c.starts_at.desc(), _E.c.id)
    else:
        since = format_time(parse_time(around) - timedelta(days=days_before))
        statement = statement.where(_E.c.starts_at >= since).order_by(_E.c.starts_at, _E.c.id)
    return [EntryChoice(*row) for row in session.execute(statement.limit(limit))]


def entry_choice(session: Session, entry_id: str) -> EntryChoice | None:
    row = session.execute(
        select(*_CHOICE_COLUMNS).where(_E.c.id == entry_id, _E.c.deleted.is_(False))
    ).first()
    return None if row is None else EntryChoice(*row)


def creative_options(
    session: Session, *, entry_id: str | None, market: str | None, limit: int = 100
) -> list[AssetOption]:
    """The creatives a request may use: the post's own assets first, then the market's assets
    of the post's campaign and their global masters (at most ``limit``)."""
    entry = records.get(session, "calendar_entry", entry_id) if entry_id else None
    own: list[str] = list(entry["data"].get("asset_ids") or []) if entry else []
    campaign = entry["data"].get("campaign_id") if entry else None
    columns = (_A.c.id, _A.c.name, _A.c.title, _A.c.market, _A.c.kind)
    found: dict[str, AssetOption] = {}
    for part in records.chunks(own):
        for row in session.execute(
            select(*columns).where(_A.c.id.in_(part), _A.c.deleted.is_(False))
        ):
            found[row[0]] = AssetOption(*row)
    ordered = [found[i] for i in own if i in found]
    if campaign is not None and market is not None:
        statement = (
            select(*columns)
            .where(
                _A.c.deleted.is_(False),
                _A.c.campaign_id == campaign,
                or_(_A.c.market == market, _A.c.market.is_(None)),
                func.coalesce(_A.c.status, "") != "retired",
            )
            .order_by(_A.c.market.is_(None), _A.c.name)
            .limit(limit)
        )
        for row in session.execute(statement):
            if row[0] not in found:
                option = AssetOption(*row)
                found[option.id] = option
                ordered.append(option)
    return ordered[:limit]


@dataclass(frozen=True)
class RequestContext:
    """What the submit checks read: the linked post, creative and market (None when missing)."""

    entry: dict[str, Any] | None
    asset: dict[str, Any] | None
    market: dict[str, Any] | None


def request_context(
    session: Session, *, entry_id: str | None, asset_id: str | None, market: str | None
) -> RequestContext:
    entry = records.get(session, "calendar_entry", entry_id) if entry_id else None
    asset = records.get(session, "asset", asset_id) if asset_id else None
    market_data = None
    if market:
        m = Market.__table__
        row = session.execute(select(m).where(m.c.code == market, m.c.deleted.is_(False))).first()
        if row is not None:
            market_data = records.from_row("market", row)["data"]
    return RequestContext(
        entry=None if entry is None or entry["deleted"] else entry["data"],
        asset=None if asset is None or asset["deleted"] else asset["data"],
        market=market_data,
    )
