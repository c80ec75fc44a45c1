"""Where the sign-in token lives: only in the operating system's keyring.

One keyring entry per server and user (service ``section-desk``). Where no keyring backend works
(many Linux machines, CI), the token is kept in memory for this run only and ``notice`` says so.
The token is never written to SQLite, settings files or logs.
"""

from __future__ import annotations

import contextlib

import keyring
from keyring.errors import KeyringError

SERVICE = "section-desk"
NO_KEYRING_NOTICE = (
    "No system keyring is available, so your sign-in is kept only until you close Section Desk. "
    "You will be asked to sign in again next time; your work is kept either way."
)


def _entry(server_url: str, username: str) -> str:
    return f"{username}@{server_url.rstrip('/')}"


class TokenStore:
    """Tokens per (server, user): keyring first, memory when the keyring is unusable."""

    def __init__(self) -> None:
        self._memory: dict[str, str] = {}
        self.notice: str | None = None

    def _fall_back(self) -> None:
        self.notice = NO_KEYRING_NOTICE

    def get(self, server_url: str, username: str) -> str | None:
        key = _entry(server_url, username)
        if key in self._memory:
            return self._memory[key]
        try:
            return keyring.get_password(SERVICE, key)
        except (KeyringError, RuntimeError):  # no backend, or a locked/broken one
            self._fall_back()
            return None

    def set(self, server_url: str, username: str, token: str) -> None:
        key = _entry(server_url, username)
        try:
            keyring.set_password(SERVICE, key, token)
        except (KeyringError, RuntimeError):
            self._fall_back()
            self._memory[key] = token
        else:
            self._memory.pop(key, None)

    def clear(self, server_url: str, username: str) -> None:
        key = _entry(server_url, username)
        self._memory.pop(key, None)
        # Nothing stored there, or no keyring: the memory copy is gone already.
        with contextlib.suppress(KeyringError, RuntimeError):
            keyring.delete_password(SERVICE, key)

    @property
    def persistent(self) -> bool:
        return self.notice is None
