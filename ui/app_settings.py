"""What the app remembers between runs: recent files, window layout, match settings.

Everything read back is checked: a settings file edited by hand, written by
another version or damaged gives defaults, never an exception.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

from factcheck.models import MatchConfig

MAX_RECENT_FILES = 10
#: Bump when the docks change so an old saved layout is not forced onto new docks.
WINDOW_STATE_VERSION = 1

_RECENT = "recent_files"
_GEOMETRY = "window/geometry"
_STATE = "window/state"
_MATCH = "match"
_ZOOM = "view/zoom"
_FOLDER = "files/last_folder"
_EXPORT_FORMAT = "files/export_format"
#: The match settings every earlier version saved unless the user changed them.
_OLD_DEFAULT = ("lexical", 20.0, 3.0)


class AppSettings:
    """Typed access to the application's ``QSettings()`` (or the one given).

    ``QSettings()`` takes the organization and application names the app sets at
    start and honours ``QSettings.setDefaultFormat``/``setPath``, so tests can point it
    at a temporary folder (``QSettings("org", "app")`` would ignore both)."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings if settings is not None else QSettings()

    # -- recent files ------------------------------------------------------------

    def recent_files(self) -> list[str]:
        """Most recent first, at most :data:`MAX_RECENT_FILES`, only files that still exist."""
        return [p for p in self._stored_recent() if os.path.isfile(p)][:MAX_RECENT_FILES]

    def add_recent(self, path: str) -> None:
        path = os.path.abspath(path)
        kept = [p for p in self.recent_files() if p != path]
        self._settings.setValue(_RECENT, [path, *kept][:MAX_RECENT_FILES])

    def _stored_recent(self) -> list[str]:
        value = self._settings.value(_RECENT)
        # INI files give a str for a one-item list; damaged files anything at all.
        items: Iterable[object] = [value] if isinstance(value, str) else value or []
        if not isinstance(items, list | tuple):
            return []
        seen: list[str] = []
        for item in items:
            if isinstance(item, str) and item and item not in seen:
                seen.append(item)
        return seen

    # -- window ------------------------------------------------------------------

    def save_window(self, window: QMainWindow) -> None:
        self._settings.setValue(_GEOMETRY, window.saveGeometry())
        self._settings.setValue(_STATE, window.saveState(WINDOW_STATE_VERSION))

    def restore_window(self, window: QMainWindow) -> bool:
        """Apply the saved geometry and dock layout; True when a saved geometry was applied."""
        restored = self.restore_geometry(window)
        self.restore_state(window)
        return restored

    def restore_geometry(self, window: QMainWindow) -> bool:
        """Apply the saved size and position; True when there was one to apply."""
        geometry = _bytes(self._settings.value(_GEOMETRY))
        return geometry is not None and window.restoreGeometry(geometry)

    def restore_state(self, window: QMainWindow) -> None:
        """Apply the saved layout of docks and toolbars (once the window has them)."""
        state = _bytes(self._settings.value(_STATE))
        if state is not None:
            window.restoreState(state, WINDOW_STATE_VERSION)

    # -- match settings ----------------------------------------------------------

    def match_config(self) -> MatchConfig | None:
        """The last match settings, or None when none are saved or they are unusable."""
        s = self._settings
        scorer = s.value(f"{_MATCH}/scorer")
        threshold = _number(s.value(f"{_MATCH}/threshold"))
        top_k = _number(s.value(f"{_MATCH}/top_k"))
        duplicate = _number(s.value(f"{_MATCH}/duplicate_threshold"))
        if not isinstance(scorer, str) or not _known_scorer(scorer):
            return None
        if threshold is None or duplicate is None or top_k is None:
            return None
        if not (0 <= threshold <= 100 and 0 <= duplicate <= 100):
            return None
        if top_k != int(top_k) or not 1 <= top_k <= 1000:
            return None
        if (scorer, threshold, top_k) == _OLD_DEFAULT:
            # The defaults of before the confidence (lexical, 20, top 3), never chosen
            # by the user: the new defaults replace them.
            return None
        return MatchConfig(
            scorer=scorer, threshold=threshold, top_k=int(top_k), duplicate_threshold=duplicate
        )

    def set_match_config(self, config: MatchConfig) -> None:
        s = self._settings
        s.setValue(f"{_MATCH}/scorer", config.scorer)
        s.setValue(f"{_MATCH}/threshold", float(config.threshold))
        s.setValue(f"{_MATCH}/top_k", int(config.top_k))
        s.setValue(f"{_MATCH}/duplicate_threshold", float(config.duplicate_threshold))

    # -- view and files ------------------------------------------------------------

    def zoom(self) -> int:
        """The panes' zoom in steps (0: the usual size)."""
        steps = _number(self._settings.value(_ZOOM))
        return int(steps) if steps is not None and abs(steps) <= 100 else 0

    def set_zoom(self, steps: int) -> None:
        self._settings.setValue(_ZOOM, int(steps))

    def last_folder(self) -> str:
        """The folder of the last file opened or saved ("" when none, or it is gone)."""
        value = self._settings.value(_FOLDER)
        return value if isinstance(value, str) and os.path.isdir(value) else ""

    def remember_folder(self, path: str) -> None:
        """Remember the folder of ``path`` (a file) for the next file dialog."""
        self._settings.setValue(_FOLDER, os.path.dirname(os.path.abspath(path)))

    def export_format(self) -> str:
        value = self._settings.value(_EXPORT_FORMAT)
        return value if isinstance(value, str) else ""

    def set_export_format(self, name: str) -> None:
        self._settings.setValue(_EXPORT_FORMAT, name)

    def sync(self) -> None:
        """Write to disk now (Qt also does so on its own, and at exit)."""
        self._settings.sync()


def _bytes(value: object) -> QByteArray | None:
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, bytes) and value:
        return QByteArray(value)
    return None


def _number(value: object) -> float | None:
    """A finite number from a setting (INI files store numbers as text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _known_scorer(name: str) -> bool:
    from factcheck.matching import SCORERS, missing_stage

    return name in SCORERS and not missing_stage(name)
