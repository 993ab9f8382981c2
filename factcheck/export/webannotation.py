"""Export a project as W3C Web Annotations (JSON-LD): one ``AnnotationCollection``.

The collection embeds its only page (``first``) whose ``items`` are:

* one annotation per annotated claim, ``motivation: "assessing"``, with bodies
  ``TextualBody`` for the verdict (purpose ``assessing``, value the verdict word),
  the note (``commenting``, ``format: text/plain``; no ``language``: we do not know
  it), one per tag (``tagging``); each evidence URL as a ``SpecificResource`` whose
  ``source`` is the URL (purpose ``linking``: the model lets only specific resources
  and textual bodies carry a purpose); evidence that is not a URL as a ``linking``
  ``TextualBody``.
  A claim "changed since reviewed" (an article update put the verdict on text that
  differs from the text it was given on) has one more body, ``describing``, whose value
  is :data:`CHANGED_NOTE` and the old quote; our import reads it back.
* one annotation per confirmed or manual link, ``motivation: "linking"``, whose two
  targets are the two claims, with a ``describing`` body naming the link state and
  score (and one per end changed since the link was made, with that end's old quote).
* the orphans (notes and links an update of an article could not place) the same way,
  but their targets have only a ``TextQuoteSelector``: the quote is no longer in the
  text, so no position is claimed. A reader (our import too) tries to place them by
  quote and keeps them as orphans when it cannot; none is lost on the way.

A target is ``{"type": "SpecificResource", "source": ..., "selector": [TextQuoteSelector,
TextPositionSelector]}``; ``source`` is the article's URL when its metadata states one,
else ``urn:sha256:<content hash>``. Positions count code points, as the model says and
as Python indexes ``str``. Ids are ``urn:uuid:`` values derived from the article hash
and offsets, so exporting the same project twice gives the same file. Every item
carries its own ``@context`` so it stays valid when taken out of the collection.
``<``, ``>`` and ``&`` in strings are written ``\\u003c``, ``\\u003e``, ``\\u0026``
(:func:`factcheck.jsonlayout.script_safe`): the same JSON, safe to paste into a page's
``<script type="application/ld+json">``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..jsonlayout import dumps_outline, script_safe
from ..models import Annotation, Link, LinkState, Orphan, Project, TextAnchor, Verdict
from .common import (
    ProjectIndex,
    article_iri,
    exported_orphans,
    index_project,
    stable_urn,
    web_uri,
)

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
GENERATOR = {"type": "Software", "name": "factcheck"}
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")
#: The describing body of a link annotation: parsed back on import.
LINK_DESCRIPTION = "{state} link between two claims"
LINK_SCORE = ", match score {score:g} of 100"
#: The describing body of a claim changed since reviewed, before the old quote in “…”.
CHANGED_NOTE = "Changed since reviewed: the verdict was given on this text: "
CHANGED_LINK_NOTE = "Changed since linked: article {side}'s claim read: "


def export_web_annotations(project: Project) -> str:
    """The project as one JSON-LD ``AnnotationCollection``, one annotation per line."""
    # The collection, its page and the list of items indented; each item on one line.
    return script_safe(dumps_outline(annotation_collection(project), levels=3))


def annotation_collection(project: Project) -> dict[str, Any]:
    index = index_project(project)
    sources = {article.id: article_iri(article) for article in project.articles}
    items = [_claim_annotation(index, a, sources) for a in _ordered_annotations(index)]
    items += [_link_annotation(index, link, sources) for link in index.links]
    items += [_orphan_annotation(index, o, sources) for o in exported_orphans(index.project)]
    a, b = project.articles
    collection: dict[str, Any] = {
        "@context": CONTEXT,
        "id": stable_urn("collection", a.hash, b.hash),
        "type": "AnnotationCollection",
        "label": project.name or f"{a.title} — {b.title}",
        "total": len(items),
    }
    _add_times(collection, project.created, project.modified)
    if items:
        # An empty collection has no pages (the model requires ``first`` only if total > 0).
        page_id = stable_urn("page", a.hash, b.hash, "0")
        collection["first"] = {
            "id": page_id,
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        }
        collection["last"] = page_id
    return collection


def _ordered_annotations(index: ProjectIndex) -> list[Annotation]:
    return [index.annotations[c.id] for c in index.all_claims() if c.id in index.annotations]


def _claim_annotation(
    index: ProjectIndex, annotation: Annotation, sources: dict[str, str], *, orphan: bool = False
) -> dict[str, Any]:
    article = index.article(annotation.article_id)
    anchor = annotation.anchor
    # An orphan's offsets are in an older text: its quote keeps its id apart.
    place = (str(anchor.start), str(anchor.end), *((anchor.exact,) if orphan else ()))
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "id": stable_urn("orphan" if orphan else "annotation", article.hash, *place),
        "type": "Annotation",
        "motivation": "assessing",
    }
    _add_times(item, annotation.created, annotation.modified)
    _add_agents(item, index.project)
    item["body"] = claim_bodies(annotation)
    if annotation.changed is not None:
        item["body"].append(
            _text_body(_quoted(CHANGED_NOTE, annotation.changed.old_quote), "describing")
        )
    item["target"] = target(sources[article.id], anchor, position=not orphan)
    return item


def _orphan_annotation(
    index: ProjectIndex, orphan: Orphan, sources: dict[str, str]
) -> dict[str, Any]:
    if orphan.annotation is not None:
        return _claim_annotation(index, orphan.annotation, sources, orphan=True)
    assert orphan.link is not None  # an orphan holds exactly one of the two
    return _link_annotation(index, orphan.link, sources, orphan=True)


def claim_bodies(annotation: Annotation) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    if annotation.verdict is not Verdict.UNREVIEWED:
        bodies.append(_text_body(annotation.verdict.value, "assessing"))
    if annotation.note:
        note = _text_body(annotation.note, "commenting")
        note["format"] = "text/plain"
        bodies.append(note)
    bodies.extend(_text_body(tag, "tagging") for tag in annotation.tags)
    for evidence in annotation.evidence:
        uri = web_uri(evidence)
        if uri is not None:
            bodies.append({"type": "SpecificResource", "source": uri, "purpose": "linking"})
        else:
            bodies.append(_text_body(evidence, "linking"))
    return bodies


def _link_annotation(
    index: ProjectIndex, link: Link, sources: dict[str, str], *, orphan: bool = False
) -> dict[str, Any]:
    a, b = index.project.articles
    description = LINK_DESCRIPTION.format(
        state="Manual" if link.state is LinkState.MANUAL else "Confirmed"
    )
    if link.score is not None:
        description += LINK_SCORE.format(score=round(link.score, 2))
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "id": stable_urn(
            "orphan-link" if orphan else "link",
            a.hash,
            str(link.a_anchor.start),
            str(link.a_anchor.end),
            b.hash,
            str(link.b_anchor.start),
            str(link.b_anchor.end),
        ),
        "type": "Annotation",
        "motivation": "linking",
    }
    _add_times(item, link.created, link.modified)
    _add_agents(item, index.project)
    item["body"] = [_text_body(description, "describing")]
    for side, changed in (("A", link.a_changed), ("B", link.b_changed)):
        if changed is not None:
            note = CHANGED_LINK_NOTE.format(side=side)
            item["body"].append(_text_body(_quoted(note, changed.old_quote), "describing"))
    item["target"] = [
        target(sources[a.id], link.a_anchor, position=not orphan),
        target(sources[b.id], link.b_anchor, position=not orphan),
    ]
    return item


def target(source: str, anchor: TextAnchor, *, position: bool = True) -> dict[str, Any]:
    """A claim's place in an article: ``source`` is :func:`article_iri` of the article;
    without ``position``, only the quote and its context."""
    quote = {
        "type": "TextQuoteSelector",
        "exact": anchor.exact,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
    }
    if not position:
        return {"type": "SpecificResource", "source": source, "selector": quote}
    return {
        "type": "SpecificResource",
        "source": source,
        "selector": [
            quote,
            {"type": "TextPositionSelector", "start": anchor.start, "end": anchor.end},
        ],
    }


def _quoted(lead: str, quote: str) -> str:
    return f"{lead}“{quote}”"


def _text_body(value: str, purpose: str) -> dict[str, Any]:
    return {"type": "TextualBody", "value": value, "purpose": purpose}


def _add_times(item: dict[str, Any], created: str, modified: str) -> None:
    # The model wants xsd:dateTime; a hand-edited project may hold something else.
    if _RFC3339.match(created):
        item["created"] = created
    if _RFC3339.match(modified):
        item["modified"] = modified


def _add_agents(item: dict[str, Any], project: Project) -> None:
    creator = _creator(project.settings.reviewer.name, project.settings.reviewer.url)
    if creator is not None:
        item["creator"] = dict(creator)
    item["generator"] = dict(GENERATOR)


@lru_cache(maxsize=8)
def _creator(name: str, url: str) -> dict[str, Any] | None:
    """The reviewer as an Agent (worked out once per export, not once per annotation)."""
    if not name.strip():
        return None
    creator: dict[str, Any] = {"name": name.strip()}
    homepage = web_uri(url.strip())
    if homepage is not None:
        creator["homepage"] = homepage
    return creator
