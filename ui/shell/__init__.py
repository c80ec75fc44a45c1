"""The app shell: sections, sidebar, actions and menus, status bar, sync controller."""

from ui.shell.compat import protect_none

protect_none()
