"""Find a stored :class:`TextAnchor` again in a (new version of a) text.

The order follows the Hypothesis client's ``match-quote.ts``: the stored position,
then the exact quote (choosing among repeats by prefix/suffix context, then by
closeness to the old position), then a fuzzy search scored on quote, context and
position. Unlike that client, a fuzzy result must clear :data:`MIN_FUZZY_SCORE` and
pass the lookalike rules below, or the anchor is reported *orphaned*: a note left
without a place is visible and re-attachable; a note that silently jumped onto a
similar sentence elsewhere is a wrong verdict nobody notices.

Lookalike rules (any one rejects a fuzzy candidate):

* **no context** — neither the text before nor the text after the candidate looks
  like the stored prefix/suffix (similarity < :data:`MIN_CONTEXT_SIMILARITY`).
  A deleted sentence whose near-twin with other numbers stands elsewhere fails here.
* **old neighbour** — the candidate starts with the stored suffix or ends with the
  stored prefix: it is the sentence that stood next to the quote, not the quote.
* **older passage** (only with ``old_text``) — the candidate resembles some other
  passage of the old text more than it resembles the quote: that passage was there
  before and is what the candidate is.
* **ambiguous** — a second place, not overlapping the best, also passes and scores
  within :data:`AMBIGUITY_MARGIN` of it: we cannot tell which one was meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import fast_diff_match_patch
from rapidfuzz import fuzz, process

from .models import CONTEXT_CHARS, AnchorStatus, TextAnchor
from .segmentation import segment_spans

#: Weights of the fuzzy score (they add up to 1). Context weighs as much as in the
#: Hypothesis client (quote 50, prefix 20, suffix 20); position is a tie-breaker.
QUOTE_WEIGHT = 0.5
PREFIX_WEIGHT = 0.2
SUFFIX_WEIGHT = 0.2
POSITION_WEIGHT = 0.1

#: A fuzzy result below this score is orphaned. Why 0.75: a slightly reworded claim
#: (quote similarity ≥ 0.8) with both neighbours intact scores ≥ 0.9, and with one
#: neighbour replaced (context ≈ 0.35 on that side) still ≥ 0.76; a near-twin
#: sentence elsewhere (quote ≈ 0.95, both contexts ≈ 0.35) scores ≈ 0.72 and fails.
MIN_FUZZY_SCORE = 0.75
#: Below this quote similarity (rapidfuzz ``ratio``/100) a passage is not the quote.
MIN_QUOTE_SIMILARITY = 0.6
#: One side of the context must be at least this similar (unrelated English ≈ 0.3–0.45).
MIN_CONTEXT_SIMILARITY = 0.7
#: Two places scoring within this of each other are indistinguishable.
AMBIGUITY_MARGIN = 0.05
#: Repeats of an exact quote considered (the nearest to the old position).
MAX_EXACT_CANDIDATES = 1000
#: Fuzzy candidates kept from the sentence-run search.
_SENTENCE_CANDIDATES = 8
#: A quote longer than this is found exactly or not at all: approximate matching costs
#: time in the product of the quote's and the text's lengths.
MAX_FUZZY_QUOTE_CHARS = 2_000
#: Runs of more sentences than this are not searched as a whole (a quote of many
#: sentences is still looked for near its old place and by its two ends).
_MAX_RUN = 8
#: At most this many characters of runs of sentences are held per text (a run of
#: ``r`` sentences over a text of ``n`` characters holds about ``r * n``).
_RUN_CHARS = 64_000_000
#: What one import or update may spend searching for quotes that are not where they
#: were, in characters compared (see :class:`SearchBudget`): about 10 s here.
SEARCH_BUDGET = 5_000_000_000
#: An approximate search of a text costs about this many exact scans of it, per 64
#: characters of quote (measured: 115 ms against 1.6 ms for a 1 MB article).
_FUZZY_COST = 30


@dataclass(frozen=True)
class AnchorResult:
    """Where an anchor landed. ``start``/``end`` are -1 when orphaned; ``score`` is 0–1."""

    status: AnchorStatus
    start: int
    end: int
    score: float
    #: Why an anchor is orphaned (empty otherwise); shown to the user.
    reason: str = ""


def orphaned(reason: str) -> AnchorResult:
    return AnchorResult(AnchorStatus.ORPHANED, -1, -1, 0.0, reason)


class SearchBudget:
    """The searching one import or update may do, shared by all its anchors.

    Every anchor is first checked at its stored place, which costs nothing to speak
    of. Searching the whole text for it costs the text's length; searching it
    approximately, about :data:`_FUZZY_COST` times that per 64 characters of quote.
    Once the budget is spent, every anchor that is not at its stored place is kept as
    an orphan saying so (re-attachable like any other): hostile or enormous imports
    end in bounded time instead of hours.
    """

    def __init__(self, units: int = SEARCH_BUDGET) -> None:
        self.left = units
        #: Anchors left unsearched because the budget was spent.
        self.refused = 0

    def spend(self, units: int) -> bool:
        if units > self.left:
            self.left = 0  # stop here: what comes after is not searched either
            self.refused += 1
            return False
        self.left -= units
        return True


NOT_SEARCHED = (
    "not searched for: this import or update spent its time budget for searching "
    "(re-attach it by hand, or import fewer annotations at a time)"
)


def reanchor(
    text: str,
    anchor: TextAnchor,
    *,
    min_score: float = MIN_FUZZY_SCORE,
    old_text: str | None = None,
    budget: SearchBudget | None = None,
) -> AnchorResult:
    """Place ``anchor`` on ``text``: anchored, moved, fuzzy (with score) or orphaned.

    ``old_text`` is the text the anchor was made on, when known; it lets the fuzzy
    search reject passages that were already there as other sentences. ``budget``
    bounds the searching of many anchors together (see :class:`SearchBudget`).
    """
    if not anchor.exact:
        return orphaned("the stored quote is empty")
    here = _at_stored_place(text, anchor)
    if here is not None:
        return here
    if budget is not None and not budget.spend(len(text)):
        return orphaned(NOT_SEARCHED)
    exact = _exact_match(text, anchor)
    if exact is not None:
        return exact
    if len(anchor.exact) > MAX_FUZZY_QUOTE_CHARS:
        return orphaned(
            f"the quote is no longer in the text, and at {len(anchor.exact):,} characters it "
            f"is too long to look for a similar passage (the limit is {MAX_FUZZY_QUOTE_CHARS:,})"
        )
    cost = _FUZZY_COST * (len(text) + len(old_text or "")) * (1 + len(anchor.exact) // 64)
    if budget is not None and not budget.spend(cost):
        return orphaned(NOT_SEARCHED)
    return _fuzzy_match(text, anchor, min_score, old_text)


# -- exact quote -------------------------------------------------------------------


def _at_stored_place(text: str, anchor: TextAnchor) -> AnchorResult | None:
    """Anchored, when the quote is where it was with all of its context: no other find
    can beat it (the stored position wins a tie), so the text need not be searched."""
    quote = anchor.exact
    here = anchor.start
    if (
        here >= 0
        and text.startswith(quote, here)
        and round(_context_score(text, here, here + len(quote), anchor), 6) == _FULL_CONTEXT
    ):
        return AnchorResult(AnchorStatus.ANCHORED, here, here + len(quote), 1.0)
    return None


def _exact_match(text: str, anchor: TextAnchor) -> AnchorResult | None:
    quote = anchor.exact
    hits: list[int] = []
    pos = text.find(quote)
    while pos != -1 and len(hits) < 20 * MAX_EXACT_CANDIDATES:
        hits.append(pos)
        pos = text.find(quote, pos + 1)
    if not hits:
        return None
    if len(hits) > MAX_EXACT_CANDIDATES:
        hits = sorted(hits, key=lambda h: abs(h - anchor.start))[:MAX_EXACT_CANDIDATES]
    if len(hits) == 1:
        best = hits[0]
    else:
        # Context first (that is what tells repeats apart), then closeness; the
        # stored position wins a tie, so an unchanged article stays "anchored".
        best = max(
            hits,
            key=lambda h: (
                round(_context_score(text, h, h + len(quote), anchor), 6),
                h == anchor.start,
                -abs(h - anchor.start),
            ),
        )
    status = AnchorStatus.ANCHORED if best == anchor.start else AnchorStatus.MOVED
    return AnchorResult(status, best, best + len(quote), 1.0)


# -- fuzzy search ------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    quote: float
    prefix: float
    suffix: float
    score: float


def _fuzzy_match(
    text: str, anchor: TextAnchor, min_score: float, old_text: str | None
) -> AnchorResult:
    spans = _candidate_spans(text, anchor)
    scored = sorted(
        (c for s, e in spans if (c := _score(text, s, e, anchor)) is not None),
        key=lambda c: (-c.score, c.start),
    )
    if not scored:
        return orphaned("the quote is no longer in the text (no similar passage)")
    passing: list[_Candidate] = []
    first_rejection = ""
    for cand in scored:
        why = _lookalike(text, cand, anchor, old_text)
        if why:
            first_rejection = first_rejection or why
        else:
            passing.append(cand)
    if not passing:
        return orphaned(first_rejection)
    best = passing[0]
    for other in passing[1:]:
        if other.start < best.end and best.start < other.end:
            continue
        if other.score >= best.score - AMBIGUITY_MARGIN:
            return orphaned(
                f"two passages match the quote about equally well "
                f"(at {best.start} and {other.start}): not guessing"
            )
        break
    if best.score < min_score:
        return orphaned(
            f"the most similar passage scores {best.score:.2f}, below the minimum {min_score:.2f}"
        )
    return AnchorResult(AnchorStatus.FUZZY, best.start, best.end, round(best.score, 4))


def _candidate_spans(text: str, anchor: TextAnchor) -> set[tuple[int, int]]:
    """Places worth scoring: runs of whole sentences anywhere, and windows near the old spot."""
    quote = anchor.exact
    strip = quote == quote.strip()
    found: set[tuple[int, int]] = set()
    sentences = max(1, len(segment_spans(quote)))
    for run in range(max(1, sentences - 1), sentences + 2):
        starts, ends, choices = _sentence_runs(text, run)
        for _choice, _score, i in process.extract(
            quote,
            choices,
            scorer=fuzz.ratio,
            score_cutoff=MIN_QUOTE_SIMILARITY * 100,
            limit=_SENTENCE_CANDIDATES,
        ):
            found.add((starts[i], ends[i]))
    # Quotes that are not whole sentences: look around the old position.
    margin = len(quote) + 2 * CONTEXT_CHARS + 200
    lo, hi = max(0, anchor.start - margin), min(len(text), anchor.end + margin)
    if hi > lo:
        window = fuzz.partial_ratio_alignment(quote, text[lo:hi])
        if window is not None and window.score >= MIN_QUOTE_SIMILARITY * 100:
            found.add((lo + window.dest_start, lo + window.dest_end))
    head_tail = _head_and_tail(text, anchor)
    if head_tail is not None:
        found.add(head_tail)
    return {
        span for s, e in found if (span := _stripped(text, s, e) if strip else (s, e))[0] < span[1]
    }


class _TextIndex:
    """A text's sentences, and the runs of ``r`` consecutive sentences made of them,
    built once per text (for all the anchors of an import or update)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = segment_spans(text)
        self.runs: dict[int, tuple[list[int], list[int], list[str]]] = {}

    def sentence_runs(self, run: int) -> tuple[list[int], list[int], list[str]]:
        found = self.runs.get(run)
        if found is not None:
            return found
        if run > _MAX_RUN or run * len(self.text) > _RUN_CHARS:
            return [], [], []
        while self.runs and (run + sum(self.runs)) * len(self.text) > _RUN_CHARS:
            del self.runs[next(iter(self.runs))]  # the oldest
        text, spans = self.text, self.spans
        count = max(0, len(spans) - run + 1)
        starts = [s for s, _e in spans[:count]]
        ends = [e for _s, e in spans[run - 1 : run - 1 + count]]
        choices = [text[s:e] for s, e in zip(starts, ends, strict=True)]
        found = self.runs[run] = (starts, ends, choices)
        return found


@lru_cache(maxsize=4)
def _text_index(text: str) -> _TextIndex:
    return _TextIndex(text)


def _sentence_runs(text: str, run: int) -> tuple[list[int], list[int], list[str]]:
    return _text_index(text).sentence_runs(run)


def _head_and_tail(text: str, anchor: TextAnchor) -> tuple[int, int] | None:
    """diff-match-patch's bitap match for the quote's first and last 32 characters.

    ``match_main`` handles at most ``Match_MaxBits`` (32) pattern characters, so a long
    quote is found by its two ends, each searched near where it used to be.
    """
    quote = anchor.exact
    bits = _MATCH_MAX_BITS
    head, tail = quote[:bits], quote[-bits:]
    start = _match(text, head, max(0, min(anchor.start, len(text))))
    if start == -1:
        return None
    if len(quote) <= bits:
        return start, min(len(text), start + len(quote))
    tail_at = _match(text, tail, max(0, min(start + len(quote) - len(tail), len(text))))
    if tail_at == -1:
        return None
    end = tail_at + len(tail)
    if not len(quote) / 2 <= end - start <= 2 * len(quote):
        return None
    return start, end


#: diff-match-patch's bitap handles patterns of at most this many characters.
_MATCH_MAX_BITS = 32


def _match(text: str, pattern: str, loc: int) -> int:
    """diff-match-patch's ``match_main`` (threshold 0.5, distance 1000), in C++:
    the same places, 50-100 times faster than the pure-Python bitap."""
    found: int = fast_diff_match_patch.match(text, pattern, loc)
    return found


def _score(text: str, start: int, end: int, anchor: TextAnchor) -> _Candidate | None:
    quote = fuzz.ratio(anchor.exact, text[start:end]) / 100
    if quote < MIN_QUOTE_SIMILARITY:
        return None
    prefix = _prefix_similarity(text, start, anchor)
    suffix = _suffix_similarity(text, end, anchor)
    distance = abs(start - anchor.start) / max(len(text), 1)
    score = (
        QUOTE_WEIGHT * quote
        + PREFIX_WEIGHT * prefix
        + SUFFIX_WEIGHT * suffix
        + POSITION_WEIGHT * max(0.0, 1.0 - distance)
    )
    return _Candidate(start, end, quote, prefix, suffix, score)


def _lookalike(text: str, cand: _Candidate, anchor: TextAnchor, old_text: str | None) -> str:
    """Why ``cand`` is a lookalike rather than the quote ('' when it is not)."""
    passage = _squash(text[cand.start : cand.end])
    if max(cand.prefix, cand.suffix) < MIN_CONTEXT_SIMILARITY:
        return "the quote is gone; a similar passage elsewhere has different surroundings"
    after, before = _squash(anchor.suffix), _squash(anchor.prefix)
    if (len(after) >= 8 and passage.startswith(after[: len(passage)])) or (
        len(before) >= 8 and passage.endswith(before[-len(passage) :])
    ):
        return "the quote is gone; the closest passage is the sentence that stood next to it"
    if old_text is not None and _resembles_other_old_passage(old_text, passage, cand, anchor):
        return "the quote is gone; the closest passage was already in the old text"
    return ""


def _resembles_other_old_passage(
    old_text: str, passage: str, cand: _Candidate, anchor: TextAnchor
) -> bool:
    own = (
        (anchor.start, anchor.end)
        if old_text[anchor.start : anchor.end] == anchor.exact
        else (-1, -1)
    )
    runs = max(1, len(segment_spans(anchor.exact)))
    for run in range(max(1, runs - 1), runs + 2):
        starts, ends, choices = _sentence_runs(old_text, run)
        for _choice, similarity, i in process.extract(
            passage, choices, scorer=fuzz.ratio, score_cutoff=cand.quote * 100, limit=8
        ):
            elsewhere = ends[i] <= own[0] or starts[i] >= own[1]
            if elsewhere and similarity / 100 > cand.quote:
                return True
    return False


#: The best :func:`_context_score`: prefix and suffix both as stored.
_FULL_CONTEXT = 2.0


def _context_score(text: str, start: int, end: int, anchor: TextAnchor) -> float:
    return _prefix_similarity(text, start, anchor) + _suffix_similarity(text, end, anchor)


def _prefix_similarity(text: str, start: int, anchor: TextAnchor) -> float:
    width = len(anchor.prefix) or CONTEXT_CHARS
    return _similarity(anchor.prefix, text[max(0, start - width) : start])


def _suffix_similarity(text: str, end: int, anchor: TextAnchor) -> float:
    width = len(anchor.suffix) or CONTEXT_CHARS
    return _similarity(anchor.suffix, text[end : end + width])


def _similarity(expected: str, actual: str) -> float:
    """0–1, ignoring how white space was laid out; two empty contexts agree."""
    e, a = _squash(expected), _squash(actual)
    if not e and not a:
        return 1.0
    return fuzz.ratio(e, a) / 100


def _squash(text: str) -> str:
    return " ".join(text.split())


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
