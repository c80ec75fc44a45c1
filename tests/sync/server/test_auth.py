"""Sign-in, tokens, /v1/me and /v1/health."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from desktop.domain.values import parse_time
from sync.server.models import tokens, users
from tests.conftest import LiveServer
from tests.sync.server.helpers import PASSWORD


def test_health_needs_no_token(live_server: Callable[..., LiveServer]) -> None:
    server = live_server()
    answer = httpx.get(server.url + "/v1/health")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok" and body["protocol"] == 1
    assert abs(parse_time(body["server_time"]) - datetime.now(UTC)) < timedelta(seconds=5)


def test_sign_in_me_and_sign_out(live_server: Callable[..., LiveServer]) -> None:
    server = live_server()
    user_id = server.add_user("lena", PASSWORD, "section_lead", ["de", "at"], display_name="Lena")
    answer = httpx.post(
        server.url + "/v1/auth/token",
        json={"username": "lena", "password": PASSWORD, "device_name": "laptop"},
    )
    assert answer.status_code == 200
    body = answer.json()
    token = body["token"]
    assert len(token) >= 43  # 256 random bits, URL-safe base64
    expires = parse_time(body["expires_at"])
    assert expires > datetime.now(UTC) + timedelta(days=29)
    me = {
        "id": user_id,
        "username": "lena",
        "display_name": "Lena",
        "role": "section_lead",
        "markets": ["at", "de"],
    }
    assert body["user"] == me
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(server.url + "/v1/me", headers=headers).json() == me

    assert httpx.delete(server.url + "/v1/auth/token", headers=headers).status_code == 204
    gone = httpx.get(server.url + "/v1/me", headers=headers)
    assert gone.status_code == 401
    assert gone.json()["error"]["code"] == "unauthorized"
    assert gone.headers["www-authenticate"] == "Bearer"


def test_bad_credentials_and_tokens_are_401(live_server: Callable[..., LiveServer]) -> None:
    server = live_server()
    server.add_user("lena", PASSWORD, "section_lead", ["de"])
    for username, password in (("lena", "wrong password!"), ("nobody", PASSWORD)):
        answer = httpx.post(
            server.url + "/v1/auth/token", json={"username": username, "password": password}
        )
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "unauthorized"
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic eDp5"}):
        answer = httpx.get(server.url + "/v1/changes", headers=headers)
        assert answer.status_code == 401, headers
        assert set(answer.json()["error"]) == {"code", "message", "details"}


def test_only_hashes_are_stored(live_server: Callable[..., LiveServer]) -> None:
    server = live_server()
    server.add_user("lena", PASSWORD, "section_lead", ["de"])
    token = server.token("lena", PASSWORD)
    with server.db.read() as connection:
        stored_hash = connection.execute(select(users.c.password_hash)).scalar_one()
        token_rows = connection.execute(select(tokens.c.token_hash)).scalars().all()
    assert PASSWORD not in stored_hash and stored_hash.startswith("scrypt$")
    assert token_rows == [hashlib.sha256(token.encode()).hexdigest()]


def test_expired_token_is_refused(live_server: Callable[..., LiveServer]) -> None:
    server = live_server(token_lifetime=timedelta(seconds=1))
    server.add_user("lena", PASSWORD, "section_lead", ["de"])
    token = server.token("lena", PASSWORD)
    headers = {"Authorization": f"Bearer {token}"}
    with server.db.write() as connection:
        connection.execute(tokens.update().values(expires_at="2000-01-01T00:00:00Z"))
    assert httpx.get(server.url + "/v1/me", headers=headers).status_code == 401


def test_new_password_revokes_tokens_and_role_change_applies(
    live_server: Callable[..., LiveServer],
) -> None:
    server = live_server()
    server.add_user("lena", PASSWORD, "section_lead", ["de"])
    headers = {"Authorization": f"Bearer {server.token('lena', PASSWORD)}"}
    server.add_user("lena", "another long password", "conductor", [])
    assert httpx.get(server.url + "/v1/me", headers=headers).status_code == 401
    token = server.token("lena", "another long password")
    me = httpx.get(server.url + "/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["role"] == "conductor"
