"""Map Python ``str`` offsets to QTextDocument positions and back.

Claims carry offsets in code points; a QTextDocument counts UTF-16 code units, so
every character outside the Basic Multilingual Plane (an emoji, say) takes two
positions there. Qt also turns ``"\\r\\n"`` into one paragraph break, which would
shift every later position: :func:`display_text` swaps the ``\\r`` for a space first
so the text keeps its length. Pure Python, no Qt: tested on its own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right


def display_text(text: str) -> str:
    """The text to give the document: same length in code points, no ``\\r``."""
    return text.replace("\r\n", " \n").replace("\r", "\n")


class OffsetMap:
    """Converts between code-point offsets and UTF-16 positions of one text."""

    def __init__(self, text: str) -> None:
        #: Code-point offsets of the characters that take two UTF-16 units.
        self._wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        #: The same characters' UTF-16 positions.
        self._wide_pos = [i + n for n, i in enumerate(self._wide)]
        self._length = len(text)

    @property
    def is_identity(self) -> bool:
        return not self._wide

    def to_position(self, offset: int) -> int:
        """The document position of code-point ``offset``."""
        if not self._wide:
            return offset
        return offset + bisect_left(self._wide, offset)

    def to_offset(self, position: int) -> int:
        """The code-point offset at document ``position`` (the middle of a pair maps to
        the character it belongs to)."""
        if not self._wide:
            return position
        # Characters before ``position`` that take two units each add one position.
        wide_before = bisect_right(self._wide_pos, position - 1)
        if wide_before and self._wide_pos[wide_before - 1] == position - 1:
            # ``position`` is the second half of a pair: it belongs to that character.
            return self._wide[wide_before - 1]
        return min(position - wide_before, self._length)
