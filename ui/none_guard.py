"""A guard against Qt bindings that lose references to ``None``.

The PySide6 installed here (6.12.0, on Python 3.11) releases one reference to
``None`` on every call of a C++ method returning ``void``, without taking one. On
Python 3.12 and later ``None`` is immortal and nothing happens; on 3.11 its count
reaches zero after a few thousand calls (a few dozen clicks in the app) and the
interpreter aborts with "none_dealloc: deallocating None".

:func:`guard_none` measures whether the binding has the fault and, only then,
gives ``None`` the huge reference count that Python 3.12 gives immortal objects.
"""

from __future__ import annotations

import sys

#: What CPython 3.12 uses for immortal objects: far more calls than any session makes.
_IMMORTAL_COUNT = 1 << 40
_PROBE_CALLS = 16


def binding_loses_none() -> bool:
    """True when calling a void Qt method takes a reference away from ``None``."""
    from PySide6.QtCore import QPointF

    point = QPointF()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        point.setX(1.0)
    return before - sys.getrefcount(None) >= _PROBE_CALLS


def guard_none() -> bool:
    """Make ``None`` immortal when the binding loses references to it; True if it did."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    if not binding_loses_none():
        return False
    import ctypes  # (only here: its import costs the app's start 3 ms)

    # ob_refcnt is the first field of every CPython object, and id() is its address.
    refcount = ctypes.c_ssize_t.from_address(id(None))
    refcount.value += _IMMORTAL_COUNT
    return True
