"""The ``factcheck`` commands that move a project's work in and out: ``formats``,
``export``, ``import`` and ``set-reviewer`` (the reviewer ClaimReview needs)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import FactcheckError
from .models import Project, ReviewerSettings
from .terminal import write_document


def cmd_formats(args: argparse.Namespace) -> int:
    from .export import EXPORT_FORMATS

    for name, (_fn, suffix, description) in EXPORT_FORMATS.items():
        print(f"{name:14} {suffix:20} {description}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .atomicwrite import export_target_problem, write_atomic
    from .export import EXPORT_FORMATS, ExportError, export_summarised
    from .projectfile import load_project

    if args.format not in EXPORT_FORMATS:
        raise FactcheckError(
            f"--format: unknown format {args.format!r}; one of {', '.join(EXPORT_FORMATS)} "
            "(see 'factcheck formats')"
        )
    project_path, output = Path(args.project), args.output
    problem = None if output == "-" else export_target_problem(output, project_path)
    if problem is not None:
        raise FactcheckError(f"{output}: {problem}")
    project = load_project(project_path)
    if args.reviewer_name is not None or args.reviewer_url is not None:
        # For this export only: the project file keeps its own settings.
        reviewer = _reviewer(
            project.settings.reviewer,
            args.reviewer_name,
            args.reviewer_url,
            ("--reviewer-name", "--reviewer-url"),
        )
        project = replace(project, settings=replace(project.settings, reviewer=reviewer))
    try:
        outcome = export_summarised(project, args.format)
    except ExportError as exc:
        field = exc.problem.partition(" ")[0].removeprefix("settings.reviewer.")
        if args.format != "claimreview" or field not in ("name", "url"):
            raise
        raise FactcheckError(
            f"{exc} (give --reviewer-{field} for this export, or save it in the project "
            f"with 'factcheck set-reviewer PROJECT --{field} …')"
        ) from None
    text, summary = outcome.text, outcome.summary
    if output == "-":
        write_document(text)
    else:
        # Atomic: a failed or interrupted export leaves any earlier file as it was.
        write_atomic(Path(output), text.encode("utf-8"))
    print(f"{output}: {summary} written", file=sys.stderr)
    return 0


def cmd_set_reviewer(args: argparse.Namespace) -> int:
    from .projectfile import load_project_with_stamp

    if args.name is None and args.url is None:
        args.usage_error("give --name, --url or both")
    project, stamp = load_project_with_stamp(args.project)
    reviewer = _reviewer(project.settings.reviewer, args.name, args.url, ("--name", "--url"))
    updated = replace(project, settings=replace(project.settings, reviewer=reviewer))
    save_next_to(updated, args, stamp)
    print(
        f"{args.output or args.project}: reviewer “{reviewer.name or '(no name)'}”, "
        f"{reviewer.url or '(no URL)'}"
    )
    return 0


def _reviewer(
    current: ReviewerSettings, name: str | None, url: str | None, options: tuple[str, str]
) -> ReviewerSettings:
    """``current`` with the given name and URL (stripped), each checked; ``options``
    are what the user typed them as, for the error message."""
    from .export.reviewer import reviewer_name_problem, reviewer_url_problem

    for value, option, check in (
        (name, options[0], reviewer_name_problem),
        (url, options[1], reviewer_url_problem),
    ):
        problem = None if value is None else check(value)
        if problem is not None:
            raise FactcheckError(f"{option}: {problem}")
    return ReviewerSettings(
        name=current.name if name is None else name.strip(),
        url=current.url if url is None else url.strip(),
    )


def cmd_import(args: argparse.Namespace) -> int:
    from .export import import_web_annotations
    from .export.webannotation_parse import MAX_IMPORT_CHARS
    from .projectfile import load_project_with_stamp

    project, stamp = load_project_with_stamp(args.project)
    path = Path(args.annotations)
    try:
        if path.stat().st_size > 4 * MAX_IMPORT_CHARS:  # UTF-8: at most 4 bytes a character
            raise FactcheckError(f"{path}: too large to be annotations")
        data = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise FactcheckError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FactcheckError(f"{path}: is a folder, not an annotation file") from None
    except UnicodeDecodeError:
        raise FactcheckError(f"{path}: not annotations (not UTF-8 text)") from None
    except OSError as exc:
        raise FactcheckError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    result = import_web_annotations(project, data, source=str(path))
    save_next_to(result.project, args, stamp)
    counts = ", ".join(f"{n} {s.value}" for s, n in result.statuses.items() if n)
    print(
        f"imported {result.placed} annotations ({counts or 'none'}); "
        f"{len(result.orphans)} could not be placed and are kept as orphans"
    )
    for o in result.orphans:
        print(f"  orphan [{o.article_id}] “{o.anchor.exact[:80]}” — {o.reason}")
    return 0


def save_next_to(project: Project, args: argparse.Namespace, stamp: Any) -> None:
    """Save to ``--output`` or in place; in place (also when ``--output`` names the
    project file), refuse if the file changed since ``stamp`` was taken."""
    from .atomicwrite import same_file
    from .projectfile import save_project

    if args.output and not same_file(Path(args.project), Path(args.output)):
        save_project(project, args.output)
    else:
        save_project(project, args.output or args.project, expected=stamp)
