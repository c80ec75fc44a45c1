"""The asset bank's Qt models over the demo store: paging, thumbnails, facets, palette, lineage."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QIcon
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.queries import assets as queries
from desktop.queries.assets import FacetValue
from desktop.store.db import Store
from tests.ui.assets_helpers import add_thumbnails
from tests.ui.conftest import DEMO_TODAY
from ui.assets.models import (
    ID_ROLE,
    PALETTE_MIME,
    AssetTableModel,
    FacetModel,
    LineageModel,
    PaletteItem,
    PaletteModel,
)
from ui.assets.palette import EMBARGO_PRESETS, rights_presets
from ui.assets.thumbs import ThumbnailCache


def all_ids(store: Store, **kw: Any) -> list[str]:
    ids: list[str] = []
    with store.read() as session:
        after = None
        while True:
            page = queries.search_asset_ids(session, after=after, limit=500, **kw)
            ids += page
            if len(page) < 500:
                return ids
            after = page[-1]


def test_the_asset_model_pages_through_the_demo_store(
    qtbot: QtBot, qtmodeltester: Any, demo_store: Store
) -> None:
    thumbs = ThumbnailCache()
    model = AssetTableModel(demo_store, thumbs, today=DEMO_TODAY, page_size=20)
    model.set_query("", {})
    assert model.rowCount() == 20 and model.canFetchMore()
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    expected = all_ids(demo_store)
    assert model.ids() == expected and len(expected) > 60
    qtmodeltester.check(model)
    first = model.index(0, 0)
    assert first.data(ID_ROLE) == expected[0]
    assert isinstance(first.data(Qt.ItemDataRole.DecorationRole), QIcon)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Name"
    assert model.index(0, 1).data() == model.asset(expected[0]).name
    thumbs.wait()


def test_a_search_refetches_and_keeps_only_matches(
    qtbot: QtBot, qtmodeltester: Any, demo_store: Store
) -> None:
    model = AssetTableModel(demo_store, ThumbnailCache(), today=DEMO_TODAY, page_size=10)
    model.set_query("summ", {"market": ["de"]})
    while model.canFetchMore():
        model.fetchMore()
    assert model.ids() == all_ids(demo_store, text="summ", facets={"market": ["de"]})
    assert all(model.asset(i).market == "de" for i in model.ids())
    qtmodeltester.check(model)
    model.set_query("zzzz-nothing", {})
    assert model.rowCount() == 0 and not model.canFetchMore()
    qtmodeltester.check(model)


def test_thumbnails_arrive_in_the_background_and_replace_the_placeholder(
    qtbot: QtBot, demo_store: Store
) -> None:
    add_thumbnails(demo_store)
    thumbs = ThumbnailCache()
    model = AssetTableModel(demo_store, thumbs, today=DEMO_TODAY)
    model.set_query("", {})
    index = model.index(0, 0)
    sha = model.asset(index.data(ID_ROLE)).sha256
    placeholder = index.data(Qt.ItemDataRole.DecorationRole)
    with qtbot.waitSignal(model.dataChanged, timeout=5000):
        pass
    qtbot.waitUntil(lambda: thumbs.get(sha, None) is not None, timeout=5000)
    icon = index.data(Qt.ItemDataRole.DecorationRole)
    assert icon.cacheKey() != placeholder.cacheKey()
    assert thumbs.get(sha, None).width() == 160
    thumbs.wait()


def test_the_thumbnail_cache_is_bounded(qtbot: QtBot, demo_store: Store) -> None:
    shas = add_thumbnails(demo_store, limit=12)
    thumbs = ThumbnailCache(max_bytes=160 * 107 * 4 * 5)
    for sha in shas:
        thumbs.get(sha, demo_store.data_dir / "thumbs" / sha[:2] / f"{sha}.img")
    qtbot.waitUntil(lambda: thumbs.pool.activeThreadCount() == 0 and not thumbs._pending)
    assert 1 <= len(thumbs) <= 5
    missing = thumbs.get("f" * 64, demo_store.data_dir / "nope.img")
    assert missing is None
    qtbot.waitUntil(lambda: thumbs.failed("f" * 64))


def test_facet_model_checks_values(qtbot: QtBot, qtmodeltester: Any) -> None:
    model = FacetModel("market")
    model.set_values([FacetValue("de", "DE Germany", 29), FacetValue("global", "Global", 51)])
    qtmodeltester.check(model)
    assert model.index(0).data() == "DE Germany  (29)"
    with qtbot.waitSignal(model.selection_changed):
        model.setData(model.index(1), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.selected == {"global"}
    assert model.index(1).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    model.clear_selection()
    assert not model.selected
    qtmodeltester.check(model)


def test_palette_items_drag_as_their_own_mime_type(qtbot: QtBot, qtmodeltester: Any) -> None:
    items = [PaletteItem("tag", "advent", "advent"), *rights_presets(("de", "fr"), DEMO_TODAY)]
    model = PaletteModel(items + EMBARGO_PRESETS)
    qtmodeltester.check(model)
    mime = model.mimeData([model.index(1)])
    body = json.loads(bytes(mime.data(PALETTE_MIME).data()))
    assert body == {
        "kind": "rights",
        "key": "organic-de",
        "label": "Organic only — DE",
        "payload": {"usage": ["organic"], "territories": ["de"]},
    }
    assert model.mimeTypes() == [PALETTE_MIME]
    assert model.flags(model.index(0)) & Qt.ItemFlag.ItemIsDragEnabled
    model.add(PaletteItem("tag", "new-one", "new-one"))
    assert model.index(0).data() == "new-one"
    qtmodeltester.check(model)
    assert PaletteItem.from_json(b"not json") is None


def test_lineage_model_lists_master_and_variants(
    qtbot: QtBot, qtmodeltester: Any, demo_store: Store
) -> None:
    with demo_store.read() as session:
        variant = session.execute(
            text("SELECT id FROM assets WHERE master_id IS NOT NULL LIMIT 1")
        ).scalar_one()
        family = queries.lineage(session, variant)
    model = LineageModel()
    model.set_rows([family.master, *family.variants], variant)
    qtmodeltester.check(model)
    assert model.index(0).data().startswith("Global master: ")
    shown = [model.index(r).data() for r in range(model.rowCount())]
    assert any(s.endswith("(shown)") for s in shown)
    assert model.index(0, 0, QModelIndex()).data(ID_ROLE) == family.master.id
