"""The factcheck desktop app (PySide6): views and thin adapters over ``factcheck.store``."""
