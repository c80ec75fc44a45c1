"""Sign-in and the token's home (the keyring only), the ``sectiondesk sync`` command, and files:
thumbnails in the background, campaigns taken offline, the storage budget."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import NoKeyringError, PasswordDeleteError
from sqlalchemy import select

from desktop.progress import Progress
from desktop.store.db import Store
from desktop.store.models import Asset, BlobCache
from sync.client import blobs
from sync.client.api import AuthRequired, ServerApi
from sync.client.auth import SERVICE, TokenStore
from sync.client.engine import SyncEngine
from tests.sync.client.conftest import PASSWORD
from tests.sync.client.helpers import first_id

REPO = Path(__file__).resolve().parents[3]


class MemoryKeyring(KeyringBackend):
    """A real keyring backend (the keyring API), holding secrets in a dict for the test. Not
    viable for keyring's discovery (every subclass registers itself), so it is only ever used
    where a test installs it."""

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("a test-only backend")

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class NoKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("a test-only backend")

    def get_password(self, service: str, username: str) -> str | None:
        raise NoKeyringError("no backend")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NoKeyringError("no backend")

    def delete_password(self, service: str, username: str) -> None:
        raise NoKeyringError("no backend")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield
    keyring.set_keyring(previous)


def test_the_token_lives_in_the_keyring_and_nowhere_else(
    memory_keyring: MemoryKeyring, server: Any, tmp_path: Path
) -> None:
    store = Store(tmp_path / "c")
    tokens = TokenStore()
    SyncEngine(store, tokens=tokens).sign_in(server.url, "lena-t", PASSWORD)
    assert tokens.notice is None
    ((service, entry), token) = next(iter(memory_keyring.secrets.items()))
    assert service == SERVICE and entry == f"lena-t@{server.url}"
    SyncEngine(store, tokens=TokenStore()).sync(thumbnails=False)  # a new run finds it
    store.close()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), f"the token leaked into {path}"


def test_without_a_keyring_the_token_is_kept_in_memory_and_the_lead_is_told(
    no_keyring: None, server: Any, tmp_path: Path
) -> None:
    store = Store(tmp_path / "c")
    tokens = TokenStore()
    engine = SyncEngine(store, tokens=tokens)
    engine.sign_in(server.url, "lena-t", PASSWORD)
    assert tokens.notice is not None and "until you close" in tokens.notice
    assert engine.sync(thumbnails=False).pulled > 0
    assert not SyncEngine(store, tokens=TokenStore()).has_token()  # gone with this run
    store.close()


def test_a_wrong_password_is_said_plainly(server: Any, tmp_path: Path) -> None:
    store = Store(tmp_path / "c")
    with pytest.raises(AuthRequired, match="not accepted"):
        SyncEngine(store, tokens=TokenStore()).sign_in(server.url, "lena-t", "wrong password!")
    store.close()


def test_tls_is_verified_with_an_optional_company_ca_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "company-ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    assert ServerApi("https://hub.example").session.verify is True
    assert ServerApi("https://hub.example", ca_bundle=str(bundle)).session.verify == str(bundle)


def test_a_store_belongs_to_one_account(server: Any, tmp_path: Path) -> None:
    from sync.client.api import SyncError

    store = Store(tmp_path / "c")
    engine = SyncEngine(store, tokens=TokenStore())
    engine.sign_in(server.url, "lena-t", PASSWORD)
    engine.sync(thumbnails=False)
    with pytest.raises(SyncError, match="holds the work of lena-t"):
        engine.sign_in(server.url, "max-t", PASSWORD)
    store.close()


def run_cli(*args: str, password: str | None = PASSWORD) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", "sync", *args],
        check=False,
        input=f"{password}\n" if password is not None else "",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def test_the_sync_command(server: Any, tmp_path: Path) -> None:
    folder = str(tmp_path / "cli")
    missing = run_cli("--data-dir", folder)
    assert missing.returncode == 2 and "--server URL and --user NAME" in missing.stderr
    first = run_cli(
        "--data-dir", folder, "--server", server.url, "--user", "lena-t", "--no-thumbnails"
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Synced: pulled ")
    assert "Receiving changes" in first.stderr
    again = run_cli("--data-dir", folder, "--no-thumbnails")  # remembers server and user
    assert again.returncode == 0 and "pulled 0" in again.stdout
    refused = run_cli(
        "--data-dir",
        str(tmp_path / "other"),
        "--server",
        server.url,
        "--user",
        "lena-t",
        password="not the password",
    )
    assert refused.returncode == 1 and "not accepted" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_thumbnails_arrive_in_the_background_and_the_budget_is_kept(
    make_client: Any, server: Any
) -> None:
    lena = make_client("lena-t")
    lena.sync()
    api = lena.engine.api()
    fetched = blobs.fetch_thumbnails(lena.store, api, lena.engine.files, progress=Progress())
    assert fetched > 0
    with lena.store.read() as session:
        shas = set(session.scalars(select(Asset.sha256).where(Asset.kind == "image")))
        thumbs = {r.sha256: r for r in session.scalars(select(BlobCache))}
    for sha in shas:
        path = lena.engine.files.absolute(thumbs[sha].thumbnail_path)  # type: ignore[arg-type]
        assert path.read_bytes()[:3] in (b"\xff\xd8\xff", b"\x89PN")
    assert blobs.fetch_thumbnails(lena.store, api, lena.engine.files, progress=Progress()) == 0

    campaign = lena.data("asset", first_id(lena, "asset", market="de"))["campaign_id"]
    wanted = blobs.pin_campaign(lena.store, campaign)
    assert wanted and blobs.download_pinned(
        lena.store, api, lena.engine.files, progress=Progress()
    ) == len(wanted)
    other = lena.data("asset", first_id(lena, "asset", market="fr"))["sha256"]
    if other not in wanted:
        blobs.download_blob(lena.store, api, lena.engine.files, other)
    # A budget of one byte frees every full file that is not pinned, and keeps the pinned ones.
    blobs.enforce_budget(lena.store, lena.engine.files, budget_bytes=1)
    for sha in wanted:
        assert blobs.blob_state(lena.store, sha)["state"] == "pinned"
        assert lena.engine.files.blob_path(sha).exists()
    if other not in wanted:
        assert blobs.blob_state(lena.store, other)["state"] == "thumbnail"
        assert not lena.engine.files.blob_path(other).exists()
    api.close()
