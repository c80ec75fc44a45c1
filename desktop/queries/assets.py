"""The asset bank's reads: full-text search with facets in keyset pages, facet counts, row data for
the grid's row cache, lineage and "what changed in the master".

Search is designed for search-as-you-type over 100,000 assets: one statement, the FTS5 match as a
``pk IN (SELECT rowid FROM assets_fts WHERE assets_fts MATCH ?)`` set, the facet filters as plain
column predicates, and a keyset (``(name, pk) > (...)`` or ``pk < ?``) with ``LIMIT``. Every typed
word becomes a prefix query (``"adv"*``), which the index's ``prefix='2 3'`` serves from its own
prefix entries; words of one character are ignored (they would match nearly everything).

For the name order, a text that matches few assets is best served from the FTS rowids, sorted
(at most ``DENSE_MATCHES``); a text that matches many (``"square"``: a quarter of the bank) is
best served by walking ``ix_assets_name`` and keeping the matches, which stops after one page.
``is_dense`` decides with a capped count, at most ``DENSE_MATCHES`` FTS rows.

Threading contract: plain functions over a session the caller opened on its own thread; they
return ids, plain dataclasses and dicts, never ORM objects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final, Literal

from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from desktop.rules.stale import changed_fields
from desktop.store import records

Sort = Literal["name", "recent"]
PAGE_SIZE: Final = 200
DENSE_MATCHES: Final = 1000  # above this many text matches, a name-ordered page walks the index
FACETS: Final = ("brand", "campaign", "market", "language", "kind", "rights", "status", "tags")
GLOBAL: Final = "global"  # the market facet's value for masters (market NULL)
EXPIRING_DAYS: Final = 14
RIGHTS_VALUES: Final[dict[str, str]] = {
    "paid": "Paid cleared",
    "organic-only": "Organic only",
    "expiring": f"Expiring ≤{EXPIRING_DAYS} days",
    "expired": "Expired",
    "none": "No rights recorded",
}
STATUS_VALUES: Final = ("draft", "ready", "approved", "retired")
KIND_LABELS: Final[dict[str, str]] = {"image": "Image", "video": "Video", "document": "Document"}
TAG_FACET_LIMIT: Final = 40
# Fields of a master that an adaptation copies: a change to one of them makes it stale.
STALE_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "asset": ("title", "sha256", "alt_text", "kind", "width", "height", "rights", "embargo"),
    "calendar_entry": (
        "title",
        "caption",
        "channel",
        "kind",
        "starts_at",
        "ends_at",
        "asset_ids",
        "utm_campaign",
    ),
}
_LINK: Final = {"asset": "master_id", "calendar_entry": "parent_id"}
_WORD = re.compile(r"[^\W_]+")

# The rights facet's predicates; :today and :soon are bound (YYYY-MM-DD text compares by day).
_EXPIRES = "json_extract(a.rights, '$.expires_on')"
_USAGE = "coalesce(json_extract(a.rights, '$.usage'), '[]')"
_NOT_EXPIRED = f"({_EXPIRES} IS NULL OR {_EXPIRES} >= :today)"
_RIGHTS_SQL: Final[dict[str, str]] = {
    "paid": f"(instr({_USAGE}, '\"paid\"') > 0 AND {_NOT_EXPIRED})",
    "organic-only": (
        f"(instr({_USAGE}, '\"organic\"') > 0 AND instr({_USAGE}, '\"paid\"') = 0 "
        f"AND {_NOT_EXPIRED})"
    ),
    "expiring": f"({_EXPIRES} >= :today AND {_EXPIRES} <= :soon)",
    "expired": f"({_EXPIRES} < :today)",
    "none": f"({_USAGE} = '[]')",
}
_COLUMNS: Final[dict[str, str]] = {
    "brand": "a.brand",
    "campaign": "a.campaign_id",
    "market": "a.market",
    "language": "a.language",
    "kind": "a.kind",
    "status": "a.status",
}


def fts_query(typed: str) -> str | None:
    """The FTS5 query for what the lead typed: each word of 2+ characters as a quoted prefix,
    all of them required (``"adv" "kal"*``); None when nothing searchable was typed."""
    words = [w for w in _WORD.findall(typed.lower()) if len(w) >= 2]
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in dict.fromkeys(words))


@dataclass
class _Where:
    clauses: list[str] = field(default_factory=lambda: ["a.deleted = 0"])
    params: dict[str, Any] = field(default_factory=dict)

    def bind(self, prefix: str, values: Sequence[Any]) -> str:
        names = []
        for i, value in enumerate(values):
            name = f"{prefix}{i}"
            self.params[name] = value
            names.append(f":{name}")
        return ", ".join(names)


def _today(today: date | None) -> date:
    return today if today is not None else datetime.now(UTC).date()


def _where(
    typed: str,
    facets: Mapping[str, Sequence[str]],
    *,
    today: date | None,
    skip: str | None = None,
) -> _Where:
    """The WHERE clauses of a search; ``skip`` leaves one facet out (for its own counts)."""
    where = _Where()
    query = fts_query(typed)
    if query is not None:
        where.clauses.append("a.pk IN (SELECT rowid FROM assets_fts WHERE assets_fts MATCH :q)")
        where.params["q"] = query
    day = _today(today)
    where.params["today"] = day.isoformat()
    where.params["soon"] = (day + timedelta(days=EXPIRING_DAYS)).isoformat()
    for facet, chosen in facets.items():
        values = [v for v in chosen if v]
        if facet == skip or not values:
            continue
        if facet == "rights":
            parts = [_RIGHTS_SQL[v] for v in values if v in _RIGHTS_SQL]
            if parts:
                where.clauses.append("(" + " OR ".join(parts) + ")")
        elif facet == "tags":
            names = where.bind("tag", values)
            where.clauses.append(
                f"EXISTS (SELECT 1 FROM json_each(a.tags) AS t WHERE t.value IN ({names}))"
            )
        elif facet == "market":
            codes = [v for v in values if v != GLOBAL]
            parts = [f"a.market IN ({where.bind('market', codes)})"] if codes else []
            if GLOBAL in values:
                parts.append("a.market IS NULL")
            where.clauses.append("(" + " OR ".join(parts) + ")")
        elif facet == "status":
            names = where.bind("status", values)
            extra = " OR a.status IS NULL" if "draft" in values else ""
            where.clauses.append(f"(a.status IN ({names}){extra})")
        elif facet in _COLUMNS:
            names = where.bind(facet, values)
            where.clauses.append(f"{_COLUMNS[facet]} IN ({names})")
        else:
            raise ValueError(f"{facet!r} is not an asset facet (one of {', '.join(FACETS)})")
    return where


def search_sql(
    *,
    text_: str,
    facets: Mapping[str, Sequence[str]],
    sort: Sort = "name",
    limit: int = PAGE_SIZE,
    after: str | None = None,
    today: date | None = None,
    dense: bool = False,
) -> tuple[str, dict[str, Any]]:
    """The statement ``search_asset_ids`` runs, and its parameters (for EXPLAIN and benchmarks).

    ``dense``: the text matches many assets, so walking the name index and keeping the matches
    finds a page sooner than sorting every match (used for ``sort="name"`` only)."""
    where = _where(text_, facets, today=today)
    source = "assets AS a"
    if sort == "name":
        order = "a.name, a.pk"
        if dense:
            source = "assets AS a INDEXED BY ix_assets_name"
        if after is not None:
            where.clauses.append("(a.name, a.pk) > (SELECT name, pk FROM assets WHERE id = :after)")
    elif sort == "recent":
        order = "a.pk DESC"
        if after is not None:
            where.clauses.append("a.pk < (SELECT pk FROM assets WHERE id = :after)")
    else:
        raise ValueError(f"{sort!r} is not a sort order (name or recent)")
    if after is not None:
        where.params["after"] = after
    where.params["limit"] = limit
    sql = (
        f"SELECT a.id FROM {source} WHERE {' AND '.join(where.clauses)} "
        f"ORDER BY {order} LIMIT :limit"
    )
    return sql, where.params


def search_asset_ids(
    session: Session,
    *,
    text: str = "",
    facets: Mapping[str, Sequence[str]] | None = None,
    sort: Sort = "name",
    limit: int = PAGE_SIZE,
    after: str | None = None,
    today: date | None = None,
) -> list[str]:
    """One keyset page of asset ids matching ``text`` and ``facets``, in ``sort`` order.

    Signature (what the benchmarks call)::

        search_asset_ids(session, *, text="", facets=None, sort="name", limit=200,
                         after=None, today=None) -> list[str]

    - ``text``: what the lead typed; each word of 2+ characters is a prefix match on the asset's
      name, title, tags and alt text (all words required). Empty: no text filter.
    - ``facets``: ``{facet: [values]}`` for any of ``FACETS``; values of one facet are OR-ed,
      facets AND-ed. ``market`` takes ``"global"`` for masters; ``rights`` takes the keys of
      ``RIGHTS_VALUES``; ``tags`` matches assets holding any of the tags.
    - ``sort``: ``"name"`` (A to Z) or ``"recent"`` (most recently added to this store first).
    - ``after``: the id of the last asset of the previous page (keyset paging); None: first page.
    - ``today``: the day the rights facet's expiry is counted from (default: today, UTC).

    Deleted assets are never returned. A page shorter than ``limit`` is the last one.
    """
    dense = sort == "name" and is_dense(session, text)
    sql, params = search_sql(
        text_=text,
        facets=facets or {},
        sort=sort,
        limit=limit,
        after=after,
        today=today,
        dense=dense,
    )
    return [row[0] for row in session.execute(sql_text(sql), params)]


def is_dense(session: Session, typed: str) -> bool:
    """Whether the text matches at least ``DENSE_MATCHES`` assets (counting stops there, so this
    costs at most that many FTS rows)."""
    query = fts_query(typed)
    if query is None:
        return False
    sql = "SELECT count(*) FROM (SELECT rowid FROM assets_fts WHERE assets_fts MATCH :q LIMIT :cap)"
    found = session.execute(sql_text(sql), {"q": query, "cap": DENSE_MATCHES}).scalar_one()
    return int(found) >= DENSE_MATCHES


def count_assets(
    session: Session,
    *,
    text: str = "",
    facets: Mapping[str, Sequence[str]] | None = None,
    today: date | None = None,
) -> int:
    """How many assets match (for "1,234 assets" above the grid)."""
    where = _where(text, facets or {}, today=today)
    sql = f"SELECT count(*) FROM assets AS a WHERE {' AND '.join(where.clauses)}"
    return int(session.execute(sql_text(sql), where.params).scalar_one())


# --- facets ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    label: str
    count: int


def _labels(session: Session, facet: str) -> dict[str, str]:
    if facet == "campaign":
        rows = session.execute(sql_text("SELECT id, name FROM campaigns WHERE deleted = 0"))
        return {str(i): str(n) for i, n in rows}
    if facet == "brand":
        rows = session.execute(sql_text("SELECT code, name FROM brands WHERE deleted = 0"))
        return {str(c): str(n or c) for c, n in rows}
    if facet == "market":
        rows = session.execute(sql_text("SELECT code, name FROM markets WHERE deleted = 0"))
        return {
            GLOBAL: "Global (masters)",
            **{str(c): f"{str(c).upper()} {n or ''}".strip() for c, n in rows},
        }
    if facet == "kind":
        return dict(KIND_LABELS)
    if facet == "rights":
        return dict(RIGHTS_VALUES)
    if facet == "status":
        return {s: s.capitalize() for s in STATUS_VALUES}
    return {}


def facet_counts(
    session: Session,
    *,
    text: str = "",
    facets: Mapping[str, Sequence[str]] | None = None,
    today: date | None = None,
    only: Iterable[str] = FACETS,
) -> dict[str, list[FacetValue]]:
    """For each facet, its values with how many assets match the search and every OTHER facet's
    selection (so picking a brand still shows the other brands' counts). Values are ordered by
    count (most first), then label; tags are limited to the ``TAG_FACET_LIMIT`` most used, plus
    any selected tag.

    Cost: one grouped pass over the assets matching ``text`` for all single-valued facets (the
    groups are aggregated here), and one ``json_each`` pass for tags. Meant for a worker thread;
    on 100,000 assets with no search text it takes a few hundred ms (tags: more).
    """
    chosen = {k: [v for v in vs if v] for k, vs in (facets or {}).items()}
    wanted = [f for f in only if f in FACETS]
    result: dict[str, list[FacetValue]] = {}
    counts: dict[str, dict[str, int]] = {f: {} for f in wanted}
    single = [f for f in wanted if f != "tags"]
    if single:
        _single_counts(
            session, typed=text, chosen=chosen, today=today, wanted=single, counts=counts
        )
    if "tags" in wanted:
        counts["tags"] = _tag_counts(session, text, chosen, today)
    for facet in wanted:
        labels = _labels(session, facet)
        values = [
            FacetValue(value, labels.get(value, value), n)
            for value, n in counts[facet].items()
            if n or value in chosen.get(facet, ())
        ]
        for value in chosen.get(facet, ()):
            if value not in counts[facet]:
                values.append(FacetValue(value, labels.get(value, value), 0))
        values.sort(key=lambda v: (-v.count, v.label.casefold()))
        result[facet] = values
    return result


_GROUP_COLUMNS: Final = (
    ("brand", "a.brand"),
    ("campaign", "a.campaign_id"),
    ("market", f"coalesce(a.market, '{GLOBAL}')"),
    ("language", "a.language"),
    ("kind", "a.kind"),
    ("status", "coalesce(a.status, 'draft')"),
)


def _single_counts(
    session: Session,
    *,
    typed: str,
    chosen: Mapping[str, Sequence[str]],
    today: date | None,
    wanted: list[str],
    counts: dict[str, dict[str, int]],
) -> None:
    # Group the text-matching assets by every facet at once (a few thousand groups at most), then
    # count each facet over the groups that pass every other facet's selection.
    where = _where(typed, {"tags": chosen.get("tags", ())}, today=today)
    # Rights reduced in SQL to a usage code and an expiry bucket, so groups stay few.
    usage_code = (
        f"(CASE WHEN instr({_USAGE}, '\"paid\"') > 0 THEN 2 ELSE 0 END"
        f" + CASE WHEN instr({_USAGE}, '\"organic\"') > 0 THEN 1 ELSE 0 END)"
    )
    expiry = (
        f"(CASE WHEN {_EXPIRES} IS NULL THEN 0 WHEN {_EXPIRES} < :today THEN 1 "
        f"WHEN {_EXPIRES} <= :soon THEN 2 ELSE 3 END)"
    )
    columns = [sql for _, sql in _GROUP_COLUMNS] + [usage_code, expiry]
    names = [f"g{i}" for i in range(len(columns))]
    select_list = ", ".join(f"{c} AS {n}" for c, n in zip(columns, names, strict=True))
    sql = (
        f"SELECT {select_list}, count(*) FROM assets AS a WHERE {' AND '.join(where.clauses)} "
        f"GROUP BY {', '.join(names)}"
    )
    selections = {f: set(v) for f, v in chosen.items() if v and f != "tags"}
    for row in session.execute(sql_text(sql), where.params):
        values: dict[str, list[str]] = {
            facet: [] if row[i] is None else [str(row[i])]
            for i, (facet, _) in enumerate(_GROUP_COLUMNS)
        }
        values["rights"] = _rights_keys(int(row[-3]), int(row[-2]))
        n = int(row[-1])
        passes = {f: bool(sel.intersection(values[f])) for f, sel in selections.items()}
        for facet in wanted:
            if all(ok for f, ok in passes.items() if f != facet):
                bucket = counts[facet]
                for value in values[facet]:
                    bucket[value] = bucket.get(value, 0) + n


def _rights_keys(usage: int, expiry: int) -> list[str]:
    """The rights facet values of a group, as ``_RIGHTS_SQL`` decides them for one asset.

    ``usage``: 2 for paid plus 1 for organic; ``expiry``: 0 none, 1 expired, 2 within
    ``EXPIRING_DAYS``, 3 later."""
    paid, organic, expired = usage & 2, usage & 1, expiry == 1
    keys = []
    if paid and not expired:
        keys.append("paid")
    if organic and not paid and not expired:
        keys.append("organic-only")
    if expiry == 2:
        keys.append("expiring")
    if expired:
        keys.append("expired")
    if not usage:
        keys.append("none")
    return keys


def _tag_counts(
    session: Session, typed: str, chosen: Mapping[str, Sequence[str]], today: date | None
) -> dict[str, int]:
    where = _where(typed, chosen, today=today, skip="tags")
    condition = " AND ".join(where.clauses)
    where.params["tag_limit"] = TAG_FACET_LIMIT
    rows = session.execute(
        sql_text(
            "SELECT t.value, count(*) AS n FROM assets AS a, json_each(a.tags) AS t "
            f"WHERE {condition} GROUP BY t.value ORDER BY n DESC, t.value LIMIT :tag_limit"
        ),
        where.params,
    )
    counts = {str(v): int(n) for v, n in rows}
    for tag in chosen.get("tags", ()):
        if tag not in counts:
            counts[tag] = _count_tag(session, condition, where.params, tag)
    return counts


def _count_tag(session: Session, condition: str, params: dict[str, Any], tag: str) -> int:
    sql = (
        f"SELECT count(*) FROM assets AS a WHERE {condition} AND EXISTS "
        "(SELECT 1 FROM json_each(a.tags) AS t WHERE t.value = :one_tag)"
    )
    return int(session.execute(sql_text(sql), {**params, "one_tag": tag}).scalar_one())


def tag_vocabulary(session: Session, *, limit: int = 200) -> list[tuple[str, int]]:
    """The tags in use, most used first (for the palette and the tag editor's completer)."""
    rows = session.execute(
        sql_text(
            "SELECT t.value, count(*) AS n FROM assets AS a, json_each(a.tags) AS t "
            "WHERE a.deleted = 0 GROUP BY t.value ORDER BY n DESC, t.value LIMIT :limit"
        ),
        {"limit": limit},
    )
    return [(str(v), int(n)) for v, n in rows]


# --- rows for the views ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AssetRow:
    """What the grid, the list and the detail panel show of one asset (plain values)."""

    id: str
    version: int
    name: str
    title: str | None
    kind: str
    market: str | None
    brand: str | None
    campaign_id: str | None
    campaign: str | None
    language: str | None
    status: str | None
    sha256: str
    size: int | None
    mime: str | None
    width: int | None
    height: int | None
    tags: tuple[str, ...]
    alt_text: str | None
    rights: dict[str, Any]
    embargo: dict[str, Any]
    master_id: str | None
    adapted_from_version: int | None
    updated_at: str | None
    pending: bool
    blob_state: str
    blob_path: str | None
    thumbnail_path: str | None

    @property
    def is_master(self) -> bool:
        return self.market is None


_ROW_SQL = (
    "SELECT a.*, c.name AS campaign_name, b.state AS blob_state, b.path AS blob_path, "
    "b.thumbnail_path AS thumbnail_path, "
    "EXISTS (SELECT 1 FROM outbox o WHERE o.record_type = 'asset' AND o.record_id = a.id) "
    "AS pending "
    "FROM assets AS a LEFT JOIN campaigns AS c ON c.id = a.campaign_id "
    "LEFT JOIN blob_cache AS b ON b.sha256 = a.sha256 WHERE a.id IN ({ids})"
)


def _json(value: Any) -> Any:
    # A raw (text) statement returns JSON columns as their text.
    return json.loads(value) if isinstance(value, str) else value


def _row(mapping: Any) -> AssetRow:
    data = records.from_row("asset", mapping)["data"]
    for name in ("tags", "rights", "embargo"):
        data[name] = _json(data[name])
    return AssetRow(
        id=mapping["id"],
        version=int(mapping["version"]),
        name=data["name"],
        title=data["title"],
        kind=data["kind"],
        market=data["market"],
        brand=data["brand"],
        campaign_id=data["campaign_id"],
        campaign=mapping["campaign_name"],
        language=data["language"],
        status=data["status"],
        sha256=data["sha256"],
        size=data["size"],
        mime=data["mime"],
        width=data["width"],
        height=data["height"],
        tags=tuple(data["tags"] or ()),
        alt_text=data["alt_text"],
        rights=dict(data["rights"] or {}),
        embargo=dict(data["embargo"] or {}),
        master_id=data["master_id"],
        adapted_from_version=data["adapted_from_version"],
        updated_at=mapping["updated_at"],
        pending=bool(mapping["pending"]),
        blob_state=mapping["blob_state"] or "none",
        blob_path=mapping["blob_path"],
        thumbnail_path=mapping["thumbnail_path"],
    )


def asset_rows(session: Session, ids: Iterable[str]) -> dict[str, AssetRow]:
    """Rows by id for the row cache (deleted and unknown ids are absent)."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, AssetRow] = {}
    for part in records.chunks(wanted):
        params = {f"i{n}": value for n, value in enumerate(part)}
        sql = _ROW_SQL.format(ids=", ".join(f":{k}" for k in params))
        for row in session.execute(sql_text(sql + " AND a.deleted = 0"), params):
            found[row.id] = _row(row._mapping)
    return found


def asset_row(session: Session, asset_id: str) -> AssetRow | None:
    return asset_rows(session, [asset_id]).get(asset_id)


@dataclass(frozen=True)
class Lineage:
    """A master and its local variants (the asset itself is one of them)."""

    master: AssetRow | None
    variants: list[AssetRow]


def lineage(session: Session, asset_id: str) -> Lineage:
    row = asset_row(session, asset_id)
    if row is None:
        return Lineage(None, [])
    master_id = row.id if row.is_master else row.master_id
    master = asset_row(session, master_id) if master_id else None
    if master_id is None:
        return Lineage(None, [row])
    ids = [
        r[0]
        for r in session.execute(
            sql_text("SELECT id FROM assets WHERE master_id = :m AND deleted = 0 ORDER BY market"),
            {"m": master_id},
        )
    ]
    rows = asset_rows(session, ids)
    return Lineage(master, [rows[i] for i in ids if i in rows])


@dataclass(frozen=True)
class FieldChange:
    name: str
    then: Any  # the master's value when the adaptation was made (None if not known)
    now: Any  # the master's value today
    mine: Any  # the adaptation's value


@dataclass(frozen=True)
class StaleDiff:
    """How an adaptation's master moved on since it was adapted."""

    record_type: str
    record_id: str
    master_id: str
    from_version: int
    master_version: int
    known: bool  # the master's earlier version is kept (RecordHistory): ``changes`` are exact
    changes: list[FieldChange]


def stale_diff(session: Session, record_type: str, record_id: str) -> StaleDiff | None:
    """What changed in the master of an asset or calendar entry adaptation since it was adapted;
    None when it is not an adaptation or is up to date. Uses the master's kept earlier version
    (``record_history``); without it, every copied field that differs from the master today is
    listed, with ``known`` False."""
    link = _LINK[record_type]
    mine = records.get(session, record_type, record_id)
    if mine is None or mine["deleted"]:
        return None
    master_id = mine["data"].get(link)
    from_version = mine["data"].get("adapted_from_version")
    if master_id is None or from_version is None:
        return None
    master = records.get(session, record_type, master_id)
    if master is None or master["version"] <= from_version:
        return None
    then_row = session.execute(
        sql_text(
            "SELECT data FROM record_history WHERE record_type = :t AND record_id = :i "
            "AND version = :v"
        ),
        {"t": record_type, "i": master_id, "v": from_version},
    ).first()
    fields = STALE_FIELDS[record_type]
    now = master["data"]
    if then_row is not None:
        then = _json(then_row[0])
        names = changed_fields(then, now, fields)
        known = True
    else:
        then = {}
        names = changed_fields(mine["data"], now, fields)
        known = False
    changes = [
        FieldChange(n, then.get(n) if known else None, now.get(n), mine["data"].get(n))
        for n in names
    ]
    return StaleDiff(
        record_type, record_id, master_id, from_version, master["version"], known, changes
    )


def stale_asset_ids(session: Session, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` are adaptations whose master has a newer version (for a grid badge)."""
    wanted = list(ids)
    stale: set[str] = set()
    for part in records.chunks(wanted):
        params = {f"i{n}": v for n, v in enumerate(part)}
        sql = (
            "SELECT a.id FROM assets AS a JOIN assets AS m ON m.id = a.master_id "
            f"WHERE a.id IN ({', '.join(':' + k for k in params)}) "
            "AND a.adapted_from_version IS NOT NULL AND m.version > a.adapted_from_version"
        )
        stale.update(r[0] for r in session.execute(sql_text(sql), params))
    return stale


def ids_with_sha(session: Session, shas: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Existing (not deleted) assets holding each file: ``{sha256: (asset id, name)}``."""
    wanted = list(dict.fromkeys(shas))
    found: dict[str, tuple[str, str]] = {}
    for part in records.chunks(wanted):
        params = {f"s{n}": v for n, v in enumerate(part)}
        sql = (
            "SELECT sha256, id, name FROM assets WHERE deleted = 0 AND sha256 IN "
            f"({', '.join(':' + k for k in params)}) ORDER BY market IS NOT NULL, name"
        )
        for sha, asset_id, name in session.execute(sql_text(sql), params):
            found.setdefault(str(sha), (str(asset_id), str(name)))
    return found


def names_taken(session: Session, names: Iterable[str]) -> set[str]:
    wanted = list(dict.fromkeys(names))
    taken: set[str] = set()
    for part in records.chunks(wanted):
        params = {f"n{i}": v for i, v in enumerate(part)}
        sql = f"SELECT name FROM assets WHERE name IN ({', '.join(':' + k for k in params)})"
        taken.update(str(r[0]) for r in session.execute(sql_text(sql), params))
    return taken
