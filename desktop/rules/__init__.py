"""Domain rules: pure functions the desktop app and the reference server both call.

No I/O, no clock (``now`` is always an argument), no Qt, no SQLAlchemy. Each module is named for its
rule: ``naming``, ``terms``, ``channels``, ``rights``, ``requests``, ``overlap``, ``drift``,
``stale``, ``entries`` and ``assets``. Every check returns ``Finding`` objects (``findings``).

Inputs are record ``data`` dicts shaped as ``desktop.domain.records.validate_data`` returns them;
missing keys count as null and unreadable values never raise (they become findings or are
skipped, as each module says). Times given as arguments must be aware datetimes. Where the
product documents are silent, each module's docstring records the decision taken.

Severity: ``error`` only for what blocks a write or a submit; on the server, only these error
codes are PROTOCOL.md rejection codes: ``invalid``, ``rights_not_cleared``, ``embargoed``,
``forbidden_term``, ``legal_note_missing``, ``checklist_incomplete``, ``invalid_transition``
(``entries.check_entry`` also gives ``caption_too_long`` errors, which the client enforces and the
server does not: the server checks an entry with ``entries.check_entry_times``).
"""

from __future__ import annotations

from desktop.rules.findings import Finding, Severity, errors, first_error, has_errors

__all__ = ["Finding", "Severity", "errors", "first_error", "has_errors"]
