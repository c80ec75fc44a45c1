"""Shared fixtures: the reference server on a loopback port, over SQLite or PostgreSQL.

``live_server`` is a factory; every call starts a server (uvicorn in a thread, 127.0.0.1, a free
port) over a fresh database and blob folder unless you pass those of another server::

    def test_something(live_server):
        server = live_server()                     # also: live_server(max_push_changes=10)
        lead = server.add_user("lena", "a long password", "section_lead", ["de"])  # -> user id
        token = server.token("lena", "a long password")
        httpx.get(server.url + "/v1/me", headers={"Authorization": f"Bearer {token}"})
        server.seed(assets=50, entries=50)         # the demo workspace, its files and users

It runs once per database backend (``database_url`` is parametrized: ``sqlite`` and
``postgres``). PostgreSQL comes from ``SECTIONDESK_TEST_PG_URL`` (each test gets a schema of its
own, dropped after it); without that variable its tests are skipped, or fail when ``CI=true``.
To pin a test module to one backend:
``pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)``.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

PG_ENV = "SECTIONDESK_TEST_PG_URL"

# Tests never touch this computer's keychain: no system keyring for the whole session (tokens are
# kept in memory, as on CI), in this process and in the command-line children the tests start.
# A test that needs a keyring installs a backend of its own and puts this one back.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


@pytest.fixture(autouse=True, scope="session")
def _no_system_keyring() -> Iterator[None]:
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    yield


def _pg_base_url() -> str:
    url = os.environ.get(PG_ENV)
    if url:
        return url
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {PG_ENV} is not set: the PostgreSQL tests must run in CI.")
    pytest.skip(f"{PG_ENV} is not set: set it to a PostgreSQL URL to run the PostgreSQL tests.")


def _with_schema(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh, empty database for one test: a SQLite file or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'server.db'}"
        return
    base = _pg_base_url()
    import sqlalchemy as sa

    schema = "t_" + secrets.token_hex(6)
    engine = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    except sa.exc.OperationalError as exc:
        engine.dispose()
        pytest.fail(f"PostgreSQL at {PG_ENV} cannot be reached: {exc}")
    try:
        yield _with_schema(base, schema)
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@dataclass
class LiveServer:
    """A running server: its ``url`` and helpers that go straight to its database."""

    url: str
    settings: Any  # sync.server.config.Settings
    app: Any
    _server: Any = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    @property
    def database_url(self) -> str:
        return str(self.settings.database_url)

    @property
    def blob_dir(self) -> Path:
        return Path(self.settings.blob_dir)

    @property
    def db(self) -> Any:
        """The server's ``sync.server.db.Database``."""
        return self.app.state.server.db

    def add_user(
        self,
        username: str,
        password: str,
        role: str,
        markets: list[str] | tuple[str, ...] = (),
        *,
        display_name: str | None = None,
    ) -> str:
        """Create or change a user (as ``add-user`` does); returns the user's id."""
        from sync.server.auth import save_user

        with self.db.write() as connection:
            user, _created = save_user(
                connection,
                username=username,
                role=role,
                markets=tuple(markets),
                password=password,
                display_name=display_name,
            )
        return str(user.id)

    def token(self, username: str, password: str, device_name: str = "tests") -> str:
        """Sign in over HTTP; returns the bearer token."""
        answer = httpx.post(
            self.url + "/v1/auth/token",
            json={"username": username, "password": password, "device_name": device_name},
            timeout=30,
        )
        answer.raise_for_status()
        return str(answer.json()["token"])

    def client(self, username: str, password: str) -> httpx.Client:
        """An httpx client signed in as ``username`` (close it, or use it in a ``with``)."""
        token = self.token(username, password)
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        )

    def seed(self, *, assets: int = 200, entries: int = 300) -> Any:
        """Load the demo workspace (as ``seed-demo`` does); returns its ``SeedResult``."""
        from sync.server.seed import seed_demo

        return seed_demo(self.settings, assets=assets, entries=entries, database=self.db)

    def maintain(self, now: datetime) -> None:
        """Run the housekeeping (tombstone purge, old results, stale uploads) as of ``now``."""
        from sync.server.maintenance import run_maintenance

        state = self.app.state.server
        run_maintenance(state.db, state.store, state.settings, now=now)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)


def start_server(settings: Any) -> LiveServer:
    import uvicorn

    from sync.server.app import create_app

    app = create_app(settings, maintenance=False)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="warning", lifespan="on", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    return LiveServer(
        url=f"http://127.0.0.1:{port}", settings=settings, app=app, _server=server, _thread=thread
    )


@pytest.fixture
def live_server(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., LiveServer]]:
    """Factory of running servers (see the module docstring); all are stopped after the test.

    ``live_server(**overrides)``: overrides are ``Settings`` fields; ``database_url`` and
    ``blob_dir`` default to this test's fresh database and a new folder.
    """
    from sync.server.config import Settings

    started: list[LiveServer] = []

    def make(**overrides: Any) -> LiveServer:
        settings = Settings(database_url=database_url, blob_dir=tmp_path_factory.mktemp("blobs"))
        settings = replace(settings, **overrides)
        server = start_server(settings)
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()
