"""Request body limits, enforced while the body is read (not after it is all in memory).

A declared ``Content-Length`` over the limit is answered 413 before a byte is read; a body sent
without one is counted as it arrives and refused with 413 once it passes the limit.
"""

from __future__ import annotations

import json
from typing import Final

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.config import Settings

UPLOAD_CHUNK_PREFIX: Final = "/v1/uploads/"


class BodyTooLarge(HTTPException):
    """The request body passed its limit while it was read (an HTTPException, so FastAPI's body
    parsing lets it through as it is instead of calling it a malformed body)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than the {limit} bytes allowed here.")
        self.limit = limit


def body_limit(settings: Settings, method: str, path: str) -> int:
    if method == "POST" and path == "/v1/changes":
        return settings.max_push_bytes
    if method == "PUT" and path.startswith(UPLOAD_CHUNK_PREFIX):
        return settings.max_chunk_bytes
    return settings.max_small_body_bytes


def too_large_body(limit: int) -> bytes:
    return json.dumps(
        {
            "error": {
                "code": "too_large",
                "message": f"The request body is larger than the {limit} bytes allowed here.",
                "details": {"max_bytes": limit},
            }
        }
    ).encode()


class BodyLimitMiddleware:
    """Pure ASGI middleware: 413 for bodies over the limit of their endpoint."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(self.settings, scope["method"], scope["path"])
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > limit:
                    await _refuse(send, limit)
                    return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


async def _refuse(send: Send, limit: int) -> None:
    body = too_large_body(limit)
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
