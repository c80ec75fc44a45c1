"""Screens the calendar opens that other parts of the app provide, imported when first used."""

from __future__ import annotations

import importlib.util
from typing import Any

ADAPT_MODULE = "ui.adapt.view"


def adapt_available() -> bool:
    """True when this build has the Adapt screen (``ui.adapt.view.AdaptView``)."""
    try:
        return importlib.util.find_spec(ADAPT_MODULE) is not None
    except (ImportError, ValueError):
        return False


def adapt_view_class() -> Any:
    """The Adapt screen's class, or None while this build has none."""
    if not adapt_available():
        return None
    from ui.adapt.view import AdaptView

    return AdaptView
