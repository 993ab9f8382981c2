"""The claim library: reviewed claims kept across projects ("checked before?").

Qt-free. Two back ends behind one interface (:class:`LibraryBackend`): SQLite (the
embedded default) and PostgreSQL (a shared team library). See :mod:`.library`.
"""

from __future__ import annotations

from .backend import SCHEMA_VERSION, LibraryBackend, LibraryError
from .entry import AddResult, LibraryEntry, PriorCheck
from .library import ClaimLibrary, default_library_url, library_exists, open_library

__all__ = [
    "SCHEMA_VERSION",
    "AddResult",
    "ClaimLibrary",
    "LibraryBackend",
    "LibraryEntry",
    "LibraryError",
    "PriorCheck",
    "default_library_url",
    "library_exists",
    "open_library",
]
