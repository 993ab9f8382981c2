"""Which claim each stored annotation and link belongs to, or that it belongs to none.

A project stores annotations and links with the claim id and anchor they had when they
were made; the claims themselves are derived by segmentation, whose rules may change
between versions, so the anchor is the ground truth. An item belongs to its stored
claim if that claim still starts at the anchor, else to the claim containing the
anchor's start, else to the first claim after it (the anchor starts in white space
between two sentences).

An anchor that starts after the last claim (in the white space that ends an article),
or lies in an article that has no claims at all (its text is only white space), belongs
to no claim. Such an item becomes an :class:`~factcheck.models.Orphan`, as a note whose
sentence an update removed does: kept, listed, re-attachable, exported. Refusing the
project instead would lock the user out of all their other work over one note that a
hand edit or another segmentation version put a few characters off.

:class:`factcheck.store.ProjectStore` and the exports place items with this module, so
the app, ``factcheck show`` and every export format agree.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .models import Annotation, Claim, Link, Orphan, Project, TextAnchor
from .values import Value


class ClaimFinder:
    """Finds the claim an anchor belongs to (see the module docstring)."""

    def __init__(self, claims: Mapping[str, Sequence[Claim]]) -> None:
        self._claims = claims
        self._by_id = {c.id: c for cs in claims.values() for c in cs}
        self._starts = {k: [c.start for c in cs] for k, cs in claims.items()}

    def claim_id(self, article_id: str, stored_id: str, anchor: TextAnchor) -> str | None:
        """The id of the claim the anchor belongs to, or None when it belongs to none."""
        found = self._by_id.get(stored_id)
        if found is not None and found.article_id == article_id and found.start == anchor.start:
            return stored_id
        claims = self._claims.get(article_id, ())
        i = bisect.bisect_right(self._starts.get(article_id, ()), anchor.start) - 1
        if i >= 0 and anchor.start < claims[i].end:
            return claims[i].id
        return claims[i + 1].id if i + 1 < len(claims) else None

    def unplaced_reason(self, article_id: str, anchor: TextAnchor) -> str:
        """Why an anchor that belongs to no claim was kept as an orphan."""
        where = f"offsets {anchor.start}–{anchor.end} of article {article_id.upper()}"
        if not self._claims.get(article_id):
            return f"not on a claim: article {article_id.upper()} has no claims ({where})"
        return f"not on a claim: {where} lie in the white space after its last claim"


@dataclass(frozen=True, eq=False, repr=False)
class Placement(Value):
    """A project's annotations and links on its claims, and those that fit none."""

    #: By the id of the claim each belongs to, with ``claim_id`` set to it.
    annotations: dict[str, Annotation]
    #: By ``(a_claim_id, b_claim_id)`` of the claims the two ends belong to.
    links: dict[tuple[str, str], Link]
    #: The project's own orphans, then the items that belong to no claim.
    orphans: tuple[Orphan, ...]


def place_items(project: Project, claims: Mapping[str, Sequence[Claim]]) -> Placement:
    """Put every annotation and link of ``project`` on its claim of ``claims``.

    When two annotations resolve to one claim (or two links to one pair), the one
    stored with that claim's id (else the first) stays on it and the other becomes an
    orphan saying so: nothing is dropped, and ``show``, the app and the next save all
    keep both.
    """
    finder = ClaimFinder(claims)
    orphans = list(project.orphans)
    annotations: dict[str, Annotation] = {}
    stored: dict[str, Annotation] = {}  # as in the project, by the claim each is on
    for annotation in project.annotations:
        article_id, anchor = annotation.article_id, annotation.anchor
        cid = finder.claim_id(article_id, annotation.claim_id, anchor)
        if cid is None:
            reason = finder.unplaced_reason(article_id, anchor)
            orphans.append(Orphan(article_id, anchor, annotation=annotation, reason=reason))
            continue
        current = stored.get(cid)
        if current is not None:
            if annotation.claim_id == cid != current.claim_id:  # the one stored there stays
                stored[cid] = annotations[cid] = annotation
                annotation = current
            orphans.append(
                Orphan(
                    article_id, annotation.anchor, annotation=annotation, reason=_SECOND.format(cid)
                )
            )
            continue
        stored[cid] = annotation
        same = cid == annotation.claim_id
        annotations[cid] = annotation if same else replace(annotation, claim_id=cid)
    links: dict[tuple[str, str], Link] = {}
    stored_links: dict[tuple[str, str], Link] = {}
    for link in project.links:
        a = finder.claim_id("a", link.a_claim_id, link.a_anchor)
        b = finder.claim_id("b", link.b_claim_id, link.b_anchor)
        if a is None or b is None:
            article_id, anchor = ("a", link.a_anchor) if a is None else ("b", link.b_anchor)
            reason = finder.unplaced_reason(article_id, anchor)
            orphans.append(Orphan(article_id, anchor, link=link, reason=reason))
            continue
        current_link = stored_links.get((a, b))
        if current_link is not None:
            if (a, b) == link.key != current_link.key:  # the one stored there stays
                stored_links[(a, b)] = links[(a, b)] = link
                link = current_link
            orphans.append(Orphan("a", link.a_anchor, link=link, reason=_SECOND_LINK.format(a, b)))
            continue
        stored_links[(a, b)] = link
        same = (a, b) == link.key
        links[(a, b)] = link if same else replace(link, a_claim_id=a, b_claim_id=b)
    return Placement(annotations, links, tuple(orphans))


_SECOND = (
    "a second annotation on claim {0}: its anchor lies in the sentence another "
    "annotation is on (re-attach it elsewhere, or copy its note over by hand)"
)
_SECOND_LINK = "a second link between {0} and {1}: its ends lie in the sentences another link joins"
