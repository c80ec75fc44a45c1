"""The command line: add-user, seed-demo and serve (with workers, stopped by Ctrl-C)."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from sync.server.db import Database
from sync.server.models import users
from tests.sync.server.helpers import ServerProcess, cli, pull_all


def _token(url: str, username: str, password: str) -> httpx.Response:
    return httpx.post(url + "/v1/auth/token", json={"username": username, "password": password})


def test_add_user_reads_stdin_updates_and_refuses_short_passwords(
    database_url: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    short = cli(
        "add-user", "lena", "--role", "section_lead", "--database", database_url, stdin="short\n"
    )
    assert short.returncode == 2 and "at least 10" in short.stderr
    made = cli(
        "add-user",
        "lena",
        "--role",
        "section_lead",
        "--markets",
        "de,at",
        "--database",
        database_url,
        stdin="first long password\n",
    )
    assert made.returncode == 0, made.stderr
    assert "Created lena" in made.stdout
    bad_role = cli("add-user", "lena", "--role", "king", "--database", database_url, stdin="x\n")
    assert bad_role.returncode == 2
    server = ServerProcess(database_url, str(tmp_path / "blobs"))
    try:
        token = _token(server.url, "lena", "first long password").json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert httpx.get(server.url + "/v1/me", headers=headers).json()["markets"] == ["at", "de"]
        # Again with only a role: markets and password stay, the token still works.
        again = cli("add-user", "lena", "--role", "conductor", "--database", database_url, stdin="")
        assert again.returncode == 0 and "Updated lena" in again.stdout
        me = httpx.get(server.url + "/v1/me", headers=headers).json()
        assert me["role"] == "conductor" and me["markets"] == ["at", "de"]
        # A new password revokes the tokens.
        cli(
            "add-user",
            "lena",
            "--role",
            "conductor",
            "--database",
            database_url,
            stdin="second long password\n",
        )
        assert httpx.get(server.url + "/v1/me", headers=headers).status_code == 401
        assert _token(server.url, "lena", "first long password").status_code == 401
        assert _token(server.url, "lena", "second long password").status_code == 200
    finally:
        server.kill()
    db = Database(database_url)
    with db.read() as connection:
        assert connection.execute(select(users.c.username)).scalars().all() == ["lena"]
    db.dispose()


def test_seed_demo_then_serve_with_workers_and_stop_with_ctrl_c(
    database_url: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    blob_dir = str(tmp_path / "blobs")
    seeded = cli(
        "seed-demo",
        "--database",
        database_url,
        "--blob-dir",
        blob_dir,
        "--assets",
        "40",
        "--entries",
        "40",
        timeout=300,
    )
    assert seeded.returncode == 0, seeded.stderr
    lines = [line.split() for line in seeded.stdout.splitlines() if line.startswith("  ")]
    accounts = {parts[0]: (parts[1], parts[2], parts[3]) for parts in lines}
    assert {"section_lead", "conductor", "paid_operator", "compliance"} <= {
        role for _, role, _ in accounts.values()
    }
    again = cli(
        "seed-demo",
        "--database",
        database_url,
        "--blob-dir",
        blob_dir,
        "--assets",
        "40",
        "--entries",
        "40",
        timeout=300,
    )
    assert again.returncode == 0 and "Loaded 0 records" in again.stdout
    server = ServerProcess(database_url, blob_dir, workers=2)
    try:
        lead = next(name for name, (_, role, _) in accounts.items() if role == "section_lead")
        password, _, markets = accounts[lead]
        token = _token(server.url, lead, password).json()["token"]
        with httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {token}"}
        ) as client:
            changes, _ = pull_all(client, limit=100)
            scoped = {c["data"].get("market") for c in changes if c["type"] == "calendar_entry"}
            assert scoped <= {None, *markets.split(",")}
            assets = [c for c in changes if c["type"] == "asset"]
            assert assets
            sha = assets[0]["data"]["sha256"]
            blob = client.get(f"/v1/blobs/{sha}")
            assert blob.status_code == 200 and len(blob.content) == assets[0]["data"]["size"]
            if assets[0]["data"]["kind"] == "image":
                assert client.get(f"/v1/blobs/{sha}/thumbnail").status_code == 200
    finally:
        code = server.interrupt()
    assert code == 0


def test_live_server_seed_helper_loads_the_demo_with_scopes(live_server) -> None:  # type: ignore[no-untyped-def]
    server = live_server()
    result = server.seed(assets=20, entries=20)
    assert result.records > 40 and result.blobs > 0
    lead = next(u for u in result.users if u.role == "section_lead")
    with server.client(lead.username, lead.password) as client:
        changes, _ = pull_all(client)
    assert changes and len(changes) < result.records
    for change in changes:
        if change["type"] in ("calendar_entry", "asset", "amplification_request"):
            assert change["data"]["market"] in (None, *lead.markets)
