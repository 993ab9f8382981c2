"""The one mutable object of the core: a project's annotations, links and matches.

Every change returns the previous value (so a GUI can undo it) and notifies the
listeners with a :class:`StoreChange`. The store knows nothing of Qt; the GUI adapts
it with item models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, TypeVar, cast

from .claimref import claim_label
from .gcpause import without_gc_pauses
from .models import (
    Annotation,
    Article,
    ChangedText,
    Claim,
    Link,
    LinkState,
    Match,
    MatchConfig,
    Orphan,
    Project,
    ProjectSettings,
    TextAnchor,
    Verdict,
)
from .placement import place_items
from .segmentation import segment_claims
from .timeutil import utc_now
from .values import Value


class ChangeKind(StrEnum):
    ANNOTATION = "annotation"
    LINK = "link"
    MATCHES = "matches"
    SETTINGS = "settings"
    ARTICLE = "article"
    ORPHANS = "orphans"
    #: An article's title or metadata (its text and claims are the same).
    DETAILS = "details"


@dataclass(frozen=True, eq=False, repr=False)
class StoreChange(Value):
    """What changed: ``ids`` are claim ids (annotation), ``a:i|b:j`` pairs (link) or empty."""

    kind: ChangeKind
    ids: tuple[str, ...] = ()


_T = TypeVar("_T")
Listener = Callable[[StoreChange], None]
Matcher = Callable[[Sequence[Claim], Sequence[Claim], MatchConfig], tuple[Match, ...]]


def _default_matcher(
    a: Sequence[Claim], b: Sequence[Claim], config: MatchConfig
) -> tuple[Match, ...]:
    from .matching import match_claims

    return match_claims(a, b, config)


class ProjectStore:
    """Owns a project's mutable state; see the module docstring."""

    @without_gc_pauses
    def __init__(
        self,
        project: Project,
        *,
        matches: tuple[Match, ...] | None = None,
        matcher: Matcher = _default_matcher,
        clock: Callable[[], str] = utc_now,
    ) -> None:
        if (project.article_a.id, project.article_b.id) != ("a", "b"):
            raise ValueError("a project's articles have the ids 'a' and 'b'")
        self._clock = clock
        self._matcher = matcher
        self._listeners: list[Listener] = []
        self._name = project.name
        self._created = project.created or clock()
        self._modified = project.modified or self._created
        self._settings = project.settings
        self._articles: dict[str, Article] = {}
        self._claims: dict[str, tuple[Claim, ...]] = {}
        self._claim_by_id: dict[str, Claim] = {}
        for article in project.articles:
            self._set_article(article)
        placed = place_items(project, self._claims)
        self._annotations: dict[str, Annotation] = placed.annotations
        self._links: dict[tuple[str, str], Link] = placed.links
        self._orphans = placed.orphans  # with any item that fits no claim
        if matches is None:
            matches = matcher(self.claims("a"), self.claims("b"), self._settings.match)
        self._matches = matches

    # -- reading -----------------------------------------------------------------

    def project(self) -> Project:
        """An immutable snapshot of the current state (what gets saved)."""
        a, b = self._articles["a"], self._articles["b"]
        return Project(
            article_a=a,
            article_b=b,
            settings=self._settings,
            annotations=tuple(
                self._annotations[c.id] for c in self.all_claims() if c.id in self._annotations
            ),
            links=tuple(sorted(self._links.values(), key=lambda link: _link_order(self, link))),
            orphans=self._orphans,
            name=self._name,
            created=self._created,
            modified=self._modified,
        )

    @property
    def settings(self) -> ProjectSettings:
        return self._settings

    @property
    def matches(self) -> tuple[Match, ...]:
        return self._matches

    @property
    def orphans(self) -> tuple[Orphan, ...]:
        return self._orphans

    def article(self, article_id: str) -> Article:
        return self._articles[article_id]

    def claims(self, article_id: str) -> tuple[Claim, ...]:
        return self._claims[article_id]

    def all_claims(self) -> tuple[Claim, ...]:
        return self._claims["a"] + self._claims["b"]

    def claim(self, claim_id: str) -> Claim:
        try:
            return self._claim_by_id[claim_id]
        except KeyError:
            raise KeyError(f"no claim {claim_id!r} in this project") from None

    def annotation(self, claim_id: str) -> Annotation:
        """The claim's annotation; an unreviewed blank one when the user made none."""
        found = self._annotations.get(claim_id)
        if found is not None:
            return found
        claim = self.claim(claim_id)
        text = self._articles[claim.article_id].text
        return Annotation(
            claim_id=claim_id,
            article_id=claim.article_id,
            anchor=TextAnchor.from_text(text, claim.start, claim.end),
        )

    def verdict(self, claim_id: str) -> Verdict:
        """The claim's verdict, without building a blank annotation for an unreviewed
        claim (the views ask for every visible claim on every repaint)."""
        found = self._annotations.get(claim_id)
        return Verdict.UNREVIEWED if found is None else found.verdict

    def annotations(self) -> tuple[Annotation, ...]:
        return self.project().annotations

    def verdict_counts(self) -> dict[Verdict, int]:
        counts = dict.fromkeys(Verdict, 0)
        for claim in self.all_claims():
            counts[self.verdict(claim.id)] += 1
        return counts

    def links(self) -> tuple[Link, ...]:
        return self.project().links

    def changed_claims(self) -> tuple[str, ...]:
        """Claims "changed since reviewed", in text order (A, then B): their verdict or a
        link end was placed by an article update on text that differs from the old."""
        ids = {cid for cid, a in self._annotations.items() if a.changed is not None}
        for link in self._links.values():
            if link.a_changed is not None:
                ids.add(link.a_claim_id)
            if link.b_changed is not None:
                ids.add(link.b_claim_id)
        claims = sorted((self._claim_by_id[cid] for cid in ids), key=_text_order)
        return tuple(c.id for c in claims)

    def changed_of(self, claim_id: str) -> ChangedText | None:
        """What the claim's text was when reviewed (its annotation's, else a link end's),
        or None when it has not changed since."""
        found = self._annotations.get(claim_id)
        if found is not None and found.changed is not None:
            return found.changed
        for link in self._links.values():
            if link.a_claim_id == claim_id and link.a_changed is not None:
                return link.a_changed
            if link.b_claim_id == claim_id and link.b_changed is not None:
                return link.b_changed
        return None

    def link(self, a_claim_id: str, b_claim_id: str) -> Link | None:
        return self._links.get((a_claim_id, b_claim_id))

    def link_state(self, a_claim_id: str, b_claim_id: str) -> LinkState | None:
        """The user's decision on a pair, else SUGGESTED if the matcher proposes it."""
        link = self._links.get((a_claim_id, b_claim_id))
        if link is not None:
            return link.state
        if any(m.a_id == a_claim_id and m.b_id == b_claim_id for m in self._matches):
            return LinkState.SUGGESTED
        return None

    def matches_of(self, claim_id: str) -> tuple[Match, ...]:
        """Candidate matches involving ``claim_id``, best first."""
        found = [m for m in self._matches if claim_id in (m.a_id, m.b_id)]
        return tuple(sorted(found, key=lambda m: -m.score))

    # -- changing ----------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` after every change; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def set_annotation(self, claim_id: str, annotation: Annotation | None) -> Annotation | None:
        """Replace the claim's annotation (``None`` or an empty one clears it)."""
        self.claim(claim_id)
        previous = self._annotations.get(claim_id)
        if annotation is None or annotation.is_empty:
            self._annotations.pop(claim_id, None)
        else:
            self._annotations[claim_id] = annotation
        self._touch(StoreChange(ChangeKind.ANNOTATION, (claim_id,)))
        return previous

    def set_verdict(self, claim_id: str, verdict: Verdict) -> Verdict:
        return self._edit(claim_id, "verdict", Verdict(verdict))

    def set_note(self, claim_id: str, note: str) -> str:
        return self._edit(claim_id, "note", note)

    def set_evidence(self, claim_id: str, urls: Iterable[str]) -> tuple[str, ...]:
        return self._edit(claim_id, "evidence", tuple(u.strip() for u in urls if u.strip()))

    def set_tags(self, claim_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        return self._edit(claim_id, "tags", tuple(t.strip() for t in tags if t.strip()))

    def set_summary(self, claim_id: str, summary: str) -> str:
        """The reviewer's ``claimReviewed`` text for ClaimReview ("" = the default cut)."""
        return self._edit(claim_id, "summary", " ".join(summary.split()))

    def reconfirm(self, claim_id: str) -> tuple[Annotation | None, tuple[Link, ...]]:
        """The reviewer has checked the claim's new text: clear its "changed since
        reviewed" state (annotation and link ends). Returns the annotation and links as
        they were (for undo: ``set_annotation`` and ``put_link`` put them back)."""
        before = self._annotations.get(claim_id)
        touched = tuple(
            link
            for link in self._links.values()
            if (link.a_claim_id == claim_id and link.a_changed is not None)
            or (link.b_claim_id == claim_id and link.b_changed is not None)
        )
        if before is not None and before.changed is not None:
            self.set_annotation(claim_id, replace(before, changed=None, modified=self._clock()))
        for link in touched:
            self.put_link(
                link.key,
                replace(
                    link,
                    a_changed=None if link.a_claim_id == claim_id else link.a_changed,
                    b_changed=None if link.b_claim_id == claim_id else link.b_changed,
                ),
            )
        return before, touched

    def set_link(
        self, a_claim_id: str, b_claim_id: str, state: LinkState | None, score: float | None = None
    ) -> LinkState | None:
        """Record the user's decision on a pair (``None`` forgets it); returns the old one."""
        a, b = self.claim(a_claim_id), self.claim(b_claim_id)
        if a.article_id != "a" or b.article_id != "b":
            raise ValueError(
                f"a link joins a claim of article A to one of article B, "
                f"not {claim_label(a.id)}–{claim_label(b.id)}"
            )
        key = (a.id, b.id)
        previous = self._links.get(key)
        if state is None or state is LinkState.SUGGESTED:
            self._links.pop(key, None)
        else:
            if score is None:
                score = next((m.score for m in self._matches if (m.a_id, m.b_id) == key), None)
            now = self._clock()
            self._links[key] = Link(
                a_claim_id=a.id,
                b_claim_id=b.id,
                state=state,
                a_anchor=self._anchor(a),
                b_anchor=self._anchor(b),
                score=score if previous is None or score is not None else previous.score,
                created=previous.created if previous else now,
                modified=now,
            )
        self._touch(StoreChange(ChangeKind.LINK, (f"{a.id}|{b.id}",)))
        return previous.state if previous else None

    def put_link(self, key: tuple[str, str], link: Link | None) -> Link | None:
        """Restore a link exactly (for undo); returns what was there."""
        previous = self._links.get(key)
        if link is None:
            self._links.pop(key, None)
        else:
            self._links[key] = link
        self._touch(StoreChange(ChangeKind.LINK, (f"{key[0]}|{key[1]}",)))
        return previous

    def set_matches(
        self, config: MatchConfig, matches: tuple[Match, ...] | None = None
    ) -> tuple[MatchConfig, tuple[Match, ...]]:
        """New match settings and their matches (computed here when not given)."""
        previous = (self._settings.match, self._matches)
        if matches is None:
            matches = self._matcher(self.claims("a"), self.claims("b"), config)
        self._settings = replace(self._settings, match=config)
        self._matches = matches
        self._touch(StoreChange(ChangeKind.MATCHES))
        return previous

    def set_settings(self, settings: ProjectSettings) -> ProjectSettings:
        previous = self._settings
        if settings.match != previous.match:
            self._matches = self._matcher(self.claims("a"), self.claims("b"), settings.match)
        self._settings = settings
        self._touch(StoreChange(ChangeKind.SETTINGS))
        return previous

    def set_orphans(self, orphans: tuple[Orphan, ...]) -> tuple[Orphan, ...]:
        previous = self._orphans
        self._orphans = orphans
        self._touch(StoreChange(ChangeKind.ORPHANS))
        return previous

    def set_article_details(self, article: Article) -> Article:
        """Replace an article's title and metadata with ``article``'s (its text must be
        the same: claims do not change); returns the article as it was."""
        previous = self._articles[article.id]
        if article.hash != previous.hash:
            raise ValueError(f"article {article.id.upper()}'s text is not the text shown")
        self._articles[article.id] = article
        self._touch(StoreChange(ChangeKind.DETAILS, (article.id,)))
        return previous

    def set_name(self, name: str) -> str:
        previous, self._name = self._name, name
        return previous

    # -- internals ---------------------------------------------------------------

    def _edit(self, claim_id: str, field_name: str, value: _T) -> _T:
        current = self.annotation(claim_id)
        previous = cast(_T, getattr(current, field_name))
        if previous == value:
            return previous
        now = self._clock()
        changes: dict[str, Any] = {field_name: value, "modified": now}
        changes["created"] = current.created or now
        if field_name == "verdict":
            changes["changed"] = None  # a new verdict is given on the text as it is now
        updated = replace(current, **changes)
        self.set_annotation(claim_id, updated)
        return previous

    def _touch(self, change: StoreChange) -> None:
        self._modified = self._clock()
        for listener in list(self._listeners):
            listener(change)

    def _set_article(self, article: Article) -> None:
        self._articles[article.id] = article
        old = self._claims.get(article.id, ())
        for claim in old:
            self._claim_by_id.pop(claim.id, None)
        claims = segment_claims(article)
        self._claims[article.id] = claims
        self._claim_by_id.update((c.id, c) for c in claims)

    def _anchor(self, claim: Claim) -> TextAnchor:
        return TextAnchor.from_text(self._articles[claim.article_id].text, claim.start, claim.end)


def _text_order(claim: Claim) -> tuple[str, int]:
    return (claim.article_id, claim.index)


def _link_order(store: ProjectStore, link: Link) -> tuple[int, int]:
    return (store.claim(link.a_claim_id).index, store.claim(link.b_claim_id).index)
