"""``sectiondesk export`` and ``sectiondesk import`` end to end, on a real store and real files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.store.db import Store
from desktop.store.models import OutboxOp, SyncState
from tests.desktop.conftest import LEAD
from tests.desktop.spreadsheet_files import write_csv, write_ole
from ui.cli import main


def sign_in(store: Store) -> None:
    with store.write() as session:
        session.add(
            SyncState(
                pk=1,
                client_id="00000000-0000-4000-8000-000000000009",
                username="lena",
                user_id=LEAD.user_id,
                role=LEAD.role,
                markets=list(LEAD.markets),
            )
        )


def ops(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxOp)) or 0)


def test_import_needs_a_signed_in_account(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "a.csv", [["Title", "Market", "Start"], ["a", "de", "2026-12-01"]])
    code = main(["import", "calendar", str(path), "--data-dir", str(store.data_dir)])
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        "Sign in first (sectiondesk sync --server URL --user NAME)"
    )


def test_dry_run_prints_the_report_and_writes_nothing(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_in(store)
    rows = [["Title", "Market", "Start"], ["a", "de", "2026-12-01 09:00"], ["b", "fr", "x"]]
    path = write_csv(tmp_path / "a.csv", rows)
    before = ops(store)
    code = main(["import", "calendar", str(path), "--data-dir", str(store.data_dir), "--dry-run"])
    out = capsys.readouterr().out
    assert code == 1  # row 3 is refused
    assert "Row 3: REFUSED - b (FR)" in out
    assert 'error: Start: "x" is not a date' in out
    assert "2 rows: 1 new, 1 refused." in out
    assert ops(store) == before

    write_csv(path, rows[:2])
    code = main(["import", "calendar", str(path), "--data-dir", str(store.data_dir), "--dry-run"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Dry run: nothing was imported." in out
    assert ops(store) == before

    code = main(["import", "calendar", str(path), "--data-dir", str(store.data_dir)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Imported: 1 records changed in one step." in out
    assert ops(store) == before + 1


def test_bad_file_exits_non_zero_with_a_clear_message(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_in(store)
    path = write_ole(tmp_path / "locked.xlsx", ["EncryptionInfo", "EncryptedPackage"])
    code = main(["import", "assets", str(path), "--data-dir", str(store.data_dir)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith('Nothing was imported: "locked.xlsx" is password-protected')
    assert "Traceback" not in err


@pytest.mark.parametrize("kind", ["calendar", "assets", "requests"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_round_trip(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, fmt: str
) -> None:
    sign_in(store)
    out = tmp_path / f"{kind}.{fmt}"
    code = main(
        ["export", kind, "--format", fmt, "-o", str(out), "--data-dir", str(store.data_dir)]
    )
    assert code == 0
    assert out.exists()
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # not the temporary file's 0600
    assert "Exported" in capsys.readouterr().out
    if kind != "requests":
        code = main(["import", kind, str(out), "--data-dir", str(store.data_dir)])
        assert code == 0
        assert "Nothing to import: every row matches what is already here." in (
            capsys.readouterr().out
        )


def test_export_refuses_an_unknown_format(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["export", "calendar", "-o", str(tmp_path / "x.ods"), "--data-dir", str(store.data_dir)]
    )
    assert code == 2
    assert '"ods" is not a format' in capsys.readouterr().err
