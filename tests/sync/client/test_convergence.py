"""Property: random edits on several clients, synced in random order against the real server.

After each sync, every edit that client had pending is accounted for: on the server, or still
held locally behind a conflict shown to the lead. After the conflicts are resolved (either way)
and everyone syncs, every client equals the server.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop.services import entries as entry_ops
from desktop.services.changes import EditRefused
from desktop.services.conflicts import Resolution, list_conflicts, resolve_conflict
from desktop.store.db import Store
from desktop.store.models import CalendarEntry, Conflict
from sync.client.auth import TokenStore
from sync.client.engine import SyncEngine
from tests.conftest import start_server
from tests.sync.client.conftest import PASSWORD, Client
from tests.sync.client.helpers import outbox_size, server_record

USERS = ("lena-t", "max-t", "conductor-t")
FIELDS = ("caption", "title")
VALUES = ("alpha", "beta", "gamma", "delta")

edit = st.tuples(
    st.just("edit"),
    st.integers(0, 2),
    st.integers(0, 2),
    st.sampled_from(FIELDS),
    st.sampled_from(VALUES),
)
delete = st.tuples(st.just("delete"), st.integers(0, 2), st.integers(0, 2))
sync = st.tuples(st.just("sync"), st.integers(0, 2))
steps = st.lists(st.one_of(edit, edit, edit, delete, sync, sync), min_size=4, max_size=25)
choices = st.lists(st.sampled_from(["mine", "theirs"]), min_size=30, max_size=30)


@dataclass
class Pending:
    fields: dict[tuple[str, str], Any] = field(default_factory=dict)  # (entry, field) -> value
    deletes: set[str] = field(default_factory=set)


def in_conflict(client: Client, entry_id: str) -> bool:
    with client.store.read() as session:
        return session.scalar(select(Conflict.pk).where(Conflict.record_id == entry_id)) is not None


def check_accounted(client: Client, pending: Pending, server: Any) -> None:
    for (entry_id, name), value in list(pending.fields.items()):
        on_server = server_record(server, entry_id)
        applied = (
            on_server is not None and not on_server["deleted"] and on_server["data"][name] == value
        )
        local = client.get("calendar_entry", entry_id)
        held = in_conflict(client, entry_id) and local is not None and local["data"][name] == value
        assert applied or held, f"{client.name}'s edit {name}={value!r} of {entry_id} was lost"
        if applied and not in_conflict(client, entry_id):
            del pending.fields[(entry_id, name)]
    for entry_id in list(pending.deletes):
        on_server = server_record(server, entry_id)
        assert (on_server and on_server["deleted"]) or in_conflict(client, entry_id), (
            f"{client.name}'s delete of {entry_id} was lost"
        )
        if on_server and on_server["deleted"] and not in_conflict(client, entry_id):
            pending.deletes.discard(entry_id)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=steps, resolutions=choices)
def test_random_edits_and_syncs_converge_and_lose_nothing(
    plan: list[tuple[Any, ...]],
    resolutions: list[str],
    seeded_server_template: tuple[Path, Path],
    tmp_path_factory: Any,
) -> None:
    from sync.server.config import Settings

    folder = tmp_path_factory.mktemp("prop")
    shutil.copy(seeded_server_template[0], folder / "server.db")
    shutil.copytree(seeded_server_template[1], folder / "blobs")
    server = start_server(
        Settings(database_url=f"sqlite:///{folder / 'server.db'}", blob_dir=folder / "blobs")
    )
    clients: list[Client] = []
    try:
        for user in USERS:
            store = Store(folder / user)
            engine = SyncEngine(store, tokens=TokenStore())
            engine.sign_in(server.url, user, PASSWORD)
            clients.append(Client(user, store, engine))
            clients[-1].sync()
        with clients[0].store.read() as session:
            targets = list(
                session.scalars(
                    select(CalendarEntry.id)
                    .where(CalendarEntry.market == "de")
                    .order_by(CalendarEntry.id)
                    .limit(3)
                )
            )
        assert len(targets) == 3
        pending = [Pending() for _ in clients]

        for step in plan:
            who = clients[step[1]]
            mine = pending[step[1]]
            if step[0] == "sync":
                who.sync()
                check_accounted(who, mine, server)
                continue
            entry_id = targets[step[2]]
            try:
                if step[0] == "edit":
                    _, _, _, name, value = step
                    entry_ops.edit_entry(who.ws, entry_id=entry_id, fields={name: value})
                    mine.fields[(entry_id, name)] = value
                    mine.deletes.discard(entry_id)
                else:
                    entry_ops.delete_entries(who.ws, entry_ids=[entry_id])
                    mine.deletes.add(entry_id)
                    for key in [k for k in mine.fields if k[0] == entry_id]:
                        del mine.fields[key]
            except EditRefused:
                pass  # e.g. editing what this client already sees deleted: nothing was written

        # The leads resolve what is in conflict, either way; everyone syncs until quiet.
        picks = iter(resolutions * 4)
        conflicts_seen = 0
        for _round in range(6):
            for client in clients:
                for conflict in list_conflicts(client.ws):
                    conflicts_seen += 1
                    event(
                        "delete against edit"
                        if conflict["server_deleted"] or conflict["mine_deleted"]
                        else "field conflict"
                    )
                    side = next(picks)
                    resolve_conflict(
                        client.ws,
                        conflict_id=conflict["id"],
                        resolution=Resolution(
                            fields=dict.fromkeys(conflict["fields"], side),  # type: ignore[arg-type]
                            record=side,  # type: ignore[arg-type]
                        ),
                    )
                client.sync()
            if all(outbox_size(c) == 0 and not list_conflicts(c.ws) for c in clients):
                break
        event(f"conflicts resolved: {min(conflicts_seen, 3)}{'+' if conflicts_seen > 3 else ''}")
        for client in clients:
            client.sync()
            assert outbox_size(client) == 0 and not list_conflicts(client.ws)
        for entry_id in targets:
            on_server = server_record(server, entry_id)
            assert on_server is not None
            for client in clients:
                local = client.get("calendar_entry", entry_id)
                assert local is not None
                assert local["deleted"] == on_server["deleted"], client.name
                assert local["version"] == on_server["version"], client.name
                if not on_server["deleted"]:
                    for name in FIELDS:
                        assert local["data"][name] == on_server["data"][name], client.name
    finally:
        for client in clients:
            client.store.close()
        server.stop()
