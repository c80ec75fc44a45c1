"""A report as a PNG image (its charts, titled) or a PDF (charts, then every table, paginated).

GUI thread only (QtCharts draws through a QGraphicsScene); the XLSX export is
``desktop.reports.export.write_xlsx`` (no Qt). Files are written beside the target and moved into
place, so a failed export never leaves half a file.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Final

import pandas as pd
from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from desktop.reports.model import Chart, Report, Table
from desktop.spreadsheets.export import ExportError, temporary_beside
from ui.reports.charts import paint_chart

PNG_WIDTH: Final = 1400
CHART_HEIGHT: Final = 560
HEADER_HEIGHT: Final = 96


def _temporary(path: Path) -> Path:
    if not path.parent.is_dir():
        raise ExportError(f"The folder {path.parent} does not exist; choose another place.")
    return temporary_beside(path)


def _header(painter: QPainter, rect: QRectF, report: Report) -> None:
    painter.save()
    painter.setPen(QColor("#1d2733"))
    font = QFont(painter.font())
    font.setPointSizeF(15)
    font.setBold(True)
    painter.setFont(font)
    line = QFontMetricsF(font).height()
    painter.drawText(
        QRectF(rect.left(), rect.top(), rect.width(), line),
        Qt.AlignmentFlag.AlignLeft,
        report.title,
    )
    small = QFont(font)
    small.setPointSizeF(9)
    small.setBold(False)
    painter.setFont(small)
    painter.setPen(QColor("#555"))
    text = f"{report.description}  As of {report.generated_at:%Y-%m-%d %H:%M} UTC."
    if report.notes:
        text += "  " + " ".join(report.notes)
    painter.drawText(
        QRectF(rect.left(), rect.top() + line + 4, rect.width(), rect.height() - line - 4),
        Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft,
        text,
    )
    painter.restore()


def report_image(report: Report, *, width: int = PNG_WIDTH) -> QImage:
    """The report's charts, two a row, under its title."""
    charts = list(report.charts)
    per_row = 1 if len(charts) == 1 else 2
    rows = max(math.ceil(len(charts) / per_row), 1)
    chart_height = CHART_HEIGHT
    if len(charts) == 1 and charts[0].kind == "heatmap" and not charts[0].empty:
        # A heatmap is as tall as its rows need (a lead has few markets).
        chart_height = min(CHART_HEIGHT, 170 + 64 * len(charts[0].data.index))
    height = HEADER_HEIGHT + rows * chart_height + 16
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        _header(painter, QRectF(24, 16, width - 48, HEADER_HEIGHT - 16), report)
        cell_width = (width - 48) / per_row
        for index, chart in enumerate(charts):
            row, column = divmod(index, per_row)
            rect = QRectF(
                24 + column * cell_width + 6,
                HEADER_HEIGHT + row * chart_height,
                cell_width - 12,
                chart_height - 16,
            )
            paint_chart(painter, rect, chart)
    finally:
        painter.end()
    return image


def write_png(report: Report, path: str | Path) -> Path:
    target = Path(path)
    temporary = _temporary(target)
    try:
        saved = report_image(report).save(str(temporary), "PNG")  # type: ignore[call-overload]
        if not saved:
            raise ExportError(f'"{target.name}" could not be written; choose another place.')
        os.replace(temporary, target)
    except OSError as exc:
        raise ExportError(f'"{target.name}" could not be written: {exc.strerror or exc}.') from None
    finally:
        temporary.unlink(missing_ok=True)
    return target


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.1f}" if not value.is_integer() else f"{value:.0f}"
    return str(value)


class _Pages:
    """Lays text and charts out on PDF pages, starting a new page when one is full."""

    def __init__(self, writer: QPdfWriter, painter: QPainter) -> None:
        self.writer = writer
        self.painter = painter
        self.page = QRectF(painter.viewport())
        self.y = self.page.top()

    def need(self, height: float) -> None:
        if self.y + height > self.page.bottom():
            self.writer.newPage()
            self.y = self.page.top()

    def table(self, table: Table) -> None:
        painter = self.painter
        frame = table.shown
        title = QFont(painter.font())
        title.setPointSizeF(11)
        title.setBold(True)
        body = QFont(painter.font())
        body.setPointSizeF(8.5)
        body.setBold(False)
        head = QFont(body)
        head.setBold(True)
        line = QFontMetricsF(body, self.writer).height() * 1.35
        self.need(line * 4)
        painter.setFont(title)
        painter.setPen(QColor("#1d2733"))
        painter.drawText(
            QRectF(self.page.left(), self.y, self.page.width(), line * 1.6), table.title
        )
        self.y += line * 1.8
        if frame.empty:
            painter.setFont(body)
            painter.drawText(
                QRectF(self.page.left(), self.y, self.page.width(), line), table.empty_text
            )
            self.y += line * 2
            return
        texts = [[_cell_text(v) for v in row] for row in frame.itertuples(index=False)]
        names = [str(c) for c in frame.columns]
        metrics = QFontMetricsF(body, self.writer)
        bold = QFontMetricsF(head, self.writer)
        padding = metrics.horizontalAdvance("MM")
        widths = [
            min(
                max(
                    [bold.horizontalAdvance(n)]
                    + [metrics.horizontalAdvance(t) for t in column[:300]]
                ),
                self.page.width() / 2.5,
            )
            for n, column in zip(names, zip(*texts, strict=False), strict=False)
        ]
        scale = min(1.0, self.page.width() / (sum(widths) + padding * len(widths)))
        widths = [(w + padding) * scale for w in widths]

        def draw_row(cells: list[str], font: QFont, shade: bool) -> None:
            painter.setFont(font)
            if shade:
                painter.fillRect(
                    QRectF(self.page.left(), self.y, sum(widths), line), QColor("#eef1f5")
                )
            x = self.page.left()
            for text, width in zip(cells, widths, strict=False):
                fitted = bold if font is head else metrics
                shown = fitted.elidedText(text, Qt.TextElideMode.ElideRight, width - 6)
                painter.drawText(
                    QRectF(x + 3, self.y, width - 6, line), Qt.AlignmentFlag.AlignVCenter, shown
                )
                x += width
            self.y += line

        painter.setPen(QColor("#222"))
        draw_row(names, head, True)
        for index, cells in enumerate(texts):
            if self.y + line > self.page.bottom():
                self.writer.newPage()
                self.y = self.page.top()
                draw_row(names, head, True)
            draw_row(cells, body, index % 2 == 1)
        self.y += line


def _paint_scaled(painter: QPainter, rect: QRectF, chart: Chart) -> None:
    """A chart drawn at screen scale (so its fonts keep their size next to the chart), then
    placed on a high-resolution page at twice that density."""
    width = 760.0
    height = width * rect.height() / rect.width()
    image = QImage(int(width * 2), int(height * 2), QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(2.0)
    image.fill(QColor("white"))
    inner = QPainter(image)
    try:
        paint_chart(inner, QRectF(0, 0, width, height), chart)
    finally:
        inner.end()
    painter.drawImage(rect, image)


def write_pdf(report: Report, path: str | Path) -> Path:
    """The report on A4 landscape pages: title, charts, then each table (headings repeated)."""
    target = Path(path)
    temporary = _temporary(target)
    writer = QPdfWriter(str(temporary))
    writer.setResolution(150)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(report.title)
    writer.setCreator("Section Desk")
    painter = QPainter()
    if not painter.begin(writer):
        temporary.unlink(missing_ok=True)
        raise ExportError(f'"{target.name}" could not be written; choose another place.')
    try:
        pages = _Pages(writer, painter)
        page = pages.page
        header = page.height() * 0.13
        _header(painter, QRectF(page.left(), page.top(), page.width(), header), report)
        pages.y += header
        single = len(report.charts) == 1
        chart_size = QSizeF(page.width() if single else page.width() / 2 - 12, page.height() * 0.40)
        for index, chart in enumerate(report.charts):
            column = index % 2
            if column == 0 and index:
                pages.y += chart_size.height() + 12
            pages.need(chart_size.height())
            rect = QRectF(
                page.left() + column * (chart_size.width() + 24),
                pages.y,
                chart_size.width(),
                chart_size.height(),
            )
            _paint_scaled(painter, rect, chart)
        pages.y += chart_size.height() + 24
        for table in report.tables:
            pages.table(table)
    finally:
        painter.end()
    try:
        os.replace(temporary, target)
    except OSError as exc:
        raise ExportError(f'"{target.name}" could not be written: {exc.strerror or exc}.') from None
    finally:
        temporary.unlink(missing_ok=True)
    return target
