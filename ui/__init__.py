"""The factcheck desktop app (PySide6): views and thin adapters over ``factcheck.store``."""

from .none_guard import guard_none

guard_none()
