"""The BERT WordPiece tokenizer of ``tokenizer.json``, in plain Python.

The Hugging Face ``tokenizers`` wheel would do this, but it pulls ``huggingface-hub``
and its network stack (about 45 MB installed), which would put the base install over
its budget for a step that costs well under a millisecond per sentence. This reads the
same ``tokenizer.json`` (``BertNormalizer`` with lowercase, accent stripping, control
clean-up and CJK splitting; ``BertPreTokenizer``; ``WordPiece``; ``[CLS] … [SEP]``) and
gives the same ids: ``scripts/export_encoder.py`` checks that on every benchmark
sentence and on random Unicode, and the tests on a fixture of its ids.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

#: Unicode White_Space (what the Rust tokenizer's ``char::is_whitespace`` means).
_WHITESPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_CJK = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B920, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


class WordPiece:
    """``encode(text)`` → token ids, ``[CLS]`` first and ``[SEP]`` last (at most
    ``max_tokens``); ``encode_pair(a, b)`` → the ids of both texts read together."""

    def __init__(self, tokenizer_json: Path, max_tokens: int) -> None:
        spec: dict[str, Any] = orjson.loads(tokenizer_json.read_bytes())
        model = spec["model"]
        if model.get("type") != "WordPiece" or spec["normalizer"]["type"] != "BertNormalizer":
            raise ValueError(f"{tokenizer_json}: not a BERT WordPiece tokenizer")
        self._vocab: Mapping[str, int] = model["vocab"]
        self._prefix: str = model.get("continuing_subword_prefix", "##")
        self._max_chars: int = model.get("max_input_chars_per_word", 100)
        self._unk = self._vocab[model["unk_token"]]
        self._cls, self._sep = self._vocab["[CLS]"], self._vocab["[SEP]"]
        self._max_words = max_tokens - 2
        added = {t["content"]: t["id"] for t in spec.get("added_tokens", ())}
        self._added: Mapping[str, int] = added
        self._added_re = re.compile("|".join(re.escape(t) for t in sorted(added, key=len)[::-1]))
        self._chars = _CharMap()
        self._words: dict[str, tuple[int, ...]] = {}

    def encode(self, text: str) -> list[int]:
        return [self._cls, *self.pieces(text)[: self._max_words], self._sep]

    def encode_pair(self, a: str, b: str) -> tuple[list[int], list[int]]:
        """``[CLS] a [SEP] b [SEP]`` and its token types (0 up to the first ``[SEP]``,
        then 1), at most ``max_tokens``: the longer side is cut first, as Hugging Face's
        ``longest_first`` truncation does (the same ids as ``tokenizers`` on 10,624
        MRPC, STS-b and CheckThat train pairs), so a long text cannot crowd out the other."""
        budget = self._max_words - 1  # the middle [SEP]
        # A token takes at least one character, most take several: a text is read no
        # further than its share could reach, so a megabyte of text costs no more.
        first, second = (self.pieces(t[: 16 * (budget + 2)]) for t in (a, b))
        if len(first) + len(second) > budget:
            swap = len(first) > len(second)
            short, long = sorted((len(first), len(second)))
            long = max(short, budget - short)
            if short + long > budget:
                short, long = budget // 2, budget - budget // 2
            keep = (long, short) if swap else (short, long)
            first, second = first[: keep[0]], second[: keep[1]]
        ids = [self._cls, *first, self._sep, *second, self._sep]
        return ids, [0] * (len(first) + 2) + [1] * (len(second) + 1)

    def pieces(self, text: str) -> list[int]:
        """The ids of ``text`` alone: no ``[CLS]``/``[SEP]``, not truncated."""
        ids: list[int] = []
        at = 0
        for special in self._added_re.finditer(text) if self._added else ():
            ids += self._segment(text[at : special.start()])
            ids.append(self._added[special.group()])
            at = special.end()
        ids += self._segment(text[at:])
        return ids

    def _segment(self, text: str) -> list[int]:
        ids: list[int] = []
        for word in self._normalise(text).split(" "):
            if word:
                pieces = self._words.get(word)
                if pieces is None:
                    pieces = self._words[word] = self._wordpiece(word)
                ids += pieces
        return ids

    def _normalise(self, text: str) -> str:
        """Clean-up, CJK split, accents off, lowercase, punctuation split (by spaces)."""
        clean = self._chars.__getitem__
        text = "".join(map(clean, text))
        if text.isascii():
            return text.lower()
        text = unicodedata.normalize("NFD", text)
        text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
        return "".join(map(clean, text))

    def _wordpiece(self, word: str) -> tuple[int, ...]:
        if len(word) > self._max_chars:
            return (self._unk,)
        vocab, pieces, start = self._vocab, [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else self._prefix + word[start:end]
                if piece in vocab:
                    pieces.append(vocab[piece])
                    break
                end -= 1
            else:
                return (self._unk,)
            start = end
        return tuple(pieces)


def _clean(c: str) -> str:
    """One character as the normaliser and pre-tokeniser leave it ("": dropped).

    Idempotent, so it serves both before and after lowercasing: a space for
    whitespace, nothing for NUL, U+FFFD and control, format and private-use characters
    (the vertical tab, form feed and U+0085 among them: the normaliser drops controls
    before it maps whitespace; unassigned code points stay), the character between
    spaces for CJK ideographs and punctuation (each its own word).
    """
    if c in _WHITESPACE and c not in "\x0b\x0c\x85":
        return " "
    code = ord(c)
    category = unicodedata.category(c)
    if code == 0 or code == 0xFFFD or (category[0] == "C" and category != "Cn"):
        return ""
    if c in _ASCII_PUNCTUATION or category[0] == "P" or any(lo <= code <= hi for lo, hi in _CJK):
        return f" {c} "
    return c


class _CharMap(dict[str, str]):
    """:func:`_clean` per character, memoised."""

    def __missing__(self, c: str) -> str:
        self[c] = cleaned = _clean(c)
        return cleaned
