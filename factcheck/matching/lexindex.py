"""Inverted index over two lists of claims: IDF-weighted overlaps and candidate pairs.

Every claim is a set of normalised words. For a pair of claims the index computes
``W``, the summed IDF of the words they share: rare words, names and numbers count
much more than "the" or "said". All pairs are never visited one by one; the overlap
matrix is built block by block of A-rows from two parts:

* the frequent words (whose posting lists would make most pairs: "the", "said")
  are left out of the ranking key (their IDF is low anyway), except a claim's two
  rarest words, so that a claim of common words still finds its partners. A word
  is frequent when it makes more than a fixed number of pairs, so the pairs the key
  is built from grow with the length of the articles, not with its square (a cut at
  a share of all pairs kept words making 10⁵ pairs each at 10,000 claims a side);
* every other word contributes its (A posting × B posting) pairs, generated with
  vectorised ``repeat``. Each pair is one 64-bit integer, its cell (A row, B claim)
  above the word's IDF in fixed point; one sort of those integers groups a cell's
  words and ``add.reduceat`` sums them. Only pairs that share a word are touched:
  the old dense block of (rows × B claims), scanned for non-zero cells, cost time
  in the square of the article length.

From each block the best ``width`` columns per row are kept, and a running best
``width`` rows per column (pruned against each column's current width-th best, so
memory stays bounded however many blocks there are): candidates are many-to-many.
Only those candidates are re-scored with rapidfuzz afterwards.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: BM25 constants (Robertson et al.; the usual defaults).
BM25_K1 = 1.2
BM25_B = 0.75
#: (A claim, B claim) word pairs generated per block: bounds memory (~50 B each).
_BLOCK_PAIRS = 250_000
#: IDF in fixed point inside a pair's integer: 16 bits, 1/4096 steps (IDF stays below
#: 16 for up to 10⁷ claims); summing a cell's words is exact in that unit.
_IDF_BITS = 16
_IDF_SCALE = 4096.0
#: A word is "frequent" (left out of the candidate key) when it pairs more than this
#: many claims (A claims holding it × B claims holding it): in long articles "the",
#: "said", "is"... A fixed bound, not a share of all pairs, so the pairs the key is
#: built from grow with the article length, not with its square.
_FREQUENT_PAIRS = 10_000
#: A claim's rarest words that stay in its key even when frequent.
_RESCUE_WORDS = 2
#: Cells of the (A claim, word) table of :func:`pair_overlaps` (one byte each): a block
#: of A claims at a time.
_TABLE_CELLS = 1 << 22


@dataclass(frozen=True)
class Corpus:
    """The words of both sides, as integer ids, with their IDF over both sides."""

    idf: FloatArray
    #: Word counts (with repeats) per claim, for BM25 length normalisation.
    a_lengths: FloatArray
    b_lengths: FloatArray
    average_length: float
    #: Summed IDF of each claim's words.
    a_weights: FloatArray
    b_weights: FloatArray
    #: The word sets as CSR arrays (row pointers, word ids).
    a_csr: tuple[IntArray, IntArray]
    b_csr: tuple[IntArray, IntArray]

    @property
    def a_sets(self) -> tuple[tuple[int, ...], ...]:
        """Each A claim's word ids, ascending."""
        return _sets(self.a_csr)

    @property
    def b_sets(self) -> tuple[tuple[int, ...], ...]:
        """Each B claim's word ids, ascending."""
        return _sets(self.b_csr)


def build_corpus(
    a_tokens: Sequence[Sequence[str]],
    b_tokens: Sequence[Sequence[str]],
    *,
    document_frequency: tuple[Mapping[str, int], int] | None = None,
) -> Corpus:
    """Word ids and IDF (BM25's, kept positive) over the claims of both sides.

    ``document_frequency`` (word counts, number of texts) replaces the counts over both
    sides, for a side that is a sample of a larger collection (the claim library).
    """
    # Ids in order of first appearance, A then B; the lookups run in C (map), not in a
    # Python loop per word.
    a_flat = list(itertools.chain.from_iterable(a_tokens))
    b_flat = list(itertools.chain.from_iterable(b_tokens))
    vocabulary = dict.fromkeys(itertools.chain(a_flat, b_flat))
    ids = dict(zip(vocabulary, range(len(vocabulary)), strict=True))
    a_lengths = np.fromiter(map(len, a_tokens), dtype=np.float64, count=len(a_tokens))
    b_lengths = np.fromiter(map(len, b_tokens), dtype=np.float64, count=len(b_tokens))
    a_csr = _csr(a_lengths, np.fromiter(map(ids.__getitem__, a_flat), np.int64, len(a_flat)))
    b_csr = _csr(b_lengths, np.fromiter(map(ids.__getitem__, b_flat), np.int64, len(b_flat)))
    n_claims = len(a_lengths) + len(b_lengths)
    if document_frequency is None:
        # A claim's word ids are distinct: counting them counts the claims holding a word.
        words = np.concatenate([a_csr[1], b_csr[1]])
        df = np.bincount(words, minlength=len(vocabulary)).astype(np.float64)
        n = max(n_claims, 1)
    else:
        counts, n = document_frequency
        df = np.array([max(counts.get(w, 0), 1) for w in vocabulary], dtype=np.float64)
        n = max(n, 1)
    idf = np.log1p((n - df + 0.5) / (df + 0.5))
    total = a_lengths.sum() + b_lengths.sum()
    return Corpus(
        idf,
        a_lengths,
        b_lengths,
        float(total / max(n_claims, 1)) or 1.0,
        _set_weights(a_csr, idf),
        _set_weights(b_csr, idf),
        a_csr,
        b_csr,
    )


def _set_weights(csr: tuple[IntArray, IntArray], idf: FloatArray) -> FloatArray:
    ptr, words = csr
    rows = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
    return np.bincount(rows, idf[words], minlength=len(ptr) - 1).astype(np.float64)


def pair_overlaps(corpus: Corpus, a_index: IntArray, b_index: IntArray) -> FloatArray:
    """``W`` (summed IDF of the shared words) for the given pairs, vectorised.

    Pairs are taken by blocks of A claims: a dense table marks the block's (claim, word)
    cells, and each pair looks its B claim's words up there (one gather each, where a
    search in the sorted (claim, word) keys cost about 17 steps). A pair's shared words
    are summed in ascending word id, the order of both sides' word lists."""
    out = np.zeros(len(a_index))
    n_words = max(len(corpus.idf), 1)
    a_ptr, a_words = corpus.a_csr
    # Only the words both sides have can be shared: compact ids for them (the table's width).
    both = (np.bincount(a_words, minlength=n_words) > 0) & (
        np.bincount(corpus.b_csr[1], minlength=n_words) > 0
    )
    width = int(both.sum())
    if width == 0 or len(a_index) == 0:
        return out
    compact = np.cumsum(both) - 1
    b_ptr, b_words = _restrict(corpus.b_csr, both)
    rows_per_block = max(1, min(_TABLE_CELLS // width, len(a_ptr) - 1))
    table = np.zeros(rows_per_block * width, dtype=bool)
    order = np.argsort(a_index, kind="stable")
    sorted_a, sorted_b = a_index[order], b_index[order]
    n_a = len(a_ptr) - 1
    bounds = np.searchsorted(sorted_a, np.arange(0, n_a + rows_per_block, rows_per_block))
    sums = np.zeros(len(a_index))
    for block, (p0, p1) in enumerate(itertools.pairwise(bounds.tolist())):
        if p0 == p1:
            continue
        r0 = block * rows_per_block
        r1 = min(r0 + rows_per_block, n_a)
        words = a_words[a_ptr[r0] : a_ptr[r1]]
        rows = np.repeat(np.arange(r1 - r0), np.diff(a_ptr[r0 : r1 + 1]))
        cells = rows[both[words]] * width + compact[words[both[words]]]
        table[cells] = True
        bi = sorted_b[p0:p1]
        counts = b_ptr[bi + 1] - b_ptr[bi]
        starts = np.repeat(b_ptr[bi] - np.cumsum(counts) + counts, counts)
        shared = b_words[starts + np.arange(int(counts.sum()))]
        pair = np.repeat(np.arange(p1 - p0), counts)
        local = np.repeat(sorted_a[p0:p1] - r0, counts)
        hit = table[local * width + compact[shared]]
        sums[p0:p1] = np.bincount(pair[hit], corpus.idf[shared[hit]], minlength=p1 - p0)
        table[cells] = False
    out[order] = sums
    return out


def weighted_dice(
    corpus: Corpus, overlap: FloatArray, a_index: IntArray, b_index: IntArray
) -> FloatArray:
    """``2W / (W_a + W_b)``: the IDF-weighted share of words the two claims have in common."""
    total = corpus.a_weights[a_index] + corpus.b_weights[b_index]
    return np.divide(2.0 * overlap, total, out=np.zeros_like(overlap), where=total > 0)


def weighted_containment(
    corpus: Corpus, overlap: FloatArray, a_index: IntArray, b_index: IntArray
) -> FloatArray:
    """``W / min(W_a, W_b)``: how much of the shorter claim the longer one contains."""
    smaller = np.minimum(corpus.a_weights[a_index], corpus.b_weights[b_index])
    return np.divide(overlap, smaller, out=np.zeros_like(overlap), where=smaller > 0)


def bm25_similarity(
    corpus: Corpus, overlap: FloatArray, a_index: IntArray, b_index: IntArray
) -> FloatArray:
    """Symmetric BM25 (binary term frequency), each direction divided by the query's self-score.

    With a word counted once per claim, BM25(q, d) is ``W`` times a factor that only
    depends on ``d``'s length, so it comes straight from the overlap.
    """

    def factor(lengths: FloatArray) -> FloatArray:
        norm = 1.0 - BM25_B + BM25_B * lengths / corpus.average_length
        return (BM25_K1 + 1.0) / (1.0 + BM25_K1 * norm)

    fa, fb = factor(corpus.a_lengths[a_index]), factor(corpus.b_lengths[b_index])
    self_a = corpus.a_weights[a_index] * fa
    self_b = corpus.b_weights[b_index] * fb
    a_to_b = np.divide(overlap * fb, self_a, out=np.zeros_like(overlap), where=self_a > 0)
    b_to_a = np.divide(overlap * fa, self_b, out=np.zeros_like(overlap), where=self_b > 0)
    return np.minimum((a_to_b + b_to_a) / 2.0, 1.0)


@dataclass(frozen=True)
class Candidates:
    """Candidate pairs (parallel arrays) with their IDF overlap ``W``."""

    a_index: IntArray
    b_index: IntArray
    overlap: FloatArray


def candidate_pairs(
    corpus: Corpus, width: int, *, progress: Callable[[int, int], bool] | None = None
) -> Candidates:
    """The ``width`` best B claims of every A claim and vice versa, by weighted Dice.

    The ranking key ignores the words frequent on both sides (their posting lists
    would pair almost every claim with every other one, and their IDF is low) but
    for each claim's ``_RESCUE_WORDS`` rarest; the returned ``overlap`` is exact,
    frequent words included. Pairs sharing no key word are never candidates.
    ``progress(done, total)`` is called after each block of A rows; when it returns
    False, :class:`InterruptedError` is raised.
    """
    n_a, n_b = len(corpus.a_lengths), len(corpus.b_lengths)
    empty = Candidates(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    if n_a == 0 or n_b == 0:
        return empty
    a_ptr, a_words = corpus.a_csr
    b_ptr, b_words = corpus.b_csr
    n_words = len(corpus.idf)
    pairs_of = np.bincount(a_words, minlength=n_words) * np.bincount(b_words, minlength=n_words)
    frequent = pairs_of > _FREQUENT_PAIRS
    a_key = _key_occurrences(a_ptr, a_words, pairs_of, frequent)
    b_key = _key_occurrences(b_ptr, b_words, pairs_of, frequent)
    # B posting lists, each word's key occurrences first: an A key occurrence pairs with
    # the whole list, any other A occurrence (of a frequent word) with B's key part only.
    b_rows = np.repeat(np.arange(n_b), np.diff(b_ptr))
    post_docs = b_rows[np.argsort(2 * b_words + ~b_key, kind="stable")]
    post_ptr = np.zeros(n_words + 1, dtype=np.int64)
    np.cumsum(np.bincount(b_words, minlength=n_words), out=post_ptr[1:])
    b_keyed = np.bincount(b_words[b_key], minlength=n_words)
    a_start = post_ptr[a_words]
    a_count = np.where(a_key, post_ptr[a_words + 1] - a_start, b_keyed[a_words])

    # Rows lie in one block each, so a row's best inside its block are its best.
    # Columns span every block: their candidates are pruned against a running floor
    # (each column's width-th best key so far) and merged now and then, which
    # bounds memory whatever the number of blocks.
    row_a: list[IntArray] = []
    row_b: list[IntArray] = []
    col_a: list[IntArray] = [np.zeros(0, dtype=np.int64)]
    col_b: list[IntArray] = [np.zeros(0, dtype=np.int64)]
    col_key: list[FloatArray] = [np.zeros(0)]
    col_floor = np.zeros(n_b)
    pending = 0
    fixed_idf = np.round(np.minimum(corpus.idf, 15.99) * _IDF_SCALE).astype(np.uint64)
    for r0, r1 in _blocks(a_ptr, a_count):
        rows, cols, overlap = _block_pairs(
            r0, r1, a_ptr, a_words, (a_start, a_count, post_docs), fixed_idf, n_b
        )
        key = 2.0 * overlap / (corpus.a_weights[rows] + corpus.b_weights[cols])
        chosen = _best_per_group(rows, key, width)
        row_a.append(rows[chosen])
        row_b.append(cols[chosen])
        hopeful = np.flatnonzero(key >= col_floor[cols])
        chosen = hopeful[_best_per_group(cols[hopeful], key[hopeful], width)]
        col_a.append(rows[chosen])
        col_b.append(cols[chosen])
        col_key.append(key[chosen])
        pending += len(chosen)
        if pending > width * n_b:
            col_a, col_b, col_key = _merge_columns(col_a, col_b, col_key, width, col_floor)
            pending = 0
        if progress is not None and not progress(r1, n_a):
            raise InterruptedError("candidate search cancelled")
    col_a, col_b, col_key = _merge_columns(col_a, col_b, col_key, width, col_floor)
    # A pair can be among the best of its row and of its column: count it once.
    flat = np.concatenate([*row_a, *col_a]) * n_b + np.concatenate([*row_b, *col_b])
    flat.sort()  # a plain sort and a neighbour test: faster than np.unique's hashing
    flat = flat[np.r_[True, flat[1:] != flat[:-1]]] if len(flat) else flat
    a_index, b_index = flat // n_b, flat % n_b
    return Candidates(a_index, b_index, pair_overlaps(corpus, a_index, b_index))


def _merge_columns(
    col_a: list[IntArray],
    col_b: list[IntArray],
    col_key: list[FloatArray],
    width: int,
    col_floor: FloatArray,
) -> tuple[list[IntArray], list[IntArray], list[FloatArray]]:
    """Keep each column's ``width`` best so far; raise ``col_floor`` (in place) to its worst."""
    a, b, key = np.concatenate(col_a), np.concatenate(col_b), np.concatenate(col_key)
    chosen = _best_per_group(b, key, width)
    a, b, key = a[chosen], b[chosen], key[chosen]
    full = np.bincount(b, minlength=len(col_floor)) >= width
    lowest = np.full(len(col_floor), np.inf)
    np.minimum.at(lowest, b, key)
    col_floor[full] = lowest[full]
    return [a], [b], [key]


def _best_per_group(group: IntArray, key: FloatArray, width: int) -> IntArray:
    """Positions of the ``width`` largest keys of each group value."""
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    # One float sort instead of a two-key lexsort: keys are in [0, 1], so the
    # fraction orders inside a group (precise to ~1e-9 for up to 10⁶ groups).
    composite = group + (1.0 - np.clip(key, 0.0, 1.0)) * 0.999
    order = np.argsort(composite, kind="quicksort")
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    return order[np.arange(len(order)) - first < width].astype(np.int64)


def _key_occurrences(
    ptr: IntArray, words: IntArray, pairs_of: IntArray, frequent: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    """Which word occurrences of one side are in the candidate key: every word that is
    not frequent, and a claim's ``_RESCUE_WORDS`` rarest words (fewest pairs) whatever
    they are, so that a claim made of frequent words still finds its candidates."""
    rows = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
    order = np.lexsort((pairs_of[words], rows))
    rank = np.empty(len(words), dtype=np.int64)
    rank[order] = np.arange(len(words)) - ptr[rows[order]]
    return np.asarray(~frequent[words] | (rank < _RESCUE_WORDS))


def _blocks(a_ptr: IntArray, a_count: IntArray) -> list[tuple[int, int]]:
    """Consecutive A row ranges of about ``_BLOCK_PAIRS`` word pairs each."""
    n_a = len(a_ptr) - 1
    rows = np.repeat(np.arange(n_a), np.diff(a_ptr))
    per_row = np.cumsum(np.bincount(rows, a_count, minlength=n_a))
    cuts = np.searchsorted(
        per_row, np.arange(_BLOCK_PAIRS, per_row[-1] if n_a else 0, _BLOCK_PAIRS)
    )
    bounds = [0, *sorted({int(c) + 1 for c in cuts if c + 1 < n_a}), n_a]
    return list(itertools.pairwise(bounds))


def _block_pairs(
    r0: int,
    r1: int,
    a_ptr: IntArray,
    a_words: IntArray,
    postings: tuple[IntArray, IntArray, IntArray],
    fixed_idf: npt.NDArray[np.uint64],
    n_b: int,
) -> tuple[IntArray, IntArray, FloatArray]:
    """Pairs of A rows ``r0:r1`` with B claims sharing a key word, and that overlap.

    ``postings``: where each A occurrence's B claims start in ``post_docs``, how many
    there are, and ``post_docs``."""
    a_start, a_count, post_docs = postings
    lo, hi = a_ptr[r0], a_ptr[r1]
    rows = np.repeat(np.arange(r0, r1), np.diff(a_ptr[r0 : r1 + 1]))
    counts = a_count[lo:hi]
    keep = counts > 0
    words, rows, counts = a_words[lo:hi][keep], rows[keep], counts[keep]
    total = int(counts.sum())
    if not total:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    # Position of every (A occurrence, B posting) pair inside the posting arrays.
    starts = np.repeat(a_start[lo:hi][keep] - np.cumsum(counts) + counts, counts)
    docs = post_docs[starts + np.arange(total)]
    cell = (np.repeat(rows - r0, counts) * n_b + docs).astype(np.uint64)
    packed = (cell << np.uint64(_IDF_BITS)) | np.repeat(fixed_idf[words], counts)
    packed.sort()
    cells = packed >> np.uint64(_IDF_BITS)
    first = np.flatnonzero(np.r_[True, cells[1:] != cells[:-1]])
    low = packed & np.uint64((1 << _IDF_BITS) - 1)
    sums = np.add.reduceat(low, first).astype(np.float64) / _IDF_SCALE
    unique = cells[first].astype(np.int64)
    return unique // n_b + r0, unique % n_b, sums


def _csr(lengths: FloatArray, ids: IntArray) -> tuple[IntArray, IntArray]:
    """Row pointers and each row's distinct word ids (ascending), from the ids of every
    token in order and the number of tokens per row."""
    rows = np.repeat(np.arange(len(lengths)), lengths.astype(np.int64))
    span = max(int(ids.max(initial=0)) + 1, 1)
    keys = np.sort(rows * span + ids)
    # A neighbour test, not np.unique (whose hashing costs several times a sort here).
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys
    ptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys // span, minlength=len(lengths)), out=ptr[1:])
    return ptr, keys % span


def _restrict(
    csr: tuple[IntArray, IntArray], wanted: npt.NDArray[np.bool_]
) -> tuple[IntArray, IntArray]:
    """The CSR rows with only the ``wanted`` word ids."""
    ptr, words = csr
    keep = wanted[words]
    kept_before = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum(keep, out=kept_before[1:])
    return kept_before[ptr], words[keep]


def _sets(csr: tuple[IntArray, IntArray]) -> tuple[tuple[int, ...], ...]:
    ptr, words = csr
    return tuple(tuple(words[ptr[i] : ptr[i + 1]].tolist()) for i in range(len(ptr) - 1))
