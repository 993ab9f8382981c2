"""Short forms of user and article text for messages, lists and tables."""

from __future__ import annotations


def excerpt(text: str, limit: int) -> str:
    """``text`` on one line (runs of white space made one space), cut to at most
    ``limit`` characters with "…" where it was cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
