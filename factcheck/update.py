"""Take a new version of one article of a project and carry the review work over.

Every annotation and every link end on that article is re-anchored on the new text
(:func:`factcheck.anchoring.reanchor`) and attached to the claim of the new text that
holds it. Each result is classified *anchored*, *moved*, *fuzzy* or *orphaned*; an
orphan keeps the annotation or link exactly as it was, with its old quote, in
``Project.orphans``: nothing a reviewer entered is ever dropped.

Whatever lands on a claim whose text differs from the quote it was made on (a fuzzy
place, or the quote found inside a sentence that changed around it) is marked
*changed since reviewed* (:class:`ChangedText`, keeping the old quote) until the
reviewer re-confirms it: a verdict never sits silently on changed text.

Orphans can be put back by hand on a claim of the current text with
:func:`reattach_orphan`.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .anchoring import AnchorResult, SearchBudget, reanchor
from .claimref import claim_label
from .models import (
    AnchorStatus,
    Annotation,
    Article,
    ArticleMetadata,
    ChangedText,
    Claim,
    Link,
    Orphan,
    Project,
    TextAnchor,
)
from .segmentation import segment_claims
from .textutil import excerpt
from .timeutil import utc_now

SIDES = ("a", "b")
#: Quotes longer than this are cut in error messages.
REASON_QUOTE = 60


@dataclass(frozen=True)
class PlacedItem:
    """How one annotation or link end fared: its old quote, new claim and status."""

    kind: str  # "annotation" or "link"
    old_claim_id: str
    new_claim_id: str | None
    status: AnchorStatus
    score: float
    quote: str
    reason: str = ""
    #: The claim's text now, when it differs from ``quote`` (changed since reviewed).
    new_text: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.new_text)

    def describe(self, quote_chars: int = 80) -> str:
        """One line naming the item as people number claims: ``fuzzy (0.99) annotation
        A18 → A18, changed since reviewed: “…”``; an orphan's line ends with why."""
        where = claim_label(self.old_claim_id)
        if self.new_claim_id is not None:
            where += f" → {claim_label(self.new_claim_id)}"
        line = f"{self.status.value} ({self.score:.2f}) {self.kind} {where}"
        if self.changed:
            line += ", changed since reviewed"
        line += f": “{excerpt(self.quote, quote_chars)}”"
        return line + (f" — {self.reason}" if self.reason else "")


@dataclass(frozen=True)
class UpdateReport:
    items: tuple[PlacedItem, ...] = ()
    counts: dict[AnchorStatus, int] = field(default_factory=dict)

    def summary(self) -> str:
        return ", ".join(f"{self.counts.get(s, 0)} {s.value}" for s in AnchorStatus)


@dataclass(frozen=True)
class UpdateResult:
    project: Project
    report: UpdateReport


def update_article(
    project: Project, side: str, new_article: Article, *, now: str | None = None
) -> UpdateResult:
    """``project`` with article ``side`` ("a" or "b") replaced by ``new_article``."""
    if side not in SIDES:
        raise ValueError(f"side must be 'a' or 'b', not {side!r}")
    stamp = now or utc_now()
    old = project.article_a if side == "a" else project.article_b
    new = kept_details(old, replace(new_article, id=old.id))
    claims = segment_claims(new)
    items: list[PlacedItem] = []
    orphans = list(project.orphans)

    budget = SearchBudget()

    def place(anchor: TextAnchor, claim_id: str, kind: str) -> tuple[Claim | None, AnchorResult]:
        result = reanchor(new.text, anchor, old_text=old.text, budget=budget)
        claim = (
            None
            if result.status is AnchorStatus.ORPHANED
            else claim_at(claims, result.start, result.end)
        )
        if claim is None and result.status is not AnchorStatus.ORPHANED:
            result = AnchorResult(AnchorStatus.ORPHANED, -1, -1, 0.0, "no claim at the new place")
        items.append(
            PlacedItem(
                kind,
                claim_id,
                claim.id if claim else None,
                result.status,
                result.score,
                anchor.exact,
                result.reason,
                claim.text if claim is not None and claim.text != anchor.exact else "",
            )
        )
        return claim, result

    def changed(before: ChangedText | None, anchor: TextAnchor, claim: Claim) -> ChangedText | None:
        return changed_text(before, anchor.exact, claim.text, items[-1].status, stamp)

    annotations: list[Annotation] = []
    taken: set[str] = set()
    for ann in project.annotations:
        if ann.article_id != old.id:
            annotations.append(ann)
            continue
        claim, result = place(ann.anchor, ann.claim_id, "annotation")
        if claim is not None and claim.id in taken:
            claim, result = None, _clash(items, "another annotation already sits on that claim")
        if claim is None:
            orphans.append(Orphan(old.id, ann.anchor, annotation=ann, reason=result.reason))
            continue
        taken.add(claim.id)
        anchor = TextAnchor.from_text(new.text, claim.start, claim.end)
        moved_ann = replace(
            ann, claim_id=claim.id, anchor=anchor, changed=changed(ann.changed, ann.anchor, claim)
        )
        annotations.append(moved_ann if moved_ann == ann else replace(moved_ann, modified=stamp))

    links: list[Link] = []
    keys: set[tuple[str, str]] = set()
    for link in project.links:
        end_anchor = link.a_anchor if side == "a" else link.b_anchor
        end_id = link.a_claim_id if side == "a" else link.b_claim_id
        claim, result = place(end_anchor, end_id, "link")
        if claim is not None:
            anchor = TextAnchor.from_text(new.text, claim.start, claim.end)
            if side == "a":
                a_changed = changed(link.a_changed, end_anchor, claim)
                moved = replace(link, a_claim_id=claim.id, a_anchor=anchor, a_changed=a_changed)
            else:
                b_changed = changed(link.b_changed, end_anchor, claim)
                moved = replace(link, b_claim_id=claim.id, b_anchor=anchor, b_changed=b_changed)
            if moved.key in keys:
                claim, result = None, _clash(items, "another link already joins those claims")
            else:
                keys.add(moved.key)
                links.append(moved if moved == link else replace(moved, modified=stamp))
        if claim is None:
            orphans.append(Orphan(old.id, end_anchor, link=link, reason=result.reason))

    counts = Counter(item.status for item in items)
    updated = replace(
        project,
        article_a=new if side == "a" else project.article_a,
        article_b=new if side == "b" else project.article_b,
        annotations=tuple(annotations),
        links=tuple(links),
        orphans=tuple(orphans),
        modified=stamp,
    )
    report = UpdateReport(tuple(items), {s: counts.get(s, 0) for s in AnchorStatus})
    return UpdateResult(updated, report)


def changed_text(
    before: ChangedText | None, old_quote: str, new_text: str, status: AnchorStatus, stamp: str
) -> ChangedText | None:
    """The "changed since reviewed" state of something made on ``old_quote`` that now
    sits on ``new_text``. An earlier change keeps its (older) quote, the one reviewed,
    and ends when the text is back to it."""
    if before is not None:
        return None if new_text == before.old_quote else before
    if new_text == old_quote:
        return None
    return ChangedText(old_quote, status, stamp)


def kept_details(old: Article, new: Article) -> Article:
    """``new`` with the title and metadata of ``old`` (a new version of one article is
    still that article: what the reviewer set stays); ``new`` only fills what ``old``
    left unstated."""
    o, n = old.metadata, new.metadata
    metadata = ArticleMetadata(
        author=o.author or n.author,
        date=o.date or n.date,
        url=o.url or n.url,
        site_name=o.site_name or n.site_name,
        description=o.description or n.description,
    )
    return replace(new, title=old.title or new.title, metadata=metadata)


def reattach_orphan(
    project: Project, index: int, claim_id: str, *, now: str | None = None
) -> Project:
    """Put orphan ``index`` back on claim ``claim_id`` of the same article.

    Raises ``ValueError`` (with the reason) when the claim does not exist, is on the
    other article, or already carries an annotation / the same link.
    """
    if not 0 <= index < len(project.orphans):
        raise ValueError(f"there is no orphan number {index + 1}")
    orphan = project.orphans[index]
    article = project.article_a if orphan.article_id == project.article_a.id else project.article_b
    claim = next((c for c in segment_claims(article) if c.id == claim_id), None)
    if claim is None:
        raise ValueError(f"article {article.id.upper()} has no claim {claim_label(claim_id)}")
    stamp = now or utc_now()
    anchor = TextAnchor.from_text(article.text, claim.start, claim.end)
    rest = project.orphans[:index] + project.orphans[index + 1 :]
    if orphan.annotation is not None:
        if any(a.claim_id == claim_id for a in project.annotations):
            raise ValueError(f"claim {claim_label(claim_id)} already has an annotation")
        # Put back by hand on other text: the verdict still waits for a re-confirmation.
        ann = orphan.annotation
        changed = changed_text(ann.changed, ann.anchor.exact, claim.text, AnchorStatus.MOVED, stamp)
        ann = replace(ann, claim_id=claim_id, anchor=anchor, modified=stamp, changed=changed)
        return replace(project, annotations=(*project.annotations, ann), orphans=rest)
    if orphan.link is None:
        raise ValueError(f"orphan number {index + 1} holds no annotation or link to re-attach")
    old = orphan.link
    if orphan.article_id == project.article_a.id:
        a_changed = changed_text(
            old.a_changed, old.a_anchor.exact, claim.text, AnchorStatus.MOVED, stamp
        )
        link = replace(
            old, a_claim_id=claim_id, a_anchor=anchor, modified=stamp, a_changed=a_changed
        )
    else:
        b_changed = changed_text(
            old.b_changed, old.b_anchor.exact, claim.text, AnchorStatus.MOVED, stamp
        )
        link = replace(
            old, b_claim_id=claim_id, b_anchor=anchor, modified=stamp, b_changed=b_changed
        )
    link = _far_end_placed(project, link, far_side="b" if article is project.article_a else "a")
    if any(existing.key == link.key for existing in project.links):
        raise ValueError(
            f"the link {claim_label(link.key[0])} ↔ {claim_label(link.key[1])} exists already"
        )
    return replace(project, links=(*project.links, link), orphans=rest)


def claim_at(
    claims: Sequence[Claim], start: int, end: int, *, nearest: bool = False
) -> Claim | None:
    """The claim overlapping ``start``–``end`` most (ties: the earliest).

    When none overlaps it (an empty range, or one between two claims): None, or with
    ``nearest`` the last claim starting at or before ``start`` (else the first claim).
    """
    best, best_overlap = None, 0
    # Claims are in text order and do not overlap, so their ends are sorted too: the
    # ones ending at or before ``start`` cannot overlap; skip them without looking.
    first = bisect.bisect_right(claims, start, key=_end)
    for j in range(first, len(claims)):
        claim = claims[j]
        if claim.start >= end:
            break
        overlap = min(claim.end, end) - max(claim.start, start)
        if overlap > best_overlap:
            best, best_overlap = claim, overlap
    if best is None and nearest and claims:
        best = claims[max(0, bisect.bisect_right(claims, start, key=_start) - 1)]
    return best


def _start(claim: Claim) -> int:
    return claim.start


def _end(claim: Claim) -> int:
    return claim.end


def place_quote(
    text: str, claims: Sequence[Claim], anchor: TextAnchor, *, old_text: str | None = None
) -> Claim | None:
    """The claim of ``text`` that holds ``anchor``'s quote now (None: it is gone)."""
    result = reanchor(text, anchor, old_text=old_text)
    if result.status is AnchorStatus.ORPHANED:
        return None
    return claim_at(claims, result.start, result.end)


def _far_end_placed(project: Project, link: Link, far_side: str) -> Link:
    """``link`` with its other end on the claim that holds that end's quote now.

    The other article may have been updated since the link was orphaned (an update
    moves only the links still in place), so the stored claim id can name another
    sentence, or none. Raises ``ValueError`` when the quote is gone.
    """
    far = project.article_a if far_side == "a" else project.article_b
    claim_id, anchor = (
        (link.a_claim_id, link.a_anchor) if far_side == "a" else (link.b_claim_id, link.b_anchor)
    )
    claim = place_quote(far.text, segment_claims(far), anchor)
    if claim is None:
        raise ValueError(
            f"the link's other end, “{excerpt(anchor.exact, REASON_QUOTE)}”, "
            f"is no longer in article {far.id.upper()}"
        )
    if claim.id == claim_id and far.text[claim.start : claim.end] == anchor.exact:
        return link
    placed = TextAnchor.from_text(far.text, claim.start, claim.end)
    if far_side == "a":
        return replace(link, a_claim_id=claim.id, a_anchor=placed)
    return replace(link, b_claim_id=claim.id, b_anchor=placed)


def _clash(items: list[PlacedItem], reason: str) -> AnchorResult:
    """Turn the last placed item into an orphan: its claim is already taken."""
    items[-1] = replace(items[-1], new_claim_id=None, status=AnchorStatus.ORPHANED, reason=reason)
    return AnchorResult(AnchorStatus.ORPHANED, -1, -1, 0.0, reason)
