"""The adapt view: master and local version side by side, live checks while typing, creating an
adaptation of a global entry and of a master asset, local files and crops, stale diffs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image
from PySide6.QtCore import QRectF
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, text

from desktop.rules.requests import legal_note_present
from desktop.store import records
from desktop.store.files import BlobFiles
from desktop.store.models import RecordHistory
from tests.ui.assets_helpers import add_thumbnails, make_image
from ui.adapt.caption import split_caption, utf16_offset, with_cta, with_hook
from ui.adapt.view import AdaptView


def one(ctx: Any, sql: str, **params: Any) -> Any:
    with ctx.store.read() as session:
        return session.execute(text(sql), params).scalar_one()


def record(ctx: Any, record_type: str, record_id: str) -> dict[str, Any]:
    with ctx.store.read() as session:
        found = records.get(session, record_type, record_id)
    assert found is not None
    return found


def global_entry(ctx: Any, channel: str = "instagram") -> str:
    return one(
        ctx,
        "SELECT e.id FROM calendar_entries e WHERE e.market IS NULL AND e.channel = :c "
        "AND e.caption IS NOT NULL AND NOT EXISTS (SELECT 1 FROM calendar_entries l "
        "WHERE l.parent_id = e.id AND l.market = 'de') ORDER BY e.starts_at LIMIT 1",
        c=channel,
    )


def open_view(qtbot: QtBot, ctx: Any, record_type: str, master_id: str, market: str) -> AdaptView:
    view = AdaptView(ctx, record_type=record_type, master_id=master_id, market=market)
    qtbot.addWidget(view)
    view.show()
    return view


def highlighted(view: AdaptView) -> list[str]:
    """The text under the forbidden-term format in the caption (what the lead sees marked)."""
    marked = []
    block = view.caption_edit.document().begin()
    while block.isValid():
        for fmt in block.layout().formats():
            marked.append(block.text()[fmt.start : fmt.start + fmt.length])
        block = block.next()
    return marked


def test_caption_parts() -> None:
    caption = "Hook here.\n\nThe message.\n\nShop now.\n\n#tag #two"
    assert split_caption(caption) == ("Hook here.", "Shop now.")
    assert with_hook(caption, "New hook").startswith("New hook\n\nThe message.")
    assert with_cta(caption, "Jetzt kaufen.") == caption.replace("Shop now.", "Jetzt kaufen.")
    assert split_caption("Just one line") == ("Just one line", "")
    assert with_cta("Hook\n\nMessage\n\n#tag", "Buy") == "Hook\n\nMessage\n\nBuy\n\n#tag"
    assert legal_note_present("Anzeige", "… text\nANZEIGE")
    assert not legal_note_present("Publicité", "no note")
    assert legal_note_present("", "anything")
    assert utf16_offset("😀gratis", 1) == 2


def test_entry_checks_run_while_typing(qtbot: QtBot, app_context: Any) -> None:
    view = open_view(qtbot, app_context, "calendar_entry", global_entry(app_context), "de")
    assert view.master_caption.isReadOnly()
    caption = view.caption_edit
    caption.moveCursor(caption.textCursor().MoveOperation.End)
    QTest.keyClicks(caption, " Jetzt gratis testen")
    assert "gratis" in highlighted(view)
    assert "The caption contains “gratis”, not allowed in DE." in view.checks.text()
    assert "Add the legal note required in DE: “Anzeige”." in view.checks.text()
    assert not view.submit.isEnabled()
    # Fix both: the term goes, the legal note comes; the submit button comes back.
    text_now = caption.toPlainText().replace(" Jetzt gratis testen", "")
    caption.setPlainText(text_now + "\nAnzeige")
    assert highlighted(view) == []
    assert "Legal note “Anzeige” is in the caption." in view.checks.text()
    assert view.submit.isEnabled()
    assert view.counter.text().endswith("characters on Instagram")


def test_the_channel_limit_counts_live(qtbot: QtBot, app_context: Any) -> None:
    view = open_view(qtbot, app_context, "calendar_entry", global_entry(app_context, "x"), "de")
    view.caption_edit.setPlainText("Anzeige " + "a" * 300)
    assert view.counter.text() == "308 / 280 characters on X"
    assert "28 characters over X's limit of 280" in view.checks.text()
    assert not view.submit.isEnabled()


def test_hook_and_call_to_action_edit_the_caption(qtbot: QtBot, app_context: Any) -> None:
    view = open_view(qtbot, app_context, "calendar_entry", global_entry(app_context), "de")
    hook, cta = split_caption(view.caption_edit.toPlainText())
    assert view.hook_edit.text() == hook
    assert view.cta_edit.text() == cta
    view.hook_edit.clear()
    QTest.keyClicks(view.hook_edit, "Neu im Shop!")
    assert view.caption_edit.toPlainText().split("\n")[0] == "Neu im Shop!"
    view.cta_edit.clear()
    QTest.keyClicks(view.cta_edit, "Jetzt entdecken")
    assert split_caption(view.caption_edit.toPlainText())[1] == "Jetzt entdecken"


def test_creating_an_entry_adaptation(qtbot: QtBot, app_context: Any) -> None:
    master = global_entry(app_context)
    view = open_view(qtbot, app_context, "calendar_entry", master, "de")
    view.title_edit.setText("Sommer-Trail: Kooperation")
    view.caption_edit.setPlainText("Neu: der Summit-Schuh.\n\nJetzt entdecken.\n\nAnzeige")
    with qtbot.waitSignal(view.created, timeout=5000) as created:
        view.submit.click()
    local = record(app_context, "calendar_entry", created.args[0])
    assert local["data"]["parent_id"] == master
    assert local["data"]["market"] == "de"
    assert local["data"]["caption"].endswith("Anzeige")
    assert local["data"]["title"] == "Sommer-Trail: Kooperation"
    assert (
        local["data"]["adapted_from_version"]
        == record(app_context, "calendar_entry", master)["version"]
    )
    # One undo step removes it again.
    app_context.workspace.undo()
    assert record(app_context, "calendar_entry", created.args[0])["deleted"]


def master_asset(ctx: Any) -> str:
    return one(
        ctx,
        "SELECT a.id FROM assets a WHERE a.market IS NULL AND a.kind = 'image' AND NOT EXISTS "
        "(SELECT 1 FROM assets b WHERE b.master_id = a.id AND b.market = 'fr') LIMIT 1",
    )


def test_creating_an_asset_adaptation_with_a_local_file(
    qtbot: QtBot, app_context: Any, tmp_path: Path
) -> None:
    master = master_asset(app_context)
    view = open_view(qtbot, app_context, "asset", master, "fr")
    assert view.title_edit.text().endswith("(FR)")
    assert view.language_combo.currentText() == "fr-FR"
    view.alt_edit.moveCursor(view.alt_edit.textCursor().MoveOperation.End)
    QTest.keyClicks(view.alt_edit, " gratuit")
    assert "The alt text contains “gratuit”, not allowed in FR." in view.checks.text()
    assert not view.submit.isEnabled()
    view.alt_edit.setPlainText("Une canette fraîche sur fond turquoise")
    local = make_image(tmp_path / "fr-version.jpg", (1080, 1350))
    view.use_file(local)
    qtbot.waitUntil(lambda: "sha256" in view.extra, timeout=5000)
    assert view.file_label.text() == "fr-version.jpg (image, 1080 × 1350)"
    with qtbot.waitSignal(view.created, timeout=5000) as created:
        view.submit.click()
    data = record(app_context, "asset", created.args[0])["data"]
    assert data["master_id"] == master and data["market"] == "fr"
    assert data["language"] == "fr-FR"
    assert data["alt_text"] == "Une canette fraîche sur fond turquoise"
    assert data["width"] == 1080 and data["name"].split("_")[1] == "fr"
    assert BlobFiles(app_context.store.data_dir).blob_path(data["sha256"]).exists()


def test_cropping_the_master_makes_a_new_file(qtbot: QtBot, app_context: Any) -> None:
    master = master_asset(app_context)
    sha = record(app_context, "asset", master)["data"]["sha256"]
    add_thumbnails(app_context.store, full=True)
    view = open_view(qtbot, app_context, "asset", master, "fr")
    assert view.crop_button.isEnabled()
    view.crop_button.click()
    dialog = view.crop_dialog
    dialog.area.set_fraction(QRectF(0.25, 0.25, 0.5, 0.5))
    dialog.accept()
    qtbot.waitUntil(lambda: "sha256" in view.extra, timeout=5000)
    assert view.extra["sha256"] != sha
    # Half of the 1200 x 800 master each way (to the pixel the drawn rectangle allows).
    assert abs(view.extra["width"] - 600) <= 3 and abs(view.extra["height"] - 400) <= 3
    path = BlobFiles(app_context.store.data_dir).blob_path(view.extra["sha256"])
    with Image.open(path) as cropped:
        assert cropped.size == (view.extra["width"], view.extra["height"])


def test_an_entrys_local_file_is_imported_as_a_local_asset(
    qtbot: QtBot, app_context: Any, tmp_path: Path
) -> None:
    view = open_view(qtbot, app_context, "calendar_entry", global_entry(app_context), "de")
    view.use_file(make_image(tmp_path / "acme_de_20261130_summit-trail_local.jpg", (500, 500)))
    qtbot.waitUntil(lambda: "asset_ids" in view.extra, timeout=5000)
    new_asset = record(app_context, "asset", view.extra["asset_ids"][0])
    assert new_asset["data"]["market"] == "de"
    assert "imported as acme_de_20261130_summit-trail_local" in view.file_label.text()


def test_a_stale_adaptation_shows_what_changed_and_takes_the_masters_values(
    qtbot: QtBot, app_context: Any
) -> None:
    ctx = app_context
    local_id, master_id, version = (
        ctx.store.read()
        .__enter__()
        .execute(
            text(
                "SELECT l.id, m.id, l.adapted_from_version FROM calendar_entries l "
                "JOIN calendar_entries m ON m.id = l.parent_id "
                "WHERE l.market = 'de' AND m.version > l.adapted_from_version LIMIT 1"
            )
        )
        .one()
    )
    master = record(ctx, "calendar_entry", master_id)["data"]
    then = {**master, "caption": "The old caption", "title": "Old title"}
    with ctx.store.write() as session:
        session.execute(
            insert(RecordHistory),
            [
                {
                    "record_type": "calendar_entry",
                    "record_id": master_id,
                    "version": version,
                    "data": then,
                }
            ],
        )
    view = open_view(qtbot, ctx, "calendar_entry", master_id, "de")
    assert view.existing is not None and view.existing["id"] == local_id
    assert view.stale_box.isVisible()
    assert set(view.take_buttons) >= {"caption", "title"}
    assert view.diff is not None and view.diff.known
    view.take_master("title")
    assert view.title_edit.text() == (master["title"] or "")
    assert not view.take_buttons["title"].isEnabled()
    view.caption_edit.setPlainText((master["caption"] or "") + "\n\nAnzeige")
    for term in ("gratis", "kostenlos", "garantiert", "Heilung", "risikofrei"):
        assert term not in view.caption_edit.toPlainText()
    assert view.submit.text() == "Save changes"
    with qtbot.waitSignal(view.saved, timeout=5000):
        view.submit.click()
    saved = record(ctx, "calendar_entry", local_id)["data"]
    assert saved["title"] == master["title"]
    assert saved["adapted_from_version"] == record(ctx, "calendar_entry", master_id)["version"]
