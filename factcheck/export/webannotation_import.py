"""Import W3C Web Annotations (ours, Hypothesis') onto a project's two articles.

Each annotation's target is matched to an article by its ``source`` (the article's URL
or ``urn:sha256:<hash>``; when it names neither article, both are tried and the better
placement wins), then placed by position, else by quote and context
(:func:`factcheck.anchoring.reanchor` when that module is installed, else exact quote
search). A placed annotation lands on the claim it overlaps most and is merged with
what that claim already has: the imported verdict wins unless it is *unreviewed*,
notes are joined, tags and evidence united. A ``linking`` annotation whose two targets
land in article a and article b becomes a confirmed (or manual) link; existing link
decisions are kept. Whatever cannot be placed is kept as an :class:`Orphan` with the
reason — never dropped.
"""

from __future__ import annotations

import bisect
import importlib
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

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
from .common import ProjectIndex, article_iri, hash_urn, index_project
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
    for item in parsed:
        places = [_place(index, t) for t in item.targets]
        statuses.update(p.status for p in places)
        if item.is_link:
            ok = _add_link(item, places, links, orphans)
        else:
            ok = _add_annotations(item, places, annotations, orphans)
        placed += ok
    ordered = tuple(annotations[c.id] for c in index.all_claims() if c.id in annotations)
    new_project = replace(
        project,
        annotations=ordered,
        links=tuple(links.values()),
        orphans=project.orphans + tuple(orphans),
    )
    return ImportResult(
        project=new_project,
        placed=placed,
        orphans=tuple(orphans),
        statuses={s: statuses[s] for s in AnchorStatus},
    )


# -- placing -----------------------------------------------------------------------


def _place(index: ProjectIndex, target: ParsedTarget) -> _Placement:
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
    best: _Placement | None = None
    for article in articles:
        found = _place_on(index, article, target, anchor)
        if best is None or (_RANK.get(found.status, 0), found.score) > (
            _RANK.get(best.status, 0),
            best.score,
        ):
            best = found
    assert best is not None
    return best


def _articles_for(project: Project, source: str) -> list[Article]:
    named = [a for a in project.articles if _names(a, source)]
    # Two versions of one page share a URL: then both are candidates, as when none is.
    return named or list(project.articles)


def _names(article: Article, source: str) -> bool:
    if not source:
        return False
    wanted = source.split("#", 1)[0].rstrip("/")
    known = {article_iri(article), hash_urn(article.hash), article.source}
    if article.metadata.url:
        known.add(article.metadata.url)
    return any(k and k.split("#", 1)[0].rstrip("/") == wanted for k in known)


def _place_on(
    index: ProjectIndex, article: Article, target: ParsedTarget, anchor: TextAnchor
) -> _Placement:
    text = article.text
    if target.exact is None:
        # Position only: nothing to check it against, so it is at best a guess.
        if anchor.end <= len(text):
            return _on_claim(index, article, anchor, anchor.start, anchor.end, 0.5, fuzzy=True)
        return _orphan(article, anchor, "its position lies past the end of the text")
    status, start, end, score = _reanchor(text, anchor)
    if status is AnchorStatus.ORPHANED:
        return _orphan(article, anchor, "the quoted text is not in the article")
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
    claim = _claim_at(index.claims[article.id], index.starts[article.id], start, end)
    if claim is None:
        return _orphan(article, anchor, "the article has no claims")
    moved = (start, end) != (anchor.start, anchor.end)
    status = AnchorStatus.FUZZY if fuzzy else AnchorStatus.MOVED if moved else AnchorStatus.ANCHORED
    return _Placement(article, claim, anchor, status, score)


def _orphan(article: Article, anchor: TextAnchor, reason: str) -> _Placement:
    return _Placement(article, None, anchor, AnchorStatus.ORPHANED, 0.0, reason)


def _claim_at(claims: tuple[Claim, ...], starts: list[int], start: int, end: int) -> Claim | None:
    """The claim that overlaps ``start..end`` most (the one at ``start`` if empty)."""
    if not claims:
        return None
    i = max(0, bisect.bisect_right(starts, start) - 1)
    best, best_overlap = claims[i], -1
    for claim in claims[i:]:
        if claim.start > max(start, end - 1):
            break
        overlap = min(end, claim.end) - max(start, claim.start)
        if overlap > best_overlap:
            best, best_overlap = claim, overlap
    return best


@cache
def _anchoring() -> Any:
    """``factcheck.anchoring`` (fuzzy re-anchoring) if this install has it, else None."""
    try:
        return importlib.import_module("factcheck.anchoring")
    except ImportError:
        return None


def _reanchor(text: str, anchor: TextAnchor) -> tuple[AnchorStatus, int, int, float]:
    anchoring = _anchoring()
    if anchoring is None:
        return _find_exact(text, anchor)
    result = anchoring.reanchor(text, anchor)
    return AnchorStatus(result.status), int(result.start), int(result.end), float(result.score)


def _find_exact(text: str, anchor: TextAnchor) -> tuple[AnchorStatus, int, int, float]:
    """Position, else the exact quote whose context fits best (nearest on a tie)."""
    wanted = len(anchor.prefix) + len(anchor.suffix)

    def context_score(pos: int) -> float:
        after = pos + len(anchor.exact)
        fit = _common_suffix(text[max(0, pos - len(anchor.prefix)) : pos], anchor.prefix)
        fit += _common_prefix(text[after : after + len(anchor.suffix)], anchor.suffix)
        return fit / wanted if wanted else 1.0

    if anchor.end <= len(text) and text[anchor.start : anchor.end] == anchor.exact:
        return AnchorStatus.ANCHORED, anchor.start, anchor.end, context_score(anchor.start)
    if not anchor.exact:
        return AnchorStatus.ORPHANED, 0, 0, 0.0
    best: tuple[float, int, int] | None = None  # (score, -distance, position)
    pos = text.find(anchor.exact)
    for _ in range(10_000):  # a bound for quotes like "the" in a huge text
        if pos < 0:
            break
        key = (context_score(pos), -abs(pos - anchor.start), pos)
        best = key if best is None or key > best else best
        pos = text.find(anchor.exact, pos + 1)
    if best is None:
        return AnchorStatus.ORPHANED, 0, 0, 0.0
    return AnchorStatus.MOVED, best[2], best[2] + len(anchor.exact), best[0]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


# -- merging -----------------------------------------------------------------------


def _add_annotations(
    item: ParsedAnnotation,
    places: list[_Placement],
    annotations: dict[str, Annotation],
    orphans: list[Orphan],
) -> bool:
    ok = False
    for place in places:
        if place.claim is None:
            orphans.append(
                Orphan(
                    article_id=place.article.id,
                    anchor=place.anchor,
                    annotation=_annotation(item, "", place.article.id, place.anchor),
                    reason=f"imported annotation {item.number}: {place.reason}",
                )
            )
            continue
        claim = place.claim
        anchor = TextAnchor.from_text(place.article.text, claim.start, claim.end)
        incoming = _annotation(item, claim.id, claim.article_id, anchor)
        current = annotations.get(claim.id)
        annotations[claim.id] = incoming if current is None else _merge(current, incoming)
        ok = True
    return ok


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
