"""Workspace settings the domain reads: drift tolerance, the offline-file budget, board windows.

They live in the store's ``preferences`` table (not in the toolkit's settings file) because the
services and the sync engine act on them, with or without a window. Values are checked on save;
a missing or unreadable value reads as its default.

Threading contract: plain functions; call ``save_preferences`` on the database-writer thread.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert

from desktop.store.db import Store
from desktop.store.models import Preference

# name -> (lowest, highest) allowed
LIMITS: Final[dict[str, tuple[float, float]]] = {
    "drift_days": (0.0, 60.0),
    "storage_budget_mb": (50, 1_000_000),
    "rights_days": (1, 365),
    "embargo_hours": (1, 24 * 14),
}
LABELS: Final[dict[str, str]] = {
    "drift_days": "Drift warning",
    "storage_budget_mb": "Storage for offline files",
    "rights_days": "Rights expiring within",
    "embargo_hours": "Embargoes lifting within",
}


class PreferenceError(ValueError):
    """A setting out of its range; the message says the range."""


@dataclass(frozen=True)
class Preferences:
    drift_days: float = 2.0  # a local date further than this from the global plan is drift
    storage_budget_mb: int = 2_048  # full files kept offline (thumbnails always stay)
    rights_days: int = 14  # the ops board's "rights expiring" window
    embargo_hours: int = 48  # the ops board's "embargoes lifting" window

    @property
    def storage_budget_bytes(self) -> int:
        return self.storage_budget_mb * 1024 * 1024


DEFAULTS: Final = Preferences()


def _coerce(name: str, value: Any) -> float | int:
    default = getattr(DEFAULTS, name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PreferenceError(f"{LABELS[name]} must be a number.")
    if isinstance(value, float) and not math.isfinite(value):
        raise PreferenceError(f"{LABELS[name]} must be a number.")
    low, high = LIMITS[name]
    if not low <= value <= high:
        raise PreferenceError(f"{LABELS[name]} must be between {low:g} and {high:g}.")
    return float(value) if isinstance(default, float) else int(value)


def load_preferences(store: Store) -> Preferences:
    """The saved preferences; anything missing or out of range reads as its default."""
    names = {f.name for f in fields(Preferences)}
    with store.read() as session:
        saved: dict[str, Any] = dict(
            session.execute(
                select(Preference.key, Preference.value).where(Preference.key.in_(names))
            ).all()
        )
    values: dict[str, Any] = {}
    for name, value in saved.items():
        try:
            values[name] = _coerce(name, value)
        except PreferenceError:
            continue
    return replace(DEFAULTS, **values)


def save_preferences(store: Store, preferences: Preferences) -> Preferences:
    """Check and save every preference in one transaction; returns what was saved."""
    values: dict[str, Any] = {
        name: _coerce(name, value) for name, value in asdict(preferences).items()
    }
    statement = insert(Preference)
    statement = statement.on_conflict_do_update(
        index_elements=[Preference.key], set_={"value": statement.excluded.value}
    )
    with store.write() as session:
        session.execute(statement, [{"key": k, "value": v} for k, v in values.items()])
    return replace(DEFAULTS, **values)
