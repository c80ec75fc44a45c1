"""Files on disk: full blobs and thumbnails, addressed by SHA-256, written atomically.

Layout under the data folder: ``blobs/ab/<sha256>`` and ``thumbs/ab/<sha256>.img``. A file is
written to ``<name>.part``, fsynced and renamed, so a half-written file is never taken for whole.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class FileStoreError(ValueError):
    """A file could not be stored; the message says why and what to do."""


def check_sha(sha256: str) -> str:
    if not SHA256_HEX.match(sha256):
        raise FileStoreError(f"{sha256!r} is not a SHA-256 in lower-case hex")
    return sha256


def sha256_file(path: Path, chunk: int = 1024 * 1024) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def fsync_dir(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class BlobFiles:
    """The blob and thumbnail folders of one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir)

    def blob_path(self, sha256: str) -> Path:
        check_sha(sha256)
        return self.root / "blobs" / sha256[:2] / sha256

    def thumb_path(self, sha256: str) -> Path:
        check_sha(sha256)
        return self.root / "thumbs" / sha256[:2] / f"{sha256}.img"

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def absolute(self, relative: str) -> Path:
        return self.root / relative

    def write(self, dest: Path, chunks: Iterable[bytes], *, expect_sha: str | None = None) -> int:
        """Write ``chunks`` to ``dest`` atomically; with ``expect_sha``, refuse other contents."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        part = dest.with_name(dest.name + ".part")
        digest = hashlib.sha256()
        size = 0
        try:
            with part.open("wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            if expect_sha is not None and digest.hexdigest() != expect_sha:
                raise FileStoreError(
                    f"The file received for {expect_sha[:12]}… is corrupt (its SHA-256 differs)."
                )
            part.replace(dest)
            fsync_dir(dest.parent)
        finally:
            part.unlink(missing_ok=True)
        return size

    def store_copy(self, source: Path, sha256: str) -> Path:
        """Copy an imported file into the blob folder (no-op when already there)."""
        dest = self.blob_path(sha256)
        if dest.exists():
            return dest

        def read() -> Iterable[bytes]:
            with source.open("rb") as handle:
                while block := handle.read(1024 * 1024):
                    yield block

        self.write(dest, read(), expect_sha=sha256)
        return dest
