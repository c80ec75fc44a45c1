"""Every error the server answers, as PROTOCOL.md's JSON: ``{"error": {code, message, details}}``.

Handlers cover raised ``ApiError``s, FastAPI's validation errors (400 for a malformed body or
query, 422 for a body of the wrong shape), Starlette's 404/405 and anything unexpected (logged,
answered 500 with no detail): no stack trace or HTML ever reaches a client.
"""

from __future__ import annotations

import logging
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sync.schemas import ErrorResponse

log = logging.getLogger(__name__)

_STATUS_CODES: Final = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    410: "resync_required",
    413: "too_large",
    415: "unsupported_media_type",
    416: "range_not_satisfiable",
    422: "invalid",
    429: "too_many_requests",
}

# Schema limits that are PROTOCOL.md's size limits: over them is 413, not 422.
_TOO_LARGE: Final = {
    (("body", "changes"), "too_long"),
    (("body", "size"), "less_than_equal"),
}


class ApiError(Exception):
    """An error answer; raise it anywhere in a request."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}
        self.headers = headers or {}


def unauthorized(
    message: str = "Sign in again: the token is missing, expired or revoked.",
) -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


def not_found(message: str = "There is nothing here.") -> ApiError:
    return ApiError(404, "not_found", message)


def refuse_nul(**values: str) -> None:
    """422 for text holding NUL characters, which no field may hold (PostgreSQL cannot store
    them, and they are never meant)."""
    bad = sorted(name for name, value in values.items() if "\x00" in value)
    if bad:
        raise ApiError(
            422,
            "invalid",
            f"{', '.join(bad)} must not contain NUL characters.",
            details=dict.fromkeys(bad, "contains a NUL character"),
        )


def error_response(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return JSONResponse(body, status_code=status, headers=headers)


def _plain_location(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "body"


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    problems: dict[str, str] = {}
    malformed = False
    too_large = False
    for error in errors:
        loc = tuple(error.get("loc", ()))
        kind = error.get("type")
        not_json = loc == ("body",) and isinstance(error.get("input"), bytes | str)
        if kind == "json_invalid" or not_json or (loc and loc[0] in ("query", "path", "header")):
            malformed = True
        if (loc, kind) in _TOO_LARGE:
            too_large = True
        problems.setdefault(_plain_location(loc), str(error.get("msg", "is not valid")))
    if malformed:
        return error_response(
            400, "bad_request", "The request is malformed: " + _summary(problems), problems
        )
    if too_large:
        return error_response(
            413, "too_large", "The request is over a limit: " + _summary(problems), problems
        )
    return error_response(
        422, "invalid", "The request body is not valid: " + _summary(problems), problems
    )


def _summary(problems: dict[str, str]) -> str:
    return "; ".join(f"{where}: {what}" for where, what in list(problems.items())[:5])


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _STATUS_CODES.get(exc.status_code, "error")
    message = str(exc.detail) if exc.detail else code.replace("_", " ")
    if exc.status_code == 404:
        message = "There is no such endpoint; every path is under /v1."
    elif exc.status_code == 405:
        message = "This endpoint does not accept that method."
    headers = dict(exc.headers or {})
    return error_response(exc.status_code, code, message, headers=headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(
        500, "server_error", "The server failed; it has logged why. Try again later."
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI declarations of the error answers an endpoint can give."""
    return {
        status: {"model": ErrorResponse, "description": _STATUS_CODES.get(status, "error")}
        for status in statuses
    }
