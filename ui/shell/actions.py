"""The window's actions, with their shortcuts, in the menus and the toolbar.

Shortcuts follow each platform's conventions where Qt has them (Undo, Redo, Find, Preferences,
Quit) and add the ones the lead asked for (Ctrl+R and F5 for sync, Ctrl+1..6 for sections).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenuBar, QToolBar

from ui.shell.icons import icon
from ui.shell.sections import SECTIONS


class AppActions(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window

        def make(
            text: str, shortcuts: list[QKeySequence | str] | None = None, icon_name: str = ""
        ) -> QAction:
            action = QAction(text, window)
            if shortcuts:
                action.setShortcuts([QKeySequence(s) for s in shortcuts])
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            if icon_name:
                action.setIcon(icon(icon_name))
            window.addAction(action)  # shortcuts work with the menu bar hidden too
            return action

        self.sync = make("Sync now", ["Ctrl+R", "F5"], "sync")
        self.sync.setToolTip("Sync now (Ctrl+R)")
        self.import_ = make("Import…", None, "import")
        self.export = make("Export…", None, "export")
        self.settings = make("Settings…", ["Ctrl+,"], "settings")
        self.settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.sign_in = make("Sign in…", None, "sign-in")
        self.quit = make("Quit", ["Ctrl+Q"])
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo = make("Undo", ["Ctrl+Z"], "undo")
        self.redo = make("Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], "redo")
        self.undo.setEnabled(False)
        self.redo.setEnabled(False)
        self.find = make("Find", ["Ctrl+F"], "search")
        self.refresh = make("Refresh view", ["Ctrl+Shift+R"], "refresh")
        self.sections: dict[str, QAction] = {}
        for number, section in enumerate(SECTIONS, start=1):
            action = make(section.title, [f"Ctrl+{number}"], section.icon)
            action.setCheckable(True)
            action.setData(section.key)
            self.sections[section.key] = action

    def build_menus(self, bar: QMenuBar) -> None:
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.sync)
        file_menu.addSeparator()
        file_menu.addAction(self.import_)
        file_menu.addAction(self.export)
        file_menu.addSeparator()
        file_menu.addAction(self.settings)
        file_menu.addAction(self.sign_in)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo)
        edit_menu.addAction(self.redo)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find)
        view_menu = bar.addMenu("&View")
        for action in self.sections.values():
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.refresh)
        self.edit_menu = edit_menu

    def build_toolbar(self, toolbar: QToolBar) -> None:
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.sync, self.undo, self.redo, self.find):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.import_)
        toolbar.addAction(self.export)
        toolbar.addSeparator()
        toolbar.addAction(self.settings)
