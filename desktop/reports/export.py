"""Reports to CSV and XLSX (no Qt; the PNG and PDF exports draw the charts, in ``ui.reports``).

- CSV: the report's main table (its first), UTF-8 with a byte-order mark.
- XLSX: a sheet "About" (title, description, when, notes), one sheet per table, and the charts as
  native Excel charts over their data (a heatmap as its table with a colour scale), so the
  workbook stays live in Excel.

Both write a temporary file beside the target and move it into place (never half a file).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from desktop.reports.model import Chart, Report
from desktop.spreadsheets.export import ExportError, escape_xlsx, guard_csv, temporary_beside


def _temporary(path: Path) -> Path:
    if not path.parent.is_dir():
        raise ExportError(f"The folder {path.parent} does not exist; choose another place.")
    return temporary_beside(path)


def _finish(temporary: Path, path: Path) -> None:
    try:
        os.replace(temporary, path)
    except OSError as exc:
        raise ExportError(
            f'"{path.name}" could not be written: {exc.strerror or exc}. If it is open in another '
            "program, close it and export again."
        ) from None
    finally:
        temporary.unlink(missing_ok=True)


def write_csv(report: Report, path: str | Path) -> Path:
    """The main table as CSV."""
    target = Path(path)
    temporary = _temporary(target)
    frame = report.main.shown.map(lambda v: guard_csv(v) if isinstance(v, str) else v)
    frame.columns = [guard_csv(str(c)) for c in frame.columns]
    try:
        frame.to_csv(temporary, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ExportError(f'"{target.name}" could not be written: {exc.strerror or exc}.') from None
    _finish(temporary, target)
    return target


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(c for c in title if c not in "[]:*?/\\")[:28] or "Sheet"
    name, number = base, 2
    while name.casefold() in used:
        name, number = f"{base[:25]} {number}", number + 1
    used.add(name.casefold())
    return name


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return escape_xlsx(value)
    if hasattr(value, "item"):
        return value.item()  # numpy scalars
    return value


def _write_frame(worksheet: Any, frame: pd.DataFrame, *, index: bool = False) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    data = frame.reset_index() if index else frame
    worksheet.append([str(c) for c in data.columns])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row in data.itertuples(index=False):
        worksheet.append([_cell(v) for v in row])
    for column, name in enumerate(data.columns, start=1):
        values = [len(str(name))] + [len(str(v)) for v in data.iloc[:200, column - 1]]
        worksheet.column_dimensions[get_column_letter(column)].width = min(max(values) + 2, 60)
    worksheet.freeze_panes = "A2"


def _add_chart(workbook: Any, chart: Chart, used: set[str]) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.utils import get_column_letter

    worksheet = workbook.create_sheet(_sheet_name(f"Chart {chart.title}", used))
    frame = chart.data.copy()
    frame.index = frame.index.map(str)
    frame.index.name = frame.index.name or ""
    _write_frame(worksheet, frame, index=True)
    rows, columns = frame.shape
    if chart.empty or rows == 0 or columns == 0:
        worksheet.cell(row=rows + 3, column=1, value=chart.empty_text)
        return
    if chart.kind == "heatmap":
        area = f"B2:{get_column_letter(columns + 1)}{rows + 1}"
        worksheet.conditional_formatting.add(
            area,
            ColorScaleRule(
                start_type="min", start_color="FFFFFF", end_type="max", end_color="C0392B"
            ),
        )
        return
    drawing: Any = LineChart() if chart.kind == "line" else BarChart()
    if chart.kind == "hbar":
        drawing.type = "bar"
    elif chart.kind != "line":
        drawing.type = "col"
    if chart.kind in ("stacked_bar", "hbar"):
        drawing.grouping = "stacked"
        drawing.overlap = 100
    drawing.title = chart.title
    drawing.y_axis.title = chart.y_label
    drawing.height, drawing.width = 9, 18
    values = Reference(worksheet, min_col=2, max_col=columns + 1, min_row=1, max_row=rows + 1)
    categories = Reference(worksheet, min_col=1, min_row=2, max_row=rows + 1)
    drawing.add_data(values, titles_from_data=True)
    drawing.set_categories(categories)
    worksheet.add_chart(drawing, f"{get_column_letter(columns + 3)}2")


def write_xlsx(report: Report, path: str | Path) -> Path:
    """Every table and chart of the report as a workbook (see the module)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    target = Path(path)
    temporary = _temporary(target)
    workbook = Workbook()
    about = workbook.active
    about.title = "About"
    about.append([report.title])
    about["A1"].font = Font(bold=True, size=14)
    about.append([report.description])
    about.append([f"As of {report.generated_at:%Y-%m-%d %H:%M} UTC"])
    for note in report.notes:
        about.append([note])
    about.column_dimensions["A"].width = 100
    used = {"about"}
    for table in report.tables:
        worksheet = workbook.create_sheet(_sheet_name(table.title, used))
        _write_frame(worksheet, table.shown)
    for chart in report.charts:
        _add_chart(workbook, chart, used)
    try:
        workbook.save(temporary)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ExportError(f'"{target.name}" could not be written: {exc.strerror or exc}.') from None
    _finish(temporary, target)
    return target
