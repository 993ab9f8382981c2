"""``factcheck library …``: the claim library from the command line, and the
"checked before" section of ``factcheck compare --library``.

    factcheck library add PROJECT…           reviewed claims of projects into the library
    factcheck library search "TEXT"          prior checks of a claim, best first
    factcheck library import FILE            ClaimReview JSON-LD (ours or a publisher's)
    factcheck library export --format claimreview|csv -o OUT
    factcheck library index                  embed the entries a big import left unembedded
    factcheck library info                   where the library is and what it holds

``add`` and ``import`` compute the new entries' embeddings (semantic lookup) in the
same pass when they add at most 5,000; a bigger import leaves them to ``index``, which
embeds in batches (Ctrl+C keeps what is done; run it again to go on). A lookup uses
the embeddings where its candidates have them, else the lexical confidence, and says so.

Each takes ``--library URL`` (``sqlite:///path`` or ``postgresql://user@host/db``);
the default is ``$FACTCHECK_LIBRARY``, else the file in the user data folder.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .claimref import claim_label
from .errors import FactcheckError
from .textutil import excerpt

if TYPE_CHECKING:
    from .library import ClaimLibrary, LibraryEntry, PriorCheck


def open_library(url: str | None = None) -> ClaimLibrary:
    """:func:`factcheck.library.open_library`, imported when a command uses the library:
    the library loads the matcher (numpy, rapidfuzz), which other commands need not."""
    from .library import open_library as open_

    return open_(url)


LIBRARY_HELP = (
    "the library: sqlite:///path or postgresql://user@host/db "
    "(default: $FACTCHECK_LIBRARY, else library.sqlite3 in the user data folder)"
)


def add_parser(sub: Any) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--library", metavar="URL", help=LIBRARY_HELP)
    p = sub.add_parser("library", help="the claim library: claims checked before, across projects")
    commands = p.add_subparsers(dest="library_command", required=True, metavar="COMMAND")

    c = commands.add_parser("add", parents=[common], help="add a project's reviewed claims")
    c.add_argument("projects", nargs="+", metavar="PROJECT")
    c.add_argument("--by", default="", help="who adds them (default: your user name)")
    c.set_defaults(run=cmd_add)

    c = commands.add_parser("search", parents=[common], help="prior checks of a claim")
    c.add_argument("text")
    c.add_argument("--json", action="store_true", help="machine-readable output")
    c.set_defaults(run=cmd_search)

    c = commands.add_parser("import", parents=[common], help="import ClaimReview JSON-LD")
    c.add_argument("file")
    c.add_argument("--by", default="", help="who adds them (default: your user name)")
    c.set_defaults(run=cmd_import)

    c = commands.add_parser("export", parents=[common], help="export the library")
    c.add_argument("--format", "-f", required=True, choices=("claimreview", "csv"))
    c.add_argument("-o", "--output", required=True, help="file to write ('-' for stdout)")
    c.set_defaults(run=cmd_export)

    c = commands.add_parser(
        "index", parents=[common], help="embed entries without an embedding (semantic lookup)"
    )
    c.set_defaults(run=cmd_index)

    c = commands.add_parser("info", parents=[common], help="where the library is, its size")
    c.set_defaults(run=cmd_info)


def _user(given: str) -> str:
    if given:
        return given
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def cmd_add(args: argparse.Namespace) -> int:
    from .library.projects import reviewed_entries
    from .projectfile import load_project

    entries: list[LibraryEntry] = []
    for path in args.projects:
        entries += reviewed_entries(load_project(path), added_by=_user(args.by))
    with open_library(args.library) as library:
        result = library.add(entries)
        print(
            f"{library.location}: {result.added} claims added, {result.updated} updated "
            f"(from {len(args.projects)} project{'s' if len(args.projects) != 1 else ''})"
        )
        _index_hint(library)
    return 0


def _index_hint(library: ClaimLibrary) -> None:
    waiting = library.unembedded_count()
    if waiting:
        print(
            f"{waiting} entries have no embedding yet (lexical lookup for them): "
            "run `factcheck library index`",
            file=sys.stderr,
        )


def cmd_import(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from .library.exchange import parse_claimreview

    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FactcheckError(f"{path}: cannot read: {exc}") from None
    by = _user(args.by)
    entries = [replace(e, added_by=by) for e in parse_claimreview(text, str(path))]
    with open_library(args.library) as library:
        result = library.add(entries)
        print(f"{path}: {result.added} claim reviews added, {result.updated} updated")
        _index_hint(library)
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    import time

    from .matching.encoder import EncoderUnavailable

    with open_library(args.library) as library:
        started = time.monotonic()
        shown = [started]

        def progress(done: int, total: int) -> bool:
            if time.monotonic() - shown[0] >= 5 or done == total:
                shown[0] = time.monotonic()
                print(f"{done} of {total} entries embedded", file=sys.stderr)
            return True

        try:
            done = library.index(progress=progress)
        except EncoderUnavailable as error:
            raise FactcheckError(f"cannot embed: {error}") from None
        except KeyboardInterrupt:
            print("interrupted: what is embedded is kept; run it again to go on", file=sys.stderr)
            return 130
        print(
            f"{library.location}: {done} entries embedded in {time.monotonic() - started:.1f} s, "
            f"{library.unembedded_count()} without an embedding"
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .atomicwrite import write_atomic
    from .library.exchange import claimreview_text, csv_text

    with open_library(args.library) as library:
        skipped = 0
        if args.format == "claimreview":
            text, written, skipped = claimreview_text(library.entries())
        else:
            text, written = csv_text(library.entries())
    if args.output == "-":
        from .terminal import write_document

        write_document(text.removeprefix("\ufeff") + ("" if text.endswith("\n") else "\n"))
    else:
        try:
            write_atomic(Path(args.output), text.encode("utf-8"))
        except OSError as exc:
            raise FactcheckError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    note = f" ({skipped} without a verdict or rating left out)" if skipped else ""
    print(f"{args.output}: {written} entries written{note}", file=sys.stderr)
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    with open_library(args.library) as library:
        total = library.count()
        print(
            f"{library.location}: {total} entries, "
            f"{total - library.unembedded_count()} with an embedding"
        )
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with open_library(args.library) as library:
        (checks,) = library.lookup([args.text])
        if library.note:
            print(library.note, file=sys.stderr)
    if args.json:
        from .terminal import dump_json

        dump_json([check_json(c) for c in checks], sys.stdout)
        return 0
    if not checks:
        print("not checked before (no entry of the library states this claim)")
    write_checks(sys.stdout, checks, indent="")
    return 0


def check_json(check: PriorCheck) -> dict[str, Any]:
    from dataclasses import asdict

    return {"score": check.score, **asdict(check.entry), "verdict": check.entry.verdict.value}


def write_checks(w: TextIO, checks: Sequence[PriorCheck], *, indent: str) -> None:
    """One block per prior check: score, verdict, date, reviewer, note, source."""
    for check in checks:
        e = check.entry
        head = " · ".join(x for x in (e.verdict_label, e.review_date, e.reviewer) if x)
        w.write(f"{indent}{check.score:5.1f}  {head}\n")
        w.write(f"{indent}       “{excerpt(e.text, 100)}”\n")
        if e.note:
            w.write(f"{indent}       note: {excerpt(e.note, 100)}\n")
        source = " — ".join(x for x in (e.source_title, e.source_outlet) if x)
        where = " ".join(x for x in (source, e.source_url, e.source_date) if x)
        if where:
            w.write(f"{indent}       source: {excerpt(where, 120)}\n")


def library_section(url: str, claims: Sequence[Any]) -> list[tuple[Any, tuple[PriorCheck, ...]]]:
    """``compare --library``: the claims (with ``id``, ``text``) checked before, with checks."""
    library: ClaimLibrary
    with open_library(url or None) as library:
        found = library.lookup([c.text for c in claims])
        if library.note:
            print(library.note, file=sys.stderr)
    return [(c, checks) for c, checks in zip(claims, found, strict=True) if checks]


def write_library_section(w: TextIO, found: Sequence[tuple[Any, tuple[PriorCheck, ...]]]) -> None:
    w.write(f"Checked before: {len(found)} claims have prior checks in the library\n")
    for claim, checks in found:
        w.write(f"  {claim_label(claim.id)}: “{excerpt(claim.text, 100)}”\n")
        write_checks(w, checks, indent="    ")
