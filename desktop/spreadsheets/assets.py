"""Planning an import of asset metadata (tags, rights, embargo) from a spreadsheet.

Each row names an asset by ID, else by name, else by its file's SHA-256, and sets the mapped
fields. Decisions where the issue is silent (also in docs/SPREADSHEETS.md):

- Tags replace the asset's tags; the rights and embargo columns replace those keys of its rights
  and embargo and leave the others. An empty cell clears the field, as in calendar imports.
- A SHA-256 names a file, which a master and its local variants may share: the row changes every
  asset with that file that you may change (your markets' variants) and says which it left.
- Usage is ``organic``, ``paid`` or both; territories and embargo markets are market codes or
  ``*`` (also ``all``); expiry is a date; the embargo end a time, in the asset's market's zone
  when written without one. Talent release is yes or no.
- Rows are checked with the asset rules (what the write would warn about) and, where the rights
  or embargo change, against the scheduled entries that use the asset: a clash is a warning on
  the row (the entry is not changed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.records import RecordError, validate_data
from desktop.domain.values import ValueFormatError, format_time, parse_time, utcnow
from desktop.progress import Progress
from desktop.rules.entries import SCHEDULED
from desktop.rules.rights import Usage, check_embargo, check_rights
from desktop.services.changes import Actor, RecordEdit
from desktop.services.checks import Lookups, check_permission, check_rules
from desktop.spreadsheets.plan import (
    FieldChange,
    ImportOptions,
    ImportPlan,
    ImportRefused,
    Problem,
    RowResult,
    Severity,
    check_targets,
)
from desktop.spreadsheets.sources import Chunk, Source, column_letter, read_chunks
from desktop.spreadsheets.values import (
    UUID_RE,
    CellError,
    parse_bool,
    parse_day,
    parse_moment,
    split_list,
    zone_of,
)
from desktop.store import records
from desktop.store.db import Store

RIGHTS_TEXT: Final = ("holder", "license", "notes")
ALL_MARKETS: Final = frozenset({"*", "all", "alle", "tous", "toutes", "global", "worldwide"})
USAGE: Final[dict[str, tuple[str, ...]]] = {
    "organic": ("organic",),
    "organisch": ("organic",),
    "organique": ("organic",),
    "paid": ("paid",),
    "bezahlt": ("paid",),
    "payant": ("paid",),
    "both": ("organic", "paid"),
    "all": ("organic", "paid"),
}
META_TARGETS: Final = frozenset(
    {
        "tags",
        "rights.holder",
        "rights.license",
        "rights.usage",
        "rights.territories",
        "rights.expires_on",
        "rights.talent_release",
        "rights.notes",
        "embargo.until",
        "embargo.markets",
    }
)
LABELS: Final[dict[str, str]] = {
    "id": "ID",
    "name": "Name",
    "sha256": "SHA-256",
    "tags": "Tags",
    "rights": "Rights",
    "embargo": "Embargo",
}
_MARKET = re.compile(r"^[a-z]{2,8}$")


@dataclass
class _Catalogue:
    """Every local asset's id, name, file, market and brand, read once per import."""

    by_name: dict[str, list[str]] = field(default_factory=dict)
    by_sha: dict[str, list[str]] = field(default_factory=dict)
    market: dict[str, str | None] = field(default_factory=dict)
    name: dict[str, str] = field(default_factory=dict)
    zones: dict[str | None, tzinfo] = field(default_factory=dict)
    uses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> _Catalogue:
        cat = cls(zones={None: UTC})
        t = records.table("asset")
        query = select(t.c.id, t.c.name, t.c.sha256, t.c.market).where(t.c.deleted.is_(False))
        for row in session.execute(query):
            cat.by_name.setdefault(str(row.name).casefold(), []).append(row.id)
            cat.by_sha.setdefault(str(row.sha256), []).append(row.id)
            cat.market[row.id] = row.market
            cat.name[row.id] = row.name
        for row in session.execute(records.table("market").select()):
            if not row.deleted:
                cat.zones[row.code] = zone_of(row.timezone) or UTC
        e = records.table("calendar_entry")
        query = select(
            e.c.id, e.c.title, e.c.kind, e.c.market, e.c.starts_at, e.c.ends_at, e.c.asset_ids
        ).where(e.c.deleted.is_(False), e.c.status.in_(sorted(SCHEDULED)))
        for entry_row in session.execute(query):
            entry = dict(entry_row._mapping)
            for asset_id in entry_row.asset_ids or []:
                cat.uses.setdefault(asset_id, []).append(entry)
        return cat


class AssetImport:
    """Plans an import of asset metadata (see the module)."""

    def __init__(
        self,
        store: Store,
        actor: Actor,
        source: Source,
        options: ImportOptions,
        *,
        now: datetime | None = None,
    ) -> None:
        self.store = store
        self.actor = actor
        self.source = source
        self.options = options
        self.now = now or utcnow()
        self.columns = {t: i for i, t in enumerate(options.mapping) if t is not None}
        self.headings = {t: source.header[i] for t, i in self.columns.items()}
        self.fixed_zone = None if options.zone is None else (zone_of(options.zone) or UTC)
        self.seen: dict[str, int] = {}

    def mapping_problems(self) -> list[str]:
        problems = check_targets(self.options.mapping, self.source.header)
        if not {"id", "name", "sha256"} & set(self.columns):
            problems.append(
                "Choose the column that names each asset: its name or its file's SHA-256."
            )
        if not META_TARGETS & set(self.columns):
            problems.append("Choose at least one column to import: tags, rights or embargo.")
        return problems

    def notes(self) -> list[str]:
        notes = [f"Read as {self.source.describe()}."]
        keys = [k for k in ("id", "name", "sha256") if k in self.columns]
        notes.append(
            "Assets are matched by "
            + ", then ".join({"id": "ID", "name": "name", "sha256": "SHA-256"}[k] for k in keys)
            + "."
        )
        ignored = [
            h for h, t in zip(self.source.header, self.options.mapping, strict=False) if not t
        ]
        if ignored:
            notes.append("Not imported: " + ", ".join(f'"{h}"' for h in ignored) + ".")
        return notes

    def plan(self, progress: Progress | None = None) -> ImportPlan:
        problems = self.mapping_problems()
        if problems:
            raise ImportRefused(" ".join(problems))
        plan = ImportPlan("assets", self.source, self.options, notes=self.notes(), what="assets")
        with self.store.read() as session:
            catalogue = _Catalogue.load(session)
        for chunk in read_chunks(self.source, progress=progress):
            self._plan_chunk(chunk, catalogue, plan)
            if progress is not None:
                progress.check()
        return plan

    # --- one chunk -----------------------------------------------------------------------------

    def _plan_chunk(self, chunk: Chunk, cat: _Catalogue, plan: ImportPlan) -> None:
        with self.store.read() as session:
            lookups = Lookups(session)
            wanted: list[tuple[int, int, list[str], list[Problem], dict[str, str]]] = []
            ids: list[str] = []
            for index, (cells, number) in enumerate(zip(chunk.rows, chunk.numbers, strict=True)):
                values = {t: cells[i] for t, i in self.columns.items()}
                problems = [
                    Problem(
                        "error",
                        self.source.header[col],
                        f"Cell {column_letter(col)}{number} {message}.",
                    )
                    for col, message in chunk.problems.get(index, [])
                ]
                matched = self._match(values, cat, problems)
                wanted.append((index, number, matched, problems, values))
                ids.extend(matched)
            current = records.load(session, "asset", ids)
            for _index, number, matched, problems, values in wanted:
                if not matched:
                    label = values.get("name") or values.get("sha256") or values.get("id") or ""
                    plan.rows.append(
                        RowResult(
                            number, "refused", label.strip() or "(no asset)", None, tuple(problems)
                        )
                    )
                    continue
                for asset_id in matched:
                    plan.rows.append(
                        self._row(
                            number=number,
                            asset=current[asset_id],
                            values=values,
                            problems=list(problems),
                            cat=cat,
                            lookups=lookups,
                            plan=plan,
                        )
                    )

    def _problem(self, problems: list[Problem], target: str, message: str) -> None:
        problems.append(Problem("error", self.headings.get(target, target), message, target))

    def _match(self, values: dict[str, str], cat: _Catalogue, problems: list[Problem]) -> list[str]:
        """The assets a row names (several only for a shared file), or [] with a problem."""
        asset_id = values.get("id", "").strip().lower()
        if asset_id:
            if not UUID_RE.match(asset_id):
                self._problem(problems, "id", f'"{asset_id}" is not an asset ID.')
                return []
            if asset_id not in cat.market:
                self._problem(problems, "id", "No asset with this ID is in your workspace.")
                return []
            return [asset_id]
        name = values.get("name", "").strip()
        if name:
            found = cat.by_name.get(name.casefold(), [])
            if len(found) > 1:
                self._problem(
                    problems, "name", f'Several assets are named "{name}"; add an ID column.'
                )
                return []
            if not found:
                self._problem(problems, "name", f'No asset named "{name}" is in your workspace.')
                return []
            return found
        sha = values.get("sha256", "").strip().lower()
        if not sha:
            target = next(t for t in ("name", "sha256", "id") if t in self.columns)
            self._problem(problems, target, "Give the asset's name or its file's SHA-256.")
            return []
        if not re.fullmatch(r"[0-9a-f]{64}", sha):
            self._problem(problems, "sha256", f'"{sha}" is not a SHA-256 (64 hexadecimal digits).')
            return []
        found = cat.by_sha.get(sha, [])
        if not found:
            self._problem(problems, "sha256", "No asset with this file is in your workspace.")
            return []
        mine = [i for i in found if self.actor.may_write("asset", cat.market[i])]
        if not mine:
            return found[:1]  # the permission check then says whose it is
        others = len(found) - len(mine)
        if others:
            problems.append(
                Problem(
                    "info",
                    self.headings.get("sha256"),
                    f"{others} other asset{'s' if others != 1 else ''} with this file "
                    "(global or another market's) left as "
                    f"{'they are' if others != 1 else 'it is'}.",
                )
            )
        return mine

    # --- one asset -----------------------------------------------------------------------------

    def _markets(self, target: str, text: str, problems: list[Problem]) -> list[str]:
        out: list[str] = []
        for item in split_list(text):
            code = item.casefold()
            if code in ALL_MARKETS:
                out.append("*")
            elif _MARKET.match(code):
                out.append(code)
            else:
                self._problem(problems, target, f'"{item}" is not a market code (such as de) or *.')
        return out

    def _read(
        self,
        values: dict[str, str],
        asset: dict[str, Any],
        cat: _Catalogue,
        problems: list[Problem],
    ) -> dict[str, Any]:
        """The fields the row sets: tags, and the keys of rights and embargo it names."""
        fields: dict[str, Any] = {}
        rights: dict[str, Any] = {}
        embargo: dict[str, Any] = {}
        if "tags" in values:
            fields["tags"] = split_list(values["tags"])
        for key in RIGHTS_TEXT:
            if f"rights.{key}" in values:
                rights[key] = values[f"rights.{key}"] or None
        if "rights.usage" in values:
            usage: list[str] = []
            for item in split_list(values["rights.usage"]):
                found = USAGE.get(item.casefold())
                if found is None:
                    self._problem(
                        problems, "rights.usage", f'"{item}" is not a usage; use organic or paid.'
                    )
                usage.extend(u for u in found or () if u not in usage)
            rights["usage"] = usage
        if "rights.territories" in values:
            rights["territories"] = self._markets(
                "rights.territories", values["rights.territories"], problems
            )
        if "rights.expires_on" in values:
            text = values["rights.expires_on"].strip()
            try:
                rights["expires_on"] = (
                    parse_day(text, day_first=self.options.day_first).isoformat() if text else None
                )
            except CellError as exc:
                self._problem(problems, "rights.expires_on", str(exc))
        if "rights.talent_release" in values:
            text = values["rights.talent_release"].strip()
            try:
                rights["talent_release"] = parse_bool(text) if text else None
            except CellError as exc:
                self._problem(problems, "rights.talent_release", str(exc))
        if "embargo.until" in values:
            text = values["embargo.until"].strip()
            zone = self.fixed_zone or cat.zones.get(asset["data"].get("market"), UTC)
            try:
                embargo["until"] = (
                    format_time(parse_moment(text, zone=zone, day_first=self.options.day_first).utc)
                    if text
                    else None
                )
            except CellError as exc:
                self._problem(problems, "embargo.until", str(exc))
        if "embargo.markets" in values:
            embargo["markets"] = self._markets(
                "embargo.markets", values["embargo.markets"], problems
            )
        data = asset["data"]
        if rights:
            fields["rights"] = {**(data.get("rights") or {}), **rights}
        if embargo:
            fields["embargo"] = {**(data.get("embargo") or {}), **embargo}
        return fields

    def _row(
        self,
        *,
        number: int,
        asset: dict[str, Any],
        values: dict[str, str],
        problems: list[Problem],
        cat: _Catalogue,
        lookups: Lookups,
        plan: ImportPlan,
    ) -> RowResult:
        asset_id = asset["id"]
        label = str(asset["data"].get("name") or asset_id)
        first = self.seen.setdefault(asset_id, number)
        if first != number:
            problems.append(
                Problem("error", None, f"Row {first} changes the same asset; keep one of them.")
            )
        if asset["deleted"]:
            problems.append(Problem("error", None, "This asset was deleted."))
        wanted = self._read(values, asset, cat, problems)
        before = asset["data"]
        changed = {k: v for k, v in wanted.items() if not _same(before.get(k), v)}
        problems = [
            p
            for p in problems
            if p.target is None
            or p.target in ("id", "name", "sha256")
            or p.target.split(".")[0] in changed
        ]
        if not changed and not any(p.severity == "error" for p in problems):
            return RowResult(number, "unchanged", label, asset_id, tuple(problems))
        if any(p.severity == "error" for p in problems):
            return RowResult(number, "refused", label, asset_id, tuple(problems))
        try:
            fields = validate_data("asset", changed, create=False)
        except RecordError as exc:
            for name, message in exc.problems.items():
                top = name.split(".")[0]
                column = self.headings.get(name, LABELS.get(top, top))
                problems.append(Problem("error", column, f"{name.replace('_', ' ')} {message}."))
            return RowResult(number, "refused", label, asset_id, tuple(problems))
        after = {**before, **fields}
        findings = check_permission(self.actor, "asset", before, after)
        if not findings:
            findings = [
                f
                for f in check_rules(
                    "asset",
                    before=before,
                    after=after,
                    actor=self.actor,
                    lookups=lookups,
                    drift_days=2.0,
                    now=self.now,
                )
                if (f.field or "").split(".")[0] in fields
            ]
        for finding in findings:
            top = (finding.field or "").split(".")[0]
            column = self.headings.get(finding.field or "", LABELS.get(top, top or "Asset"))
            problems.append(Problem(finding.severity, column, finding.message))
        if "rights" in fields or "embargo" in fields:
            problems.extend(self._clashes(after, cat.uses.get(asset_id, []), cat))
        changes = tuple(FieldChange(k, before.get(k), v) for k, v in fields.items())
        if any(p.severity == "error" for p in problems):
            return RowResult(number, "refused", label, asset_id, tuple(problems), changes)
        plan.edits.append(
            RecordEdit("asset", asset_id, fields=fields, expect={k: before.get(k) for k in fields})
        )
        return RowResult(
            number, "update", label, asset_id, tuple(problems), changes, len(plan.edits) - 1
        )

    def _clashes(
        self, asset: dict[str, Any], entries: list[dict[str, Any]], cat: _Catalogue
    ) -> list[Problem]:
        """Warnings for scheduled entries using this asset that its new rights or embargo forbid."""
        problems: list[Problem] = []
        name = asset.get("name")
        for entry in entries:
            start, end = to_time(entry["starts_at"]), to_time(entry["ends_at"])
            usage: Usage = "paid" if entry["kind"] == "paid_burst" else "organic"
            market = entry["market"]
            found = check_rights(
                asset.get("rights"), usage=usage, market=market, until=end or start, asset_name=name
            )
            if start is not None:
                zone = cat.zones.get(market)
                found += check_embargo(
                    asset.get("embargo"),
                    market=market,
                    starts_at=start,
                    timezone=getattr(zone, "key", None),
                    asset_name=name,
                )
            when = (entry["starts_at"] or "")[:10]
            for finding in found:
                severity: Severity = "warning"
                problems.append(
                    Problem(
                        severity,
                        LABELS["rights" if finding.code == "rights_not_cleared" else "embargo"],
                        f'The scheduled entry "{entry["title"] or "(no title)"}" '
                        f"({(market or 'global').upper()}, {when}) uses this asset: "
                        f"{finding.message}",
                    )
                )
        return problems


def to_time(text: Any) -> datetime | None:
    try:
        return parse_time(text) if isinstance(text, str) else None
    except ValueFormatError:
        return None


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, dict) or isinstance(new, dict):

        def clean(value: Any) -> dict[str, Any]:
            return {k: v for k, v in (value or {}).items() if v not in (None, "", [])}

        return clean(old) == clean(new)
    return bool((old or []) == (new or []))


def plan_asset_import(
    store: Store,
    actor: Actor,
    source: Source,
    options: ImportOptions,
    *,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ImportPlan:
    """The validation report and edits of importing asset metadata from ``source``.

    Runs on a worker; reads the store, writes nothing."""
    return AssetImport(store, actor, source, options, now=now).plan(progress)
