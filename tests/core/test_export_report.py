"""HTML and Markdown reports: content, escaping, no scripts, no network."""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from html.parser import HTMLParser
from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st

from factcheck.export.report import export_html, verdict_chart
from factcheck.export.report_markdown import diff_markdown, escape_markdown, export_markdown
from factcheck.models import Verdict
from factcheck.worddiff import word_diff

from .test_export_common import HOSTILE_NOTE, sample_project


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.ins: list[str] = []
        self.dels: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if "ins" in self.stack:
            self.ins.append(data)
        if "del" in self.stack:
            self.dels.append(data)


def _parse(html: str) -> _Collector:
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return parser


def test_html_has_no_script_and_loads_nothing_from_the_network() -> None:
    parsed = _parse(export_html(sample_project()))
    names = [t for t, _ in parsed.tags]
    assert "script" not in names and "iframe" not in names and "link" not in names
    assert "style" in names and "svg" in names
    links = []
    for tag, attrs in parsed.tags:
        assert "src" not in attrs, tag
        assert not any(k.startswith("on") for k in attrs), tag
        if "href" in attrs:
            assert tag == "a"
            links.append(attrs["href"])
            assert attrs.get("rel") == "noopener noreferrer"
    assert links == ["https://example.org/visit?x=1&y=2"]  # the one real evidence URL
    assert not re.search(r"url\(|@import", export_html(sample_project()))


def test_user_text_is_shown_as_text() -> None:
    html = export_html(sample_project())
    parsed = _parse(html)
    text = "".join(parsed.text)
    assert "<script>alert(1)</script>" in text  # shown, as characters
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "javascript:alert(1)" in text  # evidence that is not a web URL: text only
    assert HOSTILE_NOTE.split("\n")[1] in text


def test_html_lists_sources_counts_and_every_annotated_claim() -> None:
    project = sample_project()
    text = "".join(_parse(export_html(project)).text)
    assert "Putin’s rule is crumbling" in text and "Xi and Putin" in text
    assert "Viktor Kaspruk" in text and project.article_b.hash in text
    for claim_text in (
        "Xi visited Moscow last week.",
        "The ICC issued an arrest warrant for Putin.",
        "Xi visited Moscow and met Putin last week.",
    ):
        assert claim_text in text
    assert "3 of 4 claims reviewed; 1 not reviewed." in text
    assert "2 of 3 claims reviewed; 1 not reviewed." in text
    assert "match score 71.5" in text


def test_html_word_diff_marks_deleted_and_inserted_words() -> None:
    parsed = _parse(export_html(sample_project()))
    assert "issued an arrest warrant for" in parsed.dels
    assert "called for the arrest of" in parsed.ins
    assert "123" in parsed.dels and "124" in parsed.ins


def test_html_prints_cleanly() -> None:
    html = export_html(sample_project())
    assert "@media print" in html and "break-inside: avoid" in html


def test_chart_bars_scale_with_the_counts() -> None:
    svg = verdict_chart(
        {Verdict.SUPPORTED: 10, Verdict.CONTESTED: 5, Verdict.OPINION: 0, Verdict.UNREVIEWED: 1}
    )
    widths = [int(w) for w in re.findall(r'<rect [^>]*width="(\d+)"', svg)]
    assert widths == [260, 130, 0, 26]
    assert "over 16 claims" in svg
    empty = verdict_chart(dict.fromkeys(Verdict, 0))
    assert re.findall(r'<rect [^>]*width="(\d+)"', empty) == ["0"] * 4


def test_links_between_unreviewed_claims_are_still_listed() -> None:
    project = sample_project()
    kept = tuple(a for a in project.annotations if a.claim_id not in ("a:2",))
    html = export_html(replace(project, annotations=kept))
    assert "Other confirmed links" in html
    md = export_markdown(replace(project, annotations=kept))
    assert "## Other confirmed links" in md and "match score 71.5" in md


# -- Markdown -----------------------------------------------------------------------


def test_markdown_escapes_markup_in_user_text() -> None:
    md = export_markdown(sample_project())
    assert "\\<script\\>alert(1)\\</script\\>" in md
    assert "<script>" not in md
    assert "> \\-the ICC only asked" in md  # would start a list otherwise
    assert "- javascript:alert(1)" in md  # text, not a link
    assert "[https://example.org/visit?x=1\\&y=2](<https://example.org/visit?x=1&y=2>)" in md


def test_escape_markdown_defuses_block_and_inline_markup() -> None:
    assert escape_markdown("# not a heading") == "\\# not a heading"
    assert escape_markdown("1. not a list") == "1\\. not a list"
    assert escape_markdown("    not code") == "not code"
    assert escape_markdown("*a* _b_ [c](d) `e` <f> &amp; |g| ~~h~~") == (
        "\\*a\\* \\_b\\_ \\[c\\](d) \\`e\\` \\<f\\> \\&amp; \\|g\\| \\~\\~h\\~\\~"
    )
    assert escape_markdown("line one\n> line two") == "line one\n\\> line two"


@given(st.text(alphabet=st.sampled_from("ab 1.#>-*_`[]<>&|~\\\n\u2028é"), max_size=40))
def test_escape_markdown_escapes_every_markup_character(text: str) -> None:
    escaped = escape_markdown(text)
    pieces = re.findall(r"\\.|.", escaped, re.DOTALL)  # an escape, or one character
    assert not [p for p in pieces if len(p) == 1 and p in "\\`*_[]<>&|~"]  # none bare
    lines = ["".join(p[-1] for p in re.findall(r"\\.|.", line)) for line in escaped.split("\n")]
    assert lines == [line.strip() for line in text.splitlines() or [""]]


def test_markdown_diff_strikes_deleted_and_bolds_inserted_words() -> None:
    diff = word_diff("123 countries *signed*", "124 countries *signed*")
    assert diff_markdown(diff) == "~~123~~**124** countries \\*signed\\*"


def test_markdown_has_sources_counts_and_claims() -> None:
    md = export_markdown(sample_project())
    assert md.startswith("# Fact-check report: Putin and Xi, two versions\n")
    assert "| Supported | 2 | 0 | 2 |" in md and "| Unreviewed | 1 | 2 | 3 |" in md
    assert "### A3 — Contested (body)" in md
    assert "~~issued an arrest warrant for~~**called for the arrest of**" in md
    # The note keeps its two lines (hard break), inside one block quote.
    assert "alert(1)\\</script\\>\\\n> second line" in md


def test_markdown_embeds_the_chart_as_a_data_uri_svg() -> None:
    md = export_markdown(sample_project())
    found = re.search(r"!\[Verdict counts: ([^\]]*)\]\(data:image/svg\+xml;base64,([^)]+)\)", md)
    assert found is not None
    assert found.group(1) == "Supported 2, Contested 1, Opinion 1, Unreviewed 3"
    svg = ElementTree.fromstring(base64.b64decode(found.group(2)))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert not [e for e in svg.iter() if e.tag.endswith(("script", "image", "foreignObject"))]
    # Nothing in it would be fetched: no external reference of any kind.
    assert not [v for e in svg.iter() for k, v in e.attrib.items() if "href" in k]


def test_html_escapes_every_kind_of_user_text() -> None:
    project = sample_project()
    evil = "<img src=x onerror=alert(1)>"
    article_b = replace(project.article_b, title=evil, source=evil)
    html = export_html(replace(project, article_b=article_b, name=evil))
    assert "<img" not in html
    assert _parse(html).tags.count(("img", {"src": "x", "onerror": "alert(1)"})) == 0
    md = export_markdown(replace(project, article_b=article_b, name=evil))
    assert "\\<img src=x onerror=alert(1)\\>" in md
    assert not re.search(r"(?<!\\)<img", md)
