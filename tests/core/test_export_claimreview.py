"""ClaimReview export: every field Google's fact-check guidelines require or recommend."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.export import EXPORT_FORMATS, ExportError
from factcheck.export.claimreview import (
    BEST,
    SUMMARY_LIMIT,
    WORST,
    claim_summary,
    claimreview_export,
)
from factcheck.export.common import VERDICT_WORDS
from factcheck.models import ProjectSettings, ReviewerSettings

from .test_export_common import sample_project


def _reviews() -> list[dict[str, Any]]:
    reviews: list[dict[str, Any]] = json.loads(claimreview_export(sample_project()).text)
    return reviews


def test_one_review_per_supported_or_contested_claim_and_opinions_are_counted() -> None:
    result = claimreview_export(sample_project())
    assert result.reviews == 3 and result.skipped_opinions == 1
    reviews = json.loads(result.text)
    assert [r["claimReviewed"] for r in reviews] == [
        "Xi visited Moscow last week.",
        "The ICC issued an arrest warrant for Putin.",
        "123 countries are parties to the Rome Statute.",
    ]
    assert [r["reviewRating"]["alternateName"] for r in reviews] == [
        "Supported",
        "Contested",
        "Supported",
    ]
    assert EXPORT_FORMATS["claimreview"][0](sample_project()) == result.text


def test_every_required_and_recommended_field_is_there() -> None:
    for review in _reviews():
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"] and len(review["claimReviewed"]) < SUMMARY_LIMIT
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        assert rating["alternateName"] in ("Supported", "Contested")
        assert rating["worstRating"] == WORST < rating["bestRating"] == BEST
        assert WORST <= rating["ratingValue"] <= BEST
        assert review["url"].startswith("https://checkdesk.example/#claim-")
        assert review["author"] == {
            "@type": "Organization",
            "name": "Check Desk",
            "url": "https://checkdesk.example/",
        }
        date.fromisoformat(review["datePublished"])
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"] == {"@type": "Person", "name": "Viktor Kaspruk"}
        assert item["datePublished"] == "2025-09-30"
        assert item["appearance"]["url"] == "https://example.org/news/putin.html"
        assert item["appearance"]["headline"] == "Putin’s rule is crumbling"
    urls = [r["url"] for r in _reviews()]
    assert len(set(urls)) == len(urls)


def test_the_rating_scale_puts_contested_at_the_bottom() -> None:
    ratings = {r["reviewRating"]["alternateName"]: r["reviewRating"] for r in _reviews()}
    assert ratings["Contested"]["ratingValue"] == 1
    assert ratings["Supported"]["ratingValue"] == 5


def test_unstated_article_facts_are_left_out_not_invented() -> None:
    project = sample_project()
    bare = replace(project.article_a, metadata=replace(project.article_a.metadata, url=None))
    bare = replace(bare, metadata=replace(bare.metadata, author=None, date="last Tuesday"))
    reviews = json.loads(claimreview_export(replace(project, article_a=bare)).text)
    item = reviews[0]["itemReviewed"]
    assert "author" not in item and "datePublished" not in item
    assert item["appearance"] == {
        "@type": "CreativeWork",
        "headline": "Putin’s rule is crumbling",
        "publisher": {"@type": "Organization", "name": "Example News"},
    }


@pytest.mark.parametrize(
    ("reviewer", "message"),
    [
        (ReviewerSettings("", "https://x.example/"), r"settings\.reviewer\.name is empty"),
        (ReviewerSettings("  ", "https://x.example/"), r"reviewer's name \(author\)"),
        (ReviewerSettings("Desk", ""), r"settings\.reviewer\.url is empty"),
        (ReviewerSettings("Desk", "javascript:alert(1)"), r"settings\.reviewer\.url: not an"),
        (ReviewerSettings("Desk", "http://user@/"), r"settings\.reviewer\.url: has no host"),
    ],
)
def test_a_missing_reviewer_is_a_clear_error(reviewer: ReviewerSettings, message: str) -> None:
    project = replace(sample_project(), settings=ProjectSettings(reviewer=reviewer))
    with pytest.raises(ExportError, match=message):
        claimreview_export(project)


def test_claim_reviewed_is_cut_at_a_word_boundary_without_verdict_words() -> None:
    text = (
        "It is true that the minister said on Tuesday that the false rumours about the "
        "budget were misleading and wrong."
    )
    summary = claim_summary(text)
    assert len(summary) < SUMMARY_LIMIT and summary.endswith("…")
    words = summary.rstrip("…").split()
    assert all(w.lower().strip(".,") not in VERDICT_WORDS for w in words)
    assert text.replace("true ", "").replace("false ", "").startswith(summary.rstrip("…"))
    # The cut fell between two words, not inside one.
    assert text.replace("true ", "").replace("false ", "")[len(summary) - 1] == " "


def test_short_claims_are_kept_whole() -> None:
    assert claim_summary("Xi visited Moscow.") == "Xi visited Moscow."
    assert claim_summary("“True!” he said, half-true.") == "he said,"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_summary_is_always_short_and_free_of_verdict_words(text: str) -> None:
    summary = claim_summary(text)
    assert len(summary) < SUMMARY_LIMIT
    for word in summary.replace("…", " ").split():
        assert word.lower() not in VERDICT_WORDS
