"""At most 100,000 claims per article, refused as soon as there are more: in
segmentation, and before anything is built for a text or a page that must have more.
Time bounds are generous hang guards (the figures: benchmarks/project_limits.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from factcheck.cli import main
from factcheck.errors import ArticleLoadError
from factcheck.loading import article_from_text, load_article
from factcheck.models import Article
from factcheck.segmentation import MAX_CLAIMS, TooManyClaimsError, segment_claims

HANG_GUARD_S = 120


def test_the_limit_is_100000() -> None:
    assert MAX_CLAIMS == 100_000


@pytest.mark.parametrize("per_line", [1, 50])
def test_segmentation_stops_at_the_first_claim_past_the_limit(per_line: int) -> None:
    line = " ".join(["Go now."] * per_line)
    lines = MAX_CLAIMS // per_line
    at_limit = Article(id="a", title="t", source="at.txt", text="\n".join([line] * lines))
    assert len(segment_claims(at_limit)) == MAX_CLAIMS
    over = Article(id="a", title="t", source="over.txt", text=at_limit.text + "\nOne more.")
    with pytest.raises(TooManyClaimsError) as caught:
        segment_claims(over)
    assert str(caught.value) == (
        "over.txt: too many claims for one article (more than 100,000 sentences; "
        "see the input limits)"
    )


def test_a_text_with_more_lines_than_claims_allowed_is_refused_on_reading(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lines.txt"
    path.write_text("\n\n".join(f"Line {i}" for i in range(MAX_CLAIMS + 1)), "utf-8")
    with pytest.raises(TooManyClaimsError, match=r"lines.txt: too many claims"):
        load_article(path, article_id="a")
    text = "\n".join(["x"] * MAX_CLAIMS + [" "] * 10)  # blank lines are no claims
    assert article_from_text(text, article_id="a").text == text


def test_a_page_with_too_many_paragraphs_is_refused_before_extraction(tmp_path: Path) -> None:
    for name, body in (
        ("closed.html", "".join(f"<p>Para {i} says a thing.</p>\n" for i in range(MAX_CLAIMS + 1))),
        ("unclosed.html", "<p>x " * (MAX_CLAIMS + 1)),
    ):
        path = tmp_path / name
        path.write_text(f"<html><body>{body}</body></html>", "utf-8")
        started = time.monotonic()
        with pytest.raises(ArticleLoadError) as caught:
            load_article(path, article_id="a")
        assert time.monotonic() - started < HANG_GUARD_S  # took 83 s and more, at 2.2 GB
        assert str(caught.value) == (
            f"{path}: too many paragraphs for one article (more than 100,000; each is at "
            "least one claim: see the input limits)"
        )


def test_new_refuses_an_article_of_millions_of_short_sentences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    many = tmp_path / "many.txt"
    line = " ".join(["It rains."] * 100)
    many.write_text("\n".join([line] * 3_000), "utf-8")  # 300,000 sentences, 3 MB
    other = tmp_path / "other.txt"
    other.write_text("One claim here.", "utf-8")
    out = tmp_path / "p.factcheck.json"
    started = time.monotonic()
    assert main(["new", str(many), str(other), "-o", str(out)]) == 1
    assert time.monotonic() - started < HANG_GUARD_S
    assert "many.txt: too many claims for one article (more than 100,000" in (
        capsys.readouterr().err
    )
    assert not out.exists()
