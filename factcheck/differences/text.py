"""One side of a compared pair: its words, and its mentions found once, when needed.

Most sentences hold no figure, date, number word or negation cue, and every match of
those patterns starts with a digit or with one of a few words, whole and in any case
(``values``). The words of a text are split at apostrophes, hyphens and dots into
segments, which hold every run of letters between non-word characters: a finder
runs only when a segment is one of its words, and tries its pattern only where one
occurs (or a word starts with a digit). Four letters outside ASCII match ASCII ones
under ``re.IGNORECASE`` without lower-casing to them; in a text holding one, every
finder runs over the whole text.

``text_features`` keeps the last texts seen: a claim is often compared with several
others. A ``Text`` only fills in what it has not found yet, and what it returns is
immutable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import compress
from operator import itemgetter

from .alignment import Tokens
from .alignment import tokens as alignment_tokens
from .mention import Mention, Span
from .names import (
    COMMON,
    CONNECTORS,
    CONNECTORS_OR_COMMON,
    NOT_NAME_WORDS,
    find_runs,
    name_word,
    run_name,
    similar_word,
    words,
)
from .values import (
    DATE_FOLLOWERS,
    DATE_STARTS,
    MONTH_WORDS,
    NEGATION_ENDINGS,
    NEGATION_WORDS,
    NUMBER_WORDS,
    RELATIVE_STARTS,
    VALUE_WORDS,
    digit_starts,
    find_dates,
    find_negations,
    find_numbers,
    find_years,
    has_digit,
    occurrences,
)

#: Letters that match ASCII letters under ``re.IGNORECASE`` but do not lower-case to them.
_ODD_LETTERS_RE = re.compile("[\u0130\u0131\u017f\u212a]")
_POSSESSIVE_RE = re.compile(r"['’]s(?= |\Z)")
_first = itemgetter(0)
#: For ASCII text: letters kept, every other byte a space.
_LETTERS_ONLY = bytes(c if chr(c).isalpha() else 32 for c in range(128)) + b" " * 128
_WORD_CHARACTERS_ONLY = bytes(c if chr(c).isalpha() or chr(c) in "'-" else 32 for c in range(128))
_WORD_CHARACTERS_ONLY += b" " * 128
#: A "'" or "-" not between two letters.
_LOOSE_JOINERS = (" '", "' ", " -", "- ", "''", "--", "'-", "-'")
_NOT_DIGITS = bytes(c for c in range(256) if not chr(c).isdigit())
#: Where ``names.words`` holds a dot: "U.S."
_ACRONYM_RE = re.compile(r"[A-Z]\.[A-Z]\.")
_ENDINGS = frozenset(NEGATION_ENDINGS)
_KEYWORDS = DATE_STARTS | DATE_FOLLOWERS | NUMBER_WORDS | NEGATION_WORDS


def _start(mention: Mention) -> int:
    return mention.span[0]


def _name_words(joined: str) -> str:
    """Words joined by spaces as name tokens (``names.name_word``, before titles and
    connectors go), all at once: a word keeps a letter when its possessive and dots
    go, and in words joined by spaces a final sigma is lower-cased as alone."""
    if "'s" in joined or "’s" in joined:
        joined = _POSSESSIVE_RE.sub("", joined)
    return joined.replace(".", "").lower()


class Text:
    """One text's words and mentions; each is found when first asked for."""

    __slots__ = (
        "_alignment",
        "_dates",
        "_digit",
        "_digit_starts",
        "_keywords",
        "_letter_runs",
        "_letters_only",
        "_low",
        "_lowered",
        "_name_runs",
        "_name_string",
        "_negation_hint",
        "_negations",
        "_numbers",
        "_spans",
        "_tokens",
        "_upper",
        "text",
    )

    def __init__(self, text: str) -> None:
        self.text = text
        #: The segments of the words that the finders look for, in lower case
        #: (None: unknown, look everywhere).
        self._keywords: frozenset[str] | None = None
        #: ``tokens`` lower-cased (None: not found yet).
        self._lowered: Sequence[str] | None = None
        #: Every word is a run of letters (of ``_letter_runs``).
        self._letters_only = False
        self._letter_runs = ""
        self._tokens: list[str] | None = None
        if text.isascii():
            encoded = text.encode("ascii")
            # The segments are the runs of letters.
            runs = encoded.translate(_LETTERS_ONLY).decode("ascii")
            low_runs = runs.lower().split()
            self._keywords = _KEYWORDS.intersection(low_runs)
            if text.count(".") > 1 and _ACRONYM_RE.search(text):
                #: The words (``names.words``).
                self._tokens = words(text)
            elif "'" in text or "-" in text:
                # Without acronyms a word holds only letters, "'" and "-": each is in
                # one run of those, and is the whole run when every "'" and "-" in the
                # run is between two letters.
                pieces = encoded.translate(_WORD_CHARACTERS_ONLY).decode("ascii")
                between = f" {pieces} "
                if any(map(between.__contains__, _LOOSE_JOINERS)):
                    self._tokens = [
                        word
                        for piece in pieces.split()
                        for word in (words(piece) if "'" in piece or "-" in piece else (piece,))
                    ]
                else:
                    self._tokens = pieces.split()
            else:
                # Every word is a run of letters: they are found from the runs when asked.
                self._letter_runs = runs
                self._lowered = low_runs
                self._letters_only = True
            # "n't" is inside a word ("n" is a letter, and a word goes on over "'t").
            self._negation_hint = "'" in text and "n't" in text.lower()
            self._digit = len(encoded.translate(None, _NOT_DIGITS)) > 0
        else:
            self._tokens = words(text)
            self._digit = has_digit(text)
            self._negation_hint = True
            if _ODD_LETTERS_RE.search(text) is None:
                # Words hold no space and lower-casing makes none.
                low = " ".join(self.tokens).lower()
                segments = low.replace("'", " ").replace("-", " ").replace(".", " ")
                self._keywords = _KEYWORDS.intersection(segments.replace("’", " ").split())
                self._negation_hint = any(ending in low for ending in NEGATION_ENDINGS)
        self._low: str | None = None
        self._upper: list[int] | None = None
        self._name_string: str | None = None
        self._digit_starts: list[int] | None = None
        self._dates: tuple[Mention, ...] | None = None
        self._numbers: tuple[Mention, ...] | None = None
        self._negations: tuple[Mention, ...] | None = None
        self._name_runs: list[tuple[int, ...]] | None = None
        self._alignment: Tokens | None = None
        self._spans: tuple[tuple[int, ...], tuple[int, ...]] | None = None

    # --- words ---------------------------------------------------------------------

    @property
    def tokens(self) -> list[str]:
        """The words (``names.words``)."""
        if self._tokens is None:
            self._tokens = self._letter_runs.split()
        return self._tokens

    def lowered(self) -> Sequence[str]:
        """``tokens`` lower-cased."""
        if self._lowered is None:
            # Words hold no space and lower-casing makes none; in words joined by
            # spaces a final sigma is lower-cased as in the word alone.
            self._lowered = " ".join(self.tokens).lower().split(" ") if self.tokens else []
        return self._lowered

    def spans(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Where the words start, and where they end."""
        if self._spans is None:
            # Each word is the first occurrence of its text after the word before:
            # every letter is in a word and every word starts with a letter, so no
            # occurrence starts between two words.
            text = self.text
            starts = []
            ends = []
            end = 0
            for token in self.tokens:
                start = text.find(token, end)
                end = start + len(token)
                starts.append(start)
                ends.append(end)
            self._spans = (tuple(starts), tuple(ends))
        return self._spans

    def upper(self) -> list[int]:
        """Indices of the words starting with a capital."""
        if self._upper is None:
            capital = map(str.isupper, map(_first, self.tokens))
            self._upper = list(compress(range(len(self.tokens)), capital))
        return self._upper

    def _names_string(self) -> str:
        """Every word as a name token, joined by spaces and between spaces."""
        if self._name_string is None:
            if self._letters_only:
                words = " ".join(self.lowered())
            else:
                words = _name_words(" ".join(self.tokens))
            self._name_string = f" {words} "
        return self._name_string

    def has_name_word(self, token: str) -> bool:
        """True when ``token`` (a name token) or one like it (``names.similar_word``) is
        the name token of a word of the text ("": False)."""
        if not token:
            return False
        string = self._names_string()
        if f" {token} " in string:
            return True
        if len(token) < 5:
            return False
        # Similar words share at least their first five letters.
        prefix = f" {token[:5]}"
        at = string.find(prefix)
        while at >= 0:
            end = string.index(" ", at + 1)
            word = string[at + 1 : end]
            if word not in NOT_NAME_WORDS and similar_word(token, word):
                return True
            at = string.find(prefix, end)
        return False

    # --- mentions ------------------------------------------------------------------

    def _occurrences(self, found: frozenset[str], *, whole: bool = True) -> list[int]:
        """Where the segments in ``found`` occur in the text (``values.occurrences``)."""
        if self._low is None:
            # Without the odd letters, lower-casing keeps every character's place.
            self._low = self.text.lower()
        return occurrences(self.text, self._low, found, whole=whole)

    def _digits(self) -> list[int]:
        if self._digit_starts is None:
            self._digit_starts = digit_starts(self.text) if self._digit else []
        return self._digit_starts

    def may_hold_numbers(self) -> bool:
        """False when ``numbers`` is sure to be empty."""
        keywords = self._keywords
        return self._digit or keywords is None or not keywords.isdisjoint(NUMBER_WORDS)

    def may_hold_dates(self) -> bool:
        """False when ``dates`` is sure to be empty."""
        keywords = self._keywords
        return self._digit or keywords is None or not keywords.isdisjoint(DATE_STARTS)

    def dates(self) -> tuple[Mention, ...]:
        if self._dates is None:
            self._dates = self._find_dates()
        return self._dates

    def _find_dates(self) -> tuple[Mention, ...]:
        """The dates (``values.find_dates``), trying as few starts as can be."""
        keywords = self._keywords
        if keywords is None:
            return find_dates(self.text)
        found = keywords & DATE_STARTS
        if found and keywords.isdisjoint(DATE_FOLLOWERS):
            found -= RELATIVE_STARTS
        if not found:
            return find_years(self.text, self._digits()) if self._digit else ()
        starts = self._occurrences(found)
        if not self._digit:
            return find_dates(self.text, starts)
        if not found.isdisjoint(MONTH_WORDS):
            return find_dates(self.text, starts + self._digits())
        # The words found start no date holding a digit.
        dates = find_dates(self.text, starts)
        return tuple(sorted((*dates, *find_years(self.text, self._digits())), key=_start))

    def numbers(self) -> tuple[Mention, ...]:
        if self._numbers is None:
            spelled: list[int] | None = None
            if self._keywords is not None:
                found = self._keywords & NUMBER_WORDS
                spelled = self._occurrences(found) if found else []
            if self._digit or spelled is None or spelled:
                taken = [d.span for d in self.dates()]
                self._numbers = find_numbers(self.text, taken, digits=self._digits(), words=spelled)
            else:
                self._numbers = ()
        return self._numbers

    def negations(self) -> tuple[Mention, ...]:
        if self._negations is None:
            if self._keywords is None:
                self._negations = find_negations(self.text)
            else:
                found = self._keywords & NEGATION_WORDS
                starts = self._occurrences(found) if found else []
                if self._negation_hint:
                    starts += self._occurrences(_ENDINGS, whole=False)
                self._negations = find_negations(self.text, starts) if starts else ()
        return self._negations

    def _runs(self) -> list[tuple[int, ...]]:
        """The runs of capitalised words that can hold a name (``names.find_runs``)."""
        if self._name_runs is None:
            self._name_runs = find_runs(
                self.text,
                self._taken,
                self.tokens,
                self.lowered(),
                self.upper(),
                self.spans,
                None if self._keywords is None else VALUE_WORDS,
            )
        return self._name_runs

    def has_every_name_of(self, other: Text) -> bool:
        """True when ``other`` has no name this text lacks: ``other.absent_names(self)``
        is then not looked for.

        Either every name token of a capitalised word of ``other`` (but "I", titles and
        connectors) is here, which has always been taken to mean so; or every one that
        is not a common word is here up to an ending (``has_name_word``), and none is a
        title or a possessive: a name starts with such a word (``names.run_name``), so
        has a word here.
        """
        string = self._names_string()
        tokens, lowered = other.tokens, other.lowered()
        every = True  # every name token of a capitalised word is here
        firsts = True  # every word a name can start with is here (up to an ending)
        for n in other.upper():
            token, low = tokens[n], lowered[n]
            if token == "I" or low in CONNECTORS:
                continue
            word = name_word(token)
            here = bool(word) and f" {word} " in string
            if word and not here:
                every = False
            if firsts and low not in COMMON:
                if not word or token.endswith(("'s", "’s")):
                    firsts = False
                elif not here:
                    firsts = self.has_name_word(word)
            if not (every or firsts):
                return False
        return True

    def absent_names(self, other: Text) -> list[Mention]:
        """The names none of whose words (up to an ending) ``other`` has."""
        runs = self._runs()
        if not runs:
            return []
        tokens, lowered = self.tokens, self.lowered()
        starts, ends = self.spans()
        has = other.has_name_word
        found = []
        for run in runs:
            # A word that stays in the run's name (not a connector or common word, see
            # names.run_name) as a token other has: the name is not absent.
            for n in run:
                if lowered[n] not in CONNECTORS_OR_COMMON:
                    token = tokens[n]
                    if not token.endswith(("'s", "’s")) and has(name_word(token)):
                        break
            else:
                name = run_name(self.text, tokens, lowered, starts, ends, list(run))
                if name is not None and not any(map(has, name.key)):
                    found.append(name)
        return found

    def _taken(self) -> list[Span]:
        """Where the dates and numbers are."""
        return [m.span for m in (*self.dates(), *self.numbers())]

    def alignment_tokens(self) -> Tokens:
        if self._alignment is None:
            self._alignment = alignment_tokens(self.text)
        return self._alignment


#: The ``Text`` of a string, kept for the last few strings seen.
text_features = lru_cache(maxsize=8)(Text)
