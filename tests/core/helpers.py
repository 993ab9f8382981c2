"""Small builders shared by core tests."""

from __future__ import annotations

from collections.abc import Sequence

from factcheck.models import Article, Claim, Match, MatchConfig, Project

TEXT_A = (
    "Putin’s rule is crumbling\n"
    "Xi visited Moscow last week. The ICC issued an arrest warrant for Putin.\n"
    "123 countries are parties to the Rome Statute."
)
TEXT_B = (
    "Xi visited Moscow and met Putin last week.\n"
    "The ICC called for the arrest of Putin.\n"
    "124 countries are parties to the Rome Statute."
)


def tiny_project(**kwargs: object) -> Project:
    return Project(
        article_a=Article(id="a", title="A", source="a.txt", text=TEXT_A),
        article_b=Article(id="b", title="B", source="b.txt", text=TEXT_B),
        **kwargs,  # type: ignore[arg-type]
    )


def index_matcher(a: Sequence[Claim], b: Sequence[Claim], config: MatchConfig) -> tuple[Match, ...]:
    """Pairs claims with the same index: predictable suggestions without the real matcher."""
    return tuple(
        Match(x.id, y.id, 80.0, "index") for x, y in zip(a, b, strict=False) if x.index > 0
    )


def claims(article: str, texts: Sequence[str]) -> list[Claim]:
    """Claims of ``article`` with the given texts, one per line."""
    out, start = [], 0
    for i, text in enumerate(texts):
        out.append(Claim(f"{article}:{i}", article, i, start, start + len(text), text))
        start += len(text) + 1
    return out
