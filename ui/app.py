"""Starting the GUI: the QApplication, the local store, the main window."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import __version__
from desktop.paths import resolve_data_dir
from desktop.store.db import Store, StoreError


def run_app(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Section Desk")
    app.setOrganizationName("Section Desk")
    app.setApplicationVersion(__version__)
    try:
        store = Store(resolve_data_dir(args.data_dir))
    except StoreError as exc:
        QMessageBox.critical(None, "Section Desk cannot start", str(exc))
        return 1
    from ui.main_window import MainWindow

    window = MainWindow(store)
    if args.screenshot:
        window.resize(1400, 900)
        window.show()
        app.processEvents()
        ok = window.grab().save(args.screenshot)
        return 0 if ok else 1
    window.show()
    return int(app.exec())
