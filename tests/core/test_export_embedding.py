"""JSON-LD exports pasted into a page's ``<script type="application/ld+json">``: text
that tries to end the element (``</script>``, ``<!--<script>``…) stays inside it, and
the element's text is the whole export, parsed as the same JSON."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

import lxml.html
import pytest

from factcheck.export import export_project
from factcheck.export.claimreview import claim_reviews
from factcheck.export.webannotation import annotation_collection
from factcheck.models import Article, Project, ProjectSettings, ReviewerSettings, Verdict
from factcheck.store import ProjectStore

BREAKOUTS = (
    "</script><script>alert(1)</script>",
    "</SCRIPT >",
    "<!--<script>",
    "-->",
    "]]>",
    "&lt;b&gt; &amp;",
)


def _hostile_project() -> Project:
    text_a = "".join(f"Claim {n} says {s} here. " for n, s in enumerate(BREAKOUTS))
    text_b = "The other article mentions </script> once. And <!-- twice."
    project = Project(
        Article("a", "Title </script><script>x()</script>", "https://news.example/a", text_a),
        Article("b", "B & <b>", "b.txt", text_b),
        settings=ProjectSettings(reviewer=ReviewerSettings("Desk", "https://check.example/")),
    )
    store = ProjectStore(project, matches=())
    for n, claim in enumerate(store.claims("a")):
        store.set_verdict(claim.id, Verdict.CONTESTED if n % 2 else Verdict.SUPPORTED)
        store.set_note(claim.id, f"note {BREAKOUTS[n % len(BREAKOUTS)]} end")
        store.set_tags(claim.id, ["<tag>", "a&b"])
        store.set_evidence(claim.id, ["https://e.example/?q=1&r=</script>", "AP </script>"])
    return store.project()


class _Scripts(HTMLParser):
    """The text of every ``<script>`` element, and the paragraphs after them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.paragraphs: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "p"):
            self._in = tag
            (self.scripts if tag == "script" else self.paragraphs).append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "p":
            self.paragraphs[-1] += data


def _page(export: str) -> str:
    return (
        "<!DOCTYPE html><html><head><title>t</title>\n"
        f'<script type="application/ld+json">{export}</script>\n'
        "</head><body><p>after the script</p></body></html>"
    )


def _plain_value(fmt: str, project: Project) -> Any:
    """The export's data, as written before any escaping."""
    if fmt == "claimreview":
        return claim_reviews(project)[0]
    return annotation_collection(project)


@pytest.mark.parametrize("fmt", ["claimreview", "webannotation"])
def test_export_in_a_script_element_stays_whole(fmt: str) -> None:
    project = _hostile_project()
    export = export_project(project, fmt)
    value = json.loads(export)
    assert value == json.loads(json.dumps(_plain_value(fmt, project)))  # the same data
    assert not {"<", ">", "&"} & set(export)
    assert "</script>" in json.dumps(value)  # the hostile text is in there, escaped

    parser = _Scripts()
    parser.feed(_page(export))
    parser.close()
    assert parser.scripts == [export]
    assert parser.paragraphs == ["after the script"]

    tree = lxml.html.document_fromstring(_page(export))
    scripts = tree.xpath("//script")
    assert len(scripts) == 1
    assert json.loads(scripts[0].text) == value
    assert [p.text for p in tree.xpath("//p")] == ["after the script"]
