"""``--screenshot`` and ``--demo`` as a person runs them: real processes, a real server child,
bounded in time; closing (or killing) the app stops the server."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from desktop.store.db import DB_FILENAME

ROOT = Path(__file__).resolve().parents[2]
READY = re.compile(r"Section Desk demo: server (http://127\.0\.0\.1:\d+) \(pid (\d+)\)")


def env_for(demo_dir: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "SECTIONDESK_DATA"))}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        SECTIONDESK_DEMO_DIR=str(demo_dir),
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        PYTHONPATH=str(ROOT),
    )
    return env


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's process now has it
        return True
    # A zombie has exited: it only waits for its parent to read its status.
    try:
        status = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return True
    return status != "Z"


class App:
    """``sectiondesk --demo`` in a child process, its output read line by line."""

    def __init__(self, demo_dir: Path, home: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "--demo", "--data-dir", str(demo_dir / "client")],
            cwd=ROOT,
            env=env_for(demo_dir, home),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)

    def wait_ready(self, timeout: float = 180) -> tuple[str, int]:
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                pytest.fail("the demo did not become ready:\n" + "".join(self.output))
            found = READY.search(line)
            if found:
                return found.group(1), int(found.group(2))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(30)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def app(demo_dir: Path, home: Path) -> Iterator[App]:
    started = App(demo_dir, home)
    yield started
    started.stop()


def test_demo_starts_the_server_and_closing_stops_it(app: App, demo_dir: Path, qtbot: Any) -> None:
    url, pid = app.wait_ready()
    assert requests.get(url + "/v1/health", timeout=5).status_code == 200
    assert (demo_dir / "server" / "seeded").exists()
    assert (demo_dir / STORY).exists()
    ready_line = next(line for line in app.output if READY.search(line))
    assert "1 conflict" in ready_line  # the first run's story: Lena's offline edit clashed
    app.process.send_signal(signal.SIGTERM)  # what closing the window does to the event loop
    assert app.process.wait(60) == 0
    qtbot.waitUntil(lambda: not alive(pid), timeout=30_000)
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/v1/health", timeout=2)
    assert "Traceback" not in "".join(app.output)


def test_the_server_goes_when_the_app_is_killed(app: App, demo_dir: Path, qtbot: Any) -> None:
    url, pid = app.wait_ready()  # the second run reuses the seeded server database
    assert requests.get(url + "/v1/health", timeout=5).status_code == 200
    app.process.kill()  # no clean-up code runs in the app
    app.process.wait(30)
    qtbot.waitUntil(lambda: not alive(pid), timeout=30_000)


STORY = "central-update-done"


def test_screenshot_of_a_synced_store(demo_template: Path, tmp_path: Path, home: Path) -> None:
    data = tmp_path / "store"
    data.mkdir()
    shutil.copy(demo_template, data / DB_FILENAME)
    out = tmp_path / "ops.png"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ui.cli",
            "--screenshot",
            str(out),
            "--view",
            "ops",
            "--data-dir",
            str(data),
        ],
        cwd=ROOT,
        env=env_for(tmp_path / "unused-demo", home),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1440, 900)
    assert "Traceback" not in done.stderr


def test_screenshot_of_an_unknown_view_is_refused_by_the_cli(tmp_path: Path, home: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli", "--screenshot", str(tmp_path / "x.png"), "--view", "nope"],
        cwd=ROOT,
        env=env_for(tmp_path / "unused-demo", home),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "invalid choice" in done.stderr
