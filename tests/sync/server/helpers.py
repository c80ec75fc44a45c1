"""Helpers for driving the reference server over HTTP in tests."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

PASSWORD = "correct horse battery"


def new_id() -> str:
    return str(uuid.uuid4())


def push(
    client: httpx.Client,
    *changes: dict[str, Any],
    client_id: str | None = None,
    batch_id: str | None = None,
) -> list[dict[str, Any]]:
    """Push ``changes`` (op_id, base_version and deleted filled in when missing)."""
    body = batch(*changes, client_id=client_id, batch_id=batch_id)
    answer = client.post("/v1/changes", json=body)
    assert answer.status_code == 200, answer.text
    results: list[dict[str, Any]] = answer.json()["results"]
    assert [r["op_id"] for r in results] == [c["op_id"] for c in body["changes"]]
    return results


def batch(
    *changes: dict[str, Any], client_id: str | None = None, batch_id: str | None = None
) -> dict[str, Any]:
    filled = []
    for change in changes:
        full = {"op_id": new_id(), "base_version": None, "deleted": False, "data": {}}
        full.update(change)
        filled.append(full)
    return {"client_id": client_id or new_id(), "batch_id": batch_id or new_id(), "changes": filled}


def create(record_type: str, data: dict[str, Any], record_id: str | None = None) -> dict[str, Any]:
    return {"type": record_type, "id": record_id or new_id(), "base_version": None, "data": data}


def update(
    record: dict[str, Any], data: dict[str, Any], base_version: int | None = None
) -> dict[str, Any]:
    return {
        "type": record["type"],
        "id": record["id"],
        "base_version": record["version"] if base_version is None else base_version,
        "data": data,
    }


def delete(record: dict[str, Any], base_version: int | None = None) -> dict[str, Any]:
    return {
        "type": record["type"],
        "id": record["id"],
        "base_version": record["version"] if base_version is None else base_version,
        "deleted": True,
    }


def applied(result: dict[str, Any]) -> dict[str, Any]:
    assert result["status"] in ("applied", "merged"), result
    record: dict[str, Any] = result["record"]
    return record


def pull_all(
    client: httpx.Client, since: str | None = None, limit: int = 1000
) -> tuple[list[dict[str, Any]], str]:
    """Every page from ``since``; returns (changes, last cursor)."""
    changes: list[dict[str, Any]] = []
    cursor = since
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["since"] = cursor
        answer = client.get("/v1/changes", params=params)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        changes.extend(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes, cursor


def png_bytes(
    width: int = 1200, height: int = 800, color: tuple[int, int, int] = (200, 30, 60)
) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def upload(
    client: httpx.Client, data: bytes, *, chunk: int = 64 * 1024, mime: str = "image/png"
) -> str:
    """Upload ``data`` in chunks; returns its SHA-256."""
    digest = sha(data)
    started = client.post(
        "/v1/uploads", json={"sha256": digest, "size": len(data), "filename": "f.png", "mime": mime}
    )
    if started.status_code == 200:
        assert started.json() == {"exists": True}
        return digest
    assert started.status_code == 201, started.text
    upload_id = started.json()["upload_id"]
    offset = 0
    while offset < len(data):
        answer = client.put(
            f"/v1/uploads/{upload_id}",
            params={"offset": offset},
            content=data[offset : offset + chunk],
            headers={"content-type": "application/octet-stream"},
        )
        assert answer.status_code == 200, answer.text
        offset = answer.json()["offset"]
    done = client.post(f"/v1/uploads/{upload_id}/complete")
    assert done.status_code == 201, done.text
    return digest


# --- a small workspace ----------------------------------------------------------------------


def market_data(code: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": code,
        "name": code.upper(),
        "currency": "EUR",
        "timezone": "Europe/Berlin",
        "forbidden_terms": ["free"],
        "legal_note": "",
        "boost_threshold": "5000.00",
    }
    data.update(extra)
    return data


def asset_data(market: str | None, sha256: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": f"acme_{market or 'global'}_20261201_winter_a",
        "kind": "image",
        "sha256": sha256,
        "market": market,
        "rights": {
            "holder": "Acme",
            "usage": ["organic", "paid"],
            "territories": ["*"],
            "expires_on": "2030-12-31",
        },
        "embargo": {"until": None, "markets": []},
    }
    data.update(extra)
    return data


def entry_data(market: str | None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "organic_post",
        "market": market,
        "channel": "instagram",
        "title": "Winter launch",
        "caption": "Our winter range is here",
        "starts_at": "2026-12-01T09:00:00Z",
        "ends_at": "2026-12-01T09:00:00Z",
        "status": "planned",
    }
    data.update(extra)
    return data


def request_data(market: str, entry_id: str, asset_id: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "entry_id": entry_id,
        "asset_id": asset_id,
        "market": market,
        "cta": "Shop now",
        "audience": "18-35",
        "budget": {"amount": "1500.00", "currency": "EUR"},
        "starts_at": "2026-12-02T09:00:00Z",
        "ends_at": "2026-12-09T09:00:00Z",
        "primary_kpi": "reach",
        "priority": "standard",
        "legal_note": None,
        "checklist": {
            "landing_page": True,
            "audience_overlap": True,
            "budget_cap": True,
            "tracking": True,
            "dashboard": True,
        },
        "status": "submitted",
    }
    data.update(extra)
    return data


# --- servers in subprocesses ------------------------------------------------------------------


def free_port() -> int:

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cli(*args: str, stdin: str | None = None, timeout: float = 120) -> Any:
    """Run ``sectiondesk-server`` with ``args``; returns the CompletedProcess."""

    return subprocess.run(
        [sys.executable, "-m", "sync.server.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class ServerProcess:
    """``sectiondesk-server serve`` in a subprocess (for --workers, SIGKILL and SIGINT)."""

    def __init__(self, database_url: str, blob_dir: str, *, workers: int = 1) -> None:

        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sync.server.cli",
                "serve",
                "--database",
                database_url,
                "--blob-dir",
                blob_dir,
                "--port",
                str(self.port),
                "--workers",
                str(workers),
            ],
            # A file, not a pipe: nobody reads a pipe while the test runs, and a full one
            # blocks the server's logging, and so the server.
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the server exited: " + self.output())
            try:
                if httpx.get(self.url + "/v1/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError("the server did not start in time")

    def kill(self) -> None:
        # --workers N: the workers are the supervisor's children; they are killed too.
        children = _children(self.process.pid)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                continue
        self.process.wait(timeout=30)

    def interrupt(self, timeout: float = 30) -> int:
        self.process.send_signal(signal.SIGINT)
        return int(self.process.wait(timeout=timeout))

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")


def _children(parent: int) -> list[int]:

    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("PPid:") and int(line.split()[1]) == parent:
                found.append(int(status.parent.name))
    return found
