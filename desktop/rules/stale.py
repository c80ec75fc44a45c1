"""Adaptations whose master changed after they were made.

Decisions where PRODUCT.md is silent: an adaptation with no ``adapted_from_version`` is not
tracked (None). When the master's earlier state is known and none of ``fields`` changed, the
adaptation is not stale (the master changed something that does not matter to it, such as tags).
Null, a missing key and an empty list or object count as the same value (PROTOCOL.md: a null
collection is empty).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from desktop.rules._text import field_label
from desktop.rules.findings import Finding


def _value(record: dict[str, Any], name: str) -> Any:
    value = record.get(name)
    return None if value in ([], {}) else value


def changed_fields(then: dict[str, Any], now: dict[str, Any], fields: Iterable[str]) -> list[str]:
    """The ``fields`` (in order, each once) whose value differs between ``then`` and ``now``."""
    seen: set[str] = set()
    changed = []
    for name in fields:
        if name not in seen and _value(then, name) != _value(now, name):
            changed.append(name)
        seen.add(name)
    return changed


def check_stale(
    *,
    adapted_from_version: int | None,
    master_version: int,
    master_then: dict[str, Any] | None,
    master_now: dict[str, Any],
    fields: Iterable[str],
) -> Finding | None:
    """``stale_adaptation`` (warning) when the master moved past the version this was adapted from.

    With the master's state at that version (``master_then``) the message lists what changed and
    ``details["changed_fields"]`` holds the field names; without it, only the versions are given.
    """
    if adapted_from_version is None or adapted_from_version >= master_version:
        return None
    details: dict[str, Any] = {"from_version": adapted_from_version, "to_version": master_version}
    message = (
        f"The global version changed since you adapted it (version {adapted_from_version} "
        f"is now {master_version})"
    )
    if master_then is not None:
        changed = changed_fields(master_then, master_now, fields)
        if not changed:
            return None
        details["changed_fields"] = changed
        message += ": " + ", ".join(field_label(name) for name in changed) + " changed."
    else:
        message += "; compare it with the global version."
    return Finding("stale_adaptation", "warning", "adapted_from_version", message, details)
