"""A process that saves a large project over and over, to be killed mid-save by tests.

``python -m tests.core._save_writer PATH LABEL CHARS [STOP]`` saves
``big_project(CHARS)`` to PATH with names ``"LABEL 1"``, ``"LABEL 2"``...,
printing each name once its save has returned. With STOP, the first save instead
freezes at that step of the write (printing ``"stopped at STOP"``) so the test can
kill it there for certain. STOP ``no-hard-links`` instead saves as on a file system
without hard links (``os.link`` fails), where the backup is a copy.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from factcheck import projectfile
from factcheck.models import Annotation, Article, Project, TextAnchor, Verdict

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
#: About 1 MB per article (a 2 MB file): a save takes long enough to be interrupted.
BIG_CHARS = 1_000_000
STOP_POINTS = ("fsync", "backup", "replace", "folder_fsync")


@cache
def big_project(chars: int = BIG_CHARS) -> Project:
    """The seed pair repeated to ``chars`` characters each, with 20 annotations on A."""
    texts = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))[:2]]
    articles = []
    for article_id, text in zip("ab", texts, strict=True):
        copies = chars // len(text) + 1
        big = "\n".join(f"Part {i}.\n{text}" for i in range(copies))
        articles.append(Article(id=article_id, title=f"Seed {article_id}", source="seed", text=big))
    a = articles[0].text
    notes = tuple(
        Annotation(
            claim_id=f"a:{i}",
            article_id="a",
            anchor=TextAnchor.from_text(a, start, start + 40),
            verdict=Verdict.CONTESTED,
            note=f"note {i} " + "ü" * 200,
        )
        for i, start in enumerate(range(0, len(a) - 40, len(a) // 20))
    )
    return Project(article_a=articles[0], article_b=articles[1], annotations=notes)


NO_HARD_LINKS = "no-hard-links"


def _no_link(*args: Any, **kwargs: Any) -> None:
    raise PermissionError(1, "Operation not permitted")


def _freeze(step: str) -> None:
    print(f"stopped at {step}", flush=True)
    time.sleep(60)  # killed long before this ends
    raise SystemExit(f"not killed while stopped at {step}")


def _stop_at(step: str, target: Path) -> None:
    """Patch the one os call where the first save should freeze."""

    def wrap(name: str, when: Callable[..., bool]) -> None:
        original: Callable[..., Any] = getattr(os, name)

        def patched(*args: Any, **kwargs: Any) -> Any:
            if when(*args):
                _freeze(step)
            return original(*args, **kwargs)

        setattr(os, name, patched)

    if step == "fsync":  # the temporary file is written, not yet on disk
        wrap("fsync", lambda fd: not os.path.isdir(f"/proc/self/fd/{fd}"))
    elif step == "backup":  # about to point the backup at the current file
        wrap("link", lambda src, dst: True)
    elif step == "replace":  # the backup is refreshed; the new file not yet in place
        wrap("replace", lambda src, dst: Path(dst) == target)
    elif step == "folder_fsync":  # the new file is in place, the folder not yet synced
        wrap("open", lambda path, flags, *rest: Path(path) == target.parent)
    else:
        raise SystemExit(f"unknown stop point {step!r}")


def main(argv: list[str]) -> None:
    path, label, chars = Path(argv[0]), argv[1], int(argv[2])
    if len(argv) > 3 and argv[3] == NO_HARD_LINKS:
        os.link = _no_link
    elif len(argv) > 3:
        _stop_at(argv[3], path)
    project = big_project(chars)
    n = 0
    while True:
        n += 1
        name = f"{label} {n}"
        projectfile.save_project(replace(project, name=name), path)
        print(name, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
