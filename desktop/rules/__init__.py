"""Domain rules: pure functions the desktop app and the reference server both call.

No I/O, no clock (``now`` is always an argument), no Qt, no SQLAlchemy. Each module is named for its
rule: ``naming``, ``terms``, ``channels``, ``rights``, ``requests``, ``overlap``, ``drift``,
``stale``, ``entries`` and ``assets``. Every check returns ``Finding`` objects (``findings``).
"""

from __future__ import annotations

from desktop.rules.findings import Finding, Severity, errors, first_error, has_errors

__all__ = ["Finding", "Severity", "errors", "first_error", "has_errors"]
