"""Pulling: apply each page of server changes and move the cursor, in one transaction per page.

A record the lead has unpushed edits to keeps its edited fields and takes the server's values for
the rest (the push then lets the server decide merge or conflict against the base version). A
tombstone removes a record unless the lead has edits to it. The next page is fetched while this
one is written, so the network and the disk work at the same time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from desktop.domain.records import RecordError, validate_many
from desktop.domain.values import parse_time
from desktop.progress import Progress
from desktop.store import fts, records
from desktop.store.db import Store
from desktop.store.models import OutboxOp, RecordHistory, SyncState
from sync.client.api import BadAnswer, ResyncRequired, ServerApi
from sync.schemas import PullPage

PAGE_SIZE = 2_000
ADAPTED = {"calendar_entry": "parent_id", "asset": "master_id"}


@dataclass
class PullSummary:
    pulled: int = 0
    deleted: int = 0
    resynced: bool = False


def pull(
    store: Store, api: ServerApi, *, progress: Progress, page_size: int = PAGE_SIZE
) -> PullSummary:
    summary = PullSummary()
    cursor = _cursor(store)
    try:
        _pull_pages(
            store, api, cursor, summary=summary, progress=progress, page_size=page_size, seen=None
        )
    except ResyncRequired:
        # The server cannot continue from our cursor: start again, keep every unpushed edit,
        # and forget records we may no longer read (a market taken away).
        summary.resynced = True
        seen: dict[str, set[str]] = defaultdict(set)
        _pull_pages(
            store, api, None, summary=summary, progress=progress, page_size=page_size, seen=seen
        )
        _forget_unseen(store, seen)
    return summary


def _cursor(store: Store) -> str | None:
    with store.read() as session:
        state = session.get(SyncState, 1)
        return None if state is None else state.cursor


def _pull_pages(
    store: Store,
    api: ServerApi,
    cursor: str | None,
    *,
    summary: PullSummary,
    progress: Progress,
    page_size: int,
    seen: dict[str, set[str]] | None,
) -> None:
    progress.report("Receiving changes", summary.pulled, None, force=True)
    with store.read() as session:
        # A full pull (or one continuing an interrupted full pull) loads with the search index
        # deferred and rebuilds it in its last page's transaction.
        bulk = cursor is None or fts.is_deferred(session)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull-fetch") as fetcher:
        pending: Future[PullPage] = fetcher.submit(api.pull, cursor, page_size)
        while True:
            page = pending.result()
            received_at = datetime.now(UTC)
            progress.check()
            if page["has_more"]:
                pending = fetcher.submit(api.pull, page["cursor"], page_size)
            deleted = apply_page(
                store,
                page,
                received_at=received_at,
                seen=seen,
                index=("defer" if page["has_more"] else "rebuild") if bulk else "live",
            )
            summary.pulled += len(page["changes"])
            summary.deleted += deleted
            progress.report("Receiving changes", summary.pulled, None)
            if not page["has_more"]:
                return


def _validated(raw: Iterable[Any]) -> list[dict[str, Any]]:
    """The page's records, each live record's data checked against its type (one pydantic call
    per type and page)."""
    out = list(raw)
    live: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for envelope in out:
        if not envelope["deleted"]:
            live[envelope["type"]].append(envelope)
    for record_type, group in live.items():
        try:
            checked = validate_many(record_type, [e["data"] for e in group])
        except RecordError as exc:
            raise BadAnswer(
                f"The server sent a record that does not fit the protocol ({exc}). Nothing "
                "from this page was applied; tell your hub's administrator."
            ) from None
        for envelope, data in zip(group, checked, strict=True):
            envelope["data"] = data
    return out


def apply_page(
    store: Store,
    page: PullPage,
    *,
    received_at: datetime,
    seen: dict[str, set[str]] | None = None,
    index: Literal["live", "defer", "rebuild"] = "live",
) -> int:
    """Write one page and its cursor in one transaction; returns the number of deletions.

    ``index``: keep the search index in step row by row (``live``), skip it (``defer``), or
    rebuild it at the end of this page (``rebuild``, the last page of a full pull).
    """
    changes = _validated(page["changes"])
    by_type: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in changes:
        by_type[record["type"]].append(record)
        if seen is not None:
            seen[record["type"]].add(record["id"])
    deleted = 0
    with store.write() as session:
        if index == "defer":
            fts.defer(session)
        for record_type, group in by_type.items():
            pending = _pending_fields(session, record_type, [r["id"] for r in group])
            if record_type in ADAPTED:
                _keep_master_history(session, record_type, group)
            live: list[dict[str, Any]] = []
            tombstones: list[dict[str, Any]] = []
            merged_ids = [r["id"] for r in group if r["id"] in pending]
            local = records.load(session, record_type, merged_ids) if merged_ids else {}
            for incoming in group:
                record = incoming
                edited = pending.get(record["id"])
                if edited is not None:
                    mine = local.get(record["id"])
                    if record["deleted"] or mine is None:
                        continue  # the lead's edits decide; the push will meet the delete
                    keep = set(mine["data"]) if edited == {"*"} else edited
                    record = {
                        **incoming,
                        "deleted": mine["deleted"],
                        "data": {**record["data"], **{k: mine["data"][k] for k in keep}},
                    }
                if record["deleted"]:
                    tombstones.append(record)
                else:
                    live.append(record)
            records.upsert(session, record_type, live)
            records.mark_deleted(session, record_type, tombstones)
            deleted += len(tombstones)
        if index == "rebuild":
            fts.rebuild(session)
        state = session.get(SyncState, 1)
        if state is None:
            raise BadAnswer("This store has no sync state; sign in before syncing.")
        state.cursor = page["cursor"]
        server_now = parse_time(page["server_time"])
        state.clock_offset_seconds = (server_now - received_at).total_seconds()
    return deleted


def _pending_fields(session: Session, record_type: str, ids: list[str]) -> dict[str, set[str]]:
    """Fields with unpushed local edits, per record id (``{"*"}``: the whole record)."""
    found: dict[str, set[str]] = {}
    for part in records.chunks(ids):
        rows = session.execute(
            select(
                OutboxOp.record_id, OutboxOp.fields, OutboxOp.deleted, OutboxOp.base_version
            ).where(OutboxOp.record_type == record_type, OutboxOp.record_id.in_(part))
        )
        for record_id, fields, was_deleted, base_version in rows:
            names = found.setdefault(record_id, set())
            if was_deleted or base_version is None:
                found[record_id] = {"*"}
            elif names != {"*"}:
                names.update(fields)
    return found


def _keep_master_history(session: Session, record_type: str, group: list[dict[str, Any]]) -> None:
    """Before a global record is replaced, keep its old data if a local adaptation points at it."""
    masters = [r for r in group if not r["deleted"] and r["data"].get("market") is None]
    if not masters:
        return
    table = records.table(record_type)
    link = table.c[ADAPTED[record_type]]
    ids = [r["id"] for r in masters]
    referenced: set[str] = set()
    for part in records.chunks(ids):
        referenced.update(
            row[0] for row in session.execute(select(link).where(link.in_(part)).distinct())
        )
    if not referenced:
        return
    old = records.load(session, record_type, referenced)
    rows = [
        {"record_type": record_type, "record_id": i, "version": r["version"], "data": r["data"]}
        for i, r in old.items()
        if r["version"] > 0
    ]
    if rows:
        session.execute(insert(RecordHistory).on_conflict_do_nothing(), rows)


def _forget_unseen(store: Store, seen: dict[str, set[str]]) -> None:
    """After a resync, drop synced records the server no longer sends us (unless edited here)."""
    with store.write() as session:
        edited = {
            (t, i) for t, i in session.execute(select(OutboxOp.record_type, OutboxOp.record_id))
        }
        for record_type in records.DATA_FIELDS:
            table = records.table(record_type)
            stale = [
                row.id
                for row in session.execute(select(table.c.id).where(table.c.version > 0))
                if row.id not in seen.get(record_type, set())
                and (record_type, row.id) not in edited
            ]
            records.purge(session, record_type, stale)
