"""Guards against defects of the Qt binding that the app cannot wait for upstream to fix.

PySide6 6.12.0 on CPython 3.11 drops a reference to ``None`` on every call of a method that
returns nothing (``update()``, ``processEvents()``, ``setText()``...); after a few thousand
calls CPython aborts with "none_dealloc: deallocating None". CPython 3.12 made ``None``
immortal; on 3.11 we give it a reference count no session can use up. The real fix is a
PySide6 outside 6.12 (see pyproject.toml); this keeps an affected install from crashing.
"""

from __future__ import annotations

import ctypes
import sys

_PROTECTED = False
# About 4.6e18: a billion leaked references a second would take 146 years to use it up.
_FLOOR = 1 << 62


def binding_leaks_none() -> bool:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    try:
        import PySide6
    except ImportError:  # pragma: no cover - the app requires it
        return False
    return str(PySide6.__version__).startswith("6.12.")


def protect_none() -> bool:
    """Make ``None`` effectively immortal where the binding leaks it; True when applied."""
    global _PROTECTED  # noqa: PLW0603 - one process-wide guard
    if _PROTECTED or not binding_leaks_none():
        return _PROTECTED
    # ob_refcnt is the first field of every CPython object (Include/object.h, 3.11).
    refcount = ctypes.c_ssize_t.from_address(id(None))
    refcount.value = max(refcount.value, _FLOOR)
    _PROTECTED = True
    return True


def alive(obj: object) -> bool:
    """False once the C++ side of a Qt object is gone (a background result may come back
    after its view was closed)."""
    import shiboken6

    return bool(shiboken6.isValid(obj))
