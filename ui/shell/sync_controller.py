"""When to sync, and what the window shows about it.

Syncs on demand, once at start (when signed in), every few minutes while online, and as soon as
the server answers again after being unreachable: while offline, a cheap ``/v1/health`` request
(no retries, a short timeout) is made every ``health_interval_ms``; that works headless and on
every platform, where QNetworkInformation may have no backend. Every sync and probe runs on the
network pool; the window never waits. Cancel is safe: the engine stops at a checkpoint and the
next run carries on.
"""

from __future__ import annotations

import enum
import logging
from typing import Any, Final

import requests
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.domain.records import RECORD_TYPES
from desktop.progress import Cancelled, Progress, ProgressReport
from sync.client.api import AuthRequired, Offline
from sync.client.engine import SyncSummary, account
from ui.operations import Op, Pool, alive, user_message

log = logging.getLogger(__name__)

OFFLINE_TEXT: Final = "Offline — your work is saved here and will sync later"
EVERY_TYPE: Final = frozenset(RECORD_TYPES) | {"conflict"}


def reachable(url: str, *, ca_bundle: str | None, timeout: float) -> bool | None:
    """True when the server answers ``/v1/health``, False when nothing answers (refused, no
    route, timeout), None when something answered that is not a healthy server (the sync itself
    then says what is wrong). One request, no retries: cheap enough to poll."""
    try:
        answer = requests.get(
            f"{url.rstrip('/')}/v1/health", timeout=timeout, verify=ca_bundle or True
        )
    except (requests.ConnectionError, requests.Timeout) as exc:
        if isinstance(exc, requests.exceptions.SSLError):
            return None
        return False
    except requests.RequestException:
        return None
    return True if answer.status_code == 200 else None


class SyncState(enum.StrEnum):
    SIGNED_OUT = "signed_out"
    ONLINE = "online"
    OFFLINE = "offline"
    SYNCING = "syncing"


class SyncController(QObject):
    """Owns the sync schedule; the status bar and the main window listen to its signals."""

    state_changed = Signal(str)  # a SyncState value
    progressed = Signal(object)  # ProgressReport
    synced = Signal(object)  # SyncSummary
    cancelled = Signal()
    failed = Signal(str)  # a plain message: the sync stopped for another reason
    sign_in_needed = Signal(str)  # why
    notice = Signal(str)  # something the lead should read once (keyring, conflicts)

    def __init__(
        self,
        ctx: Any,
        *,
        interval_ms: int = 5 * 60_000,
        health_interval_ms: int = 15_000,
        health_timeout: float = 3.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state = SyncState.SIGNED_OUT
        self.health_timeout = health_timeout
        self._op: Op[Any] | None = None
        self._probing = False
        self._keyring_told = False
        self.last_error: str | None = None
        self.periodic = QTimer(self)
        self.periodic.setInterval(interval_ms)
        self.periodic.timeout.connect(self._on_periodic)
        self.health = QTimer(self)
        self.health.setInterval(health_interval_ms)
        self.health.timeout.connect(self.probe)

    # --- state ----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._op is not None

    def _set_state(self, state: SyncState) -> None:
        if state is SyncState.OFFLINE:
            self.periodic.stop()
            if not self.health.isActive():
                self.health.start()
        elif state is SyncState.ONLINE:
            self.health.stop()
            if not self.periodic.isActive():
                self.periodic.start()
        elif state is SyncState.SIGNED_OUT:
            self.health.stop()
            self.periodic.stop()
        if state is not self.state:
            self.state = state
            self.state_changed.emit(state.value)

    def start(self, *, sync: bool = True) -> None:
        """At start: sync (when ``sync``) if this computer holds a sign-in, else show "signed
        out". Without ``sync`` only the state is shown (screenshots, tests)."""
        engine = self.ctx.engine

        def signed_in(_progress: Progress) -> bool:
            return bool(engine.has_token())

        Op(self.ctx.ops, signed_in, pool=Pool.NET).success(
            lambda yes: self._started(yes, sync=sync)
        ).failure(self._probe_failed).run()

    def _started(self, signed_in: bool, *, sync: bool) -> None:
        if not alive(self):
            return
        self._tell_keyring()
        if signed_in and sync:
            self.sync_now()
        elif signed_in:
            self.state = SyncState.ONLINE
            self.state_changed.emit(SyncState.ONLINE.value)
        else:
            self._set_state(SyncState.SIGNED_OUT)
            self.state_changed.emit(SyncState.SIGNED_OUT.value)

    # --- syncing --------------------------------------------------------------------------

    @Slot()
    def sync_now(self) -> None:
        if self._op is not None:
            return
        engine = self.ctx.engine

        store, timeout = self.ctx.store, self.health_timeout

        def job(progress: Progress) -> tuple[SyncSummary | None, Any]:
            if not engine.has_token():
                raise AuthRequired("Sign in to sync.")
            # One quick look first: offline is then known in a moment, not after the retries.
            url = account(store).server_url
            if url and reachable(url, ca_bundle=engine.ca_bundle, timeout=timeout) is False:
                raise Offline(
                    f"Cannot reach {url}. You can keep working; your changes sync when you are "
                    "back online."
                )
            try:
                summary = engine.sync(progress)
            except Cancelled:
                summary = None
            return summary, account(store).actor()

        self._set_state(SyncState.SYNCING)
        self._op = (
            Op(self.ctx.ops, job, pool=Pool.NET)
            .on_progress(self._progress)
            .success(self._finished)
            .failure(self._failed)
        )
        self._op.run()

    @Slot()
    def cancel(self) -> None:
        if self._op is not None:
            self._op.progress.cancel()

    def _progress(self, report: ProgressReport) -> None:
        self.progressed.emit(report)

    def _finished(self, result: tuple[SyncSummary | None, Any]) -> None:
        if not alive(self):
            return
        summary, actor = result
        self._op = None
        if actor is not None:
            self.ctx.workspace.actor = actor  # the lead's role or markets may have changed
        self.last_error = None
        self._set_state(SyncState.ONLINE)
        self._tell_keyring()
        if summary is None:
            self.ctx.signals.status.emit("Sync cancelled; nothing was lost. It goes on next time.")
            self.cancelled.emit()
            self.ctx.signals.changed.emit(EVERY_TYPE)
            return
        self.ctx.signals.changed.emit(EVERY_TYPE)
        self.synced.emit(summary)
        self.ctx.signals.status.emit(summary.line())
        waiting = []
        if summary.conflicts:
            n = summary.conflicts
            waiting.append(f"{n} edit{'s' if n != 1 else ''} clashed with central changes")
        if summary.rejected:
            n = summary.rejected
            waiting.append(f"{n} change{'s were' if n != 1 else ' was'} refused by the server")
        if waiting:
            self.notice.emit(
                "; ".join(waiting).capitalize() + ". Open Conflicts to choose what to keep."
            )
        self._enforce_budget()

    def _failed(self, error: BaseException) -> None:
        if not alive(self):
            return
        self._op = None
        self._tell_keyring()
        if isinstance(error, Offline):
            self.last_error = str(error)
            self._set_state(SyncState.OFFLINE)
            self.ctx.signals.status.emit(OFFLINE_TEXT)
            return
        if isinstance(error, AuthRequired):
            self.last_error = str(error)
            self._set_state(SyncState.SIGNED_OUT)
            self.sign_in_needed.emit(str(error))
            return
        message = user_message(error)
        self.last_error = message
        self._set_state(SyncState.ONLINE)
        self.failed.emit(message)
        self.ctx.signals.status.emit(f"Sync stopped: {message}")

    def _enforce_budget(self) -> None:
        store, files = self.ctx.store, self.ctx.engine.files

        def job(_progress: Progress) -> int:
            from desktop.services.preferences import load_preferences
            from sync.client.blobs import enforce_budget

            budget = load_preferences(store).storage_budget_bytes
            return int(enforce_budget(store, files, budget_bytes=budget))

        Op(self.ctx.ops, job, pool=Pool.DB).failure(
            lambda exc: log.warning("Could not keep offline files within budget: %s", exc)
        ).run()

    # --- the schedule ---------------------------------------------------------------------

    def _on_periodic(self) -> None:
        if self.state is SyncState.ONLINE:
            self.sync_now()

    @Slot()
    def probe(self) -> None:
        """Is the server back? One quick request; on an answer, sync."""
        if self._probing or self._op is not None:
            return
        store, ca_bundle, timeout = self.ctx.store, self.ctx.engine.ca_bundle, self.health_timeout

        def job(_progress: Progress) -> bool:
            url = account(store).server_url
            return bool(url) and reachable(url, ca_bundle=ca_bundle, timeout=timeout) is True

        self._probing = True
        Op(self.ctx.ops, job, pool=Pool.NET).success(self._probed).failure(self._probe_failed).run()

    def _probed(self, reachable: bool) -> None:
        if not alive(self):
            return
        self._probing = False
        if reachable and self.state is SyncState.OFFLINE:
            self.ctx.signals.status.emit("Back online: syncing your changes.")
            self.sync_now()

    def _probe_failed(self, error: BaseException) -> None:
        self._probing = False
        log.warning("Checking the connection failed: %s", error)

    def _tell_keyring(self) -> None:
        notice = self.ctx.engine.tokens.notice
        if notice and not self._keyring_told:
            self._keyring_told = True
            self.notice.emit(notice)

    def signed_in(self) -> None:
        """After the sign-in dialog succeeded: sync right away."""
        self._tell_keyring()
        self._set_state(SyncState.ONLINE)
        self.sync_now()

    def signed_out(self) -> None:
        self.cancel()
        self._set_state(SyncState.SIGNED_OUT)

    def stop(self) -> None:
        """On close: no more timers; a running sync is asked to stop at its next checkpoint."""
        self.periodic.stop()
        self.health.stop()
        self.cancel()
