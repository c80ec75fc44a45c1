"""Every benchmark command runs, on a small workspace, and prints its figures beside its baseline.

The figures themselves are not judged here (speed is for the benchmark commands, not for timed
tests); this keeps the commands from rotting between the runs that produce the published figures.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NUMBER = r"[\d,]+(?:\.\d+)?"


def run_bench(*args: str, tmp_path: Path) -> str:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "SECTIONDESK_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("SECTIONDESK_BENCH_PG_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    return done.stdout


def test_the_client_sync_benchmark(tmp_path: Path) -> None:
    out = run_bench("sync.client.bench", "--assets", "300", "--entries", "150", tmp_path=tmp_path)
    assert re.search(rf"ratio sync/raw: {NUMBER} \(goal: at least 0\.50\)", out), out
    assert re.search(rf"incremental sync, 100 changes each way: median {NUMBER} ms", out), out


def test_the_server_benchmark(tmp_path: Path) -> None:
    out = run_bench("sync.server.bench", "--records", "200", tmp_path=tmp_path)
    row = re.search(rf"^sqlite\s+200\s+({NUMBER})\s+({NUMBER})\s+({NUMBER})\s", out, re.M)
    assert row is not None, out
    pulled, served, raw = (float(v.replace(",", "")) for v in row.groups())
    assert 0 < pulled <= served and raw > 0  # parsing too can only be slower than receiving


def test_the_spreadsheet_benchmark(tmp_path: Path) -> None:
    out = run_bench("desktop.spreadsheets.bench", "--rows", "200", tmp_path=tmp_path)
    for name in ("export csv", "export xlsx", "import csv: total", "import xlsx: total"):
        assert re.search(rf"^{re.escape(name)}\s+{NUMBER} s\s+{NUMBER} s\s+{NUMBER}x$", out, re.M)
    assert re.search(rf"peak memory through the imports: {NUMBER} MB", out), out


@pytest.mark.parametrize(
    ("module", "size", "expected"),
    [
        ("ui.assets.bench", ["--assets", "300"], "facet_counts, 'summit'"),
        ("ui.calendar.bench", ["--entries", "150", "--assets", "50", "--repeat", "1"], "month"),
    ],
)
def test_the_view_benchmarks(tmp_path: Path, module: str, size: list[str], expected: str) -> None:
    out = run_bench(module, *size, tmp_path=tmp_path)
    assert expected in out, out


def test_the_app_benchmark(tmp_path: Path) -> None:
    out = run_bench(
        "ui.bench",
        "--store",
        str(tmp_path / "store"),
        "--assets",
        "300",
        "--entries",
        "150",
        "--runs",
        "1",
        tmp_path=tmp_path,
    )
    assert "300 assets, 150 entries" in out
    unit = r"(?:s|ms|MB)"
    for measure in (
        "start to usable window",
        "peak memory, + reports",
        "search per keystroke, median",
    ):
        figure = rf"^{re.escape(measure)}\s+{NUMBER} {unit}\s+{NUMBER} {unit} \(.+\)\s+{NUMBER}x"
        assert re.search(figure, out, re.M), out
