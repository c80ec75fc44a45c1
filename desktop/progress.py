"""Progress and cancellation for long jobs, as plain objects (no Qt), after Orange3's TaskState.

Long functions take a ``Progress``, call ``report`` as they go and ``check()`` at safe points; the
UI wraps one in a Qt signal adapter, the command line prints it, tests inspect it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


class Cancelled(Exception):  # noqa: N818 - it is an outcome, not an error
    """Raised by ``Progress.check`` when the user cancelled; the job stops at a safe point."""


@dataclass(frozen=True)
class ProgressReport:
    phase: str
    done: int
    total: int | None
    bytes_done: int = 0
    bytes_total: int | None = None


class Progress:
    """Collects reports from a worker and forwards them, throttled, to ``on_report``.

    Thread-safe: ``cancel`` may be called from any thread.
    """

    def __init__(
        self,
        on_report: Callable[[ProgressReport], None] | None = None,
        *,
        min_interval: float = 0.05,
    ) -> None:
        self._on_report = on_report
        self._min_interval = min_interval
        self._last_sent = 0.0
        self._cancel = threading.Event()
        self.last: ProgressReport | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled

    def report(
        self,
        phase: str,
        done: int,
        total: int | None = None,
        *,
        bytes_done: int = 0,
        bytes_total: int | None = None,
        force: bool = False,
    ) -> None:
        self.last = ProgressReport(phase, done, total, bytes_done, bytes_total)
        now = time.monotonic()
        finished = total is not None and done >= total
        if self._on_report and (force or finished or now - self._last_sent >= self._min_interval):
            self._last_sent = now
            self._on_report(self.last)
