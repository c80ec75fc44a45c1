"""The sectiondesk command: --version, --help, and where the local store lives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__
from desktop.paths import DATA_DIR_ENV, default_data_dir, resolve_data_dir
from ui.cli import build_parser, main

REPO = Path(__file__).resolve().parents[2]


def test_version_and_help_need_no_gui(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"Section Desk {__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for word in ("--data-dir", "--demo", "--screenshot", "sync", "import", "export", "report"):
        assert word in text


def test_the_data_folder_is_the_option_then_the_variable_then_the_platform_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    assert resolve_data_dir(None) == default_data_dir()
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from-env"))
    assert resolve_data_dir(None) == tmp_path / "from-env"
    assert resolve_data_dir(str(tmp_path / "option")) == tmp_path / "option"
    args = build_parser().parse_args(["--data-dir", str(tmp_path / "x"), "sync"])
    assert args.data_dir == str(tmp_path / "x") and args.command == "sync"


def test_the_installed_command_reports_its_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli", "--version"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0 and __version__ in done.stdout
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, ui.cli; ui.cli.build_parser(); print('PySide6' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        timeout=60,
    )
    assert probe.stdout.strip() == "False"  # --help and headless commands load no Qt
