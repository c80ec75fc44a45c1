"""Planning an import of calendar entries: every row read, checked and turned into an edit.

What a row does (decisions where the issue is silent, also in docs/SPREADSHEETS.md):

- With an ID: updates that entry (only the mapped columns; an empty cell clears the field). An ID
  that is not in the workspace is refused: clear it to import the row as a new entry.
- Without an ID: a new entry, unless an entry with the same market, channel, start and title is
  already here; then the row updates that one (so importing the same sheet twice adds nothing).
- Two rows that would change the same entry, or add the same one, are both refused after the first.
- Unchanged rows are not checked against the rules (nothing is written for them).
- New entries without a kind are organic posts; without a status, drafts. Without a market column
  a lead of one market imports into that market.
- Checks: the cell formats; unknown markets, campaigns and assets; then what every write must
  satisfy, from the same rules and permission checks as ``Workspace.apply`` (rights and embargoes
  of the linked assets, forbidden terms, channel limits, drift, your own markets only).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.records import RecordError, validate_data
from desktop.domain.values import format_time, parse_time, utcnow
from desktop.progress import Progress
from desktop.rules.channels import canonical_channel
from desktop.rules.findings import Finding
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
    parse_moment,
    split_list,
    zone_of,
)
from desktop.store import records
from desktop.store.db import Store

KINDS: Final[dict[str, str]] = {
    "organicpost": "organic_post",
    "organic": "organic_post",
    "post": "organic_post",
    "beitrag": "organic_post",
    "publication": "organic_post",
    "paidburst": "paid_burst",
    "paid": "paid_burst",
    "burst": "paid_burst",
    "boost": "paid_burst",
    "moment": "moment",
    "launch": "launch",
    "lancement": "launch",
    "start": "launch",
}
STATUSES: Final[dict[str, str]] = {
    "draft": "draft",
    "entwurf": "draft",
    "brouillon": "draft",
    "planned": "planned",
    "geplant": "planned",
    "planifie": "planned",
    "prevu": "planned",
    "approved": "approved",
    "freigegeben": "approved",
    "genehmigt": "approved",
    "approuve": "approved",
    "valide": "approved",
    "published": "published",
    "veroffentlicht": "published",
    "veroeffentlicht": "published",
    "publie": "published",
    "live": "published",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "abgesagt": "cancelled",
    "storniert": "cancelled",
    "annule": "cancelled",
}
TEXT_FIELDS: Final = ("title", "caption", "utm_campaign")
FIELD_NAMES: Final[dict[str, str]] = {
    "id": "ID",
    "title": "Title",
    "market": "Market",
    "campaign_id": "Campaign",
    "campaign": "Campaign",
    "kind": "Kind",
    "channel": "Channel",
    "starts_at": "Starts at",
    "ends_at": "Ends at",
    "status": "Status",
    "caption": "Caption",
    "asset_ids": "Assets",
    "assets": "Assets",
    "utm_campaign": "UTM campaign",
    "parent_id": "Global entry",
    "adapted_from_version": "Adapted from version",
    "owners": "Owners",
}


def _plain_key(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())


@dataclass
class _World:
    """What rows are checked against, read once per import."""

    markets: dict[str, dict[str, Any]]
    market_names: dict[str, str]
    zones: dict[str | None, tzinfo]
    campaign_ids: set[str]
    campaigns_by_name: dict[str, list[str]]
    asset_ids: set[str]
    assets_by_name: dict[str, list[str]]

    @classmethod
    def load(cls, session: Session) -> _World:
        markets: dict[str, dict[str, Any]] = {}
        names: dict[str, str] = {}
        zones: dict[str | None, tzinfo] = {None: UTC}
        for row in session.execute(records.table("market").select()):
            if row.deleted:
                continue
            data = records.from_row("market", row)["data"]
            markets[row.code] = data
            if data.get("name"):
                names[str(data["name"]).casefold()] = row.code
            zones[row.code] = zone_of(data.get("timezone")) or UTC
        campaigns = records.table("campaign")
        campaign_ids: set[str] = set()
        by_name: dict[str, list[str]] = {}
        for row in session.execute(select(campaigns.c.id, campaigns.c.name, campaigns.c.deleted)):
            if row.deleted:
                continue
            campaign_ids.add(row.id)
            by_name.setdefault(" ".join(str(row.name).split()).casefold(), []).append(row.id)
        assets = records.table("asset")
        asset_ids: set[str] = set()
        assets_by_name: dict[str, list[str]] = {}
        for row in session.execute(select(assets.c.id, assets.c.name, assets.c.deleted)):
            if row.deleted:
                continue
            asset_ids.add(row.id)
            assets_by_name.setdefault(str(row.name).casefold(), []).append(row.id)
        return cls(markets, names, zones, campaign_ids, by_name, asset_ids, assets_by_name)


@dataclass
class _Row:
    """One row as read: the values of its mapped targets and the problems found reading them."""

    number: int
    cells: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    owners: dict[str, str | None] = field(default_factory=dict)
    record_id: str | None = None
    existing: dict[str, Any] | None = None
    matched: bool = False


class CalendarImport:
    """Plans an import of calendar entries (see the module)."""

    what = "entries"

    def __init__(
        self,
        store: Store,
        actor: Actor,
        source: Source,
        options: ImportOptions,
        *,
        now: datetime | None = None,
        drift_days: float = 2.0,
    ) -> None:
        self.store = store
        self.actor = actor
        self.source = source
        self.options = options
        self.now = now or utcnow()
        self.drift_days = drift_days
        self.columns = {t: i for i, t in enumerate(options.mapping) if t is not None}
        self.headings = {t: source.header[i] for t, i in self.columns.items()}
        self.fixed_zone = None if options.zone is None else (zone_of(options.zone) or UTC)
        self.seen_ids: dict[str, int] = {}
        self.seen_keys: dict[tuple[Any, ...], int] = {}

    # --- the mapping -----------------------------------------------------------------------

    def mapping_problems(self) -> list[str]:
        problems = check_targets(self.options.mapping, self.source.header)
        has = self.columns.__contains__
        if not has("starts_at") and not has("id"):
            problems.append(
                "Choose the column with each entry's start (date and time): it is needed for "
                "new entries."
            )
        if (has("start_time") and not has("starts_at")) or (has("end_time") and not has("ends_at")):
            problems.append("A time column needs the date column it belongs to.")
        if not has("market") and not has("id") and len(self.actor.markets) != 1:
            problems.append(
                "Choose the column with each entry's market: you work in more than one market."
            )
        return problems

    def notes(self) -> list[str]:
        notes = [f"Read as {self.source.describe()}."]
        if self.options.zone is None:
            notes.append(
                "Times written without a zone are in each row's market's time zone "
                "(UTC for global entries)."
            )
        else:
            notes.append(f"Times written without a zone are in {self.options.zone}.")
        notes.append(
            "Dates like 03/04/2026 are read "
            + ("day first (3 April)." if self.options.day_first else "month first (March 4).")
        )
        ignored = [
            h for h, t in zip(self.source.header, self.options.mapping, strict=False) if not t
        ]
        if ignored:
            notes.append("Not imported: " + ", ".join(f'"{h}"' for h in ignored) + ".")
        if "market" not in self.columns and "id" not in self.columns and self.actor.markets:
            notes.append(f"Every new entry is for {self.actor.markets[0].upper()}.")
        return notes

    # --- planning --------------------------------------------------------------------------

    def plan(self, progress: Progress | None = None) -> ImportPlan:
        """Read every row and decide what it does; raises ImportRefused for a mapping that
        cannot work, SpreadsheetError for a file that cannot be read, Cancelled if cancelled."""
        problems = self.mapping_problems()
        if problems:
            raise ImportRefused(" ".join(problems))
        plan = ImportPlan("calendar", self.source, self.options, notes=self.notes(), what="entries")
        with self.store.read() as session:
            world = _World.load(session)
        for chunk in read_chunks(self.source, progress=progress):
            self._plan_chunk(chunk, world, plan)
            if progress is not None:
                progress.check()
        if progress is not None:
            progress.report("Checked", len(plan.rows), len(plan.rows), force=True)
        return plan

    def _plan_chunk(self, chunk: Chunk, world: _World, plan: ImportPlan) -> None:
        rows = []
        for index, (cells, number) in enumerate(zip(chunk.rows, chunk.numbers, strict=True)):
            row = _Row(number, {t: cells[i] for t, i in self.columns.items()})
            for column, message in chunk.problems.get(index, []):
                where = f"{column_letter(column)}{number}"
                row.problems.append(
                    Problem("error", self.source.header[column], f"Cell {where} {message}.")
                )
            rows.append(row)
        with self.store.read() as session:
            ids = []
            for row in rows:
                self._read_id(row)
                if row.record_id:
                    ids.append(row.record_id)
            existing = records.load(session, "calendar_entry", ids)
            for row in rows:
                if row.record_id:
                    row.existing = existing.get(row.record_id)
                self._read_fields(row, world)
            self._match_existing(session, rows)
            lookups = Lookups(session)
            for row in rows:
                plan.rows.append(self._decide(row, world, lookups, plan))

    # --- reading one row -------------------------------------------------------------------

    def _problem(
        self,
        row: _Row,
        target: str | None,
        message: str,
        severity: Severity = "error",
        *,
        keep: bool = False,
    ) -> None:
        """A problem of ``target``'s cell; dropped if that field stays as it is, unless ``keep``."""
        column = None if target is None else self.headings.get(target, FIELD_NAMES.get(target))
        row.problems.append(Problem(severity, column, message, None if keep else target))

    def _read_id(self, row: _Row) -> None:
        text = row.cells.get("id", "").strip()
        if not text:
            return
        if not UUID_RE.match(text):
            self._problem(
                row, "id", f'"{text}" is not an entry ID; clear the cell for a new entry.'
            )
            return
        row.record_id = text.lower()

    def _market(self, row: _Row, world: _World) -> tuple[bool, str | None]:
        """Whether the row sets the market, and to what (None: global)."""
        if "market" not in self.columns:
            if row.existing is None and len(self.actor.markets) == 1:
                return True, self.actor.markets[0]
            return False, None
        text = row.cells["market"].strip()
        if not text:
            return True, None
        code = text.casefold()
        if code in world.markets:
            return True, code
        named = world.market_names.get(code)
        if named is not None:
            return True, named
        known = ", ".join(sorted(world.markets)) or "none"
        self._problem(
            row, "market", f'"{text}" is not a market in your workspace (markets: {known}).'
        )
        return False, None

    def _zone(self, row: _Row, world: _World) -> tzinfo:
        if self.fixed_zone is not None:
            return self.fixed_zone
        market = row.fields.get("market")
        if "market" not in row.fields and row.existing is not None:
            market = row.existing["data"].get("market")
        return world.zones.get(market, UTC)

    def _read_fields(self, row: _Row, world: _World) -> None:
        cells = row.cells
        sets_market, market = self._market(row, world)
        if sets_market:
            row.fields["market"] = market
        for name in TEXT_FIELDS:
            if name in cells:
                row.fields[name] = cells[name] if cells[name] != "" else None
        if "channel" in cells:
            text = cells["channel"].strip()
            row.fields["channel"] = (canonical_channel(text) or text) if text else None
        if "kind" in cells:
            text = cells["kind"].strip()
            if text:
                kind = KINDS.get(_plain_key(text))
                if kind is None:
                    self._problem(
                        row,
                        "kind",
                        f'"{text}" is not a kind of entry; use organic post, paid burst, moment '
                        "or launch.",
                    )
                else:
                    row.fields["kind"] = kind
            elif row.existing is not None:
                self._problem(
                    row,
                    "kind",
                    "Give the kind of entry (organic post, paid burst, ...).",
                    keep=True,
                )
        if "status" in cells:
            text = cells["status"].strip()
            if text:
                status = STATUSES.get(_plain_key(text))
                if status is None:
                    self._problem(
                        row,
                        "status",
                        f'"{text}" is not a status; use draft, planned, approved, published or '
                        "cancelled.",
                    )
                else:
                    row.fields["status"] = status
            else:
                row.fields["status"] = None if row.existing is not None else "draft"
        if "campaign" in cells:
            self._read_campaign(row, world)
        if "assets" in cells:
            self._read_assets(row, world)
        for name in ("parent_id", "owners.market", "owners.creative", "owners.paid"):
            if name in cells:
                text = cells[name].strip()
                value = None
                if text and not UUID_RE.match(text):
                    self._problem(row, name, f'"{text}" is not an ID.')
                    continue
                value = text.lower() if text else None
                if name == "parent_id":
                    row.fields["parent_id"] = value
                else:
                    row.owners[name.removeprefix("owners.")] = value
        if "adapted_from_version" in cells:
            text = cells["adapted_from_version"].strip()
            if not text:
                row.fields["adapted_from_version"] = None
            elif text.isdigit() and int(text) >= 1:
                row.fields["adapted_from_version"] = int(text)
            else:
                self._problem(row, "adapted_from_version", f'"{text}" is not a version number.')
        zone = self._zone(row, world)
        for name, clock in (("starts_at", "start_time"), ("ends_at", "end_time")):
            if name not in cells:
                continue
            text = cells[name].strip()
            if not text:
                if name == "starts_at":
                    self._problem(row, name, "Give the date and time the entry starts.", keep=True)
                else:
                    row.fields[name] = None
                continue
            try:
                moment = parse_moment(
                    text,
                    zone=zone,
                    day_first=self.options.day_first,
                    clock=cells.get(clock, "").strip() or None,
                )
            except CellError as exc:
                self._problem(row, name, str(exc))
                continue
            row.fields[name] = format_time(moment.utc)
            if moment.note:
                self._problem(row, name, moment.note, "info")

    def _read_campaign(self, row: _Row, world: _World) -> None:
        text = row.cells["campaign"].strip()
        if not text:
            row.fields["campaign_id"] = None
            return
        if UUID_RE.match(text):
            row.fields["campaign_id"] = text.lower()
            if text.lower() not in world.campaign_ids:
                self._problem(row, "campaign", f'No campaign with the ID "{text}" is here.')
            return
        found = world.campaigns_by_name.get(" ".join(text.split()).casefold(), [])
        if len(found) == 1:
            row.fields["campaign_id"] = found[0]
        elif found:
            self._problem(
                row, "campaign", f'Several campaigns are named "{text}"; give the campaign ID.'
            )
        else:
            self._problem(row, "campaign", f'"{text}" is not a campaign in your workspace.')

    def _read_assets(self, row: _Row, world: _World) -> None:
        ids: list[str] = []
        for item in split_list(row.cells["assets"]):
            if UUID_RE.match(item):
                ids.append(item.lower())
                if item.lower() not in world.asset_ids:
                    self._problem(row, "assets", f'No asset with the ID "{item}" is here.')
                continue
            found = world.assets_by_name.get(item.casefold(), [])
            if len(found) == 1:
                ids.append(found[0])
            elif found:
                self._problem(
                    row, "assets", f'Several assets are named "{item}"; give its ID instead.'
                )
            else:
                self._problem(row, "assets", f'"{item}" is not an asset in your workspace.')
        row.fields["asset_ids"] = ids

    def _natural_key(
        self, market: Any, channel: Any, starts_at: Any, title: Any
    ) -> tuple[Any, ...]:
        return (
            market,
            canonical_channel(channel) or channel,
            starts_at,
            " ".join(str(title).split()).casefold(),
        )

    def _match_existing(self, session: Session, rows: list[_Row]) -> None:
        """Rows without an ID that name an entry already here (market, channel, start, title)."""
        wanted = [
            r
            for r in rows
            if r.record_id is None
            and not any(p.target == "id" for p in r.problems)
            and r.fields.get("title")
            and r.fields.get("starts_at")
        ]
        if not wanted:
            return
        t = records.table("calendar_entry")
        starts = list({r.fields["starts_at"] for r in wanted})
        candidates: dict[tuple[Any, ...], list[str]] = {}
        for part in records.chunks(starts):
            query = select(t.c.id, t.c.market, t.c.channel, t.c.starts_at, t.c.title).where(
                t.c.starts_at.in_(part), t.c.deleted.is_(False)
            )
            for found in session.execute(query):
                key = self._natural_key(found.market, found.channel, found.starts_at, found.title)
                candidates.setdefault(key, []).append(found.id)
        hits: dict[str, _Row] = {}
        for row in wanted:
            key = self._natural_key(
                row.fields.get("market"),
                row.fields.get("channel"),
                row.fields["starts_at"],
                row.fields["title"],
            )
            ids = candidates.get(key, [])
            if len(ids) == 1:
                row.record_id, row.matched = ids[0], True
                hits[ids[0]] = row
        if hits:
            loaded = records.load(session, "calendar_entry", list(hits))
            for record_id, row in hits.items():
                row.existing = loaded.get(record_id)

    # --- deciding ----------------------------------------------------------------------------

    def _label(self, row: _Row, world: _World) -> str:
        """``Title (DE, 2026-11-25 09:00 Europe/Berlin)``: the start in the market's zone."""
        data = {**(row.existing["data"] if row.existing else {}), **row.fields}
        title = data.get("title") or "(no title)"
        code = data.get("market")
        market = (code or row.cells.get("market", "").strip() or "global").upper()
        start = data.get("starts_at") or ""
        if not start:
            return f"{title} ({market})"
        zone = world.zones.get(code, UTC)
        local = parse_time(start).astimezone(zone)
        name = getattr(zone, "key", "UTC")
        return f"{title} ({market}, {local:%Y-%m-%d %H:%M} {name})"

    def _decide(self, row: _Row, world: _World, lookups: Lookups, plan: ImportPlan) -> RowResult:
        label = self._label(row, world)
        existing = row.existing
        if row.record_id and existing is None:
            self._problem(
                row,
                "id",
                "No calendar entry with this ID is in your workspace. Clear the ID to import the "
                "row as a new entry.",
            )
        elif existing is not None and existing["deleted"]:
            self._problem(row, "id", "This entry was deleted; clear the ID to add it again.")
            existing = None
        if row.matched and existing is not None:
            self._problem(
                row,
                None,
                "Matched the entry already here with the same market, channel, start and title.",
                "info",
            )
        self._check_duplicates(row)
        errors = any(p.severity == "error" for p in row.problems)
        if existing is None and not (row.record_id and errors):
            if errors:
                return self._result(row, "refused", label)
            return self._create(row, world, lookups, plan, label)
        if existing is None:
            return self._result(row, "refused", label)
        return self._update(row, existing, lookups, plan, label)

    def _check_duplicates(self, row: _Row) -> None:
        if row.record_id:
            first = self.seen_ids.setdefault(row.record_id, row.number)
            if first != row.number:
                self._problem(row, "id", f"Row {first} changes the same entry; keep one of them.")
            return
        if not row.fields.get("starts_at"):
            return
        key = self._natural_key(
            row.fields.get("market"),
            row.fields.get("channel"),
            row.fields.get("starts_at"),
            row.fields.get("title") or "",
        )
        first = self.seen_keys.setdefault(key, row.number)
        if first != row.number:
            self._problem(
                row,
                None,
                f"Row {first} has the same market, channel, start and title: this looks like a "
                "duplicate. Remove one of them.",
            )

    def _result(
        self,
        row: _Row,
        action: str,
        label: str,
        changes: tuple[FieldChange, ...] = (),
        edit: int = -1,
    ) -> RowResult:
        if any(p.severity == "error" for p in row.problems):
            action = "refused"
        return RowResult(
            row=row.number,
            action=action,  # type: ignore[arg-type]
            label=label,
            record_id=row.record_id,
            problems=tuple(row.problems),
            changes=changes,
            edit=edit if action != "refused" else -1,
        )

    def _findings(self, row: _Row, findings: list[Finding]) -> None:
        for finding in findings:
            target = (finding.field or "").split(".")[0]
            column = self.headings.get(
                {"asset_ids": "assets", "campaign_id": "campaign"}.get(target, target),
                FIELD_NAMES.get(target, finding.field),
            )
            row.problems.append(Problem(finding.severity, column, finding.message, target or None))

    def _record_error(self, row: _Row, exc: RecordError) -> None:
        for name, message in exc.problems.items():
            top = name.split(".")[0]
            label = FIELD_NAMES.get(top, top.replace("_", " "))
            row.problems.append(
                Problem("error", self.headings.get(top, label), f"{label} {message}.", top)
            )

    def _create(
        self, row: _Row, world: _World, lookups: Lookups, plan: ImportPlan, label: str
    ) -> RowResult:
        data = dict(row.fields)
        data.setdefault("kind", "organic_post")
        data.setdefault("status", "draft")
        if row.owners:
            data["owners"] = row.owners
        parent_id = data.get("parent_id")
        if parent_id and data.get("adapted_from_version") is None:
            parent = lookups.record("calendar_entry", parent_id)
            if parent is not None:
                data["adapted_from_version"] = max(parent["version"], 1)
        try:
            full = validate_data("calendar_entry", data, create=True)
        except RecordError as exc:
            self._record_error(row, exc)
            return self._result(row, "refused", label)
        self._check(row, None, full, lookups)
        if any(p.severity == "error" for p in row.problems):
            return self._result(row, "refused", label)
        new_id = str(uuid.uuid4())
        row.record_id = new_id
        plan.edits.append(RecordEdit("calendar_entry", new_id, fields=full, create=True))
        return self._result(row, "create", label, edit=len(plan.edits) - 1)

    def _update(
        self,
        row: _Row,
        existing: dict[str, Any],
        lookups: Lookups,
        plan: ImportPlan,
        label: str,
    ) -> RowResult:
        before = existing["data"]
        wanted = dict(row.fields)
        if row.owners:
            wanted["owners"] = {**(before.get("owners") or {}), **row.owners}
        changed = {k: v for k, v in wanted.items() if not _same(k, before.get(k), v)}
        # A problem about a value that stays as it is does not stop anything.
        row.problems = [
            p
            for p in row.problems
            if p.target is None
            or p.target in ("id",)
            or _target_field(p.target) in changed
            or p.severity == "info"
        ]
        if not changed:
            return self._result(row, "unchanged", label)
        try:
            fields = validate_data("calendar_entry", changed, create=False)
        except RecordError as exc:
            self._record_error(row, exc)
            return self._result(row, "refused", label)
        if any(p.severity == "error" for p in row.problems):
            return self._result(row, "refused", label)
        after = {**before, **fields}
        self._check(row, before, after, lookups)
        changes = tuple(FieldChange(k, before.get(k), v) for k, v in fields.items())
        if any(p.severity == "error" for p in row.problems):
            return self._result(row, "refused", label, changes)
        plan.edits.append(
            RecordEdit(
                "calendar_entry",
                existing["id"],
                fields=fields,
                expect={k: before.get(k) for k in fields},
            )
        )
        return self._result(row, "update", label, changes, len(plan.edits) - 1)

    def _check(
        self,
        row: _Row,
        before: dict[str, Any] | None,
        after: dict[str, Any],
        lookups: Lookups,
    ) -> None:
        findings = check_permission(self.actor, "calendar_entry", before, after)
        if not findings:
            findings = check_rules(
                "calendar_entry",
                before=before,
                after=after,
                actor=self.actor,
                lookups=lookups,
                drift_days=self.drift_days,
                now=self.now,
            )
        self._findings(row, findings)


def _target_field(target: str) -> str:
    return {
        "campaign": "campaign_id",
        "assets": "asset_ids",
        "start_time": "starts_at",
        "end_time": "ends_at",
    }.get(target, "owners" if target.startswith("owners.") else target)


def _same(name: str, old: Any, new: Any) -> bool:
    """Whether a cell's value is what the record holds (empty text and null are the same)."""
    if name in TEXT_FIELDS or name in ("channel",):
        if name == "channel":
            return (canonical_channel(old) or old or None) == (
                canonical_channel(new) or new or None
            )
        return (old or None) == (new or None)
    if name == "asset_ids":
        return list(old or []) == list(new or [])
    if name == "owners":
        clean: Callable[[Any], dict[str, Any]] = lambda d: {  # noqa: E731
            k: v for k, v in (d or {}).items() if v is not None
        }
        return clean(old) == clean(new)
    return bool(old == new)


def plan_calendar_import(
    store: Store,
    actor: Actor,
    source: Source,
    options: ImportOptions,
    *,
    progress: Progress | None = None,
    now: datetime | None = None,
    drift_days: float = 2.0,
) -> ImportPlan:
    """The validation report and edits of importing ``source`` as calendar entries.

    Runs on a worker; reads the store, writes nothing."""
    return CalendarImport(store, actor, source, options, now=now, drift_days=drift_days).plan(
        progress
    )
