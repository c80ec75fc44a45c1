"""What every view needs, passed in (no globals): the store, the workspace, sync, the pools."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QSettings

from desktop.services.changes import Actor
from desktop.services.workspace import Workspace
from desktop.store.db import Store
from sync.client.auth import TokenStore
from sync.client.engine import SyncEngine, account
from ui.operations import AppSignals, Ops

# Acting before anyone signed in: may read everything local, may write nothing.
NOBODY = Actor(user_id="00000000-0000-0000-0000-000000000000", role="nobody")


@dataclass
class AppContext:
    store: Store
    engine: SyncEngine
    ops: Ops
    signals: AppSignals
    settings: QSettings
    workspace: Workspace = field(init=False)

    def __post_init__(self) -> None:
        self.workspace = Workspace(self.store, actor=self.current_actor())

    def current_actor(self) -> Actor:
        return account(self.store).actor() or NOBODY

    def refresh_actor(self) -> None:
        """After sign-in or a sync that changed the lead's role or markets."""
        self.workspace.actor = self.current_actor()


def make_context(
    store: Store, settings: QSettings, *, tokens: TokenStore | None = None
) -> AppContext:
    signals = AppSignals()
    return AppContext(
        store=store,
        engine=SyncEngine(store, tokens=tokens or TokenStore()),
        ops=Ops(signals),
        signals=signals,
        settings=settings,
    )
