"""Differences that matter to a fact-checker inside a matched pair of claims.

``fact_differences(a, b)`` finds numbers, dates, names and negations in both texts
and reports the facts one side *changes*. It is tuned for precision: the same value
written differently (``25%``/``25 percent``, ``$2,500 million``/``$2.5 billion``,
``“Xi”``/``"XI"``, ``Xi Jinping``/``Xi``) is not a difference, and neither is a value
that only one side mentions: two sentences on one topic say different things, and
flagging every name the other does not repeat buried the real changes.

A difference is a value of one kind replaced by another of the same kind in aligned
context. The two texts are aligned word by word (``difflib``); values are paired when

* they sit in the same small replaced stretch (``Putin said`` / ``Medvedev said``,
  ``123 countries`` / ``124 countries``, ``on Tuesday`` / ``on Wednesday``), or
* numbers count the same thing (``5 soldiers`` … ``7 soldiers``), or
* each side has exactly one date left over (the event's date, moved).

A negation is flagged when one side has more negation cues than the other and the
extra cue sits in a small changed stretch between aligned words (``He went`` /
``He never went``, ``deny`` / ``admit``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from .models import DifferenceKind, FactDifference

Span = tuple[int, int]


@dataclass(frozen=True)
class _Mention:
    """One number, date, name or negation cue found in a text."""

    kind: DifferenceKind
    span: Span
    text: str
    #: What is compared: equal keys mean the same value.
    key: tuple[str, ...]


# --- dates -----------------------------------------------------------------------

_MONTHS = {
    "january": "january", "jan": "january", "february": "february", "feb": "february",
    "march": "march", "mar": "march", "april": "april", "apr": "april", "may": "may",
    "june": "june", "jun": "june", "july": "july", "jul": "july", "august": "august",
    "aug": "august", "september": "september", "sep": "september", "sept": "september",
    "october": "october", "oct": "october", "november": "november", "nov": "november",
    "december": "december", "dec": "december",
}  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_FULL = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY2 = r"(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[0-9]{3}|20[0-9]{2}|2100)"
_WEEKDAY_NAMES = "|".join(w.title() for w in _WEEKDAYS)
_PERIOD = (
    r"week|month|year|weekend|morning|afternoon|evening|night|spring|summer|autumn|fall|winter"
)
_DATE_RE = re.compile(
    # Every form but the bare year starts at a word boundary, with a digit or one of
    # these letters (months, weekdays, last/this/next, yesterday/today, earlier/later):
    # testing that once, before the alternatives, makes the scan several times faster
    # than ``\bA|\bB|…`` and finds the same matches.
    r"\b(?=[jfmasondltwye\d])(?:"
    + "|".join(
        (
            # March 21, 2023 / March 21 / Mar. 21 (an abbreviation needs its day)
            rf"(?P<month>{_MONTH_FULL}|{_MONTH_ABBR})\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?",
            # 21 March 2023 / 21st of March
            rf"{_DAY2}\s+(?:of\s+)?(?P<month2>{_MONTH_FULL}|{_MONTH_ABBR})(?:\s+(?P<year2>1[0-9]{{3}}|20[0-9]{{2}}))?\b",
            # March 2023 / March ("May" alone is too often a verb or a name)
            rf"(?P<month3>{_MONTH_FULL.replace('May|', '')})\b"
            r"(?:\s+(?P<year3>1[0-9]{3}|20[0-9]{2})\b)?",
            r"(?P<month4>May)\s+(?P<year4>1[0-9]{3}|20[0-9]{2})\b",
            # (last) Monday
            rf"(?:(?P<wrel>last|this|next)\s+)?(?P<weekday>{_WEEKDAY_NAMES})\b",
            r"(?P<rel>yesterday|today|tonight|tomorrow)\b",
            rf"(?P<relp>(?:earlier|later)\s+this|last|this|next)\s+(?P<period>{_PERIOD})\b",
        )
    )
    + ")"
    # A bare year is a date; a number with a comma, currency or unit is not.
    r"|(?<![\w$€£¥.,-])(?P<year5>1[5-9][0-9]{2}|20[0-9]{2})(?![\w%]|[.,]\d)",
    re.IGNORECASE,
)


def _date_key(m: re.Match[str]) -> tuple[str, ...]:
    g = m.groupdict()
    month = g["month"] or g["month2"] or g["month3"] or g["month4"]
    parts: list[str] = []
    if month:
        parts.append("month=" + _MONTHS[month.rstrip(".").lower()])
    day = g["day"] or g["day2"]
    if day:
        parts.append(f"day={int(day)}")
    year = g["year"] or g["year2"] or g["year3"] or g["year4"] or g["year5"]
    if year:
        parts.append(f"year={year}")
    if g["weekday"]:
        rel = (g["wrel"] or "").lower()
        parts.append("weekday=" + (rel + " " if rel else "") + g["weekday"].lower())
    if g["rel"]:
        parts.append("rel=" + g["rel"].lower())
    if g["relp"]:
        parts.append("rel=" + " ".join(g["relp"].lower().split()) + " " + g["period"].lower())
    return tuple(sorted(parts))


def _dates(text: str) -> list[_Mention]:
    found = []
    for m in _DATE_RE.finditer(text):
        g = m.groupdict()
        # Month names are capitalised; "march"/"may" in lower case are verbs.
        month = g["month"] or g["month2"] or g["month3"] or g["month4"] or g["weekday"]
        if month and not month[0].isupper():
            continue
        found.append(_Mention(DifferenceKind.DATE, m.span(), m.group(), _date_key(m)))
    return found


# --- numbers ---------------------------------------------------------------------

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SHORT_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
_CURRENCY_SIGNS = {"$": "usd", "us$": "usd", "€": "eur", "£": "gbp", "¥": "jpy", "₹": "inr"}
_CURRENCY_WORDS = {
    "dollar": "usd", "dollars": "usd", "usd": "usd", "euro": "eur", "euros": "eur",
    "eur": "eur", "pound": "gbp", "pounds": "gbp", "gbp": "gbp", "yen": "jpy",
    "rupees": "inr", "roubles": "rub", "rubles": "rub", "yuan": "cny",
}  # fmt: skip
_NUMBER_RE = re.compile(
    r"(?P<cur>US\$|[$€£¥₹])?\s?"
    r"(?<!\w-)(?<![\w.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:(?P<short>bn|mn|tn|[kmb])\b|(?:st|nd|rd|th|s)\b)?"
    r"(?:\s+(?P<scale>thousand|million|billion|trillion)\b)?"
    r"(?P<pct>\s?%|\s+per\s?cent\b)?"
    r"(?:\s+(?P<curword>dollars?|euros?|pounds|yen|rupees|roubles|rubles|yuan|usd|eur|gbp)\b)?"
    r"(?![\w])",
    re.IGNORECASE,
)


def _wordset(words: str) -> tuple[str, ...]:
    return tuple(words.split())


_UNITS = dict(
    zip(
        _wordset(
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
            "fifteen sixteen seventeen eighteen nineteen"
        ),
        range(1, 20),
        strict=True,
    )
)
_TENS = dict(
    zip(
        _wordset("twenty thirty forty fifty sixty seventy eighty ninety"),
        range(20, 100, 10),
        strict=True,
    )
)
_NUMBER_WORDS = (*_UNITS, *_TENS, "hundred", "dozen", *_SCALES)
_NUMBER_WORD = "|".join(_NUMBER_WORDS)
#: First letters of the number words: checked before the alternatives, for speed.
_NUMBER_INITIALS = "".join(sorted({w[0] for w in _NUMBER_WORDS}))
_WORDS_RE = re.compile(
    rf"\b(?=[{_NUMBER_INITIALS}])(?:{_NUMBER_WORD})"
    rf"(?:(?:[\s-]+|\s+and\s+)(?:{_NUMBER_WORD}|a\s+half)\b)*\b",
    re.IGNORECASE,
)


_DIGIT_RE = re.compile(r"\d")
_PERCENT_AFTER_RE = re.compile(r"\s?(?:%|per\s?cent\b)", re.IGNORECASE)
_WORD_SEPARATOR_RE = re.compile(r"[\s-]+")


def _spelled_value(words: str) -> float | None:
    tokens = [t for t in _WORD_SEPARATOR_RE.split(words.lower()) if t not in ("and", "a")]
    # A lone "one" is nearly always a pronoun ("one of the topics"), and a lone
    # "million" is a figure of speech ("a million reasons").
    if tokens == ["one"] or all(t in _SCALES or t in ("hundred", "dozen") for t in tokens):
        return None
    total, current = 0.0, 0.0
    for token in tokens:
        if token in _UNITS:
            current += _UNITS[token]
        elif token in _TENS:
            current += _TENS[token]
        elif token == "dozen":
            current = (current or 1) * 12
        elif token == "hundred":
            current = (current or 1) * 100
        elif token == "half":
            current += 0.5
        else:
            total += (current or 1) * _SCALES[token]
            current = 0.0
    return total + current


def _number_key(value: float, currency: str, percent: bool) -> tuple[str, ...]:
    return (f"{value:.6g}", currency, "%" if percent else "")


def _numbers(text: str, taken: Sequence[Span]) -> list[_Mention]:
    found = []
    # A figure needs a digit; most sentences have none, and this test is much faster.
    figures = _NUMBER_RE.finditer(text) if _DIGIT_RE.search(text) else ()
    for m in figures:
        if _overlaps(m.span("num"), taken):
            continue
        g = m.groupdict()
        currency = _CURRENCY_SIGNS.get((g["cur"] or "").lower(), "")
        currency = currency or _CURRENCY_WORDS.get((g["curword"] or "").lower(), "")
        short = (g["short"] or "").lower()
        if short and not currency:
            continue  # "5m" without a currency may be metres
        value = float(g["num"].replace(",", ""))
        value *= _SHORT_SCALES.get(short, 1.0) * _SCALES.get((g["scale"] or "").lower(), 1.0)
        start = m.start("cur") if g["cur"] else m.start("num")
        span = (start, m.end())
        found.append(
            _Mention(
                DifferenceKind.NUMBER,
                span,
                text[span[0] : span[1]],
                _number_key(value, currency, bool(g["pct"])),
            )
        )
    taken = [*taken, *(n.span for n in found)]
    for m in _WORDS_RE.finditer(text):
        spelled = _spelled_value(m.group())
        if spelled is None or _overlaps(m.span(), taken):
            continue
        pct = _PERCENT_AFTER_RE.match(text, m.end())
        end = pct.end() if pct else m.end()
        key = _number_key(spelled, "", bool(pct))
        found.append(_Mention(DifferenceKind.NUMBER, (m.start(), end), text[m.start() : end], key))
    return found


# --- names -----------------------------------------------------------------------

_WORD_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_CONNECTORS = frozenset(_wordset("of the de del der van von bin al la le du da di y"))
_TITLES = frozenset(
    _wordset(
        """mr mrs ms dr prof sir dame lord lady president vice prime minister chancellor king
    queen prince princess pope general gen col colonel senator sen rep governor gov mayor
    secretary judge justice chief saint st"""
    )
)
#: Capitalised words that start sentences without naming anything.
_COMMON = frozenset(
    _wordset(
        """a an the this that these those it its he she they we i you me him her them us our
    your their his my there here what who whom whose which when where why how and but or
    nor so yet for if then than as at by in on of off to from with without into onto over
    under after before during since until while though although because despite however
    moreover meanwhile furthermore nevertheless instead also even only just still now
    today tomorrow yesterday such some many most much more less few all any each every
    both either neither no not none one another other others several once soon later
    earlier already again always never often sometimes first second third last next new
    according among between against about above below around across along amid per
    unlike like within beyond toward towards upon via is are was were be been being has
    have had do does did will would can could should may might must shall let yes oh
    mostly perhaps maybe indeed thus hence therefore otherwise likewise similarly finally
    overall whether full"""
    )
)
_CONNECTORS_OR_COMMON = _CONNECTORS | _COMMON
_NOT_NAME_WORDS = _CONNECTORS | _TITLES


_SENTENCE_START_RE = re.compile(r"(?:^|(?<=[.!?…:])[\"“”'‘’)\]]*\s+)[\"“‘'(]*\w")
_NON_WORD_RE = re.compile(r"[^\w]*")
_POSSESSIVE_RE = re.compile(r"['’]s$")


def _sentence_starts(text: str) -> set[int]:
    starts = {m.start() for m in _SENTENCE_START_RE.finditer(text)}
    # finditer positions point at the separator; move each to its word.
    return {_NON_WORD_RE.match(text, s).end() for s in starts}  # type: ignore[union-attr]


def _is_title_case(tokens: Sequence[str]) -> bool:
    """True for headlines In Title Case or ALL CAPS, where capitals say nothing."""
    if len(tokens) >= 3 and sum(t.isupper() for t in tokens) >= 0.8 * len(tokens):
        return True
    # Function words after the first word are lower case in running text.
    function_words = [t for t in tokens[1:] if t.lower() in _COMMON]
    capitalised = sum(1 for t in function_words if t[0].isupper())
    return bool(function_words) and capitalised >= 0.75 * len(function_words)


def _name_tokens(name: str) -> list[str]:
    return [t for t in map(_name_word, _WORD_RE.findall(name)) if t]


def _name_word(word: str) -> str:
    """One word (a match of ``_WORD_RE``) as a name token: "" for a title or connector."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    word = word.replace(".", "").lower()
    return "" if word in _NOT_NAME_WORDS else word


def _names(text: str, taken: Sequence[Span], words: list[re.Match[str]]) -> list[_Mention]:
    """Runs of capitalised words in ``text``; ``words`` are its ``_WORD_RE`` matches."""
    tokens = [w.group() for w in words]
    if _is_title_case(tokens):
        return []
    lower_words = {t.lower() for t in tokens if t[0].islower()}
    starts = _sentence_starts(text)
    found: list[_Mention] = []
    run: list[re.Match[str]] = []

    def close_run() -> None:
        while run and run[-1].group().lower() in _CONNECTORS:
            run.pop()
        # A sentence's first word is capitalised anyway: keep it only when it is
        # never a plain word in these texts and not a common sentence opener.
        while run and run[0].start() in starts:
            first = run[0].group()
            if first.lower() in _COMMON or (len(run) == 1 and first.lower() in lower_words):
                run.pop(0)
            else:
                break
        while run and run[0].group().lower() in _CONNECTORS_OR_COMMON:
            run.pop(0)
        if run:
            span = (run[0].start(), run[-1].end())
            name = _POSSESSIVE_RE.sub("", text[span[0] : span[1]])
            tokens = _name_tokens(name)
            if tokens:
                span = (span[0], span[0] + len(name))
                found.append(_Mention(DifferenceKind.NAME, span, name, tuple(tokens)))
        run.clear()

    for word, token in zip(words, tokens, strict=True):
        if run and not text[run[-1].end() : word.start()].isspace():
            close_run()  # not adjacent
        capital = token[0].isupper() and token != "I" and not _overlaps(word.span(), taken)
        if capital or (run and token.lower() in _CONNECTORS):
            run.append(word)
        elif run:
            close_run()
    close_run()
    return found


def _similar_word(a: str, b: str) -> bool:
    """Same word up to an ending: ``Russia``/``Russian``, ``Ukraine``/``Ukrainian``."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    common = len(_common_prefix(a, b))
    return common >= 5 and common >= 0.75 * shorter


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


# --- negation --------------------------------------------------------------------

_NEGATION_RE = re.compile(
    r"\b(?:not|never|no(?!\.\s?\d)|none|nobody|nothing|neither|nor|without|cannot|"
    r"den(?:y|ies|ied|ying)|refus(?:e|es|ed|ing))\b|n['’]t\b",
    re.IGNORECASE,
)


def _negations(text: str) -> list[_Mention]:
    found = []
    for m in _NEGATION_RE.finditer(text):
        cue = m.group().lower().replace("’", "'")
        key = "not" if cue in ("n't", "cannot") else cue
        found.append(_Mention(DifferenceKind.NEGATION, m.span(), m.group(), (key,)))
    return found


# --- comparison ------------------------------------------------------------------


def _overlaps(span: Span, taken: Iterable[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


@dataclass(frozen=True)
class _NameWords:
    """A text's words as name tokens, with the long ones by their first five letters."""

    words: frozenset[str]
    by_prefix: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class _Text:
    """One side's mentions, each kind found when first asked for.

    Most pairs leave nothing to compare for most kinds, so the other side's dates,
    numbers or names are often never needed.
    """

    text: str

    @cached_property
    def words(self) -> list[re.Match[str]]:
        return list(_WORD_RE.finditer(self.text))

    @cached_property
    def dates(self) -> list[_Mention]:
        return _dates(self.text)

    @cached_property
    def numbers(self) -> list[_Mention]:
        return _numbers(self.text, [d.span for d in self.dates])

    @cached_property
    def names(self) -> list[_Mention]:
        taken = [m.span for m in (*self.dates, *self.numbers)]
        return _names(self.text, taken, self.words)

    @cached_property
    def negations(self) -> list[_Mention]:
        return _negations(self.text)

    @cached_property
    def tokens(self) -> list[str]:
        return _WORD_RE.findall(self.text)

    @cached_property
    def name_words(self) -> _NameWords:
        words = frozenset(map(_name_word, self.tokens)) - {""}
        by_prefix: dict[str, list[str]] = {}
        for word in words:
            if len(word) >= 5:
                by_prefix.setdefault(word[:5], []).append(word)
        return _NameWords(words, {k: tuple(v) for k, v in by_prefix.items()})

    @cached_property
    def capitalised(self) -> frozenset[str]:
        """The name tokens of every word a name can hold (see ``_names``)."""
        return frozenset(_name_word(t) for t in self.tokens if t[0].isupper() and t != "I") - {""}

    def mentions(self, kind: DifferenceKind) -> list[_Mention]:
        if kind is DifferenceKind.NUMBER:
            return self.numbers
        if kind is DifferenceKind.DATE:
            return self.dates
        return self.names if kind is DifferenceKind.NAME else self.negations


def _same(kind: DifferenceKind, a: _Mention, b: _Mention) -> bool:
    if kind is DifferenceKind.DATE:
        # "March 21" and "March 21, 2023" name the same day.
        return set(a.key) <= set(b.key) or set(b.key) <= set(a.key)
    return a.key == b.key


def _unmatched(
    kind: DifferenceKind, ours: list[_Mention], theirs: list[_Mention]
) -> list[_Mention]:
    """Our mentions with no equal on the other side (each of theirs used once)."""
    free = list(theirs)
    left = []
    for mention in ours:
        twin = next((t for t in free if _same(kind, mention, t)), None)
        if twin is None:
            left.append(mention)
        else:
            free.remove(twin)
    return left


def _name_absent(name: _Mention, other: _NameWords) -> bool:
    """A name is absent when none of its words (up to an ending) is on the other side."""
    for token in name.key:
        if token in other.words:
            return False
        # Similar words share at least their first five letters (_similar_word).
        similar = other.by_prefix.get(token[:5], ()) if len(token) >= 5 else ()
        if any(_similar_word(token, w) for w in similar):
            return False
    return True


def _leftovers(kind: DifferenceKind, a: _Text, b: _Text) -> tuple[list[_Mention], list[_Mention]]:
    """Values of ``kind`` each side has and the other does not.

    Only a kind left over on both sides can be a change, so the B side is looked at
    only when A has something left.
    """
    if kind is DifferenceKind.NAME:
        a_left = _absent_names(a, b)
        return a_left, _absent_names(b, a) if a_left else []
    ours = a.mentions(kind)
    if not ours:
        return [], []
    a_left = _unmatched(kind, ours, b.mentions(kind))
    return a_left, _unmatched(kind, b.mentions(kind), ours) if a_left else []


def _absent_names(ours: _Text, theirs: _Text) -> list[_Mention]:
    """Our names none of whose words (up to an ending) the other text has."""
    if ours.capitalised <= theirs.name_words.words:
        return []  # they have every word any of our names can hold: no need to find them
    return [n for n in ours.names if _name_absent(n, theirs.name_words)]


# --- alignment -------------------------------------------------------------------

_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*|[^\w\s]")
#: Longest changed stretch (in words, on each side) whose values are paired.
_MAX_STRETCH = 8
#: Longest changed stretch holding a negation cue that counts as aligned.
_MAX_NEGATION_STRETCH = 3


@dataclass(frozen=True)
class _Alignment:
    """Word alignment of two texts: tokens with spans, and difflib opcodes."""

    a_spans: tuple[Span, ...]
    b_spans: tuple[Span, ...]
    a_words: tuple[str, ...]
    b_words: tuple[str, ...]
    opcodes: tuple[tuple[str, int, int, int, int], ...]

    def block(self, mention: _Mention, side: int) -> int:
        """Index of the first changed opcode holding a word of ``mention`` (-1: none)."""
        spans = self.a_spans if side == 0 else self.b_spans
        tokens = [
            n for n, (s, e) in enumerate(spans) if s < mention.span[1] and mention.span[0] < e
        ]
        for index, (tag, i1, i2, j1, j2) in enumerate(self.opcodes):
            lo, hi = (i1, i2) if side == 0 else (j1, j2)
            if tag != "equal" and any(lo <= t < hi for t in tokens):
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
                if any(w.isalpha() and w not in _COMMON for w in self.a_words[i1:i2]):
                    return True
        return False

    def stretch(self, block: int, side: int) -> int:
        _tag, i1, i2, j1, j2 = self.opcodes[block]
        return i2 - i1 if side == 0 else j2 - j1

    def neighbours(self, mention: _Mention, side: int) -> set[str]:
        """The words right before and after ``mention`` (what a number counts)."""
        spans, words = (self.a_spans, self.a_words) if side == 0 else (self.b_spans, self.b_words)
        inside = [
            n for n, (s, e) in enumerate(spans) if s < mention.span[1] and mention.span[0] < e
        ]
        if not inside:
            return set()
        around = (inside[0] - 1, inside[-1] + 1)
        return {
            words[n]
            for n in around
            if 0 <= n < len(words) and words[n].isalpha() and words[n] not in _COMMON
        }


def _align(a_text: str, b_text: str) -> _Alignment:
    a = list(_TOKEN_RE.finditer(a_text))
    b = list(_TOKEN_RE.finditer(b_text))
    a_words = tuple(m.group().casefold() for m in a)
    b_words = tuple(m.group().casefold() for m in b)
    matcher = difflib.SequenceMatcher(None, a_words, b_words, autojunk=False)
    return _Alignment(
        tuple(m.span() for m in a),
        tuple(m.span() for m in b),
        a_words,
        b_words,
        tuple(matcher.get_opcodes()),
    )


def _changed_pairs(
    kind: DifferenceKind, a_left: list[_Mention], b_left: list[_Mention], align: _Alignment
) -> list[tuple[_Mention, _Mention]]:
    """Leftover values of one kind paired as changes in aligned context (see module doc)."""
    pairs: list[tuple[_Mention, _Mention]] = []
    a_free, b_free = list(a_left), list(b_left)
    a_block = {id(m): align.block(m, 0) for m in a_free}
    b_block = {id(m): align.block(m, 1) for m in b_free}
    for block in sorted({a_block[id(m)] for m in a_free} - {-1}):
        if align.opcodes[block][0] != "replace":
            continue
        if max(align.stretch(block, 0), align.stretch(block, 1)) > _MAX_STRETCH:
            continue
        if not align.anchored(block):
            continue
        a_in = [m for m in a_free if a_block[id(m)] == block]
        b_in = [m for m in b_free if b_block[id(m)] == block]
        if a_in and len(a_in) == len(b_in):
            pairs += zip(a_in, b_in, strict=True)
            a_free = [m for m in a_free if m not in a_in]
            b_free = [m for m in b_free if m not in b_in]
    if kind is DifferenceKind.NUMBER:
        for x in list(a_free):
            context = align.neighbours(x, 0)
            y = next((y for y in b_free if context & align.neighbours(y, 1)), None)
            if context and y is not None:
                pairs.append((x, y))
                a_free.remove(x)
                b_free.remove(y)
    if kind is DifferenceKind.DATE and len(a_free) == 1 and len(b_free) == 1:
        pairs.append((a_free[0], b_free[0]))
    return pairs


def fact_differences(a_text: str, b_text: str) -> tuple[FactDifference, ...]:
    """Numbers, dates and names one text changes, and negation only one side has."""
    a, b = _Text(a_text), _Text(b_text)
    left = {
        kind: _leftovers(kind, a, b)
        for kind in (DifferenceKind.NUMBER, DifferenceKind.DATE, DifferenceKind.NAME)
    }
    surplus = _negation_surplus(a.negations, b.negations)
    if not any(a_left and b_left for a_left, b_left in left.values()) and not any(surplus):
        return ()  # nothing could be paired: no need to align the texts
    align = _align(a_text, b_text)
    diffs: list[FactDifference] = []
    for kind in DifferenceKind:
        if kind is DifferenceKind.NEGATION:
            for side, extra in enumerate(surplus):
                for cue in extra:
                    block = align.block(cue, side)
                    if block < 0 or align.stretch(block, side) > _MAX_NEGATION_STRETCH:
                        continue
                    if not align.anchored(block):
                        continue
                    diffs.append(
                        FactDifference(
                            kind=kind,
                            a_text=cue.text if side == 0 else None,
                            b_text=cue.text if side == 1 else None,
                            a_span=cue.span if side == 0 else None,
                            b_span=cue.span if side == 1 else None,
                        )
                    )
            continue
        a_left, b_left = left[kind]
        if not (a_left and b_left):
            continue  # a change needs a value on each side
        for x, y in _changed_pairs(kind, a_left, b_left, align):
            diffs.append(FactDifference(kind, x.text, y.text, x.span, y.span))
    diffs.sort(key=_position)
    return tuple(diffs)


def _negation_surplus(
    a: list[_Mention], b: list[_Mention]
) -> tuple[list[_Mention], list[_Mention]]:
    """Negation cues one side has beyond the other's count ("never" ≈ "not")."""
    if len(a) == len(b):
        return [], []
    more, fewer = (a, b) if len(a) > len(b) else (b, a)
    # Prefer reporting cues whose word the other side does not use at all.
    fewer_keys = {m.key for m in fewer}
    ranked = sorted(more, key=lambda m: (m.key in fewer_keys, m.span))
    surplus = sorted(ranked[: len(more) - len(fewer)], key=lambda m: m.span)
    return (surplus, []) if more is a else ([], surplus)


def _position(d: FactDifference) -> tuple[int, int, int]:
    a = d.a_span[0] if d.a_span else 1 << 30
    b = d.b_span[0] if d.b_span else 1 << 30
    return (a, b, list(DifferenceKind).index(d.kind))
