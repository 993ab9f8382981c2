"""The claim library in and out: ClaimReview JSON-LD (ours and publishers'), CSV, and
the ``factcheck library`` commands, on both back ends."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from factcheck.cli import main
from factcheck.export import export_claimreview
from factcheck.export.common import ExportError
from factcheck.library import LibraryEntry, open_library
from factcheck.library.exchange import claimreview_text, csv_text, parse_claimreview, verdict_of
from factcheck.library.projects import reviewed_entries
from factcheck.models import ArticleMetadata, ReviewerSettings, Verdict
from factcheck.projectfile import save_project
from factcheck.store import ProjectStore
from tests.core.helpers import tiny_project

PUBLISHER = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "Organization", "name": "Example Checks"},
        {
            "@type": "ClaimReview",
            "url": "https://checks.example/2026/putin-1999",
            "claimReviewed": "Putin has been in power since 1999",
            "author": {"@type": "Organization", "name": "Example Checks"},
            "datePublished": "2026-10-05",
            "reviewBody": "Prime minister from 1999, president from 2000.",
            "itemReviewed": {
                "@type": "Claim",
                "author": {"@type": "Person", "name": "A Senator"},
                "appearance": [
                    {
                        "@type": "CreativeWork",
                        "url": "https://news.example/speech",
                        "headline": "The speech",
                    }
                ],
            },
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": 2,
                "bestRating": 6,
                "worstRating": 1,
                "alternateName": "Mostly False",
            },
        },
    ],
}


def _reviewed_project_store() -> ProjectStore:
    project = tiny_project(name="ICC")
    article = replace(
        project.article_a,
        metadata=ArticleMetadata(url="https://news.example/icc", site_name="Example News"),
    )
    settings = replace(
        project.settings, reviewer=ReviewerSettings("Check Desk", "https://cd.example/")
    )
    store = ProjectStore(replace(project, article_a=article, settings=settings))
    store.set_verdict("a:2", Verdict.CONTESTED)
    store.set_note("a:2", "The ICC issued it in March 2023.")
    store.set_verdict("b:2", Verdict.SUPPORTED)
    return store


def test_a_publishers_markup_keeps_its_rating_text() -> None:
    (entry,) = parse_claimreview(json.dumps(PUBLISHER), "checks.jsonld")
    assert (entry.text, entry.rating, entry.verdict) == (
        "Putin has been in power since 1999",
        "Mostly False",
        Verdict.CONTESTED,
    )
    assert (entry.reviewer, entry.review_date, entry.note) == (
        "Example Checks",
        "2026-10-05",
        "Prime minister from 1999, president from 2000.",
    )
    assert (entry.source_url, entry.source_title, entry.source_outlet) == (
        "https://news.example/speech",
        "The speech",
        "A Senator",
    )
    assert entry.evidence == ("https://checks.example/2026/putin-1999",)


@pytest.mark.parametrize(
    ("rating", "verdict"),
    [
        ({"alternateName": "Pants on Fire"}, Verdict.CONTESTED),
        ({"alternateName": "True"}, Verdict.SUPPORTED),
        ({"alternateName": "Half True", "ratingValue": 3, "bestRating": 5}, Verdict.UNREVIEWED),
        ({"ratingValue": 5, "bestRating": 5, "worstRating": 1}, Verdict.SUPPORTED),
        ({"ratingValue": "1", "bestRating": "5"}, Verdict.CONTESTED),
        ({}, Verdict.UNREVIEWED),
    ],
)
def test_ratings_map_to_verdicts(rating: dict[str, object], verdict: Verdict) -> None:
    assert verdict_of(rating) is verdict


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{not json", "not JSON"),
        ('{"@type": "Article"}', "holds no ClaimReview"),
        ('[{"@type": "ClaimReview", "claimReviewed": 3}]', "ClaimReview 1 has no claimReviewed"),
    ],
)
def test_malformed_claimreview_is_a_clear_error(text: str, problem: str) -> None:
    with pytest.raises(ExportError, match=f"bad.jsonld: {problem}"):
        parse_claimreview(text, "bad.jsonld")


def test_our_own_export_imports_and_round_trips(library_url: str) -> None:
    store = _reviewed_project_store()
    ours = parse_claimreview(export_claimreview(store.project()), "ours.jsonld")
    assert {(e.rating, e.verdict) for e in ours} == {
        ("Contested", Verdict.CONTESTED),
        ("Supported", Verdict.SUPPORTED),
    }
    with open_library(library_url) as library:
        library.add(ours)
        assert library.add(ours).updated == 2  # importing twice duplicates nothing
        text, written, skipped = claimreview_text(library.entries())
    again = parse_claimreview(text, "library.jsonld")
    assert (written, skipped) == (2, 0)
    assert sorted((e.text, e.verdict, e.source_url) for e in again) == sorted(
        (e.text, e.verdict, e.source_url) for e in ours
    )


def test_reviewed_claims_of_a_project_become_entries() -> None:
    entries = reviewed_entries(_reviewed_project_store().project(), added_by="ana")
    assert [(e.text, e.verdict) for e in entries] == [
        ("The ICC issued an arrest warrant for Putin.", Verdict.CONTESTED),
        ("124 countries are parties to the Rome Statute.", Verdict.SUPPORTED),
    ]
    first = entries[0]
    assert (first.source_url, first.source_outlet, first.reviewer, first.project) == (
        "https://news.example/icc",
        "Example News",
        "Check Desk",
        "ICC",
    )
    assert first.note == "The ICC issued it in March 2023." and first.added_by == "ana"


def test_exported_claimreview_is_safe_inside_a_script_element() -> None:
    entry = LibraryEntry(text="</script><b>x & y</b>", verdict=Verdict.CONTESTED)
    text, written, _ = claimreview_text([entry])
    assert written == 1 and "<" not in text and "&" not in text
    assert parse_claimreview(text, "out.jsonld")[0].text == entry.text


def test_csv_neutralises_formulas() -> None:
    entry = LibraryEntry(text='=HYPERLINK("http://evil")', note="+1", tags=("a", "b"))
    text, rows = csv_text([entry])
    assert text.startswith("\ufeff") and rows == 1
    (row,) = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert row["text"].startswith("'=") and row["note"] == "'+1" and row["tags"] == "a\nb"


def test_the_library_commands(
    library_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "icc.factcheck.json"
    save_project(_reviewed_project_store().project(), project)
    publisher = tmp_path / "publisher.jsonld"
    publisher.write_text(json.dumps(PUBLISHER), encoding="utf-8")
    lib = ["--library", library_url]
    assert main(["library", "add", str(project), *lib, "--by", "ana"]) == 0
    assert "2 claims added, 0 updated" in capsys.readouterr().out
    assert main(["library", "add", str(project), *lib]) == 0
    assert "0 claims added, 2 updated" in capsys.readouterr().out
    assert main(["library", "import", str(publisher), *lib]) == 0
    assert "1 claim reviews added" in capsys.readouterr().out

    assert main(["library", "search", "Putin has held power since 1999", *lib]) == 0
    out = capsys.readouterr().out
    assert "Mostly False · 2026-10-05 · Example Checks" in out
    assert "source: The speech — A Senator https://news.example/speech" in out
    assert (
        main(["library", "search", "The ICC issued an arrest warrant for Putin", *lib, "--json"])
        == 0
    )
    (found,) = json.loads(capsys.readouterr().out)
    assert found["verdict"] == "contested" and found["added_by"] == "ana" and found["score"] > 90

    out_csv = tmp_path / "library.csv"
    assert main(["library", "export", "--format", "csv", "-o", str(out_csv), *lib]) == 0
    assert "3 entries written" in capsys.readouterr().err
    assert len(list(csv.reader(io.StringIO(out_csv.read_text(encoding="utf-8-sig"))))) == 4


def test_compare_lists_claims_checked_before(
    library_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from factcheck.claimref import claim_label
    from factcheck.seeds import seed_pair
    from factcheck.segmentation import segment_claims

    claim = segment_claims(seed_pair()[0])[3]
    with open_library(library_url) as library:
        library.add([LibraryEntry(text=claim.text, verdict=Verdict.SUPPORTED, reviewer="Bo")])
    assert main(["compare", "--library", library_url]) == 0
    out = capsys.readouterr().out
    assert "claims have prior checks in the library" in out
    assert f"  {claim_label(claim.id)}: “" in out and "supported · " in out
    assert main(["compare", "--library", library_url, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["library"]
    # The claim itself is found, surest of all (the confidence may list a weaker one).
    assert listed[claim.id][0]["reviewer"] == "Bo"
    assert listed[claim.id][0]["score"] == max(c[0]["score"] for c in listed.values())


def test_a_malformed_import_changes_nothing(
    library_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonld"
    bad.write_text('[{"@type": "ClaimReview", "claimReviewed": "ok"}, {"@type": "ClaimReview"}]')
    assert main(["library", "import", str(bad), "--library", library_url]) == 1
    assert "bad.jsonld: ClaimReview 2 has no claimReviewed text" in capsys.readouterr().err
    with open_library(library_url) as library:
        assert library.count() == 0


def test_an_unusable_library_is_one_line_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"garbage" * 1000)
    assert main(["library", "info", "--library", f"sqlite:///{corrupt}"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"factcheck: {corrupt}: not a usable factcheck library")
    assert err.count("\n") == 1


def test_the_default_library_is_the_configured_one(
    private_library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["library", "info"]) == 0
    assert capsys.readouterr().out == f"{private_library}: 0 entries, 0 with an embedding\n"
