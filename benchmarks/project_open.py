"""Opening a large project file: 5,000 claims a side, 2,000 confirmed links, a verdict
on every other claim (about 4 MB), from the file to the ``Project``.

The reference, in the same run, is the old path: Python's ``json.loads`` (refusing
NaN), the pure-Python ``jsonschema`` validator and a walk for lone surrogates, then
building the project (which also runs today's validation: a few ms more than the old
path had). Goal: ≤ 0.2 s.

    python benchmarks/project_open.py [--repeat N] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from export_speed import build_project

from factcheck import projectfile
from factcheck.projectfile import load_project, project_from_dict, save_project

REPO = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 0.2


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


#: Times load_project on argv[1], argv[2] times after one untimed open; prints medians.
CHILD = r"""
import json, statistics, sys, time
from factcheck.projectfile import load_project
load_project(sys.argv[1])
walls, cpus = [], []
for _ in range(int(sys.argv[2])):
    wall, cpu = time.perf_counter(), time.process_time()
    load_project(sys.argv[1])
    cpus.append(time.process_time() - cpu)
    walls.append(time.perf_counter() - wall)
print(json.dumps([statistics.median(walls), statistics.median(cpus)]))
"""


def in_child(code: Path, path: Path, repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of opening ``path`` with the checkout at ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(repeat)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall, cpu = json.loads(done.stdout)
    return wall, cpu


def old_path(text: str) -> Any:
    """json + jsonschema + the surrogate walk, as projects were opened before."""
    import jsonschema

    def refuse(name: str) -> Any:
        raise ValueError(name)

    data = json.loads(text, parse_constant=refuse)
    schema = projectfile._checker().schema
    validator = jsonschema.validators.validator_for(schema)(schema)
    if next(iter(validator.iter_errors(data)), None) is not None:
        raise ValueError("invalid")
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            node.encode("utf-8")
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return project_from_dict(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--reference", type=Path, help="another checkout, opened alongside")
    parser.add_argument("--smoke", action="store_true", help="a small project, quickly")
    args = parser.parse_args(argv)
    claims, links = (400, 100) if args.smoke else (10_000, 2_000)
    repeat = 2 if args.smoke else args.repeat

    project, origin = build_project(claims, links)
    half = tuple(a for i, a in enumerate(project.annotations) if i % 2 == 0)
    project = replace(project, annotations=half)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.factcheck.json"
        save_project(project, path)
        size = path.stat().st_size
        text = path.read_text("utf-8")
        assert load_project(path) == project
        import orjson

        data = orjson.loads(text)
        checker = projectfile._checker()
        rows = [
            ("open (load_project)", median_seconds(lambda: load_project(path), repeat)),
            ("  orjson.loads", median_seconds(lambda: orjson.loads(text), repeat)),
            ("  jsonschema-rs", median_seconds(lambda: checker.first_problem(data), repeat)),
            ("  build Project", median_seconds(lambda: project_from_dict(data), repeat)),
            ("reference: old path", median_seconds(lambda: old_path(text), max(1, repeat // 3))),
            ("  json.loads", median_seconds(lambda: json.loads(text), repeat)),
        ]
        codes = {"this": REPO, **({"before": args.reference.resolve()} if args.reference else {})}
        fresh: dict[str, list[tuple[float, float]]] = {name: [] for name in codes}
        for _ in range(1 if args.smoke else 3):
            for name, code in codes.items():
                fresh[name].append(in_child(code, path, repeat))
    print(
        f"project: {size / 1e6:.1f} MB, {claims // 2:,} claims a side, "
        f"{len(project.annotations):,} verdicts, {len(project.links):,} links ({origin})"
    )
    print(f"{'step':<24}{'median s':>10}")
    for name, seconds in rows:
        print(f"{name:<24}{seconds:>10.4f}")
    print(f"{'open in a fresh process':<24}{'wall s':>10}{'CPU s':>8}")
    for name, runs in fresh.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"{'  ' + name:<24}{wall:>10.4f}{cpu:>8.4f}")
    new, old = rows[0][1], rows[4][1]
    verdict = "met" if new <= GOAL_SECONDS else "NOT met"
    print(f"{old / new:.0f}× faster than the old path; goal ≤ {GOAL_SECONDS} s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
