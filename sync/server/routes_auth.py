"""Sign-in, sign-out, who am I, and health (PROTOCOL.md, Authentication)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from desktop.domain.values import format_time, utcnow
from sync.schemas import PROTOCOL_VERSION, Health, Me, TokenRequest, TokenResponse
from sync.server.auth import authenticate, issue_token, revoke_token
from sync.server.deps import Caller, State, Token
from sync.server.errors import error_responses, refuse_nul, unauthorized

router = APIRouter(prefix="/v1")


@router.get("/health", response_model=Health, responses=error_responses(400))
def health() -> Health:
    return Health(status="ok", protocol=PROTOCOL_VERSION, server_time=format_time(utcnow()))


@router.post(
    "/auth/token", response_model=TokenResponse, responses=error_responses(400, 401, 413, 422)
)
def sign_in(body: TokenRequest, state: State) -> TokenResponse:
    refuse_nul(username=body.username, password=body.password, device_name=body.device_name)
    now = utcnow()
    with state.db.read() as connection:  # scrypt is slow: never inside the write lock
        user = authenticate(connection, body.username, body.password)
    if user is None:
        raise unauthorized("The username or password is wrong.")
    with state.db.write() as connection:
        token, expires_at = issue_token(
            connection,
            user,
            device_name=body.device_name,
            lifetime_s=state.settings.token_lifetime.total_seconds(),
            now=now,
        )
    return TokenResponse(token=token, expires_at=expires_at, user=user.me())


@router.delete(
    "/auth/token",
    status_code=204,
    response_class=Response,
    responses=error_responses(400, 401),
)
def sign_out(state: State, _user: Caller, token: Token) -> Response:
    with state.db.write() as connection:
        revoke_token(connection, token)
    return Response(status_code=204)


@router.get("/me", response_model=Me, responses=error_responses(400, 401))
def me(user: Caller) -> Me:
    return user.me()
