"""Drawing a report's ``Chart`` data: QtCharts for bars and lines, a painted grid for the heatmap.

``chart_widget(chart)`` gives the widget shown in the app; ``paint_chart(painter, rect, chart)``
draws the same chart onto any paint device (a PNG image, a PDF page), so exports look like the
screen. GUI thread only.
"""

from __future__ import annotations

import math
from typing import Final

import pandas as pd
from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene, QLabel, QSizePolicy, QWidget

from desktop.reports.model import Chart

PALETTE: Final = (
    "#2f6db5",  # blue
    "#e07b39",  # orange
    "#3a9a5b",  # green
    "#8e5ab8",  # purple
    "#c94f6d",  # rose
    "#5b8c99",  # teal
    "#b5a33a",  # olive
)
NAMED: Final[dict[str, str]] = {
    "Breached": "#c0392b",
    "On time": "#3a9a5b",
    "Adapted, up to date": "#3a9a5b",
    "Adapted, stale": "#e0a030",
    "Not adapted": "#b8bec6",
    "Median hours": "#2f6db5",
    "90th percentile hours": "#e07b39",
    "Global": "#7a8591",
}
CHART_SIZE: Final = QSize(640, 380)
HEAT_LOW: Final = QColor("#fdf5f2")
HEAT_HIGH: Final = QColor("#b0281a")


def series_color(name: str, index: int) -> QColor:
    return QColor(NAMED.get(name, PALETTE[index % len(PALETTE)]))


def _nice_max(value: float) -> float:
    if value <= 0 or math.isnan(value):
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _value_axis(chart: Chart, maximum: float) -> QValueAxis:
    axis = QValueAxis()
    top = _nice_max(maximum * 1.08)
    values = pd.Series(chart.data.to_numpy().ravel()).dropna()
    if all(float(v).is_integer() for v in values):
        # Counts: whole-number ticks (five steps of a whole number).
        top = 5 * math.ceil(_nice_max(max(maximum * 1.08, 5) / 5))
    axis.setRange(0, top)
    axis.setTickCount(6)
    # Whole-number ticks read better: "%d" whenever every tick is a whole number.
    axis.setLabelFormat("%d" if (top / 5).is_integer() else "%.1f")
    axis.setTitleText(chart.y_label)
    return axis


def build_qchart(chart: Chart) -> QChart:
    """A QChart for a bar, stacked bar, horizontal bar or line chart (not heatmaps)."""
    qchart = QChart()
    qchart.setTitle(chart.title)
    title_font = QFont(qchart.titleFont())
    title_font.setPointSizeF(11)
    title_font.setBold(True)
    qchart.setTitleFont(title_font)
    qchart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    qchart.setMargins(QMargins(4, 4, 4, 4))
    qchart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    qchart.setBackgroundRoundness(0)
    data = chart.data
    categories = [str(i) for i in data.index]
    axis_categories = QBarCategoryAxis()
    axis_categories.append(categories)
    axis_categories.setTitleText(chart.x_label)
    if chart.kind == "line":
        for index, name in enumerate(data.columns):
            line = QLineSeries()
            line.setName(str(name))
            pen = QPen(series_color(str(name), index))
            pen.setWidthF(2.5)
            line.setPen(pen)
            line.setPointsVisible(True)
            for position, value in enumerate(data[name]):
                if pd.notna(value):
                    line.append(QPointF(position, float(value)))
            qchart.addSeries(line)
        values = _value_axis(chart, float(data.max(numeric_only=True).max()))
        qchart.addAxis(axis_categories, Qt.AlignmentFlag.AlignBottom)
        qchart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        for series in qchart.series():
            series.attachAxis(axis_categories)
            series.attachAxis(values)
        return qchart
    stacked = chart.kind in ("stacked_bar", "hbar")
    bars: QBarSeries | QStackedBarSeries | QHorizontalStackedBarSeries
    if chart.kind == "hbar":
        bars = QHorizontalStackedBarSeries()
    elif stacked:
        bars = QStackedBarSeries()
    else:
        bars = QBarSeries()
    for index, name in enumerate(data.columns):
        bar_set = QBarSet(str(name))
        color = series_color(str(name), index)
        bar_set.setColor(color)
        bar_set.setBorderColor(QColor("white"))
        inside = stacked and color.lightnessF() < 0.5
        bar_set.setLabelColor(QColor("white") if inside else QColor("#222"))
        bar_set.append([float(v) if pd.notna(v) else 0.0 for v in data[name]])
        bars.append(bar_set)
    bars.setLabelsVisible(True)
    bars.setLabelsFormat("@value")
    if stacked:
        bars.setLabelsPosition(QBarSeries.LabelsPosition.LabelsCenter)
    else:
        bars.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
    qchart.addSeries(bars)
    totals = data.fillna(0).sum(axis=1) if stacked else data.max(axis=1, numeric_only=True)
    values = _value_axis(chart, float(totals.max()) if len(totals) else 0.0)
    if chart.kind == "hbar":
        qchart.addAxis(axis_categories, Qt.AlignmentFlag.AlignLeft)
        qchart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    else:
        qchart.addAxis(axis_categories, Qt.AlignmentFlag.AlignBottom)
        qchart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(axis_categories)
    bars.attachAxis(values)
    if len(data.columns) == 1:
        qchart.legend().hide()
    return qchart


# --- the heatmap ----------------------------------------------------------------------------


def heat_color(value: float, maximum: float) -> QColor:
    if maximum <= 0 or value <= 0 or math.isnan(value):
        return QColor("#f4f5f7")
    share = min(value / maximum, 1.0) ** 0.6
    return QColor(
        round(HEAT_LOW.red() + (HEAT_HIGH.red() - HEAT_LOW.red()) * share),
        round(HEAT_LOW.green() + (HEAT_HIGH.green() - HEAT_LOW.green()) * share),
        round(HEAT_LOW.blue() + (HEAT_HIGH.blue() - HEAT_LOW.blue()) * share),
    )


def paint_heatmap(painter: QPainter, rect: QRectF, chart: Chart) -> None:
    """Rows (markets) by columns (weeks), each cell coloured by its value and labelled with it."""
    data = chart.data
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(rect, QColor("white"))
    title_font = QFont(painter.font())
    title_font.setPointSizeF(11)
    title_font.setBold(True)
    painter.setFont(title_font)
    painter.setPen(QColor("#222"))
    title_height = QFontMetricsF(title_font).height() + 10
    painter.drawText(
        QRectF(rect.left(), rect.top() + 4, rect.width(), title_height),
        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
        chart.title,
    )
    body = QFont(painter.font())
    body.setPointSizeF(8.5)
    body.setBold(False)
    painter.setFont(body)
    metrics = QFontMetricsF(body)
    rows = [str(i) for i in data.index]
    columns = [str(c) for c in data.columns]
    label_width = max((metrics.horizontalAdvance(r) for r in rows), default=0) + 14
    legend_height = 34
    header_height = metrics.height() + 8
    grid = QRectF(
        rect.left() + label_width,
        rect.top() + title_height + header_height,
        rect.width() - label_width - 12,
        rect.height() - title_height - header_height - legend_height - 8,
    )
    maximum = float(pd.Series(data.to_numpy().ravel()).max())
    cell_w = grid.width() / max(len(columns), 1)
    cell_h = min(grid.height() / max(len(rows), 1), 64.0)
    short = cell_w < metrics.horizontalAdvance("2026-W48") + 6
    for c, name in enumerate(columns):
        label = name.split("-")[-1] if short else name
        painter.setPen(QColor("#444"))
        painter.drawText(
            QRectF(grid.left() + c * cell_w, grid.top() - header_height, cell_w, header_height),
            Qt.AlignmentFlag.AlignCenter,
            label,
        )
    for r, row_name in enumerate(rows):
        top = grid.top() + r * cell_h
        painter.setPen(QColor("#444"))
        painter.drawText(
            QRectF(rect.left(), top, label_width - 8, cell_h),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            row_name,
        )
        for c, _name in enumerate(columns):
            value = float(data.iloc[r, c])
            cell = QRectF(grid.left() + c * cell_w + 1, top + 1, cell_w - 2, cell_h - 2)
            color = heat_color(value, maximum)
            painter.fillRect(cell, color)
            if value > 0:
                dark = color.lightnessF() < 0.55
                painter.setPen(QColor("white") if dark else QColor("#222"))
                painter.drawText(
                    cell, Qt.AlignmentFlag.AlignCenter, chart.value_format.format(value)
                )
    # The colour scale.
    scale = QRectF(
        grid.left(), top + cell_h + 14 if rows else grid.top(), min(grid.width(), 240), 10
    )
    steps = 40
    for i in range(steps):
        painter.fillRect(
            QRectF(
                scale.left() + i * scale.width() / steps,
                scale.top(),
                scale.width() / steps + 1,
                scale.height(),
            ),
            heat_color((i + 1) / steps * maximum, maximum),
        )
    painter.setPen(QColor("#444"))
    painter.drawText(QPointF(scale.left(), scale.bottom() + metrics.ascent() + 2), "0")
    top_label = f"{chart.value_format.format(maximum)} {chart.y_label}".strip()
    painter.drawText(
        QPointF(
            scale.right() - metrics.horizontalAdvance(top_label),
            scale.bottom() + metrics.ascent() + 2,
        ),
        top_label,
    )
    painter.restore()


class HeatmapWidget(QWidget):
    """The heatmap in the app (drawn by ``paint_heatmap``)."""

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        rows = max(len(chart.data.index), 1)
        self.setMinimumSize(QSize(480, 150 + 44 * rows))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        return QSize(CHART_SIZE.width(), max(CHART_SIZE.height() // 2, self.minimumHeight()))

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        paint_heatmap(painter, QRectF(self.rect()), self.chart)
        painter.end()


class EmptyChart(QLabel):
    """What shows where a chart has nothing to draw: its title and why."""

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(f"<b>{chart.title}</b><br><br>{chart.empty_text}", parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(QSize(320, 160))
        self.setStyleSheet("QLabel { color: #555; background: #fafafa; border: 1px solid #ddd; }")


def chart_widget(chart: Chart, parent: QWidget | None = None) -> QWidget:
    """The widget showing ``chart`` in the app."""
    if chart.empty:
        return EmptyChart(chart, parent)
    if chart.kind == "heatmap":
        return HeatmapWidget(chart, parent)
    view = QChartView(build_qchart(chart), parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(QSize(420, 300))
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return view


def paint_chart(painter: QPainter, rect: QRectF, chart: Chart) -> None:
    """Draw ``chart`` into ``rect`` of any paint device (see the module)."""
    if chart.empty:
        painter.save()
        painter.fillRect(rect, QColor("#fafafa"))
        painter.setPen(QColor("#ddd"))
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.setPen(QColor("#555"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{chart.title}\n\n{chart.empty_text}")
        painter.restore()
        return
    if chart.kind == "heatmap":
        paint_heatmap(painter, rect, chart)
        return
    qchart = build_qchart(chart)
    scene = QGraphicsScene()
    scene.addItem(qchart)
    qchart.setGeometry(QRectF(0, 0, rect.width(), rect.height()))
    scene.setSceneRect(QRectF(0, 0, rect.width(), rect.height()))
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, rect, scene.sceneRect())
    painter.restore()
    scene.removeItem(qchart)
    qchart.deleteLater()
    scene.deleteLater()


def brush(color: str) -> QBrush:
    return QBrush(QColor(color))
