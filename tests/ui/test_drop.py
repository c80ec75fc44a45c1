"""Drag and drop onto the asset bank: real files from the file manager (QMimeData URLs in a real
QDropEvent), and palette items (their own MIME type) onto one asset or the selection; undo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, text

from desktop.services import files as importer
from desktop.store import records
from desktop.store.models import Asset, BlobCache
from tests.ui.assets_helpers import drop, file_mime, make_image, palette_mime, row_point
from tests.ui.conftest import DEMO_TODAY
from ui.assets.models import PaletteItem
from ui.assets.palette import EMBARGO_PRESETS, rights_presets
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


def count_assets(ctx: Any) -> int:
    with ctx.store.read() as session:
        return int(
            session.scalar(select(func.count()).select_from(Asset).where(Asset.deleted.is_(False)))
            or 0
        )


def blob_count(ctx: Any) -> int:
    return (
        sum(1 for p in (ctx.store.data_dir / "blobs").rglob("*") if p.is_file())
        if (ctx.store.data_dir / "blobs").exists()
        else 0
    )


def data_of(ctx: Any, asset_id: str) -> dict[str, Any]:
    with ctx.store.read() as session:
        found = records.get(session, "asset", asset_id)
    assert found is not None
    return found["data"]


def test_dropped_files_are_imported_as_one_undoable_step(
    qtbot: QtBot, bank: AssetBankView, tmp_path: Path
) -> None:
    before = count_assets(bank.ctx)
    a = make_image(tmp_path / "drop" / "acme_de_20261201_advent_hero.jpg", (1200, 800))
    b = make_image(tmp_path / "drop" / "Advent calendar close-up.png", (640, 640), (200, 30, 30))
    assert drop(bank.grid, file_mime(a, b))
    assert bank.import_bar.isVisibleTo(bank)
    qtbot.waitUntil(lambda: bank.last_status.startswith("Imported"), timeout=15_000)
    assert bank.last_status == "Imported 2 files — Ctrl+Z to undo"
    assert not bank.import_bar.isVisibleTo(bank)
    assert count_assets(bank.ctx) == before + 2
    with bank.ctx.store.read() as session:
        names = set(session.scalars(select(Asset.name).where(Asset.version == 0)))
        held = session.scalar(select(func.count()).select_from(BlobCache))
    assert "acme_de_20261201_advent_hero" in names
    assert any(n.startswith("acme_de_") and n.endswith("_advent-calendar-close-up") for n in names)
    assert held == 2
    # The grid shows the first new asset, selected.
    qtbot.waitUntil(lambda: bank.detail.row is not None and bank.detail.row.version == 0)
    bank.undo()
    qtbot.waitUntil(lambda: count_assets(bank.ctx) == before, timeout=5000)


def test_a_drop_with_bad_files_asks_and_can_import_nothing(
    qtbot: QtBot, bank: AssetBankView, tmp_path: Path
) -> None:
    good = make_image(tmp_path / "good.jpg")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    renamed = tmp_path / "notes.jpg"
    renamed.write_text("meeting notes, not a picture")
    vanished = make_image(tmp_path / "vanished.jpg", (300, 300))
    mime = file_mime(good, empty, renamed, vanished)
    vanished.unlink()  # deleted between the drag and the drop
    before = count_assets(bank.ctx)
    drop(bank.grid, mime)
    qtbot.waitUntil(lambda: bank.question is not None, timeout=15_000)
    box = bank.question
    assert "3 of the dropped files cannot be imported" in box.text()
    assert "empty.jpg: it is empty" in box.text()
    assert "notes.jpg: it is not an image, video or PDF" in box.text()
    assert "vanished.jpg: it is no longer there" in box.text()
    assert box.button(QMessageBox.StandardButton.Yes).text() == "Import 1"
    box.button(QMessageBox.StandardButton.No).click()
    qtbot.waitUntil(lambda: bank.last_status == "Nothing was imported.", timeout=5000)
    assert count_assets(bank.ctx) == before
    assert blob_count(bank.ctx) == 0


def test_agreeing_imports_the_good_files_only(
    qtbot: QtBot, bank: AssetBankView, tmp_path: Path
) -> None:
    good = make_image(tmp_path / "good.jpg")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(good.read_bytes()[:300])
    before = count_assets(bank.ctx)
    drop(bank.grid, file_mime(good, broken))
    qtbot.waitUntil(lambda: bank.question is not None, timeout=15_000)
    assert "broken.jpg: it looks like a JPEG image but the picture cannot be read" in (
        bank.question.text()
    )
    bank.question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: bank.last_status.startswith("Imported"), timeout=15_000)
    assert count_assets(bank.ctx) == before + 1


def test_a_folder_is_walked_and_a_huge_one_refused(
    qtbot: QtBot, bank: AssetBankView, tmp_path: Path
) -> None:
    folder = tmp_path / "shoot"
    make_image(folder / "one.jpg", (400, 300))
    make_image(folder / "two.jpg", (300, 400))
    before = count_assets(bank.ctx)
    drop(bank.grid, file_mime(folder))
    qtbot.waitUntil(lambda: bank.last_status.startswith("Imported"), timeout=15_000)
    assert count_assets(bank.ctx) == before + 2
    huge = tmp_path / "archive"
    huge.mkdir()
    for n in range(importer.MAX_FILES + 1):
        (huge / f"{n}.jpg").write_bytes(b"x")
    drop(bank.grid, file_mime(huge))
    qtbot.waitUntil(lambda: bank.question is not None, timeout=15_000)
    assert "more than 500 files" in bank.question.text()
    assert "nothing is half-imported" in bank.question.text()
    bank.question.accept()
    assert count_assets(bank.ctx) == before + 2


def test_a_duplicate_by_hash_is_recognised(
    qtbot: QtBot, bank: AssetBankView, tmp_path: Path
) -> None:
    first = make_image(tmp_path / "winter.jpg")
    drop(bank.grid, file_mime(first))
    qtbot.waitUntil(lambda: bank.last_status.startswith("Imported"), timeout=15_000)
    copy = tmp_path / "copy of winter.jpg"
    copy.write_bytes(first.read_bytes())
    bank.last_status = ""
    drop(bank.grid, file_mime(copy))
    qtbot.waitUntil(lambda: bank.question is not None, timeout=15_000)
    assert "copy of winter.jpg: already in the bank as acme_de_" in bank.question.text()
    assert bank.last_status.startswith("Nothing new to import")


def test_the_import_can_be_cancelled(qtbot: QtBot, bank: AssetBankView, tmp_path: Path) -> None:
    paths = [make_image(tmp_path / f"{n}.jpg", (900 + n, 700)) for n in range(25)]
    before = count_assets(bank.ctx)
    drop(bank.grid, file_mime(*paths))
    bank.cancel_button.click()
    qtbot.waitUntil(lambda: bank.import_op is None, timeout=15_000)
    if bank.last_status.startswith("Import cancelled"):
        assert count_assets(bank.ctx) == before
        assert blob_count(bank.ctx) == 0
    else:  # it finished before the cancel reached it: then it is whole
        assert count_assets(bank.ctx) == before + 25


def select_rows(bank: AssetBankView, rows: list[int]) -> list[str]:
    selection = bank.grid.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(
            bank.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    return bank.selected_ids()


def local_rows(bank: AssetBankView, market: str, count: int) -> list[int]:
    ids = bank.model.ids()
    rows = [n for n, i in enumerate(ids) if bank.model.asset(i).market == market]
    return rows[:count]


def test_a_tag_dropped_on_the_selection_tags_all_of_it_in_one_step(
    qtbot: QtBot, bank: AssetBankView
) -> None:
    rows = local_rows(bank, "de", 3)
    ids = select_rows(bank, rows)
    assert len(ids) == 3
    tag = PaletteItem("tag", "advent", "advent")
    drop(bank.grid, palette_mime(tag), row_point(bank.grid, rows[1]))
    qtbot.waitUntil(lambda: bank.last_status.startswith("Tagged"), timeout=5000)
    assert bank.last_status == "Tagged 3 assets with 'advent' — Ctrl+Z to undo"
    assert all("advent" in data_of(bank.ctx, i)["tags"] for i in ids)
    # The edit is one undo step.
    bank.undo()
    qtbot.waitUntil(
        lambda: not any("advent" in data_of(bank.ctx, i)["tags"] for i in ids), timeout=5000
    )


def test_a_preset_dropped_outside_the_selection_applies_to_that_asset_only(
    qtbot: QtBot, bank: AssetBankView
) -> None:
    rows = local_rows(bank, "fr", 3)
    selected = select_rows(bank, rows[:2])
    untouched = {i: data_of(bank.ctx, i)["rights"] for i in selected}
    target = bank.model.ids()[rows[2]]
    preset = rights_presets(("de", "fr"), DEMO_TODAY)[1]
    assert preset.label == "Organic only — FR"
    drop(bank.grid, palette_mime(preset), row_point(bank.grid, rows[2]))
    qtbot.waitUntil(lambda: bank.last_status.startswith("Set rights"), timeout=5000)
    assert bank.last_status == "Set rights “Organic only — FR” on 1 asset — Ctrl+Z to undo"
    rights = data_of(bank.ctx, target)["rights"]
    assert rights["usage"] == ["organic"] and rights["territories"] == ["fr"]
    assert {i: data_of(bank.ctx, i)["rights"] for i in selected} == untouched


def test_embargo_presets_and_their_plain_refusals(qtbot: QtBot, bank: AssetBankView) -> None:
    rows = local_rows(bank, "de", 1)
    ids = select_rows(bank, rows)
    hours = next(p for p in EMBARGO_PRESETS if p.key == "24h")
    drop(bank.grid, palette_mime(hours), row_point(bank.grid, rows[0]))
    qtbot.waitUntil(lambda: bank.last_status.startswith("Embargo"), timeout=5000)
    embargo = data_of(bank.ctx, ids[0])["embargo"]
    assert embargo["until"] and embargo["markets"] == ["de"]
    lift = next(p for p in EMBARGO_PRESETS if p.key == "lift")
    drop(bank.grid, palette_mime(lift), row_point(bank.grid, rows[0]))
    qtbot.waitUntil(lambda: bank.last_status.startswith("Lifted"), timeout=5000)
    assert data_of(bank.ctx, ids[0])["embargo"]["until"] is None
    # A selection spanning campaigns has no one launch day: said plainly, nothing written.
    with bank.ctx.store.read() as session:
        two = (
            session.execute(
                text("SELECT min(id) FROM assets WHERE market = 'de' GROUP BY campaign_id LIMIT 2")
            )
            .scalars()
            .all()
        )
    targets = [bank.model.row_of(i) for i in two]
    select_rows(bank, targets)
    launch = next(p for p in EMBARGO_PRESETS if p.key == "launch-0900")
    drop(bank.grid, palette_mime(launch), row_point(bank.grid, targets[0]))
    assert bank.last_status.startswith("These assets belong to different campaigns")


def test_a_drop_on_a_master_is_refused_in_plain_words(qtbot: QtBot, bank: AssetBankView) -> None:
    ids = bank.model.ids()
    row = next(n for n, i in enumerate(ids) if bank.model.asset(i).market is None)
    select_rows(bank, [row])
    drop(bank.grid, palette_mime(PaletteItem("tag", "advent", "advent")), row_point(bank.grid, row))
    qtbot.waitUntil(lambda: "was not saved" in bank.last_status, timeout=5000)
    assert "You can only change records of your own markets" in bank.last_status
    assert "advent" not in data_of(bank.ctx, ids[row])["tags"]


def test_a_drop_on_empty_space_says_where_to_drop(qtbot: QtBot, bank: AssetBankView) -> None:
    bank.search.setText("zzzz-nothing")
    bank._run_search()
    drop(bank.grid, palette_mime(PaletteItem("tag", "advent", "advent")))
    assert bank.last_status == "Drop it on an asset (or on one of the selected assets)."


def test_the_palette_offers_new_tags(qtbot: QtBot, bank: AssetBankView) -> None:
    palette = bank.palette_panel
    palette.new_tag.setText("  black   friday ")
    palette.add_button.click()
    assert palette.tag_model.index(0).data() == "black friday"
    mime = palette.tag_model.mimeData([palette.tag_model.index(0)])
    assert PaletteItem.from_json(
        bytes(mime.data("application/x-sectiondesk-palette").data())
    ).key == ("black friday")
