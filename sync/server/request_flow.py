"""The server's part in an amplification request's life: who may move it where, the submit
checks, the SLA and escalation, and the fields only the server sets.

Every rule itself is ``desktop.rules.requests`` (the same code the app runs); this module only
gathers what those rules need (the linked entry, asset and market as the caller may read them),
applies their verdicts and stamps the server's clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from desktop.domain.records import SERVER_SET_FIELDS
from desktop.domain.values import format_time
from desktop.rules.findings import errors
from desktop.rules.requests import (
    check_decision,
    check_submit,
    check_transition,
    escalates,
    sla_due_at,
)
from sync.server import access
from sync.server.rejections import Rejected, from_finding

if TYPE_CHECKING:
    from sync.server.push import PushContext
    from sync.server.rows import Row

READ_ONLY: Final = SERVER_SET_FIELDS["amplification_request"]
DECISIONS: Final = frozenset({"approved", "declined"})
DECIDERS: Final = frozenset({"paid_operator", "compliance"})
# What a decider's change may carry; anything else is not theirs to edit.
DECISION_FIELDS: Final = frozenset({"status", "decision_note"})


class RequestFlow:
    """Checks one write of one amplification request (``row``) by the push's caller."""

    def __init__(self, ctx: PushContext, row: Row) -> None:
        self.ctx = ctx
        self.row = row

    def check(
        self, *, old: dict[str, Any] | None, sent: set[str], data: dict[str, Any]
    ) -> dict[str, Any]:
        role = self.ctx.user.role
        new = dict(data)
        if old is None and new.get("status") is None:
            new["status"] = "draft"  # PROTOCOL.md: a request created without status is a draft
        old_status = None if old is None else old.get("status")
        new_status = str(new.get("status"))
        if role in DECIDERS and (old is None or sent - DECISION_FIELDS):
            raise Rejected(
                "forbidden",
                "Your role decides requests; only their market's lead or a conductor edits them.",
            )
        deciding = new_status in DECISIONS and new_status != old_status
        for name in sorted(READ_ONLY & sent):
            before = None if old is None else old.get(name)
            if new.get(name) == before or (name == "decision_note" and deciding):
                continue
            raise Rejected(
                "read_only_field",
                f"The server sets {name.replace('_', ' ')}; leave it out of the change.",
                {"field": name},
            )
        if deciding:
            finding = check_decision(
                role=role,
                status=old_status,
                new_status=new_status,
                decision_note=new.get("decision_note"),
            )
        else:
            finding = check_transition(role=role, old=old_status, new=new_status)
        if finding is not None:
            raise from_finding(finding)
        if old is not None and old_status != "draft":
            edited = sorted(f for f in sent - DECISION_FIELDS if new.get(f) != old.get(f))
            if edited:
                raise Rejected(
                    "invalid_transition",
                    f"This request is {old_status}: it can no longer be edited, only "
                    + ("decided." if role in DECIDERS else "withdrawn."),
                    {"fields": edited},
                )
        now = self.ctx.now
        if new_status == "submitted" and old_status != "submitted":
            market = self._submit(new)
            new["submitted_at"] = format_time(now)
            new["sla_due_at"] = format_time(sla_due_at(now, new.get("priority")))
            if escalates(new.get("budget"), market):
                new["status"] = "escalated"
        if deciding:
            new["decided_at"] = format_time(now)
            new["decided_by"] = self.ctx.user.id
        return new

    def _linked(self, record_type: str, record_id: Any) -> dict[str, Any] | None:
        if not isinstance(record_id, str):
            return None
        row = self.ctx.row(record_id.lower())
        if (
            row is None
            or row.deleted
            or row.type != record_type
            or not access.can_read(self.ctx.user, row.scope_market)
        ):
            return None
        return row.data

    def _submit(self, request: dict[str, Any]) -> dict[str, Any] | None:
        code = request.get("market")
        market_row = self.ctx.market(code) if isinstance(code, str) else None
        market = None if market_row is None else market_row.data
        findings = errors(
            check_submit(
                request,
                entry=self._linked("calendar_entry", request.get("entry_id")),
                asset=self._linked("asset", request.get("asset_id")),
                market=market,
            )
        )
        if findings:
            raise from_finding(findings[0], findings[1:])
        return market
