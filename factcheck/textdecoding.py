"""Bytes to text for articles: encoding detection, BOM removal, newline normalisation.

The order is: a byte-order mark; strict UTF-8; UTF-16 recognised by its NUL-byte
pattern; an encoding the bytes declare (HTML ``<meta charset>``, XML declaration);
charset-normalizer's guess; cp1252.

UTF-16 without a BOM is recognised before anything is guessed because the NUL
pattern is unambiguous while charset-normalizer's guesses on short samples are
not (it calls the four bytes of cp1252 "café" UTF-16, and "Ça" Big5). For the
same reason inputs shorter than ``_MIN_GUESS_BYTES`` are taken as cp1252, and
among charset-normalizer's equally good guesses cp1252 wins: it is the most
common legacy encoding of Western news text, and Latin-1 text decodes the same
in it (except C1 control codes, which no article contains).
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import CharsetMatch, from_bytes

from factcheck.errors import ArticleLoadError

__all__ = ["decode_bytes", "normalise_newlines"]

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_NUL_SAMPLE_BYTES = 4096
_CONTROL_SAMPLE_CHARS = 100_000
#: More control characters than this share of the text means it is not text.
_MAX_CONTROL_SHARE = 0.02
# C0 controls except tab, newlines, vertical tab and form feed; DEL; C1 controls.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_NEWLINES = re.compile("\r\n?")
_DECLARATION_ZONE_BYTES = 4096
_DECLARED_ENCODING = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
# Python codecs that decode escapes or domain names, or that browsers refuse.
_NOT_DOCUMENT_ENCODINGS = frozenset(
    {"unicode-escape", "raw-unicode-escape", "punycode", "idna", "utf-7", "undefined"}
)
#: Below this many bytes charset-normalizer's statistics are noise; cp1252 is assumed.
_MIN_GUESS_BYTES = 200
_LATIN_1_NAMES = frozenset({"latin_1", "iso8859_1", "ascii", "cp1252"})


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; nothing else changes."""
    return _NEWLINES.sub("\n", text) if "\r" in text else text


def decode_bytes(data: bytes, *, source: str) -> str:
    """Decode an article's bytes to text, without its BOM and with ``\\n`` line ends.

    Raises :class:`ArticleLoadError` (naming ``source``) when the bytes are binary
    data rather than text or fit no known encoding.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                name = encoding.upper()
                problem = f"the text starts with a {name} byte-order mark but is not valid {name}"
                raise ArticleLoadError(source, problem) from None
            return _checked(text, source)
    try:
        return _checked(data.decode("utf-8"), source)
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_by_nul_pattern(data)
    if utf16 is not None:
        try:
            return _checked(data.decode(utf16), source)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise ArticleLoadError(source, "this is binary data, not text (it contains NUL bytes)")
    declared = _declared_encoding(data)
    if declared is not None:
        try:
            return _checked(data.decode(declared), source)
        except UnicodeError:
            pass  # a wrong declaration is common; guess instead
    return _checked(_guess_and_decode(data, source), source)


def _checked(text: str, source: str) -> str:
    """The text with newlines normalised, unless it is really binary data."""
    if "\x00" in text:
        raise ArticleLoadError(source, "this is binary data, not text (it contains NUL bytes)")
    sample = text[:_CONTROL_SAMPLE_CHARS]
    controls = len(_CONTROL_CHARS.findall(sample))
    if controls and controls > _MAX_CONTROL_SHARE * len(sample):
        raise ArticleLoadError(
            source, "this is binary data, not text (too many control characters)"
        )
    return normalise_newlines(text)


def _utf16_by_nul_pattern(data: bytes) -> str | None:
    """UTF-16 without BOM: mostly-ASCII text has a NUL in every other byte."""
    sample = data[:_NUL_SAMPLE_BYTES]
    if len(sample) < 2 or len(data) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nuls, odd_nuls = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _guess_and_decode(data: bytes, source: str) -> str:
    matches = list(from_bytes(data))
    best: list[CharsetMatch] = []
    if matches:
        least_chaos = min(match.chaos for match in matches)
        best = [match for match in matches if match.chaos <= least_chaos]
        if len(data) >= _MIN_GUESS_BYTES and not any(_is_cp1252(match) for match in best):
            return str(best[0])
    # Equally good guesses, or too few bytes for statistics (charset-normalizer
    # calls "Ça" Big5): the Western default, as browsers do.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    if best:
        return str(best[0])
    raise ArticleLoadError(source, "the text is in no encoding that could be recognised")


def _is_cp1252(match: CharsetMatch) -> bool:
    return match.encoding in _LATIN_1_NAMES or "cp1252" in match.could_be_from_charset


def _declared_encoding(data: bytes) -> str | None:
    """The encoding an HTML ``<meta>`` or XML declaration names near the start."""
    found = _DECLARED_ENCODING.search(data[:_DECLARATION_ZONE_BYTES])
    if found is None:
        return None
    try:
        name = codecs.lookup((found.group(1) or found.group(2)).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None  # the declaration itself was readable as ASCII, so it is wrong
    if name in _NOT_DOCUMENT_ENCODINGS or not _is_text_encoding(name):
        return None
    if name in ("iso8859-1", "ascii"):
        return "cp1252"  # what browsers do, per the WHATWG Encoding standard
    return name


def _is_text_encoding(name: str) -> bool:
    try:
        "".encode(name)
    except LookupError:  # bytes-to-bytes codecs such as base64 or rot13
        return False
    return True
