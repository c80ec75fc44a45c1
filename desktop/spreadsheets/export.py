"""Export of any view to CSV or XLSX, with the columns as shown.

Two entry points, both safe to call from any worker thread (they open their own read session):

- ``export_records(store, kind, ids, columns, path, fmt)``: records of a kind (``calendar``,
  ``assets``, ``requests``), the ``ids`` in the order given (None: all of that kind here), and the
  ``columns`` by key (``columns.COLUMNS[kind]``; None: ``DEFAULT_COLUMNS[kind]``). What it writes
  imports back unchanged: times in RFC 3339 (UTC, or each market's local time with its offset),
  lists one cell each, the campaign and assets by name where the name is unique (else by ID).
- ``export_table(header, rows, path, fmt)``: exactly the cells a view shows (its own headings and
  display text), for a view whose columns are not record fields.

Both write to a temporary file beside ``path`` and move it into place at the end, so a cancelled
or failed export never leaves half a file. CSV is UTF-8 with a byte-order mark (so Excel reads
accents right), comma separated, CRLF line ends; a text cell starting with ``= + - @`` gets an
apostrophe in front so a spreadsheet program does not run it as a formula (the importer removes
it). XLSX cells are typed text (never formulas); OOXML ``_xHHHH_`` escapes carry the control
characters XML cannot hold.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any, Final, Literal

from sqlalchemy import select

from desktop.progress import Progress
from desktop.spreadsheets.columns import (
    COLUMNS,
    DEFAULT_COLUMNS,
    RECORD_TYPES,
    Column,
    column,
)
from desktop.spreadsheets.values import format_bool, format_local, join_list, zone_of
from desktop.store import records
from desktop.store.db import Store

ExportFormat = Literal["csv", "xlsx"]
FORMATS: Final = ("csv", "xlsx")
TimeStyle = Literal["utc", "local"]
CHUNK: Final = 2_000
_FORMULA_START = re.compile(r"^'*[=+\-@]")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b-\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
ORDER: Final[dict[str, tuple[str, ...]]] = {
    "calendar_entry": ("starts_at", "id"),
    "asset": ("name", "id"),
    "amplification_request": ("market", "starts_at", "id"),
}


class ExportError(Exception):
    """An export that cannot be written; the message says why and what to do."""


def format_for(path: str | Path, fmt: str | None) -> ExportFormat:
    """``fmt`` if given, else from the file's suffix (CSV by default)."""
    chosen = (fmt or Path(path).suffix.lstrip(".") or "csv").lower()
    if chosen not in FORMATS:
        raise ExportError(f'"{chosen}" is not a format Section Desk exports; use csv or xlsx.')
    return chosen  # type: ignore[return-value]


# --- cells -------------------------------------------------------------------------------------


def guard_csv(text: str) -> str:
    """Keep a spreadsheet program from reading a text cell as a formula (see the module)."""
    return "'" + text if _FORMULA_START.match(text) else text


def escape_xlsx(text: str) -> str:
    """OOXML's escapes for what XML cannot hold (control characters), and for a literal
    ``_xHHHH_`` so it reads back as written."""
    return _ILLEGAL_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


@dataclass
class _Names:
    """Names to show instead of IDs: campaigns, assets and entries, unique ones only."""

    campaigns: dict[str, str]
    assets: dict[str, str]
    entries: dict[str, str]
    zones: dict[str | None, tzinfo | None]


def _unique(pairs: Iterable[tuple[str, Any]]) -> dict[str, str]:
    names: dict[str, str] = {}
    counts: dict[str, int] = {}
    for ident, name in pairs:
        if name:
            names[ident] = str(name)
            key = str(name).casefold()
            counts[key] = counts.get(key, 0) + 1
    return {i: n for i, n in names.items() if counts[n.casefold()] == 1}


def _names(store: Store, keys: set[str]) -> _Names:
    campaigns: dict[str, str] = {}
    assets: dict[str, str] = {}
    entries: dict[str, str] = {}
    zones: dict[str | None, tzinfo | None] = {None: None}
    with store.read() as session:
        if "campaign" in keys:
            t = records.table("campaign")
            campaigns = _unique(
                session.execute(select(t.c.id, t.c.name).where(t.c.deleted.is_(False))).all()
            )
        if keys & {"assets", "asset"}:
            t = records.table("asset")
            assets = _unique(
                session.execute(select(t.c.id, t.c.name).where(t.c.deleted.is_(False))).all()
            )
        if "entry" in keys:
            t = records.table("calendar_entry")
            entries = {
                i: str(n)
                for i, n in session.execute(select(t.c.id, t.c.title)).all()
                if n is not None
            }
        t = records.table("market")
        for code, name in session.execute(select(t.c.code, t.c.timezone)).all():
            zones[code] = zone_of(name)
    return _Names(campaigns, assets, entries, zones)


def _cell(record: dict[str, Any], col: Column, names: _Names, times: TimeStyle) -> Any:
    data = record["data"]
    key = col.key
    if key in ("id", "version", "updated_at", "updated_by"):
        value: Any = record[key]
    elif key == "campaign":
        ident = data.get("campaign_id")
        return names.campaigns.get(ident, ident) if ident else ""
    elif key == "assets":
        return join_list(names.assets.get(i, i) for i in data.get("asset_ids") or [])
    elif key == "asset":
        ident = data.get("asset_id")
        return names.assets.get(ident, ident) if ident else ""
    elif key == "entry":
        ident = data.get("entry_id")
        return names.entries.get(ident, ident) if ident else ""
    elif "." in key:
        top, sub = key.split(".", 1)
        value = (data.get(top) or {}).get(sub)
    else:
        value = data.get(key)
    if value is None:
        return ""
    if col.time:
        zone = names.zones.get(data.get("market")) if times == "local" else None
        return format_local(str(value), zone)
    if isinstance(value, bool):
        return format_bool(value)
    if isinstance(value, list):
        return join_list(str(v) for v in value)
    if isinstance(value, int):
        return value
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items() if v is not None)
    return str(value)


def record_rows(
    store: Store,
    kind: str,
    ids: Sequence[str] | None,
    columns: Sequence[str],
    *,
    times: TimeStyle = "utc",
    progress: Progress | None = None,
) -> Iterator[list[Any]]:
    """The rows of an export: one list of cells per record, in ``ids`` order (or the kind's own
    order). Reads in chunks, each in its own read session."""
    record_type = RECORD_TYPES[kind]
    cols = [column(kind, key) for key in columns]
    names = _names(store, {c.key for c in cols})
    t = records.table(record_type)
    if ids is None:
        with store.read() as session:
            order = [t.c[name] for name in ORDER[record_type]]
            wanted = list(
                session.scalars(select(t.c.id).where(t.c.deleted.is_(False)).order_by(*order))
            )
    else:
        wanted = list(dict.fromkeys(ids))
    total = len(wanted)
    for start in range(0, total, CHUNK):
        part = wanted[start : start + CHUNK]
        with store.read() as session:
            found = records.load(session, record_type, part, include_deleted=False)
        for ident in part:
            record = found.get(ident)
            if record is not None:
                yield [_cell(record, c, names, times) for c in cols]
        if progress is not None:
            progress.check()
            progress.report("Writing rows", min(start + CHUNK, total), total)


# --- writing -------------------------------------------------------------------------------------


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def temporary_beside(path: Path) -> Path:
    """An empty file beside ``path`` to write into, then ``os.replace`` onto it; it gets the
    mode a new file would (mkstemp makes it private)."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)
    os.chmod(name, 0o666 & ~_umask())
    return Path(name)


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow([guard_csv(str(h)) for h in header])
        for row in rows:
            writer.writerow(
                [guard_csv(v) if isinstance(v, str) else ("" if v is None else v) for v in row]
            )
            count += 1
    return count


def _write_xlsx(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str
) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31] or "Sheet1")
    worksheet.freeze_panes = "A2"
    for index, heading in enumerate(header):
        from openpyxl.utils import get_column_letter

        width = min(max(len(str(heading)) + 4, 12), 60)
        worksheet.column_dimensions[get_column_letter(index + 1)].width = width
    bold = Font(bold=True)

    def text_cell(value: str, font: Font | None = None) -> Any:
        cell = WriteOnlyCell(worksheet, value=escape_xlsx(value))
        cell.data_type = "s"  # typed text: never read as a formula
        if font is not None:
            cell.font = font
        return cell

    worksheet.append([text_cell(str(h), bold) for h in header])
    count = 0
    for row in rows:
        worksheet.append(
            [text_cell(v) if isinstance(v, str) else (None if v == "" else v) for v in row]
        )
        count += 1
    workbook.save(path)
    return count


def export_table(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    path: str | Path,
    fmt: str | None = None,
    *,
    sheet: str = "Export",
) -> int:
    """Write ``header`` and ``rows`` (text or numbers) to ``path``; returns the rows written.

    Raises ExportError with a plain message when the file cannot be written."""
    target = Path(path)
    chosen = format_for(target, fmt)
    if not target.parent.is_dir():
        raise ExportError(f"The folder {target.parent} does not exist; choose another place.")
    try:
        temporary = temporary_beside(target)
    except OSError as exc:
        raise ExportError(
            f"Cannot write in {target.parent}: {exc.strerror or exc}. Choose another place."
        ) from None
    try:
        if chosen == "csv":
            count = _write_csv(temporary, header, rows)
        else:
            count = _write_xlsx(temporary, header, rows, sheet)
        os.replace(temporary, target)
    except OSError as exc:
        raise ExportError(
            f'"{target.name}" could not be written: {exc.strerror or exc}. If it is open in '
            "another program, close it and export again."
        ) from None
    finally:
        temporary.unlink(missing_ok=True)
    return count


def export_records(  # noqa: PLR0917 - the shape the views call, as documented
    store: Store,
    kind: str,
    ids: Sequence[str] | None,
    columns: Sequence[str] | None,
    path: str | Path,
    fmt: str | None = None,
    *,
    times: TimeStyle = "utc",
    progress: Progress | None = None,
) -> int:
    """Export records of ``kind`` with ``columns`` (keys) to ``path``; returns the rows written.

    ``ids`` None exports every record of the kind here (not deleted); otherwise those ids in that
    order (ids no longer here are left out). Runs on a worker; raises ExportError (plain message)
    and KeyError for a column key that ``kind`` does not have.
    """
    if kind not in COLUMNS:
        raise ExportError(f'"{kind}" cannot be exported; choose calendar, assets or requests.')
    keys = list(columns) if columns else list(DEFAULT_COLUMNS[kind])
    header = [column(kind, key).label for key in keys]
    rows = record_rows(store, kind, ids, keys, times=times, progress=progress)
    return export_table(header, rows, path, fmt, sheet=kind.capitalize())
