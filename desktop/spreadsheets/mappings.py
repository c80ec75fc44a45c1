"""Column mappings remembered per file layout, in the local store's ``preferences`` table.

The key is ``import-mapping/<layout signature>`` (the signature hashes the kind and the headings,
see ``columns.layout_signature``), so the app and ``sectiondesk import`` share what the lead chose
last time for a file with the same headings. Preferences are local settings: never synced.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy.dialects.sqlite import insert

from desktop.spreadsheets.columns import TARGETS, guess_mapping, layout_signature
from desktop.spreadsheets.plan import ImportOptions
from desktop.store.db import Store
from desktop.store.models import Preference

PREFIX: Final = "import-mapping/"


def _key(kind: str, header: Sequence[str]) -> str:
    return PREFIX + layout_signature(kind, header)


def remembered(store: Store, kind: str, header: Sequence[str]) -> ImportOptions | None:
    """The options last used for a file with these headings, or None."""
    with store.read() as session:
        row = session.get(Preference, _key(kind, header))
        value: Any = None if row is None else row.value
    if not isinstance(value, dict):
        return None
    mapping = value.get("mapping")
    known = {t for t, _ in TARGETS[kind]}
    if not isinstance(mapping, list) or len(mapping) != len(header):
        return None
    cleaned = tuple(m if isinstance(m, str) and m in known else None for m in mapping)
    zone = value.get("zone")
    return ImportOptions(
        mapping=cleaned,
        day_first=bool(value.get("day_first", True)),
        zone=zone if isinstance(zone, str) else None,
    )


def remember(store: Store, kind: str, header: Sequence[str], options: ImportOptions) -> None:
    """Keep ``options`` for files with these headings (a local preference, not synced)."""
    value = {
        "mapping": list(options.mapping),
        "day_first": options.day_first,
        "zone": options.zone,
        "headings": list(header),
    }
    statement = insert(Preference).values(key=_key(kind, header), value=value)
    statement = statement.on_conflict_do_update(index_elements=["key"], set_={"value": value})
    with store.write() as session:
        session.execute(statement)


def initial_options(
    store: Store, kind: str, header: Sequence[str], *, day_first: bool | None = None
) -> tuple[ImportOptions, bool]:
    """The remembered options for this layout, else a guess; and whether they were remembered."""
    found = remembered(store, kind, header)
    if found is not None:
        return found, True
    return ImportOptions(
        mapping=guess_mapping(kind, header),
        day_first=True if day_first is None else day_first,
    ), False
