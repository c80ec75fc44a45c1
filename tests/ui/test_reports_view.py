"""ReportsView on the demo workspace: every report drawn, models checked, records shown and
opened, exports to PNG, PDF and XLSX, refresh after an edit."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCharts import QChartView
from PySide6.QtGui import QImage

from desktop.reports import REPORTS
from ui.reports.charts import EmptyChart, HeatmapWidget
from ui.reports.view import ReportsView

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
def view(qtbot: Any, app_context: Any) -> ReportsView:
    app_context.workspace.clock = lambda: NOW
    reports = ReportsView(app_context)
    qtbot.addWidget(reports)
    qtbot.waitUntil(lambda: bool(reports.reports), timeout=30_000)
    return reports


def test_every_report_is_drawn_with_charts_and_tables(
    view: ReportsView, qtmodeltester: Any
) -> None:
    assert list(view.reports) == list(REPORTS)
    assert view.status.text() == "As of 22 Nov 2026 12:00 UTC."
    for name, page in view.pages.items():
        report = view.reports[name]
        charts = page.body.findChildren(QChartView) + page.body.findChildren(HeatmapWidget)
        empty = page.body.findChildren(EmptyChart)
        assert len(charts) + len(empty) == len(report.charts), name
        assert page.models, name
        for model in page.models:
            qtmodeltester.check(model)
        assert all(button.isEnabled() for button in page.buttons.values())
    overlap = view.pages["overlap"].body.findChildren(HeatmapWidget)
    assert len(overlap) == 1


def test_show_record_selects_its_row_and_double_click_opens_it(
    qtbot: Any, view: ReportsView
) -> None:
    rights = view.reports["rights"].tables[0]
    asset_id = str(rights.frame["Asset ID"].iloc[1])
    view.show_record("asset", asset_id)
    page = view.pages["rights"]
    assert view.tabs.currentWidget() is page
    selected = page.views[0].selectionModel().selectedRows()
    assert [i.row() for i in selected] == [1]
    with qtbot.waitSignal(view.open_record) as opened:
        page.views[0].doubleClicked.emit(page.models[0].index(1, 0))
    assert opened.args == ["asset", asset_id]
    view.show_record("comment", "00000000-0000-0000-0000-000000000000")
    assert view.status.text() == "That record is not in any report right now."


def test_exports_png_pdf_and_xlsx(qtbot: Any, view: ReportsView, tmp_path: Path) -> None:
    for name, page in view.pages.items():
        with qtbot.waitSignal(page.exported):
            assert page.export("png", tmp_path / f"{name}.png")
        image = QImage(str(tmp_path / f"{name}.png"))
        assert image.width() == 1400 and image.height() > 300
        assert page.export("pdf", tmp_path / f"{name}")  # the suffix is added
        assert (tmp_path / f"{name}.pdf").read_bytes().startswith(b"%PDF")
        assert page.export("xlsx", tmp_path / f"{name}.xlsx")
        workbook = openpyxl.load_workbook(tmp_path / f"{name}.xlsx")
        assert workbook.sheetnames[0] == "About"


def test_refreshes_after_an_edit(qtbot: Any, view: ReportsView, app_context: Any) -> None:
    with qtbot.waitSignal(view.loaded, timeout=30_000):
        app_context.signals.changed.emit(frozenset({"asset"}))
    with qtbot.assertNotEmitted(view.loaded, wait=700):
        app_context.signals.changed.emit(frozenset({"comment"}))
