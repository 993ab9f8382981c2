"""``factcheck set-article``: an article's title, URL, date, author and outlet, and
``factcheck set-summary``: the ``claimReviewed`` text of one claim's ClaimReview."""

from __future__ import annotations

import argparse
from dataclasses import replace

from .article_details import FIELDS, ArticleDetails, with_details
from .claimref import claim_label, parse_claim_ref
from .errors import FactcheckError
from .textutil import source_name


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "set-article",
        help="set an article's title, URL, date, author or outlet (ClaimReview uses them)",
    )
    p.add_argument("project")
    side = p.add_mutually_exclusive_group(required=True)
    side.add_argument("--a", dest="side", action="store_const", const="a", help="article A")
    side.add_argument("--b", dest="side", action="store_const", const="b", help="article B")
    for name, meaning in FIELDS.items():
        p.add_argument(f"--{name}", metavar=name.upper(), help=f"{meaning}; '' clears it")
    p.add_argument("-o", "--output", help="project to write (default: update PROJECT in place)")
    p.set_defaults(run=cmd_set_article, usage_error=p.error)

    p = sub.add_parser(
        "set-summary",
        help="write a claim's ClaimReview summary (claimReviewed); '' restores the default",
    )
    p.add_argument("project")
    p.add_argument("claim", help="the claim, e.g. A18 (or a:17)")
    p.add_argument("summary", help="what the claim says, in a short neutral sentence")
    p.add_argument("-o", "--output", help="project to write (default: update PROJECT in place)")
    p.set_defaults(run=cmd_set_summary)


def cmd_set_article(args: argparse.Namespace) -> int:
    from .cli_exchange import save_next_to
    from .projectfile import load_project_with_stamp

    details = ArticleDetails(**{name: getattr(args, name) for name in FIELDS})
    if all(getattr(details, name) is None for name in FIELDS):
        args.usage_error(f"give at least one of {', '.join('--' + n for n in FIELDS)}")
    project, stamp = load_project_with_stamp(args.project)
    article = project.article_a if args.side == "a" else project.article_b
    try:
        updated = with_details(article, details)
    except ValueError as exc:
        raise FactcheckError(f"--{exc}") from None
    if args.side == "a":
        project = replace(project, article_a=updated)
    else:
        project = replace(project, article_b=updated)
    save_next_to(project, args, stamp)
    shown = ArticleDetails.of(updated)
    print(f"{source_name(args.output or args.project)}: article {args.side.upper()}")
    for name in FIELDS:
        print(f"  {name}: {getattr(shown, name) or '—'}")
    return 0


def cmd_set_summary(args: argparse.Namespace) -> int:
    from .cli_exchange import save_next_to
    from .export.claimreview import SUMMARY_LIMIT
    from .projectfile import load_project_with_stamp
    from .store import ProjectStore

    try:
        claim_id = parse_claim_ref(args.claim)
    except ValueError as exc:
        raise FactcheckError(str(exc)) from None
    summary = " ".join(args.summary.split())
    if len(summary) > 2000:
        raise FactcheckError(
            f"the summary is too long ({len(summary):,} characters; 2,000 at most)"
        )
    project, stamp = load_project_with_stamp(args.project)
    store = ProjectStore(project, matches=())
    try:
        store.claim(claim_id)
    except KeyError:
        raise FactcheckError(
            f"{source_name(args.project)}: has no claim {claim_label(claim_id)}"
        ) from None
    store.set_summary(claim_id, summary)
    save_next_to(store.project(), args, stamp)
    label = claim_label(claim_id)
    if not summary:
        print(f"{label}: the ClaimReview summary is the cut of the claim's sentence again")
    else:
        print(f"{label}: claimReviewed = “{summary}”")
        if len(summary) >= SUMMARY_LIMIT:
            print(f"  note: search engines prefer fewer than {SUMMARY_LIMIT} characters")
    return 0
