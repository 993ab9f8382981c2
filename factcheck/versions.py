"""Two versions of one article, aligned sentence by sentence (the stealth-edit check).

A newer version is the old text edited, so the alignment keeps order, as a file diff
does (Meld, ``diff``): the two lists of sentences are aligned with ``difflib``
(sentences that only differ in white space count as equal); inside each replaced
stretch, sentences are paired by similarity in order (a small dynamic programme),
and what is left over is inserted or deleted. A deleted sentence that reappears,
equal or nearly so, among the inserted ones elsewhere is *moved* (a moved paragraph
is a run of moved sentences). Changed and moved pairs carry the word diff with its
fact flags (numbers, dates, names, negation), from :mod:`factcheck.worddiff`.

Everything is a plain frozen value with the claims' character offsets; nothing here
knows about widgets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

from .models import Article, Claim
from .segmentation import segment_claims
from .worddiff import WordDiff, word_diff

_WORD_RE = re.compile(r"\w+|[^\w\s]")

#: Least similarity (0–100) for two sentences of a replaced stretch to be one edited
#: sentence rather than a deletion and an insertion.
PAIR_SIMILARITY = 50.0
#: Least similarity for a deleted sentence and an inserted one elsewhere to be a move.
MOVE_SIMILARITY = 85.0
#: Replaced stretches with more sentence pairs than this are paired greedily.
_DP_CELLS = 40_000
#: Above this many deleted × inserted sentences, only exact moves are looked for.
_MOVE_CELLS = 250_000


class ChangeKind(StrEnum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    INSERTED = "inserted"  # only in the new version
    DELETED = "deleted"  # only in the old version
    MOVED = "moved"  # in both, at another place (perhaps edited too)


@dataclass(frozen=True)
class SentenceChange:
    """One row of the alignment.

    ``old``/``new`` are the sentence in each version (``None`` for an insertion or a
    deletion). ``old_gap``/``new_gap`` say where a row sits in each version as a claim
    index: the sentence's own index, or for the side it is missing from, the index of
    the sentence it would stand before (the count of sentences at the end).
    """

    kind: ChangeKind
    old: Claim | None
    new: Claim | None
    old_gap: int
    new_gap: int
    #: 0–100; 100 for unchanged sentences, 0 for insertions and deletions.
    similarity: float

    @property
    def is_change(self) -> bool:
        return self.kind is not ChangeKind.UNCHANGED

    def diff(self) -> WordDiff | None:
        """The word diff from the old sentence to the new, with fact flags (pairs only)."""
        if self.old is None or self.new is None:
            return None
        return word_diff(self.old.text, self.new.text)


@dataclass(frozen=True)
class ChangeChunk:
    """Consecutive rows shown and visited as one change (Meld's chunk): a run of
    insertions, of deletions, or of sentences moved together; each changed sentence
    is a chunk of its own, with its own word diff."""

    kind: ChangeKind
    rows: tuple[SentenceChange, ...]

    @property
    def old_range(self) -> tuple[int, int]:
        """Claim indices ``[start, end)`` in the old version (empty for insertions)."""
        return _range([r.old for r in self.rows], self.rows[0].old_gap)

    @property
    def new_range(self) -> tuple[int, int]:
        return _range([r.new for r in self.rows], self.rows[0].new_gap)


@dataclass(frozen=True)
class VersionComparison:
    old: Article
    new: Article
    old_claims: tuple[Claim, ...]
    new_claims: tuple[Claim, ...]
    #: Every sentence of both versions once, in the old version's order with each
    #: insertion where it goes; a moved sentence sits where it was.
    rows: tuple[SentenceChange, ...]

    def changes(self) -> tuple[SentenceChange, ...]:
        return tuple(r for r in self.rows if r.is_change)

    def chunks(self) -> tuple[ChangeChunk, ...]:
        """The changes grouped as they are shown and visited, in order."""
        chunks: list[list[SentenceChange]] = []
        previous: SentenceChange | None = None
        for row in self.rows:
            if row.is_change:
                if previous is not None and _same_chunk(previous, row):
                    chunks[-1].append(row)
                else:
                    chunks.append([row])
            previous = row
        return tuple(ChangeChunk(rows[0].kind, tuple(rows)) for rows in chunks)

    def counts(self) -> dict[ChangeKind, int]:
        counts = dict.fromkeys(ChangeKind, 0)
        for row in self.rows:
            counts[row.kind] += 1
        return counts

    @property
    def is_identical(self) -> bool:
        return not self.changes()


def compare_versions(old: Article, new: Article) -> VersionComparison:
    """Align the sentences of ``old`` and ``new`` (see the module doc)."""
    old_claims, new_claims = segment_claims(old), segment_claims(new)
    return VersionComparison(old, new, old_claims, new_claims, align_claims(old_claims, new_claims))


def align_claims(old: Sequence[Claim], new: Sequence[Claim]) -> tuple[SentenceChange, ...]:
    """The order-aware alignment of two versions' claims (see the module doc)."""
    old_keys, new_keys = [_key(c) for c in old], [_key(c) for c in new]
    rows: list[SentenceChange] = []
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += (
                SentenceChange(ChangeKind.UNCHANGED, old[i], new[j], i, j, 100.0)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            )
        else:
            rows += _replaced(old, new, old_keys, new_keys, i1, i2, j1, j2)
    return tuple(_with_moves(rows, old_keys, new_keys))


def _key(claim: Claim) -> str:
    return " ".join(claim.text.split())


def _similarity(a: str, b: str) -> float:
    """Share of words the two sentences have in common, in order (0–100): a changed
    figure or name in a sentence of ten words leaves 90."""
    # Imported here: the app's window imports this module's types to show, not compare.
    from rapidfuzz.distance import Indel

    return 100.0 * float(Indel.normalized_similarity(_WORD_RE.findall(a), _WORD_RE.findall(b)))


def _replaced(
    old: Sequence[Claim],
    new: Sequence[Claim],
    old_keys: list[str],
    new_keys: list[str],
    i1: int,
    i2: int,
    j1: int,
    j2: int,
) -> list[SentenceChange]:
    """Rows for a replaced stretch: pairs in order, deletions and insertions between."""
    pairs = _pair_in_order(old_keys[i1:i2], new_keys[j1:j2])
    rows: list[SentenceChange] = []
    i, j = i1, j1
    for (pi, pj), score in pairs:
        rows += _unpaired(old, new, i, i1 + pi, j, j1 + pj)
        i, j = i1 + pi, j1 + pj
        rows.append(SentenceChange(ChangeKind.CHANGED, old[i], new[j], i, j, score))
        i, j = i + 1, j + 1
    rows += _unpaired(old, new, i, i2, j, j2)
    return rows


def _unpaired(
    old: Sequence[Claim], new: Sequence[Claim], i1: int, i2: int, j1: int, j2: int
) -> list[SentenceChange]:
    rows = [SentenceChange(ChangeKind.DELETED, old[i], None, i, j1, 0.0) for i in range(i1, i2)]
    rows += (SentenceChange(ChangeKind.INSERTED, None, new[j], i2, j, 0.0) for j in range(j1, j2))
    return rows


def _pair_in_order(a: list[str], b: list[str]) -> list[tuple[tuple[int, int], float]]:
    """Pairs ``(i, j)`` of similar sentences, increasing in both, of greatest total
    similarity (each pair at least :data:`PAIR_SIMILARITY`)."""
    if not a or not b:
        return []
    if len(a) * len(b) > _DP_CELLS:
        return _pair_greedily(a, b)
    sim = [[_similarity(x, y) for y in b] for x in a]
    n, m = len(a), len(b)
    # best[i][j]: the best total over a[i:], b[j:].
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= PAIR_SIMILARITY else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs = []
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= PAIR_SIMILARITY and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            pairs.append(((i, j), sim[i][j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _pair_greedily(a: list[str], b: list[str]) -> list[tuple[tuple[int, int], float]]:
    """For very long stretches: each old sentence takes its best match among the next
    few new ones."""
    pairs = []
    j = 0
    for i, x in enumerate(a):
        window = range(j, min(len(b), j + 8))
        scored = [(_similarity(x, b[k]), k) for k in window]
        if scored:
            score, k = max(scored)
            if score >= PAIR_SIMILARITY:
                pairs.append(((i, k), score))
                j = k + 1
    return pairs


def _with_moves(
    rows: list[SentenceChange], old_keys: list[str], new_keys: list[str]
) -> list[SentenceChange]:
    """Deleted sentences that were inserted elsewhere become moves (at the old place)."""
    deleted = [n for n, r in enumerate(rows) if r.kind is ChangeKind.DELETED]
    inserted = [n for n, r in enumerate(rows) if r.kind is ChangeKind.INSERTED]
    if not deleted or not inserted:
        return rows
    fuzzy = len(deleted) * len(inserted) <= _MOVE_CELLS
    free = {n: new_keys[rows[n].new_gap] for n in inserted}
    by_text: dict[str, list[int]] = {}
    for n, text in free.items():
        by_text.setdefault(text, []).append(n)
    moved: dict[int, tuple[int, float]] = {}
    for d in deleted:
        text = old_keys[rows[d].old_gap]
        exact = [n for n in by_text.get(text, []) if n in free]
        if exact:
            moved[d] = (exact[0], 100.0)
        elif fuzzy and free:
            score, n = max((_similarity(text, other), n) for n, other in free.items())
            if score < MOVE_SIMILARITY:
                continue
            moved[d] = (n, score)
        else:
            continue
        del free[moved[d][0]]
    if not moved:
        return rows
    taken = {n for n, _ in moved.values()}
    out = []
    for n, row in enumerate(rows):
        if n in taken:
            continue
        if n in moved:
            m, score = moved[n]
            new = rows[m].new
            assert new is not None
            row = SentenceChange(ChangeKind.MOVED, row.old, new, row.old_gap, new.index, score)
        out.append(row)
    return out


def _same_chunk(previous: SentenceChange, row: SentenceChange) -> bool:
    if previous.kind is not row.kind or row.kind is ChangeKind.CHANGED:
        return False
    if row.kind is ChangeKind.MOVED:  # moved together: a moved paragraph
        return row.new_gap == previous.new_gap + 1
    return True


def _range(claims: list[Claim | None], gap: int) -> tuple[int, int]:
    indices = [c.index for c in claims if c is not None]
    return (min(indices), max(indices) + 1) if indices else (gap, gap)
