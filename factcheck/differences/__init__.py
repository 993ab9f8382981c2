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
  ``123 countries`` / ``124 countries``, ``on Tuesday`` / ``on Wednesday``) next to
  unchanged content words, or
* names make up a replaced stretch with only common words between it and a changed
  name (``Smith met Jones in Paris`` / ``Smith met Brown in London``), or
* numbers count the same thing (``5 soldiers`` … ``7 soldiers``), or
* each side has exactly one date left over (the event's date, moved).

A negation is flagged when one side has more negation cues than the other and the
extra cue sits in a small changed stretch between aligned words (``He went`` /
``He never went``, ``deny`` / ``admit``).

The work is split so that little is done on most pairs, with the results of a plain
scan of each text:

* ``text``: each text is read once into its words and the few words the finders
  need; a finder (``values``, ``names``) runs only when one of its words or a digit
  is in the text, and tries its pattern only where they are. The last texts read
  are kept (``text_features``).
* a kind is looked for only when both sides can hold it, and the texts are aligned
  only when a kind is left over on both sides or one side has more negation cues.
* ``alignment``: difflib's alignment, found with substring searches.
"""

from __future__ import annotations

from ..models import DifferenceKind, FactDifference
from .alignment import Alignment, opcodes
from .mention import Mention
from .text import Text, text_features

__all__ = ["fact_differences"]

#: Longest changed stretch (in words, on each side) whose values are paired.
_MAX_STRETCH = 8
#: Longest changed stretch holding a negation cue that counts as aligned.
_MAX_NEGATION_STRETCH = 3
_KINDS = tuple(DifferenceKind)


def fact_differences(a_text: str, b_text: str) -> tuple[FactDifference, ...]:
    """Numbers, dates and names one text changes, and negation only one side has."""
    if a_text == b_text:
        return ()  # every value and cue has its twin
    a, b = text_features(a_text), text_features(b_text)
    # Values of each kind both sides have and the other does not (None: one side has
    # none, so nothing of the kind can pair).
    numbers = (
        _leftovers(DifferenceKind.NUMBER, a.numbers(), b.numbers())
        if a.may_hold_numbers() and b.may_hold_numbers()
        else None
    )
    dates = (
        _leftovers(DifferenceKind.DATE, a.dates(), b.dates())
        if a.may_hold_dates() and b.may_hold_dates()
        else None
    )
    names = _name_leftovers(a, b)
    a_cues, b_cues = a.negations(), b.negations()
    surplus = _negation_surplus(a_cues, b_cues) if len(a_cues) != len(b_cues) else None
    if surplus is None and numbers is None and names is None:
        if dates is None:
            return ()  # nothing could be paired: no need to align the texts
        if len(dates[0]) == len(dates[1]) == 1:
            # One date left on each side pairs however the texts align (_changed_pairs).
            (x,), (y,) = dates
            return (FactDifference(DifferenceKind.DATE, x.text, y.text, x.span, y.span),)
    align = _align(a, b)
    diffs: list[FactDifference] = []
    for kind, pair in (
        (DifferenceKind.NUMBER, numbers),
        (DifferenceKind.DATE, dates),
        (DifferenceKind.NAME, names),
    ):
        if pair is not None:
            for x, y in _changed_pairs(kind, *pair, align):
                diffs.append(FactDifference(kind, x.text, y.text, x.span, y.span))
    for side, extra in enumerate(surplus or ()):
        for cue in extra:
            block = align.block(cue, side)
            if block < 0 or align.stretch(block, side) > _MAX_NEGATION_STRETCH:
                continue
            if not align.anchored(block):
                continue
            diffs.append(
                FactDifference(
                    kind=DifferenceKind.NEGATION,
                    a_text=cue.text if side == 0 else None,
                    b_text=cue.text if side == 1 else None,
                    a_span=cue.span if side == 0 else None,
                    b_span=cue.span if side == 1 else None,
                )
            )
    diffs.sort(key=_position)
    return tuple(diffs)


def _align(a: Text, b: Text) -> Alignment:
    a_tokens, b_tokens = a.alignment_tokens(), b.alignment_tokens()
    return Alignment(a_tokens, b_tokens, opcodes(a_tokens.words, b_tokens.words))


# --- leftovers: values one side has and the other does not ------------------------


def _same_day(a: Mention, b: Mention) -> bool:
    """True when one date's key holds the other's: "March 21", "March 21, 2023"."""
    return set(a.key) <= set(b.key) or set(b.key) <= set(a.key)


def _unmatched(
    kind: DifferenceKind, ours: tuple[Mention, ...], theirs: tuple[Mention, ...]
) -> list[Mention]:
    """Our mentions with no equal on the other side (each of theirs used once)."""
    dates = kind is DifferenceKind.DATE
    free = list(theirs)
    left = []
    for mention in ours:
        for n, twin in enumerate(free):
            if twin.key == mention.key or (dates and _same_day(mention, twin)):
                del free[n]  # mentions of a text differ (their spans do)
                break
        else:
            left.append(mention)
    return left


Leftovers = tuple[list[Mention], list[Mention]]


def _leftovers(
    kind: DifferenceKind, ours: tuple[Mention, ...], theirs: tuple[Mention, ...]
) -> Leftovers | None:
    """Values of ``kind`` each side has and the other does not (None: a side has none).

    Only a kind left over on both sides can be a change, so the B side is looked at
    only when A has something left.
    """
    if not ours or not theirs:
        return None
    a_left = _unmatched(kind, ours, theirs)
    if not a_left:
        return None
    b_left = _unmatched(kind, theirs, ours)
    return (a_left, b_left) if b_left else None


def _name_leftovers(a: Text, b: Text) -> Leftovers | None:
    """``_leftovers`` for names: those none of whose words the other side has."""
    # When B has no name A lacks, A's are not needed.
    if b.has_every_name_of(a) or a.has_every_name_of(b):
        return None
    a_left = a.absent_names(b)
    if not a_left:
        return None
    b_left = b.absent_names(a)
    return (a_left, b_left) if b_left else None


# --- pairing ----------------------------------------------------------------------


def _changed_pairs(
    kind: DifferenceKind, a_left: list[Mention], b_left: list[Mention], align: Alignment
) -> list[tuple[Mention, Mention]]:
    """Leftover values of one kind paired as changes in aligned context (see module doc)."""
    pairs: list[tuple[Mention, Mention]] = []
    a_free, b_free = list(a_left), list(b_left)
    a_block = {id(m): align.block(m, 0) for m in a_free}
    b_block = {id(m): align.block(m, 1) for m in b_free}
    blocks = sorted({a_block[id(m)] for m in a_free} - {-1})
    paired: set[int] = set()
    # Names take a second look: a stretch that is only a name, with nothing but common
    # words between it and a changed name, is one too ("Smith met Jones in Paris." /
    # "Smith met Brown in London.": "in" and the full stop are all Paris has around it).
    for second in (False, True) if kind is DifferenceKind.NAME else (False,):
        if second and not paired:
            break
        for block in blocks:
            if block in paired or align.opcodes[block][0] != "replace":
                continue
            if max(align.stretch(block, 0), align.stretch(block, 1)) > _MAX_STRETCH:
                continue
            # Around a changed stretch are unchanged ones: two blocks on is the next change.
            next_to_a_pair = block - 2 in paired or block + 2 in paired
            if not (next_to_a_pair if second else align.anchored(block)):
                continue
            a_in = [m for m in a_free if a_block[id(m)] == block]
            b_in = [m for m in b_free if b_block[id(m)] == block]
            if not a_in or len(a_in) != len(b_in):
                continue
            if second and not (align.only(block, 0, a_in) and align.only(block, 1, b_in)):
                continue
            pairs += zip(a_in, b_in, strict=True)
            paired.add(block)
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


def _negation_surplus(
    a: tuple[Mention, ...], b: tuple[Mention, ...]
) -> tuple[list[Mention], list[Mention]]:
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
    return (a, b, _KINDS.index(d.kind))
