"""Read W3C Web Annotation JSON(-LD) — ours and Hypothesis' — into plain values.

Accepted shapes: one annotation object, a list of them, an ``AnnotationPage``
(``items``), an ``AnnotationCollection`` with embedded pages (``first``, ``next``), and
the Hypothesis API's search result (``rows``). Per annotation, ``target`` may be an
IRI, an object or a list of them, each with ``source`` and a ``selector`` (object or
list; ``TextQuoteSelector`` and ``TextPositionSelector`` are used, others such as
Hypothesis' ``RangeSelector`` ignored). Bodies may be ``body`` (objects, IRIs or a
list), ``bodyValue``, or Hypothesis' ``text`` and ``tags``.

Anything that is not such a document raises :class:`ExportError` naming the source
and, for a bad annotation, its position in the file. Sizes are bounded so that what
is read can be saved in a project file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, TypeGuard

from ..jsonkeys import duplicate_key
from ..models import CONTEXT_CHARS, LinkState, Verdict
from .common import ExportError
from .webannotation import CHANGED_NOTE, LINK_DESCRIPTION

MAX_IMPORT_CHARS = 64 * 1024 * 1024
MAX_ANNOTATIONS = 100_000
MAX_NOTE_CHARS = 1_000_000
MAX_QUOTE_CHARS = 1_000_000
MAX_LIST_ITEMS = 1000
MAX_ITEM_CHARS = 4000
_TIME_CHARS = 64
_LINK_SCORE = re.compile(r"match score (\d+(?:\.\d+)?) of 100")
_MANUAL = LINK_DESCRIPTION.format(state="Manual")
_VERDICTS = frozenset(v.value for v in Verdict if v is not Verdict.UNREVIEWED)


@dataclass(frozen=True)
class ParsedTarget:
    source: str
    exact: str | None = None
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None

    @property
    def has_selector(self) -> bool:
        return self.exact is not None or self.start is not None


@dataclass(frozen=True)
class ParsedAnnotation:
    """One annotation as read; ``number`` is its 1-based position in the file."""

    number: int
    targets: tuple[ParsedTarget, ...]
    is_link: bool = False
    verdict: Verdict = Verdict.UNREVIEWED
    note: str = ""
    tags: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    created: str = ""
    modified: str = ""
    link_state: LinkState = LinkState.CONFIRMED
    link_score: float | None = None
    #: The text the verdict was given on, when the exporter said it has changed since.
    reviewed_quote: str | None = None


def parse_annotations(data: str, source: str) -> list[ParsedAnnotation]:
    if len(data) > MAX_IMPORT_CHARS:
        raise ExportError(
            f"too large to be annotations ({len(data):,} characters; "
            f"the limit is {MAX_IMPORT_CHARS:,})",
            source=source,
        )
    try:
        document = json.loads(data)
    except json.JSONDecodeError as exc:
        raise ExportError(
            f"not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", source=source
        ) from None
    except RecursionError:
        raise ExportError("not annotations (JSON nested too deeply)", source=source) from None
    except ValueError as exc:
        # int() refuses numbers of more than sys.get_int_max_str_digits() digits.
        raise ExportError(f"not annotations (a number is too long: {exc})", source=source) from None
    duplicate = duplicate_key(data, document)
    if duplicate is not None:
        key, where = duplicate
        raise ExportError(
            f"the key {key!r} appears twice at {where or 'the top level'} "
            "(one of its values would be lost)",
            source=source,
        )
    items = _items(document, source)
    if len(items) > MAX_ANNOTATIONS:
        raise ExportError(
            f"too many annotations ({len(items):,}; the limit is {MAX_ANNOTATIONS:,})",
            source=source,
        )
    return [_annotation(item, n, source) for n, item in enumerate(items, start=1)]


def _items(document: Any, source: str) -> list[Any]:
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise ExportError("not annotations (expected a JSON object or list)", source=source)
    kinds = _strings(document.get("type"))
    if "AnnotationCollection" in kinds or "first" in document:
        pages: list[Any] = []
        page = document.get("first")
        while page is not None and len(pages) < MAX_ANNOTATIONS:
            if not isinstance(page, dict):
                raise ExportError(
                    "the collection's pages are not in the file (only links to them): "
                    "export the annotations with their pages embedded",
                    source=source,
                )
            pages.append(page)
            page = page.get("next")
        return [item for p in pages for item in _page_items(p, source)]
    if "AnnotationPage" in kinds or "items" in document:
        return _page_items(document, source)
    if isinstance(document.get("rows"), list):  # Hypothesis search API
        rows: list[Any] = document["rows"]
        return rows
    if "Annotation" in kinds or "target" in document:
        return [document]
    raise ExportError(
        "no annotations found (expected an Annotation, a list of them, an AnnotationPage "
        "or an AnnotationCollection)",
        source=source,
    )


def _page_items(page: dict[str, Any], source: str) -> list[Any]:
    items = page.get("items", [])
    if not isinstance(items, list):
        raise ExportError("an AnnotationPage's 'items' is not a list", source=source)
    return items


def _annotation(item: Any, number: int, source: str) -> ParsedAnnotation:
    where = f"annotation {number}"

    def fail(problem: str) -> ExportError:
        return ExportError(f"{where}: {problem}", source=source)

    if not isinstance(item, dict):
        raise fail("not a JSON object")
    if "target" not in item and "uri" not in item:
        raise fail("it has no 'target': nothing says what it annotates")
    raw_targets = item.get("target", item.get("uri"))
    if not isinstance(raw_targets, list):
        raw_targets = [raw_targets]
    if not raw_targets or len(raw_targets) > MAX_LIST_ITEMS:
        raise fail("'target' is empty or far too long")
    fallback_source = item["uri"] if isinstance(item.get("uri"), str) else ""
    targets = tuple(_target(t, fallback_source, fail) for t in raw_targets)
    is_link = "linking" in _strings(item.get("motivation"))
    fields: dict[str, Any] = {
        "verdict": Verdict.UNREVIEWED,
        "notes": [],
        "tags": [],
        "evidence": [],
    }
    bodies = item.get("body", [])
    for body in bodies if isinstance(bodies, list) else [bodies]:
        _read_body(body, is_link, fields, fail)
    if isinstance(item.get("bodyValue"), str):
        fields["notes"].append(item["bodyValue"])
    if isinstance(item.get("text"), str) and item["text"]:  # Hypothesis
        fields["notes"].append(item["text"])
    if isinstance(item.get("tags"), list):
        fields["tags"] += [t for t in item["tags"] if isinstance(t, str)]
    note = "\n\n".join(n for n in fields["notes"] if n)
    tags = tuple(dict.fromkeys(t.strip() for t in fields["tags"] if t.strip()))
    evidence = tuple(dict.fromkeys(e.strip() for e in fields["evidence"] if e.strip()))
    if len(note) > MAX_NOTE_CHARS:
        raise fail(f"its note is longer than {MAX_NOTE_CHARS:,} characters")
    for name, values in (("tags", tags), ("evidence", evidence)):
        if len(values) > MAX_LIST_ITEMS or any(len(v) > MAX_ITEM_CHARS for v in values):
            raise fail(f"too many or too long {name}")
    return ParsedAnnotation(
        number=number,
        targets=targets,
        is_link=is_link,
        verdict=fields["verdict"],
        note=note,
        tags=tags,
        evidence=evidence,
        created=_time(item.get("created")),
        modified=_time(item.get("modified", item.get("updated"))),
        link_state=fields.get("link_state", LinkState.CONFIRMED),
        link_score=fields.get("link_score"),
        reviewed_quote=fields.get("reviewed_quote"),
    )


def _target(raw: Any, fallback_source: str, fail: Any) -> ParsedTarget:
    if isinstance(raw, str):
        return ParsedTarget(source=raw)
    if not isinstance(raw, dict):
        raise fail("a target is neither an IRI nor an object")
    source = raw.get("source", raw.get("id", fallback_source))
    if not isinstance(source, str):
        source = fallback_source
    selectors = raw.get("selector", [])
    values: dict[str, Any] = {}
    for selector in selectors if isinstance(selectors, list) else [selectors]:
        if not isinstance(selector, dict):
            continue
        kind = selector.get("type")
        if kind == "TextQuoteSelector":
            exact = selector.get("exact")
            if not isinstance(exact, str) or len(exact) > MAX_QUOTE_CHARS:
                raise fail("a TextQuoteSelector's 'exact' is not a string of sensible length")
            prefix, suffix = selector.get("prefix", ""), selector.get("suffix", "")
            if not isinstance(prefix, str) or not isinstance(suffix, str):
                raise fail("a TextQuoteSelector's 'prefix' or 'suffix' is not a string")
            values.update(
                exact=exact, prefix=prefix[-CONTEXT_CHARS:], suffix=suffix[:CONTEXT_CHARS]
            )
        elif kind == "TextPositionSelector":
            start, end = selector.get("start"), selector.get("end")
            if not (_natural(start) and _natural(end) and start <= end):
                raise fail("a TextPositionSelector needs whole numbers 0 <= start <= end")
            values.update(start=start, end=end)
    if values.get("exact") == "":
        del values["exact"]  # an empty quote says nothing: rely on the position, if any
    return ParsedTarget(source=source, **values)


def _read_body(body: Any, is_link: bool, fields: dict[str, Any], fail: Any) -> None:
    if isinstance(body, str):  # an IRI: a linked resource
        fields["evidence"].append(body)
        return
    if not isinstance(body, dict):
        raise fail("a body is neither an IRI nor an object")
    purposes = _strings(body.get("purpose"))
    value = body.get("value")
    if isinstance(value, str):
        if is_link:
            _read_link_description(value, fields)
        elif "describing" in purposes and value.startswith(CHANGED_NOTE + "“"):
            quote = value[len(CHANGED_NOTE) + 1 :].removesuffix("”")
            if len(quote) > MAX_QUOTE_CHARS:
                raise fail(f"its reviewed text is longer than {MAX_QUOTE_CHARS:,} characters")
            fields["reviewed_quote"] = quote
        elif "assessing" in purposes:
            word = value.strip().lower()
            if word in _VERDICTS:
                fields["verdict"] = Verdict(word)
            else:  # someone else's scale: keep their words
                fields["notes"].append(f"Assessment: {value}")
        elif "tagging" in purposes:
            fields["tags"].append(value)
        elif "linking" in purposes:
            fields["evidence"].append(value)
        else:
            fields["notes"].append(value)
        return
    link = body.get("source", body.get("id"))
    if isinstance(link, str) and link:
        fields["evidence"].append(link)


def _read_link_description(value: str, fields: dict[str, Any]) -> None:
    if value.startswith(_MANUAL):
        fields["link_state"] = LinkState.MANUAL
    score = _LINK_SCORE.search(value)
    if score:
        fields["link_score"] = min(100.0, float(score.group(1)))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _natural(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _time(value: Any) -> str:
    return value if isinstance(value, str) and len(value) <= _TIME_CHARS else ""
