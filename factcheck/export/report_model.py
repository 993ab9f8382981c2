"""What a report shows, independent of HTML or Markdown.

A reader of a fact-check report needs the two sources, the verdict counts, and every
claim the reviewer said something about — its verdict, note, tags, evidence and the
claims it is linked to across the articles, with a word diff. Claims nobody reviewed
are only counted (listing hundreds of unreviewed sentences would bury the findings);
links between two unreviewed claims are listed once at the end so none is lost, and
so are the orphans: notes and links whose sentence an update of an article removed.
Claims "changed since reviewed" (an update put a verdict or link on text that differs
from the text it was made on) are listed in a section of their own, old → new.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Annotation, Article, Claim, Link, LinkState, Orphan, Project, Verdict
from ..textutil import source_name
from ..worddiff import WordDiff, word_diff
from .changes import ChangedClaim, changed_claims
from .common import exported_orphans, index_project

VERDICT_LABELS = {
    Verdict.SUPPORTED: "Supported",
    Verdict.CONTESTED: "Contested",
    Verdict.OPINION: "Opinion",
    Verdict.UNREVIEWED: "Unreviewed",
}
#: Display order: findings first.
VERDICT_ORDER = (Verdict.SUPPORTED, Verdict.CONTESTED, Verdict.OPINION, Verdict.UNREVIEWED)


@dataclass(frozen=True)
class LinkedClaim:
    """The other end of a link, and the diff from the article-A claim to the B claim."""

    claim: Claim
    link: Link
    diff: WordDiff

    @property
    def description(self) -> str:
        state = link_state_label(self.link)
        if self.link.score is None:
            return state
        return f"{state}, match score {self.link.score:.1f}"


@dataclass(frozen=True)
class ClaimEntry:
    claim: Claim
    annotation: Annotation
    linked: tuple[LinkedClaim, ...]
    #: An update put the verdict or a link on this claim while its text changed.
    changed: bool = False


@dataclass(frozen=True)
class LinkEntry:
    """A link between two claims neither of which is annotated."""

    a_claim: Claim
    b_claim: Claim
    linked: LinkedClaim


@dataclass(frozen=True)
class ArticleSection:
    article: Article
    label: str
    claim_count: int
    entries: tuple[ClaimEntry, ...]

    @property
    def unreviewed(self) -> int:
        return self.claim_count - len(self.entries)


@dataclass(frozen=True)
class ReportData:
    project: Project
    title: str
    sections: tuple[ArticleSection, ArticleSection]
    #: Verdict counts per article id, and over both under ``"total"``.
    counts: dict[str, dict[Verdict, int]]
    other_links: tuple[LinkEntry, ...]
    #: Notes and links that could not be placed on the articles' current text.
    orphans: tuple[Orphan, ...] = ()
    #: Verdicts and links an update put on text that differs from the text reviewed.
    changed: tuple[ChangedClaim, ...] = ()


def article_label(article_id: str) -> str:
    return f"Article {article_id.upper()}"


def source_rows(article: Article) -> tuple[tuple[str, str], ...]:
    """The (label, value) rows that describe an article's source, empty values left
    out (both report formats list them, then the text's SHA-256)."""
    m = article.metadata
    rows = (
        ("Source", source_name(article.source)),
        ("URL", m.url),
        ("Author", m.author),
        ("Date", m.date),
        ("Site", m.site_name),
        ("Description", m.description),
    )
    return tuple((label, value) for label, value in rows if value)


def link_state_label(link: Link) -> str:
    return "manual link" if link.state is LinkState.MANUAL else "confirmed link"


def build_report(project: Project) -> ReportData:
    index = index_project(project)
    changed = changed_claims(index)
    changed_ids = {item.claim.id for item in changed}
    diffs: dict[tuple[str, str], WordDiff] = {}

    def diff(link: Link) -> WordDiff:
        if link.key not in diffs:
            a, b = index.claim_by_id[link.a_claim_id], index.claim_by_id[link.b_claim_id]
            diffs[link.key] = word_diff(a.text, b.text)
        return diffs[link.key]

    def linked(claim_id: str) -> tuple[LinkedClaim, ...]:
        return tuple(
            LinkedClaim(index.other_end(link, claim_id), link, diff(link))
            for link in index.links_of.get(claim_id, ())
        )

    sections = tuple(
        ArticleSection(
            article=article,
            label=article_label(article.id),
            claim_count=len(index.claims[article.id]),
            entries=tuple(
                ClaimEntry(c, index.annotations[c.id], linked(c.id), c.id in changed_ids)
                for c in index.claims[article.id]
                if c.id in index.annotations
            ),
        )
        for article in project.articles
    )
    other_links = tuple(
        LinkEntry(
            index.claim_by_id[link.a_claim_id],
            index.claim_by_id[link.b_claim_id],
            LinkedClaim(index.claim_by_id[link.b_claim_id], link, diff(link)),
        )
        for link in index.links
        if link.a_claim_id not in index.annotations and link.b_claim_id not in index.annotations
    )
    counts = {a.id: index.verdict_counts(a.id) for a in project.articles}
    counts["total"] = index.verdict_counts()
    a, b = project.articles
    return ReportData(
        project=project,
        title=project.name or f"{a.title or 'Article A'} / {b.title or 'Article B'}",
        sections=(sections[0], sections[1]),
        counts=counts,
        other_links=other_links,
        orphans=exported_orphans(index.project),
        changed=changed,
    )
