"""Passwords (scrypt), tokens (random, stored only as their SHA-256) and the users table.

Threading contract: plain functions over a connection the caller opened; no state of their own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import Connection, delete, insert, select, update

from desktop.domain.values import format_time, utcnow
from sync.schemas import ROLES, Me
from sync.server.models import tokens, users

MIN_PASSWORD_LENGTH: Final = 10
_SCRYPT_N: Final = 2**14
_SCRYPT_R: Final = 8
_SCRYPT_P: Final = 1
_MARKET_CODE = re.compile(r"^[a-z]{2,8}$")
# Hashed when a username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH: Final = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$" + "A" * 43 + "="


class UserError(ValueError):
    """A user that cannot be created or changed as asked; the message says why."""


@dataclass(frozen=True)
class User:
    id: str
    username: str
    display_name: str
    role: str
    markets: tuple[str, ...]
    scope_epoch: int

    @property
    def reads_all(self) -> bool:
        return self.role != "section_lead"

    def me(self) -> Me:
        return Me(
            id=self.id,
            username=self.username,
            display_name=self.display_name,
            role=self.role,
            markets=list(self.markets),
        )


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    b64 = base64.b64encode
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except ValueError:
        return False
    return scheme == "scrypt" and hmac.compare_digest(actual, expected)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row: Any) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        markets=tuple(json.loads(row.markets)),
        scope_epoch=row.scope_epoch,
    )


def authenticate(connection: Connection, username: str, password: str) -> User | None:
    row = connection.execute(select(users).where(users.c.username == username)).first()
    if row is None:
        verify_password(password, _DUMMY_HASH)
        return None
    return _user(row) if verify_password(password, row.password_hash) else None


def issue_token(
    connection: Connection, user: User, *, device_name: str, lifetime_s: float, now: datetime
) -> tuple[str, str]:
    """A new token for ``user``: returns (token, expires_at). Only its hash is stored."""
    token = secrets.token_urlsafe(32)  # 256 random bits
    expires_at = format_time(now + timedelta(seconds=lifetime_s))
    connection.execute(
        insert(tokens).values(
            token_hash=token_hash(token),
            user_id=user.id,
            device_name=device_name,
            created_at=format_time(now),
            expires_at=expires_at,
        )
    )
    return token, expires_at


def user_for_token(connection: Connection, token: str, *, now: datetime) -> User | None:
    digest = token_hash(token)
    row = connection.execute(
        select(users, tokens.c.token_hash, tokens.c.expires_at)
        .join(tokens, tokens.c.user_id == users.c.id)
        .where(tokens.c.token_hash == digest)
    ).first()
    # The lookup is by a hash of the token; the compare below is constant-time besides.
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return None
    if row.expires_at <= format_time(now):
        return None
    return _user(row)


def revoke_token(connection: Connection, token: str) -> None:
    connection.execute(delete(tokens).where(tokens.c.token_hash == token_hash(token)))


def user_by_id(connection: Connection, user_id: str) -> User | None:
    row = connection.execute(select(users).where(users.c.id == user_id)).first()
    return None if row is None else _user(row)


def all_users(connection: Connection) -> list[User]:
    return [_user(row) for row in connection.execute(select(users).order_by(users.c.username))]


def parse_markets(text: str) -> tuple[str, ...]:
    codes = tuple(sorted({part.strip().lower() for part in text.split(",") if part.strip()}))
    for code in codes:
        if not _MARKET_CODE.fullmatch(code):
            raise UserError(f"{code!r} is not a market code (2 to 8 lower-case letters)")
    return codes


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(
            f"The password is too short: use at least {MIN_PASSWORD_LENGTH} characters."
        )


def save_user(
    connection: Connection,
    *,
    username: str,
    role: str,
    markets: tuple[str, ...] | None,
    password: str | None,
    display_name: str | None = None,
    user_id: str | None = None,
) -> tuple[User, bool]:
    """Create a user or change only what is given; returns (user, created).

    A new password revokes the user's tokens; a change of role or markets raises the user's
    scope epoch, so cursors issued before it answer 410 resync_required.
    """
    username = username.strip()
    if not username or len(username) > 150:
        raise UserError("A username has 1 to 150 characters.")
    if role not in ROLES:
        raise UserError(f"{role!r} is not a role; use one of {', '.join(ROLES)}.")
    if password is not None:
        check_password(password)
    if markets is not None:
        markets = parse_markets(",".join(markets))
    now = format_time(utcnow())
    row = connection.execute(select(users).where(users.c.username == username)).first()
    if row is None:
        if password is None:
            raise UserError("A new user needs a password.")
        new_id = user_id or str(uuid.uuid4())
        connection.execute(
            insert(users).values(
                id=new_id,
                username=username,
                display_name=display_name or username,
                role=role,
                markets=json.dumps(list(markets or ())),
                password_hash=hash_password(password),
                scope_epoch=0,
                created_at=now,
                updated_at=now,
            )
        )
        user = user_by_id(connection, new_id)
        assert user is not None
        return user, True
    old = _user(row)
    values: dict[str, Any] = {"role": role, "updated_at": now}
    if markets is not None:
        values["markets"] = json.dumps(list(markets))
    if display_name is not None:
        values["display_name"] = display_name
    if password is not None:
        values["password_hash"] = hash_password(password)
        connection.execute(delete(tokens).where(tokens.c.user_id == old.id))
    if role != old.role or (markets is not None and tuple(markets) != old.markets):
        values["scope_epoch"] = old.scope_epoch + 1
    connection.execute(update(users).where(users.c.id == old.id).values(**values))
    user = user_by_id(connection, old.id)
    assert user is not None
    return user, False


def bump_scope_epochs(connection: Connection, user_ids: list[str]) -> None:
    """What these users may read changed: their older cursors must resync."""
    if user_ids:
        connection.execute(
            update(users)
            .where(users.c.id.in_(user_ids))
            .values(scope_epoch=users.c.scope_epoch + 1)
        )
