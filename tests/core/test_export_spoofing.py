"""Reports show where a link goes: evidence URLs with zero-width characters, bidi
overrides or look-alike hosts are shown as the URI they open (punycode host,
percent-encoded path), and user text cannot reorder the report around it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from factcheck.export import export_html, export_markdown
from factcheck.models import Article, Project, Verdict
from factcheck.store import ProjectStore

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: (evidence as typed, the address a browser opens for it)
SPOOFED = (
    ("https://exa\u200bmple.com/login", "https://example.com/login"),
    ("https://ex\u200cample.com/a", "https://example.com/a"),
    ("https://example.com/\u202egnp.exe", "https://example.com/%E2%80%AEgnp.exe"),
    ("https://p\u0430ypal.com/", "https://xn--pypal-4ve.com/"),  # Cyrillic а
    ("https://b\u00fccher.example/\u00fc?q=\u00e9#\u00e7", None),  # legitimate IDN, encoded
    ("https://plain.example/page?x=1&y=2", "https://plain.example/page?x=1&y=2"),
)
NOT_LINKS = ("https://\u202eexample.com/", "AP, \u202e3 Jan\u202c")
NOTE = (
    "Says \u202egro.elpmaxe//:sptth\u202c is the source; \u2067\u05e9\u05dc\u05d5\u05dd\u2069 too"
)


def _project() -> Project:
    a = Article("a", "Title \u202eevil", "a.txt", "First claim here. Second claim there.")
    b = Article("b", "B", "b.txt", "\u05e9\u05dc\u05d5\u05dd \u202eworld. Other text.")
    store = ProjectStore(Project(a, b), matches=())
    store.set_verdict("a:0", Verdict.CONTESTED)
    store.set_note("a:0", NOTE)
    store.set_tags("a:0", ["\u202etag"])
    store.set_evidence("a:0", [typed for typed, _ in SPOOFED] + list(NOT_LINKS))
    store.set_verdict("b:0", Verdict.SUPPORTED)
    return store.project()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a" and dict(attrs).get("rel") == "noopener noreferrer":
            self._href = dict(attrs)["href"] or ""
            self.links.append((self._href, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._href = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._href is not None:
            href, shown = self.links[-1]
            self.links[-1] = (href, shown + data)


def _expected_links() -> list[str]:
    return [opens for _, opens in SPOOFED if opens is not None]


def test_html_link_text_is_the_address_it_opens() -> None:
    html = export_html(_project())
    parser = _Links()
    parser.feed(html)
    hrefs = [href for href, _ in parser.links]
    assert all(shown == href for href, shown in parser.links)
    assert all(href.isascii() and " " not in href for href in hrefs)
    for opens in _expected_links():
        assert opens in hrefs
    assert len(parser.links) == len(SPOOFED)  # the two that are not web addresses are text


def test_html_shows_bidi_controls_and_isolates_user_text() -> None:
    html = export_html(_project())
    assert not set(BIDI_CONTROLS) & set(html)
    parser = _Links()
    parser.feed(html)
    text = "".join(parser.text)
    assert "Says <U+202E>gro.elpmaxe//:sptth<U+202C> is the source" in text
    assert "Title <U+202E>evil" in text
    assert '<div class="note" dir="auto">' in html
    assert '<blockquote dir="auto">' in html
    assert "<bdi>AP, &lt;U+202E&gt;3 Jan&lt;U+202C&gt;</bdi>" in html


_MD_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(<([^>]*)>\)")


def test_markdown_link_text_is_the_address_it_opens() -> None:
    md = export_markdown(_project())
    links = [(re.sub(r"\\(.)", r"\1", shown), dest) for shown, dest in _MD_LINK.findall(md)]
    evidence_links = [(s, d) for s, d in links if not d.startswith("data:")]
    assert all(shown == dest for shown, dest in evidence_links)
    assert sorted(d for _, d in evidence_links) == sorted([*_expected_links(), _idn_uri()])


def _idn_uri() -> str:
    from factcheck.export.common import web_uri

    uri = web_uri(SPOOFED[4][0])
    assert uri is not None and uri.isascii() and "xn--" in uri
    return uri


@pytest.mark.parametrize("render", [export_html, export_markdown])
def test_no_raw_bidi_control_reaches_a_report(render: object) -> None:
    text = render(_project())  # type: ignore[operator]
    assert not set(BIDI_CONTROLS) & set(text)
    assert "<U+202E>" in text or "&lt;U+202E&gt;" in text or "\\<U+202E\\>" in text


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_versions_report_shows_bidi_controls(fmt: str) -> None:
    from factcheck.export.versions_report import VERSION_FORMATS
    from factcheck.versions import compare_versions

    old = Article("a", "Old", "old.txt", "The toll is 5 dollars. The bridge opens \u202eyadnoM.")
    new = Article("b", "New", "new.txt", "The toll is 6 dollars. The bridge opens \u202eyadseuT.")
    text = VERSION_FORMATS[fmt](compare_versions(old, new))
    assert not set(BIDI_CONTROLS) & set(text)
    assert "U+202E" in text
