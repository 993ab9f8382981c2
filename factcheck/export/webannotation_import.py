"""Import W3C Web Annotations (ours, Hypothesis') onto a project's two articles.

Each annotation's target is matched to an article by its ``source`` (the article's URL
or ``urn:sha256:<hash>``; when it names neither article, both are tried and the better
placement wins), then placed by position, else by quote and context
(:func:`factcheck.anchoring.reanchor`: a fuzzy place must clear its minimum score, else
the annotation is an orphan). A placed annotation lands on the claim it overlaps most
and is merged with what that claim already has: the imported verdict wins unless it is *unreviewed*,
notes are joined, tags and evidence united. A ``linking`` annotation whose two targets
land in article a and article b becomes a confirmed (or manual) link; existing link
decisions are kept. Whatever cannot be placed is kept as an :class:`Orphan` with the
reason — never dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from ..anchoring import MAX_FUZZY_QUOTE_CHARS, NOT_SEARCHED, SearchBudget, reanchor
from ..claimref import claim_label
from ..gcpause import without_gc_pauses
from ..models import (
    AnchorStatus,
    Annotation,
    Article,
    Claim,
    Link,
    Orphan,
    Project,
    TextAnchor,
    Verdict,
)
from ..projectfile import MAX_ITEMS, MAX_PROJECT_BYTES
from ..update import changed_text, claim_at
from . import webannotation_parse
from .common import (
    ExportError,
    ProjectIndex,
    hash_urn,
    index_project,
    web_uri,
)
from .webannotation_parse import ParsedAnnotation, ParsedTarget, parse_annotations

#: Statuses from best to worst, to pick the better of two articles.
_RANK = {AnchorStatus.ANCHORED: 3, AnchorStatus.MOVED: 2, AnchorStatus.FUZZY: 1}


@dataclass(frozen=True)
class ImportResult:
    """The project with the imported annotations, and how they were placed."""

    project: Project
    #: Annotations (claim notes and links) placed on the articles.
    placed: int
    #: The imported ones that could not be placed (also added to ``project.orphans``).
    orphans: tuple[Orphan, ...]
    #: How every target was placed (``ORPHANED`` counts those that were not).
    statuses: dict[AnchorStatus, int]


@dataclass(frozen=True)
class _Placement:
    article: Article
    claim: Claim | None
    anchor: TextAnchor  # as imported (positions may point into another version)
    status: AnchorStatus
    score: float
    reason: str = ""


@without_gc_pauses
def import_web_annotations(
    project: Project, data: str, *, source: str = "<import>"
) -> ImportResult:
    parsed = parse_annotations(data, source)
    index = index_project(project)
    annotations = dict(index.annotations)
    links = {link.key: link for link in project.links}
    orphans: list[Orphan] = []
    statuses: Counter[AnchorStatus] = Counter()
    placed = 0
    budget = SearchBudget()  # the articles are indexed once, for every target
    growth = _Growth(project, source)
    for item in parsed:
        targets = item.targets if item.is_link else _distinct(index.project, item.targets)
        places = [_place(index, t, budget) for t in targets]
        statuses.update(p.status for p in places)
        if item.is_link:
            ok = _add_link(item, places, links, orphans)
        else:
            ok = _add_annotations(item, places, annotations, orphans, growth)
        placed += ok
        growth.check(len(index.project.orphans) + len(orphans), len(links))
    ordered = tuple(annotations[c.id] for c in index.all_claims() if c.id in annotations)
    new_project = replace(
        project,
        annotations=ordered,
        links=tuple(links.values()),
        orphans=index.project.orphans + tuple(orphans),
    )
    return ImportResult(
        project=new_project,
        placed=placed,
        orphans=tuple(orphans),
        statuses={s: statuses[s] for s in AnchorStatus},
    )


# -- placing -----------------------------------------------------------------------


def _place(index: ProjectIndex, target: ParsedTarget, budget: SearchBudget) -> _Placement:
    articles = _articles_for(index.project, target.source)
    anchor = TextAnchor(
        start=target.start or 0,
        end=target.end if target.end is not None else (target.start or 0),
        exact=target.exact or "",
        prefix=target.prefix,
        suffix=target.suffix,
    )
    if not target.has_selector:
        return _orphan(
            articles[0], anchor, "a note on the whole page: it has no text selector to place"
        )
    return max((_place_on(index, a, target, anchor, budget) for a in articles), key=_preference)


def _distinct(project: Project, targets: tuple[ParsedTarget, ...]) -> list[ParsedTarget]:
    """The targets of one note, with those without a selector once per article: each
    is the whole page, and a thousand of them are one note on it, not a thousand."""
    pages: set[str] = set()
    kept = []
    for target in targets:
        if not target.has_selector:
            page = _articles_for(project, target.source)[0].id
            if page in pages:
                continue
            pages.add(page)
        kept.append(target)
    return kept


def _preference(place: _Placement) -> tuple[float, ...]:
    """Orders placements of one target on different articles: placed, exact, context, position.

    An exact quote found in both articles goes where its context fits (``score`` is the
    context fit then); a fuzzy one where the fuzzy score is higher. The first article
    wins a full tie (``max`` keeps the first).
    """
    if place.claim is None:
        return (0.0,)
    exact = place.status is not AnchorStatus.FUZZY
    return (1.0, float(exact), round(place.score, 6), _RANK[place.status])


def _articles_for(project: Project, source: str) -> list[Article]:
    named = []
    if source:
        bare = _without_fragment(source)
        named = [
            a for a in project.articles if bare in _known_names(a.hash, a.metadata.url, a.source)
        ]
    # Two versions of one page share a URL: then both are candidates, as when none is.
    return named or list(project.articles)


@lru_cache(maxsize=8)
def _known_names(content_hash: str, url: str | None, source: str) -> frozenset[str]:
    """The IRIs a target may use for an article (worked out once, not once per target;
    keyed by strings: hashing a whole Article for every target cost more than the rest)."""
    web = web_uri(url or "")
    known = {web or hash_urn(content_hash), hash_urn(content_hash), source}
    if url:
        known.add(url)
    return frozenset(_without_fragment(k) for k in known if k)


def _without_fragment(iri: str) -> str:
    return iri.split("#", 1)[0].rstrip("/")


def _place_on(
    index: ProjectIndex,
    article: Article,
    target: ParsedTarget,
    anchor: TextAnchor,
    budget: SearchBudget,
) -> _Placement:
    text = article.text
    if target.exact is None:
        # Position only: nothing to check it against, so it is at best a guess.
        if anchor.end <= len(text):
            return _on_claim(index, article, anchor, anchor.start, anchor.end, 0.5, fuzzy=True)
        return _orphan(article, anchor, "its position lies past the end of the text")
    status, start, end, score, reason = _reanchor(text, anchor, budget)
    if status is AnchorStatus.ORPHANED:
        return _orphan(article, anchor, reason)
    return _on_claim(index, article, anchor, start, end, score, fuzzy=status is AnchorStatus.FUZZY)


def _on_claim(
    index: ProjectIndex,
    article: Article,
    anchor: TextAnchor,
    start: int,
    end: int,
    score: float,
    *,
    fuzzy: bool,
) -> _Placement:
    claim = claim_at(index.claims[article.id], start, end, nearest=True)
    if claim is None:
        return _orphan(article, anchor, "the article has no claims")
    moved = (start, end) != (anchor.start, anchor.end)
    status = AnchorStatus.FUZZY if fuzzy else AnchorStatus.MOVED if moved else AnchorStatus.ANCHORED
    return _Placement(article, claim, anchor, status, score)


def _orphan(article: Article, anchor: TextAnchor, reason: str) -> _Placement:
    return _Placement(article, None, anchor, AnchorStatus.ORPHANED, 0.0, reason)


def _reanchor(
    text: str, anchor: TextAnchor, budget: SearchBudget
) -> tuple[AnchorStatus, int, int, float, str]:
    """Where the quote is in ``text``, with a score comparable between two articles.

    :func:`reanchor` scores every exact find 1.0; then the score here is how well the
    stored context fits around it, so the same sentence quoted from two articles lands
    in the one whose neighbours it names.
    """
    found = reanchor(text, anchor, budget=budget)
    if found.status is AnchorStatus.ORPHANED:
        # Why the search stopped is worth saying; why a similar passage was not taken
        # (update's lookalike rules) is not, for an import.
        searched = found.reason != NOT_SEARCHED and len(anchor.exact) <= MAX_FUZZY_QUOTE_CHARS
        reason = "the quoted text is not in the article" if searched else found.reason
        return found.status, -1, -1, 0.0, reason
    if found.status is AnchorStatus.FUZZY:
        return found.status, found.start, found.end, found.score, ""
    fit = _context_fit(text, found.start, found.end, anchor)
    return found.status, found.start, found.end, fit, ""


def _context_fit(text: str, start: int, end: int, anchor: TextAnchor) -> float:
    """0–1: the share of the stored prefix and suffix that adjoins ``start..end``.

    White space is compared loosely (runs of it as one space); 1.0 when there is no
    stored context to contradict.
    """
    prefix, suffix = _squash(anchor.prefix), _squash(anchor.suffix)
    wanted = len(prefix) + len(suffix)
    if not wanted:
        return 1.0
    before = _squash(text[max(0, start - 2 * len(anchor.prefix)) : start])
    after = _squash(text[end : end + 2 * len(anchor.suffix)])
    fit = _common_prefix(before[::-1], prefix[::-1]) if prefix else 0
    fit += _common_prefix(after, suffix) if suffix else 0
    return fit / wanted


def _squash(text: str) -> str:
    # Keep a leading/trailing space as one space: it is part of the adjoining context.
    head = " " if text[:1].isspace() else ""
    tail = " " if text[-1:].isspace() else ""
    inner = " ".join(text.split())
    return head + inner + tail if inner else (" " if text else "")


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


# -- merging -----------------------------------------------------------------------


def _add_annotations(
    item: ParsedAnnotation,
    places: list[_Placement],
    annotations: dict[str, Annotation],
    orphans: list[Orphan],
    growth: _Growth,
) -> bool:
    ok = False
    unplaced: list[_Placement] = []
    for place in places:
        if place.claim is None:
            unplaced.append(place)
            continue
        claim = place.claim
        anchor = TextAnchor.from_text(place.article.text, claim.start, claim.end)
        incoming = _annotation(item, claim.id, claim.article_id, anchor)
        # Placed on similar text, or exported as changed: it waits for a re-confirmation.
        reviewed = item.reviewed_quote or (
            place.anchor.exact if place.status is AnchorStatus.FUZZY else None
        )
        if reviewed is not None:
            status = AnchorStatus.FUZZY
            changed = changed_text(None, reviewed, claim.text, status, incoming.modified)
            incoming = replace(incoming, changed=changed)
        current = annotations.get(claim.id)
        merged = incoming if current is None else _merge(current, incoming)
        if _too_big(merged):
            # Saved, it would make a project file that cannot be opened again.
            reason = (
                f"together with what claim {claim_label(claim.id)} has, "
                "it exceeds a project's limits"
            )
            orphans.append(_orphaned(item, place, reason))
            continue
        growth.add(len(merged.note) - len(current.note) if current else len(merged.note))
        annotations[claim.id] = merged
        ok = True
    orphans.extend(_orphans_of(item, unplaced, growth))
    return ok


def _orphans_of(
    item: ParsedAnnotation, unplaced: list[_Placement], growth: _Growth
) -> Iterator[Orphan]:
    """One orphan per distinct unplaced target of ``item`` (a thousand targets without
    a selector are one note on the whole page, not a thousand), the note with the
    first only: a copy per target could grow a project past what it can hold."""
    seen: set[tuple[str, TextAnchor]] = set()
    for place in unplaced:
        if (place.article.id, place.anchor) in seen:
            continue
        orphan = _orphaned(item, place, place.reason)
        if seen and orphan.annotation is not None and orphan.annotation.note:
            orphan = replace(
                orphan,
                annotation=replace(orphan.annotation, note=""),
                reason=f"{orphan.reason} (its note is kept once, with its first orphan)",
            )
        seen.add((place.article.id, place.anchor))
        growth.add(
            len(orphan.anchor.exact) + len(orphan.annotation.note if orphan.annotation else "")
        )
        yield orphan


class _Growth:
    """What an import adds to a project, checked as it goes: an import that would make
    a project file too large or with too many items to open is refused before the
    rest is even placed (not written, then never opened again)."""

    def __init__(self, project: Project, source: str) -> None:
        self.source = source
        self.chars = sum(len(a.text) for a in project.articles) + sum(
            len(a.note) + len(a.anchor.exact) for a in project.annotations
        )

    def add(self, chars: int) -> None:
        self.chars += chars
        if self.chars > MAX_PROJECT_BYTES:
            self._refuse(f"more than {MAX_PROJECT_BYTES:,} bytes of text")

    def check(self, orphans: int, links: int) -> None:
        for what, count in (("orphans", orphans), ("links", links)):
            if count > MAX_ITEMS:
                self._refuse(f"more than {MAX_ITEMS:,} {what}")

    def _refuse(self, what: str) -> None:
        raise ExportError(
            f"importing these annotations would make a project file that could not be "
            f"opened again ({what}; see the input limits): nothing was imported",
            source=self.source,
        )


def _orphaned(item: ParsedAnnotation, place: _Placement, reason: str) -> Orphan:
    return Orphan(
        article_id=place.article.id,
        anchor=place.anchor,
        annotation=_annotation(item, "", place.article.id, place.anchor),
        reason=f"imported annotation {item.number}: {reason}",
    )


def _too_big(annotation: Annotation) -> bool:
    return len(annotation.note) > webannotation_parse.MAX_NOTE_CHARS or any(
        len(values) > webannotation_parse.MAX_LIST_ITEMS
        for values in (annotation.tags, annotation.evidence)
    )


def _annotation(
    item: ParsedAnnotation, claim_id: str, article_id: str, anchor: TextAnchor
) -> Annotation:
    return Annotation(
        claim_id=claim_id,
        article_id=article_id,
        anchor=anchor,
        verdict=item.verdict,
        note=item.note,
        evidence=item.evidence,
        tags=item.tags,
        created=item.created,
        modified=item.modified or item.created,
    )


def _merge(current: Annotation, incoming: Annotation) -> Annotation:
    notes = [n for n in (current.note, incoming.note) if n]
    note = current.note if incoming.note in ("", current.note) else "\n\n".join(notes)
    created = min((t for t in (current.created, incoming.created) if t), default="")
    return replace(
        current,
        verdict=incoming.verdict if incoming.verdict is not Verdict.UNREVIEWED else current.verdict,
        note=note,
        evidence=tuple(dict.fromkeys(current.evidence + incoming.evidence)),
        tags=tuple(dict.fromkeys(current.tags + incoming.tags)),
        created=created,
        modified=max(current.modified, incoming.modified),
        changed=current.changed or incoming.changed,
    )


def _add_link(
    item: ParsedAnnotation,
    places: list[_Placement],
    links: dict[tuple[str, str], Link],
    orphans: list[Orphan],
) -> bool:
    ends = {p.article.id: p for p in places if p.claim is not None}
    if len(places) == 2 and set(ends) == {"a", "b"}:
        a, b = ends["a"], ends["b"]
        assert a.claim is not None and b.claim is not None
        key = (a.claim.id, b.claim.id)
        if key not in links:  # the user's own decision on the pair stands
            links[key] = Link(
                a_claim_id=a.claim.id,
                b_claim_id=b.claim.id,
                state=item.link_state,
                a_anchor=TextAnchor.from_text(a.article.text, a.claim.start, a.claim.end),
                b_anchor=TextAnchor.from_text(b.article.text, b.claim.start, b.claim.end),
                score=item.link_score,
                created=item.created,
                modified=item.modified or item.created,
            )
        return True
    first = places[0]
    second = places[1] if len(places) > 1 else first
    if len(places) != 2:
        reason = f"a link needs two targets, this one has {len(places)}"
    elif first.claim is not None and second.claim is not None:
        reason = "both ends of the link are in the same article"
    else:
        reason = next(p.reason for p in places if p.claim is None)
    lost = next((p for p in places if p.claim is None), first)
    a_end, b_end = (first, second) if first.article.id == "a" else (second, first)
    orphans.append(
        Orphan(
            article_id=lost.article.id,
            anchor=lost.anchor,
            link=Link(
                a_claim_id=a_end.claim.id if a_end.claim else "",
                b_claim_id=b_end.claim.id if b_end.claim else "",
                state=item.link_state,
                a_anchor=a_end.anchor,
                b_anchor=b_end.anchor,
                score=item.link_score,
                created=item.created,
                modified=item.modified or item.created,
            ),
            reason=f"imported link {item.number}: {reason}",
        )
    )
    return False
