"""Blob reads and resumable uploads (PROTOCOL.md, Blobs), over ``BlobStore`` and the database.

A blob is readable by its uploader and by whoever can read a live asset naming it; anyone else
gets 404, as if it were absent. An upload writes chunks at the offset the database holds, moves
that offset only after the chunk is on disk, and on ``complete`` verifies size and SHA-256 before
the file is renamed into the store.

Threading contract: plain functions run on request worker threads; each opens its own transactions.
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import and_, delete, exists, select, update

from desktop.domain.values import format_time
from sync.server import access
from sync.server.auth import User
from sync.server.blobstore import BlobStore, file_sha256
from sync.server.config import Settings
from sync.server.db import Database, insert_ignore
from sync.server.errors import ApiError, not_found
from sync.server.models import blobs, records, uploads

_HEX64: Final = re.compile(r"^[0-9a-fA-F]{64}$")
_RANGE: Final = re.compile(r"^bytes=(\d*)-(\d*)$")


def checked_sha256(text: str) -> str:
    """The path's digest in lower case; anything but 64 hex digits is a 400."""
    if not _HEX64.fullmatch(text):
        raise ApiError(400, "invalid_sha256", "A blob is named by its SHA-256: 64 hex digits.")
    return text.lower()


def _no_upload() -> ApiError:
    return not_found("There is no such upload; start it again with POST /v1/uploads.")


def _no_blob() -> ApiError:
    return not_found("There is no such file, or you cannot read it.")


@dataclass(frozen=True)
class BlobInfo:
    sha256: str
    size: int
    mime: str


def readable_blob(db: Database, store: BlobStore, user: User, sha256: str) -> BlobInfo:
    """The blob if ``user`` may read it, else 404 (existence does not leak)."""
    with db.read() as connection:
        row = connection.execute(select(blobs).where(blobs.c.sha256 == sha256)).first()
        if row is None:
            raise _no_blob()
        if row.uploaded_by != user.id:
            named = and_(
                records.c.sha256 == sha256,
                records.c.type == "asset",
                records.c.deleted.is_(False),
            )
            clause = access.readable_clause(user)
            if clause is not None:
                named = and_(named, clause)
            if not connection.execute(select(exists().where(named))).scalar():
                raise _no_blob()
    if not store.exists(sha256):
        raise _no_blob()
    return BlobInfo(sha256=row.sha256, size=int(row.size), mime=row.mime)


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive byte range asked for, or None for the whole blob. A header that is not one
    simple range is ignored (RFC 9110); a range that starts past the end is a 416."""
    if not header:
        return None
    match = _RANGE.fullmatch(header.strip())
    if match is None or (not match.group(1) and not match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if not first:  # suffix: the last N bytes
        length = int(last)
        if length == 0:
            raise _unsatisfiable(size)
        return max(0, size - length), size - 1
    start = int(first)
    end = size - 1 if not last else min(int(last), size - 1)
    if start >= size or (last and int(last) < start):
        raise _unsatisfiable(size)
    return start, end


def _unsatisfiable(size: int) -> ApiError:
    return ApiError(
        416,
        "range_not_satisfiable",
        f"The range asked for is outside the file, which has {size} bytes.",
        details={"size": size},
        headers={"Content-Range": f"bytes */{size}"},
    )


# --- uploads --------------------------------------------------------------------------------


def start_upload(
    db: Database,
    store: BlobStore,
    settings: Settings,
    user: User,
    *,
    sha256: str,
    size: int,
    filename: str,
    mime: str,
    now: datetime,
) -> str | None:
    """A new upload's id, or None when the server holds this blob already."""
    if size > settings.max_blob_bytes:
        raise ApiError(
            413,
            "too_large",
            f"A file may have at most {settings.max_blob_bytes} bytes.",
            details={"max_bytes": settings.max_blob_bytes},
        )
    with db.write() as connection:
        held = connection.execute(select(blobs.c.sha256).where(blobs.c.sha256 == sha256)).first()
        if held is not None and store.exists(sha256):
            return None
        upload_id = uuid.uuid4().hex
        store.part_path(upload_id).touch()
        connection.execute(
            uploads.insert().values(
                id=upload_id,
                user_id=user.id,
                sha256=sha256,
                size=size,
                filename=filename,
                mime=mime or "application/octet-stream",
                offset=0,
                created_at=format_time(now),
                updated_at=format_time(now),
            )
        )
    return upload_id


def _upload(db: Database, user: User, upload_id: str) -> Any:
    if not re.fullmatch(r"[0-9a-f]{32}", upload_id):
        raise _no_upload()
    with db.read() as connection:
        row = connection.execute(
            select(uploads).where(and_(uploads.c.id == upload_id, uploads.c.user_id == user.id))
        ).first()
    if row is None:
        raise _no_upload()
    return row


def _offset_mismatch(actual: int, message: str) -> ApiError:
    return ApiError(409, "offset_mismatch", message, details={"offset": actual})


def upload_offset(db: Database, user: User, upload_id: str) -> int:
    return int(_upload(db, user, upload_id).offset)


def put_chunk(
    db: Database,
    store: BlobStore,
    user: User,
    upload_id: str,
    *,
    offset: int,
    chunk: bytes,
    now: datetime,
) -> int:
    """Write one chunk at ``offset``; returns the new offset."""
    row = _upload(db, user, upload_id)
    if offset != row.offset:
        raise _offset_mismatch(
            int(row.offset), f"The server has {row.offset} bytes of this upload; send from there."
        )
    end = offset + len(chunk)
    if end > row.size:
        raise ApiError(
            413,
            "too_large",
            f"This chunk goes past the {row.size} bytes the upload was started with.",
            details={"size": int(row.size)},
        )
    if not chunk:
        return offset
    path = store.part_path(upload_id)
    with path.open("r+b" if path.exists() else "wb") as handle:
        handle.seek(offset)
        handle.write(chunk)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())
    with db.write() as connection:
        moved = connection.execute(
            update(uploads)
            .where(and_(uploads.c.id == upload_id, uploads.c.offset == offset))
            .values(offset=end, updated_at=format_time(now))
        ).rowcount
        if moved != 1:
            actual = connection.execute(
                select(uploads.c.offset).where(uploads.c.id == upload_id)
            ).scalar()
            if actual is None:
                raise _no_upload()
            raise _offset_mismatch(int(actual), "Another request moved this upload meanwhile.")
    return end


def complete_upload(
    db: Database, store: BlobStore, user: User, upload_id: str, *, now: datetime
) -> str:
    """Verify the upload and move it into the store; returns its SHA-256."""
    row = _upload(db, user, upload_id)
    if row.offset < row.size:
        raise _offset_mismatch(
            int(row.offset),
            f"The upload has {row.offset} of its {row.size} bytes; send the rest first.",
        )
    part = store.part_path(upload_id)
    if part.exists():
        digest, size = file_sha256(part)
        if digest != row.sha256 or size != row.size:
            _drop_upload(db, store, upload_id)
            raise ApiError(
                422,
                "hash_mismatch",
                "The bytes received do not match the SHA-256 given; upload the file again.",
                details={"expected": row.sha256, "actual": digest, "size": size},
            )
        store.adopt(part, row.sha256)
    elif not store.exists(row.sha256):
        # The bytes were lost (a crash before they reached the disk): start over.
        with db.write() as connection:
            connection.execute(update(uploads).where(uploads.c.id == upload_id).values(offset=0))
        raise _offset_mismatch(0, "The server lost this upload's bytes; send them again.")
    with db.write() as connection:
        insert_ignore(
            connection,
            blobs,
            [
                {
                    "sha256": row.sha256,
                    "size": int(row.size),
                    "mime": row.mime,
                    "uploaded_by": user.id,
                    "created_at": format_time(now),
                }
            ],
        )
        connection.execute(delete(uploads).where(uploads.c.id == upload_id))
    return str(row.sha256)


def _drop_upload(db: Database, store: BlobStore, upload_id: str) -> None:
    with db.write() as connection:
        connection.execute(delete(uploads).where(uploads.c.id == upload_id))
    store.part_path(upload_id).unlink(missing_ok=True)
