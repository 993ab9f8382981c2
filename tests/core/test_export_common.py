"""The project every export test uses, and tests of what the formats share."""

from __future__ import annotations

import gc
import itertools
import uuid
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.export import EXPORT_FORMATS, ExportError, export_project
from factcheck.export.common import (
    ID_NAMESPACE,
    _general_web_uri,
    article_iri,
    index_project,
    is_web_url,
    stable_urn,
    web_uri,
)
from factcheck.gcpause import without_gc_pauses
from factcheck.models import (
    Article,
    ArticleMetadata,
    LinkState,
    Project,
    ProjectSettings,
    ReviewerSettings,
    Verdict,
)
from factcheck.projectfile import dumps_project
from factcheck.store import ProjectStore

from .helpers import TEXT_A, TEXT_B, index_matcher

HOSTILE_NOTE = 'Says "123" <script>alert(1)</script>\nsecond line, with a comma & ampersand'


def sample_project(*, reviewer: bool = True) -> Project:
    """Two short articles with every kind of annotation and link."""
    ticks = (f"2026-01-0{1 + i // 60}T10:00:{i % 60:02d}Z" for i in itertools.count())
    project = Project(
        article_a=Article(
            id="a",
            title="Putin’s rule is crumbling",
            source="https://example.org/news/putin.html",
            text=TEXT_A,
            metadata=ArticleMetadata(
                author="Viktor Kaspruk",
                date="2025-09-30",
                url="https://example.org/news/putin.html",
                site_name="Example News",
            ),
        ),
        article_b=Article(id="b", title="Xi and Putin", source="b.txt", text=TEXT_B),
        name="Putin and Xi, two versions",
    )
    store = ProjectStore(project, matcher=index_matcher, clock=lambda: next(ticks))
    store.set_verdict("a:1", Verdict.SUPPORTED)
    store.set_note("a:1", HOSTILE_NOTE)
    store.set_tags("a:1", ["travel", "=SUM(A1)"])
    store.set_evidence(
        "a:1", ["https://example.org/visit?x=1&y=2", "javascript:alert(1)", "AP, 3 Jan"]
    )
    store.set_verdict("a:2", Verdict.CONTESTED)
    store.set_note("a:2", "-the ICC only asked")
    store.set_verdict("a:3", Verdict.SUPPORTED)
    store.set_verdict("b:2", Verdict.OPINION)
    store.set_note("b:0", "no verdict yet")
    store.set_link("a:2", "b:1", LinkState.CONFIRMED, score=71.5)
    store.set_link("a:3", "b:2", LinkState.MANUAL)
    store.set_link("a:1", "b:0", LinkState.REJECTED)
    if reviewer:
        store.set_settings(
            ProjectSettings(reviewer=ReviewerSettings("Check Desk", "https://checkdesk.example/"))
        )
    return store.project()


def test_index_resolves_annotations_and_keeps_only_confirmed_links() -> None:
    index = index_project(sample_project())
    assert sorted(index.annotations) == ["a:1", "a:2", "a:3", "b:0", "b:2"]
    assert [link.key for link in index.links] == [("a:2", "b:1"), ("a:3", "b:2")]
    assert index.verdict_counts() == {
        Verdict.UNREVIEWED: 3,
        Verdict.SUPPORTED: 2,
        Verdict.CONTESTED: 1,
        Verdict.OPINION: 1,
    }
    assert index.other_end(index.links[0], "b:1").id == "a:2"


def test_an_annotation_whose_claim_moved_follows_its_anchor() -> None:
    project = sample_project()
    moved = tuple(replace(a, claim_id="a:99") for a in project.annotations)
    index = index_project(replace(project, annotations=moved))
    assert sorted(index.annotations) == ["a:1", "a:2", "a:3", "b:0", "b:2"]


def test_article_iri_is_the_url_or_a_hash_urn() -> None:
    a, b = sample_project().articles
    assert article_iri(a) == "https://example.org/news/putin.html"
    assert article_iri(b) == f"urn:sha256:{b.hash}"
    bad_url = replace(b, metadata=ArticleMetadata(url="javascript:alert(1)"))
    assert article_iri(bad_url).startswith("urn:sha256:")


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("https://example.org/a?b=1", True),
        ("HTTP://example.org", True),
        ("javascript:alert(1)", False),
        ("https://exa mple.org", False),
        ("//example.org", False),
        ("data:text/html,<b>", False),
        ("https://", False),
    ],
)
def test_is_web_url(value: str, ok: bool) -> None:
    assert is_web_url(value) is ok


def test_every_format_is_registered_and_exports_text() -> None:
    project = sample_project()
    assert set(EXPORT_FORMATS) == {
        "json",
        "webannotation",
        "claimreview",
        "csv",
        "html",
        "markdown",
    }
    for name, (exporter, suffix, description) in EXPORT_FORMATS.items():
        assert suffix.startswith(".") and description
        text = export_project(project, name)
        assert text == exporter(project) and text.strip()
    assert export_project(project, "json") == dumps_project(project)


def test_an_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(ExportError, match=r"unknown export format 'pdf'.*csv"):
        export_project(sample_project(), "pdf")


_NAME = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@given(st.lists(_NAME, min_size=1, max_size=4))
def test_stable_urn_is_uuid5_of_its_parts(parts: list[str]) -> None:
    assert stable_urn(*parts) == uuid.uuid5(ID_NAMESPACE, "\x1f".join(parts)).urn
    assert stable_urn(*parts) != stable_urn(*parts, "x")


_URL_PART = st.text(st.sampled_from("aZ09-._~/?#=&:%@[]!$'()*+,; é|^"), max_size=12)


@given(
    st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "https:/", ""]),
    st.text(st.sampled_from("ab-.09:@éA"), max_size=10),
    _URL_PART,
)
def test_plain_url_fast_path_agrees_with_the_general_one(scheme: str, host: str, rest: str) -> None:
    value = scheme + host + rest
    assert web_uri(value) == _general_web_uri(value)


@pytest.mark.parametrize(
    "value",
    [
        "https://example.org/evidence/12",
        "http://news.example.com:8080/2026/11/a-story_v2.html?id=4&page=2",
        "https://example.org",
    ],
)
def test_plain_urls_come_back_unchanged(value: str) -> None:
    assert web_uri(value) == value == _general_web_uri(value)


def test_exports_pause_the_garbage_collector_and_resume_it() -> None:
    seen: list[bool] = []

    @without_gc_pauses
    def export(fail: bool) -> str:
        seen.append(gc.isenabled())
        if fail:
            raise ExportError("broken")
        return "ok"

    assert gc.isenabled()
    assert export(False) == "ok"
    with pytest.raises(ExportError):
        export(True)
    assert seen == [False, False]
    assert gc.isenabled(), "resumed after a result and after an error"
    gc.disable()
    try:
        export(False)
        assert not gc.isenabled(), "a pause someone else made is left as it was"
    finally:
        gc.enable()
