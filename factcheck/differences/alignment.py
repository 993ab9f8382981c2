"""Word alignment of two texts, as ``difflib`` makes it, and where mentions sit in it.

``opcodes`` gives exactly what ``difflib.SequenceMatcher(None, a, b,
autojunk=False).get_opcodes()`` gives, faster: with each distinct word one
character, the longest matching block is found with substring searches.
``SequenceMatcher`` finds, in a range of each side, the longest block of equal
words, the earliest in ``a`` of those and then the earliest in ``b`` (without junk,
its extension steps never apply), and does the same left and right of it. Here,
going through ``a`` in order, a block starting at ``i`` replaces the best one only
when ``a[i : i + best + 1]`` occurs in ``b``'s range, and is then grown as far as it
occurs: the first ``i`` reaching the longest length, and the first place in ``b``
holding it, are difflib's.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import partial
from itertools import accumulate
from typing import NamedTuple

from .mention import Mention
from .names import COMMON

Opcode = tuple[str, int, int, int, int]

TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*|[^\w\s]")
#: ``TOKEN_RE`` for an ASCII text, where ``\d`` is ``[0-9]`` and ``[^\W\d_]`` ``[A-Za-z]``
#: (words first: no two forms start with the same character), as a group to split by.
_ASCII_TOKEN_SPLIT_RE = re.compile(r"([A-Za-z]+(?:'[A-Za-z]+)*|[0-9]+(?:[.,][0-9]+)*|[^\w\s])")


class Tokens(NamedTuple):
    """The words and marks of a text that are aligned."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    #: casefolded
    words: tuple[str, ...]


_new_tokens = partial(tuple.__new__, Tokens)


def tokens(text: str) -> Tokens:
    """The tokens of ``text`` (``TOKEN_RE``)."""
    if not text.isascii():
        found = list(TOKEN_RE.finditer(text))
        words = list(map(re.Match.group, found))
        # Casefolding makes no space.
        folded = tuple(" ".join(words).casefold().split(" ")) if words else ()
        return _new_tokens(
            (tuple(map(re.Match.start, found)), tuple(map(re.Match.end, found)), folded)
        )
    # ASCII casefolds as it lower-cases, in place, and the tokens stay the same. The
    # split alternates what lies between tokens and tokens: their lengths add up to
    # where each starts.
    parts = _ASCII_TOKEN_SPLIT_RE.split(text.lower())
    offsets = list(accumulate(map(len, parts), initial=0))
    return _new_tokens((tuple(offsets[1:-1:2]), tuple(offsets[2::2]), tuple(parts[1::2])))


_CODES = tuple(map(chr, range(1024)))


def opcodes(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[Opcode, ...]:
    """``difflib`` opcodes turning ``a`` into ``b`` (no junk, no autojunk)."""
    la, lb = len(a), len(b)
    if a == b:
        return (("equal", 0, la, 0, lb),) if la else ()
    vocabulary = dict.fromkeys(a + b)
    if len(vocabulary) <= len(_CODES):
        codes = dict(zip(vocabulary, _CODES, strict=False))
    else:
        codes = {word: chr(n) for n, word in enumerate(vocabulary)}
    a_code = "".join(map(codes.__getitem__, a))
    b_code = "".join(map(codes.__getitem__, b))
    queue = [(0, la, 0, lb)]
    blocks: list[tuple[int, int, int]] = []
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        b_range = b_code[blo:bhi]
        size = 0
        i = start = alo
        while i + size < ahi:
            if a_code[i : i + size + 1] in b_range:
                size += 1
                while i + size < ahi and a_code[i : i + size + 1] in b_range:
                    size += 1
                start = i
            i += 1
        if size:
            j = blo + b_range.find(a_code[start : start + size])
            blocks.append((start, j, size))
            if alo < start and blo < j:
                queue.append((alo, start, blo, j))
            if start + size < ahi and j + size < bhi:
                queue.append((start + size, ahi, j + size, bhi))
    blocks.sort()
    # Adjacent blocks are merged, as difflib does.
    merged: list[tuple[int, int, int]] = []
    i1 = j1 = k1 = 0
    for i2, j2, k2 in blocks:
        if i1 + k1 == i2 and j1 + k1 == j2:
            k1 += k2
        else:
            if k1:
                merged.append((i1, j1, k1))
            i1, j1, k1 = i2, j2, k2
    if k1:
        merged.append((i1, j1, k1))
    merged.append((la, lb, 0))
    answer: list[Opcode] = []
    i = j = 0
    for ai, bj, size in merged:
        if i < ai and j < bj:
            answer.append(("replace", i, ai, j, bj))
        elif i < ai:
            answer.append(("delete", i, ai, j, bj))
        elif j < bj:
            answer.append(("insert", i, ai, j, bj))
        i, j = ai + size, bj + size
        if size:
            answer.append(("equal", ai, i, bj, j))
    return tuple(answer)


class Alignment:
    """Word alignment of two texts: their tokens, and difflib opcodes."""

    __slots__ = ("a", "b", "opcodes")

    def __init__(self, a: Tokens, b: Tokens, opcodes: tuple[Opcode, ...]) -> None:
        self.a = a
        self.b = b
        self.opcodes = opcodes

    def block(self, mention: Mention, side: int) -> int:
        """Index of the first changed opcode holding a word of ``mention`` (-1: none)."""
        inside = self._inside(mention, side)
        if not inside:
            return -1
        first, last = inside[0], inside[-1]
        for index, (tag, i1, i2, j1, j2) in enumerate(self.opcodes):
            lo, hi = (i1, i2) if side == 0 else (j1, j2)
            # The mention's tokens are consecutive: one is in [lo, hi) when they meet.
            if tag != "equal" and lo < hi and lo <= last and first < hi:
                return index
        return -1

    def anchored(self, block: int) -> bool:
        """True when an unchanged neighbour of the stretch holds a content word.

        Unrelated sentences align only on "the", "to" or a comma; a changed value
        between shared content words ("people died on _", "_ visited") is a change.
        """
        for n in (block - 1, block + 1):
            if 0 <= n < len(self.opcodes) and self.opcodes[n][0] == "equal":
                _tag, i1, i2, _j1, _j2 = self.opcodes[n]
                if any(w.isalpha() and w not in COMMON for w in self.a.words[i1:i2]):
                    return True
        return False

    def only(self, block: int, side: int, mentions: list[Mention]) -> bool:
        """True when the stretch's words on ``side`` are the mentions' or common words."""
        _tag, i1, i2, j1, j2 = self.opcodes[block]
        words = (self.a if side == 0 else self.b).words
        inside = {n for mention in mentions for n in self._inside(mention, side)}
        return all(
            n in inside or words[n] in COMMON or not words[n][0].isalnum()
            for n in (range(i1, i2) if side == 0 else range(j1, j2))
        )

    def stretch(self, block: int, side: int) -> int:
        _tag, i1, i2, j1, j2 = self.opcodes[block]
        return i2 - i1 if side == 0 else j2 - j1

    def neighbours(self, mention: Mention, side: int) -> set[str]:
        """The words right before and after ``mention`` (what a number counts)."""
        inside = self._inside(mention, side)
        if not inside:
            return set()
        words = (self.a if side == 0 else self.b).words
        around = (inside[0] - 1, inside[-1] + 1)
        return {
            words[n]
            for n in around
            if 0 <= n < len(words) and words[n].isalpha() and words[n] not in COMMON
        }

    def _inside(self, mention: Mention, side: int) -> range:
        """Indices of the tokens overlapping ``mention`` (tokens are in order)."""
        start, end = mention.span
        tokens = self.a if side == 0 else self.b
        return range(bisect_right(tokens.ends, start), bisect_left(tokens.starts, end))
