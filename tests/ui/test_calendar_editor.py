"""The entry editor: live character count for the channel, forbidden terms highlighted as typed,
the rules' findings (blocking or not by status), saving through the service, global entries
read-only with the adapt and boost actions."""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.services import entries as entry_service
from desktop.store import records
from desktop.store.db import Store
from desktop.store.models import CalendarEntry
from ui.calendar.editor import EntryEditor
from ui.calendar.links import adapt_available
from ui.calendar.widgets import highlighted_ranges, utf16_index

BERLIN = ZoneInfo("Europe/Berlin")


def make_entry(ctx: Any, **data: Any) -> str:
    entry_id = str(uuid.uuid4())
    fields = {
        "kind": "organic_post",
        "market": "de",
        "channel": "x",
        "title": "Kurz und gut",
        "caption": "Neue Wege",
        "starts_at": "2026-11-25T09:00:00Z",
        "ends_at": "2026-11-25T09:00:00Z",
        "status": "planned",
        **data,
    }
    entry_service.create_entry(ctx.workspace, data=fields, entry_id=entry_id)
    return entry_id


@pytest.fixture
def editor(qtbot: QtBot, app_context: Any) -> EntryEditor:
    dialog = EntryEditor(app_context, make_entry(app_context), zone=BERLIN)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def codes(editor: EntryEditor) -> dict[str, str]:
    return {f.code: f.severity for f in editor.current_findings}


def test_the_character_count_follows_the_channel(qtbot: QtBot, editor: EntryEditor) -> None:
    assert editor.count_label.text() == "9 / 280 characters on X"
    editor.caption_edit.setPlainText("x" * 290)
    qtbot.keyClicks(editor.caption_edit, "abc")
    assert editor.count_label.text() == "293 / 280 characters on X — 13 too many"
    assert "b3261e" in editor.count_label.styleSheet()
    assert codes(editor)["caption_too_long"] == "error"  # planned: it would go out too long
    assert not editor.save_button.isEnabled()
    editor.status_box.setCurrentIndex(editor.status_box.findData("draft"))
    assert codes(editor)["caption_too_long"] == "warning"  # a draft may run long for now
    assert editor.save_button.isEnabled()
    editor.channel_box.setCurrentIndex(editor.channel_box.findData("instagram"))
    assert editor.count_label.text() == "293 / 2,200 characters on Instagram"
    assert "caption_too_long" not in codes(editor)
    editor.channel_box.setCurrentIndex(editor.channel_box.findData(None))
    assert editor.count_label.text().startswith("293 characters (pick a channel")


def test_forbidden_terms_are_highlighted_while_typing(qtbot: QtBot, editor: EntryEditor) -> None:
    assert highlighted_ranges(editor.caption_edit.document()) == []
    qtbot.keyClicks(editor.caption_edit, " - jetzt GRATIS testen")
    text = editor.caption_edit.toPlainText()
    start = text.index("GRATIS")
    assert highlighted_ranges(editor.caption_edit.document()) == [(start, 6)]
    assert codes(editor)["forbidden_term"] == "warning"
    assert '"gratis"' in editor.findings_label.text()
    editor.caption_edit.setPlainText("🎉🎉 Gratisproben und kostenlos!")
    text = editor.caption_edit.toPlainText()
    at = utf16_index(text, text.index("kostenlos"))
    # "Gratisproben" is not the whole word; after two emoji Qt counts two more units.
    assert highlighted_ranges(editor.caption_edit.document()) == [(at, 9)]


def test_saving_goes_through_the_service(
    qtbot: QtBot, editor: EntryEditor, demo_store: Store
) -> None:
    editor.title_edit.setText("Neuer Titel")
    editor.starts_edit.setDateTime(editor.starts_edit.dateTime().addSecs(3600))
    editor.ends_edit.setDateTime(editor.ends_edit.dateTime().addSecs(3600))
    assert editor.changes() == {
        "title": "Neuer Titel",
        "starts_at": "2026-11-25T10:00:00Z",
        "ends_at": "2026-11-25T10:00:00Z",
    }
    with qtbot.waitSignal(editor.saved, timeout=10_000) as saved:
        editor.save_button.click()
    assert saved.args == ['Saved "Neuer Titel". Undo with Ctrl+Z.']
    with demo_store.read() as session:
        data = records.get(session, "calendar_entry", editor.entry_id)["data"]  # type: ignore[index]
    assert data["title"] == "Neuer Titel" and data["starts_at"] == "2026-11-25T10:00:00Z"


def test_a_refused_save_stays_in_the_dialog(qtbot: QtBot, app_context: Any) -> None:
    entry_id = make_entry(app_context)
    dialog = EntryEditor(app_context, entry_id, zone=BERLIN)
    qtbot.addWidget(dialog)
    # The entry is deleted elsewhere (a sync) while the dialog is open.
    entry_service.delete_entries(app_context.workspace, entry_ids=[entry_id])
    dialog.title_edit.setText("Too late")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.message_bar.tone == "error" and bool(dialog.message_bar.text()))
    assert "was not saved" in dialog.message_bar.text()
    assert "deleted" in dialog.message_bar.text()


def test_a_global_entry_is_read_only_with_adapt_and_boost(
    qtbot: QtBot, app_context: Any, demo_store: Store
) -> None:
    with demo_store.read() as session:
        master = session.scalar(
            select(CalendarEntry.id).where(
                CalendarEntry.market.is_(None), CalendarEntry.kind == "organic_post"
            )
        )
    assert master is not None
    dialog = EntryEditor(app_context, master, zone=BERLIN)
    qtbot.addWidget(dialog)
    assert not dialog.writable
    assert not dialog.title_edit.isEnabled() and dialog.caption_edit.isReadOnly()
    assert "central team's global plan" in dialog.header.text()
    assert set(dialog.adapt_buttons) == {"de", "fr"}
    assert adapt_available() and dialog.adapt_buttons["de"].isEnabled()
    with qtbot.waitSignal(dialog.adapt_requested) as adapt:
        dialog.adapt_buttons["fr"].click()
    assert adapt.args == [master, "fr"]
    dialog = EntryEditor(app_context, master, zone=BERLIN)
    qtbot.addWidget(dialog)
    assert dialog.boost_button is not None
    with qtbot.waitSignal(dialog.boost_requested) as boost:
        dialog.boost_button.click()
    assert boost.args == [master]


def test_an_entry_that_is_gone_says_so(qtbot: QtBot, app_context: Any) -> None:
    dialog = EntryEditor(app_context, str(uuid.uuid4()), zone=BERLIN)
    qtbot.addWidget(dialog)
    assert dialog.context is None and not dialog.writable
