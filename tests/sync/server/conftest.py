"""A small signed-in world for the server tests: one user of each role and two markets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer
from tests.sync.server.helpers import PASSWORD, applied, create, market_data, push


@dataclass
class World:
    server: LiveServer
    clients: dict[str, httpx.Client]
    user_ids: dict[str, str]
    markets: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __getattr__(self, name: str) -> httpx.Client:
        try:
            return self.clients[name]
        except KeyError:
            raise AttributeError(name) from None


USERS = {
    "conductor": ("conductor", ()),
    "lead_de": ("section_lead", ("de",)),
    "lead_fr": ("section_lead", ("fr",)),
    "paid": ("paid_operator", ()),
    "compliance": ("compliance", ()),
}


@pytest.fixture
def world(live_server: Callable[..., LiveServer]) -> Iterator[World]:
    server = live_server()
    user_ids = {
        name: server.add_user(name, PASSWORD, role, markets)
        for name, (role, markets) in USERS.items()
    }
    clients = {name: server.client(name, PASSWORD) for name in USERS}
    world = World(server=server, clients=clients, user_ids=user_ids)
    results = push(
        world.conductor,
        create("market", market_data("de", legal_note="Anzeige")),
        create("market", market_data("fr", currency="EUR")),
    )
    world.markets = {r["record"]["data"]["code"]: applied(r) for r in results}
    yield world
    for client in clients.values():
        client.close()
