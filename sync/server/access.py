"""Who may read and write what: roles and market scopes (PROTOCOL.md, Roles and Clarifications).

A record's scope is its ``data.market`` (a comment takes its target's); ``None`` is global.
A ``section_lead`` reads global records and those of its markets and writes only the latter;
``paid_operator`` and ``compliance`` read everything; a ``conductor`` reads and writes everything.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_

from desktop.domain.records import GLOBAL_TYPES
from sync.server.auth import User
from sync.server.models import records


def scope_of(record_type: str, data: dict[str, Any]) -> str | None:
    """The scope of a record that is not a comment (comments take their target's)."""
    if record_type in GLOBAL_TYPES:
        return None
    market = data.get("market")
    return market if isinstance(market, str) else None


def can_read(user: User, scope: str | None) -> bool:
    return user.reads_all or scope is None or scope in user.markets


def can_write(user: User, record_type: str, scope: str | None) -> bool:
    """May ``user`` hold a record of this type in this scope? (Comments and requests' decisions
    are decided by their own rules; this is the market-and-role gate every write passes.)"""
    if user.role == "conductor":
        return True
    if user.role != "section_lead" or record_type in GLOBAL_TYPES:
        return False
    return scope is not None and scope in user.markets


def readable_clause(user: User) -> ColumnElement[bool] | None:
    """A WHERE clause on ``records`` limiting rows to what ``user`` may read (None: all)."""
    if user.reads_all:
        return None
    if not user.markets:
        return records.c.scope_market.is_(None)
    return or_(records.c.scope_market.is_(None), records.c.scope_market.in_(user.markets))
