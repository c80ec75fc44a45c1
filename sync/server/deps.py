"""What every route needs: the server's state and the signed-in caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from desktop.domain.values import utcnow
from sync.server.auth import User, user_for_token
from sync.server.blobstore import BlobStore
from sync.server.config import Settings
from sync.server.db import Database
from sync.server.errors import unauthorized

bearer = HTTPBearer(auto_error=False, description="The token from POST /v1/auth/token.")


@dataclass(frozen=True)
class ServerState:
    settings: Settings
    db: Database
    store: BlobStore


def server_state(request: Request) -> ServerState:
    state = request.app.state.server
    assert isinstance(state, ServerState)
    return state


State = Annotated[ServerState, Depends(server_state)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def current_token(credentials: Credentials) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise unauthorized("Sign in first: send the token as Authorization: Bearer <token>.")
    return credentials.credentials


Token = Annotated[str, Depends(current_token)]


def current_user(state: State, token: Token) -> User:
    with state.db.read() as connection:
        user = user_for_token(connection, token, now=utcnow())
    if user is None:
        raise unauthorized()
    return user


Caller = Annotated[User, Depends(current_user)]
