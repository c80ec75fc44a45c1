"""The record types of PROTOCOL.md: the one definition of their ``data`` fields.

The client validates edits with these models, the reference server validates pushes with them,
and ``sync/schemas.py`` wraps them in the wire envelopes. Every field is optional here because a
push carries only the fields an edit changed; ``REQUIRED_ON_CREATE`` says what a create must hold.
Unknown fields and wrong types are refused (``extra="forbid"``, strict types).
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from desktop.domain.values import canonical_date, canonical_decimal, canonical_time

Time = Annotated[str, AfterValidator(canonical_time)]
Day = Annotated[str, AfterValidator(canonical_date)]
Money = Annotated[str, AfterValidator(canonical_decimal)]
Uuid = Annotated[
    str,
    Field(pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
MarketCode = Annotated[str, Field(pattern=r"^[a-z]{2,8}$")]
ShortText = Annotated[str, Field(max_length=1_000)]
LongText = Annotated[str, Field(max_length=100_000)]

EntryKind = Literal["organic_post", "paid_burst", "moment", "launch"]
EntryStatus = Literal["draft", "planned", "approved", "published", "cancelled"]
AssetKind = Literal["image", "video", "document"]
AssetStatus = Literal["draft", "ready", "approved", "retired"]
Usage = Literal["organic", "paid"]
Priority = Literal["standard", "emergency"]
RequestStatus = Literal["draft", "submitted", "escalated", "approved", "declined", "withdrawn"]


class _Strict(BaseModel):
    # No Python-level validators here: a first sync validates 150,000 records with these.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Rights(_Strict):
    holder: ShortText | None = None
    license: ShortText | None = None
    usage: list[Usage] = Field(default_factory=list)
    territories: list[Annotated[str, Field(pattern=r"^([a-z]{2,8}|\*)$")]] = Field(
        default_factory=list
    )
    expires_on: Day | None = None
    talent_release: bool | None = None
    notes: LongText | None = None


class Embargo(_Strict):
    until: Time | None = None
    markets: list[Annotated[str, Field(pattern=r"^([a-z]{2,8}|\*)$")]] = Field(default_factory=list)


class Budget(_Strict):
    amount: Money | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None


class Checklist(_Strict):
    landing_page: bool | None = None
    audience_overlap: bool | None = None
    budget_cap: bool | None = None
    tracking: bool | None = None
    dashboard: bool | None = None


CHECKLIST_ITEMS: Final = tuple(Checklist.model_fields)


class Owners(_Strict):
    market: Uuid | None = None
    creative: Uuid | None = None
    paid: Uuid | None = None


class MarketData(_Strict):
    code: MarketCode | None = None
    name: ShortText | None = None
    region: ShortText | None = None
    languages: list[Annotated[str, Field(max_length=35)]] = Field(default_factory=list)
    timezone: ShortText | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    forbidden_terms: list[ShortText] = Field(default_factory=list)
    legal_note: LongText | None = None
    boost_threshold: Money | None = None


class BrandData(_Strict):
    code: Annotated[str, Field(pattern=r"^[a-z0-9]{1,32}$")] | None = None
    name: ShortText | None = None


class CampaignData(_Strict):
    name: ShortText | None = None
    brand: ShortText | None = None
    objective: ShortText | None = None
    primary_kpi: ShortText | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None
    top_messages: list[LongText] = Field(default_factory=list)
    status: ShortText | None = None


class CalendarEntryData(_Strict):
    campaign_id: Uuid | None = None
    kind: EntryKind | None = None
    market: MarketCode | None = None
    channel: ShortText | None = None
    title: ShortText | None = None
    caption: LongText | None = None
    starts_at: Time | None = None
    ends_at: Time | None = None
    status: EntryStatus | None = None
    asset_ids: list[Uuid] = Field(default_factory=list)
    parent_id: Uuid | None = None
    adapted_from_version: Annotated[int, Field(ge=1)] | None = None
    owners: Owners = Field(default_factory=Owners)
    utm_campaign: ShortText | None = None


class AssetData(_Strict):
    name: ShortText | None = None
    title: ShortText | None = None
    kind: AssetKind | None = None
    sha256: Sha256 | None = None
    size: Annotated[int, Field(ge=0)] | None = None
    mime: ShortText | None = None
    width: Annotated[int, Field(ge=0)] | None = None
    height: Annotated[int, Field(ge=0)] | None = None
    brand: ShortText | None = None
    campaign_id: Uuid | None = None
    market: MarketCode | None = None
    language: Annotated[str, Field(max_length=35)] | None = None
    master_id: Uuid | None = None
    adapted_from_version: Annotated[int, Field(ge=1)] | None = None
    tags: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(default_factory=list)
    alt_text: LongText | None = None
    status: AssetStatus | None = None
    rights: Rights = Field(default_factory=Rights)
    embargo: Embargo = Field(default_factory=Embargo)


class AmplificationRequestData(_Strict):
    entry_id: Uuid | None = None
    asset_id: Uuid | None = None
    market: MarketCode | None = None
    cta: ShortText | None = None
    audience: LongText | None = None
    budget: Budget = Field(default_factory=Budget)
    starts_at: Time | None = None
    ends_at: Time | None = None
    primary_kpi: ShortText | None = None
    priority: Priority | None = None
    legal_note: LongText | None = None
    checklist: Checklist = Field(default_factory=Checklist)
    status: RequestStatus | None = None
    submitted_at: Time | None = None
    sla_due_at: Time | None = None
    decided_at: Time | None = None
    decided_by: Uuid | None = None
    decision_note: LongText | None = None


class CommentData(_Strict):
    target_type: ShortText | None = None
    target_id: Uuid | None = None
    body: LongText | None = None


DATA_MODELS: Final[dict[str, type[_Strict]]] = {
    "market": MarketData,
    "brand": BrandData,
    "campaign": CampaignData,
    "calendar_entry": CalendarEntryData,
    "asset": AssetData,
    "amplification_request": AmplificationRequestData,
    "comment": CommentData,
}
RECORD_TYPES: Final = tuple(DATA_MODELS)
# Types with no market field: every role reads them, only a conductor writes them.
GLOBAL_TYPES: Final = frozenset({"market", "brand", "campaign"})
REQUIRED_ON_CREATE: Final[dict[str, tuple[str, ...]]] = {
    "market": ("code",),
    "brand": ("code",),
    "campaign": ("name",),
    "calendar_entry": ("kind", "starts_at"),
    "asset": ("name", "kind", "sha256"),
    "amplification_request": ("entry_id", "asset_id", "market"),
    "comment": ("target_type", "target_id", "body"),
}
SERVER_SET_FIELDS: Final[dict[str, frozenset[str]]] = {
    "amplification_request": frozenset(
        {"submitted_at", "sla_due_at", "decided_at", "decided_by", "decision_note"}
    ),
}
# Collection fields: their "empty" is [] or {} rather than null.
LIST_FIELDS: Final[dict[str, frozenset[str]]] = {
    t: frozenset(n for n, f in m.model_fields.items() if f.default_factory is list)
    for t, m in DATA_MODELS.items()
}
OBJECT_FIELDS: Final[dict[str, frozenset[str]]] = {
    t: frozenset(
        n
        for n, f in m.model_fields.items()
        if f.default_factory is not None and f.default_factory is not list
    )
    for t, m in DATA_MODELS.items()
}


class RecordError(ValueError):
    """Data that does not fit its record type, with one plain message per field."""

    def __init__(self, record_type: str, problems: dict[str, str]) -> None:
        self.record_type = record_type
        self.problems = problems
        text = "; ".join(f"{field}: {message}" for field, message in problems.items())
        super().__init__(f"{record_type.replace('_', ' ')}: {text}")


def _plain(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "is not a field of this record type"
    if kind == "missing":
        return "is required"
    message = str(error.get("msg", "is not valid"))
    return message.removeprefix("Value error, ")


def validate_data(record_type: str, data: dict[str, Any], *, create: bool) -> dict[str, Any]:
    """Check ``data`` against its type and return it canonical (only the keys given).

    On create, missing fields are filled: collections with empties, the rest with null.
    Raises RecordError with a plain message per field.
    """
    model = DATA_MODELS.get(record_type)
    if model is None:
        raise RecordError(record_type, {"type": f"{record_type!r} is not a record type"})
    if not isinstance(data, dict):
        raise RecordError(record_type, {"data": "must be an object"})
    data = empty_collections(record_type, data)
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        raise RecordError(record_type, _problems(exc)) from None
    full = parsed.model_dump(mode="json")
    _check_required(record_type, data, full, create=create)
    if create:
        return full
    return {name: full[name] for name in data}


def _problems(exc: ValidationError, prefix: tuple[Any, ...] = ()) -> dict[str, str]:
    problems: dict[str, str] = {}
    for error in exc.errors():
        loc = ".".join(str(p) for p in error["loc"][len(prefix) :]) or "data"
        problems.setdefault(loc, _plain(dict(error)))
    return problems


def _check_required(
    record_type: str, data: dict[str, Any], full: dict[str, Any], *, create: bool
) -> None:
    missing = {
        name: "is required"
        for name in REQUIRED_ON_CREATE[record_type]
        if (create and full.get(name) is None) or (name in data and data[name] is None)
    }
    if missing:
        raise RecordError(record_type, missing)


def empty_collections(record_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """A null list or object means empty (PROTOCOL.md), also for the lists inside objects."""
    fixed: dict[str, Any] | None = None
    for name, empty in _COLLECTIONS[record_type]:
        if name in data and data[name] is None:
            fixed = fixed if fixed is not None else dict(data)
            fixed[name] = empty()
    for name, inner in _NESTED_LISTS[record_type]:
        value = data.get(name)
        if isinstance(value, dict) and any(value.get(k, 0) is None for k in inner):
            fixed = fixed if fixed is not None else dict(data)
            fixed[name] = {**value, **{k: [] for k in inner if value.get(k, 0) is None}}
    return data if fixed is None else fixed


def validate_many(record_type: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``validate_data(..., create=True)`` for many records of one type in one pydantic call
    (a pulled page); raises RecordError naming the first bad record's fields."""
    adapter = _LIST_ADAPTERS[record_type]
    prepared = items
    try:
        parsed = adapter.validate_python(prepared)
    except ValidationError:
        # Null lists are allowed (they mean empty) but rare: fix them only when needed.
        prepared = [empty_collections(record_type, d) if isinstance(d, dict) else d for d in items]
        try:
            parsed = adapter.validate_python(prepared)
        except ValidationError as exc:
            first = exc.errors()[0]["loc"][:1]
            raise RecordError(record_type, _problems(exc, first)) from None
    dumped: list[dict[str, Any]] = adapter.dump_python(parsed, mode="json")
    for data, full in zip(prepared, dumped, strict=True):
        _check_required(record_type, data, full, create=True)
    return dumped


_COLLECTIONS: Final[dict[str, tuple[tuple[str, Any], ...]]] = {
    t: tuple(
        (n, f.default_factory) for n, f in m.model_fields.items() if f.default_factory is not None
    )
    for t, m in DATA_MODELS.items()
}
_NESTED_LISTS: Final[dict[str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    t: tuple(
        (n, inner)
        for n, f in m.model_fields.items()
        if isinstance(f.default_factory, type) and issubclass(f.default_factory, BaseModel)
        for inner in [
            tuple(k for k, g in f.default_factory.model_fields.items() if g.default_factory is list)
        ]
        if inner
    )
    for t, m in DATA_MODELS.items()
}
_LIST_ADAPTERS: Final[dict[str, TypeAdapter[list[Any]]]] = {
    t: TypeAdapter(list[m])  # type: ignore[valid-type]
    for t, m in DATA_MODELS.items()
}


def empty_data(record_type: str) -> dict[str, Any]:
    """Every field of the type at its empty value (null, [] or {})."""
    return DATA_MODELS[record_type]().model_dump(mode="json")
