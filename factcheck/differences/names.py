"""Names in one text: runs of capitalised words, and the words a name can hold."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import islice

from ..models import DifferenceKind
from .mention import Mention, Span, new_mention


def _wordset(words: str) -> tuple[str, ...]:
    return tuple(words.split())


WORD_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['’\-][^\W\d_]+)*")
#: ``WORD_RE`` for an ASCII text, where ``[^\W\d_]`` is ``[A-Za-z]``: same words, faster.
_ASCII_WORD_RE = re.compile(r"[A-Z]\.(?:[A-Z]\.)+|[A-Za-z]+(?:['\-][A-Za-z]+)*")
CONNECTORS = frozenset(_wordset("of the de del der van von bin al la le du da di y"))
_TITLES = frozenset(
    _wordset(
        """mr mrs ms dr prof sir dame lord lady president vice prime minister chancellor king
    queen prince princess pope general gen col colonel senator sen rep governor gov mayor
    secretary judge justice chief saint st"""
    )
)
#: Capitalised words that start sentences without naming anything.
COMMON = frozenset(
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
CONNECTORS_OR_COMMON = CONNECTORS | COMMON
NOT_NAME_WORDS = CONNECTORS | _TITLES

#: A sentence starts at the text's start or after one of ``_ENDS``, closing marks and
#: white space; opening marks may come before its first word.
_ENDS = frozenset(".!?…:")
_CLOSERS = frozenset("\"“”'‘’)]")
_OPENERS = frozenset("\"“‘'(")


def words(text: str) -> list[str]:
    """The matches of ``WORD_RE`` in ``text``."""
    return (_ASCII_WORD_RE if text.isascii() else WORD_RE).findall(text)


_SEGMENT_SEPARATOR_RE = re.compile(r"['’\-.]")


def _may_be_value(text: str, low: str, start: int, end: int, value_words: frozenset[str]) -> bool:
    """False when the word ``low`` (lower-cased) at ``start:end`` cannot be in a date or
    a number (see ``find_runs``)."""
    if low in value_words:
        return True
    if (start and text[start - 1].isdigit()) or text[end : end + 1] == "$":
        return True
    # A word of letters only is its one segment.
    return not low.isalpha() and not value_words.isdisjoint(_SEGMENT_SEPARATOR_RE.split(low))


def _starts_sentence(text: str, at: int) -> bool:
    """True when the word at ``at`` starts a sentence (see ``_ENDS``)."""
    n = at
    while n and text[n - 1] in _OPENERS:
        n -= 1
    if not n:
        return True
    space = n
    while n and text[n - 1].isspace():
        n -= 1
    if n == space:
        return False
    while n and text[n - 1] in _CLOSERS:
        n -= 1
    return n > 0 and text[n - 1] in _ENDS


def _is_title_case(
    text: str, tokens: Sequence[str], lowered: Sequence[str], upper: Sequence[int]
) -> bool:
    """True for headlines In Title Case or ALL CAPS, where capitals say nothing.

    ``upper`` are the indices of the words starting with a capital.
    """
    count = len(tokens)
    # An ASCII word in capitals starts with one.
    if (
        count >= 3
        and (len(upper) >= 0.8 * count or not text.isascii())
        and sum(map(str.isupper, tokens)) >= 0.8 * count
    ):
        return True
    # Function words after the first word are lower case in running text.
    capitalised = len([n for n in upper if n and lowered[n] in COMMON])
    if not capitalised:
        return False
    function_words = sum(map(COMMON.__contains__, islice(lowered, 1, None)))
    return capitalised >= 0.75 * function_words


@lru_cache(maxsize=1 << 16)
def name_word(word: str) -> str:
    """One word (a match of ``WORD_RE``) as a name token: "" for a title or connector."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    word = word.replace(".", "").lower()
    return "" if word in NOT_NAME_WORDS else word


def find_runs(
    text: str,
    taken: Callable[[], Sequence[Span]],
    tokens: Sequence[str],
    lowered: Sequence[str],
    upper: Sequence[int],
    spans: Callable[[], tuple[Sequence[int], Sequence[int]]],
    value_words: frozenset[str] | None,
) -> list[tuple[int, ...]]:
    """Runs of capitalised words in ``text`` outside the spans ``taken`` gives, that
    can hold a name (``run_name``), as word indices.

    ``tokens`` are the text's words (``words(text)``), ``lowered`` the same lower-cased,
    ``upper`` the indices of those starting with a capital and ``spans`` gives where
    they start and end. A run starts at a capitalised word and goes on over
    capitalised words and connectors with only white space between them.

    A capitalised word can be in a date or number only when one of its segments is
    in ``value_words``, a digit is right before it or "$" right after it (see
    ``values.VALUE_WORDS``): ``taken`` is called only when a word can, or always when
    ``value_words`` is None.
    """
    capitals = [n for n in upper if tokens[n] != "I"] if "I" in tokens else upper
    if not capitals or _is_title_case(text, tokens, lowered, upper):
        return []
    starts, ends = spans()
    # The capitalised words outside dates and numbers: those a run can hold.
    free = set(capitals)
    if value_words is None or any(
        _may_be_value(text, lowered[n], starts[n], ends[n], value_words) for n in capitals
    ):
        for start, end in taken():
            # The words overlapping the span (words are in order).
            free.difference_update(range(bisect_right(ends, start), bisect_left(starts, end)))
    found: list[tuple[int, ...]] = []
    count = len(tokens)
    following = 0  # the first word no run has looked at yet
    for first in capitals:
        if first < following or first not in free:
            continue
        run = [first]
        n = first + 1
        while n < count and text[ends[n - 1] : starts[n]].isspace():
            if n in free or lowered[n] in CONNECTORS:
                run.append(n)
                n += 1
            else:
                n += 1  # this word ends the run and cannot start one
                break
        # Otherwise the run ends before word n (not adjacent), which may start one.
        following = n
        if len(run) == 1 and lowered[first] in CONNECTORS_OR_COMMON:
            continue  # "The", "In": trimmed away (see run_name)
        found.append(tuple(run))
    return found


def run_name(
    text: str,
    tokens: Sequence[str],
    lowered: Sequence[str],
    starts: Sequence[int],
    ends: Sequence[int],
    run: list[int],
) -> Mention | None:
    """The name a run of words (their indices, in a list this trims) holds, if any.

    A word that is not a connector or a common word stays in the name, unless it is
    the run's only word and trimmed as a plain word at a sentence's start.
    """
    while run and lowered[run[-1]] in CONNECTORS:
        run.pop()
    # A sentence's first word is capitalised anyway: keep it only when it is never a
    # plain word in these texts and not a common sentence opener.
    while run and _starts_sentence(text, starts[run[0]]):
        if lowered[run[0]] in COMMON or (len(run) == 1 and _plain_word(tokens, lowered, run[0])):
            run.pop(0)
        else:
            break
    while run and lowered[run[0]] in CONNECTORS_OR_COMMON:
        run.pop(0)
    if not run:
        return None
    # The name's words are the run's, the last without a possessive.
    start, end = starts[run[0]], ends[run[-1]]
    last = tokens[run[-1]]
    if last.endswith(("'s", "’s")):
        last, end = last[:-2], end - 2
    name_tokens = [name_word(tokens[n]) for n in run[:-1]]
    name_tokens.append(name_word(last))
    key = tuple(filter(None, name_tokens))
    if not key:
        return None
    return new_mention((DifferenceKind.NAME, (start, end), text[start:end], key))


def _plain_word(tokens: Sequence[str], lowered: Sequence[str], n: int) -> bool:
    """True when word ``n`` is in the text starting lower case too."""
    word = lowered[n]
    if lowered.count(word) == 1:
        return False
    return any(low == word and t[0].islower() for t, low in zip(tokens, lowered, strict=True))


def similar_word(a: str, b: str) -> bool:
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
