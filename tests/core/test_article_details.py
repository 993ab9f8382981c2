"""Article details (issue 14, point 4): kept across an update, set by
``factcheck set-article`` and used by ClaimReview; the reviewer's own claimReviewed."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from factcheck.article_details import ArticleDetails, with_details
from factcheck.cli import main
from factcheck.export.claimreview import claim_reviews
from factcheck.models import Article, ArticleMetadata
from factcheck.projectfile import load_project, save_project
from factcheck.update import update_article

from .test_export_common import sample_project

DETAILS = ArticleDetails(
    title="Xi and Putin, the long view",
    url="https://news.example/xi-putin",
    date="2025-08-01",
    author="Ann Writer",
    outlet="News Example",
)


def test_with_details_sets_and_clears_and_checks_each_value() -> None:
    article = sample_project().article_b
    detailed = with_details(article, DETAILS)
    assert detailed.title == DETAILS.title and detailed.text == article.text
    assert detailed.metadata.url == DETAILS.url and detailed.metadata.site_name == "News Example"
    assert ArticleDetails.of(detailed) == DETAILS
    cleared = with_details(detailed, ArticleDetails(author="", outlet=None))
    assert cleared.metadata.author is None  # "" clears
    assert cleared.metadata.site_name == "News Example"  # None leaves it
    for bad, field in (
        (ArticleDetails(url="ftp://x"), "url: not an http(s) address"),
        (ArticleDetails(date="1 Aug 2025"), "date: not a date as YYYY-MM-DD"),
        (ArticleDetails(date="2025-13-01"), "date: not a date"),
        (ArticleDetails(author="a\nb"), "author: holds a line break"),
        (ArticleDetails(title="x" * 2001), "title: too long"),
    ):
        with pytest.raises(ValueError) as error:
            with_details(article, bad)
        assert str(error.value).startswith(field)
    assert with_details(article, ArticleDetails(date="2025-08-01T09:30Z")).metadata.date


def test_an_update_keeps_title_and_metadata() -> None:
    project = sample_project()
    project = replace(project, article_b=with_details(project.article_b, DETAILS))
    # The new version read from a file has a file-name title and states nothing.
    new_b = Article("b", "b-v2", "/home/me/b-v2.txt", project.article_b.text + "\nMore.")
    updated = update_article(project, "b", new_b).project.article_b
    assert updated.title == DETAILS.title
    assert ArticleDetails.of(updated) == DETAILS
    assert updated.source == "/home/me/b-v2.txt" and updated.text.endswith("More.")
    # What the old version left unstated, the new one may fill.
    new_a = replace(
        project.article_a,
        text=project.article_a.text + "\nMore.",
        hash="",
        metadata=ArticleMetadata(description="A column."),
    )
    kept = update_article(project, "a", new_a).project
    assert kept.article_a.metadata.author == "Viktor Kaspruk"
    assert kept.article_a.metadata.description == "A column."


def test_claimreview_fills_first_appearance_when_both_dates_are_known() -> None:
    project = sample_project()
    reviews, _ = claim_reviews(project)
    assert all("firstAppearance" not in r["itemReviewed"] for r in reviews)  # B has no date
    # B published earlier than A (2025-09-30): linked claims of A first appeared in B.
    project = replace(project, article_b=with_details(project.article_b, DETAILS))
    reviews, _ = claim_reviews(project)
    by_url = {r["url"].rsplit("#", 1)[1]: r for r in reviews}
    first = by_url["claim-A3"]["itemReviewed"]["firstAppearance"]  # A3 ↔ B2 confirmed
    assert first["url"] == DETAILS.url and first["datePublished"] == "2025-08-01"
    assert first["headline"] == DETAILS.title
    assert "firstAppearance" not in by_url["claim-A2"]["itemReviewed"]  # not linked


def test_claimreview_uses_the_reviewers_own_summary() -> None:
    project = sample_project()
    annotations = tuple(
        replace(a, summary="Xi visited Moscow") if a.claim_id == "a:1" else a
        for a in project.annotations
    )
    reviews, _ = claim_reviews(replace(project, annotations=annotations))
    by_url = {r["url"].rsplit("#", 1)[1]: r for r in reviews}
    assert by_url["claim-A2"]["claimReviewed"] == "Xi visited Moscow"


def test_set_article_and_set_summary_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.factcheck.json"
    save_project(sample_project(), path)
    args = ["set-article", str(path), "--b", "--url", DETAILS.url or "", "--date", "2025-08-01"]
    assert main([*args, "--outlet", "News Example", "--title", "Xi"]) == 0
    out = capsys.readouterr().out
    assert "article B" in out and "url: https://news.example/xi-putin" in out
    assert str(tmp_path) not in out  # the file name only
    b = load_project(path).article_b
    assert (b.title, b.metadata.date, b.metadata.site_name) == ("Xi", "2025-08-01", "News Example")

    before = path.read_bytes()
    assert main(["set-article", str(path), "--a", "--date", "yesterday"]) == 1
    assert "--date: not a date as YYYY-MM-DD: 'yesterday'" in capsys.readouterr().err
    assert path.read_bytes() == before
    with pytest.raises(SystemExit):
        main(["set-article", str(path), "--a"])  # nothing to set: a usage error

    assert main(["set-summary", str(path), "A2", "Xi  visited\nMoscow"]) == 0
    assert "A2: claimReviewed = “Xi visited Moscow”" in capsys.readouterr().out
    assert next(a for a in load_project(path).annotations if a.claim_id == "a:1").summary == (
        "Xi visited Moscow"
    )
    assert main(["set-summary", str(path), "a:1", ""]) == 0
    assert "cut of the claim's sentence again" in capsys.readouterr().out
    assert main(["set-summary", str(path), "B99", "x"]) == 1
    assert "has no claim B99" in capsys.readouterr().err
    assert main(["set-summary", str(path), "7", "x"]) == 1
    assert "give A18" in capsys.readouterr().err

    assert (
        main(["export", str(path), "--format", "claimreview", "-o", str(tmp_path / "r.jsonld")])
        == 0
    )
    reviews = json.loads((tmp_path / "r.jsonld").read_text("utf-8"))
    assert any("firstAppearance" in r["itemReviewed"] for r in reviews)
