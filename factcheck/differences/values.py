"""Numbers, dates and negation cues in one text, each with the key it is compared by.

The finders run only on a text that can hold what they look for (see ``text.Text``);
the word sets below say which words a match needs.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

from ..models import DifferenceKind
from .mention import Mention, Span, new_mention, overlaps


def _is_word_char(char: str) -> bool:
    """True for what ``\\w`` matches."""
    return char.isalnum() or char == "_"


def occurrences(text: str, low: str, words: Iterable[str], *, whole: bool = True) -> list[int]:
    """Where each of ``words`` occurs in ``low``, ``text`` lower-cased (same length).

    With ``whole``, only where it is a whole run of word characters in ``text``.
    """
    found = []
    size = len(low)
    for word in words:
        at = low.find(word)
        while at >= 0:
            end = at + len(word)
            if not whole or (
                (not at or not _is_word_char(text[at - 1]))
                and (end == size or not _is_word_char(text[end]))
            ):
                found.append(at)
            at = low.find(word, at + 1)
    return found


def _scan(
    pattern: re.Pattern[str], text: str, starts: Collection[int] | None
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying only ``starts`` (None: everywhere).

    ``starts`` must hold every position where a match can start. finditer tries each
    position after the last match in turn; trying only the possible ones finds the
    same matches, and ``match`` at a position still sees what precedes it.
    """
    if starts is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for start in sorted(starts if isinstance(starts, set) else set(starts)):
        if start >= end and (m := pattern.match(text, start)) is not None:
            yield m
            end = m.end()


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


def _date_key(g: dict[str, str | Any]) -> tuple[str, ...]:
    """The key of a match of ``_DATE_RE``, from its ``groupdict``."""
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


def find_dates(text: str, starts: Collection[int] | None = None) -> tuple[Mention, ...]:
    """The dates in ``text``, trying only ``starts`` (see ``_scan``; None: everywhere).

    A date starts where a ``DATE_STARTS`` word occurs or where a word starts with a
    digit: a bare year, or a day before a month ("21 March"). ``text.Text`` leaves out
    the digits when no ``MONTH_WORDS`` word is in the text (its years are found apart,
    by ``find_years``), and ``RELATIVE_STARTS`` when no ``DATE_FOLLOWERS`` word is.
    """
    found = []
    for m in _scan(_DATE_RE, text, starts):
        g = m.groupdict()
        # Month names are capitalised; "march"/"may" in lower case are verbs.
        month = g["month"] or g["month2"] or g["month3"] or g["month4"] or g["weekday"]
        if month and not month[0].isupper():
            continue
        found.append(new_mention((DifferenceKind.DATE, m.span(), m.group(), _date_key(g))))
    return tuple(found)


MONTH_WORDS = frozenset(_MONTHS)
#: These start a date only before a weekday or a period (``DATE_FOLLOWERS``).
RELATIVE_STARTS = frozenset(("last", "this", "next", "earlier", "later"))
DATE_FOLLOWERS = frozenset((*_WEEKDAYS, *_PERIOD.split("|")))
#: A match of ``_DATE_RE`` starts with a digit or with one of these as a whole word (a
#: run of word characters, in any case).
DATE_STARTS = frozenset(
    (*_MONTHS, *_WEEKDAYS, "yesterday", "today", "tonight", "tomorrow", *RELATIVE_STARTS)
)
#: The bare-year form of ``_DATE_RE``: all it can match in a text without ``DATE_STARTS``
#: (its lookbehind placed after the digits, for a faster scan).
_YEAR_RE = re.compile(r"(?:1[5-9]|20)[0-9]{2}(?<![\w$€£¥.,-][0-9]{4})(?![\w%]|[.,]\d)")


def find_years(text: str, digits: Sequence[int]) -> tuple[Mention, ...]:
    """``find_dates`` for a text without ``DATE_STARTS``: its bare years.

    ``digits`` are where the words starting with a digit start (``digit_starts``): a
    year is one, and no two overlap.
    """
    found = []
    for digit in digits:
        m = _YEAR_RE.match(text, digit)
        if m is not None:
            year = m.group()
            found.append(new_mention((DifferenceKind.DATE, m.span(), year, ("year=" + year,))))
    return tuple(found)


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
#: A match of ``_WORDS_RE`` starts with one of these as a whole word (any case).
NUMBER_WORDS = frozenset(_NUMBER_WORDS)
_NUMBER_WORD = "|".join(_NUMBER_WORDS)
#: First letters of the number words: checked before the alternatives, for speed.
_NUMBER_INITIALS = "".join(sorted({w[0] for w in _NUMBER_WORDS}))
_WORDS_RE = re.compile(
    rf"\b(?=[{_NUMBER_INITIALS}])(?:{_NUMBER_WORD})"
    rf"(?:(?:[\s-]+|\s+and\s+)(?:{_NUMBER_WORD}|a\s+half)\b)*\b",
    re.IGNORECASE,
)


_DIGIT_RE = re.compile(r"\d")
_ASCII_DIGIT_RE = re.compile(r"[0-9]")
#: Digits that start a word (what precedes them is not a word character).
_DIGIT_START_RE = re.compile(r"\d(?<!\w\d)")
_ASCII_DIGIT_START_RE = re.compile(r"[0-9](?<![A-Za-z0-9_][0-9])")


def has_digit(text: str) -> bool:
    return (_ASCII_DIGIT_RE if text.isascii() else _DIGIT_RE).search(text) is not None


def digit_starts(text: str) -> list[int]:
    """Where the words starting with a digit start."""
    pattern = _ASCII_DIGIT_START_RE if text.isascii() else _DIGIT_START_RE
    return list(map(re.Match.start, pattern.finditer(text)))


_PERCENT_AFTER_RE = re.compile(r"\s?(?:%|per\s?cent\b)", re.IGNORECASE)
_WORD_SEPARATOR_RE = re.compile(r"[\s-]+")


#: Every run of letters a number or a date can hold is one of these (in any case), but
#: for letters right after a digit ("5th", "5m") and "US" right before "$".
VALUE_WORDS = frozenset(
    (
        *DATE_STARTS,
        *DATE_FOLLOWERS,
        "of",
        *NUMBER_WORDS,
        *("and", "a", "half", "per", "cent", "percent"),
        *_CURRENCY_WORDS,
    )
)


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


_SIGNS = frozenset("$€£¥₹")


def _figure_starts(text: str, digits: Sequence[int]) -> set[int]:
    """Where a match of ``_NUMBER_RE`` can start, given where its digits can start:
    before them may come a currency sign or "US$" (in any case), then a space."""
    starts = set()
    for digit in digits:
        starts.add(digit)
        before = text[max(0, digit - 2) : digit]
        if not before:
            continue
        space = before[-1].isspace()
        if space or before[-1] in _SIGNS:
            starts.add(digit - 1)
        if space and before[0] in _SIGNS and len(before) == 2:
            starts.add(digit - 2)
        if before[-1] == "$" and digit >= 3:
            starts.add(digit - 3)
        if space and before[0] == "$" and digit >= 4:
            starts.add(digit - 4)
    return starts


def find_numbers(
    text: str, taken: Sequence[Span], *, digits: Sequence[int], words: Sequence[int] | None
) -> tuple[Mention, ...]:
    """Figures and spelled numbers outside ``taken``.

    ``digits`` are where the words starting with a digit start (``digit_starts``):
    a figure's digits start one, with at most four characters before them in its
    match ("US$ 5"). Spelled numbers are looked for at ``words`` (see ``_scan``):
    where a ``NUMBER_WORDS`` word occurs.
    """
    found: list[Mention] = []
    for m in _scan(_NUMBER_RE, text, _figure_starts(text, digits)):
        if taken and overlaps(m.span("num"), taken):
            continue
        cur, num, short, scale, pct, curword = m.groups()
        currency = _CURRENCY_SIGNS.get(cur.lower(), "") if cur else ""
        if not currency and curword:
            currency = _CURRENCY_WORDS.get(curword.lower(), "")
        if short and not currency:
            continue  # "5m" without a currency may be metres
        value = float(num.replace(",", ""))
        factor = _SHORT_SCALES[short.lower()] if short else 1.0
        value *= factor * (_SCALES[scale.lower()] if scale else 1.0)
        start = m.start(1) if cur else m.start(2)  # "cur", "num"
        end = m.end()
        value_key = (f"{value:.6g}", currency, "%" if pct else "")  # _number_key
        found.append(new_mention((DifferenceKind.NUMBER, (start, end), text[start:end], value_key)))
    if words is not None and not words:
        return tuple(found)
    taken = [*taken, *(n.span for n in found)]
    for m in _scan(_WORDS_RE, text, words):
        spelled = _spelled_value(m.group())
        if spelled is None or overlaps(m.span(), taken):
            continue
        pct = _PERCENT_AFTER_RE.match(text, m.end())
        end = pct.end() if pct else m.end()
        key = _number_key(spelled, "", bool(pct))
        start = m.start()
        found.append(new_mention((DifferenceKind.NUMBER, (start, end), text[start:end], key)))
    return tuple(found)


# --- negation --------------------------------------------------------------------

_NEGATION_RE = re.compile(
    r"\b(?:not|never|no(?!\.\s?\d)|none|nobody|nothing|neither|nor|without|cannot|"
    r"den(?:y|ies|ied|ying)|refus(?:e|es|ed|ing))\b|n['’]t\b",
    re.IGNORECASE,
)


#: A match of ``_NEGATION_RE`` is one of these as a whole word (any case), or starts
#: at the "n" of ``NEGATION_ENDINGS``.
NEGATION_WORDS = frozenset(
    _wordset(
        """not never no none nobody nothing neither nor without cannot deny denies denied
    denying refuse refuses refused refusing"""
    )
)


NEGATION_ENDINGS = ("n't", "n’t")


def find_negations(text: str, starts: Collection[int] | None = None) -> tuple[Mention, ...]:
    """Negation cues; ``starts`` (see ``_scan``): where the words above occur."""
    found = []
    for m in _scan(_NEGATION_RE, text, starts):
        cue = m.group().lower().replace("’", "'")
        key = "not" if cue in ("n't", "cannot") else cue
        found.append(new_mention((DifferenceKind.NEGATION, m.span(), m.group(), (key,))))
    return tuple(found)
