"""Fuzzing the loaders and the segmenter: only the documented errors may escape."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.errors import ArticleLoadError, ProjectFileError
from factcheck.loading import load_article
from factcheck.models import Article, content_hash
from factcheck.projectfile import dumps_project, load_project, save_project
from factcheck.segmentation import LINE_BREAKS, segment_claims
from factcheck.store import ProjectStore

from .helpers import index_matcher
from .test_projectfile import annotated_project

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_TEXT = "\n".join(p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))[:2])
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))

_html_bits = st.sampled_from(
    [
        "<html>", "<body>", "<p>", "</p>", "<div>", "</div>", "<script>", "</script>",
        "<!--", "-->", "<![CDATA[", "]]>", "<meta charset='utf-16'>", "<title>", "&amp;",
        "&#0;", "&#xD800;", "<iframe src='http://x'>", "<br>", "<embed>", "<svg>", "\x00",
        "Words here. ", "More words! ", "\r\n", "<!DOCTYPE html [", "]>", "<?xml ?>",
    ]
)  # fmt: skip
article_bytes = (
    st.binary(max_size=3000)
    | st.lists(_html_bits, max_size=40).map(lambda parts: "".join(parts).encode("utf-8"))
    | st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass"))
)


@contextmanager
def _fresh_dir() -> Iterator[Path]:
    # Hypothesis reruns a test many times in one tmp_path: a new folder per example.
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        yield Path(folder)


@FUZZ
@given(data=article_bytes, suffix=st.sampled_from([".txt", ".html", ".md", ".dat"]))
def test_load_article_gives_an_article_or_article_load_error(data: bytes, suffix: str) -> None:
    with _fresh_dir() as folder:
        _check_article_file(folder / f"fuzz{suffix}", data)


def _check_article_file(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        article = load_article(path, article_id="a")
    except ArticleLoadError as error:
        assert error.source == str(path.absolute())
        assert error.problem and str(error).startswith(f"{path.absolute()}: ")
        return
    assert article.text.strip()
    assert "\r" not in article.text
    assert article.hash == content_hash(article.text)
    article.text.encode("utf-8")  # savable
    claims = segment_claims(article)
    assert all(article.text[c.start : c.end] == c.text for c in claims)
    assert path.read_bytes() == data


# -- projects --------------------------------------------------------------------------

GOOD = json.loads(dumps_project(annotated_project().project()))
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*prefix, i))
    return found


PATHS = _paths(GOOD)[1:]


@st.composite
def mutated_projects(draw: st.DrawFn) -> bytes:
    data = json.loads(json.dumps(GOOD))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(PATHS))
        node: Any = data
        try:
            for key in path[:-1]:
                node = node[key]
            if draw(st.booleans()) and isinstance(node, dict):
                node.pop(path[-1], None)
            else:
                node[path[-1]] = draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the way there
    text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    raw = text.encode("utf-8")
    if draw(st.booleans()):  # and a few damaged bytes
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(raw) - 1))
            raw = raw[:at] + bytes([draw(st.integers(0, 255))]) + raw[at + 1 :]
    return raw


@FUZZ
@given(mutated_projects() | st.binary(max_size=2000))
def test_load_project_gives_a_project_or_project_file_error(raw: bytes) -> None:
    with _fresh_dir() as folder:
        _check_project_file(folder, raw)


def _check_project_file(folder: Path, raw: bytes) -> None:
    path = folder / "fuzz.factcheck.json"
    path.write_bytes(raw)
    try:
        project = load_project(path)
    except ProjectFileError as error:
        assert error.path == str(path)
        assert str(error).startswith(f"{path}: ") and error.problem
        assert path.read_bytes() == raw
        return
    # What loads can be opened, edited and saved again, and reads back the same.
    ProjectStore(project, matcher=index_matcher)
    again = folder / "again.factcheck.json"
    save_project(project, again)
    assert load_project(again) == project


# -- segmentation ----------------------------------------------------------------------

_pieces = st.sampled_from(
    [*LINE_BREAKS, " ", "\t", "\u00a0", "\u3000", ". ", "? ", "…", "。", "“", "”", "Mr. ",
     "U.S. ", "No. 5 ", "a", "B", "3.5", "www.x.com", "word.Next", "journalistThe "]
)  # fmt: skip
segment_texts = (
    st.lists(_pieces | st.text(max_size=5), max_size=60).map("".join)
    | st.tuples(st.integers(0, len(SEED_TEXT)), st.integers(0, 600)).map(
        lambda t: SEED_TEXT[t[0] : t[0] + t[1]]
    )
    | st.text(max_size=300)
)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(segment_texts)
def test_claims_are_exact_ordered_disjoint_and_cover_every_visible_character(text: str) -> None:
    article = Article(id="x", title="", source="fuzz", text=text)
    claims = segment_claims(article)
    covered = [False] * len(text)
    last_end = 0
    for i, claim in enumerate(claims):
        assert (claim.index, claim.id, claim.article_id) == (i, f"x:{i}", "x")
        assert last_end <= claim.start < claim.end <= len(text)
        assert text[claim.start : claim.end] == claim.text
        assert claim.text == claim.text.strip()
        for pos in range(claim.start, claim.end):
            covered[pos] = True
        last_end = claim.end
    for pos, ch in enumerate(text):
        assert covered[pos] or ch.isspace(), (pos, ch)
