"""Files through sync: resumable uploads before the records that name them, thumbnails in the
background, full files on demand and for pinned campaigns, within the lead's storage budget.

Downloads are checked against their SHA-256, written to a temporary file, fsynced and renamed; a
corrupt download is retried and never kept. Upload progress (upload id and offset) is stored after
every chunk, so a crash or a dropped connection resumes where the server stopped.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain.values import format_time, utcnow
from desktop.progress import Progress
from desktop.store.db import Store
from desktop.store.files import BlobFiles, FileStoreError, check_sha, fsync_dir, sha256_file
from desktop.store.models import Asset, BlobCache, OutboxOp
from sync.client.api import BadAnswer, ServerApi, ServerRefused
from sync.schemas import MAX_CHUNK_BYTES, UploadExists

CHUNK = 4 * 1024 * 1024
assert CHUNK <= MAX_CHUNK_BYTES
DOWNLOAD_ATTEMPTS = 3
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def cache_row(session: Session, sha256: str) -> BlobCache:
    row = session.get(BlobCache, sha256)
    if row is None:
        row = BlobCache(sha256=sha256, state="none")
        session.add(row)
    return row


# --- uploads --------------------------------------------------------------------------------


def shas_to_upload(store: Store) -> list[str]:
    """Files named by pending asset creates or file changes that this install holds."""
    with store.read() as session:
        ids = {
            record_id
            for record_id, fields, base_version in session.execute(
                select(OutboxOp.record_id, OutboxOp.fields, OutboxOp.base_version).where(
                    OutboxOp.record_type == "asset", OutboxOp.state == "pending"
                )
            )
            if base_version is None or "sha256" in fields
        }
        if not ids:
            return []
        shas = set(session.scalars(select(Asset.sha256).where(Asset.id.in_(list(ids)))).all())
        held = session.scalars(
            select(BlobCache.sha256).where(
                BlobCache.sha256.in_(list(shas)), BlobCache.path.is_not(None)
            )
        ).all()
    return sorted(held)


def upload_pending(store: Store, api: ServerApi, files: BlobFiles, *, progress: Progress) -> int:
    """Upload every file a pending change needs; returns how many were sent."""
    shas = shas_to_upload(store)
    sizes = {}
    with store.read() as session:
        for sha in shas:
            row = session.get(BlobCache, sha)
            sizes[sha] = row.size if row and row.size else 0
    total = sum(sizes.values())
    sent_bytes = 0
    uploaded = 0
    for number, sha in enumerate(shas):
        progress.check()
        if api.blob_exists(sha):
            _forget_upload(store, sha)
        else:
            sent_bytes = upload_file(
                store,
                api,
                files,
                sha,
                progress=progress,
                done_before=sent_bytes,
                total=total,
                index=(number, len(shas)),
            )
            uploaded += 1
    return uploaded


def _forget_upload(store: Store, sha256: str) -> None:
    with store.write() as session:
        row = cache_row(session, sha256)
        row.upload_id = None
        row.upload_offset = None


def upload_file(
    store: Store,
    api: ServerApi,
    files: BlobFiles,
    sha256: str,
    *,
    progress: Progress,
    done_before: int = 0,
    total: int | None = None,
    index: tuple[int, int] = (0, 1),
) -> int:
    """Upload one file, resuming a stored upload; returns bytes done including ``done_before``."""
    with store.read() as session:
        row = session.get(BlobCache, sha256)
        if row is None or row.path is None:
            raise FileStoreError(f"The file {sha256[:12]}… is not on this computer any more.")
        path = files.absolute(row.path)
        upload_id, offset = row.upload_id, row.upload_offset or 0
    size = path.stat().st_size
    if upload_id is not None:
        try:
            offset = api.upload_offset(upload_id)
        except ServerRefused as exc:
            if exc.status != 404:
                raise
            upload_id = None  # expired or discarded on the server: start again
    if upload_id is None:
        started = api.start_upload(sha256, size, path.name, _mime_of(store, sha256))
        if isinstance(started, UploadExists):
            _forget_upload(store, sha256)
            return done_before + size
        upload_id, offset = started.upload_id, started.offset
        _remember(store, sha256, upload_id, offset)
    with path.open("rb") as handle:
        while offset < size:
            progress.check()
            handle.seek(offset)
            chunk = handle.read(CHUNK)
            try:
                offset = api.upload_chunk(upload_id, offset, chunk)
            except ServerRefused as exc:
                if exc.code != "offset_mismatch":
                    raise
                offset = int(exc.details.get("offset", api.upload_offset(upload_id)))
            _remember(store, sha256, upload_id, offset)
            progress.report(
                f"Uploading file {index[0] + 1} of {index[1]}",
                index[0],
                index[1],
                bytes_done=done_before + offset,
                bytes_total=total or size,
            )
    try:
        api.complete_upload(upload_id)
    except ServerRefused as exc:
        _forget_upload(store, sha256)
        if exc.code == "hash_mismatch":
            raise FileStoreError(
                f"The file {path.name} changed on disk since it was imported; import it again."
            ) from exc
        raise
    _forget_upload(store, sha256)
    return done_before + size


def _remember(store: Store, sha256: str, upload_id: str, offset: int) -> None:
    with store.write() as session:
        row = cache_row(session, sha256)
        row.upload_id = upload_id
        row.upload_offset = offset


def _mime_of(store: Store, sha256: str) -> str:
    with store.read() as session:
        mime = session.scalar(select(Asset.mime).where(Asset.sha256 == sha256).limit(1))
    return mime or "application/octet-stream"


# --- downloads ------------------------------------------------------------------------------


def _download_to(api: ServerApi, sha256: str, dest: Path) -> None:
    """Download into ``dest.part`` (resuming a partial one with a Range request), verify the
    SHA-256, fsync and rename. A corrupt result is deleted and FileStoreError raised."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    offset = part.stat().st_size if part.exists() else 0
    status, chunks = api.download(sha256, offset=offset)
    mode = "ab" if offset and status == 206 else "wb"
    with part.open(mode) as handle:
        for chunk in chunks:
            handle.write(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    if sha256_file(part)[0] != sha256:
        part.unlink(missing_ok=True)
        raise FileStoreError(f"The file {sha256[:12]}… arrived corrupt.")
    part.replace(dest)
    fsync_dir(dest.parent)


def download_blob(
    store: Store, api: ServerApi, files: BlobFiles, sha256: str, *, state: str = "full"
) -> Path:
    """Fetch a full file (verified by its SHA-256) and record it in the cache index."""
    check_sha(sha256)
    dest = files.blob_path(sha256)
    if not dest.exists():
        for attempt in range(DOWNLOAD_ATTEMPTS):
            try:
                _download_to(api, sha256, dest)
                break
            except FileStoreError:
                if attempt == DOWNLOAD_ATTEMPTS - 1:
                    raise BadAnswer(
                        f"The file {sha256[:12]}… arrived corrupt {DOWNLOAD_ATTEMPTS} times "
                        "and was not kept. Try again later."
                    ) from None
    size = dest.stat().st_size
    with store.write() as session:
        row = cache_row(session, sha256)
        row.path = files.relative(dest)
        row.size = size
        if row.state != "pinned":
            row.state = state
        row.last_used_at = format_time(utcnow())
    return dest


def fetch_thumbnails(
    store: Store, api: ServerApi, files: BlobFiles, *, progress: Progress, limit: int | None = None
) -> int:
    """Fetch missing thumbnails of every asset; returns how many arrived."""
    with store.read() as session:
        have = set(
            session.scalars(select(BlobCache.sha256).where(BlobCache.thumbnail_path.is_not(None)))
        )
        wanted = [
            sha
            for sha in session.scalars(
                select(Asset.sha256).where(Asset.deleted.is_(False)).distinct()
            )
            if sha not in have
        ]
    if limit is not None:
        wanted = wanted[:limit]
    fetched = 0
    done: list[tuple[str, str]] = []
    for number, sha in enumerate(wanted):
        progress.check()
        progress.report("Fetching thumbnails", number, len(wanted))
        try:
            _status, chunks = api.download(sha, thumbnail=True)
            body = b"".join(chunks)
        except ServerRefused as exc:
            if exc.status == 404:
                continue  # no thumbnail can be made for this file (a document, say)
            raise
        if not body.startswith(IMAGE_MAGIC):
            continue  # not an image: never keep it as one
        dest = files.thumb_path(sha)
        files.write(dest, [body])
        done.append((sha, files.relative(dest)))
        fetched += 1
        if len(done) >= 200:
            _record_thumbs(store, done)
            done = []
    _record_thumbs(store, done)
    progress.report("Fetching thumbnails", len(wanted), len(wanted))
    return fetched


def _record_thumbs(store: Store, done: list[tuple[str, str]]) -> None:
    if not done:
        return
    with store.write() as session:
        for sha, relative in done:
            row = cache_row(session, sha)
            row.thumbnail_path = relative
            if row.state == "none":
                row.state = "thumbnail"


# --- pinned campaigns and the storage budget ------------------------------------------------


def pin_campaign(store: Store, campaign_id: str, *, pinned: bool = True) -> list[str]:
    """Mark a campaign's files to be kept offline; returns the SHA-256s to fetch."""
    with store.write() as session:
        shas = sorted(
            set(
                session.scalars(
                    select(Asset.sha256).where(
                        Asset.campaign_id == campaign_id, Asset.deleted.is_(False)
                    )
                )
            )
        )
        for sha in shas:
            row = cache_row(session, sha)
            if pinned:
                row.state = "pinned"
            elif row.state == "pinned":
                row.state = "full" if row.path else ("thumbnail" if row.thumbnail_path else "none")
    return shas


def download_pinned(store: Store, api: ServerApi, files: BlobFiles, *, progress: Progress) -> int:
    with store.read() as session:
        wanted = [
            row.sha256
            for row in session.scalars(select(BlobCache).where(BlobCache.state == "pinned"))
            if not row.path or not files.absolute(row.path).exists()
        ]
    for number, sha in enumerate(wanted):
        progress.check()
        progress.report("Taking files offline", number, len(wanted))
        download_blob(store, api, files, sha, state="pinned")
    return len(wanted)


def cached_bytes(store: Store) -> int:
    with store.read() as session:
        return int(
            session.scalar(
                select(func.coalesce(func.sum(BlobCache.size), 0)).where(
                    BlobCache.path.is_not(None)
                )
            )
            or 0
        )


def enforce_budget(store: Store, files: BlobFiles, *, budget_bytes: int) -> int:
    """Remove least recently used full files (never pinned ones, never files an unpushed change
    needs) until the cache fits the budget; returns bytes freed."""
    freed = 0
    needed = set(shas_to_upload(store))
    with store.write() as session:
        used = int(
            session.scalar(
                select(func.coalesce(func.sum(BlobCache.size), 0)).where(
                    BlobCache.path.is_not(None)
                )
            )
            or 0
        )
        if used <= budget_bytes:
            return 0
        candidates = session.scalars(
            select(BlobCache)
            .where(BlobCache.state == "full", BlobCache.path.is_not(None))
            .order_by(BlobCache.last_used_at)
        ).all()
        for row in candidates:
            if used - freed <= budget_bytes:
                break
            if row.sha256 in needed or row.path is None:
                continue
            files.absolute(row.path).unlink(missing_ok=True)
            freed += row.size or 0
            row.path = None
            row.state = "thumbnail" if row.thumbnail_path else "none"
    return freed


def blob_state(store: Store, sha256: str) -> dict[str, Any]:
    with store.read() as session:
        row = session.get(BlobCache, sha256)
        if row is None:
            return {"state": "none", "path": None, "thumbnail_path": None}
        return {"state": row.state, "path": row.path, "thumbnail_path": row.thumbnail_path}
