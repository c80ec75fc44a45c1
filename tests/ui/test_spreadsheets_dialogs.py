"""The import and export dialogs on the demo workspace: mapping, report, import as one undoable
edit, bad files, cancelling, remembered mappings, exports with the columns as shown."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from desktop.spreadsheets.export import export_records
from desktop.store.models import OutboxOp
from tests.desktop.spreadsheet_files import write_csv, write_ole
from ui.spreadsheets.export_dialog import ExportDialog
from ui.spreadsheets.import_dialog import ImportDialog

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
def ctx(app_context: Any) -> Any:
    app_context.workspace.clock = lambda: NOW
    return app_context


def ops(ctx: Any) -> int:
    with ctx.store.read() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxOp)) or 0)


def open_file(qtbot: Any, dialog: ImportDialog, path: Path) -> None:
    with qtbot.waitSignal(dialog.inspected, timeout=20_000):
        dialog.load_file(path)


def check(qtbot: Any, dialog: ImportDialog) -> None:
    with qtbot.waitSignal(dialog.planned, timeout=60_000):
        dialog.check()


def test_mapping_report_and_import_as_one_undoable_edit(
    qtbot: Any, qtmodeltester: Any, ctx: Any, tmp_path: Path
) -> None:
    rows = [
        ["Titel", "Markt", "Datum", "Uhrzeit", "Kanal", "Notiz", "Text"],
        ["Winterstart", "DE", "25.11.2026", "09:00", "Instagram", "intern", "Über den Berg"],
        ["Lancement", "fr", "26.11.2026", "10h30", "TikTok", "", "C'est parti"],
    ]
    path = write_csv(tmp_path / "markt.csv", rows, encoding="cp1252", delimiter=";")
    dialog = ImportDialog(ctx, "calendar")
    qtbot.addWidget(dialog)
    open_file(qtbot, dialog, path)
    assert dialog.pages.currentIndex() == 1
    model = dialog.mapping_model
    assert model is not None
    qtmodeltester.check(model)
    assert model.mapping == (
        "title",
        "market",
        "starts_at",
        "start_time",
        "channel",
        None,
        "caption",
    )
    assert "Windows-1252, semicolon separated" in dialog.file_label.text()
    assert model.index(5, 2).data() == "(not imported)"
    assert dialog.set_target(5, "utm_campaign")
    assert not dialog.set_target(5, "no such field")
    assert dialog.set_target(5, None)
    check(qtbot, dialog)
    assert dialog.pages.currentIndex() == 2
    qtmodeltester.check(dialog.rows_model)
    assert dialog.plan is not None and dialog.plan.counts == {"create": 2}
    assert dialog.import_button.isEnabled()
    assert dialog.import_button.text() == "Import 2 entries"
    dialog.rows_view.selectRow(0)
    assert "starts at: 2026-11-25T08:00:00Z" in dialog.details.toPlainText()
    before = ops(ctx)
    with qtbot.waitSignal(dialog.imported, timeout=30_000) as done:
        dialog.import_now()
    assert len(done.args[0].changes) == 2
    assert ops(ctx) == before + 2
    assert ctx.workspace.undo_stack.undo_label == "Import 2 entries from markt.csv"
    ctx.workspace.undo()  # the whole import, one step
    from desktop.store import records

    with ctx.store.read() as session:
        found = records.load(session, "calendar_entry", [c.id for c in done.args[0].changes])
    assert all(r["deleted"] for r in found.values())

    # The mapping is remembered for files with the same headings.
    ctx.ops.wait_all()
    again = ImportDialog(ctx, "calendar")
    qtbot.addWidget(again)
    open_file(qtbot, again, path)
    assert again.mapping_model is not None
    assert again.mapping_model.mapping[5] is None
    assert "as you chose last time" in again.file_label.text()


def test_refused_rows_block_the_import_and_say_why(qtbot: Any, ctx: Any, tmp_path: Path) -> None:
    rows = [
        ["Title", "Market", "Start"],
        ["Ours", "de", "2026-12-01 09:00"],
        ["Theirs", "us", "2026-12-01 09:00"],
        ["Nowhere", "zz", "soon"],
    ]
    dialog = ImportDialog(ctx, "calendar")
    qtbot.addWidget(dialog)
    open_file(qtbot, dialog, write_csv(tmp_path / "mixed.csv", rows))
    check(qtbot, dialog)
    assert not dialog.import_button.isEnabled()
    assert "Nothing can be imported: 2 rows are refused" in dialog.summary.text()
    assert dialog.filter_combo.currentText() == "Refused"
    assert dialog.rows_model.rowCount() == 2
    first = dialog.rows_model.index(0, 3).data()
    assert "You can only change records of your own markets" in first
    assert "belongs to the US market" in first


def test_bad_files_get_a_clear_message_in_the_dialog(qtbot: Any, ctx: Any, tmp_path: Path) -> None:
    dialog = ImportDialog(ctx, "assets")
    qtbot.addWidget(dialog)
    open_file(
        qtbot, dialog, write_ole(tmp_path / "locked.xlsx", ["EncryptionInfo", "EncryptedPackage"])
    )
    assert dialog.pages.currentIndex() == 0
    assert "password-protected (encrypted)" in dialog.message.text()
    (tmp_path / "empty.csv").write_bytes(b"")
    open_file(qtbot, dialog, tmp_path / "empty.csv")
    assert "is empty" in dialog.message.text()
    open_file(qtbot, dialog, write_csv(tmp_path / "x.csv", [["Was", "Wer"], ["a", "b"]]))
    assert dialog.pages.currentIndex() == 1
    check(qtbot, dialog)  # nothing names the assets
    assert "Choose the column that names each asset" in dialog.message.text()
    assert dialog.pages.currentIndex() == 1


def test_a_big_file_shows_progress_and_can_be_cancelled(
    qtbot: Any, ctx: Any, tmp_path: Path
) -> None:
    path = tmp_path / "big.csv"
    lines = ["Title,Market,Start"] + [f"Post {i},de,2027-01-01 09:00" for i in range(100_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dialog = ImportDialog(ctx, "calendar")
    qtbot.addWidget(dialog)
    open_file(qtbot, dialog, path)
    assert "about 1" in dialog.file_label.text()  # an estimate of the rows
    before = ops(ctx)
    with qtbot.waitSignal(dialog.planned, timeout=60_000):
        dialog.check()
        assert not dialog.progress_box.isHidden()
        dialog.cancel_check()
    assert dialog.summary.text() == "Cancelled: nothing was imported."
    assert not dialog.import_button.isEnabled()
    assert ops(ctx) == before


def test_cancelling_the_import_itself_writes_nothing(qtbot: Any, ctx: Any, tmp_path: Path) -> None:
    import threading

    from PySide6.QtWidgets import QPushButton

    from ui.operations import Op, Pool

    rows = [["Title", "Market", "Start"]] + [
        [f"Post {i}", "de", "2027-01-04 09:00"] for i in range(3)
    ]
    dialog = ImportDialog(ctx, "calendar")
    qtbot.addWidget(dialog)
    open_file(qtbot, dialog, write_csv(tmp_path / "three.csv", rows))
    check(qtbot, dialog)
    before = ops(ctx)
    # The database thread is busy with other work, so the import waits behind it: the lead
    # presses Cancel on its progress dialog before it starts.
    release = threading.Event()
    Op(ctx.ops, lambda _p: release.wait(10), pool=Pool.DB).run()
    dialog.import_now()
    (importing,) = [op for op in ctx.ops._running if op._dialog is not None]
    cancel = importing._dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    cancel.click()
    release.set()
    qtbot.waitUntil(lambda: "Import cancelled" in dialog.message.text(), timeout=20_000)
    ctx.ops.wait_all()
    assert ops(ctx) == before
    assert dialog.import_button.isEnabled()  # ready to try again
    assert ctx.workspace.undo_stack.undo_label != "Import 3 entries from three.csv"


def test_not_signed_in_cannot_import(qtbot: Any, ctx: Any) -> None:
    from ui.context import NOBODY

    ctx.workspace.actor = NOBODY
    dialog = ImportDialog(ctx, "calendar")
    qtbot.addWidget(dialog)
    assert not dialog.choose_button.isEnabled()
    assert dialog.message.text().startswith("Sign in first")


def test_export_with_the_columns_as_shown(
    qtbot: Any, qtmodeltester: Any, ctx: Any, tmp_path: Path
) -> None:
    path = tmp_path / "all.csv"
    export_records(ctx.store, "calendar", None, ["id"], path, "csv")
    ids = path.read_text(encoding="utf-8-sig").split()[1:4]
    dialog = ExportDialog(
        ctx, "calendar", ids=list(reversed(ids)), columns=["title", "starts_at", "nope"]
    )
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.columns_model)
    assert dialog.skipped == ["nope"]
    assert dialog.columns_model.chosen == ["title", "starts_at"]
    model = dialog.columns_model
    market = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "Market")
    from PySide6.QtCore import Qt

    assert model.setData(
        model.index(market, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert model.chosen == ["title", "starts_at", "market"]
    dialog.xlsx_button.setChecked(True)
    target = tmp_path / "view.xlsx"
    dialog.path_edit.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as done:
        dialog.export()
    assert done.args == [str(target), 3]
    sheet = openpyxl.load_workbook(target).active
    values = list(sheet.values)
    assert values[0] == ("Title", "Starts at", "Market")
    assert len(values) == 4
    dialog.path_edit.setText(str(tmp_path / "missing" / "x.xlsx"))
    with qtbot.waitSignal(dialog.failed, timeout=20_000) as failed:
        dialog.export()
    assert "does not exist" in failed.args[0]
