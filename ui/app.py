"""Starting the GUI: the QApplication, the local store, the context, the main window.

``--demo`` hands over to ``ui.demo`` (a local reference server, signed in and synced first);
``--screenshot`` to ``ui.screenshot``. Nothing slow runs on the GUI thread before the window
shows: the ops board and the counts load on workers.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import __version__
from desktop.paths import log_dir, resolve_data_dir

log = logging.getLogger(__name__)


def make_app() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Section Desk")
    app.setOrganizationName("Section Desk")
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName("Section Desk")
    from ui.shell.icons import icon, style_sheet

    app.setStyle("Fusion")
    app.setStyleSheet(style_sheet())
    app.setWindowIcon(icon("app", color="#2f6fed", size=64))
    return app


def setup_logging() -> None:
    """Errors go to a log file in the platform's log folder (never to the lead's screen)."""
    if logging.getLogger().handlers:
        return
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(
            folder / "section-desk.log", encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])


def settings_for(data_dir: Path) -> QSettings:
    """Window layout and view settings, kept beside the store they belong to."""
    return QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)


def open_context(data_dir: Path, *, settings: QSettings | None = None) -> Any:
    """The store, sync engine and pools for ``data_dir`` (raises StoreError)."""
    from desktop.services.preferences import load_preferences
    from desktop.store.db import Store
    from ui.context import make_context

    store = Store(data_dir)
    ctx = make_context(store, settings or settings_for(data_dir))
    ca_bundle = ctx.settings.value("sync/ca_bundle", "")
    ctx.engine.ca_bundle = str(ca_bundle) or None
    ctx.workspace.drift_days = load_preferences(store).drift_days
    return ctx


def show_window(ctx: Any, *, start_sync: bool = True) -> Any:
    from ui.main_window import MainWindow

    window = MainWindow(ctx, start_sync=start_sync)
    window.show()
    return window


def cannot_start(error: BaseException, *, dialog: bool = True) -> int:
    """Say why the app cannot start, in words, with the details in the log; never a traceback."""
    from desktop.store.db import StoreError
    from ui.operations import user_message

    if isinstance(error, StoreError):
        text = str(error)
    else:
        log.exception("Section Desk could not start", exc_info=error)
        text = user_message(error)
    if dialog and QApplication.instance() is not None:
        QMessageBox.critical(None, "Section Desk cannot start", text)
    print(f"Section Desk cannot start: {text}", file=sys.stderr)
    return 1


def run_app(args: argparse.Namespace) -> int:
    setup_logging()
    app = make_app()
    if getattr(args, "demo", False) or (
        getattr(args, "screenshot", None) and not getattr(args, "data_dir", None)
    ):
        from ui.demo import run_demo

        return run_demo(app, args)
    try:
        ctx = open_context(resolve_data_dir(args.data_dir))
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign store: say so, plainly
        return cannot_start(exc, dialog=not getattr(args, "screenshot", None))
    if getattr(args, "screenshot", None):
        from ui.screenshot import take_screenshot

        return take_screenshot(app, ctx, path=Path(args.screenshot), view=args.view)
    window = show_window(ctx)
    code = int(app.exec())
    window.deleteLater()
    ctx.ops.wait_all(10_000)
    ctx.store.close()
    return code
