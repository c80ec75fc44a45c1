"""The SLA timer of a request, in words: a live countdown on the server's clock, red once breached,
and what a request submitted offline is waiting for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from desktop.domain.values import parse_time
from desktop.queries.requests import RequestRow
from desktop.rules.requests import sla_clock

Tone = Literal["none", "ok", "soon", "breached", "queued"]
QUEUED: Final = "queued — the SLA starts when it reaches the server"
SOON: Final = timedelta(minutes=30)


@dataclass(frozen=True)
class SlaState:
    text: str
    tone: Tone
    who: str = ""  # who is to decide ("paid team", "conductor") while it waits


def countdown(span: timedelta) -> str:
    """``2 h 14 min``, ``14 min 05 s`` under an hour, ``1 d 3 h`` over a day."""
    seconds = int(abs(span).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def sla_state(row: RequestRow, *, now: datetime, clock_offset_seconds: float) -> SlaState:
    """What the SLA column says for ``row`` at local time ``now``."""
    status = row.status
    if status == "draft":
        return SlaState("not submitted yet", "none")
    if status == "withdrawn":
        return SlaState("withdrawn", "none")
    if status in ("approved", "declined"):
        if row.decided_at and row.submitted_at:
            took = parse_time(row.decided_at) - parse_time(row.submitted_at)
            late = bool(row.sla_due_at) and row.decided_at > (row.sla_due_at or "")
            text = f"decided in {countdown(took)}" + (", late" if late else "")
            return SlaState(text, "none")
        return SlaState("decided", "none")
    if not row.sla_due_at:
        return SlaState(QUEUED, "queued")
    clock = sla_clock(row.sla_due_at, local_now=now, clock_offset_seconds=clock_offset_seconds)
    who = "conductor" if status == "escalated" else "paid team"
    if clock.breached:
        return SlaState(f"breached {countdown(clock.remaining)} ago", "breached", who)
    tone: Tone = "soon" if clock.remaining <= SOON else "ok"
    return SlaState(f"{countdown(clock.remaining)} left", tone, who)
