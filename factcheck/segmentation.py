"""Split an article into claims (sentences) with exact character offsets.

Rules, in order of strength:

* Line breaks are hard boundaries: a photo caption on its own line is its own claim.
* Inside a line, a sentence ends at ``.``, ``!``, ``?``, ``…``, ``؟``, ``۔`` or ``।``
  (plus closing quotes or brackets: ``„…“``, ``« … »``) followed by white space and a
  sentence start (capital, digit, opening quote, a letter of a script without case)
  — unless the word before is an abbreviation or an initial (``Mr.``, ``U.S.``,
  ``J.``), the next word is lower-case (``“…,” he said.``), or the terminal is the
  number of a list item (``1. Taxes rise``) at the start of the line. After ``。``,
  ``！`` or ``？`` a sentence ends whatever follows.
* Sentences glued without a space (``confrontation.The question``) split when a
  lower-case word ends in terminal punctuation and a capitalised word follows.
* Two words fused where a line break was lost (``journalistThe``) split before a
  common sentence-opening word.

Claims are stripped of surrounding white space; every non-white-space character of
the text belongs to exactly one claim, and claims come in text order.
"""

from __future__ import annotations

import math
import re

from .errors import ArticleLoadError
from .models import Article, Claim, ClaimKind, claim_id

#: Characters that end a line, as ``str.splitlines`` counts them.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

#: A run of terminals, spaced (Western, Arabic ``؟``, Urdu ``۔``, Devanagari ``।``) or
#: CJK (never both), and the closing quotes or brackets after it: the closers proper,
#: then one quote that closes only where it ends a word (the German ``„…“`` and
#: ``»…«``), then a French ``»`` after a space (``« C’est faux. »``). The pattern starts
#: with one plain character class so that ``re`` can skip straight to the next terminal
#: (``(?:[.!?…]+|[。！？]+)`` would make it try a match at every character); the
#: look-behind picks the script of the rest of the run.
_TERMINAL_RE = re.compile(
    r"[.!?…؟।۔。！？](?:(?<=[.!?…؟।۔])[.!?…؟।۔]*|[。！？]*)"
    r"[”’\"'»)\]」』）》〉】]*(?:[“‘«](?=\s|$))?(?:\s»[”’\"'»)\]]*)?"
)
_TERMINALS = ".!?…؟।۔。！？"
_CJK_TERMINALS = frozenset("。！？")
#: Spaced terminals and closers: what a line may end with (``.``, ``?”``, ``.)``).
_LINE_TAIL = ".!?…؟।۔”’\"'»)]“‘«」』）》〉】"
#: What a sentence may end with, so that a claim alone on its line is not a caption.
_SENTENCE_TAIL = ".!?…؟।۔:;。！？”’\"'»)」』）》〉】"
#: How a paragraph that is not a headline ends: with a full stop, in any script.
FULL_STOPS = (".", "。", "！", "？", "।", "۔")
#: A Markdown numbered list item's number, at the start of a line (``1. Taxes rise``).
_LIST_NUMBER_RE = re.compile(r"\s*\d{1,9}\.(?=\s)")
_OPENERS = frozenset("“‘\"'«([¿¡")
#: What is not white space: searched from a terminal on, the start of what follows it.
_NON_SPACE_RE = re.compile(r"\S")

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
_ACRONYM_RE = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
#: Words that open sentences; used only to split two fused words (``journalistThe``).
_FUSED_OPENERS = (
    "The|About|A|An|In|It|Its|This|That|These|Those|He|She|They|We|But|And|However|"
    "Moreover|Meanwhile|Source|Read|Follow|Photo|Image|Copyright|All"
)
_FUSED_RE = re.compile(rf"(?<=[a-z]{{3}})(?=(?:{_FUSED_OPENERS})\b[ ,.:])")
#: What every fused pair has, found much faster than ``_FUSED_RE``: an opener's capital
#: right after a lower-case letter. (Capital first: ``re`` skips quickly to the rare
#: capitals, but would stop at every ``[a-z]``.)
_FUSED_HINT_RE = re.compile(
    "[" + "".join(sorted({w[0] for w in _FUSED_OPENERS.split("|")})) + "](?<=[a-z].)"
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


#: Claims one article may have. A news article has a few hundred. Two articles at this
#: limit go through ``factcheck new`` (segmentation and matching) in under 2 GB; at
#: 199,000 a side it took 2.7 GB.
MAX_CLAIMS = 100_000


class TooManyClaimsError(ArticleLoadError):
    """An article with more than :data:`MAX_CLAIMS` claims."""

    def __init__(self, source: str) -> None:
        super().__init__(
            source,
            f"too many claims for one article (more than {MAX_CLAIMS:,} sentences; "
            "see the input limits)",
        )


def segment_spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of every claim in ``text``, in order."""
    return _segment(text)[0]


def segment_claims(article: Article) -> tuple[Claim, ...]:
    """The claims of ``article``, with kinds (headline, body, caption, boilerplate).

    :class:`TooManyClaimsError` as soon as there are more than :data:`MAX_CLAIMS`.
    """
    text = article.text
    try:
        spans, shared_lines = _segment(text, MAX_CLAIMS)
    except _TooMany:
        raise TooManyClaimsError(article.source) from None
    texts = [text[s:e] for s, e in spans]
    alone_on_line = [True] * len(spans)
    for line in shared_lines:
        for i in line:
            alone_on_line[i] = False
    kinds = list(map(_kind, texts, alone_on_line))

    if spans and _is_headline(article, texts[0], len(spans)):
        # A two-sentence headline ("X is crumbling. Will Y help?") is one line.
        first_line = shared_lines[0] if shared_lines and shared_lines[0][0] == 0 else range(1)
        for i in first_line:
            kinds[i] = ClaimKind.HEADLINE
    for i in range(len(spans) - 1, max(-1, len(spans) - 1 - _BOILERPLATE_TAIL), -1):
        if not _BOILERPLATE_RE.search(texts[i]):
            break
        kinds[i] = ClaimKind.BOILERPLATE
    return tuple(
        Claim(
            id=claim_id(article.id, i),
            article_id=article.id,
            index=i,
            start=s,
            end=e,
            text=texts[i],
            kind=kinds[i],
        )
        for i, (s, e) in enumerate(spans)
    )


class _TooMany(Exception):
    pass


def _segment(text: str, limit: float = math.inf) -> tuple[list[tuple[int, int]], list[range]]:
    """The spans of the claims in ``text``, and the lines that hold more than one claim.

    Each such line is given as the range of its claims' indices. More than ``limit``
    claims raise ``_TooMany`` at once, before the rest is split. Most lines are one
    sentence with its terminal at the end; cheap string methods tell them apart (see
    :func:`_has_inner_terminal`) and only the other lines go through the rules of
    :func:`_sentence_cuts`.
    """
    spans: list[tuple[int, int]] = []
    shared_lines: list[range] = []
    # The terminals that occur in the text at all (most texts have no CJK ones).
    terminals = [t for t in _TERMINALS if t in text]
    # Where a fused pair may be, found in the whole text at once (a pair never spans a
    # line break), in order, with a sentinel past the end; ``k`` is the next to look at.
    fused = [m.start() for m in _FUSED_HINT_RE.finditer(text)]
    fused.append(len(text))
    k = 0
    line_start = 0
    for piece in text.splitlines(keepends=True):  # the same breaks as LINE_BREAKS
        start = line_start
        line_start += len(piece)
        body = piece.rstrip()  # the line without its break and trailing white space
        if not body:
            continue
        end = start + len(body)
        if fused[k] >= end and not _has_inner_terminal(body, terminals):
            # The commonest line: one claim, the line stripped.
            spans.append((end - len(body.lstrip()), end))
            if len(spans) > limit:
                raise _TooMany
            continue
        fused_here = []
        while fused[k] < end:
            fused_here.append(fused[k] - start)
            k += 1
        # The rules see the whole line, trailing white space included ("so.I " splits).
        line = piece.rstrip(LINE_BREAKS)
        first = len(spans)
        cut_start = start
        for cut in _sentence_cuts(line, fused_here):
            spans.extend(_stripped(text, cut_start, start + cut))
            cut_start = start + cut
            if len(spans) > limit:
                raise _TooMany
        spans.extend(_stripped(text, cut_start, end))
        if len(spans) > limit:
            raise _TooMany
        if len(spans) - first > 1:
            shared_lines.append(range(first, len(spans)))
    return spans, shared_lines


def _has_inner_terminal(body: str, terminals: list[str]) -> bool:
    """Whether the line ``body`` has a terminal before its tail of Western terminals and
    closers (``.``, ``?”``, ``.)``) — the only place where a terminal can end a sentence.

    A terminal run in the tail is followed by more of the tail or by white space, and
    neither starts a sentence (:func:`_ends_sentence`). CJK terminals are never part of
    the tail: one followed by anything at all ends a sentence.
    """
    core = body.rstrip(_LINE_TAIL)
    # A plain loop: on every line of the text, any() over a generator costs 3x as much.
    for t in terminals:  # noqa: SIM110
        if t in core:
            return True
    return False


def _sentence_cuts(line: str, fused: list[int]) -> list[int]:
    """Offsets inside ``line`` where one sentence ends and the next begins.

    ``fused`` holds the offsets in ``line`` where ``_FUSED_HINT_RE`` matched.
    """
    tokens = _Tokens(line)
    cuts = {m.end() for m in _TERMINAL_RE.finditer(line) if _ends_sentence(line, m, tokens)}
    if number := _LIST_NUMBER_RE.match(line):
        cuts.discard(number.end())  # the number belongs to the item's first sentence
    cuts.update(c for c in fused if _FUSED_RE.match(line, c))
    return sorted(c for c in cuts if 0 < c < len(line))


def _ends_sentence(line: str, m: re.Match[str], tokens: _Tokens) -> bool:
    # The conditions are checked cheapest first: what follows the terminal, then the
    # word before it. Everything is looked up by offset: a line may be a whole article,
    # and slicing its rest at every terminal would cost time quadratic in its length.
    end = m.end()
    following = _NON_SPACE_RE.search(line, end)
    if following is None:
        return False
    nxt = following.start()  # the first non-white-space character after the run
    if line[m.start()] in _CJK_TERMINALS:
        return True
    if nxt == end:
        return _glued_sentence_start(line, m, tokens)
    first = line[nxt]
    if first.isdigit():
        word = _word_before(line, m.start())
        return word.lower() not in _ABBREVIATIONS_BEFORE_NUMBERS and not _is_abbreviation(word)
    if first in _OPENERS:
        first = line[nxt + 1] if nxt + 1 < len(line) else "x"
    if not (first.isupper() or first.isdigit() or first in _OPENERS or _is_caseless(first)):
        return False
    return line[m.start()] != "." or not _is_abbreviation(_word_before(line, m.start()))


def _glued_sentence_start(line: str, m: re.Match[str], tokens: _Tokens) -> bool:
    """``word.Next`` without a space: a sentence break only between real words."""
    p = m.end()
    if line[p] in _OPENERS:
        p += 1
    if p + 2 > len(line) or not line[p].isupper():
        return False
    # "safe.A bifurcation": the one-letter words "A" and "I" open sentences too.
    if not (line[p + 1].islower() or (line[p] in "AI" and line[p + 1] == " ")):
        return False
    word = _undotted_word_before(line, m.start())
    if word is None or len(word) < 2 or _is_abbreviation(word):
        return False
    if tokens.is_address(m.start()):
        return False
    before = line[m.start() - 1]
    return before.islower() or before.isdigit() or before in '%”’")'


def _is_caseless(ch: str) -> bool:
    """Whether ``ch`` is a letter of a script without case (Arabic, Hebrew, Devanagari,
    CJK…): a sentence may start with it as it may with a capital."""
    return ch.isalpha() and not ch.islower() and not ch.isupper()


def _undotted_word_before(line: str, pos: int) -> str | None:
    """:func:`_word_before`, or None as soon as that word turns out to hold a period.

    Walking back stops at the first period inside the word, so in a run of glued
    words (``ab.Cd.Ef.Gh``) each walk ends where the one before began.
    """
    i = pos
    alnum_after = False  # an alphanumeric seen after (to the right of) ``i``
    dot_after = False  # a period seen after an alphanumeric, further right
    while i > 0:
        ch = line[i - 1]
        if ch.isalnum():
            if dot_after:
                return None
            alnum_after = True
        elif ch == ".":
            dot_after = alnum_after
        else:
            break
        i -= 1
    return line[i:pos].strip(".")


class _Tokens:
    """Whether the run of non-white-space characters that ends at an offset of ``line``
    is a web or mail address (``https://…``, ``…@…``, ``www.…``).

    Asked at increasing offsets (the terminals of the line, in order), each walk back
    stops where the last one began and reuses what it found, so a whole line costs
    time linear in its length, however long its runs without white space.
    """

    __slots__ = ("_at", "_line", "_marked", "_start")

    def __init__(self, line: str) -> None:
        self._line = line
        self._at = 0  # the offset asked last,
        self._start = 0  # where the run that ends there starts,
        self._marked = False  # and whether that run holds "://" or "@"

    def is_address(self, pos: int) -> bool:
        line = self._line
        if pos < self._at:
            self._at = self._start = 0
            self._marked = False
        i = pos
        while i > self._at and not line[i - 1].isspace():
            i -= 1
        if i == self._at:  # the run goes on from the offset asked last: extend it
            start = self._start
            marked = (
                self._marked
                or "://" in line[max(start, self._at - 2) : pos]
                or "@" in line[self._at : pos]
            )
        else:
            start = i
            marked = "://" in line[start:pos] or "@" in line[start:pos]
        self._at, self._start, self._marked = pos, start, marked
        # (Slicing before lower-casing: "İ" lower-cases to two characters.)
        return marked or line[start : start + 3].lower() == "www"


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
    return bool(_ACRONYM_RE.fullmatch(word)) and low not in ("a.m", "p.m")


def _stripped(text: str, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if start < end else []


def _kind(claim: str, alone_on_line: bool) -> ClaimKind:
    # Nearly every claim starts with a letter or digit: look at the first one first.
    if not (claim[0].isalnum() or any(ch.isalnum() for ch in claim)):
        return ClaimKind.BOILERPLATE
    if (
        alone_on_line
        and claim[-1] not in _SENTENCE_TAIL
        # „Das ist falsch.“: a closing quote that also opens in English.
        and not (claim[-1] in "“‘«" and len(claim) > 1 and claim[-2] in _TERMINALS)
    ):
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
        len(line) <= _HEADLINE_MAX_CHARS
        and not line.endswith(FULL_STOPS)
        and first == line[: len(first)]
    )
