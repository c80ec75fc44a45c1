"""``sectiondesk --demo``: a local reference server with the demo workspace, signed in and synced.

1. The server runs as a child process on a free loopback port, its database and files in the
   demo folder (``$SECTIONDESK_DEMO_DIR``, else ``demo/`` in your user data folder). It is
   seeded (``seed-demo``) the first time only.
2. The app signs in as the demo section lead (Lena Fischer, DE and FR), with the password the
   demo generator gives her, and syncs, with a progress dialog.
3. The first time, the central team then changes a few master entries and assets (as the demo
   conductor, through the server's API), and Lena's offline edit of one entry clashes with a
   central edit of the same caption, so the second sync shows stale adaptations with what
   changed, and a conflict to resolve.
4. The window opens. Closing it stops the server; so does a crash: the server runs in its own
   process group, is stopped at exit, and exits by itself when the app's end of its stdin
   closes (the app died however it died).

This module imports no Qt at module level: ``python -m ui.demo serve-child`` is the server
child, and it should start fast.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

log = logging.getLogger(__name__)

DEMO_DIR_ENV: Final = "SECTIONDESK_DEMO_DIR"
START_TIMEOUT: Final = 60.0
SEEDED_MARK: Final = "seeded"
STORY_MARK: Final = "central-update-done"


def demo_dir() -> Path:
    chosen = os.environ.get(DEMO_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    from desktop.paths import default_data_dir

    return default_data_dir() / "demo"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class DemoError(RuntimeError):
    """The demo could not be set up; the message says what happened and where the log is."""


@dataclass
class DemoServer:
    folder: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.folder / "server.log"

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server and anything it started; safe to call more than once."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(OSError):
                self.process.stdin.close()  # the child's watchdog exits on end of input
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                if os.name == "posix":
                    os.killpg(self.process.pid, signal.SIGTERM)
                else:  # pragma: no cover - Windows
                    self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(OSError):
                    if os.name == "posix":
                        os.killpg(self.process.pid, signal.SIGKILL)
                    else:  # pragma: no cover - Windows
                        self.process.kill()
                self.process.wait(timeout)
        with contextlib.suppress(OSError):
            (self.folder / "server.pid").unlink()


def _database_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'server.db'}"


def _run_cli(args: list[str], folder: Path, what: str) -> None:
    with (folder / "server.log").open("ab") as out:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
            [sys.executable, "-m", "sync.server.cli", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            check=False,
            timeout=600,
        )
    if done.returncode != 0:
        raise DemoError(f"{what} failed (exit {done.returncode}); see {folder / 'server.log'}.")


def seed_if_needed(folder: Path) -> bool:
    """Seed the demo database the first time; True when it was seeded now."""
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / SEEDED_MARK).exists():
        return False
    for stale in ("server.db", "server.db-wal", "server.db-shm"):
        with contextlib.suppress(OSError):
            (folder / stale).unlink()
    shutil.rmtree(folder / "blobs", ignore_errors=True)
    _run_cli(
        ["seed-demo", "--database", _database_url(folder), "--blob-dir", str(folder / "blobs")],
        folder,
        "Loading the demo workspace into the server",
    )
    (folder / SEEDED_MARK).write_text("1\n", encoding="utf-8")
    return True


def start_server(folder: Path, *, timeout: float = START_TIMEOUT) -> DemoServer:
    """Seed if needed, start the server child on a loopback port, wait until it answers."""
    import requests

    seed_if_needed(folder)
    remembered = folder / "port"
    port = 0
    with contextlib.suppress(OSError, ValueError):
        port = int(remembered.read_text(encoding="utf-8").strip())
    if not port or not _port_free(port):
        port = free_port()
    remembered.write_text(f"{port}\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "ui.demo",
        "serve-child",
        "--database",
        _database_url(folder),
        "--blob-dir",
        str(folder / "blobs"),
        "--port",
        str(port),
    ]
    extra: dict[str, Any] = (
        {"start_new_session": True}
        if os.name == "posix"
        else {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
    )
    out = (folder / "server.log").open("ab")
    try:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command, stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT, **extra
        )
    finally:
        out.close()
    server = DemoServer(folder, port, process)
    atexit.register(server.stop)
    (folder / "server.pid").write_text(f"{process.pid}\n", encoding="utf-8")
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            server.stop()
            raise DemoError(
                f"The demo server stopped while starting (exit {process.returncode}); "
                f"see {server.log_path}."
            )
        try:
            if requests.get(server.url + "/v1/health", timeout=1).status_code == 200:
                return server
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise DemoError(f"The demo server did not answer in time; see {server.log_path}.")
        time.sleep(0.1)


def demo_users() -> dict[str, Any]:
    """The demo users by role and name (from the generator: no records are made)."""
    from resources.demo import generate_workspace

    workspace = generate_workspace(assets=0, entries=0)
    return {user.username: user for user in workspace.users}


def _follow_port(store: Any, username: str, url: str) -> None:
    """The demo server keeps its database but may get another port: point the store at it."""
    from desktop.store.models import SyncState

    with store.write() as session:
        state = session.get(SyncState, 1)
        if state is None or state.username != username or not state.server_url:
            return
        if state.server_url.startswith("http://127.0.0.1:") and state.server_url != url:
            state.server_url = url


class _MemoryTokens:
    """The conductor's token for the one-off central update: memory only, never the keyring."""

    notice = None

    def __init__(self) -> None:
        self._tokens: dict[tuple[str, str], str] = {}

    def get(self, server_url: str, username: str) -> str | None:
        return self._tokens.get((server_url.rstrip("/"), username))

    def set(self, server_url: str, username: str, token: str) -> None:
        self._tokens[(server_url.rstrip("/"), username)] = token

    def clear(self, server_url: str, username: str) -> None:
        self._tokens.pop((server_url.rstrip("/"), username), None)

    persistent = False


def central_update(url: str, *, lead_markets: Sequence[str], clash_entry: str | None) -> int:
    """As the demo conductor, change a few masters that the lead adapted, and the caption of
    ``clash_entry``; returns how many records changed centrally."""
    from sqlalchemy import select

    from desktop.services import assets as asset_ops
    from desktop.services import entries as entry_ops
    from desktop.services.workspace import Workspace
    from desktop.store.db import Store
    from desktop.store.models import Asset, CalendarEntry
    from sync.client.engine import SyncEngine, account

    conductor = next(u for u in demo_users().values() if u.role == "conductor")
    with tempfile.TemporaryDirectory(prefix="sectiondesk-conductor-") as tmp:
        store = Store(Path(tmp))
        try:
            engine = SyncEngine(store, tokens=_MemoryTokens())  # type: ignore[arg-type]
            engine.sign_in(url, conductor.username, conductor.password)
            engine.sync(thumbnails=False)
            actor = account(store).actor()
            assert actor is not None
            ws = Workspace(store, actor=actor)
            changed = 0
            with store.read() as session:
                e, p = CalendarEntry, CalendarEntry.__table__.alias("p")
                masters = list(
                    session.execute(
                        select(p.c.id, p.c.title)
                        .join(e, e.parent_id == p.c.id)
                        .where(
                            e.market.in_(list(lead_markets)),
                            e.adapted_from_version == p.c.version,
                            e.status.in_(("draft", "planned", "approved")),
                        )
                        .order_by(p.c.starts_at)
                        .distinct()
                        .limit(3)
                    )
                )
                a, m = Asset, Asset.__table__.alias("m")
                master_assets = list(
                    session.scalars(
                        select(m.c.id)
                        .join(a, a.master_id == m.c.id)
                        .where(
                            a.market.in_(list(lead_markets)), a.adapted_from_version == m.c.version
                        )
                        .order_by(m.c.name)
                        .distinct()
                        .limit(2)
                    )
                )
            for n, (entry_id, title) in enumerate(masters):
                fields: dict[str, Any] = {
                    "caption": "Updated by the central team: the new winter offer leads now, "
                    "and the hashtag is #FindYourTrail."
                }
                if n == 0:
                    fields["title"] = f"{title or 'Post'} — new angle"
                entry_ops.edit_entry(ws, entry_id=entry_id, fields=fields)
                changed += 1
            for asset_id in master_assets:
                asset_ops.edit_asset(
                    ws,
                    asset_id=asset_id,
                    fields={
                        "alt_text": "Central update: a hiker at sunrise on a snowy ridge.",
                        "tags": ["winter", "hero", "refreshed"],
                    },
                )
                changed += 1
            if clash_entry:
                entry_ops.edit_entry(
                    ws,
                    entry_id=clash_entry,
                    fields={"caption": "Central team: please lead with the store opening hours."},
                )
                changed += 1
            engine.sync(thumbnails=False)
            return changed
        finally:
            store.close()


@dataclass
class DemoReady:
    server: DemoServer
    summary: Any


def prepare(ctx: Any, folder: Path, progress: Any) -> DemoReady | None:
    """Runs on a worker: start the server, sign in, sync (and the first-time story)."""
    from desktop.progress import Cancelled
    from resources.demo import DEMO_LEAD
    from sync.client.engine import account

    progress.report("Starting the demo server", 0, force=True)
    server = start_server(folder / "server")
    try:
        lead = demo_users()[DEMO_LEAD]
        _follow_port(ctx.store, lead.username, server.url)
        progress.report(f"Signing in as {lead.display_name}", 0, force=True)
        if not ctx.engine.has_token():
            ctx.engine.sign_in(server.url, lead.username, lead.password)
        actor = account(ctx.store).actor()
        ctx.workspace.actor = actor
        summary = ctx.engine.sync(progress)
        marker = folder / STORY_MARK
        if not marker.exists():
            progress.report("The central team updates a few masters", 0, force=True)
            clash = _lead_offline_edit(ctx)
            central_update(server.url, lead_markets=lead.markets, clash_entry=clash)
            summary = ctx.engine.sync(progress)
            ctx.workspace.undo_stack.clear()
            marker.write_text("1\n", encoding="utf-8")
        return DemoReady(server, summary)
    except Cancelled:
        server.stop()
        return None
    except BaseException:
        server.stop()
        raise


def _lead_offline_edit(ctx: Any) -> str | None:
    """Lena edits one of her planned posts "on the plane": it will clash with a central edit."""
    from sqlalchemy import select

    from desktop.services import entries as entry_ops
    from desktop.store.models import CalendarEntry as E

    with ctx.store.read() as session:
        entry_id = session.scalar(
            select(E.id)
            .where(E.market == "de", E.kind == "organic_post", E.status == "planned")
            .order_by(E.starts_at.desc())
            .limit(1)
        )
    if entry_id is None:
        return None
    entry_ops.edit_entry(
        ctx.workspace,
        entry_id=entry_id,
        fields={"caption": "Lena, offline: Winterzeit ist Wanderzeit — heute mit Thermoskanne."},
    )
    return str(entry_id)


def run_demo(app: Any, args: argparse.Namespace) -> int:
    """Prepare the demo with a progress dialog, then open the window (or take a screenshot)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from ui.app import cannot_start, open_context, show_window
    from ui.operations import Op, Pool, user_message

    folder = demo_dir()
    data_dir = Path(args.data_dir).expanduser().resolve() if args.data_dir else folder / "client"
    try:
        ctx = open_context(data_dir)
    except Exception as exc:  # noqa: BLE001 - said in words, details in the log
        return cannot_start(exc, dialog=not getattr(args, "screenshot", None))
    state: dict[str, Any] = {"code": 0, "ready": None, "window": None}

    def stop_server() -> None:
        ready = state["ready"]
        if ready is not None:
            ready.server.stop()

    app.aboutToQuit.connect(stop_server)
    # Python handles SIGTERM/SIGINT only when it runs: a timer gives it the chance.
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(ValueError, OSError):
            signal.signal(sig, lambda *_: app.quit())
    pulse = QTimer()
    pulse.start(250)
    pulse.timeout.connect(lambda: None)

    def ready(result: DemoReady | None) -> None:
        if result is None:
            state["code"] = 1
            app.quit()
            return
        state["ready"] = result
        print(
            f"Section Desk demo: server {result.server.url} (pid {result.server.process.pid}), "
            f"signed in as the demo section lead; {result.summary.line()}",
            flush=True,
        )
        if getattr(args, "screenshot", None):
            from ui.screenshot import take_screenshot

            state["code"] = take_screenshot(app, ctx, path=Path(args.screenshot), view=args.view)
            app.quit()
            return
        state["window"] = show_window(ctx, start_sync=True)

    def failed(error: BaseException) -> None:
        text = f"The demo could not start: {user_message(error)}"
        print(text, file=sys.stderr, flush=True)
        if not getattr(args, "screenshot", None):
            QMessageBox(QMessageBox.Icon.Critical, "Section Desk demo", text).exec()
        state["code"] = 1
        app.quit()

    Op(ctx.ops, lambda progress: prepare(ctx, folder, progress), pool=Pool.NET).success(
        ready
    ).failure(failed).with_progress("Preparing the demo workspace", None).run()
    app.setQuitOnLastWindowClosed(True)
    app.exec()
    pulse.stop()
    stop_server()
    ctx.ops.wait_all(10_000)
    ctx.store.close()
    return int(state["code"])


# --- the server child -----------------------------------------------------------------------


def _watch_parent() -> None:
    """Exit when the app's end of stdin closes: the app quit, or died without cleaning up."""
    try:
        while sys.stdin.buffer.read(1024):
            pass
    except (OSError, ValueError):
        pass
    os._exit(0)


def serve_child(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.demo serve-child")
    parser.add_argument("--database", required=True)
    parser.add_argument("--blob-dir", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    threading.Thread(target=_watch_parent, name="parent-watch", daemon=True).start()
    from sync.server.cli import main as server_main

    return int(
        server_main(
            [
                "serve",
                "--database",
                args.database,
                "--blob-dir",
                args.blob_dir,
                "--host",
                "127.0.0.1",
                "--port",
                str(args.port),
            ]
        )
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "serve-child":
        sys.exit(serve_child(sys.argv[2:]))
    print("usage: python -m ui.demo serve-child --database URL --blob-dir DIR --port N")
    sys.exit(2)
