"""/openapi.json describes every endpoint, and a bounded schemathesis run against it finds no
server error and no answer outside the schema (status, content type, body, headers)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.conftest import LiveServer
from tests.sync.server.helpers import PASSWORD

ENDPOINTS = {
    ("GET", "/v1/health"),
    ("POST", "/v1/auth/token"),
    ("DELETE", "/v1/auth/token"),
    ("GET", "/v1/me"),
    ("GET", "/v1/changes"),
    ("POST", "/v1/changes"),
    ("HEAD", "/v1/blobs/{sha256}"),
    ("GET", "/v1/blobs/{sha256}"),
    ("GET", "/v1/blobs/{sha256}/thumbnail"),
    ("POST", "/v1/uploads"),
    ("PUT", "/v1/uploads/{upload_id}"),
    ("GET", "/v1/uploads/{upload_id}"),
    ("POST", "/v1/uploads/{upload_id}/complete"),
}
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    )
)


def test_openapi_lists_every_endpoint_with_its_errors(
    live_server: Callable[..., LiveServer],
) -> None:
    schema = httpx.get(live_server().url + "/openapi.json").json()
    found = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    }
    assert found == ENDPOINTS
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if path != "/v1/health":
                assert "401" in operation["responses"], (method, path)


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(
    live_server: Callable[..., LiveServer], tmp_path: Path
) -> None:
    server = live_server()
    server.add_user("conductor", PASSWORD, "conductor")
    token = server.token("conductor", PASSWORD)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            server.url + "/openapi.json",
            "--checks",
            CHECKS,
            # Signing out would revoke the run's token (test_auth covers it).
            "--exclude-method",
            "DELETE",
            "--max-examples",
            "25",
            "--seed",
            "7",
            "--header",
            f"Authorization: Bearer {token}",
            "--request-timeout",
            "30",
            "--report-dir",
            str(tmp_path),
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
