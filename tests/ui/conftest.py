"""UI test setup: Qt offscreen, Qt warnings fail the test (pyproject's qt_log_level_fail)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
