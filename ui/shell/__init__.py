"""The app shell: sections, sidebar, actions and menus, status bar, sync controller."""
