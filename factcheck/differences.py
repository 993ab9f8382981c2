"""Differences that matter to a fact-checker inside a matched pair of claims.

``fact_differences(a, b)`` finds numbers, dates, names and negations in both texts
and reports what one side says that the other does not. It is tuned for precision:
the same value written differently (``25%``/``25 percent``, ``$2,500 million``/
``$2.5 billion``, ``“Xi”``/``"XI"``, ``Xi Jinping``/``Xi``) is not a difference.

Per kind, the values found only on one side are paired in text order with those
found only on the other side (``123 countries`` vs ``124 countries`` → one
difference with both texts); values left over are reported with the other side
``None`` (a name or a date present on one side only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
    "|".join(
        (
            # March 21, 2023 / March 21 / Mar. 21 (an abbreviation needs its day)
            rf"\b(?P<month>{_MONTH_FULL}|{_MONTH_ABBR})\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?",
            # 21 March 2023 / 21st of March
            rf"\b{_DAY2}\s+(?:of\s+)?(?P<month2>{_MONTH_FULL}|{_MONTH_ABBR})(?:\s+(?P<year2>1[0-9]{{3}}|20[0-9]{{2}}))?\b",
            # March 2023 / March ("May" alone is too often a verb or a name)
            rf"\b(?P<month3>{_MONTH_FULL.replace('May|', '')})\b"
            r"(?:\s+(?P<year3>1[0-9]{3}|20[0-9]{2})\b)?",
            r"\b(?P<month4>May)\s+(?P<year4>1[0-9]{3}|20[0-9]{2})\b",
            # (last) Monday
            rf"\b(?:(?P<wrel>last|this|next)\s+)?(?P<weekday>{_WEEKDAY_NAMES})\b",
            r"\b(?P<rel>yesterday|today|tonight|tomorrow)\b",
            rf"\b(?P<relp>(?:earlier|later)\s+this|last|this|next)\s+(?P<period>{_PERIOD})\b",
            # A bare year is a date; a number with a comma, currency or unit is not.
            r"(?<![\w$€£¥.,-])(?P<year5>1[5-9][0-9]{2}|20[0-9]{2})(?![\w%]|[.,]\d)",
        )
    ),
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
_NUMBER_WORD = "|".join([*_UNITS, *_TENS, "hundred", "dozen", *_SCALES])
_WORDS_RE = re.compile(
    rf"\b(?:{_NUMBER_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_NUMBER_WORD}|a\s+half)\b)*\b",
    re.IGNORECASE,
)


def _spelled_value(words: str) -> float | None:
    tokens = [t for t in re.split(r"[\s-]+", words.lower()) if t not in ("and", "a")]
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
    for m in _NUMBER_RE.finditer(text):
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
        pct = re.match(r"\s?(?:%|per\s?cent\b)", text[m.end() :], re.IGNORECASE)
        end = m.end() + (pct.end() if pct else 0)
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


def _sentence_starts(text: str) -> set[int]:
    starts = {
        m.start() for m in re.finditer(r"(?:^|(?<=[.!?…:])[\"“”'‘’)\]]*\s+)[\"“‘'(]*\w", text)
    }
    # finditer positions point at the separator; move each to its word.
    return {s + len(re.match(r"[^\w]*", text[s:]).group()) for s in starts}  # type: ignore[union-attr]


def _is_title_case(words: Sequence[re.Match[str]]) -> bool:
    """True for headlines In Title Case or ALL CAPS, where capitals say nothing."""
    tokens = [w.group() for w in words]
    if len(tokens) >= 3 and sum(t.isupper() for t in tokens) >= 0.8 * len(tokens):
        return True
    # Function words after the first word are lower case in running text.
    function_words = [t for t in tokens[1:] if t.lower() in _COMMON]
    capitalised = sum(1 for t in function_words if t[0].isupper())
    return bool(function_words) and capitalised >= 0.75 * len(function_words)


def _name_tokens(name: str) -> list[str]:
    tokens = []
    for word in _WORD_RE.findall(name):
        word = re.sub(r"['’]s$", "", word).replace(".", "").lower()
        if word and word not in _CONNECTORS and word not in _TITLES:
            tokens.append(word)
    return tokens


def _names(text: str, taken: Sequence[Span]) -> list[_Mention]:
    words = list(_WORD_RE.finditer(text))
    if _is_title_case(words):
        return []
    lower_words = {w.group().lower() for w in words if w.group()[0].islower()}
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
        while run and run[0].group().lower() in _CONNECTORS | _COMMON:
            run.pop(0)
        if run:
            span = (run[0].start(), run[-1].end())
            name = re.sub(r"['’]s$", "", text[span[0] : span[1]])
            tokens = _name_tokens(name)
            if tokens:
                span = (span[0], span[0] + len(name))
                found.append(_Mention(DifferenceKind.NAME, span, name, tuple(tokens)))
        run.clear()

    for word in words:
        token = word.group()
        capital = token[0].isupper() and not _overlaps(word.span(), taken)
        adjacent = bool(run) and re.fullmatch(r"\s+", text[run[-1].end() : word.start()])
        if run and not adjacent:
            close_run()
        connector = bool(run) and token.lower() in _CONNECTORS
        if (capital and token != "I") or connector:
            run.append(word)
        else:
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


def _mentions(text: str) -> dict[DifferenceKind, list[_Mention]]:
    dates = _dates(text)
    taken = [d.span for d in dates]
    numbers = _numbers(text, taken)
    taken += [n.span for n in numbers]
    return {
        DifferenceKind.NUMBER: numbers,
        DifferenceKind.DATE: dates,
        DifferenceKind.NAME: _names(text, taken),
        DifferenceKind.NEGATION: _negations(text),
    }


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


def _name_absent(name: _Mention, other_words: set[str]) -> bool:
    """A name is absent when none of its words (up to an ending) is on the other side."""
    return not any(_similar_word(t, w) for t in name.key for w in other_words)


def fact_differences(a_text: str, b_text: str) -> tuple[FactDifference, ...]:
    """Numbers, dates, names and negations that one text states and the other does not."""
    a, b = _mentions(a_text), _mentions(b_text)
    diffs: list[FactDifference] = []
    for kind in DifferenceKind:
        if kind is DifferenceKind.NAME:
            a_words = {t for w in _WORD_RE.findall(a_text) for t in _name_tokens(w)}
            b_words = {t for w in _WORD_RE.findall(b_text) for t in _name_tokens(w)}
            a_only = [n for n in a[kind] if _name_absent(n, b_words)]
            b_only = [n for n in b[kind] if _name_absent(n, a_words)]
        elif kind is DifferenceKind.NEGATION:
            a_only, b_only = _negation_surplus(a[kind], b[kind])
        else:
            a_only = _unmatched(kind, a[kind], b[kind])
            b_only = _unmatched(kind, b[kind], a[kind])
        for i in range(max(len(a_only), len(b_only))):
            x = a_only[i] if i < len(a_only) else None
            y = b_only[i] if i < len(b_only) else None
            diffs.append(
                FactDifference(
                    kind=kind,
                    a_text=x.text if x else None,
                    b_text=y.text if y else None,
                    a_span=x.span if x else None,
                    b_span=y.span if y else None,
                )
            )
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
