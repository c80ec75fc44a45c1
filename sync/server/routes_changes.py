"""``GET /v1/changes`` (pull) and ``POST /v1/changes`` (push)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from desktop.domain.values import utcnow
from sync.schemas import MAX_PULL_LIMIT, PullResponse, PushRequest, PushResponse
from sync.server.deps import Caller, State
from sync.server.errors import ApiError, error_responses, refuse_nul
from sync.server.pull import pull
from sync.server.push import push

router = APIRouter(prefix="/v1")


def _json(text: str) -> Response:
    return Response(content=text.encode(), media_type="application/json")


@router.get(
    "/changes",
    response_model=PullResponse,
    responses=error_responses(400, 401, 410),
)
def get_changes(
    state: State,
    user: Caller,
    since: Annotated[str | None, Query(max_length=1000)] = None,
    limit: Annotated[int | None, Query(ge=1, le=MAX_PULL_LIMIT)] = None,
) -> Response:
    settings = state.settings
    if limit is None:
        limit = settings.default_pull_limit
    if limit > settings.max_pull_limit:
        raise ApiError(
            400,
            "bad_request",
            f"A page has at most {settings.max_pull_limit} records.",
            details={"limit": settings.max_pull_limit},
        )
    return _json(pull(state.db, user, since=since, limit=limit, now=utcnow()))


@router.post(
    "/changes",
    response_model=PushResponse,
    responses=error_responses(400, 401, 409, 413, 422),
)
def post_changes(body: PushRequest, state: State, user: Caller) -> Response:
    if len(body.changes) > state.settings.max_push_changes:
        raise ApiError(
            413,
            "too_large",
            f"A push has at most {state.settings.max_push_changes} changes; split it.",
            details={"max_changes": state.settings.max_push_changes},
        )
    refuse_nul(**{f"changes.{i}.op_id": c.op_id for i, c in enumerate(body.changes)})
    return _json(push(state.db, user, body, now=utcnow()))
