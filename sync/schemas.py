"""The wire format of PROTOCOL.md, defined once for the client and the reference server.

Record ``data`` is validated per type by ``desktop.domain.records`` (the shared definition of the
fields); these models are the envelopes around it. Every model refuses unknown keys.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, with_config
from typing_extensions import TypedDict  # pydantic needs this one on Python 3.11

from desktop.domain.records import RECORD_TYPES, Sha256, Time, Uuid

PROTOCOL_VERSION: Final = 1
MAX_PUSH_BYTES: Final = 16 * 1024 * 1024
MAX_PUSH_CHANGES: Final = 1_000
MAX_PULL_LIMIT: Final = 5_000
DEFAULT_PULL_LIMIT: Final = 1_000
MAX_CHUNK_BYTES: Final = 8 * 1024 * 1024
MAX_BLOB_BYTES: Final = 2 * 1024 * 1024 * 1024

RecordType = Literal[
    "market", "brand", "campaign", "calendar_entry", "asset", "amplification_request", "comment"
]
assert set(RecordType.__args__) == set(RECORD_TYPES)  # type: ignore[attr-defined]
Role = Literal["section_lead", "paid_operator", "compliance", "conductor"]
ROLES: Final = ("section_lead", "paid_operator", "compliance", "conductor")
ResultStatus = Literal["applied", "merged", "conflict", "rejected"]
REJECT_CODES: Final = (
    "forbidden",
    "invalid",
    "read_only_field",
    "blob_missing",
    "rights_not_cleared",
    "embargoed",
    "forbidden_term",
    "legal_note_missing",
    "checklist_incomplete",
    "invalid_transition",
)


class Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- errors ---------------------------------------------------------------------------------


class ErrorBody(Wire):
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorResponse(Wire):
    error: ErrorBody


# --- auth -----------------------------------------------------------------------------------


class TokenRequest(Wire):
    username: Annotated[str, Field(min_length=1, max_length=150)]
    password: Annotated[str, Field(min_length=1, max_length=1024)]
    device_name: Annotated[str, Field(max_length=200)] = ""


class Me(Wire):
    id: Uuid
    username: str
    display_name: str
    role: Role
    markets: list[str]


class TokenResponse(Wire):
    token: str
    expires_at: Time
    user: Me


class Health(Wire):
    status: Literal["ok"]
    protocol: int
    server_time: Time


# --- records, pull and push -----------------------------------------------------------------


class Record(Wire):
    type: RecordType
    id: Uuid
    version: Annotated[int, Field(ge=1)]
    seq: Annotated[int, Field(ge=1)]
    updated_at: Time
    updated_by: str | None
    deleted: bool
    data: dict[str, Any]


class PullResponse(Wire):
    changes: list[Record]
    cursor: str
    has_more: bool
    server_time: Time


# The same two shapes as plain dicts, for the client's hot path: a first sync parses 150,000
# records, and dicts go straight to the store without a dump per record. A test keeps them equal.
@with_config(ConfigDict(extra="forbid"))
class RecordDict(TypedDict):
    type: RecordType
    id: Uuid
    version: Annotated[int, Field(ge=1)]
    seq: Annotated[int, Field(ge=1)]
    updated_at: Time
    updated_by: str | None
    deleted: bool
    data: dict[str, Any]


@with_config(ConfigDict(extra="forbid"))
class PullPage(TypedDict):
    changes: list[RecordDict]
    cursor: str
    has_more: bool
    server_time: Time


PULL_PAGE: Final = TypeAdapter(PullPage)


class Change(Wire):
    """One change of a push. ``type``, ``id`` and ``data`` are checked per change by the server
    (a bad one is that change's ``rejected``/``invalid``), so they are loosely typed here."""

    op_id: Annotated[str, Field(min_length=1, max_length=64)]
    type: str
    id: str
    base_version: Annotated[int, Field(ge=0)] | None = None
    deleted: bool = False
    data: dict[str, Any] = Field(default_factory=dict)


class PushRequest(Wire):
    client_id: Uuid
    batch_id: Uuid
    changes: Annotated[list[Change], Field(max_length=MAX_PUSH_CHANGES)]


class ChangeError(Wire):
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ChangeResult(Wire):
    op_id: str
    status: ResultStatus
    record: Record | None = None
    error: ChangeError | None = None


class PushResponse(Wire):
    results: list[ChangeResult]


# --- blobs ----------------------------------------------------------------------------------


class UploadRequest(Wire):
    sha256: Sha256
    size: Annotated[int, Field(ge=0, le=MAX_BLOB_BYTES)]
    filename: Annotated[str, Field(max_length=255)] = ""
    mime: Annotated[str, Field(max_length=255)] = "application/octet-stream"


class UploadCreated(Wire):
    upload_id: str
    offset: int


class UploadExists(Wire):
    exists: Literal[True]


class UploadOffset(Wire):
    offset: int


class UploadComplete(Wire):
    sha256: Sha256
