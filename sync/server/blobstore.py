"""Blob files on disk: ``<blob dir>/ab/cd/<sha256>``, written to a temporary file, fsynced and
renamed into place, so a half-written blob is never visible. Thumbnails are made on first ask
and cached beside them (``thumbs/ab/cd/<sha256>.jpg`` or ``.png``).

Every path is built only from a validated lower-case hex digest or upload id.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from PIL import Image, ImageOps

SHA256: Final = re.compile(r"^[0-9a-f]{64}$")
UPLOAD_ID: Final = re.compile(r"^[0-9a-f]{32}$")
READ_SIZE: Final = 1024 * 1024


def _checked(pattern: re.Pattern[str], text: str) -> str:
    if not pattern.fullmatch(text):
        raise ValueError(f"{text!r} is not a valid name here")
    return text


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(READ_SIZE):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class BlobStore:
    """The blob directory; safe to share between threads and processes."""

    def __init__(self, root: Path, *, thumbnail_px: int = 512) -> None:
        self.root = Path(root)
        self.thumbnail_px = thumbnail_px
        for sub in ("tmp", "uploads", "thumbs"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        sha = _checked(SHA256, sha256)
        return self.root / sha[:2] / sha[2:4] / sha

    def part_path(self, upload_id: str) -> Path:
        return self.root / "uploads" / f"{_checked(UPLOAD_ID, upload_id)}.part"

    def _thumb_base(self, sha256: str) -> Path:
        sha = _checked(SHA256, sha256)
        return self.root / "thumbs" / sha[:2] / sha[2:4] / sha

    def temp_path(self) -> Path:
        return self.root / "tmp" / f"{secrets.token_hex(16)}.tmp"

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def adopt(self, source: Path, sha256: str) -> None:
        """Move a complete, verified file into the store (fsync, then atomic rename)."""
        target = self.path(sha256)
        with source.open("rb") as handle:
            os.fsync(handle.fileno())
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        fsync_dir(target.parent)

    def put(self, sha256: str, data: bytes) -> None:
        """Store ``data`` (whose digest the caller has checked) unless it is there already."""
        if self.exists(sha256):
            return
        temp = self.temp_path()
        with temp.open("wb") as handle:
            handle.write(data)
        self.adopt(temp, sha256)

    def read_range(self, sha256: str, start: int, end: int) -> Iterator[bytes]:
        """Bytes ``start`` to ``end`` inclusive, in pieces."""
        with self.path(sha256).open("rb") as handle:
            handle.seek(start)
            left = end - start + 1
            while left > 0:
                chunk = handle.read(min(READ_SIZE, left))
                if not chunk:
                    return
                left -= len(chunk)
                yield chunk

    def thumbnail(self, sha256: str) -> tuple[Path, str] | None:
        """The cached thumbnail (path, media type), made now if needed; None if the blob is not
        an image Pillow can read."""
        base = self._thumb_base(sha256)
        for suffix, media in ((".jpg", "image/jpeg"), (".png", "image/png")):
            if base.with_suffix(suffix).is_file():
                return base.with_suffix(suffix), media
        if base.with_suffix(".none").is_file() or not self.exists(sha256):
            return None
        made = self.make_thumbnail(sha256)
        if made is None:
            base.parent.mkdir(parents=True, exist_ok=True)
            base.with_suffix(".none").touch()
        return made

    def make_thumbnail(self, sha256: str) -> tuple[Path, str] | None:
        base = self._thumb_base(sha256)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(self.path(sha256)) as opened:
                    opened.draft("RGB", (self.thumbnail_px, self.thumbnail_px))
                    image = ImageOps.exif_transpose(opened)
                    image.thumbnail((self.thumbnail_px, self.thumbnail_px))
                    alpha = image.mode in ("RGBA", "LA", "PA") or (
                        image.mode == "P" and "transparency" in image.info
                    )
                    image = image.convert("RGBA" if alpha else "RGB")
                    temp = self.temp_path()
                    if alpha:
                        image.save(temp, "PNG", optimize=True)
                    else:
                        image.save(temp, "JPEG", quality=85)
        except (
            OSError,
            ValueError,
            SyntaxError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ):
            return None
        suffix, media = (".png", "image/png") if alpha else (".jpg", "image/jpeg")
        target = base.with_suffix(suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, target)
        return target, media
