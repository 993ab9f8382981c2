"""Word-level diff of two claims, with offsets into each, for colouring in a view.

diff-match-patch diffs characters; to get whole words we map every token (a word,
a run of white space, or one punctuation mark) to one private character, diff the
encoded strings, clean up semantically, and expand back — the same trick as its
``diff_linesToChars`` for line mode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import diff_match_patch as dmp_module

from .models import FactDifference

try:
    import fast_diff_match_patch as _fast_dmp
except ImportError:  # pragma: no cover - a platform without its wheel
    _fast_dmp = None

#: Pairs whose word diff is kept (a few MB at most).
WORD_DIFF_CACHE = 4096
_TOKEN_RE = re.compile(r"\w+(?:[’'.,]\w+)*|\s+|[^\w\s]", re.UNICODE)


class DiffKind(StrEnum):
    EQUAL = "equal"
    INSERT = "insert"  # only in b
    DELETE = "delete"  # only in a


@dataclass(frozen=True)
class DiffOp:
    """One run of the diff. For an insert, ``a_start == a_end`` (where it would go in a)."""

    kind: DiffKind
    text: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int


@dataclass(frozen=True)
class WordDiff:
    ops: tuple[DiffOp, ...]
    #: Numbers, dates, names and negations that differ between the two texts.
    differences: tuple[FactDifference, ...]

    @property
    def is_identical(self) -> bool:
        return all(op.kind is DiffKind.EQUAL for op in self.ops)


def tokenize(text: str) -> list[str]:
    """Words (with inner apostrophes, decimal points, thousands separators), spaces, marks."""
    tokens = _TOKEN_RE.findall(text)
    assert "".join(tokens) == text
    return tokens


@lru_cache(maxsize=WORD_DIFF_CACHE)
def word_diff(a_text: str, b_text: str) -> WordDiff:
    """Diff ``a_text`` against ``b_text`` word by word.

    Results are immutable and kept for the last :data:`WORD_DIFF_CACHE` pairs: the app
    diffs a pair when the reviewer looks at it, and a report of those links reuses it.
    """
    from .differences import fact_differences

    return WordDiff(ops=diff_ops(a_text, b_text), differences=fact_differences(a_text, b_text))


def diff_ops(a_text: str, b_text: str) -> tuple[DiffOp, ...]:
    if a_text == b_text:  # a copied sentence: common, and no diff to run
        n = len(a_text)
        return (DiffOp(DiffKind.EQUAL, a_text, 0, n, 0, n),) if a_text else ()
    a_tokens, b_tokens = tokenize(a_text), tokenize(b_text)
    # One character per distinct token, numbered in order of first appearance.
    vocabulary = list(dict.fromkeys(a_tokens + b_tokens))
    if len(vocabulary) < _SURROGATES:  # always, but for texts of book length
        table = {token: chr(n) for n, token in enumerate(vocabulary, 1)}
    else:
        table = {token: _code_point(n) for n, token in enumerate(vocabulary)}
    encoded_a = "".join([table[t] for t in a_tokens])
    encoded_b = "".join([table[t] for t in b_tokens])

    decode = dict(zip(table.values(), vocabulary, strict=True))
    ops: list[DiffOp] = []
    a_pos = b_pos = 0
    for op, encoded in _diff(encoded_a, encoded_b):
        text = "".join([decode[ch] for ch in encoded])
        n = len(text)
        if op == "=":
            ops.append(DiffOp(DiffKind.EQUAL, text, a_pos, a_pos + n, b_pos, b_pos + n))
            a_pos += n
            b_pos += n
        elif op == "-":
            ops.append(DiffOp(DiffKind.DELETE, text, a_pos, a_pos + n, b_pos, b_pos))
            a_pos += n
        else:
            ops.append(DiffOp(DiffKind.INSERT, text, a_pos, a_pos, b_pos, b_pos + n))
            b_pos += n
    return tuple(ops)


_SURROGATES = 0xD800


def _code_point(index: int) -> str:
    """A distinct character for token number ``index``, skipping the surrogate range."""
    code = index + 1
    if code >= _SURROGATES:
        code += 0x800
    return chr(code)


def _diff(a: str, b: str) -> list[tuple[str, str]]:
    """diff-match-patch's diff with semantic clean-up, as ("=" | "-" | "+", text) runs.

    Its C++ implementation (``fast-diff-match-patch``, a dependency with wheels for the
    usual platforms) runs the same algorithm about six times faster on claims; where it
    cannot be imported, the pure-Python package gives the same kind of result."""
    if _fast_dmp is not None:
        runs: list[tuple[str, str]] = _fast_dmp.diff(
            a, b, timelimit=1.0, checklines=False, cleanup="Semantic", counts_only=False
        )
        return runs
    dmp = dmp_module.diff_match_patch()
    dmp.Diff_Timeout = 1.0
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    return [(_OPS[op], text) for op, text in diffs]


_OPS = {0: "=", -1: "-", 1: "+"}
