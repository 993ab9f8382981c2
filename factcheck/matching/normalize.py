"""Text normalisation shared by every scorer: what two claims are compared on."""

from __future__ import annotations

import re
import unicodedata

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\u00a0": " ",
    }
)  # fmt: skip
_POSSESSIVE_RE = re.compile(r"'s\b")
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}\b)")
# Punctuation becomes a space, except a decimal point between digits ("3.5").
_PUNCTUATION_RE = re.compile(r"(?!(?<=\d)\.(?=\d))[^\w\s]|_")
_SPACES_RE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Case-folded text with ASCII quotes and dashes, punctuation removed, spaces collapsed.

    Possessives go (``Putin’s`` → ``putin``) and apostrophes join words (``don’t`` →
    ``dont``) so that typographic and ASCII spellings compare equal; thousands
    separators go and decimal points stay (``2,500`` → ``2500``, ``3.5`` stays).
    """
    folded = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).casefold()
    folded = _POSSESSIVE_RE.sub("", folded).replace("'", "")
    folded = _THOUSANDS_RE.sub("", folded)
    folded = _PUNCTUATION_RE.sub(" ", folded)
    return _SPACES_RE.sub(" ", folded).strip()
