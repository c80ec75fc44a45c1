"""The reports (pandas, no Qt): each builds a ``Report`` of tables and chart data from the store.

``REPORTS`` maps each report's name (as ``sectiondesk report NAME`` takes it) to its title;
``build_report(name, store, now=...)`` reads the store once and builds it. Runs on a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

from desktop.domain.values import utcnow
from desktop.reports import adaptation, amplify, overlap, requests, rights
from desktop.reports.frames import Frames, load_frames
from desktop.reports.model import Chart, Report, Table
from desktop.store.db import Store

__all__ = ["REPORTS", "Chart", "Frames", "Report", "Table", "build_all", "build_report"]

REPORTS: Final[dict[str, str]] = {
    amplify.NAME: amplify.TITLE,
    requests.NAME: requests.TITLE,
    rights.NAME: rights.TITLE,
    overlap.NAME: overlap.TITLE,
    adaptation.NAME: adaptation.TITLE,
}


def _builder(name: str, me: str | None) -> Callable[[Frames, datetime], Report]:
    if name == requests.NAME:
        return lambda frames, now: requests.build(frames, now=now, me=me)
    module = {m.NAME: m for m in (amplify, rights, overlap, adaptation)}.get(name)
    if module is None:
        known = ", ".join(REPORTS)
        raise KeyError(f'There is no report named "{name}"; the reports are: {known}.')
    return lambda frames, now: module.build(frames, now=now)


def build_report(
    name: str, store: Store, *, now: datetime | None = None, me: str | None = None
) -> Report:
    """The report ``name`` over the local store, as of ``now`` (default: the clock).

    ``me`` is the signed-in user's id (shown as "you"). KeyError for an unknown name."""
    builder = _builder(name, me)
    moment = now or utcnow()
    return builder(load_frames(store, now=moment), moment)


def build_all(
    store: Store, *, now: datetime | None = None, me: str | None = None
) -> dict[str, Report]:
    """Every report, from one read of the store."""
    moment = now or utcnow()
    frames = load_frames(store, now=moment)
    return {name: _builder(name, me)(frames, moment) for name in REPORTS}
