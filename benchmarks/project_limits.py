"""Time and peak memory at the input limits (issue 13, point 8).

    python benchmarks/project_limits.py            # up to the largest project accepted
    python benchmarks/project_limits.py --smoke    # small sizes (CI)

Each case runs in a process of its own, so its peak resident memory (VmHWM) is its
own. Two tables:

* **hostile articles** — refused by the 100,000-claim limit (segmentation.MAX_CLAIMS):
  an 18 MB page of 560,000 paragraphs, 900,000 unclosed ``<p>``, and 19 MB of
  two-word sentences (3.8 million) through ``factcheck new`` (before the limit: 83 s at 2.2 GB,
  and 93 s at 3.3 GB).
* **opening a project** — ``load_project`` then the store (claims, placement; no
  matching), for projects of N claims a side with one note per claim and N/2 links:
  the largest has 100,000 claims a side, the most an article may have (a 91 MB
  file, under the 128 MiB file limit). Wall seconds, CPU seconds (what the process
  itself used: on this shared 2-core machine the wall time varies with the others'
  load) and peak MB, next to the
  CPU seconds of parsing the same file with orjson alone, in the same process (the
  C floor: how fast this machine is right now). Linear: CPU seconds per 1,000 claims
  stays flat as N grows.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._memory import peak_rss_mb

HERE = Path(__file__).resolve()


def _project_file(n: int, folder: Path) -> Path:
    from factcheck.models import Annotation, Article, Link, LinkState, Project, TextAnchor, Verdict
    from factcheck.projectfile import save_project
    from factcheck.segmentation import segment_spans

    texts = {k: "\n".join(f"Claim {k} number {i} is here." for i in range(n)) for k in "ab"}
    notes = []
    for k, text in texts.items():
        for i, (s, e) in enumerate(segment_spans(text)):
            anchor = TextAnchor.from_text(text, s, e)
            notes.append(Annotation(f"{k}:{i}", k, anchor, Verdict.SUPPORTED, note=f"note {i}"))
    links = [
        Link(f"a:{i}", f"b:{i}", LinkState.CONFIRMED, notes[i].anchor, notes[n + i].anchor, 50.0)
        for i in range(n // 2)
    ]
    project = Project(
        article_a=Article(id="a", title="A", source="a.txt", text=texts["a"]),
        article_b=Article(id="b", title="B", source="b.txt", text=texts["b"]),
        annotations=tuple(notes),
        links=tuple(links),
    )
    path = folder / f"p{n}.factcheck.json"
    save_project(project, path)
    return path


def _case(name: str, arg: str) -> dict[str, object]:
    """Runs in the child: one case, its figures as a dict (imports not counted)."""
    import factcheck.cli
    import factcheck.loading
    import factcheck.projectfile
    import factcheck.store  # noqa: F401

    reference = 0.0
    if name == "open":  # the C floor, in this process: parsing the file with orjson
        import orjson

        began = time.process_time()
        orjson.loads(Path(arg).read_bytes())
        reference = time.process_time() - began
    wall, cpu = time.perf_counter(), time.process_time()
    outcome = "opened"
    if name == "open":
        from factcheck.projectfile import load_project
        from factcheck.store import ProjectStore

        ProjectStore(load_project(arg), matches=())
    else:
        from factcheck.cli import main

        out = Path(arg).with_suffix(".factcheck.json")
        code = main(["new", arg, arg, "-o", str(out), "--force"]) if name == "new" else None
        if name == "page":
            from factcheck.errors import ArticleLoadError
            from factcheck.loading import load_article

            try:
                load_article(arg, article_id="a")
            except ArticleLoadError:
                code = 1
        outcome = "refused" if code == 1 else "accepted"
    return {
        "outcome": outcome,
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "peak": peak_rss_mb(),
        "reference": reference,
    }


def _run(name: str, arg: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, str(HERE), "--case", name, arg],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="small sizes (for CI)")
    parser.add_argument("--case", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.case:
        print(json.dumps(_case(*args.case)))
        return 0
    scale = 0.001 if args.smoke else 1.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print("\nhostile articles")
        print(f"{'case':<36}{'outcome':>10}{'wall s':>9}{'cpu s':>8}{'peak MB':>9}")
        paras = int(560_000 * scale)
        page = folder / "paragraphs.html"
        page.write_text(
            "<html><body>"
            + "".join(f"<p>Para {i} says a thing.</p>\n" for i in range(paras))
            + "</body></html>"
        )
        unclosed = folder / "unclosed.html"
        unclosed.write_text("<html><body>" + "<p>x " * int(900_000 * scale) + "</body></html>")
        short = folder / "short.txt"
        sentences = int(3_800_000 * scale)  # 19 MB: under the 20 MB file limit
        short.write_text("\n".join(" ".join(["A b."] * 100) for _ in range(sentences // 100)))
        for label, name, path in (
            (f"page of {paras:,} paragraphs", "page", page),
            (f"{int(900_000 * scale):,} unclosed <p>", "page", unclosed),
            (f"new: {sentences:,} two-word sentences", "new", short),
        ):
            f = _run(name, str(path))
            print(
                f"{label:<36}{f['outcome']:>10}{f['wall']:>9.2f}{f['cpu']:>8.2f}{f['peak']:>9.0f}"
            )
        print("\nopening a project (load_project + store, no matching)")
        head = f"{'claims a side':>14}{'MB':>7}{'wall s':>9}{'cpu s':>8}"
        print(f"{head}{'cpu ms/1k':>10}{'peak MB':>9}{'orjson cpu s':>13}")
        for n in [int(s * scale * (10 if args.smoke else 1)) for s in (10_000, 50_000, 100_000)]:
            path = _project_file(n, folder)
            f = _run("open", str(path))
            size = path.stat().st_size / 1e6
            per_k = 1000 * float(f["cpu"]) / (2 * n / 1000)  # type: ignore[arg-type]
            figures = f"{size:>7.1f}{f['wall']:>9.2f}{f['cpu']:>8.2f}{per_k:>10.1f}"
            print(f"{n:>14,}{figures}{f['peak']:>9.0f}{f['reference']:>13.2f}")
            path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
