"""What the finders return: one number, date, name or negation cue in a text."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import NamedTuple

from ..models import DifferenceKind

Span = tuple[int, int]


class Mention(NamedTuple):
    """One number, date, name or negation cue found in a text (immutable, cheap)."""

    kind: DifferenceKind
    span: Span
    text: str
    #: What is compared: equal keys mean the same value.
    key: tuple[str, ...]


#: ``Mention`` from a tuple of its fields (faster than calling the class).
new_mention = partial(tuple.__new__, Mention)


def overlaps(span: Span, taken: Iterable[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)
