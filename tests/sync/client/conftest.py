"""Sync client fixtures: the real reference server on loopback, and clients with own stores."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desktop.services.workspace import Workspace
from desktop.store import records
from desktop.store.db import Store
from sync.client.auth import TokenStore
from sync.client.engine import SyncEngine, SyncSummary, account

PASSWORD = "correct horse battery"


@pytest.fixture
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The client suite talks to servers on SQLite; the server suite covers PostgreSQL."""
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'server.db'}"


@dataclass
class Client:
    """One install of the app: its own store, sync engine and workspace."""

    name: str
    store: Store
    engine: SyncEngine

    @property
    def ws(self) -> Workspace:
        if not hasattr(self, "_ws"):
            actor = account(self.store).actor()
            assert actor is not None
            self._ws = Workspace(self.store, actor=actor)
        return self._ws

    def sync(self, **kwargs: Any) -> SyncSummary:
        return self.engine.sync(thumbnails=kwargs.pop("thumbnails", False), **kwargs)

    def get(self, record_type: str, record_id: str) -> dict[str, Any] | None:
        with self.store.read() as session:
            return records.get(session, record_type, record_id)

    def data(self, record_type: str, record_id: str) -> dict[str, Any]:
        found = self.get(record_type, record_id)
        assert found is not None, f"{record_type} {record_id} is not in {self.name}'s store"
        return found["data"]


TEST_USERS = (
    ("conductor-t", "conductor", ()),
    ("lena-t", "section_lead", ("de", "fr")),
    ("max-t", "section_lead", ("de",)),
    ("paid-t", "paid_operator", ()),
)


@pytest.fixture(scope="session")
def seeded_server_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A server database and blob folder with the demo workspace (small) and the test users,
    made once per session (seeding and password hashing are slow on purpose) and copied per test."""
    from sync.server.auth import save_user
    from sync.server.config import Settings
    from sync.server.db import Database, migrate
    from sync.server.seed import seed_demo

    folder = tmp_path_factory.mktemp("server-template")
    settings = Settings(database_url=f"sqlite:///{folder / 'server.db'}", blob_dir=folder / "blobs")
    database = Database(settings.database_url)
    migrate(database.engine)
    seed_demo(settings, assets=30, entries=40, database=database)
    with database.write() as connection:
        for username, role, markets in TEST_USERS:
            save_user(connection, username=username, role=role, markets=markets, password=PASSWORD)
    database.dispose()  # the last connection to close checkpoints the WAL into the file
    return folder / "server.db", folder / "blobs"


@pytest.fixture
def server(
    live_server: Callable[..., Any], seeded_server_template: tuple[Path, Path], tmp_path: Path
) -> Any:
    """A running server with its own copy of the seeded template."""
    db_file, blob_dir = seeded_server_template
    copy = tmp_path / "server"
    copy.mkdir()
    shutil.copy(db_file, copy / "server.db")
    shutil.copytree(blob_dir, copy / "blobs")
    return live_server(database_url=f"sqlite:///{copy / 'server.db'}", blob_dir=copy / "blobs")


@pytest.fixture
def make_client(tmp_path: Path, server: Any) -> Iterator[Callable[..., Client]]:
    made: list[Client] = []

    def make(username: str, *, folder: str | None = None, srv: Any = None) -> Client:
        store = Store(tmp_path / (folder or username))
        engine = SyncEngine(store, tokens=TokenStore())
        engine.sign_in((srv or server).url, username, PASSWORD)
        client = Client(username, store, engine)
        made.append(client)
        return client

    yield make
    for client in made:
        client.store.close()
