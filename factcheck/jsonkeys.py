"""Duplicate keys in a JSON document, which every JSON parser silently resolves.

``{"annotations": [...5 notes...], "annotations": []}`` parses (with :mod:`json` and
with orjson alike) as the last value: the notes vanish without a word, and the next
save drops them for good. :func:`duplicate_key` finds such a key, whichever parser
made ``data``, at a cost of a few passes in C over the text when there is none:

* Outside strings a JSON text has exactly one ``:`` per key, so the text's colons
  are its keys (duplicates included) plus the colons inside its strings.
* orjson's compact re-serialisation of ``data`` has one colon per key that survived
  plus the same colons inside strings (it writes ``:`` as itself; a text that wrote
  one as ``\\u003a`` is checked the slow way).

So the two counts differ exactly when a key (and its value) was dropped. Only then,
or when ``data`` cannot be re-serialised (integers beyond 64 bits), is the text parsed
again keeping every key, to name the duplicate and where it is.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

__all__ = ["duplicate_key"]


def duplicate_key(text: str | bytes, data: Any) -> tuple[str, str] | None:
    """``(key, path)`` of the first key that appears twice in one object of ``text``
    (``path`` like ``annotations/3/anchor``, or ``""`` for the top level), or None.

    ``data`` is what a parser made of ``text`` (which must be valid JSON).
    """
    if not _may_have_duplicates(text, data):
        return None
    return _first_duplicate(json.loads(text, object_pairs_hook=_Pairs))


def _may_have_duplicates(text: str | bytes, data: Any) -> bool:
    if isinstance(text, str):
        escaped = "u003a" in text or "u003A" in text
        colons = text.count(":")
    else:
        escaped = b"u003a" in text or b"u003A" in text
        colons = text.count(b":")
    if escaped:
        return True
    try:
        kept = orjson.dumps(data).count(b":")
    except (orjson.JSONEncodeError, TypeError):
        return True
    return colons != kept


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as parsed, every key kept in order."""


def _first_duplicate(node: Any) -> tuple[str, str] | None:
    stack: list[tuple[Any, str]] = [(node, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, _Pairs):
            seen: set[str] = set()
            for key, _value in node:
                if key in seen:
                    return key, path
                seen.add(key)
            children = [(v, f"{path}/{k}") for k, v in node]
        elif isinstance(node, list):
            children = [(v, f"{path}/{i}") for i, v in enumerate(node)]
        else:
            continue
        stack.extend((v, p.lstrip("/")) for v, p in reversed(children))
    return None
