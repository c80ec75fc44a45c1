"""The columns each kind of record has in a spreadsheet: their keys, headings and what the importer
recognises, and guessing a mapping from a file's heading row.

A column ``key`` names what it holds: a data field (``title``, ``starts_at``), a nested field
(``rights.expires_on``, ``budget.amount``), a looked-up name (``campaign``: the campaign's name;
``assets``: the assets' names) or the envelope (``id``, ``version``, ``updated_at``). Views pass
these keys to ``export.export_records`` for the columns they show; ``COLUMNS[kind]`` lists them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

Kind = Literal["calendar", "assets", "requests"]
KINDS: Final[tuple[Kind, ...]] = ("calendar", "assets", "requests")
RECORD_TYPES: Final[dict[str, str]] = {
    "calendar": "calendar_entry",
    "assets": "asset",
    "requests": "amplification_request",
}


@dataclass(frozen=True)
class Column:
    """One spreadsheet column. ``target`` is what it fills on import (None: not imported)."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    target: str | None = None
    time: bool = False  # an RFC 3339 time field (exported in UTC or local time)
    export: bool = True  # False: only recognised on import (a separate time-of-day column)


def _c(
    key: str,
    label: str,
    synonyms: str = "",
    *,
    target: str | None = None,
    time: bool = False,
    export: bool = True,
) -> Column:
    return Column(key, label, tuple(synonyms.split()), target, time, export)


CALENDAR: Final[tuple[Column, ...]] = (
    _c("id", "ID", "entryid eintragid identifiant uuid", target="id"),
    _c("title", "Title", "titel titre name post headline posttitle betreff", target="title"),
    _c("market", "Market", "markt marche country land pays region", target="market"),
    _c("campaign", "Campaign", "kampagne campagne campaignname", target="campaign"),
    _c("campaign_id", "Campaign ID", "kampagnenid", target="campaign"),
    _c("kind", "Kind", "type art entrytype posttype typ format", target="kind"),
    _c(
        "channel",
        "Channel",
        "kanal canal platform plattform plateforme network netzwerk reseau",
        target="channel",
    ),
    _c(
        "starts_at",
        "Starts at",
        "start starts startdate startdatetime date datum publishdate "
        "publishon publishat golive beginn debut publicationdate veroeffentlichung "
        "veroffentlichung startsatutc",
        target="starts_at",
        time=True,
    ),
    _c(
        "start_time",
        "Start time",
        "time uhrzeit heure publishtime startzeit heuredebut",
        target="start_time",
        export=False,
    ),
    _c(
        "ends_at",
        "Ends at",
        "end ends enddate ende fin enddatum datefin endsatutc",
        target="ends_at",
        time=True,
    ),
    _c("end_time", "End time", "endzeit heuredefin", target="end_time", export=False),
    _c("status", "Status", "statut state stand", target="status"),
    _c(
        "caption",
        "Caption",
        "copy text posttext body beschreibung texte legende bildunterschrift description",
        target="caption",
    ),
    _c(
        "assets",
        "Assets",
        "asset assetnames creative creatives files dateien visuels",
        target="assets",
    ),
    _c("asset_ids", "Asset IDs", "", target="assets"),
    _c("utm_campaign", "UTM campaign", "utm", target="utm_campaign"),
    _c(
        "parent_id",
        "Global entry ID",
        "parent parentid globalentry globalentryid",
        target="parent_id",
    ),
    _c("adapted_from_version", "Adapted from version", "", target="adapted_from_version"),
    _c("owners.market", "Market owner", "ownersmarket", target="owners.market"),
    _c("owners.creative", "Creative owner", "ownerscreative", target="owners.creative"),
    _c("owners.paid", "Paid owner", "ownerspaid", target="owners.paid"),
    _c("version", "Version"),
    _c("updated_at", "Updated at", "", time=True),
    _c("updated_by", "Updated by"),
)

ASSETS: Final[tuple[Column, ...]] = (
    _c("id", "ID", "assetid uuid", target="id"),
    _c("name", "Name", "assetname filename dateiname nom", target="name"),
    _c("title", "Title"),
    _c("kind", "Kind"),
    _c("market", "Market"),
    _c("brand", "Brand"),
    _c("campaign", "Campaign"),
    _c("campaign_id", "Campaign ID"),
    _c("language", "Language"),
    _c("status", "Status"),
    _c("tags", "Tags", "tag keywords schlagworte motscles", target="tags"),
    _c("alt_text", "Alt text"),
    _c("sha256", "SHA-256", "sha256 hash checksum filehash", target="sha256"),
    _c("size", "Size"),
    _c("mime", "MIME type"),
    _c("width", "Width"),
    _c("height", "Height"),
    _c("master_id", "Master ID"),
    _c("adapted_from_version", "Adapted from version"),
    _c(
        "rights.holder",
        "Rights holder",
        "holder rightsholder rechteinhaber",
        target="rights.holder",
    ),
    _c(
        "rights.license",
        "Licence",
        "license rightslicense rightslicence lizenz",
        target="rights.license",
    ),
    _c("rights.usage", "Usage", "rightsusage nutzung", target="rights.usage"),
    _c(
        "rights.territories",
        "Territories",
        "rightsterritories territory gebiete",
        target="rights.territories",
    ),
    _c(
        "rights.expires_on",
        "Rights expire on",
        "rightsexpireson expires expireson expiry rightsexpiry ablaufdatum",
        target="rights.expires_on",
    ),
    _c(
        "rights.talent_release",
        "Talent release",
        "rightstalentrelease talentrelease",
        target="rights.talent_release",
    ),
    _c("rights.notes", "Rights notes", "rightsnotes", target="rights.notes"),
    _c(
        "embargo.until",
        "Embargo until",
        "embargountil embargo sperrfrist",
        target="embargo.until",
        time=True,
    ),
    _c("embargo.markets", "Embargo markets", "embargomarkets", target="embargo.markets"),
    _c("version", "Version"),
    _c("updated_at", "Updated at", "", time=True),
)

REQUESTS: Final[tuple[Column, ...]] = (
    _c("id", "ID"),
    _c("market", "Market"),
    _c("status", "Status"),
    _c("priority", "Priority"),
    _c("entry", "Post"),
    _c("entry_id", "Post ID"),
    _c("asset", "Asset"),
    _c("asset_id", "Asset ID"),
    _c("cta", "Call to action"),
    _c("audience", "Audience"),
    _c("budget.amount", "Budget"),
    _c("budget.currency", "Currency"),
    _c("starts_at", "Starts at", time=True),
    _c("ends_at", "Ends at", time=True),
    _c("primary_kpi", "Primary KPI"),
    _c("legal_note", "Legal note"),
    _c("checklist.landing_page", "Landing page checked"),
    _c("checklist.audience_overlap", "Audience overlap checked"),
    _c("checklist.budget_cap", "Budget cap checked"),
    _c("checklist.tracking", "Tracking checked"),
    _c("checklist.dashboard", "Dashboard checked"),
    _c("submitted_at", "Submitted at", time=True),
    _c("sla_due_at", "SLA due at", time=True),
    _c("decided_at", "Decided at", time=True),
    _c("decided_by", "Decided by"),
    _c("decision_note", "Decision note"),
    _c("version", "Version"),
    _c("updated_at", "Updated at", time=True),
)

COLUMNS: Final[dict[str, tuple[Column, ...]]] = {
    "calendar": CALENDAR,
    "assets": ASSETS,
    "requests": REQUESTS,
}
DEFAULT_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "calendar": (
        "id",
        "title",
        "market",
        "campaign",
        "kind",
        "channel",
        "starts_at",
        "ends_at",
        "status",
        "caption",
        "assets",
        "utm_campaign",
        "parent_id",
    ),
    "assets": (
        "id",
        "name",
        "title",
        "kind",
        "market",
        "campaign",
        "status",
        "tags",
        "sha256",
        "rights.holder",
        "rights.license",
        "rights.usage",
        "rights.territories",
        "rights.expires_on",
        "rights.talent_release",
        "embargo.until",
        "embargo.markets",
    ),
    "requests": (
        "id",
        "market",
        "status",
        "priority",
        "entry",
        "asset",
        "cta",
        "budget.amount",
        "budget.currency",
        "starts_at",
        "ends_at",
        "submitted_at",
        "sla_due_at",
        "decided_at",
        "decision_note",
    ),
}

# What an import can fill, per importable kind, in the order the mapping dialog lists them.
TARGETS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "calendar": (
        ("id", "ID (update this entry)"),
        ("title", "Title"),
        ("market", "Market"),
        ("campaign", "Campaign (name or ID)"),
        ("kind", "Kind"),
        ("channel", "Channel"),
        ("starts_at", "Starts at (date and time)"),
        ("start_time", "Start time (with a date-only start)"),
        ("ends_at", "Ends at (date and time)"),
        ("end_time", "End time (with a date-only end)"),
        ("status", "Status"),
        ("caption", "Caption"),
        ("assets", "Assets (names or IDs)"),
        ("utm_campaign", "UTM campaign"),
        ("parent_id", "Global entry ID"),
        ("adapted_from_version", "Adapted from version"),
        ("owners.market", "Market owner (user ID)"),
        ("owners.creative", "Creative owner (user ID)"),
        ("owners.paid", "Paid owner (user ID)"),
    ),
    "assets": (
        ("id", "ID (match by ID)"),
        ("name", "Name (match by name)"),
        ("sha256", "SHA-256 (match by file)"),
        ("tags", "Tags (replace)"),
        ("rights.holder", "Rights holder"),
        ("rights.license", "Licence"),
        ("rights.usage", "Usage (organic, paid)"),
        ("rights.territories", "Territories"),
        ("rights.expires_on", "Rights expire on"),
        ("rights.talent_release", "Talent release (yes/no)"),
        ("rights.notes", "Rights notes"),
        ("embargo.until", "Embargo until"),
        ("embargo.markets", "Embargo markets"),
    ),
}


def export_columns(kind: str) -> tuple[Column, ...]:
    """The columns an export of ``kind`` can have, in their usual order."""
    return tuple(c for c in COLUMNS[kind] if c.export)


def column(kind: str, key: str) -> Column:
    """The export column ``key`` of ``kind``; KeyError naming the known keys otherwise."""
    for candidate in export_columns(kind):
        if candidate.key == key:
            return candidate
    known = ", ".join(c.key for c in export_columns(kind))
    raise KeyError(f"{key!r} is not a {kind} column; the columns are: {known}")


def normalise(heading: str) -> str:
    """A heading compared loosely: accents, case, spaces and punctuation dropped."""
    decomposed = unicodedata.normalize("NFKD", heading.casefold())
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _recognised(kind: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for col in COLUMNS[kind]:
        if col.target is None:
            continue
        for name in (col.key, col.label, *col.synonyms):
            names.setdefault(normalise(name), col.target)
    return names


def guess_mapping(kind: str, header: Sequence[str]) -> tuple[str | None, ...]:
    """The target of each heading (None: not imported); each target is used once, leftmost
    first. Headings with a unit in brackets (``Starts at (UTC)``) are recognised without it."""
    names = _recognised(kind)
    used: set[str] = set()
    mapping: list[str | None] = []
    for heading in header:
        target = names.get(normalise(heading)) or names.get(
            normalise(re.sub(r"\(.*?\)", "", heading))
        )
        if target is not None and target not in used:
            used.add(target)
            mapping.append(target)
        else:
            mapping.append(None)
    return tuple(mapping)


def layout_signature(kind: str, header: Sequence[str]) -> str:
    """What identifies a file layout: a hash of the kind and the headings, in order."""
    text = "\x1f".join([kind, *(normalise(h) or h for h in header)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
