"""Many clients at once: writers racing on the same records while a reader pulls throughout.

Every writer increments a counter held in one field of shared records (read the record, push the
next value against its version, on conflict retry from the record the server returns) and also
creates records of its own. A lost update would leave a counter short of its applied pushes; a
duplicate would show as a repeated (id, version) or seq; a skipped seq as a record the reader
never saw in its final state.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer
from tests.sync.server.helpers import PASSWORD, ServerProcess, applied, create, new_id

WRITERS = 8
ROUNDS = 25
SHARED = 3


def _push(client: httpx.Client, change: dict[str, Any]) -> dict[str, Any]:
    body = {
        "client_id": new_id(),
        "batch_id": new_id(),
        "changes": [{"op_id": new_id(), "deleted": False, **change}],
    }
    answer = client.post("/v1/changes", json=body, timeout=120)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()["results"][0]
    return result


def hammer(url: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    setup = httpx.Client(base_url=url, headers=headers, timeout=120)
    shared = [
        applied(_push(setup, create("campaign", {"name": f"shared {i}", "objective": "0"})))
        for i in range(SHARED)
    ]
    increments = [0] * SHARED
    results: list[dict[str, Any]] = []
    lock = threading.Lock()
    failures: list[BaseException] = []
    writers_done = threading.Event()

    def writer(number: int) -> None:
        try:
            with httpx.Client(base_url=url, headers=headers, timeout=120) as client:
                known = list(shared)
                for round_ in range(ROUNDS):
                    index = (number + round_) % SHARED
                    while True:
                        record = known[index]
                        value = int(record["data"]["objective"]) + 1
                        result = _push(
                            client,
                            {
                                "type": "campaign",
                                "id": record["id"],
                                "base_version": record["version"],
                                "data": {"objective": str(value)},
                            },
                        )
                        known[index] = result["record"]
                        if result["status"] == "applied":
                            with lock:
                                increments[index] += 1
                                results.append(result["record"])
                            break
                        assert result["status"] == "conflict", result
                    own = _push(client, create("brand", {"code": f"w{number}r{round_}"}))
                    with lock:
                        results.append(applied(own))
        except BaseException as exc:
            failures.append(exc)

    seen: dict[str, dict[str, Any]] = {}
    stream: list[int] = []

    def reader() -> None:
        cursor: str | None = None
        try:
            with httpx.Client(base_url=url, headers=headers, timeout=120) as client:
                while True:
                    finished = writers_done.is_set()
                    params: dict[str, Any] = {"limit": 37}
                    if cursor:
                        params["since"] = cursor
                    answer = client.get("/v1/changes", params=params)
                    assert answer.status_code == 200, answer.text
                    page = answer.json()
                    for change in page["changes"]:
                        stream.append(change["seq"])
                        before = seen.get(change["id"])
                        assert before is None or before["version"] < change["version"]
                        seen[change["id"]] = change
                    cursor = page["cursor"]
                    if finished and not page["has_more"]:
                        return
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    pulling = threading.Thread(target=reader)
    pulling.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writers_done.set()
    pulling.join()
    setup.close()
    assert not failures, failures

    # Seqs came strictly rising, never twice.
    assert stream == sorted(set(stream))
    # No duplicate: each applied write has its own seq and its own (id, version).
    assert len({r["seq"] for r in results}) == len(results)
    assert len({(r["id"], r["version"]) for r in results}) == len(results)
    # No lost update: each counter holds exactly the number of pushes applied to it.
    for index, record in enumerate(shared):
        final = seen[record["id"]]
        assert int(final["data"]["objective"]) == increments[index]
        assert final["version"] == 1 + increments[index]
    # No skipped seq: the reader ends with every record in its final state.
    latest: dict[str, dict[str, Any]] = {}
    for record in results:
        if record["id"] not in latest or latest[record["id"]]["version"] < record["version"]:
            latest[record["id"]] = record
    for record_id, record in latest.items():
        assert seen[record_id] == record
    assert sum(increments) == WRITERS * ROUNDS


def test_concurrent_writers_and_a_reader(live_server: Callable[..., LiveServer]) -> None:
    server = live_server()
    server.add_user("conductor", PASSWORD, "conductor")
    hammer(server.url, server.token("conductor", PASSWORD))


@pytest.mark.slow
def test_concurrent_writers_and_a_reader_on_three_workers(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.sync.server.helpers import cli

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
    server = ServerProcess(database_url, str(tmp_path / "blobs"), workers=3)
    try:
        token = httpx.post(
            server.url + "/v1/auth/token", json={"username": "conductor", "password": PASSWORD}
        ).json()["token"]
        hammer(server.url, token)
    finally:
        server.kill()
