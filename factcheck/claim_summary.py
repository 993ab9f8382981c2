"""A claim's ClaimReview summary (``claimReviewed``): its text without verdict words,
cut short. Apart from the export formats, which are not loaded to show a claim in the
app's inspector (its Summary field shows this as the default).
"""

from __future__ import annotations

import re

#: Words that state a verdict: ClaimReview's ``claimReviewed`` must not contain them.
VERDICT_WORDS = frozenset(
    {
        "true",
        "untrue",
        "false",
        "truth",
        "supported",
        "unsupported",
        "contested",
        "misleading",
        "correct",
        "incorrect",
        "accurate",
        "inaccurate",
        "fake",
        "hoax",
        "debunked",
        "verified",
        "unverified",
        "unproven",
        "wrong",
        "opinion",
    }
)

#: ``claimReviewed`` stays strictly under this many characters.
SUMMARY_LIMIT = 75
_WORD_PARTS = re.compile(r"[\w’']+")
_ANY_VERDICT_WORD = re.compile(
    r"(?<![\w’'])(?:" + "|".join(sorted(VERDICT_WORDS)) + r")(?![\w’'])", re.IGNORECASE
)


def claim_summary(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """``text`` without verdict words, shorter than ``limit``, cut between words with "…"."""
    words = text.split()
    if _ANY_VERDICT_WORD.search(text):  # most claims have none: skip the word-by-word pass
        words = [w for w in words if not _is_verdict_word(w)]
    summary = " ".join(words)
    if len(summary) < limit:
        return summary
    room = limit - 2  # what is kept, plus "…", stays under the limit
    cut = summary[:room]
    space = cut.rfind(" ")
    if space > 0 and summary[room] != " ":  # the cut fell inside a word
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def _is_verdict_word(word: str) -> bool:
    return any(part.lower() in VERDICT_WORDS for part in _WORD_PARTS.findall(word))
