"""Plain values shared by the whole core: articles, claims, matches, annotations.

Everything here is immutable. Offsets are Python ``str`` indices (code points) into
``Article.text``; ``article.text[claim.start:claim.end] == claim.text`` always holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .values import Value


def _sha256_function() -> Callable[[bytes], Any]:
    """CPython's own SHA-256 where it has one (the same digests): ``hashlib`` loads
    OpenSSL and makes every algorithm first, 0.011 G instructions of the app's start,
    before its first paint."""
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # (CPython 3.11)
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found]  # (CPython 3.12+)
        except ImportError:
            from hashlib import sha256
    return sha256  # type: ignore[no-any-return,unused-ignore]


_sha256 = _sha256_function()


#: Characters of context kept on each side of an anchored quote (as the W3C
#: TextQuoteSelector and the Hypothesis client do).
CONTEXT_CHARS = 32


def content_hash(text: str) -> str:
    """The SHA-256 of the UTF-8 text, hex: identifies one exact version of an article."""
    digest: str = _sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return digest


@dataclass(frozen=True, eq=False, repr=False)
class ArticleMetadata(Value):
    """What the source states about itself. ``None`` means not stated, never guessed."""

    author: str | None = None
    date: str | None = None
    url: str | None = None
    site_name: str | None = None
    description: str | None = None


@dataclass(frozen=True, eq=False, repr=False)
class Article(Value):
    """One version of one article's text.

    ``id`` is the slot the article fills in a comparison (``"a"`` or ``"b"``) or any
    short caller-chosen name; claim ids are built from it.
    """

    id: str
    title: str
    source: str
    text: str
    metadata: ArticleMetadata = field(default_factory=ArticleMetadata)
    hash: str = ""
    #: Problems the text was read despite, in plain words, e.g. invalid bytes that
    #: were replaced with U+FFFD (see ``textdecoding.DecodedText``). Only for telling
    #: the user when the article is loaded: not saved, not compared.
    load_warnings: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not self.hash:
            object.__setattr__(self, "hash", content_hash(self.text))


class ClaimKind(StrEnum):
    HEADLINE = "headline"
    BODY = "body"
    #: A short line without final punctuation inside the article (photo caption, subhead).
    CAPTION = "caption"
    #: Byline, source line, disclaimer: not a claim of the story itself.
    BOILERPLATE = "boilerplate"


@dataclass(frozen=True, eq=False, repr=False)
class Claim(Value):
    """One sentence of an article, with exact offsets into its text."""

    id: str
    article_id: str
    index: int
    start: int
    end: int
    text: str
    kind: ClaimKind = ClaimKind.BODY


def claim_id(article_id: str, index: int) -> str:
    return f"{article_id}:{index}"


@dataclass(frozen=True, eq=False, repr=False)
class Match(Value):
    """A scored candidate pair: ``a_id`` from the first list, ``b_id`` from the second.

    ``score`` is 0–100. ``components`` holds the named sub-scores that went into it
    (e.g. ``{"token_set_ratio": 81.0, "bm25": 64.2}``), for display and tuning.
    """

    a_id: str
    b_id: str
    score: float
    scorer: str
    components: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, eq=False, repr=False)
class MatchConfig(Value):
    """Settings of the cross-article matcher (saved with a project).

    ``scorer`` names the scoring method (see ``factcheck.matching.SCORERS``); scores
    are 0–100 and a pair is kept when ``score >= threshold``. With the default
    ``confidence`` scorer the score is the probability (%) that both claims state the
    same fact, and the defaults are the ones chosen on the article-pair benchmark.
    ``top_k`` bounds the candidates kept per claim on each side (many-to-many).
    ``duplicate_threshold`` flags near-duplicate claims inside one article.
    """

    scorer: str = "confidence"
    threshold: float = 20.0
    top_k: int = 3
    duplicate_threshold: float = 85.0


class Verdict(StrEnum):
    UNREVIEWED = "unreviewed"
    SUPPORTED = "supported"
    CONTESTED = "contested"
    OPINION = "opinion"


@dataclass(frozen=True, eq=False, repr=False)
class TextAnchor(Value):
    """Where a piece of an article is: position and quote with context.

    Re-anchoring tries the position first, then the quote with its context.
    """

    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""

    @classmethod
    def from_text(cls, text: str, start: int, end: int) -> TextAnchor:
        return cls(
            start=start,
            end=end,
            exact=text[start:end],
            prefix=text[max(0, start - CONTEXT_CHARS) : start],
            suffix=text[end : end + CONTEXT_CHARS],
        )


class AnchorStatus(StrEnum):
    """How an annotation or link end was placed on a (new version of an) article."""

    ANCHORED = "anchored"
    MOVED = "moved"
    FUZZY = "fuzzy"
    ORPHANED = "orphaned"


@dataclass(frozen=True, eq=False, repr=False)
class ChangedText(Value):
    """The text a verdict or link was made on, when an article update has since put it
    on text that differs ("changed since reviewed"). Kept until the reviewer
    re-confirms or changes the verdict; a second update keeps the first old quote.
    """

    old_quote: str
    #: How the update placed it: FUZZY (similar text), MOVED or ANCHORED (found, but
    #: the sentence around it changed).
    status: AnchorStatus = AnchorStatus.FUZZY
    #: When the update happened (ISO 8601 UTC).
    since: str = ""


@dataclass(frozen=True, eq=False, repr=False)
class Annotation(Value):
    """A reviewer's judgement of one claim. Times are ISO 8601 UTC strings."""

    claim_id: str
    article_id: str
    anchor: TextAnchor
    verdict: Verdict = Verdict.UNREVIEWED
    note: str = ""
    evidence: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    created: str = ""
    modified: str = ""
    #: Set while the claim's text differs from the text the verdict was given on.
    changed: ChangedText | None = None
    #: The reviewer's own ``claimReviewed`` text for ClaimReview ("" = cut of the claim).
    summary: str = ""

    @property
    def is_empty(self) -> bool:
        """True when the annotation carries nothing a reviewer entered."""
        return (
            self.verdict is Verdict.UNREVIEWED
            and not self.note
            and not self.evidence
            and not self.tags
            and not self.summary
        )


class LinkState(StrEnum):
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    #: Made by hand by the user (counts as confirmed).
    MANUAL = "manual"


@dataclass(frozen=True, eq=False, repr=False)
class Link(Value):
    """A relation between one claim of article A and one claim of article B."""

    a_claim_id: str
    b_claim_id: str
    state: LinkState
    a_anchor: TextAnchor
    b_anchor: TextAnchor
    score: float | None = None
    created: str = ""
    modified: str = ""
    #: Set while that end's claim differs from the text the link was made on.
    a_changed: ChangedText | None = None
    b_changed: ChangedText | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.a_claim_id, self.b_claim_id)

    @property
    def is_confirmed(self) -> bool:
        return self.state in (LinkState.CONFIRMED, LinkState.MANUAL)


@dataclass(frozen=True, eq=False, repr=False)
class Orphan(Value):
    """An annotation or link that could not be placed on the current article text.

    Kept in the project, shown to the user, re-attachable by hand; never dropped.
    Exactly one of ``annotation`` and ``link`` is set: the item as it was before the
    update; ``anchor`` is the end of it that could not be placed.
    """

    article_id: str
    anchor: TextAnchor
    annotation: Annotation | None = None
    link: Link | None = None
    reason: str = ""


class DifferenceKind(StrEnum):
    NUMBER = "number"
    DATE = "date"
    NAME = "name"
    NEGATION = "negation"


@dataclass(frozen=True, eq=False, repr=False)
class FactDifference(Value):
    """A difference that matters to a fact-checker inside a matched pair.

    ``a_text``/``b_text`` are what each side says (``None`` when that side says
    nothing of the kind); the spans are offsets into the two compared texts.
    """

    kind: DifferenceKind
    a_text: str | None
    b_text: str | None
    a_span: tuple[int, int] | None = None
    b_span: tuple[int, int] | None = None


@dataclass(frozen=True, eq=False, repr=False)
class ReviewerSettings(Value):
    """Who reviews: needed by ClaimReview export (``author`` and ``url``)."""

    name: str = ""
    url: str = ""


@dataclass(frozen=True, eq=False, repr=False)
class ProjectSettings(Value):
    match: MatchConfig = field(default_factory=MatchConfig)
    reviewer: ReviewerSettings = field(default_factory=ReviewerSettings)
    #: The two articles are two versions of one article, aligned in order (File ▸
    #: Compare versions) rather than matched claim by claim.
    versions: bool = False


@dataclass(frozen=True, eq=False, repr=False)
class Project(Value):
    """Everything a saved project holds. Claims and suggested matches are derived."""

    article_a: Article
    article_b: Article
    settings: ProjectSettings = field(default_factory=ProjectSettings)
    annotations: tuple[Annotation, ...] = ()
    #: User decisions only (confirmed, rejected, manual); suggestions come from matching.
    links: tuple[Link, ...] = ()
    orphans: tuple[Orphan, ...] = ()
    name: str = ""
    created: str = ""
    modified: str = ""

    @property
    def articles(self) -> tuple[Article, Article]:
        return (self.article_a, self.article_b)
