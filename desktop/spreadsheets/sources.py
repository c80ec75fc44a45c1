"""What a file is, and its rows: CSV (any usual encoding and separator) or XLSX, read in chunks.

``inspect(path)`` looks at a file without reading all of it: it refuses what cannot be imported
(empty, not a spreadsheet, an encrypted or legacy workbook, merged cells) with a
``SpreadsheetError`` in plain words, and otherwise returns a ``Source``: the format, the encoding
and separator of a CSV, the sheet of a workbook, the heading row and the first rows as samples.
``read_chunks(source)`` then yields the rows in chunks, every cell as text, each row with the number
a spreadsheet program shows for it, and reports progress.

Decisions where the issue is silent:

- The heading row is the first row with anything in it; rows above it are skipped. Rows whose
  cells are all empty are skipped wherever they are.
- CSV encodings: UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark (Excel's
  "Unicode text"), otherwise Windows-1252. Separators: comma, semicolon, tab or ``|``, whichever
  splits the first lines into the same number of cells as the heading row.
- CSV cells that start with an apostrophe followed by ``= + - @`` lose the apostrophe: it is the
  guard our own export adds against formula injection (see ``export``).
- XLSX: the first visible worksheet with data (or the one named). Cells are read as they are
  stored: a date cell becomes ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM:SS``, a number its digits, a
  formula or an error value is a problem of that row (values only are imported). OOXML's
  ``_xHHHH_`` escapes in text are decoded, as Excel does.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Final, Literal

from desktop.progress import Progress

Format = Literal["csv", "xlsx"]

SAMPLE_ROWS: Final = 50
CHUNK_ROWS: Final = 20_000
DELIMITERS: Final = (",", ";", "\t", "|")
DELIMITER_NAMES: Final = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC: Final = b"PK\x03\x04"
_NOT_SPREADSHEETS: Final = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a media file"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"BZh", "a compressed (bzip2) file"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
    (b"SQLite format 3", "a database file"),
)
_FORMULA_GUARD = re.compile(r"^'(?='*[=+\-@])")
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)\"")


class SpreadsheetError(Exception):
    """A file that cannot be imported at all; the message says why and what to do."""


@dataclass(frozen=True)
class Source:
    """A file ready to read: what ``inspect`` found."""

    path: Path
    format: Format
    header: tuple[str, ...]
    samples: tuple[tuple[str, ...], ...]
    size: int
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    header_row: int = 1  # the heading's row number as a spreadsheet program shows it
    rows_estimate: int | None = None

    @property
    def name(self) -> str:
        return self.path.name

    def describe(self) -> str:
        """``CSV, UTF-8, semicolon separated`` or ``XLSX, sheet "Plan"``."""
        if self.format == "csv":
            encoding = {
                "utf-8": "UTF-8",
                "utf-8-sig": "UTF-8 with BOM",
                "utf-16": "UTF-16",
                "cp1252": "Windows-1252",
            }.get(self.encoding or "", self.encoding or "")
            separator = DELIMITER_NAMES.get(self.delimiter or ",", "comma")
            return f"CSV, {encoding}, {separator} separated"
        return f'XLSX, sheet "{self.sheet}"'


@dataclass
class Chunk:
    """Rows of cells (text, one per heading column) and their row numbers in the file.

    ``problems`` maps a position in ``rows`` to cell problems found while reading (formulas, error
    values) as ``(column index, message)``.
    """

    rows: list[list[str]]
    numbers: list[int]
    problems: dict[int, list[tuple[int, str]]] = field(default_factory=dict)


# --- what the file is ------------------------------------------------------------------------


def inspect(path: str | Path, *, sheet: str | None = None) -> Source:
    """Identify ``path`` and read its heading and first rows; SpreadsheetError if it cannot be
    imported. Runs on a worker; reads at most the first rows (and scans a workbook for merges)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        raise SpreadsheetError(f'"{path.name}" was not found; choose the file again.') from None
    except IsADirectoryError:
        raise SpreadsheetError(f'"{path.name}" is a folder, not a spreadsheet.') from None
    except OSError as exc:
        raise SpreadsheetError(f'"{path.name}" cannot be read: {exc.strerror or exc}.') from None
    if size == 0 or not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise SpreadsheetError(f'"{path.name}" is empty: there is nothing to import.')
    if head.startswith(_OLE_MAGIC):
        raise SpreadsheetError(_ole_message(path))
    if head.startswith(_ZIP_MAGIC):
        return _inspect_xlsx(path, size, sheet)
    for magic, what in _NOT_SPREADSHEETS:
        if head.startswith(magic):
            raise SpreadsheetError(_not_spreadsheet(path, what))
    return _inspect_csv(path, size, head)


def _not_spreadsheet(path: Path, what: str) -> str:
    return (
        f'"{path.name}" is {what}, not a spreadsheet. Choose a CSV file or an Excel workbook '
        "(.xlsx)."
    )


def _ole_message(path: Path) -> str:
    """An OLE compound file: an encrypted OOXML workbook, a legacy .xls, or another document."""
    with path.open("rb") as handle:
        data = handle.read(4 * 1024 * 1024)
    names = data.replace(b"\x00", b"")
    if b"EncryptionInfo" in names or b"EncryptedPackage" in names:
        return (
            f'"{path.name}" is password-protected (encrypted), so it cannot be read. Open it in '
            "Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, "
            "clear it), save it, and import it again."
        )
    if b"Workbook" in names or b"Book" in names:
        return (
            f'"{path.name}" is an Excel 97-2003 workbook (.xls). Open it in Excel and save it as '
            "an Excel workbook (.xlsx) or as CSV, then import it again."
        )
    return _not_spreadsheet(path, "an older Office document")


# --- CSV ----------------------------------------------------------------------------------------


def _detect_encoding(path: Path, head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise SpreadsheetError(_not_spreadsheet(path, "a binary file"))
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while block := handle.read(1 << 20):
                    if b"\x00" in block:
                        raise SpreadsheetError(_not_spreadsheet(path, "a binary file"))
                    decoder.decode(block)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise SpreadsheetError(
        f'The characters in "{path.name}" cannot be read: it is neither UTF-8 nor '
        'Windows-1252 text. Save it again as "CSV UTF-8" and import it again.'
    )


def _sniff_delimiter(text: str) -> str:
    lines = text.splitlines()[:60]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of the sample may be cut short
    best, best_score = ",", (-1, 0)
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        if width < 2:
            continue
        score = (sum(len(r) == width for r in rows[1:]), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _guard(value: str) -> str:
    return _FORMULA_GUARD.sub("", value) if value[:1] == "'" else value


def _read_csv_frames(
    encoding: str, delimiter: str, *, chunk_rows: int, handle: Any, skip: int
) -> Iterator[Any]:
    import pandas as pd

    return pd.read_csv(  # type: ignore[no-any-return]
        handle,
        sep=delimiter,
        encoding=encoding,
        header=None,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        skiprows=skip,
        chunksize=chunk_rows,
        engine="c",
        quotechar='"',
        doublequote=True,
        encoding_errors="strict",
    )


def _parser_message(path: Path, exc: Exception) -> str:
    text = str(exc)
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if match:
        expected, line, saw = match.groups()
        return (
            f'Line {line} of "{path.name}" has {saw} cells where the heading row has {expected}. '
            "Check that line's separators and quotes (a cell holding the separator must be in "
            "double quotes), then import it again."
        )
    if "EOF inside string" in text or "EOF" in text:
        return (
            f'"{path.name}" ends inside a quoted cell: a double quote is not closed. '
            "Fix the quotes and import it again."
        )
    return f'"{path.name}" cannot be read as CSV: {text.strip().splitlines()[-1]}'


def _csv_rows(
    path: Path,
    encoding: str,
    delimiter: str,
    *,
    chunk_rows: int,
    progress: Progress | None,
    limit: int | None = None,
    skip: int = 0,
) -> Iterator[tuple[list[list[str]], list[int]]]:
    """Rows of cells (trailing empty cells kept) and their numbers (1-based, as a spreadsheet
    program shows them); blank rows are dropped. ``skip`` blank lines at the top are skipped."""
    import pandas as pd

    size = path.stat().st_size
    number = skip
    with path.open("rb") as handle:
        try:
            frames = _read_csv_frames(
                encoding, delimiter, chunk_rows=chunk_rows, handle=handle, skip=skip
            )
            for frame in frames:
                values = frame.to_numpy(dtype=object).tolist()
                rows: list[list[str]] = []
                numbers: list[int] = []
                for cells in values:
                    number += 1
                    cleaned = [_guard(c) if isinstance(c, str) else "" for c in cells]
                    if any(cleaned):
                        rows.append(cleaned)
                        numbers.append(number)
                if progress is not None:
                    progress.check()
                    progress.report(
                        "Reading rows",
                        number,
                        None,
                        bytes_done=min(handle.tell(), size),
                        bytes_total=size,
                    )
                yield rows, numbers
                if limit is not None and number >= limit:
                    return
        except pd.errors.EmptyDataError:
            return
        except pd.errors.ParserError as exc:
            raise SpreadsheetError(_parser_message(path, exc)) from None
        except UnicodeDecodeError:
            raise SpreadsheetError(
                f'The characters in "{path.name}" cannot be read as {encoding}. Save it again as '
                '"CSV UTF-8" and import it again.'
            ) from None


def _inspect_csv(path: Path, size: int, head: bytes) -> Source:
    encoding = _detect_encoding(path, head)
    with path.open("rb") as handle:
        sample = handle.read(64 * 1024)
    text = sample.decode(encoding, errors="ignore")
    stripped = text.lstrip().lower()
    if stripped.startswith(("<!doctype html", "<html", "<?xml")):
        raise SpreadsheetError(_not_spreadsheet(path, "a web page or XML file"))
    delimiter = _sniff_delimiter(text)
    skip = 0
    for line in text.splitlines():
        if line.strip(" \t" + delimiter):
            break
        skip += 1
    header: list[str] | None = None
    header_row = 1
    samples: list[tuple[str, ...]] = []
    for rows, numbers in _csv_rows(
        path,
        encoding,
        delimiter,
        chunk_rows=SAMPLE_ROWS * 2,
        progress=None,
        limit=SAMPLE_ROWS,
        skip=skip,
    ):
        for cells, number in zip(rows, numbers, strict=True):
            if header is None:
                header, header_row = cells, number
            elif len(samples) < SAMPLE_ROWS:
                samples.append(tuple(cells))
    if header is None:
        raise SpreadsheetError(f'"{path.name}" is empty: there is nothing to import.')
    names = _header_names(header)
    if not samples:
        raise SpreadsheetError(
            f'"{path.name}" has a heading row but no rows below it: there is nothing to import.'
        )
    estimate = None
    if size > len(sample) and sample:
        lines = max(sample.count(b"\n"), 1)
        estimate = int(size / len(sample) * lines)
    elif sample:
        estimate = len(samples)
    return Source(
        path=path,
        format="csv",
        header=names,
        samples=tuple(_fit(s, len(names)) for s in samples),
        size=size,
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        rows_estimate=estimate,
    )


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _header_names(cells: list[str]) -> tuple[str, ...]:
    """Heading cells, trimmed; a blank heading is named after its column letter."""
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    return tuple(c.strip() or f"Column {_column_letter(i)}" for i, c in enumerate(cells))


def _fit(cells: tuple[str, ...] | list[str], width: int) -> tuple[str, ...]:
    cells = tuple(cells[:width])
    return cells + ("",) * (width - len(cells))


# --- XLSX ---------------------------------------------------------------------------------------


def _open_workbook(path: Path) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        names = set(zipfile.ZipFile(path).namelist())
    except (zipfile.BadZipFile, OSError):
        raise SpreadsheetError(
            f'"{path.name}" looks like an Excel workbook but is damaged; save it again and retry.'
        ) from None
    if "xl/workbook.xml" not in names and not any(n.endswith("/workbook.xml") for n in names):
        if "mimetype" in names:
            mime = zipfile.ZipFile(path).read("mimetype")
            if b"spreadsheet" in mime:
                raise SpreadsheetError(
                    f'"{path.name}" is an OpenDocument spreadsheet (.ods). Save it as an Excel '
                    "workbook (.xlsx) or as CSV, then import it again."
                )
        if any(n.startswith("word/") for n in names):
            raise SpreadsheetError(_not_spreadsheet(path, "a Word document"))
        if any(n.startswith("ppt/") for n in names):
            raise SpreadsheetError(_not_spreadsheet(path, "a PowerPoint presentation"))
        raise SpreadsheetError(_not_spreadsheet(path, "a ZIP archive"))
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        raise SpreadsheetError(
            f'"{path.name}" cannot be read as an Excel workbook; it may be damaged. Open it in '
            "Excel, save it again, and import it again."
        ) from None


def _merged_ranges(path: Path, worksheet: Any) -> list[str]:
    """Merged ranges of a sheet, scanned from its XML without parsing it."""
    found: list[str] = []
    member = getattr(worksheet, "_worksheet_path", None)
    if not member:
        return found
    with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
        tail = b""
        while block := stream.read(1 << 20):
            data = tail + block
            found.extend(m.decode() for m in _MERGE.findall(data))
            tail = data[-200:]
            if found:
                break
        if not found and tail:
            found.extend(m.decode() for m in _MERGE.findall(tail))
    return list(dict.fromkeys(found))


def _cell_text(cell: Any) -> tuple[str, str | None]:
    """A cell as text, and a problem when it cannot be imported as it is."""
    value = cell.value
    if value is None:
        return "", None
    kind = getattr(cell, "data_type", None)
    if kind == "f":
        return "", f"holds a formula ({str(value)[:40]}); only values can be imported"
    if kind == "e":
        return "", f"shows an error value ({value})"
    if isinstance(value, str):
        return (
            _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value) if "_x" in value else value
        ), None
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), None
    if isinstance(value, datetime):
        if value.time() == time(0) and "h" not in str(getattr(cell, "number_format", "")).lower():
            return value.date().isoformat(), None
        return value.replace(microsecond=0).isoformat(sep=" "), None
    if isinstance(value, date):
        return value.isoformat(), None
    if isinstance(value, time):
        return value.replace(microsecond=0).isoformat(), None
    if isinstance(value, timedelta):
        return str(value), None
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else f"{value:.15g}"), None
    return str(value), None


def _sheet_rows(worksheet: Any) -> Iterator[tuple[int, list[str], list[tuple[int, str]]]]:
    for number, cells in enumerate(worksheet.iter_rows(), start=1):
        texts: list[str] = []
        problems: list[tuple[int, str]] = []
        for index, cell in enumerate(cells):
            text, problem = _cell_text(cell)
            texts.append(text)
            if problem is not None:
                problems.append((index, problem))
        if any(texts) or problems:
            yield number, texts, problems


def _pick_sheet(workbook: Any, path: Path, sheet: str | None) -> Any:
    visible = [
        ws for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"
    ]
    if sheet is not None:
        for ws in workbook.worksheets:
            if ws.title == sheet:
                return ws
        raise SpreadsheetError(f'"{path.name}" has no sheet named "{sheet}".')
    if not visible:
        raise SpreadsheetError(f'"{path.name}" has no visible sheet to import.')
    for ws in visible:
        ws.reset_dimensions()
        for _ in _sheet_rows(ws):
            return ws
    return visible[0]


def _inspect_xlsx(path: Path, size: int, sheet: str | None) -> Source:
    workbook = _open_workbook(path)
    try:
        worksheet = _pick_sheet(workbook, path, sheet)
        estimate = worksheet.max_row
        merged = _merged_ranges(path, worksheet)
        if merged:
            shown = ", ".join(merged[:3]) + (" and more" if len(merged) > 3 else "")
            raise SpreadsheetError(
                f'The sheet "{worksheet.title}" of "{path.name}" has merged cells ({shown}), so '
                "its rows cannot be told apart. Unmerge them (Home > Merge & Center > Unmerge "
                "Cells), fill in every row, save, and import it again."
            )
        worksheet.reset_dimensions()
        header: list[str] | None = None
        header_row = 1
        samples: list[tuple[str, ...]] = []
        for number, texts, _problems in _sheet_rows(worksheet):
            if header is None:
                header, header_row = texts, number
                continue
            samples.append(tuple(texts))
            if len(samples) >= SAMPLE_ROWS:
                break
        if header is None:
            raise SpreadsheetError(
                f'The sheet "{worksheet.title}" of "{path.name}" is empty: there is nothing to '
                "import."
            )
        if not samples:
            raise SpreadsheetError(
                f'The sheet "{worksheet.title}" of "{path.name}" has a heading row but no rows '
                "below it: there is nothing to import."
            )
        names = _header_names(header)
        sheets = tuple(
            ws.title
            for ws in workbook.worksheets
            if getattr(ws, "sheet_state", "visible") == "visible"
        )
        return Source(
            path=path,
            format="xlsx",
            header=names,
            samples=tuple(_fit(s, len(names)) for s in samples),
            size=size,
            sheet=worksheet.title,
            sheets=sheets,
            header_row=header_row,
            rows_estimate=(estimate - header_row) if estimate else None,
        )
    finally:
        workbook.close()


# --- reading all rows ----------------------------------------------------------------------------


def read_chunks(
    source: Source, *, progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS
) -> Iterator[Chunk]:
    """The data rows below the heading, in chunks of about ``chunk_rows``; every row has exactly
    ``len(source.header)`` cells. Checks ``progress`` for cancellation between chunks."""
    width = len(source.header)
    if source.format == "csv":
        yield from _csv_chunks(source, width, progress, chunk_rows)
    else:
        yield from _xlsx_chunks(source, width, progress, chunk_rows)


def _csv_chunks(
    source: Source, width: int, progress: Progress | None, chunk_rows: int
) -> Iterator[Chunk]:
    assert source.encoding is not None and source.delimiter is not None
    seen_header = False
    for rows, numbers in _csv_rows(
        source.path,
        source.encoding,
        source.delimiter,
        chunk_rows=chunk_rows,
        progress=progress,
        skip=source.header_row - 1,
    ):
        chunk = Chunk([], [])
        for cells, number in zip(rows, numbers, strict=True):
            if not seen_header:
                seen_header = True
                continue
            chunk.rows.append(list(_fit(cells, width)))
            chunk.numbers.append(number)
        if chunk.rows:
            yield chunk


def _xlsx_chunks(
    source: Source, width: int, progress: Progress | None, chunk_rows: int
) -> Iterator[Chunk]:
    workbook = _open_workbook(source.path)
    try:
        worksheet = _pick_sheet(workbook, source.path, source.sheet)
        total = worksheet.max_row
        worksheet.reset_dimensions()
        chunk = Chunk([], [])
        for number, texts, problems in _sheet_rows(worksheet):
            if number <= source.header_row:
                continue
            if problems:
                chunk.problems[len(chunk.rows)] = [(i, p) for i, p in problems if i < width]
            chunk.rows.append(list(_fit(texts, width)))
            chunk.numbers.append(number)
            if len(chunk.rows) >= chunk_rows:
                if progress is not None:
                    progress.check()
                    progress.report("Reading rows", number, total)
                yield chunk
                chunk = Chunk([], [])
        if progress is not None:
            progress.report("Reading rows", total or 0, total, force=True)
        if chunk.rows:
            yield chunk
    finally:
        workbook.close()


def column_letter(index: int) -> str:
    """``0`` -> ``A``; for cell references in messages."""
    return _column_letter(index)
