"""What every rule returns: a list of findings, each with a code, a severity, a field and a message.

``error`` blocks a write on the client and is the push's rejection on the server (the first error
finding's ``code`` and ``message``); ``warning`` and ``info`` are shown, never block. Messages are
plain words for a section lead and are the same on the client and on the server, so they never
mention internals. ``details`` holds JSON-ready values only (str, int, float, bool, lists, dicts):
the server puts them in the error body as they are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    """One rule's verdict on one field (``field`` is None when it concerns the whole record).

    ``field`` is a key of the record checked, or a dotted path into a nested object or a linked
    record (``budget.amount``, ``entry.caption``).
    """

    code: str
    severity: Severity
    field: str | None
    message: str
    # Excluded from the hash (a dict is not hashable) but compared: findings stay usable in sets.
    details: dict[str, Any] = dataclasses.field(default_factory=dict, hash=False)


def errors(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that block, in their order."""
    return [f for f in findings if f.severity == "error"]


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def first_error(findings: Iterable[Finding]) -> Finding | None:
    """The finding the server answers a rejected change with, or None when nothing blocks."""
    return next((f for f in findings if f.severity == "error"), None)


def with_severity(findings: Iterable[Finding], severity: Severity) -> list[Finding]:
    """The same findings at another severity; forms show submit errors as warnings.."""
    return [replace(f, severity=severity) for f in findings]
