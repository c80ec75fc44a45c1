"""Amplification requests: submit checks in PROTOCOL.md's order, SLA clocks, escalation, lifecycle.

``check_submit`` implements PROTOCOL.md's submit checks and their order: every ``invalid`` finding
first, then ``rights_not_cleared``, ``embargoed``, ``forbidden_term``, ``legal_note_missing``,
``checklist_incomplete``. The server answers with the first finding; the others may go in its
``details``. Decisions where PROTOCOL.md is silent:

- The ``market`` argument must be the request's market (its ``code`` equal to the request's
  ``market``); another one counts as missing (``invalid``).
- The entry's and the asset's own markets are not compared with the request's (PROTOCOL.md does
  not ask it, and a global post or master may be boosted in a market); the asset's rights and
  embargo are checked for the request's market.
- A market with no ``currency`` accepts a budget in any currency; a market whose ``legal_note`` is
  null or blank requires none. The legal note is compared case-insensitively with runs of
  whitespace counted as one space.
- With the spend window missing, rights are still checked for usage and territory (not expiry)
  and the embargo is not checked: the ``invalid`` finding already says what to fill in.
- Lifecycle: a lead may also withdraw an ``escalated`` request (PROTOCOL.md: "a submitted or
  escalated request can only be withdrawn"). A ``conductor`` "writes all", so it may also do what
  a lead does. Editing a draft (``draft -> draft``) is allowed to whoever may create one; any other
  unchanged status is not a transition a client may send (``invalid_transition``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from desktop.domain.records import CHECKLIST_ITEMS
from desktop.rules._text import field_label, market_label, obj, require_aware, to_decimal, to_time
from desktop.rules.findings import Finding, with_severity
from desktop.rules.rights import check_embargo, check_rights
from desktop.rules.terms import check_terms

SLA_HOURS: Final[dict[str, int]] = {"standard": 3, "emergency": 1}
CHECKLIST_LABELS: Final[dict[str, str]] = {
    "landing_page": "landing page",
    "audience_overlap": "audience overlap",
    "budget_cap": "budget cap",
    "tracking": "tracking",
    "dashboard": "dashboard",
}
UNDECIDED: Final = frozenset({"submitted", "escalated"})
FINAL: Final = frozenset({"approved", "declined", "withdrawn"})
STATUSES: Final = frozenset(
    {"draft", "submitted", "escalated", "approved", "declined", "withdrawn"}
)
_LEAD_MOVES: Final[frozenset[tuple[str | None, str]]] = frozenset(
    {
        (None, "draft"),
        (None, "submitted"),
        ("draft", "draft"),
        ("draft", "submitted"),
        ("draft", "withdrawn"),
        ("submitted", "withdrawn"),
        ("escalated", "withdrawn"),
    }
)
TRANSITIONS: Final[dict[str, frozenset[tuple[str | None, str]]]] = {
    "section_lead": _LEAD_MOVES,
    "paid_operator": frozenset({("submitted", "approved"), ("submitted", "declined")}),
    "conductor": _LEAD_MOVES
    | frozenset((old, new) for old in UNDECIDED for new in ("approved", "declined")),
    "compliance": frozenset((old, "declined") for old in UNDECIDED),
}
_ROLE_ALIASES: Final = {"lead": "section_lead"}
_SPACES = re.compile(r"\s+")


def sla_due_at(submitted_at: datetime, priority: str | None) -> datetime:
    """When the decision is due: 1 hour after submission for ``emergency``, else 3 hours."""
    hours = SLA_HOURS["emergency"] if priority == "emergency" else SLA_HOURS["standard"]
    return require_aware(submitted_at, "submitted_at") + timedelta(hours=hours)


@dataclass(frozen=True)
class SlaClock:
    due: datetime  # in UTC
    remaining: timedelta  # negative once breached: how long overdue
    breached: bool


def sla_clock(
    sla_due_at: datetime | str, *, local_now: datetime, clock_offset_seconds: float
) -> SlaClock:
    """The SLA timer as the client shows it, on the server's clock.

    ``clock_offset_seconds`` is ``server_time - local_time`` (from ``/v1/health``); the server's
    now is ``local_now + offset``. The SLA is breached once no time remains (at ``due`` itself).
    """
    due = to_time(sla_due_at)
    if due is None:
        raise ValueError(f"{sla_due_at!r} is not a time")
    server_now = require_aware(local_now, "local_now") + timedelta(seconds=clock_offset_seconds)
    remaining = due - server_now
    return SlaClock(due, remaining, remaining <= timedelta(0))


def escalates(budget: dict[str, Any] | None, market: dict[str, Any] | None) -> bool:
    """True when the budget is above the market's ``boost_threshold`` (no threshold: never)."""
    threshold = to_decimal(obj(market).get("boost_threshold"))
    amount = to_decimal(obj(budget).get("amount"))
    return threshold is not None and amount is not None and amount > threshold


def _invalid(field: str, message: str, **details: Any) -> Finding:
    return Finding("invalid", "error", field, message, details)


def _squash(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def legal_note_present(required: str | None, text: str | None) -> bool:
    """Whether ``text`` carries the market's required legal note (case and spacing ignored);
    a market with no legal note requires none."""
    if not isinstance(required, str) or not required.strip():
        return True
    return isinstance(text, str) and _squash(required) in _squash(text)


def _check_links(
    request: dict[str, Any],
    entry: dict[str, Any] | None,
    asset: dict[str, Any] | None,
    market: dict[str, Any] | None,
) -> list[Finding]:
    findings = []
    if not isinstance(entry, dict):
        findings.append(
            _invalid(
                "entry_id",
                "The calendar post for this request cannot be found; pick the post to boost.",
            )
        )
    if not isinstance(asset, dict):
        findings.append(
            _invalid(
                "asset_id", "The creative for this request cannot be found; pick the asset to use."
            )
        )
    code = request.get("market")
    if not isinstance(market, dict) or not code or obj(market).get("code") != code:
        findings.append(
            _invalid("market", "The request's market cannot be found; choose your market.")
        )
    return findings


def _check_budget(request: dict[str, Any], market: dict[str, Any] | None) -> list[Finding]:
    budget = obj(request.get("budget"))
    amount_text = budget.get("amount")
    amount = to_decimal(amount_text)
    findings = []
    if amount_text is None or (isinstance(amount_text, str) and not amount_text.strip()):
        findings.append(_invalid("budget.amount", "Enter a budget."))
    elif amount is None:
        findings.append(
            _invalid(
                "budget.amount",
                f'The budget "{amount_text}" is not an amount; write it like 1500.00.',
            )
        )
    elif amount <= 0:
        findings.append(_invalid("budget.amount", "The budget must be above zero."))
    expected = obj(market).get("currency")
    currency = budget.get("currency")
    if isinstance(market, dict) and expected and currency != expected:
        where = market_label(obj(market).get("code"))
        message = (
            f"Give the budget's currency: budgets in {where} are in {expected}."
            if not currency
            else f"The budget is in {currency}, but budgets in {where} are in {expected}."
        )
        findings.append(_invalid("budget.currency", message, currency=currency, expected=expected))
    return findings


def _check_window(request: dict[str, Any]) -> list[Finding]:
    start_value, end_value = request.get("starts_at"), request.get("ends_at")
    start, end = to_time(start_value), to_time(end_value)
    findings = []
    for name, value, moment in (("starts_at", start_value, start), ("ends_at", end_value, end)):
        if value is None or value == "":
            findings.append(_invalid(name, f"Set the spend window's {field_label(name)}."))
        elif moment is None:
            findings.append(
                _invalid(name, f'The {field_label(name)} "{value}" is not a time; pick it again.')
            )
    if start is not None and end is not None and end <= start:
        findings.append(_invalid("ends_at", "The spend window must end after it starts."))
    return findings


def check_submit(
    request: dict[str, Any],
    *,
    entry: dict[str, Any] | None,
    asset: dict[str, Any] | None,
    market: dict[str, Any] | None,
) -> list[Finding]:
    """Everything that stops this request from being submitted, in PROTOCOL.md's order (errors).

    ``entry``, ``asset`` and ``market`` are the data of the linked records, None when missing or
    not readable by the caller.
    """
    market_code = request.get("market")
    findings = _check_links(request, entry, asset, market)
    known_market = market if not any(f.field == "market" for f in findings) else None
    findings += _check_budget(request, known_market)
    findings += _check_window(request)
    starts_at, ends_at = to_time(request.get("starts_at")), to_time(request.get("ends_at"))
    market_data = obj(known_market)
    if isinstance(asset, dict) and isinstance(market_code, str):
        asset_name = asset.get("name") if isinstance(asset.get("name"), str) else None
        findings += check_rights(
            asset.get("rights"),
            usage="paid",
            market=market_code,
            until=ends_at,
            asset_name=asset_name,
        )
        if starts_at is not None:
            findings += check_embargo(
                asset.get("embargo"),
                market=market_code,
                starts_at=starts_at,
                timezone=market_data.get("timezone"),
                asset_name=asset_name,
            )
    terms = market_data.get("forbidden_terms")
    if terms:
        findings += check_terms(request.get("cta"), terms, field="cta", market=market_code)
        if isinstance(entry, dict):
            findings += check_terms(
                entry.get("caption"),
                terms,
                field="entry.caption",
                market=market_code,
                subject="The post's caption",
            )
    required = market_data.get("legal_note")
    if not legal_note_present(required, request.get("legal_note")):
        findings.append(
            Finding(
                "legal_note_missing",
                "error",
                "legal_note",
                f'Add the legal note required in {market_label(market_code)}: "{required}".',
                {"required": required},
            )
        )
    checklist = obj(request.get("checklist"))
    missing = [item for item in CHECKLIST_ITEMS if checklist.get(item) is not True]
    if missing:
        names = ", ".join(CHECKLIST_LABELS.get(item, item) for item in missing)
        findings.append(
            Finding(
                "checklist_incomplete",
                "error",
                "checklist",
                f"Complete the pre-flight checklist; not done yet: {names}.",
                {"missing": missing},
            )
        )
    return findings


def check_draft(
    request: dict[str, Any],
    *,
    entry: dict[str, Any] | None,
    asset: dict[str, Any] | None,
    market: dict[str, Any] | None,
) -> list[Finding]:
    """``check_submit``'s findings as warnings, for live feedback while the form is filled in."""
    return with_severity(check_submit(request, entry=entry, asset=asset, market=market), "warning")


_VERBS: Final = {
    "draft": "save it as a draft",
    "submitted": "submit it",
    "withdrawn": "withdraw it",
    "approved": "approve it",
    "declined": "decline it",
}


def _a(status: str) -> str:
    return f"an {status}" if status[0] in "aeiou" else f"a {status}"


def check_transition(*, role: str, old: str | None, new: str) -> Finding | None:
    """``invalid_transition`` unless ``role`` may move a request from ``old`` (None: creating it)
    to ``new``, per PROTOCOL.md's lifecycle. Roles are PROTOCOL.md's (``lead`` is accepted for
    ``section_lead``)."""
    key = _ROLE_ALIASES.get(role, role)
    allowed = TRANSITIONS.get(key)
    if allowed is not None and (old, new) in allowed:
        return None
    details: dict[str, Any] = {"role": role, "from": old, "to": new}
    if allowed is None:
        message = "Your role cannot change amplification requests."
    elif new not in STATUSES:
        message = f'"{new}" is not a request status.'
    elif old == "escalated" and new in ("approved", "declined") and key == "paid_operator":
        message = "Only a conductor decides an escalated request (its budget is above the limit)."
    elif old in FINAL:
        message = f"This request is already {old}; it cannot change any more."
    elif old is None:
        message = f"You cannot create a request as {new}" + _hint(key, old)
    elif old == new:
        message = f"You cannot edit {_a(old)} request" + _hint(key, old)
    else:
        message = f"You cannot move {_a(old)} request to {new}" + _hint(key, old)
    return Finding("invalid_transition", "error", "status", message, details)


def _hint(role: str, old: str | None) -> str:
    moves = sorted(new for (was, new) in TRANSITIONS[role] if was == old)
    if not moves:
        return "."
    verbs = [_VERBS.get(new, new) for new in moves]
    listed = verbs[0] if len(verbs) == 1 else ", ".join(verbs[:-1]) + " or " + verbs[-1]
    return f"; you can only {listed}."


def check_decision(
    *, role: str, status: str | None, new_status: str, decision_note: str | None
) -> Finding | None:
    """A decision's findings: the transition's, then ``invalid`` for a decline with no note."""
    finding = check_transition(role=role, old=status, new=new_status)
    if finding is not None:
        return finding
    if new_status == "declined" and not (decision_note and decision_note.strip()):
        return _invalid("decision_note", "Say why the request is declined.")
    return None


def check_delete() -> Finding:
    """Requests are never deleted (PROTOCOL.md): withdraw one instead."""
    return Finding(
        "invalid_transition",
        "error",
        None,
        "Requests are never deleted; withdraw this one instead.",
        {},
    )
