"""Which claims of two articles found a partner: pure bookkeeping over matches, light
to import (no numpy), so that a run served from :mod:`.match_cache` needs no matcher."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Claim, Match


@dataclass(frozen=True)
class Coverage:
    """Which claims found a partner on the other side (ids, in claim order)."""

    matched_a: tuple[str, ...]
    matched_b: tuple[str, ...]
    only_in_a: tuple[str, ...]
    only_in_b: tuple[str, ...]


def coverage(
    a_claims: Sequence[Claim], b_claims: Sequence[Claim], matches: Sequence[Match]
) -> Coverage:
    """Matched and unmatched claims of each side (the "only in A/B" lists)."""
    in_a = {m.a_id for m in matches}
    in_b = {m.b_id for m in matches}
    return Coverage(
        matched_a=tuple(c.id for c in a_claims if c.id in in_a),
        matched_b=tuple(c.id for c in b_claims if c.id in in_b),
        only_in_a=tuple(c.id for c in a_claims if c.id not in in_a),
        only_in_b=tuple(c.id for c in b_claims if c.id not in in_b),
    )
