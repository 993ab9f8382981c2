"""Bytes to text for articles: encoding detection, BOM removal, newline normalisation.

The order is: a byte-order mark; UTF-16 recognised by its NUL-byte pattern (any
other bytes with a NUL are binary data); strict UTF-8; UTF-8 with a few invalid
bytes, which are replaced (and reported); an encoding the bytes declare (HTML
``<meta charset>``, XML declaration); charset-normalizer's guess; cp1252.

UTF-16 without a BOM is looked for before UTF-8 because UTF-16 of ASCII text is
valid UTF-8 too (with a NUL in every other byte). It is recognised before
anything is guessed because the NUL pattern is unambiguous while
charset-normalizer's guesses on short samples are not (it calls the four bytes of
cp1252 "café" UTF-16, and "Ça" Big5).

Text that is valid UTF-8 but for a few isolated bytes (a stray Latin-1 byte pasted
into a UTF-8 file) is UTF-8: legacy-encoded text practically never contains valid
multi-byte UTF-8 sequences, so when those outnumber the invalid bytes at least
twice and the invalid bytes are at most a handful (or 0.1 %), the invalid bytes
become U+FFFD and :attr:`DecodedText.warnings` says so. Any guess would read the
whole text in a wrong encoding (mac_iceland: "Putin‚Äôs"). For the
same reason inputs shorter than ``_MIN_GUESS_BYTES`` are taken as cp1252, and
among charset-normalizer's equally good guesses cp1252 wins: it is the most
common legacy encoding of Western news text, and Latin-1 text decodes the same
in it (except C1 control codes, which no article contains).
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING, NamedTuple

from factcheck.errors import ArticleLoadError

if TYPE_CHECKING:
    # Imported when a text is not UTF-8: most articles are, and the app's window and
    # `factcheck compare` start without it.
    from charset_normalizer import CharsetMatch

__all__ = ["DecodedText", "decode_bytes", "decode_text", "normalise_newlines"]

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_NUL_SAMPLE_BYTES = 4096
#: UTF-16 without BOM: at least this share of the high bytes are NUL (ASCII
#: characters: spaces, digits, punctuation even in Cyrillic or Greek text)...
_MIN_UTF16_NUL_SHARE = 0.1
#: ... and at most this share of the low bytes.
_MAX_UTF16_OTHER_NUL_SHARE = 0.05
#: Invalid bytes in otherwise valid UTF-8 that are replaced rather than taken as a
#: sign of another encoding: this many, or one in ``_BAD_UTF8_BYTES_PER`` bytes...
_FEW_BAD_UTF8_BYTES = 4
_BAD_UTF8_BYTES_PER = 1000
#: ... when there are at least this many valid multi-byte characters per invalid byte.
_MIN_UTF8_CHARS_PER_BAD_BYTE = 2
# What "surrogateescape" makes of a byte that is not UTF-8.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_NON_ASCII_BYTES = bytes(range(0x80, 0x100))
_BINARY_NUL = "this is binary data, not text (it contains NUL bytes)"
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


class DecodedText(NamedTuple):
    """Decoded article text, the encoding it was read in, and what went wrong on the way."""

    text: str
    #: A Python codec name, e.g. ``"utf-8"`` or ``"cp1252"``.
    encoding: str
    #: Problems the text was read despite, in plain words (without the source).
    warnings: tuple[str, ...] = ()


def decode_bytes(data: bytes, *, source: str) -> str:
    """Decode an article's bytes to text, without its BOM and with ``\\n`` line ends.

    Raises :class:`ArticleLoadError` (naming ``source``) when the bytes are binary
    data rather than text or fit no known encoding. :func:`decode_text` also tells
    the encoding and any invalid bytes that were replaced.
    """
    return decode_text(data, source=source).text


def decode_text(data: bytes, *, source: str) -> DecodedText:
    """:func:`decode_bytes`, with the encoding used and any warnings."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                name = encoding.upper()
                problem = f"the text starts with a {name} byte-order mark but is not valid {name}"
                raise ArticleLoadError(source, problem) from None
            return DecodedText(_checked(text, source), encoding)
    if b"\x00" in data:
        utf16 = _utf16_by_nul_pattern(data)
        if utf16 is None:
            raise ArticleLoadError(source, _BINARY_NUL)
        return _decode_utf16(data, utf16, source)
    try:
        return DecodedText(_checked(data.decode("utf-8"), source), "utf-8")
    except UnicodeDecodeError:
        pass
    damaged = _damaged_utf8(data, source)
    if damaged is not None:
        return damaged
    declared = _declared_encoding(data)
    if declared is not None:
        try:
            return DecodedText(_checked(data.decode(declared), source), declared)
        except UnicodeError:
            pass  # a wrong declaration is common; guess instead
    text, encoding = _guess_and_decode(data, source)
    return DecodedText(_checked(text, source), encoding)


def _checked(text: str, source: str) -> str:
    """The text with newlines normalised, unless it is really binary data."""
    if "\x00" in text:
        raise ArticleLoadError(source, _BINARY_NUL)
    sample = text[:_CONTROL_SAMPLE_CHARS]
    controls = len(_CONTROL_CHARS.findall(sample))
    if controls and controls > _MAX_CONTROL_SHARE * len(sample):
        raise ArticleLoadError(
            source, "this is binary data, not text (too many control characters)"
        )
    return normalise_newlines(text)


def _utf16_by_nul_pattern(data: bytes) -> str | None:
    """UTF-16 without BOM: text with ASCII or Latin-1 characters has NULs in the
    high byte of their code units, that is in every other byte, and rarely in the
    low bytes (all-NUL data has them in both: it is not UTF-16)."""
    sample = data[:_NUL_SAMPLE_BYTES]
    if len(sample) < 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nuls, odd_nuls = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nuls >= _MIN_UTF16_NUL_SHARE and even_nuls <= _MAX_UTF16_OTHER_NUL_SHARE:
        return "utf-16-le"
    if even_nuls >= _MIN_UTF16_NUL_SHARE and odd_nuls <= _MAX_UTF16_OTHER_NUL_SHARE:
        return "utf-16-be"
    return None


def _decode_utf16(data: bytes, encoding: str, source: str) -> DecodedText:
    """UTF-16 without BOM; an odd last byte (half a code unit) becomes U+FFFD."""
    odd = len(data) % 2
    try:
        text = data[: len(data) - odd].decode(encoding)
    except UnicodeDecodeError:
        raise ArticleLoadError(source, _BINARY_NUL) from None
    warnings: tuple[str, ...] = ()
    if odd:
        text += "\ufffd"
        warnings = (
            f"the text is {encoding.upper()} but ends in half a character "
            "(an odd number of bytes); the last byte was replaced with U+FFFD",
        )
    return DecodedText(_checked(text, source), encoding, warnings)


def _damaged_utf8(data: bytes, source: str) -> DecodedText | None:
    """UTF-8 with a few invalid bytes replaced by U+FFFD, if the rest says UTF-8."""
    escaped = data.decode("utf-8", "surrogateescape")
    bad = len(_ESCAPED_BYTE.findall(escaped))
    if not bad or bad > max(_FEW_BAD_UTF8_BYTES, len(data) // _BAD_UTF8_BYTES_PER):
        return None
    ascii_chars = len(data.translate(None, _NON_ASCII_BYTES))
    multibyte_chars = len(escaped) - ascii_chars - bad
    if multibyte_chars < _MIN_UTF8_CHARS_PER_BAD_BYTE * bad:
        return None
    text = _checked(data.decode("utf-8", "replace"), source)
    first = _ESCAPED_BYTE.search(escaped)
    assert first is not None
    offset = len(escaped[: first.start()].encode("utf-8", "surrogateescape"))
    where = f"at byte {offset}" if bad == 1 else f"the first at byte {offset}"
    plural = "byte" if bad == 1 else "bytes"
    # The words around it, for a reader who cannot count bytes.
    around = escaped[max(0, first.start() - 30) : first.end() + 30]
    near = " ".join(_ESCAPED_BYTE.sub("\ufffd", around).split())
    warning = (
        f"the text is UTF-8 except for {bad} invalid {plural} ({where}, in “…{near}…”), "
        "replaced with U+FFFD"
    )
    return DecodedText(text, "utf-8", (warning,))


def _guess_and_decode(data: bytes, source: str) -> tuple[str, str]:
    """The text and the encoding charset-normalizer (or the cp1252 default) reads it in."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    best: list[CharsetMatch] = []
    if matches:
        least_chaos = min(match.chaos for match in matches)
        best = [match for match in matches if match.chaos <= least_chaos]
        if len(data) >= _MIN_GUESS_BYTES and not any(_is_cp1252(match) for match in best):
            return str(best[0]), best[0].encoding
    # Equally good guesses, or too few bytes for statistics (charset-normalizer
    # calls "Ça" Big5): the Western default, as browsers do.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    if best:
        return str(best[0]), best[0].encoding
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
