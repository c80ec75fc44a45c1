"""``sectiondesk report NAME --format csv|xlsx|png -o FILE`` on the demo workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from PySide6.QtGui import QImage

from desktop.reports import REPORTS
from ui.cli import main


@pytest.mark.parametrize("name", list(REPORTS))
def test_report_to_csv_xlsx_and_png(
    demo_store: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    folder = str(demo_store.data_dir)
    for fmt in ("csv", "xlsx", "png"):
        out = tmp_path / f"{name}.{fmt}"
        assert main(["report", name, "--format", fmt, "-o", str(out), "--data-dir", folder]) == 0
        assert "Wrote" in capsys.readouterr().out
    assert not pd.read_csv(tmp_path / f"{name}.csv", encoding="utf-8-sig").columns.empty
    assert openpyxl.load_workbook(tmp_path / f"{name}.xlsx").sheetnames[0] == "About"
    assert QImage(str(tmp_path / f"{name}.png")).width() == 1400


def test_unknown_report_and_format(
    demo_store: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(demo_store.data_dir)
    assert main(["report", "nope", "-o", str(tmp_path / "x.csv"), "--data-dir", folder]) == 2
    assert 'There is no report named "nope"' in capsys.readouterr().err
    assert main(["report", "overlap", "-o", str(tmp_path / "x.pdf"), "--data-dir", folder]) == 2
    assert "Choose --format csv, xlsx or png." in capsys.readouterr().err
    missing = tmp_path / "no" / "x.csv"
    assert main(["report", "overlap", "-o", str(missing), "--data-dir", folder]) == 1
    assert "does not exist" in capsys.readouterr().err
