"""One sync run, and signing in: the client side of PROTOCOL.md over the local store.

A run uploads the files that pending changes need, pushes the outbox, pulls what changed, then
fetches thumbnails and pinned files. Every step is resumable: cancel or kill it at any moment and
the next run carries on, with nothing lost and nothing sent twice.

Threading contract: ``sync`` and ``sign_in`` run on a worker thread and touch no widget; only the
returned dataclasses cross back.
"""

from __future__ import annotations

import socket
import time
import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, select

from desktop.domain.values import format_time, utcnow
from desktop.progress import Progress
from desktop.services.changes import Actor
from desktop.store.db import Store
from desktop.store.files import BlobFiles
from desktop.store.models import RECORD_MODELS, OutboxOp, SyncState
from sync.client import blobs
from sync.client.api import AuthRequired, ServerApi, SyncError
from sync.client.auth import TokenStore
from sync.client.pull import PAGE_SIZE, pull
from sync.client.push import push
from sync.schemas import Me


@dataclass
class SyncSummary:
    pulled: int = 0
    deleted: int = 0
    pushed: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    uploaded: int = 0
    thumbnails: int = 0
    resynced: bool = False
    rejections: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        parts = [
            f"pulled {self.pulled}",
            f"pushed {self.pushed}" + (f" ({self.merged} merged)" if self.merged else ""),
            f"{self.conflicts} conflict{'s' if self.conflicts != 1 else ''}",
            f"{self.rejected} rejected",
        ]
        if self.uploaded:
            parts.append(f"{self.uploaded} file{'s' if self.uploaded != 1 else ''} uploaded")
        return "Synced: " + ", ".join(parts) + f" in {self.seconds:.1f} s"


@dataclass(frozen=True)
class Account:
    """Who this store belongs to (from ``sync_state``); plain values for any thread."""

    client_id: str
    server_url: str | None
    username: str | None
    user_id: str | None
    display_name: str | None
    role: str | None
    markets: tuple[str, ...]
    last_sync_at: str | None
    clock_offset_seconds: float

    def actor(self) -> Actor | None:
        if not self.user_id or not self.role:
            return None
        return Actor(user_id=self.user_id, role=self.role, markets=self.markets)


def account(store: Store) -> Account:
    """This store's account, creating its client id on first use (the only time it writes)."""
    with store.read() as session:
        state = session.get(SyncState, 1)
        if state is not None:
            return _account_of(state)
    with store.write() as session:
        state = session.get(SyncState, 1)
        if state is None:
            state = SyncState(pk=1, client_id=str(uuid.uuid4()), markets=[])
            session.add(state)
            session.flush()
        return _account_of(state)


def _account_of(state: SyncState) -> Account:
    return Account(
        client_id=state.client_id,
        server_url=state.server_url,
        username=state.username,
        user_id=state.user_id,
        display_name=state.display_name,
        role=state.role,
        markets=tuple(state.markets or ()),
        last_sync_at=state.last_sync_at,
        clock_offset_seconds=state.clock_offset_seconds,
    )


class SyncEngine:
    """Signs in and syncs one local store with its central endpoint."""

    def __init__(
        self,
        store: Store,
        *,
        tokens: TokenStore,
        ca_bundle: str | None = None,
        device_name: str | None = None,
    ) -> None:
        self.store = store
        self.tokens = tokens
        self.ca_bundle = ca_bundle
        self.device_name = device_name or f"Section Desk on {socket.gethostname()}"
        self.files = BlobFiles(store.data_dir)

    # --- signing in -----------------------------------------------------------------------

    def has_token(self) -> bool:
        acct = account(self.store)
        return bool(
            acct.server_url and acct.username and self.tokens.get(acct.server_url, acct.username)
        )

    def sign_in(self, server_url: str, username: str, password: str) -> Me:
        """Exchange the password for a token (kept only in the keyring) and record who we are."""
        server_url = server_url.rstrip("/")
        acct = account(self.store)
        other = acct.username and (acct.server_url, acct.username) != (server_url, username)
        if other and self._holds_work():
            raise SyncError(
                f"This local store holds the work of {acct.username} on {acct.server_url}. "
                "To sign in as someone else or elsewhere, use another data folder (--data-dir)."
            )
        api = ServerApi(server_url, ca_bundle=self.ca_bundle)
        try:
            answer = api.sign_in(username, password, self.device_name)
        finally:
            api.close()
        self.tokens.set(server_url, username, answer.token)
        self._record_me(server_url, username, answer.user)
        return answer.user

    def sign_out(self) -> None:
        acct = account(self.store)
        if not acct.server_url or not acct.username:
            return
        token = self.tokens.get(acct.server_url, acct.username)
        self.tokens.clear(acct.server_url, acct.username)
        if token:
            api = ServerApi(acct.server_url, token=token, ca_bundle=self.ca_bundle)
            try:
                api.sign_out()
            except SyncError:
                pass  # offline or already revoked: the token is gone from this computer anyway
            finally:
                api.close()

    def _holds_work(self) -> bool:
        with self.store.read() as session:
            if session.scalar(select(func.count()).select_from(OutboxOp)):
                return True
            return any(
                session.scalar(select(func.count()).select_from(model).where(model.version > 0))
                for model in RECORD_MODELS.values()
            )

    def _record_me(self, server_url: str, username: str, me: Me) -> None:
        with self.store.write() as session:
            state = session.get(SyncState, 1)
            assert state is not None  # created by account() above
            if (state.server_url, state.username) != (server_url, username):
                state.cursor = None  # a new account starts from the beginning
            state.server_url = server_url
            state.username = username
            state.user_id = me.id
            state.display_name = me.display_name
            state.role = me.role
            state.markets = list(me.markets)

    # --- syncing --------------------------------------------------------------------------

    def api(self) -> ServerApi:
        acct = account(self.store)
        if not acct.server_url or not acct.username:
            raise AuthRequired("Sign in to a server first.")
        token = self.tokens.get(acct.server_url, acct.username)
        if not token:
            raise AuthRequired(f"Sign in to {acct.server_url} as {acct.username} to sync.")
        return ServerApi(acct.server_url, token=token, ca_bundle=self.ca_bundle)

    def sync(
        self,
        progress: Progress | None = None,
        *,
        thumbnails: bool = True,
        page_size: int | None = None,
    ) -> SyncSummary:
        """Upload, push, pull, then fetch thumbnails and pinned files."""
        progress = progress or Progress()
        started = time.monotonic()
        acct = account(self.store)
        summary = SyncSummary()
        api = self.api()
        try:
            me = api.me()
            assert acct.server_url and acct.username
            self._record_me(acct.server_url, acct.username, me)
            summary.uploaded = blobs.upload_pending(self.store, api, self.files, progress=progress)
            pushed = push(self.store, api, client_id=acct.client_id, progress=progress)
            pulled = pull(self.store, api, progress=progress, page_size=page_size or PAGE_SIZE)
            if thumbnails:
                summary.thumbnails = blobs.fetch_thumbnails(
                    self.store, api, self.files, progress=progress
                )
                blobs.download_pinned(self.store, api, self.files, progress=progress)
        except AuthRequired:
            assert acct.server_url and acct.username
            self.tokens.clear(acct.server_url, acct.username)
            raise
        finally:
            api.close()
        with self.store.write() as session:
            state = session.get(SyncState, 1)
            assert state is not None
            state.last_sync_at = format_time(utcnow())
        summary.pulled, summary.deleted, summary.resynced = (
            pulled.pulled,
            pulled.deleted,
            pulled.resynced,
        )
        summary.pushed, summary.merged = pushed.pushed, pushed.merged
        summary.conflicts, summary.rejected = pushed.conflicts, pushed.rejected
        summary.rejections = pushed.rejections
        summary.seconds = time.monotonic() - started
        return summary
