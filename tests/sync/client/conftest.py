"""Sync client fixtures: the real reference server on loopback, and clients with own stores."""

from __future__ import annotations

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

# The client suite runs on SQLite servers (the server suite covers PostgreSQL): modules use it.
ON_SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


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


@pytest.fixture
def server(live_server: Callable[..., Any]) -> Any:
    """A server with the demo workspace (small) and its users, plus test users."""
    srv = live_server()
    srv.seed(assets=30, entries=40)
    srv.add_user("conductor-t", PASSWORD, "conductor")
    srv.add_user("lena-t", PASSWORD, "section_lead", ["de", "fr"])
    srv.add_user("max-t", PASSWORD, "section_lead", ["de"])
    srv.add_user("paid-t", PASSWORD, "paid_operator")
    return srv


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
