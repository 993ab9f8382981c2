"""Bytes to text: ``decode_bytes`` never fails in any way but ArticleLoadError."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.errors import ArticleLoadError
from factcheck.loading import decode_bytes

SAMPLE = "„Café“ — it’s naïve.\r\nÆsop’s “fables”\rend"
EXPECTED = "„Café“ — it’s naïve.\nÆsop’s “fables”\nend"


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + SAMPLE.encode("utf-32-le"),
        SAMPLE.encode("utf-16-le"),
        SAMPLE.encode("utf-16-be"),
        SAMPLE.encode("cp1252"),
    ],
)
def test_decodes_without_bom_and_with_unix_newlines(data: bytes) -> None:
    assert decode_bytes(data, source="s") == EXPECTED


def test_latin_1_and_cp1252_agree_where_they_are_the_same() -> None:
    text = "Zürich, São Paulo, Ærøskøbing: crème brûlée à 5 €".replace("€", "EUR")
    assert decode_bytes(text.encode("latin-1"), source="s") == text


def test_a_bom_inside_the_text_is_kept() -> None:
    assert decode_bytes("a\ufeffb".encode(), source="s") == "a\ufeffb"


def test_nul_bytes_outside_utf16_mean_binary() -> None:
    with pytest.raises(ArticleLoadError, match=r"^blob: this is binary data"):
        decode_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", source="blob")


@pytest.mark.parametrize("text", ["Ça va", "Öl!", "“Yes”", "€100 — “fair”", "¿Sí?"])
def test_short_legacy_text_is_taken_as_cp1252(text: str) -> None:
    # Too short for statistics: charset-normalizer alone calls "Ça va" Big5.
    assert decode_bytes(text.encode("cp1252"), source="s") == text


def test_long_legacy_text_in_another_encoding_is_recognised() -> None:
    text = "Путин заявил, что война продолжится, а Кремль молчит. " * 5
    assert decode_bytes(text.encode("cp1251"), source="s") == text


@pytest.mark.parametrize(
    "declaration",
    [
        '<html><head><meta charset="koi8-r">',
        '<meta http-equiv="Content-Type" content="text/html; charset=KOI8-R">',
        '<?xml version="1.0" encoding="koi8-r"?>',
    ],
)
def test_a_declared_encoding_beats_guessing(declaration: str) -> None:
    data = (declaration + "Привет мир").encode("koi8-r")
    assert decode_bytes(data, source="s").endswith("Привет мир")


@pytest.mark.parametrize("name", ["rot13", "base64", "unicode_escape", "utf-7", "nonsense"])
def test_a_declared_non_document_encoding_is_ignored(name: str) -> None:
    data = f'<meta charset="{name}">'.encode() + "Caf\u00e9 +AGEAYgBj- \\x41".encode("cp1252")
    assert decode_bytes(data, source="s") == data.decode("cp1252")


def test_empty_bytes_are_empty_text() -> None:
    assert decode_bytes(b"", source="s") == ""


printable_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff")
    | st.sampled_from("\n\r\t"),
    max_size=300,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(printable_text)
def test_utf8_text_round_trips_except_line_ends(text: str) -> None:
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert decode_bytes(text.encode("utf-8"), source="s") == expected


encoded_text = st.builds(
    lambda text, codec: text.encode(codec, "ignore"),
    printable_text,
    st.sampled_from(("cp1252", "latin-1", "utf-16-le", "cp1251", "koi8-r")),
)
declared_bytes = st.builds(
    lambda name, rest: f'<meta charset="{name}">'.encode() + rest,
    st.sampled_from(("utf-8", "latin-1", "shift_jis", "utf-16", "rot13", "idna", "x", "hz")),
    st.binary(max_size=512),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048) | encoded_text | declared_bytes)
def test_any_bytes_give_text_or_article_load_error(data: bytes) -> None:
    try:
        text = decode_bytes(data, source="fuzz")
    except ArticleLoadError as error:
        assert str(error).startswith("fuzz: ")
        assert error.problem
    else:
        assert isinstance(text, str)
        assert "\r" not in text
        assert not text.startswith("\ufeff") or not data.startswith(codecs.BOM_UTF8)
