"""What a report is: tables (pandas DataFrames) and the charts drawn from them, as plain data.

The UI draws a ``Chart`` with QtCharts, ``desktop.reports.export`` writes the same data to CSV
and XLSX (with native Excel charts), so every output shows the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import pandas as pd

ChartKind = Literal["bar", "stacked_bar", "hbar", "line", "heatmap"]


@dataclass(frozen=True)
class Chart:
    """A chart's data: ``data``'s index is the categories (x axis, or the rows of a heatmap),
    its columns the series (or the heatmap's columns); values are numbers, NaN for none."""

    kind: ChartKind
    title: str
    data: pd.DataFrame
    y_label: str = ""
    x_label: str = ""
    empty_text: str = "Nothing to show yet."
    value_format: str = "{:.0f}"

    @property
    def empty(self) -> bool:
        return bool(self.data.empty) or bool(self.data.isna().all().all())


@dataclass(frozen=True)
class Table:
    """A table of the report. ``record_type`` and ``id_column`` say which record a row is (the
    id column is kept for opening the record, not shown)."""

    title: str
    frame: pd.DataFrame
    record_type: str | None = None
    id_column: str | None = None
    empty_text: str = "No rows."

    @property
    def shown(self) -> pd.DataFrame:
        """The frame as shown: without the id column."""
        if self.id_column and self.id_column in self.frame.columns:
            return self.frame.drop(columns=[self.id_column])
        return self.frame


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    description: str
    generated_at: datetime
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def main(self) -> Table:
        """The table a CSV export holds."""
        return self.tables[0]
