"""Loading articles from files, pasted text and HTML pages."""

from __future__ import annotations

import builtins
import io
import os
import random
import stat
import sys
from pathlib import Path

import pytest

from factcheck.errors import ArticleLoadError
from factcheck.loading import (
    MAX_ARTICLE_BYTES,
    article_from_html,
    article_from_text,
    load_article,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
HEADLINE = "Café owners say „enough“ — it’s over"
BODY = "The minister’s “plan” was rejected — again.\nCrème brûlée, naïve façade, Æsop, Zürich."
ARTICLE = f"{HEADLINE}\n{BODY}\n"

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="windows-1252">
<title>Putin seeks a way out - The Daily Example</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2023-03-27T10:00:00Z">
<meta property="og:site_name" content="The Daily Example">
<meta name="description" content="What Xi might offer.">
<link rel="canonical" href="https://news.example.com/world/putin-way-out">
<style>.hidden { color: red } STYLEMARK</style>
<script>var SCRIPTMARK = "tracking";</script>
</head><body>
<nav><a href="/">Home</a> NAVMARK <a href="/world">World</a></nav>
<!-- COMMENTMARK -->
<article>
<h1>Putin seeks a way out</h1>
<p>The war has been going on for more than three and a half years. Café owners in Kyiv
say „enough“ — it’s been too long.</p>
<iframe src="http://ads.example.com/IFRAMEMARK">IFRAMEMARK</iframe>
<img src="http://images.example.com/photo.jpg" alt="IMGMARK">
<p>Putin cannot defeat Ukraine. If he could, he would have been in Kyiv long ago. But the
absurdity of the war lies in the fact that the dictator is not willing to lose.</p>
<script>document.write("SCRIPTMARK2")</script>
<p>Moreover, in the event of his resignation, Putin understands that the elites of Russia
will lay all the responsibility on him for the war.</p>
</article>
</body></html>
"""
MARKS = ("STYLEMARK", "SCRIPTMARK", "NAVMARK", "COMMENTMARK", "IFRAMEMARK", "IMGMARK", "tracking")


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- text files and encodings ---------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("cp1252", b""),
    ],
)
def test_each_encoding_round_trips(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    path = write(tmp_path / "story.txt", prefix + ARTICLE.encode(encoding))
    article = load_article(path, article_id="a")
    assert article.text == ARTICLE  # the BOM is gone, nothing else changed
    assert article.title == HEADLINE
    assert article.id == "a"
    assert article.source == str(path.absolute())


def test_latin_1_round_trips(tmp_path: Path) -> None:
    text = 'Crème brûlée à la façon de Zürich\nÆsop\'s naïve "fables" ± 5 °C, ½ × ¾'
    article = load_article(write(tmp_path / "l.txt", text.encode("latin-1")), article_id="a")
    assert article.text == text


def test_cp1252_punctuation_bytes_decode_to_curly_quotes_and_dashes(tmp_path: Path) -> None:
    data = b"He said \x93no\x94 \x97 it\x92s over, caf\xe9 \x84gut\x93."
    article = load_article(write(tmp_path / "w.txt", data), article_id="a")
    assert article.text == "He said “no” — it’s over, café „gut“."


def test_line_ends_are_normalised_and_nothing_else(tmp_path: Path) -> None:
    raw = "Title\r\n\r\n  Indented  line \r\nOld Mac\rend\ttab \n"
    article = load_article(write(tmp_path / "crlf.txt", raw.encode("utf-8")), article_id="a")
    assert article.text == "Title\n\n  Indented  line \nOld Mac\nend\ttab \n"


def test_markdown_is_kept_as_written(tmp_path: Path) -> None:
    raw = "# The *real* headline\n\nSome **bold** claim, [link](http://x.org).\n"
    article = load_article(write(tmp_path / "note.md", raw.encode("utf-8")), article_id="b")
    assert article.text == raw
    assert article.title == "The *real* headline"


def test_title_is_the_stem_when_the_first_line_is_a_sentence(tmp_path: Path) -> None:
    path = write(tmp_path / "my-story.txt", b"\n\nThis is a full sentence.\nMore.\n")
    article = load_article(path, article_id="a")
    assert article.title == "my-story"
    assert article.text.startswith("\n\nThis is a full sentence.")


def test_title_is_the_stem_when_the_first_line_is_too_long(tmp_path: Path) -> None:
    path = write(tmp_path / "long.txt", ("word " * 50 + "\nBody.").encode())
    assert load_article(path, article_id="a").title == "long"


def test_unknown_extension_with_text_is_text(tmp_path: Path) -> None:
    path = write(tmp_path / "story.dat", ARTICLE.encode("utf-8"))
    assert load_article(path, article_id="a").text == ARTICLE


def test_unknown_extension_with_html_is_html(tmp_path: Path) -> None:
    path = write(tmp_path / "page.bin", PAGE.encode("cp1252"))
    article = load_article(path, article_id="a")
    assert "Café owners in Kyiv" in article.text
    assert "<p>" not in article.text
    assert article.metadata.author == "Jane Doe"


def test_txt_extension_wins_over_html_looking_content(tmp_path: Path) -> None:
    raw = "<html><body><p>Tags are text here.</p></body></html>\n"
    article = load_article(write(tmp_path / "raw.txt", raw.encode()), article_id="a")
    assert article.text == raw


@pytest.mark.parametrize(
    ("name", "expected_length", "first_line_is_title"),
    [("000_f70e73f6dcb0cc75.txt", 7987, True), ("001_d0625c1165e0dd70.txt", 6420, False)],
)
def test_seeds_load(name: str, expected_length: int, first_line_is_title: bool) -> None:
    path = SEEDS / name
    article = load_article(path, article_id="a")
    assert len(article.text) == expected_length
    assert article.text == path.read_text(encoding="utf-8")
    first_line = article.text.split("\n", 1)[0]
    assert article.title == (first_line if first_line_is_title else path.stem)


# --- pasted text -----------------------------------------------------------------------


def test_article_from_text_keeps_text_and_takes_a_given_title() -> None:
    article = article_from_text("Line one\r\nLine two.", article_id="b", title="Mine")
    assert (article.text, article.title, article.source) == (
        "Line one\nLine two.",
        "Mine",
        "clipboard",
    )
    assert article.metadata.author is None and article.metadata.url is None


def test_article_from_text_titles() -> None:
    assert article_from_text("Breaking: Xi meets Putin\nBody.", article_id="a").title == (
        "Breaking: Xi meets Putin"
    )
    assert article_from_text("A sentence.\nBody.", article_id="a").title == "clipboard"
    # A CJK paragraph ends in a full-width full stop (or mark), not a period.
    for end in "。！？":
        text = f"部长表示有350万人受到影响{end}\n是的。"
        assert article_from_text(text, article_id="a").title == "clipboard"
    assert article_from_text("普京的统治\n是的。", article_id="a").title == "普京的统治"


def test_article_from_text_refuses_blank_text() -> None:
    with pytest.raises(ArticleLoadError, match="empty"):
        article_from_text(" \n\t ", article_id="a")


# --- HTML -------------------------------------------------------------------------------


def test_html_text_has_no_scripts_styles_nav_frames_images_or_comments(tmp_path: Path) -> None:
    article = load_article(write(tmp_path / "page.html", PAGE.encode("cp1252")), article_id="a")
    for mark in MARKS:
        assert mark not in article.text
    paragraphs = article.text.split("\n")
    assert "Café owners in Kyiv say „enough“ — it’s been too long." in paragraphs[-3]
    assert paragraphs[-1].startswith("Moreover, in the event of his resignation")
    assert "" not in paragraphs


def test_html_metadata_is_what_the_page_states(tmp_path: Path) -> None:
    article = load_article(write(tmp_path / "page.htm", PAGE.encode("cp1252")), article_id="a")
    assert article.title == "Putin seeks a way out"
    meta = article.metadata
    assert meta.author == "Jane Doe"
    assert meta.date == "2023-03-27"
    assert meta.url == "https://news.example.com/world/putin-way-out"
    assert meta.site_name == "The Daily Example"
    assert meta.description == "What Xi might offer."


def test_html_without_metadata_has_none_and_the_stem_as_title(tmp_path: Path) -> None:
    page = "<html><body><div>Short text here</div><div>Second <b>line</b></div></body></html>"
    article = load_article(write(tmp_path / "bare.html", page.encode()), article_id="a")
    assert article.title == "bare"
    assert article.text == "Short text here\nSecond line"
    assert article.metadata.author is None and article.metadata.date is None
    assert article.metadata.url is None and article.metadata.site_name is None


@pytest.mark.parametrize("holder", ["div", "footer", "aside"])
def test_html_fallback_text_still_has_no_scripts_or_navigation(holder: str) -> None:
    # Trafilatura finds no main text in a footer or aside: the loader's own
    # fallback must give the text, and it must clean the page the same way.
    page = (
        "<html><head><style>STYLEMARK</style></head><body><nav>NAVMARK</nav>"
        f"<{holder}>Only a line</{holder}><script>SCRIPTMARK</script><!-- COMMENTMARK -->"
        "<style>STYLEMARK</style><iframe>IFRAMEMARK</iframe><noscript>NOSCRIPTMARK</noscript>"
        "<template>TEMPLATEMARK</template></body></html>"
    )
    article = article_from_html(page, article_id="a", source="https://ex.com/news/xi-visit.html")
    assert article.text == "Only a line"
    assert article.title == "xi-visit"
    assert article.source == "https://ex.com/news/xi-visit.html"


@pytest.mark.parametrize(
    ("charset", "codec", "text"),
    [
        ("windows-1251", "cp1251", "Путин заявил, что война продолжится. Кремль молчит."),
        # Too short for a guess: without the declaration it decodes to nonsense.
        ("koi8-r", "koi8-r", "Привет мир"),
        # Pages labelled Latin-1 are cp1252 in practice (browsers treat them so).
        ("iso-8859-1", "cp1252", "A “fair” deal — 5 €"),
    ],
)
def test_html_declared_charset_is_honoured(charset: str, codec: str, text: str) -> None:
    page = f'<html><head><meta charset="{charset}"></head><body><p>{text}</p></body></html>'
    article = article_from_html(page.encode(codec), article_id="a", source="page.html")
    assert article.text == text


def test_html_inline_formatting_does_not_break_lines() -> None:
    page = "<html><body><p>One <em>emphasised</em> word.</p><p>Two <i>more</i>.</p></body></html>"
    article = article_from_html(page, article_id="a", source="inline.html")
    assert article.text == "One emphasised word.\nTwo more."


def test_html_json_ld_metadata_is_read_but_never_becomes_text() -> None:
    page = (
        '<html><head><script type="application/ld+json">{"@context": "https://schema.org",'
        ' "@type": "NewsArticle", "headline": "Xi meets Putin", "datePublished": "2023-03-21",'
        ' "author": {"@type": "Person", "name": "John Smith"}}</script></head>'
        "<body><p>Xi visited Moscow last week.</p></body></html>"
    )
    article = article_from_html(page, article_id="a", source="ld.html")
    assert article.text == "Xi visited Moscow last week."
    assert article.title == "Xi meets Putin"
    assert article.metadata.author == "John Smith"
    assert article.metadata.date == "2023-03-21"


@pytest.mark.parametrize(
    "page", ["   \n  ", "<html><head><title>T</title></head><body></body></html>", "<!-- x -->"]
)
def test_html_without_text_is_refused(tmp_path: Path, page: str) -> None:
    path = write(tmp_path / "blank.html", page.encode())
    with pytest.raises(ArticleLoadError) as caught:
        load_article(path, article_id="a")
    assert "blank.html" in str(caught.value)
    assert "empty" in caught.value.problem or "no readable text" in caught.value.problem


@pytest.mark.usefixtures("offline")
def test_loading_html_opens_no_socket(tmp_path: Path) -> None:
    article = load_article(write(tmp_path / "page.html", PAGE.encode("cp1252")), article_id="a")
    assert article.metadata.url == "https://news.example.com/world/putin-way-out"
    assert "Putin cannot defeat Ukraine." in article.text


# --- bad input --------------------------------------------------------------------------


def assert_refused(path: Path, *problem_words: str) -> ArticleLoadError:
    with pytest.raises(ArticleLoadError) as caught:
        load_article(path, article_id="a")
    message = str(caught.value)
    assert path.name in message
    for word in problem_words:
        assert word in caught.value.problem
    assert caught.value.source == str(path.absolute())
    return caught.value


def test_missing_file(tmp_path: Path) -> None:
    assert_refused(tmp_path / "nowhere.txt", "does not exist")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert_refused(folder, "directory")


def test_empty_file(tmp_path: Path) -> None:
    assert_refused(write(tmp_path / "empty.txt", b""), "empty", "0 bytes")


@pytest.mark.parametrize("data", [b" \n\t\r\n ", b"\xef\xbb\xbf\n\n", "\n \n".encode("utf-16")])
def test_whitespace_only_file(tmp_path: Path, data: bytes) -> None:
    assert_refused(write(tmp_path / "blank.txt", data), "empty", "whitespace")


def test_huge_file_is_refused_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.truncate(25 * 1024 * 1024)  # sparse: instant, takes no disk space
    assert path.stat().st_size > MAX_ARTICLE_BYTES

    def no_reading(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a file over the limit was opened")

    monkeypatch.setattr(builtins, "open", no_reading)
    monkeypatch.setattr(io, "open", no_reading)
    monkeypatch.setattr(Path, "open", no_reading)
    assert_refused(path, "too large", "25.0 MB", "20 MB")


def test_file_that_grew_after_the_size_check_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.txt"
    with path.open("wb") as stream:
        stream.truncate(MAX_ARTICLE_BYTES + 10)
    real_stat = Path.stat

    def stat_from_before_it_grew(self: Path, **kwargs: bool) -> os.stat_result:
        info = real_stat(self, **kwargs)
        fields = list(info)
        fields[stat.ST_SIZE] = 100
        return os.stat_result(fields)

    monkeypatch.setattr(Path, "stat", stat_from_before_it_grew)
    assert_refused(path, "too large")


def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", b"Secret text.")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user (e.g. root) who can read a chmod 000 file")
        assert_refused(path, "permission denied")
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_permission_error_while_opening(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same path as test_unreadable_file, reachable even when running as root.
    path = write(tmp_path / "locked.txt", b"Locked text.")

    def denied(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)
    assert_refused(path, "permission denied", "not readable")


def test_binary_file(tmp_path: Path) -> None:
    png_start = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06"
    noise = random.Random(7).randbytes(4000)
    assert_refused(write(tmp_path / "photo.txt", png_start + noise), "binary")


def test_text_full_of_control_characters_is_binary(tmp_path: Path) -> None:
    data = b"".join(bytes([i % 32 or 1]) + b"ab" for i in range(300))
    assert_refused(write(tmp_path / "ctl.txt", data), "binary", "control characters")


def test_undecodable_utf16(tmp_path: Path) -> None:
    # A BOM promises UTF-16, then a lone surrogate breaks the promise.
    assert_refused(write(tmp_path / "bad.txt", b"\xff\xfeA\x00\x00\xd8B\x00"), "UTF-16")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert_refused(fifo, "not a regular file")


def test_loading_neither_changes_nor_creates_files(tmp_path: Path) -> None:
    text = write(tmp_path / "story.txt", ARTICLE.encode("cp1252"))
    page = write(tmp_path / "page.html", PAGE.encode("cp1252"))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (text, page)}
    load_article(text, article_id="a")
    load_article(page, article_id="b")
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (text, page)} == before
    assert sorted(tmp_path.iterdir()) == sorted(before)


@pytest.mark.skipif(sys.platform != "linux", reason="file names of arbitrary bytes")
def test_a_file_name_that_is_not_utf8_still_makes_a_saveable_article(tmp_path: Path) -> None:
    from factcheck.models import Project
    from factcheck.projectfile import load_project, save_project
    from tests.core.helpers import tiny_project

    name = os.fsdecode(os.fsencode(str(tmp_path)) + b"/caf\xe9.txt")
    Path(name).write_text("The mayor spoke on Monday. Nobody listened.", "utf-8")
    article = load_article(name, article_id="a")
    assert article.source.endswith("/caf\ufffd.txt")
    save_project(Project(article, tiny_project().article_b), tmp_path / "p.factcheck.json")
    assert load_project(tmp_path / "p.factcheck.json").article_a.source == article.source


def test_a_stray_byte_in_utf8_is_replaced_and_reported(tmp_path: Path) -> None:
    data = "Putin’s rule is “crumbling”.\nIt is.".encode()
    path = tmp_path / "stray.txt"
    path.write_bytes(data[:8] + b"\xa0" + data[8:])
    article = load_article(path, article_id="a")
    assert article.text == "Putin’\ufffds rule is “crumbling”.\nIt is."
    assert article.load_warnings == (
        "the text is UTF-8 except for 1 invalid byte (at byte 8, in “…Putin’\ufffds rule is "
        "“crumbling”. It is.…”), replaced with U+FFFD",
    )
    # Only a notice: an article is the same text whether or not it was damaged on disk.
    assert article == article_from_text(article.text, article_id="a", source=str(path))


def test_a_stray_byte_in_an_html_page_is_reported(tmp_path: Path) -> None:
    page = "<html><body><p>Putin’s rule is “crumbling”, says the expert.</p></body></html>"
    data = page.encode().replace(b"says", b"s\xffays")
    path = tmp_path / "page.html"
    path.write_bytes(data)
    for article in (
        article_from_html(data, article_id="a", source="page.html"),
        load_article(path, article_id="a"),
    ):
        assert "s\ufffdays" in article.text
        assert len(article.load_warnings) == 1
        assert article.load_warnings[0].startswith("the text is UTF-8 except for 1 invalid byte")


def test_utf16_without_bom_loads(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes("Officials said 3.5 million were affected.\r\n".encode("utf-16-le"))
    article = load_article(path, article_id="a")
    assert article.text == "Officials said 3.5 million were affected.\n"
    assert article.load_warnings == ()
