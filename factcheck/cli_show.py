"""What ``factcheck show`` lists besides its counts: every claim with a verdict or a
note, and every link the reviewer decided (confirmed or made by hand), as the README
promises (claims with verdicts, links, orphans)."""

from __future__ import annotations

from typing import Any, TextIO

from .claimref import claim_label
from .models import LinkState, Verdict
from .store import ProjectStore
from .textutil import excerpt

_SYMBOLS = {
    Verdict.SUPPORTED: "✓",
    Verdict.CONTESTED: "✗",
    Verdict.OPINION: "≈",
    Verdict.UNREVIEWED: "·",
}


def reviewed_claims(store: ProjectStore) -> list[dict[str, Any]]:
    """Claims with a verdict or a note, in article order."""
    out = []
    for claim in store.all_claims():
        annotation = store.annotation(claim.id)
        if annotation.verdict is Verdict.UNREVIEWED and not annotation.note:
            continue
        out.append(
            {
                "claim": claim_label(claim.id),
                "id": claim.id,
                "verdict": annotation.verdict.value,
                "note": annotation.note,
                "text": claim.text,
            }
        )
    return out


def decided_links(store: ProjectStore) -> list[dict[str, Any]]:
    """Confirmed links and links made by hand (suggestions are only counted)."""
    return [
        {
            "a": claim_label(link.a_claim_id),
            "b": claim_label(link.b_claim_id),
            "state": link.state.value,
            "a_text": store.claim(link.a_claim_id).text,
            "b_text": store.claim(link.b_claim_id).text,
        }
        for link in store.links()
        if link.state in (LinkState.CONFIRMED, LinkState.MANUAL)
    ]


def write_lists(w: TextIO, claims: list[dict[str, Any]], links: list[dict[str, Any]]) -> None:
    if claims:
        w.write(f"Claims with a verdict or a note ({len(claims)}):\n")
        for c in claims:
            w.write(
                f"  {c['claim']} {_SYMBOLS[Verdict(c['verdict'])]} {c['verdict']}: "
                f"“{excerpt(c['text'], 100)}”\n"
            )
            if c["note"]:
                w.write(f"       note: {excerpt(c['note'], 100)}\n")
    if links:
        w.write(f"Confirmed and hand-made links ({len(links)}):\n")
        for link in links:
            w.write(
                f"  {link['a']} ↔ {link['b']} ({link['state']}): “{excerpt(link['a_text'], 50)}”"
                f" ↔ “{excerpt(link['b_text'], 50)}”\n"
            )
