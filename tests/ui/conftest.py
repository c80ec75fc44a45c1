"""UI test setup: Qt offscreen, Qt warnings fail the test (pyproject's qt_log_level_fail), and a
local store holding the demo workspace as the demo section lead would have it after a sync."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QSettings

from desktop.store import records
from desktop.store.db import DB_FILENAME, Store
from desktop.store.models import SyncState
from resources.demo import DEMO_LEAD, generate_workspace
from sync.client.auth import TokenStore

DEMO_TODAY = date(2026, 11, 22)


def demo_envelopes(*, markets: tuple[str, ...], **sizes: Any) -> Iterator[dict[str, Any]]:
    """The demo workspace as a lead of ``markets`` pulls it: global records and their markets'."""
    return generate_workspace(today=DEMO_TODAY, **sizes).envelopes(markets=markets)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = generate_workspace(today=DEMO_TODAY)
    lead = next(u for u in workspace.users if u.username == DEMO_LEAD)
    folder = tmp_path_factory.mktemp("demo-template")
    store = Store(folder)
    records.bulk_load(store.write, demo_envelopes(markets=lead.markets))
    with store.write() as session:
        session.add(
            SyncState(
                pk=1,
                client_id="00000000-0000-4000-8000-000000000001",
                server_url="http://127.0.0.1:9",
                username=lead.username,
                user_id=lead.id,
                display_name=lead.display_name,
                role=lead.role,
                markets=list(lead.markets),
                cursor=None,
                clock_offset_seconds=0.0,
            )
        )
    store.close()
    return folder / DB_FILENAME


@pytest.fixture
def demo_store(demo_template: Path, tmp_path: Path) -> Iterator[Store]:
    shutil.copy(demo_template, tmp_path / DB_FILENAME)
    store = Store(tmp_path)
    yield store
    store.close()


@pytest.fixture
def app_context(demo_store: Store, tmp_path: Path, qtbot: Any) -> Iterator[Any]:
    """An AppContext over the demo store, with settings in a temporary INI file."""
    from ui.context import make_context

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    ctx = make_context(demo_store, settings, tokens=TokenStore())
    yield ctx
    ctx.ops.wait_all()
