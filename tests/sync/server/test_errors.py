"""Every error is PROTOCOL.md's JSON, never HTML or a stack trace; bad input is never a 500."""

from __future__ import annotations

import httpx

from tests.sync.server.conftest import World
from tests.sync.server.helpers import batch, create, new_id


def _is_error(answer: httpx.Response, status: int, code: str | None = None) -> None:
    assert answer.status_code == status, (answer.status_code, answer.text)
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"] and "Traceback" not in answer.text
    if code is not None:
        assert body["error"]["code"] == code


def test_unknown_paths_and_methods(world: World) -> None:
    _is_error(world.conductor.get("/nothing"), 404, "not_found")
    _is_error(world.conductor.get("/v1/changes/extra"), 404, "not_found")
    _is_error(world.conductor.put("/v1/me"), 405, "method_not_allowed")
    _is_error(world.conductor.patch("/v1/changes"), 405, "method_not_allowed")


def test_malformed_bodies_and_queries(world: World) -> None:
    client = world.conductor
    _is_error(client.post("/v1/auth/token", content=b"\xff\xfe"), 400, "bad_request")
    _is_error(client.post("/v1/auth/token", json=["a", "list"]), 422, "invalid")
    _is_error(client.post("/v1/auth/token", json={"username": "x"}), 422, "invalid")
    _is_error(client.post("/v1/uploads", json={"sha256": "XYZ", "size": -1}), 422, "invalid")
    _is_error(client.put(f"/v1/uploads/{'a' * 32}", params={"offset": "x"}), 400)
    _is_error(client.get("/v1/changes", params={"since": "\x00"}), 400, "invalid_cursor")


def test_nul_characters_are_refused_not_stored(world: World) -> None:
    _is_error(
        httpx.post(
            world.server.url + "/v1/auth/token", json={"username": "a\x00b", "password": "p"}
        ),
        422,
        "invalid",
    )
    body = batch(create("brand", {"code": "nul"}))
    body["changes"][0]["op_id"] = "op\x00"
    _is_error(world.conductor.post("/v1/changes", json=body), 422, "invalid")
    [result] = world.conductor.post(
        "/v1/changes",
        json=batch({"type": "brand", "id": "id\x00", "base_version": None, "data": {}}),
    ).json()["results"]
    assert result["status"] == "rejected" and result["error"]["code"] == "invalid"
    # Inside record data a NUL is just a character: stored and given back as sent.
    [kept] = world.conductor.post(
        "/v1/changes", json=batch(create("brand", {"code": "ok", "name": "a\x00b"}))
    ).json()["results"]
    assert kept["record"]["data"]["name"] == "a\x00b"
    _is_error(
        world.conductor.post(
            "/v1/uploads", json={"sha256": "a" * 64, "size": 1, "filename": "\x00"}
        ),
        422,
    )


def test_record_ids_with_trailing_newlines_are_invalid(world: World) -> None:
    [result] = world.conductor.post(
        "/v1/changes",
        json=batch(
            {"type": "brand", "id": new_id() + "\n", "base_version": None, "data": {"code": "nl"}}
        ),
    ).json()["results"]
    assert result["status"] == "rejected" and result["error"]["code"] == "invalid"
    _is_error(world.conductor.get("/v1/blobs/" + "a" * 64 + "%0A"), 400, "invalid_sha256")
