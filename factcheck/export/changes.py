"""The claims "changed since reviewed": every verdict and confirmed link that an
article update placed on text that differs from the text it was made on.

The CLI (``factcheck show``), the reports and the CSV list them from here, with the
word diff from the text as reviewed to the text now and its fact flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..claimref import claim_label
from ..models import Annotation, ChangedText, Claim, Link, Verdict
from ..worddiff import WordDiff, word_diff
from .common import ProjectIndex


@dataclass(frozen=True)
class ChangedClaim:
    """One claim whose verdict or link was made on other text than it holds now."""

    claim: Claim
    changed: ChangedText
    #: What was made on the old text: the claim's annotation, or a link (else None).
    annotation: Annotation | None = None
    link: Link | None = None

    @property
    def label(self) -> str:
        return claim_label(self.claim.id)

    @property
    def what(self) -> str:
        """``verdict supported`` or ``link to B4 (confirmed)``, for one-line listings."""
        if self.annotation is not None:
            return f"verdict {self.annotation.verdict.value}"
        assert self.link is not None
        other = self.link.b_claim_id if self.claim.article_id == "a" else self.link.a_claim_id
        return f"link to {claim_label(other)} ({self.link.state.value})"

    @cached_property
    def diff(self) -> WordDiff:
        """From the text as reviewed to the text now, with the fact flags."""
        return word_diff(self.changed.old_quote, self.claim.text)


def changed_claims(index: ProjectIndex) -> tuple[ChangedClaim, ...]:
    """Annotations first then link ends, each in text order (A, then B)."""
    found: list[ChangedClaim] = []
    for claim in index.all_claims():
        annotation = index.annotations.get(claim.id)
        if annotation is not None and annotation.changed is not None:
            found.append(ChangedClaim(claim, annotation.changed, annotation=annotation))
    for link in index.links:
        for claim_id, changed in (
            (link.a_claim_id, link.a_changed),
            (link.b_claim_id, link.b_changed),
        ):
            if changed is not None:
                found.append(ChangedClaim(index.claim_by_id[claim_id], changed, link=link))
    return tuple(found)


def changed_verdict_ids(index: ProjectIndex) -> frozenset[str]:
    """Claims whose verdict (not only a link) waits for a re-confirmation."""
    return frozenset(
        cid
        for cid, a in index.annotations.items()
        if a.changed is not None and a.verdict is not Verdict.UNREVIEWED
    )
