"""SIGKILL in the middle of pushes and uploads, then a restart: every acknowledged write is there,
no push is half applied, no half-written blob is visible, and replays and resumes finish the job."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from typing import Any

import httpx
import pytest

from tests.sync.server.helpers import PASSWORD, ServerProcess, batch, cli, create, pull_all

pytestmark = pytest.mark.slow


def _signed_in(server: ServerProcess) -> httpx.Client:
    token = httpx.post(
        server.url + "/v1/auth/token", json={"username": "conductor", "password": PASSWORD}
    ).json()["token"]
    return httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def _conductor(database_url: str) -> None:
    made = cli(
        "add-user",
        "conductor",
        "--role",
        "conductor",
        "--database",
        database_url,
        stdin=PASSWORD + "\n",
    )
    assert made.returncode == 0, made.stderr


def test_killed_mid_push(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _conductor(database_url)
    blob_dir = str(tmp_path / "blobs")
    server = ServerProcess(database_url, blob_dir)
    batches: list[dict[str, Any]] = []
    acknowledged: dict[str, bytes] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def pusher(number: int) -> None:
        with _signed_in(server) as client:
            for round_ in range(10_000):
                if stop.is_set():
                    return
                body = batch(
                    *[
                        create("brand", {"code": f"p{number}x{round_}y{i}", "name": "n" * 200})
                        for i in range(40)
                    ]
                )
                with lock:
                    batches.append(body)
                try:
                    answer = client.post("/v1/changes", json=body)
                except httpx.TransportError:
                    return
                assert answer.status_code == 200, answer.text
                with lock:
                    acknowledged[body["batch_id"]] = answer.content

    threads = [threading.Thread(target=pusher, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 12 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()
    stop.set()
    for thread in threads:
        thread.join()
    assert len(acknowledged) >= 12
    assert len(batches) > len(acknowledged)  # some pushes were cut off

    server = ServerProcess(database_url, blob_dir)
    try:
        with _signed_in(server) as client:
            stored = {c["id"]: c for c in pull_all(client)[0] if c["type"] == "brand"}
            for body in batches:
                present = [c["id"] in stored for c in body["changes"]]
                # One transaction per push: all of it or none of it.
                assert all(present) or not any(present), body["batch_id"]
                if body["batch_id"] in acknowledged:
                    assert all(present)
                    for change in body["changes"]:
                        assert stored[change["id"]]["data"]["code"] == change["data"]["code"]
            # Replays: acknowledged batches answer exactly as before; the others apply now.
            for body in batches:
                answer = client.post("/v1/changes", json=body)
                assert answer.status_code == 200
                if body["batch_id"] in acknowledged:
                    assert answer.content == acknowledged[body["batch_id"]]
                else:
                    assert {r["status"] for r in answer.json()["results"]} <= {"applied"}
            after = {c["id"] for c in pull_all(client)[0] if c["type"] == "brand"}
            assert after == {c["id"] for body in batches for c in body["changes"]}
    finally:
        server.kill()


def test_killed_mid_upload(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _conductor(database_url)
    blob_dir = tmp_path / "blobs"
    server = ServerProcess(database_url, str(blob_dir))
    data = os.urandom(6 * 1024 * 1024)
    digest = hashlib.sha256(data).hexdigest()
    chunk = 128 * 1024
    state: dict[str, Any] = {"acked": 0}

    def uploader() -> None:
        with _signed_in(server) as client:
            started = client.post("/v1/uploads", json={"sha256": digest, "size": len(data)})
            state["upload_id"] = started.json()["upload_id"]
            offset = 0
            try:
                while offset < len(data):
                    answer = client.put(
                        f"/v1/uploads/{state['upload_id']}",
                        params={"offset": offset},
                        content=data[offset : offset + chunk],
                    )
                    offset = answer.json()["offset"]
                    state["acked"] = offset
            except httpx.TransportError:
                return

    thread = threading.Thread(target=uploader)
    thread.start()
    deadline = time.monotonic() + 60
    while state["acked"] < len(data) // 3 and time.monotonic() < deadline:
        time.sleep(0.005)
    server.kill()
    thread.join()
    assert 0 < state["acked"] < len(data)

    server = ServerProcess(database_url, str(blob_dir))
    try:
        with _signed_in(server) as client:
            # Nothing half-written is visible.
            assert client.head(f"/v1/blobs/{digest}").status_code == 404
            upload_id = state["upload_id"]
            offset = client.get(f"/v1/uploads/{upload_id}").json()["offset"]
            assert offset >= state["acked"]  # every acknowledged chunk survived
            while offset < len(data):
                answer = client.put(
                    f"/v1/uploads/{upload_id}",
                    params={"offset": offset},
                    content=data[offset : offset + chunk],
                )
                offset = answer.json()["offset"]
            assert client.post(f"/v1/uploads/{upload_id}/complete").status_code == 201
            assert client.get(f"/v1/blobs/{digest}").content == data
    finally:
        server.kill()
    # Every file in the store is whole: its name is its hash.
    for path in blob_dir.glob("[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]/*"):
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name
