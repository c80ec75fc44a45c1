"""Importing files from the file manager into the asset bank: all or nothing per drop.

An import has two steps, so the slow part runs off the database thread:

1. ``prepare_import`` (a worker thread; touches no widget and writes no record): expands the
   dropped paths (folders included, at most ``MAX_FILES`` files), then for each file checks it is
   there and not empty, recognises its type from its first bytes (not from its extension), hashes
   it (SHA-256, streamed), opens images with Pillow (an image that cannot be decoded is refused),
   makes a JPEG thumbnail of at most 512 px honouring EXIF orientation, recognises duplicates
   (a file already in the bank, or the same file twice in the drop), names it by the convention
   and copies it into the blob store. It returns an ``ImportPlan``: what will be created, what
   is refused and why, what is already there.
2. ``commit_import`` (the database thread): creates every planned asset with ONE
   ``Workspace.apply`` (one transaction, one undo step) and registers the files in the blob cache
   in that same transaction. If it is refused, nothing is created and the files this drop copied
   are removed again (``discard_import``).

The policy for refused files (decided here): a refusal of the drop as a whole (more than
``MAX_FILES`` files, nothing importable) raises ``ImportRefused`` and nothing happens. Files that
cannot be imported individually (unsupported, empty, vanished, unreadable) are listed in
``ImportPlan.refused``; the app asks the lead whether to import the others without them, and
creates nothing unless the lead agrees. Duplicates are never imported again; they are reported as
"already in the bank as <name>".
"""

from __future__ import annotations

import io
import os
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Final

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import case, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from desktop.domain.values import format_time, utcnow
from desktop.progress import Progress
from desktop.queries.assets import ids_with_sha, names_taken
from desktop.rules.naming import build_name, guess_from_filename, slug
from desktop.services.changes import ChangeSet, RecordEdit
from desktop.services.workspace import Workspace
from desktop.store.db import Store
from desktop.store.files import BlobFiles, FileStoreError
from desktop.store.models import BlobCache, Brand, Campaign

MAX_FILES: Final = 500
MAX_BYTES: Final = 2 * 1024**3  # PROTOCOL.md's largest blob
THUMB_PX: Final = 512
READ_CHUNK: Final = 1024 * 1024
# Pillow refuses images above this many pixels as possible decompression bombs; so do we.
MAX_PIXELS: Final = 180_000_000


class ImportRefused(Exception):  # noqa: N818 - a refusal the lead reads
    """The whole drop was refused; nothing was imported. The message says why and what to do."""


@dataclass(frozen=True)
class FileType:
    kind: str  # image | video | document
    mime: str
    label: str


def sniff(head: bytes) -> FileType | None:
    """The file's type from its first bytes; None for anything the asset bank does not hold."""
    if head.startswith(b"\xff\xd8\xff"):
        return FileType("image", "image/jpeg", "JPEG image")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType("image", "image/png", "PNG image")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return FileType("image", "image/gif", "GIF image")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileType("image", "image/webp", "WebP image")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return FileType("image", "image/tiff", "TIFF image")
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return FileType("video", "video/x-msvideo", "AVI video")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return FileType("video", "video/quicktime", "QuickTime video")
        return FileType("video", "video/mp4", "MP4 video")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return FileType("video", "video/webm", "WebM video")
    if head.startswith(b"%PDF-"):
        return FileType("document", "application/pdf", "PDF document")
    return None


@dataclass(frozen=True)
class ImportDefaults:
    """What a name does not say, from the lead and the asset bank's current facet selection."""

    market: str  # the lead's market the files are for (a section lead cannot add masters)
    markets: tuple[str, ...]  # every market the lead may write
    brand: str | None = None
    campaign_id: str | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()
    day: date | None = None  # the name's date when the file name has none (default: today)


@dataclass(frozen=True)
class Refused:
    path: str
    reason: str

    def line(self) -> str:
        return f"{Path(self.path).name}: {self.reason}"


@dataclass(frozen=True)
class Duplicate:
    path: str
    asset_id: str | None  # the asset already holding it (None: another file of this drop)
    name: str

    def line(self) -> str:
        where = "already in the bank as" if self.asset_id else "the same file as"
        return f"{Path(self.path).name}: {where} {self.name}"


@dataclass(frozen=True)
class PlannedAsset:
    path: str
    asset_id: str
    sha256: str
    size: int
    blob_path: str  # relative to the data folder
    thumbnail_path: str | None
    data: dict[str, Any]


@dataclass
class ImportPlan:
    """What a drop will do. ``created_files`` are the files this plan put into the blob store
    (removed again by ``discard_import`` when the drop is not committed)."""

    items: list[PlannedAsset] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    created_files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{len(self.items)} to import"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} already in the bank")
        if self.refused:
            parts.append(f"{len(self.refused)} cannot be imported")
        return ", ".join(parts)


@dataclass(frozen=True)
class ImportResult:
    changeset: ChangeSet
    asset_ids: list[str]
    names: list[str]


# --- step 0: what was dropped ---------------------------------------------------------------


def expand_paths(paths: Iterable[str | os.PathLike[str]], *, limit: int = MAX_FILES) -> list[Path]:
    """The files of a drop: files as given, folders walked (hidden entries skipped), in order.

    Raises ImportRefused above ``limit`` files (counting stops there, so a folder of a million
    files is refused at once) or when a dropped folder cannot be read."""
    found: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        if path in seen:
            return
        seen.add(path)
        found.append(path)
        if len(found) > limit:
            raise ImportRefused(
                f"That drop holds more than {limit} files. Section Desk imports at most {limit} "
                "at a time so nothing is half-imported; drop a smaller folder or a selection."
            )

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            try:
                for root, dirs, files in os.walk(path, onerror=_raise):
                    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                    for name in sorted(files):
                        if not name.startswith("."):
                            add(Path(root) / name)
            except OSError as exc:
                raise ImportRefused(
                    f"The folder {path.name} could not be read ({exc.strerror or exc}); "
                    "nothing was imported."
                ) from exc
        else:
            add(path)
    return found


def _raise(error: OSError) -> None:
    raise error


# --- step 1: prepare (worker thread) --------------------------------------------------------


@dataclass(frozen=True)
class _Probe:
    sha256: str
    size: int
    type: FileType
    width: int | None
    height: int | None
    thumbnail: bytes | None


def _hash_and_sniff(path: Path, progress: Progress) -> tuple[str, int, bytes]:
    import hashlib

    digest = hashlib.sha256()
    size = 0
    head = b""
    with path.open("rb") as handle:
        while block := handle.read(READ_CHUNK):
            if not head:
                head = block[:32]
            digest.update(block)
            size += len(block)
            progress.check()
    return digest.hexdigest(), size, head


def _image_info(path: Path) -> tuple[int, int, bytes]:
    """Width and height as shown (after EXIF orientation) and a JPEG thumbnail."""
    with Image.open(path) as opened:
        width, height = opened.size
        if width * height > MAX_PIXELS:
            raise ValueError(f"it is too large ({width} × {height} pixels)")
        if opened.getexif().get(0x0112) in (5, 6, 7, 8):  # rotated a quarter turn
            width, height = height, width
        opened.draft("RGB", (THUMB_PX, THUMB_PX))
        image = ImageOps.exif_transpose(opened) or opened
        image.load()
        thumb = image.convert("RGB") if image.mode != "RGB" else image.copy()
    thumb.thumbnail((THUMB_PX, THUMB_PX))
    out = io.BytesIO()
    thumb.save(out, "JPEG", quality=85)
    return width, height, out.getvalue()


def probe_file(path: Path, progress: Progress | None = None) -> _Probe:
    """Hash, type and (for images) size and thumbnail of one file. Raises ``FileStoreError`` with
    the plain reason when the file cannot be imported."""
    progress = progress or Progress()
    try:
        if not path.is_file():
            if path.exists():
                raise FileStoreError("it is not a regular file")
            raise FileStoreError("it is no longer there (moved or deleted since it was dropped)")
        sha, size, head = _hash_and_sniff(path, progress)
    except FileNotFoundError:
        raise FileStoreError(
            "it is no longer there (moved or deleted since it was dropped)"
        ) from None
    except PermissionError:
        raise FileStoreError("you do not have permission to read it") from None
    except IsADirectoryError:
        raise FileStoreError("it is not a regular file") from None
    if size == 0:
        raise FileStoreError("it is empty")
    if size > MAX_BYTES:
        raise FileStoreError("it is larger than 2 GB, the largest file the bank holds")
    kind = sniff(head)
    if kind is None:
        raise FileStoreError(
            "it is not an image, video or PDF that the asset bank holds "
            "(JPEG, PNG, GIF, WebP, TIFF, MP4, MOV, WebM, AVI, PDF)"
        )
    width = height = None
    thumbnail = None
    if kind.kind == "image":
        try:
            width, height, thumbnail = _image_info(path)
        except Image.DecompressionBombError:
            raise FileStoreError("it is too large to open safely") from None
        except FileNotFoundError:
            raise FileStoreError(
                "it is no longer there (moved or deleted since it was dropped)"
            ) from None
        except ValueError as exc:
            raise FileStoreError(str(exc)) from None
        except (UnidentifiedImageError, OSError, SyntaxError):
            raise FileStoreError(
                f"it looks like a {kind.label} but the picture cannot be read; it may be damaged"
            ) from None
    return _Probe(sha, size, kind, width, height, thumbnail)


@dataclass(frozen=True)
class _Names:
    brands: dict[str, str]  # brand code -> code
    campaigns: dict[str, tuple[str, str | None]]  # campaign slug -> (id, brand)
    campaign_slugs: dict[str, str]  # campaign id -> slug


def _lookups(session: Session) -> _Names:
    brands = {
        str(code): str(code)
        for (code,) in session.execute(select(Brand.code).where(Brand.deleted.is_(False)))
    }
    campaigns: dict[str, tuple[str, str | None]] = {}
    slugs: dict[str, str] = {}
    for cid, name, brand in session.execute(
        select(Campaign.id, Campaign.name, Campaign.brand).where(Campaign.deleted.is_(False))
    ):
        key = slug(name or "")
        if key:
            campaigns[key] = (cid, brand)
            slugs[cid] = key
    return _Names(brands, campaigns, slugs)


def _title(path: Path) -> str:
    stem = path.stem
    words = re.sub(r"[_\-.]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def plan_name(
    filename: str, defaults: ImportDefaults, names: _Names, *, today: date
) -> dict[str, Any]:
    """The asset's name, market, brand and campaign from its file name, else from ``defaults``.

    A name following the convention is kept (its market swapped for the lead's market when it
    names another one, since a lead can only add assets to their own markets)."""
    guess = guess_from_filename(filename, brands=list(names.brands), markets=list(defaults.markets))
    market = guess["market"] if guess["market"] in defaults.markets else defaults.market
    campaign_part: str | None = guess["campaign"]
    variant: str | None = guess["variant"]
    campaign_id = defaults.campaign_id
    brand = guess["brand"] or defaults.brand
    if guess["name"] is not None and campaign_part in names.campaigns:
        campaign_id, campaign_brand = names.campaigns[campaign_part]
        brand = brand or campaign_brand
    elif guess["name"] is None:
        # Not conventional: the words left over are this file's variant within the campaign.
        found = next((s for s in names.campaigns if campaign_part and s in campaign_part), None)
        if found is not None:
            campaign_id = names.campaigns[found][0]
            rest = (campaign_part or "").replace(found, "").strip("-")
            variant = slug(rest) or None
        else:
            variant = campaign_part
        campaign_part = names.campaign_slugs.get(campaign_id or "", None)
        if campaign_id and not brand:
            brand = next((b for s, (i, b) in names.campaigns.items() if i == campaign_id), None)
    brand = brand or next(iter(sorted(names.brands)), None) or "brand"
    day = guess["day"] or defaults.day or today
    name = build_name(
        brand=brand,
        market=market,
        day=day,
        campaign=campaign_part or "import",
        variant=variant or "v1",
    )
    return {"name": name, "market": market, "brand": brand, "campaign_id": campaign_id}


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or with ``-2``, ``-3``, ... on its variant when an asset already has it."""
    if name not in taken:
        return name
    head, variant = name.rsplit("_", 1)
    number = 2
    while f"{head}_{variant}-{number}" in taken:
        number += 1
    return f"{head}_{variant}-{number}"


def prepare_import(
    store: Store,
    files: BlobFiles,
    paths: Sequence[str | os.PathLike[str]],
    *,
    defaults: ImportDefaults,
    progress: Progress | None = None,
    today: date | None = None,
) -> ImportPlan:
    """Step 1 of an import (see the module). Runs on a worker thread; writes no record.

    Raises ImportRefused when the drop as a whole cannot be imported, ``Cancelled`` when the lead
    cancels (files already copied are removed)."""
    progress = progress or Progress()
    day = today or utcnow().date()
    found = expand_paths(paths)
    if not found:
        raise ImportRefused("That drop holds no files; nothing was imported.")
    plan = ImportPlan()
    probes: list[tuple[Path, _Probe]] = []
    total = len(found)
    try:
        for number, path in enumerate(found):
            progress.check()
            progress.report(f"Reading {path.name}", number, total)
            try:
                probes.append((path, probe_file(path, progress)))
            except FileStoreError as exc:
                plan.refused.append(Refused(str(path), str(exc)))
        with store.read() as session:
            existing = ids_with_sha(session, [p.sha256 for _, p in probes])
            names = _lookups(session)
        seen: dict[str, str] = {}
        wanted: list[tuple[Path, _Probe, dict[str, Any]]] = []
        for path, probe in probes:
            if probe.sha256 in existing:
                asset_id, name = existing[probe.sha256]
                plan.duplicates.append(Duplicate(str(path), asset_id, name))
                continue
            if probe.sha256 in seen:
                plan.duplicates.append(Duplicate(str(path), None, seen[probe.sha256]))
                continue
            seen[probe.sha256] = path.name
            wanted.append((path, probe, plan_name(path.name, defaults, names, today=day)))
        with store.read() as session:
            taken = names_taken(session, [w[2]["name"] for w in wanted])
        for number, (path, probe, naming) in enumerate(wanted):
            progress.check()
            progress.report(f"Copying {path.name}", number, len(wanted))
            naming["name"] = _unique(naming["name"], taken)
            taken.add(naming["name"])
            try:
                blob, thumb = _store_files(files, path, probe, plan)
            except (FileStoreError, OSError) as exc:
                reason = (
                    "it changed or vanished while it was being imported"
                    if isinstance(exc, FileStoreError | FileNotFoundError)
                    else f"it could not be copied ({getattr(exc, 'strerror', None) or exc})"
                )
                plan.refused.append(Refused(str(path), reason))
                continue
            plan.items.append(
                PlannedAsset(
                    path=str(path),
                    asset_id=str(uuid.uuid4()),
                    sha256=probe.sha256,
                    size=probe.size,
                    blob_path=blob,
                    thumbnail_path=thumb,
                    data={
                        **naming,
                        "title": _title(path),
                        "kind": probe.type.kind,
                        "sha256": probe.sha256,
                        "size": probe.size,
                        "mime": probe.type.mime,
                        "width": probe.width,
                        "height": probe.height,
                        "language": defaults.language,
                        "tags": list(defaults.tags),
                        "status": "draft",
                    },
                )
            )
        progress.report("Ready to import", total, total, force=True)
    except BaseException:
        discard_import(files, plan)
        raise
    if not plan.items and not plan.duplicates:
        discard_import(files, plan)
        lines = "; ".join(r.line() for r in plan.refused[:5])
        more = f" (and {len(plan.refused) - 5} more)" if len(plan.refused) > 5 else ""
        raise ImportRefused(f"Nothing was imported: {lines}{more}.")
    return plan


def _store_files(
    files: BlobFiles, path: Path, probe: _Probe, plan: ImportPlan
) -> tuple[str, str | None]:
    blob = files.blob_path(probe.sha256)
    if not blob.exists():
        files.store_copy(path, probe.sha256)
        plan.created_files.append(files.relative(blob))
    thumb_rel = None
    if probe.thumbnail is not None:
        thumb = files.thumb_path(probe.sha256)
        if not thumb.exists():
            files.write(thumb, [probe.thumbnail])
            plan.created_files.append(files.relative(thumb))
        thumb_rel = files.relative(thumb)
    return files.relative(blob), thumb_rel


def discard_import(files: BlobFiles, plan: ImportPlan) -> None:
    """Remove the files a plan copied into the blob store (the drop was not committed)."""
    for relative in plan.created_files:
        files.absolute(relative).unlink(missing_ok=True)
    plan.created_files.clear()


def without_refused(plan: ImportPlan) -> ImportPlan:
    """The plan the lead agreed to: the importable files only (refusals are left out)."""
    return replace(plan, refused=[])


# --- step 2: commit (database thread) -------------------------------------------------------


def register_blobs(session: Session, items: Iterable[PlannedAsset]) -> None:
    """Record imported files as held in full (with their thumbnails) in the blob cache."""
    now = format_time(utcnow())
    rows = [
        {
            "sha256": item.sha256,
            "size": item.size,
            "state": "full",
            "path": item.blob_path,
            "thumbnail_path": item.thumbnail_path,
            "last_used_at": now,
        }
        for item in items
    ]
    if not rows:
        return
    statement = insert(BlobCache)
    statement = statement.on_conflict_do_update(
        index_elements=[BlobCache.sha256],
        set_={
            "size": statement.excluded.size,
            "path": statement.excluded.path,
            "thumbnail_path": statement.excluded.thumbnail_path,
            "last_used_at": statement.excluded.last_used_at,
            # A pinned file stays pinned; anything less becomes "held in full".
            "state": case((BlobCache.state == "pinned", "pinned"), else_=statement.excluded.state),
        },
    )
    session.execute(statement, rows)


def commit_import(ws: Workspace, files: BlobFiles, plan: ImportPlan) -> ImportResult:
    """Step 2: create every planned asset as one undoable step, or nothing at all."""
    if not plan.items:
        raise ImportRefused("There is nothing left to import in that drop.")
    count = len(plan.items)
    label = f"Import {plan.items[0].data['name']}" if count == 1 else f"Import {count} files"
    edits = [
        RecordEdit("asset", item.asset_id, fields=item.data, create=True) for item in plan.items
    ]
    try:
        changeset = ws.apply(
            edits, label=label, also=lambda session: register_blobs(session, plan.items)
        )
    except BaseException:
        discard_import(files, plan)
        raise
    return ImportResult(
        changeset,
        [item.asset_id for item in plan.items],
        [str(item.data["name"]) for item in plan.items],
    )


def import_file_blob(
    store: Store, files: BlobFiles, path: Path, *, progress: Progress | None = None
) -> dict[str, Any]:
    """Put one file into the blob store and the blob cache without creating an asset (a local
    file or crop for an adaptation). Returns the asset fields it gives: sha256, size, mime, kind,
    width, height. Raises FileStoreError with the plain reason when it cannot be used."""
    probe = probe_file(path, progress)
    plan = ImportPlan()
    blob, thumb = _store_files(files, path, probe, plan)
    item = PlannedAsset(str(path), "", probe.sha256, probe.size, blob, thumb, {})
    try:
        with store.write() as session:
            register_blobs(session, [item])
    except BaseException:
        discard_import(files, plan)
        raise
    return {
        "sha256": probe.sha256,
        "size": probe.size,
        "mime": probe.type.mime,
        "kind": probe.type.kind,
        "width": probe.width,
        "height": probe.height,
    }


def crop_image(
    source: Path, box: tuple[float, float, float, float], dest_dir: Path, *, stem: str
) -> Path:
    """Crop an image to ``box`` (left, top, right, bottom as fractions of the picture as shown,
    EXIF orientation applied) into a new JPEG (PNG when it has transparency) in ``dest_dir``.
    Raises FileStoreError when the source cannot be read or the box is empty."""
    left, top, right, bottom = box
    if not (0 <= left < right <= 1 and 0 <= top < bottom <= 1):
        raise FileStoreError("Draw a crop rectangle on the picture first.")
    try:
        with Image.open(source) as opened:
            image = ImageOps.exif_transpose(opened) or opened
            width, height = image.size
            area = (
                round(left * width),
                round(top * height),
                max(round(right * width), round(left * width) + 1),
                max(round(bottom * height), round(top * height) + 1),
            )
            cropped = image.crop(area)
            cropped.load()
    except FileNotFoundError:
        raise FileStoreError("The master's file is not on this computer.") from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise FileStoreError(
            "The master's picture cannot be read, so it cannot be cropped."
        ) from None
    dest_dir.mkdir(parents=True, exist_ok=True)
    alpha = cropped.mode in ("RGBA", "LA", "P")
    dest = dest_dir / f"{slug(stem) or 'crop'}-{uuid.uuid4().hex[:8]}.{'png' if alpha else 'jpg'}"
    if alpha:
        cropped.save(dest, "PNG")
    else:
        cropped.convert("RGB").save(dest, "JPEG", quality=92)
    return dest
