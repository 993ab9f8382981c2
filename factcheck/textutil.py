"""Short forms of user and article text for messages, lists and tables."""

from __future__ import annotations


def excerpt(text: str, limit: int) -> str:
    """``text`` on one line (runs of white space made one space), cut to at most
    ``limit`` characters with "…" where it was cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def source_name(source: str) -> str:
    """Where an article came from, as reports and command output show it: a web URL
    as it is, a local file by its name only (a published report must not show the
    reviewer's folders), anything else (``clipboard``) as it is."""
    from pathlib import PurePosixPath, PureWindowsPath
    from urllib.parse import urlsplit

    try:
        scheme = urlsplit(source).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme in ("http", "https"):
        return source
    if "/" in source or "\\" in source:
        return PureWindowsPath(source).name or PurePosixPath(source).name or source
    return source
