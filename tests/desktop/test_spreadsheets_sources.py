"""Reading spreadsheet files: encodings, separators, XLSX cells, chunks, and every bad file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from desktop.progress import Cancelled, Progress, ProgressReport
from desktop.spreadsheets.sources import SpreadsheetError, inspect, read_chunks
from tests.desktop.spreadsheet_files import write_csv, write_ole, write_xlsx, write_zip

ROWS = [
    ["Titel", "Markt", "Datum", "Text"],
    ["Winterstart", "de", "25.11.2026 09:00", "Über den Gipfel, café"],
    ["Lancement", "fr", "26.11.2026 10:30", "Déjà là; « prêt »"],
]


def all_rows(path: Path) -> list[list[str]]:
    return [row for chunk in read_chunks(inspect(path)) for row in chunk.rows]


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter", "described"),
    [
        ("utf-8", False, ",", "CSV, UTF-8, comma separated"),
        ("utf-8", True, ";", "CSV, UTF-8 with BOM, semicolon separated"),
        ("cp1252", False, ";", "CSV, Windows-1252, semicolon separated"),
        ("cp1252", False, ",", "CSV, Windows-1252, comma separated"),
        ("utf-16", False, "\t", "CSV, UTF-16, tab separated"),
    ],
)
def test_csv_encodings_and_separators(
    tmp_path: Path, encoding: str, bom: bool, delimiter: str, described: str
) -> None:
    path = write_csv(tmp_path / "plan.csv", ROWS, encoding=encoding, delimiter=delimiter, bom=bom)
    source = inspect(path)
    assert source.describe() == described
    assert source.header == tuple(ROWS[0])
    assert all_rows(path) == ROWS[1:]


def test_csv_row_numbers_skip_blank_rows_and_keep_spreadsheet_numbering(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("\n\nTitle,Start\na,2026-11-25\n\n,\nb,2026-11-26\n", encoding="utf-8")
    source = inspect(path)
    assert source.header == ("Title", "Start")
    assert source.header_row == 3
    chunks = list(read_chunks(source))
    assert [n for c in chunks for n in c.numbers] == [4, 7]


def test_csv_formula_guard_of_our_export_is_removed(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "g.csv", [["Title"], ["'=SUM(A1)"], ["''-x"], ["'plain"]])
    assert all_rows(path) == [["=SUM(A1)"], ["'-x"], ["'plain"]]


def test_xlsx_cells_become_text(tmp_path: Path) -> None:
    from datetime import date, datetime

    path = write_xlsx(
        tmp_path / "plan.xlsx",
        [
            ["Title", "Start", "Day", "Version", "Share", "Flag"],
            ["Hero", datetime(2026, 11, 25, 9, 30), date(2026, 11, 26), 3, 0.25, True],
            ["Line_x000A_break", None, None, None, None, None],
        ],
    )
    source = inspect(path)
    assert source.describe() == 'XLSX, sheet "Plan"'
    assert all_rows(path) == [
        ["Hero", "2026-11-25 09:30:00", "2026-11-26", "3", "0.25", "TRUE"],
        ["Line\nbreak", "", "", "", "", ""],
    ]


def test_xlsx_formulas_and_error_values_are_row_problems(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "f.xlsx", [["Title", "Start"], ["a", "=TODAY()"], ["b", "x"]])
    chunk = next(read_chunks(inspect(path)))
    assert chunk.problems == {0: [(1, "holds a formula (=TODAY()); only values can be imported")]}


def test_big_csv_is_read_in_chunks_with_progress_and_can_be_cancelled(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    lines = ["Title,Market,Start"] + [f"Post {i},de,2026-12-01 09:00" for i in range(200_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reports: list[ProgressReport] = []
    progress = Progress(reports.append, min_interval=0)
    chunks = list(read_chunks(inspect(path), progress=progress, chunk_rows=20_000))
    assert len(chunks) in (10, 11)  # the heading row is in the first chunk pandas reads
    assert sum(len(c.rows) for c in chunks) == 200_000
    assert chunks[-1].numbers[-1] == 200_001
    assert len(reports) >= 10
    assert reports[-1].bytes_done == reports[-1].bytes_total == path.stat().st_size

    cancelling = Progress()
    reader = read_chunks(inspect(path), progress=cancelling, chunk_rows=20_000)
    next(reader)
    cancelling.cancel()
    with pytest.raises(Cancelled):
        list(reader)


def refusal(path: Path) -> str:
    with pytest.raises(SpreadsheetError) as caught:
        inspect(path)
    return str(caught.value)


def test_empty_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    assert "is empty" in refusal(tmp_path / "empty.csv")
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf\r\n\r\n")
    assert "is empty" in refusal(tmp_path / "bom.csv")
    write_csv(tmp_path / "header.csv", [["Title", "Start"]])
    assert "no rows below it" in refusal(tmp_path / "header.csv")
    write_xlsx(tmp_path / "empty.xlsx", [])
    assert "is empty" in refusal(tmp_path / "empty.xlsx")


def test_password_protected_workbook_is_named_as_such(tmp_path: Path) -> None:
    path = write_ole(tmp_path / "secret.xlsx", ["EncryptionInfo", "EncryptedPackage"])
    import openpyxl

    with pytest.raises(Exception):  # noqa: B017 - openpyxl itself cannot open it
        openpyxl.load_workbook(path)
    message = refusal(path)
    assert "password-protected (encrypted)" in message
    assert "remove the password" in message


def test_legacy_xls_and_other_files_are_not_spreadsheets(tmp_path: Path) -> None:
    assert "Excel 97-2003" in refusal(write_ole(tmp_path / "old.xls", ["Workbook"]))
    (tmp_path / "photo.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert "a PNG image, not a spreadsheet" in refusal(tmp_path / "photo.csv")
    (tmp_path / "doc.xlsx").write_bytes(b"%PDF-1.7\n" + b"x" * 100)
    assert "a PDF document, not a spreadsheet" in refusal(tmp_path / "doc.xlsx")
    write_zip(tmp_path / "letter.xlsx", {"word/document.xml": b"<w/>"})
    assert "a Word document" in refusal(tmp_path / "letter.xlsx")
    write_zip(
        tmp_path / "calc.ods",
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"},
    )
    assert "OpenDocument spreadsheet" in refusal(tmp_path / "calc.ods")
    (tmp_path / "bin.csv").write_bytes(b"Title,Start\nab\x00\x01\x02,cd\n")
    assert "a binary file" in refusal(tmp_path / "bin.csv")
    (tmp_path / "page.csv").write_text("<!DOCTYPE html><html></html>", encoding="utf-8")
    assert "web page" in refusal(tmp_path / "page.csv")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"garbage" * 20)
    assert "damaged" in refusal(tmp_path / "broken.xlsx")
    assert "was not found" in refusal(tmp_path / "missing.csv")


def test_merged_cells_are_refused(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "merged.xlsx",
        [["Title", "Start"], ["a", "2026-11-25"], ["b", None]],
        merge="B2:B3",
    )
    message = refusal(path)
    assert "merged cells (B2:B3)" in message
    assert "Unmerge" in message


def test_text_that_is_not_utf8_or_windows_1252_is_refused(tmp_path: Path) -> None:
    (tmp_path / "odd.csv").write_bytes(b"Title,Start\n\x81\x8d\x8f,x\n")
    assert "neither UTF-8 nor Windows-1252" in refusal(tmp_path / "odd.csv")


def test_ragged_and_unclosed_csv_rows_get_plain_messages(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("Title,Start\na,b\nc,d,e,f\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="has 4 cells where the heading row has 2"):
        list(read_chunks(inspect(path)))
    path = tmp_path / "quote.csv"
    path.write_text('Title,Start\na,b\n"c,d\n', encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="quoted cell"):
        list(read_chunks(inspect(path)))


def test_workbook_sheets_first_with_data_or_named(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Notes"
    data = workbook.create_sheet("Data")
    data.append(["Title"])
    data.append(["x"])
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    source = inspect(path)
    assert source.sheet == "Data"
    assert source.sheets == ("Notes", "Data")
    with pytest.raises(SpreadsheetError, match='no sheet named "Nope"'):
        inspect(path, sheet="Nope")
    assert zipfile.is_zipfile(path)
