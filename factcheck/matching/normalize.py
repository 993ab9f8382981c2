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


def _byte_table(changes: dict[int, int]) -> bytes:
    return bytes(changes.get(b, b) for b in range(256))


# The same steps on ASCII text, as bytes (most claims are ASCII once the typography is
# folded): one table lower-cases, turns ` into ' and the separators \x1c-\x1f, which
# str.split counts as spaces but bytes.split does not, into spaces; another turns
# punctuation (but the point, left to _DOT_ASCII) into spaces. Each regex starts with its
# literal, so the scan jumps from one to the next.
_ASCII_FOLD = _byte_table(
    {**{c: c + 32 for c in range(65, 91)}, ord("`"): ord("'"), **dict.fromkeys(range(28, 32), 32)}
)
_ASCII_PUNCTUATION = _byte_table(
    {c: 32 for c in range(128) if not (chr(c).isalnum() or chr(c).isspace() or chr(c) == ".")}
)
_POSSESSIVE_ASCII = re.compile(rb"'s\b")
_THOUSANDS_ASCII = re.compile(rb",(?<=\d,)(?=\d{3}\b)")
_DOT_ASCII = re.compile(rb"\.(?!(?<=\d\.)\d)")


def normalize_text(text: str) -> str:
    """Case-folded text with ASCII quotes and dashes, punctuation removed, spaces collapsed.

    Possessives go (``Putin’s`` → ``putin``) and apostrophes join words (``don’t`` →
    ``dont``) so that typographic and ASCII spellings compare equal; thousands
    separators go and decimal points stay (``2,500`` → ``2500``, ``3.5`` stays).
    """
    folded = text
    if not text.isascii():
        folded = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).casefold()
    return _normalize_ascii(folded) if folded.isascii() else _normalize_folded(folded)


def _normalize_folded(folded: str) -> str:
    """The rest of :func:`normalize_text` once NFKC, the typography and the case are folded."""
    folded = _POSSESSIVE_RE.sub("", folded).replace("'", "")
    folded = _THOUSANDS_RE.sub("", folded)
    folded = _PUNCTUATION_RE.sub(" ", folded)
    return _SPACES_RE.sub(" ", folded).strip()


def _normalize_ascii(text: str) -> str:
    """:func:`normalize_text` of ASCII text (folded or not): the same result as
    :func:`_normalize_folded` after folding, about four times faster."""
    raw = text.encode("ascii").translate(_ASCII_FOLD)
    if b"'" in raw:
        raw = _POSSESSIVE_ASCII.sub(b"", raw).replace(b"'", b"")
    if b"," in raw:
        raw = _THOUSANDS_ASCII.sub(b"", raw)
    if b"." in raw:
        raw = _DOT_ASCII.sub(b" ", raw)
    return b" ".join(raw.translate(_ASCII_PUNCTUATION).split()).decode("ascii")
