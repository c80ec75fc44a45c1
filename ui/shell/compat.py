"""Guards against defects of the Qt binding that the app cannot wait for upstream to fix.

PySide6 6.12.0 on CPython 3.11 drops a reference to ``None`` on every call of a method that
returns nothing (``update()``, ``processEvents()``, ``setText()``...) and to ``True`` on every
``Signal.emit()``; after a few thousand calls CPython aborts ("none_dealloc: deallocating
None", "bool_dealloc"). CPython 3.12 made these objects immortal; on 3.11 we give them a
reference count no session can use up. The real fix is a PySide6 outside 6.12 (PySide6 6.11.3
does not leak); this keeps an affected install from crashing.
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


def _singletons() -> list[object]:
    # None, the booleans, and what CPython shares the same way (small ints, Ellipsis, ...).
    return [None, True, False, NotImplemented, Ellipsis, *range(-5, 257)]


def protect_none() -> bool:
    """Make ``None``, ``True``, ``False`` (and the other shared singletons) effectively
    immortal where the binding leaks them; True when applied."""
    global _PROTECTED  # noqa: PLW0603 - one process-wide guard
    if _PROTECTED or not binding_leaks_none():
        return _PROTECTED
    for obj in _singletons():
        # ob_refcnt is the first field of every CPython object (Include/object.h, 3.11).
        refcount = ctypes.c_ssize_t.from_address(id(obj))
        refcount.value = max(refcount.value, _FLOOR)
    _PROTECTED = True
    return True


def alive(obj: object) -> bool:
    """False once the C++ side of a Qt object is gone (a background result may come back
    after its view was closed)."""
    import shiboken6

    return bool(shiboken6.isValid(obj))
