"""Split an article into claims (sentences) with exact character offsets.

Rules, in order of strength:

* Line breaks are hard boundaries: a photo caption on its own line is its own claim.
* Inside a line, a sentence ends at ``.``, ``!``, ``?`` or ``…`` (plus closing quotes
  or brackets) followed by white space and a sentence start (capital, digit,
  opening quote) — unless the word before is an abbreviation or an initial
  (``Mr.``, ``U.S.``, ``J.``), or the next word is lower-case (``“…,” he said.``).
* Sentences glued without a space (``confrontation.The question``) split when a
  lower-case word ends in terminal punctuation and a capitalised word follows.
* Two words fused where a line break was lost (``journalistThe``) split before a
  common sentence-opening word.

Claims are stripped of surrounding white space; every non-white-space character of
the text belongs to exactly one claim, and claims come in text order.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from .models import Article, Claim, ClaimKind, claim_id

#: Characters that end a line, as ``str.splitlines`` counts them.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_RE = re.compile(f"[^{LINE_BREAKS}]+")
_LINE_BREAK_RE = re.compile(f"[{LINE_BREAKS}]")

_TERMINAL_RE = re.compile(r"(?:[.!?…]+|[。！？]+)[”’\"'»)\]]*")
_CJK_TERMINALS = frozenset("。！？")
_OPENERS = frozenset("“‘\"'«([¿¡")

#: Lower-cased words that are never the end of a sentence when followed by a period.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "mx",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "pres",
        "rev",
        "hon",
        "fr",
        "messrs",
        "vs",
        "v",
        "e.g",
        "i.e",
        "cf",
        "al",
        "approx",
        "dept",
        "ca",
    ]
) | frozenset(["u.s", "u.k", "u.n", "e.u", "u.s.a", "d.c", "ph.d"])
#: Abbreviations that end a sentence unless a number follows (``No. 5``, ``Jan. 12``).
_ABBREVIATIONS_BEFORE_NUMBERS = frozenset(
    [
        "no",
        "nos",
        "vol",
        "pp",
        "fig",
        "art",
        "sec",
        "ch",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
#: Words that open sentences; used only to split two fused words (``journalistThe``).
_FUSED_OPENERS = (
    "The|About|A|An|In|It|Its|This|That|These|Those|He|She|They|We|But|And|However|"
    "Moreover|Meanwhile|Source|Read|Follow|Photo|Image|Copyright|All"
)
_FUSED_RE = re.compile(rf"(?<=[a-z]{{3}})(?=(?:{_FUSED_OPENERS})\b[ ,.:])")
#: What every fused pair has, found much faster than ``_FUSED_RE``: a lower-case letter
#: right before an opener's capital.
_FUSED_HINT_RE = re.compile(
    "[a-z][" + "".join(sorted({w[0] for w in _FUSED_OPENERS.split("|")})) + "]"
)

_BOILERPLATE_RE = re.compile(
    r"""^(?:source|sources|photo|image|video|advertisement|read\ more.*|related.*)[:.]?$
    |^about\ the\ author\b
    |^(?:by|written\ by|reporting\ by|edited\ by)\ [A-Z]
    |^[A-Z][\w’'.-]+(?:\ [A-Z][\w’'.-]+){0,3},\ (?:\w+\ )?(?:journalist|reporter|editor|
       correspondent|writer|columnist|analyst|contributor)\.?$
    |\bdoes\ not\ (?:always\ |necessarily\ )?(?:share|reflect|represent)\ the\ (?:opinions|views)
    |\ball\ rights\ reserved\b|^©|^copyright\b|^follow\ us\b|^sign\ up\b""",
    re.IGNORECASE | re.VERBOSE,
)
#: How far from the end of an article a byline or disclaimer may stand.
_BOILERPLATE_TAIL = 6
_HEADLINE_MAX_CHARS = 200


def segment_spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of every claim in ``text``, in order."""
    spans: list[tuple[int, int]] = []
    for line in _LINE_RE.finditer(text):
        start = line.start()
        for cut in _sentence_cuts(line.group()):
            spans.extend(_stripped(text, start, line.start() + cut))
            start = line.start() + cut
        spans.extend(_stripped(text, start, line.end()))
    return spans


def segment_claims(article: Article) -> tuple[Claim, ...]:
    """The claims of ``article``, with kinds (headline, body, caption, boilerplate)."""
    text = article.text
    spans = segment_spans(text)
    line_of = _line_numbers(text, spans)
    claims_per_line: dict[int, int] = {}
    for line in line_of:
        claims_per_line[line] = claims_per_line.get(line, 0) + 1

    kinds = [
        _kind(text[s:e], alone_on_line=claims_per_line[line_of[i]] == 1)
        for i, (s, e) in enumerate(spans)
    ]
    if spans and _is_headline(article, text[spans[0][0] : spans[0][1]], len(spans)):
        kinds[0] = ClaimKind.HEADLINE
        # A two-sentence headline ("X is crumbling. Will Y help?") is one line.
        for i in range(1, len(spans)):
            if line_of[i] != line_of[0]:
                break
            kinds[i] = ClaimKind.HEADLINE
    for i in range(len(spans) - 1, max(-1, len(spans) - 1 - _BOILERPLATE_TAIL), -1):
        s, e = spans[i]
        if not _BOILERPLATE_RE.search(text[s:e]):
            break
        kinds[i] = ClaimKind.BOILERPLATE
    return tuple(
        Claim(
            id=claim_id(article.id, i),
            article_id=article.id,
            index=i,
            start=s,
            end=e,
            text=text[s:e],
            kind=kinds[i],
        )
        for i, (s, e) in enumerate(spans)
    )


def _sentence_cuts(line: str) -> Iterator[int]:
    """Offsets inside ``line`` where one sentence ends and the next begins."""
    cuts = {m.end() for m in _TERMINAL_RE.finditer(line) if _ends_sentence(line, m)}
    if _FUSED_HINT_RE.search(line):
        cuts.update(m.start() for m in _FUSED_RE.finditer(line))
    yield from sorted(c for c in cuts if 0 < c < len(line))


def _ends_sentence(line: str, m: re.Match[str]) -> bool:
    end = m.end()
    rest = line[end:]
    stripped = rest.lstrip()
    if not stripped:
        return False
    if m.group()[0] in _CJK_TERMINALS:
        return True
    word = _word_before(line, m.start())
    glued = len(stripped) == len(rest)
    first = stripped[0]
    if glued:
        return _glued_sentence_start(line, m, word, stripped)
    if first.isdigit():
        return word.lower() not in _ABBREVIATIONS_BEFORE_NUMBERS and not _is_abbreviation(word)
    if first in _OPENERS:
        first = stripped[1:2] or "x"
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return False
    return m.group()[0] != "." or not _is_abbreviation(word)


def _glued_sentence_start(line: str, m: re.Match[str], word: str, rest: str) -> bool:
    """``word.Next`` without a space: a sentence break only between real words."""
    if len(word) < 2 or _is_abbreviation(word) or "." in word:
        return False
    token = line[: m.start()].rsplit(None, 1)[-1] if line[: m.start()].strip() else ""
    if "://" in token or "@" in token or token.lower().startswith("www"):
        return False
    before = line[m.start() - 1]
    if not (before.islower() or before.isdigit() or before in '%”’")'):
        return False
    if rest[0] in _OPENERS:
        rest = rest[1:]
    if len(rest) < 2 or not rest[0].isupper():
        return False
    # "safe.A bifurcation": the one-letter words "A" and "I" open sentences too.
    return rest[1].islower() or (rest[0] in "AI" and rest[1] == " ")


def _word_before(line: str, pos: int) -> str:
    """The run of letters, digits and inner periods that ends at ``pos``."""
    i = pos
    while i > 0 and (line[i - 1].isalnum() or line[i - 1] == "."):
        i -= 1
    return line[i:pos].strip(".")


def _is_abbreviation(word: str) -> bool:
    low = word.lower()
    if low in _ABBREVIATIONS:
        return True
    # A single capital is an initial (J. K. Rowling); dotted capitals an acronym (U.S.).
    if len(word) == 1 and word.isupper():
        return True
    return bool(re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word)) and low not in ("a.m", "p.m")


def _stripped(text: str, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if start < end else []


def _line_numbers(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """The line of each span (spans in text order): the line breaks before its start."""
    breaks = [m.start() for m in _LINE_BREAK_RE.finditer(text)]
    return [bisect.bisect_left(breaks, s) for s, _e in spans]


def _kind(claim: str, *, alone_on_line: bool) -> ClaimKind:
    if not any(ch.isalnum() for ch in claim):
        return ClaimKind.BOILERPLATE
    if alone_on_line and claim[-1] not in ".!?…:;。！？”’\"'»)":
        return ClaimKind.CAPTION
    return ClaimKind.BODY


def _is_headline(article: Article, first: str, count: int) -> bool:
    """The first line is a headline when it is the title or reads like one."""
    if count < 2:
        return False
    line = article.text.lstrip().split("\n", 1)[0].strip()
    if article.title and line == article.title.strip():
        return True
    return (
        len(line) <= _HEADLINE_MAX_CHARS and not line.endswith(".") and first == line[: len(first)]
    )
