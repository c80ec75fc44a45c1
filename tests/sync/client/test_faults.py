"""Faults between the client and the real server: lost answers, corrupt and cut downloads,
revoked tokens, resyncs, a server that is gone, and answers that are not the protocol."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.progress import Cancelled, Progress
from desktop.services import entries as entry_ops
from desktop.store.models import RECORD_MODELS, BlobCache, PushBatch, SyncState
from sync.client import blobs
from sync.client.api import AuthRequired, BadAnswer, Offline, ServerRefused
from tests.sync.client.conftest import PASSWORD
from tests.sync.client.faultproxy import FaultProxy
from tests.sync.client.helpers import (
    add_file_asset,
    first_id,
    outbox_size,
    server_record,
    set_markets,
)


@pytest.fixture
def proxy(server: Any) -> Iterator[FaultProxy]:
    made = FaultProxy(server.url)
    yield made
    made.close()


def test_a_lost_push_answer_is_retried_and_writes_nothing_twice(
    make_client: Any, server: Any, proxy: FaultProxy
) -> None:
    lena = make_client("lena-t", srv=proxy)
    lena.sync()
    entry_id = first_id(lena, "calendar_entry", market="de")
    before = server_record(server, entry_id)
    assert before is not None
    entry_ops.edit_entry(lena.ws, entry_id=entry_id, fields={"caption": "Once only"})
    fault = proxy.inject("POST", "/v1/changes", "drop_answer")
    summary = lena.sync()
    assert fault.hits == 1  # the server committed the push, the answer was lost, it was resent
    assert summary.pushed == 1 and outbox_size(lena) == 0
    after = server_record(server, entry_id)
    assert after is not None
    assert after["version"] == before["version"] + 1
    assert after["data"]["caption"] == "Once only"


def test_a_push_whose_answers_keep_getting_lost_is_replayed_next_sync(
    make_client: Any, server: Any, proxy: FaultProxy
) -> None:
    lena = make_client("lena-t", srv=proxy)
    lena.sync()
    entry_id = first_id(lena, "calendar_entry", market="de")
    version = server_record(server, entry_id)["version"]  # type: ignore[index]
    entry_ops.edit_entry(lena.ws, entry_id=entry_id, fields={"caption": "Eventually"})
    proxy.inject("POST", "/v1/changes", "drop_answer", times=10)
    with pytest.raises(Offline):
        lena.sync()
    with lena.store.read() as session:
        (batch,) = session.scalars(select(PushBatch)).all()
        sent = batch.payload["body"]
    # Meanwhile the lead edits the same entry again: that waits for the next batch.
    entry_ops.edit_entry(lena.ws, entry_id=entry_id, fields={"title": "Later edit"})
    proxy.faults.clear()
    lena.sync()
    assert server_record(server, entry_id)["data"]["caption"] == "Eventually"  # type: ignore[index]
    assert server_record(server, entry_id)["data"]["title"] == "Later edit"  # type: ignore[index]
    # The replayed batch was applied once (+1), the later edit once more (+1).
    assert server_record(server, entry_id)["version"] == version + 2  # type: ignore[index]
    from sync.server.models import push_batches

    with server.db.read() as connection:
        ids = set(connection.scalars(select(push_batches.c.batch_id)))
    assert sent["batch_id"] in ids
    assert outbox_size(lena) == 0


def test_a_corrupt_download_is_retried_and_never_kept(make_client: Any, proxy: FaultProxy) -> None:
    lena = make_client("lena-t", srv=proxy)
    lena.sync()
    asset_id = first_id(lena, "asset", market="de")
    sha = lena.data("asset", asset_id)["sha256"]
    proxy.inject("GET", f"/v1/blobs/{sha}", "corrupt_body", times=1)
    api = lena.engine.api()
    path = blobs.download_blob(lena.store, api, lena.engine.files, sha)
    assert blobs.sha256_file(path)[0] == sha
    other_id = first_id(lena, "asset", market="fr")
    other = lena.data("asset", other_id)["sha256"]
    if other != sha:
        proxy.inject("GET", f"/v1/blobs/{other}", "corrupt_body", times=10)
        with pytest.raises(BadAnswer, match="corrupt"):
            blobs.download_blob(lena.store, api, lena.engine.files, other)
        target = lena.engine.files.blob_path(other)
        assert not target.exists()
        assert not target.with_name(target.name + ".part").exists()
    api.close()


def test_a_cut_download_resumes_with_a_range_request(make_client: Any, proxy: FaultProxy) -> None:
    lena = make_client("lena-t", srv=proxy)
    lena.sync()
    _asset_id, sha = add_file_asset(lena, size=1024 * 1024)
    assert lena.sync().uploaded == 1
    lena.engine.files.blob_path(sha).unlink()  # as if evicted by the storage budget
    proxy.inject("GET", f"/v1/blobs/{sha}", "cut_body", times=1)
    api = lena.engine.api()
    with pytest.raises(Offline, match="resumes"):
        blobs.download_blob(lena.store, api, lena.engine.files, sha)
    target = lena.engine.files.blob_path(sha)
    part = target.with_name(target.name + ".part")
    assert part.exists() and part.stat().st_size > 0 and not target.exists()
    path = blobs.download_blob(lena.store, api, lena.engine.files, sha)
    assert blobs.sha256_file(path)[0] == sha and not part.exists()
    api.close()


def test_a_revoked_token_asks_to_sign_in_and_keeps_offline_edits(
    make_client: Any, server: Any
) -> None:
    lena = make_client("lena-t")
    lena.sync()
    entry_id = first_id(lena, "calendar_entry", market="de")
    entry_ops.edit_entry(lena.ws, entry_id=entry_id, fields={"caption": "Written on a plane"})
    server.add_user("lena-t", PASSWORD + "!", "section_lead", ["de", "fr"])  # revokes tokens
    with pytest.raises(AuthRequired):
        lena.sync()
    assert not lena.engine.has_token()  # the stale token is gone
    assert outbox_size(lena) == 1
    assert lena.data("calendar_entry", entry_id)["caption"] == "Written on a plane"
    lena.engine.sign_in(server.url, "lena-t", PASSWORD + "!")
    assert lena.sync().pushed == 1
    assert server_record(server, entry_id)["data"]["caption"] == "Written on a plane"  # type: ignore[index]


def test_resync_keeps_the_outbox_and_forgets_a_market_taken_away(
    make_client: Any, server: Any
) -> None:
    lena = make_client("lena-t")
    lena.sync()
    de_entry = first_id(lena, "calendar_entry", market="de")
    fr_entry = first_id(lena, "calendar_entry", market="fr")
    entry_ops.edit_entry(lena.ws, entry_id=de_entry, fields={"caption": "Pending during resync"})
    set_markets(server, "lena-t", "section_lead", ("de",))  # FR taken away: cursor is stale
    summary = lena.sync()
    assert summary.resynced and summary.pushed == 1
    assert lena.get("calendar_entry", fr_entry) is None
    assert server_record(server, de_entry)["data"]["caption"] == "Pending during resync"  # type: ignore[index]
    assert lena.data("calendar_entry", de_entry)["caption"] == "Pending during resync"
    assert lena.ws.actor.markets == ("de", "fr")  # the open workspace learns at its next start
    assert lena.engine.sync().pulled == 0


def test_a_server_that_is_gone_means_offline_and_nothing_lost(
    make_client: Any, server: Any
) -> None:
    lena = make_client("lena-t")
    lena.sync()
    entry_id = first_id(lena, "calendar_entry", market="de")
    entry_ops.edit_entry(lena.ws, entry_id=entry_id, fields={"caption": "No wifi"})
    server.stop()
    with pytest.raises(Offline, match="keep working"):
        lena.sync()
    assert outbox_size(lena) == 1
    assert lena.data("calendar_entry", entry_id)["caption"] == "No wifi"


def test_an_answer_that_is_not_the_protocol_applies_nothing(
    make_client: Any, proxy: FaultProxy
) -> None:
    lena = make_client("lena-t", srv=proxy)
    proxy.inject("GET", "/v1/changes", "garbage_body")
    with pytest.raises(BadAnswer, match="not what the sync protocol allows"):
        lena.sync()
    with lena.store.read() as session:
        assert session.get(SyncState, 1).cursor is None  # type: ignore[union-attr]
        model = RECORD_MODELS["calendar_entry"]
        assert session.scalar(select(func.count()).select_from(model)) == 0
    assert lena.sync().pulled > 0


def test_an_upload_resumes_after_a_cancel_and_after_a_lost_chunk_answer(
    make_client: Any, server: Any, proxy: FaultProxy
) -> None:
    lena = make_client("lena-t", srv=proxy)
    lena.sync()
    size = 9 * 1024 * 1024 + 123  # three chunks of 4 MiB
    asset_id, sha = add_file_asset(lena, size=size)

    def cancel_after_first_chunk(report: Any) -> None:
        if report.bytes_done >= 4 * 1024 * 1024:
            progress.cancel()

    progress = Progress(cancel_after_first_chunk, min_interval=0)
    with pytest.raises(Cancelled):
        lena.engine.sync(progress, thumbnails=False)
    with lena.store.read() as session:
        row = session.get(BlobCache, sha)
        assert row is not None and row.upload_id and row.upload_offset == 4 * 1024 * 1024
    assert outbox_size(lena) == 1  # the asset waits for its file
    proxy.inject("PUT", "/v1/uploads/", "drop_answer")  # the server writes a chunk, no answer
    summary = lena.sync()
    assert summary.uploaded == 1 and summary.pushed == 1
    stored = server.blob_dir.rglob(sha)
    assert [p.stat().st_size for p in stored] == [size]
    assert server_record(server, asset_id)["data"]["sha256"] == sha  # type: ignore[index]


def synced_with_an_edit(make_client: Any, proxy: FaultProxy, caption: str) -> tuple[Any, str]:
    """Lena, synced through the proxy, with an unsent edit of a DE entry's caption."""
    lena = make_client("lena-t", srv=proxy)
    lena.sync()
    entry_id = first_id(lena, "calendar_entry", market="de")
    entry_ops.edit_entry(lena.ws, entry_id=entry_id, fields={"caption": caption})
    return lena, entry_id


def test_a_busy_server_is_waited_out_as_it_asks(
    make_client: Any, server: Any, proxy: FaultProxy
) -> None:
    lena, entry_id = synced_with_an_edit(make_client, proxy, "After the wait")
    busy = proxy.inject("POST", "/v1/changes", "busy", times=2, retry_after="1")
    started = time.monotonic()
    summary = lena.sync()
    assert busy.hits == 2
    assert time.monotonic() - started >= 2.0  # Retry-After: 1, twice
    assert summary.pushed == 1 and outbox_size(lena) == 0
    assert server_record(server, entry_id)["data"]["caption"] == "After the wait"  # type: ignore[index]


def test_a_server_busy_for_long_says_when_to_sync_again_and_keeps_the_edit(
    make_client: Any, server: Any, proxy: FaultProxy
) -> None:
    lena, entry_id = synced_with_an_edit(make_client, proxy, "Kept while busy")
    busy = proxy.inject("POST", "/v1/changes", "busy", times=5, retry_after="3600")
    started = time.monotonic()
    with pytest.raises(ServerRefused) as refused:
        lena.sync()
    assert time.monotonic() - started < 20  # not an hour's sleep on the sync thread
    assert busy.hits == 1
    assert refused.value.status == 429
    assert "busy" in str(refused.value)
    assert "Sync again in about 60 minutes" in str(refused.value)
    assert outbox_size(lena) == 1
    proxy.faults.clear()
    lena.sync()
    assert server_record(server, entry_id)["data"]["caption"] == "Kept while busy"  # type: ignore[index]


def test_an_unreadable_retry_after_falls_back_to_backing_off(
    make_client: Any, server: Any, proxy: FaultProxy
) -> None:
    lena = make_client("lena-t", srv=proxy)
    busy = proxy.inject("GET", "/v1/changes", "busy", times=1, retry_after="soon, maybe")
    summary = lena.sync()
    assert busy.hits == 1
    assert summary.pulled > 0
