"""Who is linked to whom: the matcher's suggestions merged with the user's decisions.

The store answers ``matches_of``/``link_state`` by scanning every match; the views ask
for every visible claim on each repaint, so this index is built once per change of
matches or links. Pure Python (no Qt).
"""

from __future__ import annotations

from dataclasses import dataclass

from factcheck.models import LinkState
from factcheck.store import ProjectStore
from factcheck.values import Value


@dataclass(frozen=True, eq=False, repr=False)
class Partner(Value):
    """One claim of the other article linked to a claim: by score, with the pair's state."""

    claim_id: str
    score: float | None
    state: LinkState

    @property
    def is_visible(self) -> bool:
        return self.state is not LinkState.REJECTED


class LinkIndex:
    """Partners of every claim, best first (confirmed and manual before suggestions)."""

    def __init__(self, store: ProjectStore) -> None:
        pairs: dict[tuple[str, str], tuple[float | None, LinkState]] = {}
        for m in store.matches:
            pairs[(m.a_id, m.b_id)] = (m.score, LinkState.SUGGESTED)
        for link in store.links():
            score = link.score
            if score is None and link.key in pairs:
                score = pairs[link.key][0]
            pairs[link.key] = (score, link.state)
        self._partners: dict[str, list[Partner]] = {}
        for (a, b), (score, state) in pairs.items():
            self._partners.setdefault(a, []).append(Partner(b, score, state))
            self._partners.setdefault(b, []).append(Partner(a, score, state))
        for partners in self._partners.values():
            partners.sort(key=_rank)
        self._pairs = pairs

    def partners(self, claim_id: str, *, include_rejected: bool = True) -> list[Partner]:
        found = self._partners.get(claim_id, [])
        return found if include_rejected else [p for p in found if p.is_visible]

    def best(self, claim_id: str) -> Partner | None:
        """The best partner that is not rejected."""
        return next((p for p in self._partners.get(claim_id, []) if p.is_visible), None)

    def best_score(self, claim_id: str) -> float | None:
        scores = [p.score for p in self.partners(claim_id, include_rejected=False) if p.score]
        return max(scores) if scores else None

    def state(self, a_claim_id: str, b_claim_id: str) -> LinkState | None:
        found = self._pairs.get((a_claim_id, b_claim_id))
        return found[1] if found else None

    def has_match(self, claim_id: str) -> bool:
        return self.best(claim_id) is not None


def _rank(p: Partner) -> tuple[int, float]:
    confirmed = p.state in (LinkState.CONFIRMED, LinkState.MANUAL)
    rejected = p.state is LinkState.REJECTED
    return (0 if confirmed else 2 if rejected else 1, -(p.score or 0.0))
