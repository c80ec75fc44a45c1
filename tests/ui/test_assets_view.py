"""The asset bank view: search as you type, facets with counts, the detail panel's editors, undo."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.queries import assets as queries
from desktop.store import records
from tests.ui.assets_helpers import add_thumbnails
from ui.assets.models import ID_ROLE
from ui.assets.view import AssetBankView


@pytest.fixture
def bank(qtbot: QtBot, app_context: Any) -> Iterator[AssetBankView]:
    view = AssetBankView(app_context)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    qtbot.waitUntil(lambda: view.facets.models["market"].rowCount() > 0, timeout=30_000)
    yield view
    app_context.ops.wait_all()
    view.thumbs.wait()
    view.detail.preview_cache.wait()


def asset(ctx: Any, asset_id: str) -> dict[str, Any]:
    with ctx.store.read() as session:
        found = records.get(session, "asset", asset_id)
    assert found is not None
    return found["data"]


def first_local(ctx: Any, market: str = "de") -> str:
    with ctx.store.read() as session:
        return session.execute(
            text("SELECT id FROM assets WHERE market = :m ORDER BY name LIMIT 1"), {"m": market}
        ).scalar_one()


def test_typing_filters_the_grid_after_a_short_pause(qtbot: QtBot, bank: AssetBankView) -> None:
    everything = bank.model.rowCount()
    bank.focus_search()
    QTest.keyClicks(bank.search, "summ")
    qtbot.waitUntil(lambda: bank.model.text == "summ", timeout=3000)
    with bank.ctx.store.read() as session:
        expected = queries.search_asset_ids(session, text="summ", limit=1000)
    assert bank.model.ids() == expected
    assert 0 < len(expected) < everything
    assert bank.count_label.text() == f"{len(expected)} assets"
    QTest.keyClicks(bank.search, "zzz")
    qtbot.waitUntil(lambda: bank.model.rowCount() == 0, timeout=3000)
    assert bank.empty_label.isVisible()
    assert "No asset matches" in bank.empty_label.text()
    bank.search.clear()
    qtbot.waitUntil(lambda: bank.model.rowCount() == everything, timeout=3000)


def test_facets_filter_and_show_counts(qtbot: QtBot, bank: AssetBankView) -> None:
    markets = bank.facets.models["market"]
    values = {v.value: v.count for v in markets.values()}
    assert set(values) == {"global", "de", "fr"}
    row = [v.value for v in markets.values()].index("de")
    markets.setData(markets.index(row), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    qtbot.waitUntil(lambda: bank.model.facets == {"market": ["de"]}, timeout=3000)
    assert bank.model.rowCount() == values["de"]
    assert {bank.model.asset(i).market for i in bank.model.ids()} == {"de"}
    kinds = bank.facets.models["kind"]
    # Other facets' counts follow the selection; the market facet keeps its own counts.
    qtbot.waitUntil(lambda: sum(v.count for v in kinds.values()) == values["de"], timeout=10_000)
    assert {v.value: v.count for v in markets.values()} == values
    bank.facets.clear()
    qtbot.waitUntil(lambda: bank.model.facets == {}, timeout=3000)


def test_the_list_mode_shares_the_model_and_the_selection(
    qtbot: QtBot, bank: AssetBankView
) -> None:
    bank.set_mode(1)
    assert bank.stack.currentWidget() is bank.table
    bank.table.selectRow(2)
    assert bank.selected_ids() == [bank.model.ids()[2]]
    qtbot.waitUntil(
        lambda: bank.detail.row is not None and bank.detail.row.id == bank.model.ids()[2]
    )
    bank.set_mode(0)
    assert bank.grid.selectionModel().isRowSelected(2)


def test_details_are_edited_saved_and_undone(qtbot: QtBot, bank: AssetBankView) -> None:
    asset_id = first_local(bank.ctx)
    bank.show_record("asset", asset_id)
    detail = bank.detail
    assert detail.row is not None and detail.row.id == asset_id
    before = asset(bank.ctx, asset_id)
    detail.title_edit.clear()
    QTest.keyClicks(detail.title_edit, "Winterkampagne Held")
    detail.tags_edit.setText("advent, winter, advent")
    detail.status_combo.setCurrentIndex(2)
    with qtbot.waitSignal(detail.status, timeout=5000) as said:
        detail.save_details.click()
    assert said.args[0].endswith("— Ctrl+Z to undo")
    after = asset(bank.ctx, asset_id)
    assert after["title"] == "Winterkampagne Held"
    assert after["tags"] == ["advent", "winter"]
    assert after["status"] == "approved"
    qtbot.waitUntil(lambda: detail.title_edit.text() == "Winterkampagne Held")
    bank.undo()
    qtbot.waitUntil(lambda: asset(bank.ctx, asset_id)["title"] == before["title"], timeout=5000)
    assert asset(bank.ctx, asset_id)["tags"] == before["tags"]


def test_the_rights_editor_saves_every_field(qtbot: QtBot, bank: AssetBankView) -> None:
    asset_id = first_local(bank.ctx, "fr")
    bank.show_record("asset", asset_id)
    detail = bank.detail
    detail.tabs.setCurrentIndex(1)
    detail.holder_edit.setText("Studio Nord")
    detail.licence_edit.setText("Buyout")
    detail.organic_box.setChecked(True)
    detail.paid_box.setChecked(False)
    detail.territories_edit.setText("FR, de")
    detail.expires_box.setChecked(True)
    detail.expires_edit.setDate(QDate(2027, 6, 30))
    detail.talent_combo.setCurrentIndex(1)
    detail.notes_edit.setPlainText("Photographer credit required")
    with qtbot.waitSignal(detail.status, timeout=5000):
        detail.save_rights.click()
    rights = asset(bank.ctx, asset_id)["rights"]
    assert rights == {
        "holder": "Studio Nord",
        "license": "Buyout",
        "usage": ["organic"],
        "territories": ["fr", "de"],
        "expires_on": "2027-06-30",
        "talent_release": True,
        "notes": "Photographer credit required",
    }
    qtbot.waitUntil(lambda: "Organic (FR, DE, until 2027-06-30)" in detail.rights_summary.text())


def test_the_embargo_editor_uses_the_markets_time_zone(qtbot: QtBot, bank: AssetBankView) -> None:
    asset_id = first_local(bank.ctx, "de")
    bank.show_record("asset", asset_id)
    detail = bank.detail
    assert detail.zone_label.text() == "Times in Europe/Berlin (DE)"
    detail.embargo_box.setChecked(True)
    detail.embargo_edit.setDateTime(QDateTime(QDate(2026, 12, 1), QTime(9, 0)))
    detail.market_boxes["de"].setChecked(True)
    detail.market_boxes["fr"].setChecked(True)
    with qtbot.waitSignal(detail.status, timeout=5000):
        detail.save_embargo.click()
    embargo = asset(bank.ctx, asset_id)["embargo"]
    assert embargo == {"until": "2026-12-01T08:00:00Z", "markets": ["de", "fr"]}
    with qtbot.waitSignal(detail.status, timeout=5000) as said:
        detail.lift_button.click()
    assert said.args[0].startswith("Lifted the embargo")
    assert asset(bank.ctx, asset_id)["embargo"] == {"until": None, "markets": []}


def test_masters_are_read_only_and_offer_adaptation(qtbot: QtBot, bank: AssetBankView) -> None:
    with bank.ctx.store.read() as session:
        master = session.execute(
            text("SELECT id FROM assets WHERE market IS NULL LIMIT 1")
        ).scalar_one()
    bank.show_record("asset", master)
    detail = bank.detail
    assert not detail.title_edit.isEnabled() and not detail.save_rights.isEnabled()
    assert "Masters are edited centrally" in detail.read_only_note.text()
    assert [b.text() for b in detail.adapt_buttons] == ["Adapt for DE…", "Adapt for FR…"]
    detail.adapt_buttons[1].click()
    dialog = bank.adapt_dialog
    assert dialog.market == "fr" and dialog.master_id == master
    dialog.reject()


def test_lineage_opens_the_master(qtbot: QtBot, bank: AssetBankView) -> None:
    with bank.ctx.store.read() as session:
        variant, master = session.execute(
            text("SELECT id, master_id FROM assets WHERE master_id IS NOT NULL LIMIT 1")
        ).one()
    bank.show_record("asset", variant)
    lineage = bank.detail.lineage_model
    assert lineage.index(0).data(ID_ROLE) == master
    bank.detail.lineage_view.doubleClicked.emit(lineage.index(0))
    assert bank.detail.row is not None and bank.detail.row.id == master
    selected = bank.selected_ids()
    assert selected == [master]


def test_a_stale_variant_shows_what_changed(qtbot: QtBot, bank: AssetBankView) -> None:
    with bank.ctx.store.read() as session:
        variant = session.execute(
            text(
                "SELECT a.id FROM assets a JOIN assets m ON m.id = a.master_id "
                "WHERE m.version > a.adapted_from_version AND a.market = 'de' LIMIT 1"
            )
        ).scalar_one()
    bank.show_record("asset", variant)
    assert bank.detail.stale_banner.isVisibleTo(bank.detail)
    assert bank.detail.stale_banner.text().startswith("The master changed since this was adapted")
    row = bank.model.row_of(variant)
    assert "Master changed" in bank.model.index(row, 9).data()


def test_no_asset_selected_says_what_to_do(qtbot: QtBot, app_context: Any) -> None:
    view = AssetBankView(app_context)
    qtbot.addWidget(view)
    assert "Drop files" in view.detail.empty.text()
    assert view.detail.row is None
    app_context.ops.wait_all()


def test_take_offline_pins_the_campaign_and_says_when_files_come(
    qtbot: QtBot, bank: AssetBankView
) -> None:
    asset_id = first_local(bank.ctx, "de")
    bank.show_record("asset", asset_id)
    campaign = asset(bank.ctx, asset_id)["campaign_id"]
    assert bank.detail.offline_button.text().startswith("Take “")
    with qtbot.waitSignal(bank.detail.status, timeout=5000) as said:
        bank.detail.offline_button.click()
    # Not signed in here: the files are marked and download at the next sync.
    assert "will be kept offline" in said.args[0] and "next sync" in said.args[0]
    with bank.ctx.store.read() as session:
        states = (
            session.execute(
                text(
                    "SELECT DISTINCT b.state FROM blob_cache b "
                    "JOIN assets a ON a.sha256 = b.sha256 WHERE a.campaign_id = :c"
                ),
                {"c": campaign},
            )
            .scalars()
            .all()
        )
    assert states == ["pinned"]


def test_a_full_file_on_this_computer_opens_and_shows_in_the_preview(
    qtbot: QtBot, bank: AssetBankView
) -> None:
    add_thumbnails(bank.ctx.store, full=True)
    bank.ctx.signals.changed.emit(frozenset({"asset"}))
    asset_id = first_local(bank.ctx, "fr")
    bank.show_record("asset", asset_id)
    detail = bank.detail
    assert detail.open_button.text() == "Open full file"
    assert "Full file on this computer" in detail.file_state.text()
    opened: list[str] = []
    detail.open_url = lambda url: opened.append(url.toLocalFile())
    detail.open_button.click()
    assert opened and opened[0].endswith(detail.row.sha256)
    qtbot.waitUntil(lambda: detail.preview_cache.get(f"full:{detail.row.sha256}", None) is not None)


def test_the_row_cache_is_bounded_however_far_one_scrolls(qtbot: QtBot, app_context: Any) -> None:
    from ui.assets import models as asset_models
    from ui.assets.models import AssetTableModel
    from ui.assets.thumbs import ThumbnailCache

    model = AssetTableModel(app_context.store, ThumbnailCache(), page_size=200)
    model.set_query("", {})
    old = asset_models.MAX_BLOCKS
    asset_models.MAX_BLOCKS = 1
    try:
        for n in range(model.rowCount()):
            assert model.index(n, 1).data() == model.asset(model.ids()[n]).name
        assert len(model._rows) <= asset_models.BLOCK
    finally:
        asset_models.MAX_BLOCKS = old
