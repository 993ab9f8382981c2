"""Bytes to text: ``decode_bytes`` never fails in any way but ArticleLoadError."""

from __future__ import annotations

import codecs
import io
import random
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.errors import ArticleLoadError
from factcheck.loading import decode_bytes
from factcheck.textdecoding import decode_text, normalise_newlines

from ..conftest import SEEDS

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


# -- UTF-16 without a byte-order mark ---------------------------------------------

ENGLISH = "Officials said 3.5 million people were affected. The U.S. disagreed.\n" * 3
RUSSIAN = "Путин заявил, что война продолжится, а Кремль молчит. 3,5 млн.\n" * 3


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [ENGLISH, SAMPLE, RUSSIAN, "Hi"])
def test_utf16_without_bom_is_recognised_by_its_nul_pattern(codec: str, text: str) -> None:
    # UTF-16 of ASCII is valid UTF-8 too, with a NUL in every other byte: it was
    # refused as binary before the NUL pattern was looked at.
    decoded = decode_text(text.encode(codec), source="s")
    assert decoded == (normalise_newlines(text), codec, ())


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_of_odd_length_ends_in_a_replacement_character(codec: str) -> None:
    data = ENGLISH.encode(codec)
    for odd, text in ((data + b"\n", ENGLISH), (data[:-1], ENGLISH[:-1])):
        decoded = decode_text(odd, source="s")
        assert decoded.text == text + "\ufffd"
        assert decoded.encoding == codec
        assert decoded.warnings == (
            f"the text is {codec.upper()} but ends in half a character (an odd number of "
            "bytes); the last byte was replaced with U+FFFD",
        )


def _zip_file() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", ENGLISH * 20)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(1).randbytes(3000),
        _zip_file(),
        b"\x00" * 5000,  # /dev/zero: NUL in both halves of every code unit
        random.Random(2).randbytes(5000),
        ENGLISH.encode() + b"\x00" + ENGLISH.encode(),  # one stray NUL in UTF-8 text
        # 16-bit little-endian numbers: the NUL pattern of UTF-16, but control characters
        bytes(byte for i in range(3000) for byte in ((i * 7) % 256, 0)),
    ],
    ids=["png", "zip", "all-nul", "random", "stray-nul", "uint16"],
)
def test_binary_data_with_nul_bytes_is_refused(data: bytes) -> None:
    with pytest.raises(ArticleLoadError, match=r"^blob: this is binary data, not text"):
        decode_text(data, source="blob")


# -- UTF-8 with a few invalid bytes -------------------------------------------------


def test_utf8_with_one_stray_byte_is_utf8_with_a_replacement_character() -> None:
    # Before, charset-normalizer read it all as mac_iceland: "Putin‚Äôs".
    text = (SEEDS / "000_f70e73f6dcb0cc75.txt").read_bytes()
    i = text.index(b"three and a half years")
    decoded = decode_text(text[:i] + b"\xa0" + text[i:], source="s")
    before, after = normalise_newlines(text[:i].decode()), normalise_newlines(text[i:].decode())
    assert decoded.text == before + "\ufffd" + after
    assert decoded.encoding == "utf-8"
    (warning,) = decoded.warnings
    # Where it is, in bytes and in words (on one line).
    assert warning.startswith(f"the text is UTF-8 except for 1 invalid byte (at byte {i}, in “…")
    assert "than \ufffdthree and a half years" in warning
    assert warning.endswith("…”), replaced with U+FFFD") and "\n" not in warning


def test_short_utf8_with_one_stray_byte_is_not_unrecognisable() -> None:
    # cp1252 cannot read "”" (its 0x9d byte), and there were too few bytes to guess.
    data = "Putin’s rule is crumbling — says the “expert”. Café in Zürich.".encode() + b"\x81"
    decoded = decode_text(data, source="s")
    assert decoded.text == "Putin’s rule is crumbling — says the “expert”. Café in Zürich.\ufffd"
    assert decoded.warnings == (
        f"the text is UTF-8 except for 1 invalid byte (at byte {len(data) - 1}, "
        "in “…the “expert”. Café in Zürich.\ufffd…”), replaced with U+FFFD",
    )


def test_utf8_with_more_than_a_few_invalid_bytes_is_not_patched_up() -> None:
    # Five invalid bytes in 600 (more than four and more than 0.1 %): not read as UTF-8.
    data = ("Café “naïve” " * 30).encode() + b"\xe9\xe8\xe0\xf9\xea"
    with pytest.raises(ArticleLoadError, match=r"^s: the text is in no encoding"):
        decode_text(data, source="s")


CP1252_NEWS = (
    "Le ministre a déclaré à l’Assemblée que « 3,5 millions » de foyers étaient touchés. "
    "Über die Maßnahmen wird später entschieden, sagte die Ärztin — „nicht heute“. "
    "El señor Núñez añadió: ¿qué más? "
) * 4


@pytest.mark.parametrize(
    "text",
    [
        CP1252_NEWS,  # many high bytes, none of them forming UTF-8 sequences
        "Officials met at the café on Monday. " * 10,  # one kind of high byte, in ASCII text
        "The budget is 5 € " + "and the talks went on. " * 12,
        # "ß“" is valid UTF-8 (U+07D3), "„" is not: one valid sequence per invalid byte
        # is not enough to call it UTF-8.
        "Er sagte „Fuß“.",
        "Er sagte „Fuß“. " * 20,
    ],
)
def test_cp1252_text_is_not_taken_for_damaged_utf8(text: str) -> None:
    assert decode_text(text.encode("cp1252"), source="s") == (text, "cp1252", ())


@pytest.mark.parametrize("codec", ["koi8-r", "shift_jis", "gb18030", "cp1251"])
def test_legacy_multibyte_and_cyrillic_text_is_not_taken_for_damaged_utf8(codec: str) -> None:
    text = {
        "koi8-r": "Путин заявил, что 3,5 млн человек пострадали. Правительство ответит. ",
        "cp1251": "Путин заявил, что 3,5 млн человек пострадали. Правительство ответит. ",
        "shift_jis": "東京都は新しい計画を発表した。予算は3.5兆円です。",
        "gb18030": "部长表示有350万人受到影响。政府将很快作出回应！",
    }[codec] * 6
    decoded = decode_text(text.encode(codec), source="s")
    assert decoded.warnings == ()
    assert decoded.text == text
