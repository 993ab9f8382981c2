"""The ``factcheck`` command: compare articles, make and inspect projects, export.

Errors go to stderr as ``factcheck: <file>: <problem>`` with exit status 1 (2 for
usage errors); nothing is overwritten on failure. An article read despite a
problem (invalid bytes replaced) is reported as ``factcheck: warning: <file>: <problem>``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, TextIO

from .claimref import claim_label, parse_claim_ref
from .cli_exchange import (
    cmd_export,
    cmd_formats,
    cmd_import,
    cmd_set_reviewer,
    save_next_to,
)
from .errors import FactcheckError
from .models import Article, Claim, MatchConfig, Project, ProjectSettings
from .terminal import dump_json, safe_output
from .textutil import excerpt, source_name
from .worddiff import DiffKind, WordDiff, word_diff


def main(argv: Sequence[str] | None = None) -> int:
    with safe_output():  # nothing printed drives the terminal (see factcheck.terminal)
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
        return code
    except FactcheckError as exc:
        print(f"factcheck: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("factcheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factcheck",
        description="Compare two articles claim by claim; make, inspect and export projects.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("compare", help="print matched claims with scores and word diffs")
    p.add_argument("a", nargs="?", help="first article (.txt, .md, .html); default: bundled seeds")
    p.add_argument("b", nargs="?", help="second article")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--library",
        nargs="?",
        const="",
        metavar="URL",
        help="also list claims "
        "checked before, from the claim library (default library without URL)",
    )
    _match_options(p)
    p.set_defaults(run=_cmd_compare)

    p = sub.add_parser("new", help="create a project from two articles")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("-o", "--output", required=True, help="project file to write")
    p.add_argument("--name", default="", help="project name (default: the file name)")
    p.add_argument("--force", action="store_true", help="overwrite an existing project file")
    _match_options(p)
    p.set_defaults(run=_cmd_new)

    p = sub.add_parser("show", help="summarise a project: claims, links, verdicts, orphans")
    p.add_argument("project")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_cmd_show)

    p = sub.add_parser("export", help="export a project's annotations")
    p.add_argument("project")
    p.add_argument("--format", "-f", required=True, help="see 'factcheck formats'")
    p.add_argument("-o", "--output", required=True, help="file to write ('-' for stdout)")
    p.add_argument(
        "--reviewer-name",
        metavar="NAME",
        help="reviewer's name for this export only (default: the project's; see set-reviewer)",
    )
    p.add_argument(
        "--reviewer-url",
        metavar="URL",
        help="http(s) page that publishes the reviews, for this export only",
    )
    p.set_defaults(run=cmd_export)

    p = sub.add_parser(
        "set-reviewer", help="save the reviewer's name and URL (ClaimReview needs them)"
    )
    p.add_argument("project")
    p.add_argument("--name", help="who publishes the fact checks, e.g. 'Check Desk'")
    p.add_argument("--url", help="the http(s) page that publishes them")
    p.add_argument("-o", "--output", help="project to write (default: update PROJECT in place)")
    p.set_defaults(run=cmd_set_reviewer, usage_error=p.error)

    p = sub.add_parser("formats", help="list export formats")
    p.set_defaults(run=cmd_formats)

    p = sub.add_parser("import", help="import W3C Web Annotations onto a project's articles")
    p.add_argument("project")
    p.add_argument("annotations", help="JSON-LD file (ours or Hypothesis-style)")
    p.add_argument("-o", "--output", help="project to write (default: update PROJECT in place)")
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("update", help="take a new version of an article and re-anchor notes")
    p.add_argument("project")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--a", dest="new_a", metavar="NEWFILE", help="new version of article A")
    group.add_argument("--b", dest="new_b", metavar="NEWFILE", help="new version of article B")
    p.add_argument("-o", "--output", help="project to write (default: update PROJECT in place)")
    p.set_defaults(run=_cmd_update)

    p = sub.add_parser("reattach", help="put an orphan back on a claim (see 'factcheck show')")
    p.add_argument("project")
    p.add_argument("number", type=int, help="orphan number, as 'factcheck show' lists it")
    p.add_argument("claim_id", help="claim of the same article, e.g. A13 (or a:12)")
    p.add_argument("-o", "--output", help="project to write (default: update PROJECT in place)")
    p.set_defaults(run=_cmd_reattach)

    from .cli_versions import add_parser as add_versions

    add_versions(sub)

    from .cli_library import add_parser as add_library

    add_library(sub)
    from .cli_article import add_commands as add_article_commands

    add_article_commands(sub)
    return parser


def _match_options(p: argparse.ArgumentParser) -> None:
    default = MatchConfig()
    p.add_argument("--scorer", default=default.scorer, help=f"default: {default.scorer}")
    p.add_argument("--threshold", type=float, default=default.threshold, help="0–100")
    p.add_argument("--top-k", type=int, default=default.top_k, help="candidates per claim")


def _config(args: argparse.Namespace) -> MatchConfig:
    from .matching import SCORERS, missing_stage

    if args.scorer not in SCORERS:
        raise FactcheckError(
            f"--scorer: unknown scorer {args.scorer!r}; one of {', '.join(SCORERS)}"
        )
    missing = missing_stage(args.scorer)
    if missing:
        raise FactcheckError(f"--scorer: {missing}")
    if not 0 <= args.threshold <= 100:
        raise FactcheckError("--threshold: must be between 0 and 100")
    if not 1 <= args.top_k <= 100:
        raise FactcheckError("--top-k: must be between 1 and 100")
    return replace(MatchConfig(), scorer=args.scorer, threshold=args.threshold, top_k=args.top_k)


def _articles(a: str | None, b: str | None) -> tuple[Article, Article]:
    if a is None and b is None:
        from .seeds import seed_pair

        return seed_pair()
    if a is None or b is None:
        raise FactcheckError("compare needs two articles, or none for the bundled seed pair")
    from .loading import load_article

    article_a = _warned(load_article(a, article_id="a"))
    return article_a, _warned(load_article(b, article_id="b"))


def _warned(article: Article) -> Article:
    """The article, after telling stderr what went wrong reading it (invalid bytes...)."""
    for warning in article.load_warnings:
        print(f"factcheck: warning: {article.source}: {warning}", file=sys.stderr)
    return article


# -- compare ---------------------------------------------------------------------


def _cmd_compare(args: argparse.Namespace) -> int:
    from .matching import coverage
    from .matching.match_cache import match_claims_cached
    from .segmentation import segment_claims

    config = _config(args)
    article_a, article_b = _articles(args.a, args.b)
    claims_a, claims_b = segment_claims(article_a), segment_claims(article_b)
    matches = match_claims_cached(claims_a, claims_b, config)
    by_id = {c.id: c for c in claims_a + claims_b}
    cover = coverage(claims_a, claims_b, matches)
    checked = None
    if args.library is not None:
        from .cli_library import library_section

        checked = library_section(args.library, claims_a + claims_b)

    if args.json:
        out: dict[str, Any] = {
            "articles": [_article_json(article_a, claims_a), _article_json(article_b, claims_b)],
            "config": asdict(config),
            "matches": [],
            "coverage": {
                "matched_a": list(cover.matched_a),
                "matched_b": list(cover.matched_b),
                "only_in_a": list(cover.only_in_a),
                "only_in_b": list(cover.only_in_b),
            },
        }
        for m in matches:
            a, b = by_id[m.a_id], by_id[m.b_id]
            diff = word_diff(a.text, b.text)
            out["matches"].append(
                {
                    "a": m.a_id,
                    "b": m.b_id,
                    "score": round(m.score, 2),
                    "scorer": m.scorer,
                    "components": dict(m.components),
                    "diff": [
                        {
                            "op": op.kind.value,
                            "text": op.text,
                            "a": [op.a_start, op.a_end],
                            "b": [op.b_start, op.b_end],
                        }
                        for op in diff.ops
                    ],
                    "differences": [_jsonable(asdict(d)) for d in diff.differences],
                }
            )
        if checked is not None:
            from .cli_library import check_json

            out["library"] = {c.id: [check_json(x) for x in found] for c, found in checked}
        dump_json(out, sys.stdout)
        return 0

    w = sys.stdout
    for art, cs in ((article_a, claims_a), (article_b, claims_b)):
        w.write(
            f"{art.id.upper()}: {art.title}  ({len(cs)} claims)\n   {source_name(art.source)}\n"
        )
    w.write(
        f"{len(matches)} candidate pairs (scorer {config.scorer}, threshold {config.threshold:g},"
        f" top {config.top_k})\n"
    )
    if config.scorer == "confidence":
        w.write("score = confidence (%) that the two claims state the same fact\n")
    elif config.scorer in ("lexical", "semantic", "hybrid"):
        # These scores are calibrated on STS-benchmark grades (score = 20 × grade).
        w.write(
            "score = 20 × similarity grade: 20 same topic, 40 some details shared,"
            " 60 roughly equivalent, 80+ same meaning\n"
        )
    w.write("\n")
    for m in matches:
        a, b = by_id[m.a_id], by_id[m.b_id]
        w.write(f"{m.score:5.1f}  {claim_label(a.id)} ↔ {claim_label(b.id)}\n")
        diff = word_diff(a.text, b.text)
        _write_diff(w, diff)
        for d in diff.differences:
            w.write(f"       ! {d.kind.value}: {d.a_text or '—'}  ≠  {d.b_text or '—'}\n")
        w.write("\n")
    w.write(
        f"Coverage: {len(cover.matched_a)} of {len(claims_a)} claims of A matched, "
        f"{len(cover.matched_b)} of {len(claims_b)} of B; only in A: {len(cover.only_in_a)}, "
        f"only in B: {len(cover.only_in_b)}\n"
    )
    if checked is not None:
        from .cli_library import write_library_section

        write_library_section(w, checked)
    return 0


def _write_diff(w: TextIO, diff: WordDiff) -> None:
    parts = []
    for op in diff.ops:
        if op.kind is DiffKind.EQUAL:
            parts.append(op.text)
        elif op.kind is DiffKind.DELETE:
            parts.append(f"[-{op.text}-]")
        else:
            parts.append(f"{{+{op.text}+}}")
    w.write("       " + "".join(parts) + "\n")


def _article_json(article: Article, claims: tuple[Claim, ...]) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "source": source_name(article.source),
        "hash": article.hash,
        "metadata": asdict(article.metadata),
        "claims": [
            {
                "id": c.id,
                "label": claim_label(c.id),
                "start": c.start,
                "end": c.end,
                "kind": c.kind.value,
                "text": c.text,
            }
            for c in claims
        ],
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


# -- projects --------------------------------------------------------------------


def _cmd_new(args: argparse.Namespace) -> int:
    from .projectfile import NO_FILE, save_project, stamp_of_file
    from .store import ProjectStore

    out = Path(args.output)
    # What is there now is what may be replaced: another program's file made or
    # changed meanwhile is not (the save checks the stamp under its lock).
    stamp = stamp_of_file(out)
    if stamp != NO_FILE and not args.force:
        raise FactcheckError(f"{out}: already exists (use --force to overwrite; a .bak is kept)")
    config = _config(args)
    article_a, article_b = _articles(args.a, args.b)
    project = Project(
        article_a=article_a,
        article_b=article_b,
        settings=ProjectSettings(match=config),
        name=args.name or out.name.removesuffix(".json").removesuffix(".factcheck"),
    )
    store = ProjectStore(project)
    save_project(store.project(), out, expected=stamp)
    print(
        f"{out}: {len(store.claims('a'))} + {len(store.claims('b'))} claims, "
        f"{len(store.matches)} suggested links"
    )
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from .cli_show import write_lists
    from .matching import missing_stage
    from .projectfile import load_project
    from .store import ProjectStore

    project = load_project(args.project)
    # A project matched with a stage this machine lacks still shows what it holds.
    missing = missing_stage(project.settings.match.scorer)
    store = ProjectStore(project, matches=() if missing else None)
    summary = _summary(store)
    if missing:
        summary["suggested_not_computed"] = f"settings/match/scorer {missing}"
    if args.json:
        dump_json(summary, sys.stdout)
        return 0
    w = sys.stdout
    w.write(f"Project: {summary['name'] or source_name(args.project)}\n")
    for art in summary["articles"]:
        w.write(
            f"  {art['id'].upper()}: {art['title']} — {art['claims']} claims ({art['source']})\n"
        )
    links = summary["links"]
    w.write(
        f"Links: {links['suggested']} suggested, {links['confirmed']} confirmed, "
        f"{links['rejected']} rejected, {links['manual']} made by hand\n"
    )
    if missing:
        w.write(f"  (suggested links not computed: settings/match/scorer {missing})\n")
    verdicts = summary["verdicts"]
    reviewed = sum(n for v, n in verdicts.items() if v != "unreviewed")
    w.write(
        f"Reviewed: {reviewed} of {summary['claims']} claims · "
        + " · ".join(f"{n} {v}" for v, n in verdicts.items() if v != "unreviewed")
        + "\n"
    )
    w.write(f"Notes: {summary['notes']}\n")
    write_lists(w, summary["reviewed_claims"], summary["decided_links"])
    changed = summary["changed"]
    if changed:
        w.write(
            f"Changed since reviewed ({len(changed)}): an update put these on other text; "
            "re-confirm each in the app (V) or give a new verdict:\n"
        )
        write_changed(w, project)
    if store.orphans:
        w.write(
            f"Orphans ({len(store.orphans)}), kept with their old quote "
            "(put one back with 'factcheck reattach PROJECT NUMBER CLAIM_ID'):\n"
        )
        _write_orphans(w, store.orphans)
    return 0


def _write_orphans(w: TextIO, orphans: Sequence[Any], first: int = 0) -> None:
    """One numbered entry per orphan (from ``first``): what it was, its old quote, why."""
    for number, o in enumerate(orphans[first:], start=first + 1):
        if o.annotation is not None:
            what = f"annotation ({o.annotation.verdict.value})"
            if o.annotation.note:
                what += f", note “{excerpt(o.annotation.note, 60)}”"
        elif o.link is not None:
            ends = (
                f"{claim_label(o.link.a_claim_id) or '?'} ↔ {claim_label(o.link.b_claim_id) or '?'}"
            )
            what = f"link {ends} ({o.link.state.value})"
        else:
            what = "quote"
        w.write(f"  {number}. [{o.article_id.upper()}] {what}: “{excerpt(o.anchor.exact, 120)}”\n")
        if o.reason:
            w.write(f"       {o.reason}\n")


def write_changed(w: TextIO, project: Project) -> None:
    """Each claim changed since reviewed: what sits on it, and the word diff from the
    text as reviewed to the text now, with the fact flags."""
    from .export.changes import changed_claims
    from .export.common import index_project

    for item in changed_claims(index_project(project)):
        w.write(f"  {item.label} [{item.what}, {item.changed.status.value}]\n")
        _write_diff(w, item.diff)
        for d in item.diff.differences:
            w.write(f"       ! {d.kind.value}: {d.a_text or '—'} → {d.b_text or '—'}\n")


def _summary(store: Any) -> dict[str, Any]:
    from .cli_show import decided_links, reviewed_claims
    from .export.changes import changed_claims
    from .export.common import index_project
    from .models import LinkState

    project: Project = store.project()
    states = {s.value: 0 for s in LinkState}
    decided = {link.key: link.state for link in project.links}
    for m in store.matches:
        if (m.a_id, m.b_id) not in decided:
            states["suggested"] += 1
    for state in decided.values():
        states[state.value] += 1
    return {
        "name": project.name,
        "articles": [
            {
                "id": a.id,
                "title": a.title,
                "source": source_name(a.source),
                "claims": len(store.claims(a.id)),
            }
            for a in project.articles
        ],
        "claims": len(store.all_claims()),
        "links": states,
        "verdicts": {v.value: n for v, n in store.verdict_counts().items()},
        "notes": sum(1 for a in project.annotations if a.note),
        "reviewed_claims": reviewed_claims(store),
        "decided_links": decided_links(store),
        "orphans": [
            {"article": o.article_id, "quote": o.anchor.exact, "reason": o.reason}
            for o in project.orphans
        ],
        "changed": [
            {
                "claim": c.label,
                "id": c.claim.id,
                "what": c.what,
                "status": c.changed.status.value,
                "old_quote": c.changed.old_quote,
                "text": c.claim.text,
            }
            for c in changed_claims(index_project(project))
        ],
    }


def _cmd_update(args: argparse.Namespace) -> int:
    from .loading import load_article
    from .projectfile import load_project_with_stamp
    from .update import update_article

    project, stamp = load_project_with_stamp(args.project)
    side = "a" if args.new_a else "b"
    new_article = _warned(load_article(args.new_a or args.new_b, article_id=side))
    result = update_article(project, side, new_article)
    save_next_to(result.project, args, stamp)
    report = result.report
    print(
        f"article {side.upper()} updated: {len(report.items)} annotations and link ends "
        f"re-anchored — {report.summary()}"
    )
    for item in report.items:
        if item.status.value in ("fuzzy", "moved") or item.changed:
            print(f"  {item.describe()}")
    if any(item.changed for item in report.items):
        print("Changed since reviewed (re-confirm each in the app, V, or give a new verdict):")
        write_changed(sys.stdout, result.project)
    new_orphans = len(result.project.orphans) - len(project.orphans)
    if new_orphans:
        print(f"{new_orphans} could not be placed and are kept as orphans:")
        _write_orphans(sys.stdout, result.project.orphans, first=len(project.orphans))
    return 0


def _cmd_reattach(args: argparse.Namespace) -> int:
    from .projectfile import load_project_with_stamp
    from .update import reattach_orphan

    project, stamp = load_project_with_stamp(args.project)
    if not project.orphans:
        raise FactcheckError(f"{args.project}: has no orphans")
    try:
        claim_id = parse_claim_ref(args.claim_id)
        updated = reattach_orphan(project, args.number - 1, claim_id)
    except ValueError as exc:
        raise FactcheckError(f"{args.project}: {exc}") from None
    save_next_to(updated, args, stamp)
    orphan = project.orphans[args.number - 1]
    what = "annotation" if orphan.annotation is not None else "link"
    print(
        f"orphan {args.number} ({what}, “{excerpt(orphan.anchor.exact, 60)}”) re-attached to "
        f"claim {claim_label(claim_id)}; {len(updated.orphans)} orphans left"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
