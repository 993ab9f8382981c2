"""Default file names and folders for the file dialogs.

A suggested name comes from the project's title, which holds whatever the articles'
titles hold: "…" where a title was cut, curly quotes, colons, slashes. Those make
awkward or (on Windows, for ":") impossible file names, so :func:`file_stem` keeps
letters, digits and plain punctuation only. Dialogs start in the folder last used.
"""

from __future__ import annotations

import re
from pathlib import Path

_REPLACE = str.maketrans(
    {"‘": "'", "’": "'", ":": " -", "/": "-", "\\": "-", "—": "-", "–": "-", "→": "to"}
)
#: What may stay in a file name besides letters and digits of any script.
_PLAIN = set(" -_.,'()+&")
MAX_STEM = 80


def file_stem(title: str, fallback: str = "comparison") -> str:
    """``title`` as a file name without suffix: no "…", curly quotes, ":" or slashes."""
    text = title.translate(_REPLACE)
    kept = "".join(ch if ch.isalnum() or ch in _PLAIN else " " for ch in text)
    stem = re.sub(r"\s+", " ", kept).strip(" .-")[:MAX_STEM].rstrip(" .-")
    return stem or fallback


def start_folder(current: Path | None, last_folder: str) -> Path:
    """Where a file dialog opens: next to the open file, else the folder last used,
    else the home folder."""
    if current is not None:
        return current.parent
    return Path(last_folder) if last_folder else Path.home()
