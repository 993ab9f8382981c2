"""How long each export format takes on a project with 10,000 annotated claims.

    python benchmarks/export_speed.py [--claims 10000] [--links 2000] [--repeat 5]
    python benchmarks/export_speed.py --smoke     # a tiny project, one run (CI)

Two articles of real news sentences (MRPC/STS-b from ``../shared/benchmarks``, else the
seed sentences; see ``corpus.py``), every claim annotated (verdict, note, tags,
evidence), and ``--links`` confirmed links, each between the two sentences of one labelled pair
(paraphrases or near-paraphrases: what a confirmed match looks like). Each format
is timed end to end — segmentation, indexing, rendering — median of ``--repeat`` runs,
each from cold (factcheck's caches emptied first, as in a new process; two extra rows
show the reports when the app has already diffed each link, as it does when the
reviewer looks at it, and two the reports with no links: what the claims alone cost).
The native JSON project (``json``) is the baseline: the ratio column compares CPU time
with it. Two indented rows show parts every export pays (segmentation) and what the
HTML/Markdown reports pay per link (``word_diff``). ``peak MB`` is the most memory
Python allocated during one more run of that format (``tracemalloc``, measured apart
from the timed runs because tracing slows them down).
Target: well under a second per format (a format over :data:`TARGET_SECONDS` of wall
time is marked ``SLOW``; the script still exits 0: timings on shared machines vary).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import sentence_pairs  # noqa: E402

from factcheck.export import EXPORT_FORMATS, import_web_annotations  # noqa: E402
from factcheck.models import (  # noqa: E402
    Annotation,
    Article,
    Link,
    LinkState,
    Project,
    ProjectSettings,
    ReviewerSettings,
    TextAnchor,
    Verdict,
)
from factcheck.segmentation import segment_claims  # noqa: E402
from factcheck.worddiff import word_diff  # noqa: E402

TARGET_SECONDS = 1.0
VERDICTS = (Verdict.SUPPORTED, Verdict.CONTESTED, Verdict.OPINION, Verdict.SUPPORTED)


def build_project(claims: int, links: int) -> tuple[Project, str]:
    pairs, origin = sentence_pairs()
    chosen = [pairs[i % len(pairs)] for i in range(claims // 2)]
    a_lines = [f"{x.strip()}{_round(i, len(pairs))}" for i, (x, _y) in enumerate(chosen)]
    b_lines = [f"{y.strip()}{_round(i, len(pairs))}" for i, (_x, y) in enumerate(chosen)]
    a = Article(id="a", title="Version A", source=origin, text="\n".join(a_lines))
    b = Article(id="b", title="Version B", source=origin, text="\n".join(b_lines))
    annotations = []
    segmented = {x.id: segment_claims(x) for x in (a, b)}
    texts = {"a": a.text, "b": b.text}
    for article_id, cs in segmented.items():
        for c in cs:
            annotations.append(
                Annotation(
                    claim_id=c.id,
                    article_id=article_id,
                    anchor=TextAnchor.from_text(texts[article_id], c.start, c.end),
                    verdict=VERDICTS[c.index % len(VERDICTS)],
                    note=f'Checked against source {c.index}; see "report", p. {c.index % 9}.'
                    if c.index % 3
                    else "",
                    evidence=(f"https://example.org/evidence/{c.index}",) if c.index % 2 else (),
                    tags=("economy", "quote") if c.index % 4 == 0 else (),
                    created="2026-01-01T10:00:00Z",
                    modified="2026-01-02T10:00:00Z",
                )
            )
    # Link line i of A to line i of B (a real paraphrase pair) where both are one claim.
    whole = {k: {c.text: c for c in cs} for k, cs in segmented.items()}
    line_pairs = [
        (whole["a"][x], whole["b"][y])
        for x, y in zip(a_lines, b_lines, strict=True)
        if x in whole["a"] and y in whole["b"]
    ]
    link_list = [
        Link(
            a_claim_id=x.id,
            b_claim_id=y.id,
            state=LinkState.CONFIRMED,
            a_anchor=TextAnchor.from_text(a.text, x.start, x.end),
            b_anchor=TextAnchor.from_text(b.text, y.start, y.end),
            score=75.0,
        )
        for x, y in line_pairs[:links]
    ]
    project = Project(
        article_a=a,
        article_b=b,
        settings=ProjectSettings(reviewer=ReviewerSettings("Bench Desk", "https://bench.example/")),
        annotations=tuple(annotations),
        links=tuple(link_list),
        name="export benchmark",
    )
    return project, origin


def _round(i: int, n: int) -> str:
    """Sentences reused in a later round get a marker, so no two claims are equal."""
    return f" ({i // n})" if i >= n else ""


def medians(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``repeat`` calls (CPU time is steadier on
    a shared machine; wall time is what a user waits)."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def peak_mb(fn: Callable[[], object]) -> float:
    """Peak memory Python allocated during one call of ``fn``, in MB."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--links", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="tiny project, one run (for CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.claims, args.links, args.repeat = 60, 10, 1
    project, origin = build_project(args.claims, args.links)
    print(
        f"{len(project.annotations):,} annotated claims, {len(project.links):,} links, "
        f"articles of {len(project.article_a.text):,} + {len(project.article_b.text):,} "
        f"characters ({origin}); median of {args.repeat} runs"
    )
    results: dict[str, tuple[float, float, int, float]] = {}
    for name, (exporter, _suffix, _description) in EXPORT_FORMATS.items():
        size = len(exporter(project).encode("utf-8"))
        run = partial(_cold, exporter, project)
        results[name] = (*medians(run, args.repeat), size, peak_mb(run))
    # The reports without the links (no word diffs: what the claims alone cost), and
    # what the app's File ▸ Export pays when the reviewer has looked at each link (the
    # inspector diffs a pair when it is shown, and word_diff keeps the result).
    unlinked = replace(project, links=())
    for name in ("html", "markdown"):
        exporter = EXPORT_FORMATS[name][0]
        results[f"{name}, no links"] = (
            *medians(partial(_cold, exporter, unlinked), args.repeat),
            0,
            0.0,
        )
    for name in ("html", "markdown"):
        exporter = EXPORT_FORMATS[name][0]
        results[f"{name}, links seen in app"] = (
            *medians(partial(exporter, project), args.repeat),
            0,
            0.0,
        )
    web = EXPORT_FORMATS["webannotation"][0](project)
    bare = Project(article_a=project.article_a, article_b=project.article_b)

    def run_import() -> object:
        return import_web_annotations(bare, web)

    results["import webannotation"] = (
        *medians(run_import, args.repeat),
        len(web.encode("utf-8")),
        peak_mb(run_import),
    )
    # Parts of the above, to see where the time goes.
    results["  (segment both)"] = (
        *medians(lambda: [segment_claims(a) for a in project.articles], args.repeat),
        0,
        0.0,
    )
    pairs = [
        (_claim_text(project, k.a_anchor), _claim_text(project, k.b_anchor, "b"))
        for k in project.links
    ]
    results["  (word_diff of links)"] = (
        *medians(lambda: _cold(lambda: [word_diff(x, y) for x, y in pairs]), args.repeat),
        0,
        0.0,
    )
    baseline = results["json"][1] or 1e-9
    print(f"{'format':<30}{'wall s':>8}{'CPU s':>8}{'× json':>8}{'output MB':>11}{'peak MB':>9}")
    for name, (wall, cpu, size, peak) in results.items():
        mb = f"{size / 1e6:>11.2f}" if size else " " * 11
        peak_text = f"{peak:>9.1f}" if peak else " " * 9
        slow = "  SLOW" if name in EXPORT_FORMATS and wall > TARGET_SECONDS else ""
        print(f"{name:<30}{wall:>8.3f}{cpu:>8.3f}{cpu / baseline:>8.1f}{mb}{peak_text}{slow}")
    return 0


def _cold(function: Callable[..., object], *args: object) -> object:
    """``function(*args)`` with nothing kept from an earlier run: a fresh export.

    Empties every cache in factcheck (word diffs, the name and text caches of the
    difference flags, …), as in a new process."""
    for name, module in list(sys.modules.items()):
        if name.startswith("factcheck"):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    return function(*args)


def _claim_text(project: Project, anchor: TextAnchor, article_id: str = "a") -> str:
    article = project.article_a if article_id == "a" else project.article_b
    return article.text[anchor.start : anchor.end]


if __name__ == "__main__":
    raise SystemExit(main())
