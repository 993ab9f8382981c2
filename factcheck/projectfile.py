"""Save and load a project as one versioned JSON file.

Saving is atomic: the new content goes to a temporary file in the same folder, is
flushed to disk, and replaces the project file in one rename; the previous file is
kept as ``<name>.bak``. Loading reads nothing larger than :data:`MAX_PROJECT_BYTES`,
validates the whole document against ``schemas/project-v1.json`` and the articles'
hashes and offsets, and only then builds a :class:`Project`. A failure raises
:class:`ProjectFileError` naming the file and the problem; the file is not touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any, BinaryIO

from .atomicwrite import remove_stale_temp_files, write_atomic
from .errors import ProjectChangedError, ProjectFileError
from .gcpause import without_gc_pauses
from .jsonkeys import duplicate_key
from .jsonlayout import dumps_outline
from .models import (
    AnchorStatus,
    Annotation,
    Article,
    ArticleMetadata,
    ChangedText,
    Link,
    LinkState,
    MatchConfig,
    Orphan,
    Project,
    ProjectSettings,
    ReviewerSettings,
    TextAnchor,
    Verdict,
    content_hash,
)
from .schema_check import SchemaChecker, SchemaProblem

FORMAT = "factcheck-project"
VERSION = 1
#: Two articles of at most 20 MiB each plus annotations: anything larger is not ours.
MAX_PROJECT_BYTES = 128 * 1024 * 1024
SUFFIX = ".factcheck.json"
#: Annotations, links and orphans a project file may hold, each (the schema's maxItems).
MAX_ITEMS = 500_000


@cache
def _checker() -> SchemaChecker:
    return SchemaChecker.shipped("factcheck", "schemas/project-v1.json")


# -- to JSON -----------------------------------------------------------------------


def project_to_dict(project: Project) -> dict[str, Any]:
    match = project.settings.match
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": project.name,
        "created": project.created,
        "modified": project.modified,
        "articles": [_article_to_dict(a) for a in project.articles],
        "settings": {
            "match": {
                "scorer": match.scorer,
                "threshold": match.threshold,
                "top_k": match.top_k,
                "duplicate_threshold": match.duplicate_threshold,
            },
            "reviewer": {
                "name": project.settings.reviewer.name,
                "url": project.settings.reviewer.url,
            },
            # Only when set: a project of two articles is the file older releases wrote.
            **({"versions": True} if project.settings.versions else {}),
        },
        "annotations": [_annotation_to_dict(a) for a in project.annotations],
        "links": [_link_to_dict(link) for link in project.links],
        "orphans": [
            {
                "article_id": o.article_id,
                "anchor": _anchor_to_dict(o.anchor),
                "annotation": _annotation_to_dict(o.annotation) if o.annotation else None,
                "link": _link_to_dict(o.link) if o.link else None,
                "reason": o.reason,
            }
            for o in project.orphans
        ],
    }


def _article_to_dict(article: Article) -> dict[str, Any]:
    m = article.metadata
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "hash": article.hash,
        "metadata": {
            "author": m.author,
            "date": m.date,
            "url": m.url,
            "site_name": m.site_name,
            "description": m.description,
        },
        "text": article.text,
    }


def _anchor_to_dict(anchor: TextAnchor) -> dict[str, Any]:
    return {
        "start": anchor.start,
        "end": anchor.end,
        "exact": anchor.exact,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
    }


def _annotation_to_dict(a: Annotation) -> dict[str, Any]:
    d: dict[str, Any] = {
        "claim_id": a.claim_id,
        "article_id": a.article_id,
        "anchor": _anchor_to_dict(a.anchor),
        "verdict": a.verdict.value,
        "note": a.note,
        "evidence": list(a.evidence),
        "tags": list(a.tags),
        "created": a.created,
        "modified": a.modified,
    }
    # Optional fields added within version 1: written only when set, so a project
    # without them is the same file older versions wrote (and can still read).
    if a.summary:
        d["summary"] = a.summary
    if a.changed is not None:
        d["changed"] = _changed_to_dict(a.changed)
    return d


def _link_to_dict(link: Link) -> dict[str, Any]:
    d: dict[str, Any] = {
        "a_claim_id": link.a_claim_id,
        "b_claim_id": link.b_claim_id,
        "state": link.state.value,
        "a_anchor": _anchor_to_dict(link.a_anchor),
        "b_anchor": _anchor_to_dict(link.b_anchor),
        "score": link.score,
        "created": link.created,
        "modified": link.modified,
    }
    if link.a_changed is not None:
        d["a_changed"] = _changed_to_dict(link.a_changed)
    if link.b_changed is not None:
        d["b_changed"] = _changed_to_dict(link.b_changed)
    return d


def _changed_to_dict(changed: ChangedText) -> dict[str, Any]:
    return {"old_quote": changed.old_quote, "status": changed.status.value, "since": changed.since}


def _changed_from_dict(d: dict[str, Any] | None) -> ChangedText | None:
    if d is None:
        return None
    return ChangedText(d["old_quote"], AnchorStatus(d.get("status", "fuzzy")), d.get("since", ""))


def dumps_project(project: Project) -> str:
    """The project file's text: one annotation, link or orphan per line (see jsonlayout)."""
    return dumps_outline(project_to_dict(project), levels=2)


# -- from JSON ---------------------------------------------------------------------


def project_from_dict(data: Any, *, source: str = "<project>") -> Project:
    """Validate ``data`` fully and build the project; ProjectFileError otherwise."""
    if not isinstance(data, dict):
        raise ProjectFileError(source, "not a factcheck project (the top level is not an object)")
    if data.get("format") != FORMAT:
        raise ProjectFileError(source, "not a factcheck project (no 'format': 'factcheck-project')")
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise ProjectFileError(
            source,
            f"made by a newer factcheck (project version {version}; this one reads up to "
            f"{VERSION}): update factcheck to open it",
        )
    problem = _checker().first_problem(data)
    if problem is not None:
        where = "/".join(str(p) for p in problem.path) or "top level"
        raise ProjectFileError(source, f"invalid project file at {where}: {_schema_text(problem)}")

    articles = {a["id"]: _article_from_dict(a, source) for a in data["articles"]}
    if set(articles) != {"a", "b"}:
        raise ProjectFileError(source, "a project needs one article 'a' and one article 'b'")
    texts = {k: a.text for k, a in articles.items()}

    def anchor(d: dict[str, Any], article_id: str, where: str) -> TextAnchor:
        a = TextAnchor(d["start"], d["end"], d["exact"], d.get("prefix", ""), d.get("suffix", ""))
        if not a.start <= a.end <= len(texts[article_id]):
            raise ProjectFileError(
                source, f"{where}: offsets {a.start}–{a.end} lie outside article {article_id!r}"
            )
        if a.start == a.end:
            # Every claim has text; an empty span cannot be placed on any claim.
            raise ProjectFileError(
                source, f"{where}: offsets {a.start}–{a.end} mark no text of article {article_id!r}"
            )
        return a

    def annotation(d: dict[str, Any], where: str) -> Annotation:
        return Annotation(
            claim_id=d["claim_id"],
            article_id=d["article_id"],
            anchor=anchor(d["anchor"], d["article_id"], where),
            verdict=_VERDICT[d["verdict"]],
            note=d.get("note", ""),
            evidence=tuple(d.get("evidence", ())),
            tags=tuple(d.get("tags", ())),
            created=d.get("created", ""),
            modified=d.get("modified", ""),
            changed=_changed_from_dict(d.get("changed")),
            summary=d.get("summary", ""),
        )

    def link(d: dict[str, Any], where: str) -> Link:
        return Link(
            a_claim_id=d["a_claim_id"],
            b_claim_id=d["b_claim_id"],
            state=_LINK_STATE[d["state"]],
            a_anchor=anchor(d["a_anchor"], "a", where),
            b_anchor=anchor(d["b_anchor"], "b", where),
            score=d.get("score"),
            created=d.get("created", ""),
            modified=d.get("modified", ""),
            a_changed=_changed_from_dict(d.get("a_changed")),
            b_changed=_changed_from_dict(d.get("b_changed")),
        )

    _check_unique(data, source)
    for i, d in enumerate(data["orphans"]):
        if d.get("annotation") is not None and d.get("link") is not None:
            raise ProjectFileError(
                source, f"orphans/{i}: an orphan holds one annotation or one link, not both"
            )
    settings = data["settings"]
    reviewer = settings["reviewer"]
    return Project(
        article_a=articles["a"],
        article_b=articles["b"],
        settings=ProjectSettings(
            match=_match_config(settings["match"], source),
            reviewer=ReviewerSettings(name=reviewer.get("name", ""), url=reviewer.get("url", "")),
            versions=settings.get("versions", False),
        ),
        annotations=tuple(
            annotation(d, f"annotations/{i}") for i, d in enumerate(data["annotations"])
        ),
        links=tuple(link(d, f"links/{i}") for i, d in enumerate(data["links"])),
        orphans=tuple(
            Orphan(
                article_id=d["article_id"],
                # An orphan's anchor points into an older text: only its quote matters.
                anchor=TextAnchor(**d["anchor"]),
                annotation=_orphan_annotation(d.get("annotation")),
                link=_orphan_link(d.get("link")),
                reason=d.get("reason", ""),
            )
            for d in data["orphans"]
        ),
        name=data.get("name", ""),
        created=data.get("created", ""),
        modified=data.get("modified", ""),
    )


# Looked up by value for each of up to a million items: Enum's own call is 5x slower.
# The schema has checked the values already.
_VERDICT = {v.value: v for v in Verdict}
_LINK_STATE = {s.value: s for s in LinkState}


def _match_config(d: dict[str, Any], source: str) -> MatchConfig:
    """The matcher settings; a scorer this factcheck does not have is refused here, not
    later by the matcher (a file made by a newer version, or edited by hand)."""
    from .matching.scorers import SCORERS

    if d["scorer"] not in SCORERS:
        raise ProjectFileError(
            source,
            f"invalid project file at settings/match/scorer: unknown scorer {d['scorer']!r} "
            f"(known: {', '.join(SCORERS)})",
        )
    return MatchConfig(**d)


def _check_unique(data: dict[str, Any], source: str) -> None:
    """Two annotations on one claim, or two links between one pair, would lose one."""
    claims: set[tuple[str, str]] = set()
    for i, d in enumerate(data["annotations"]):
        key = (d["article_id"], d["claim_id"])
        if key in claims:
            raise ProjectFileError(
                source, f"annotations/{i}: a second annotation on claim {d['claim_id']!r}"
            )
        claims.add(key)
    pairs: set[tuple[str, str]] = set()
    for i, d in enumerate(data["links"]):
        pair = (d["a_claim_id"], d["b_claim_id"])
        if pair in pairs:
            raise ProjectFileError(
                source, f"links/{i}: a second link between {pair[0]!r} and {pair[1]!r}"
            )
        pairs.add(pair)


def _orphan_annotation(d: dict[str, Any] | None) -> Annotation | None:
    if d is None:
        return None
    return Annotation(
        claim_id=d["claim_id"],
        article_id=d["article_id"],
        anchor=TextAnchor(**d["anchor"]),
        verdict=_VERDICT[d["verdict"]],
        note=d.get("note", ""),
        evidence=tuple(d.get("evidence", ())),
        tags=tuple(d.get("tags", ())),
        created=d.get("created", ""),
        modified=d.get("modified", ""),
        changed=_changed_from_dict(d.get("changed")),
        summary=d.get("summary", ""),
    )


def _orphan_link(d: dict[str, Any] | None) -> Link | None:
    if d is None:
        return None
    return Link(
        a_claim_id=d["a_claim_id"],
        b_claim_id=d["b_claim_id"],
        state=_LINK_STATE[d["state"]],
        a_anchor=TextAnchor(**d["a_anchor"]),
        b_anchor=TextAnchor(**d["b_anchor"]),
        score=d.get("score"),
        created=d.get("created", ""),
        modified=d.get("modified", ""),
        a_changed=_changed_from_dict(d.get("a_changed")),
        b_changed=_changed_from_dict(d.get("b_changed")),
    )


def _article_from_dict(d: dict[str, Any], source: str) -> Article:
    if content_hash(d["text"]) != d["hash"]:
        raise ProjectFileError(
            source,
            f"the text of article {d['id']!r} does not match its hash (edited by hand or damaged)",
        )
    return Article(
        id=d["id"],
        title=d["title"],
        source=d["source"],
        text=d["text"],
        metadata=ArticleMetadata(**d.get("metadata", {})),
        hash=d["hash"],
    )


@without_gc_pauses
def loads_project(text: str, *, source: str = "<project>") -> Project:
    """Parse with orjson: strict JSON (no NaN/Infinity, no lone surrogates, at most 1,024
    levels deep, numbers that fit a double) and C-fast."""
    import orjson

    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        if not text.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
            # An article or any other file given where a project was meant.
            raise ProjectFileError(source, "not a factcheck project (not a JSON file)") from None
        raise ProjectFileError(source, _json_problem(text, exc)) from None
    project = project_from_dict(data, source=source)
    # After the checks of the document (which refuse most broken files more cheaply).
    duplicate = duplicate_key(text, data)
    if duplicate is not None:
        key, where = duplicate
        raise ProjectFileError(
            source,
            f"invalid project file at {where or 'top level'}: the key {key!r} appears twice "
            "(one of its values would be lost)",
        )
    return project


def _json_problem(text: str, exc: json.JSONDecodeError) -> str:
    """orjson's refusal, said the way factcheck says it."""
    at = f"line {exc.lineno}, column {exc.colno}"
    if exc.msg.startswith("depth limit"):
        return "malformed JSON (nested too deeply)"
    if "surrogate" in exc.msg:
        return _surrogate_problem(text)
    if exc.msg.startswith("number is infinity"):
        return f"malformed JSON (a number is too long or too large: {at})"
    for name, pos in (("-Infinity", exc.pos - 1), ("Infinity", exc.pos), ("NaN", exc.pos)):
        if text.startswith(name, pos):
            return f"malformed JSON ({name} is not a number JSON allows)"
    # Cut anywhere (in a string, a literal, a number, between fields), a project ends
    # early; anything that does not start as an object is not one.
    if exc.msg == "unexpected end of data" and text.lstrip().startswith("{"):
        return f"the file is truncated ({at}: it ends early)"
    return f"malformed JSON ({at}: {exc.msg})"


def _surrogate_problem(text: str) -> str:
    """Where the lone surrogate is (``"\\ud800"``: such text could never be saved);
    Python's json reads it, to find the place."""
    stack: list[tuple[Any, str]] = [(json.loads(text), "")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                return (
                    f"invalid text at {where or 'top level'}: a lone surrogate "
                    "(an escape like \\ud800 that is no character)"
                )
        elif isinstance(node, dict):
            stack.extend((v, f"{where}/{k}".lstrip("/")) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, f"{where}/{i}".lstrip("/")) for i, v in enumerate(node))
    return "malformed JSON (a lone surrogate)"


def load_project(path: str | os.PathLike[str]) -> Project:
    return load_project_with_stamp(path)[0]


@dataclass(frozen=True)
class FileStamp:
    """What a project file was when it was read or written, to notice outside changes."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, data: bytes, mtime_ns: int) -> FileStamp:
        return cls(len(data), mtime_ns, hashlib.sha256(data).hexdigest())


#: The "stamp" of a file that does not exist: saving with it refuses to replace a file.
NO_FILE = FileStamp(-1, 0, "")


def load_project_with_stamp(path: str | os.PathLike[str]) -> tuple[Project, FileStamp]:
    """Like :func:`load_project`, plus the file's stamp to pass to ``save_project(expected=)``."""
    name = str(Path(path))
    raw, mtime_ns = _read_project_bytes(Path(path))
    remove_stale_temp_files(path)  # left by saves that were killed
    try:
        # A byte-order mark (left by some editors) is not part of the JSON.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # cut inside a character
            raise ProjectFileError(name, "the file is truncated (it ends mid-character)") from None
        raise ProjectFileError(name, "not a project file (not UTF-8 text)") from None
    return loads_project(text, source=name), FileStamp.of(raw, mtime_ns)


def _read_project_bytes(p: Path) -> tuple[bytes, int]:
    """The file's bytes (bounded) and its modification time, read from one open file."""
    name = str(p)
    try:
        if p.is_dir():
            raise ProjectFileError(name, "is a folder, not a project file")
        if not stat.S_ISREG(p.stat().st_mode):
            # Opening a named pipe blocks; a device may never end.
            raise ProjectFileError(name, "is not a regular file")
        with p.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_size == 0:
                raise ProjectFileError(name, "the file is empty")
            if info.st_size > MAX_PROJECT_BYTES:
                raise ProjectFileError(
                    name,
                    f"the file is too large ({info.st_size:,} bytes; "
                    f"the limit is {MAX_PROJECT_BYTES:,})",
                )
            raw = _read_at_most(handle, info.st_size, MAX_PROJECT_BYTES)
    except FileNotFoundError:
        raise ProjectFileError(name, "no such file") from None
    except PermissionError:
        raise ProjectFileError(name, "permission denied") from None
    except IsADirectoryError:
        raise ProjectFileError(name, "is a folder, not a project file") from None
    except OSError as exc:
        raise ProjectFileError(name, f"cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_PROJECT_BYTES:
        raise ProjectFileError(name, f"the file is too large (the limit is {MAX_PROJECT_BYTES:,})")
    return raw, info.st_mtime_ns


def _read_at_most(handle: BinaryIO, size: int, limit: int) -> bytes:
    """``size`` bytes and whatever the file grew by since, but never more than ``limit + 1``.

    Not ``read(limit + 1)``: that allocates the whole limit for every file.
    """
    raw = handle.read(size + 1)
    if len(raw) > size:  # it grew between fstat() and read()
        raw += handle.read(limit + 1 - len(raw))
    return raw


# -- saving ------------------------------------------------------------------------


def save_project(
    project: Project, path: str | os.PathLike[str], *, expected: FileStamp | None = None
) -> FileStamp:
    """Write ``project`` to ``path`` atomically, keeping the previous file as a backup.

    With ``expected`` (the stamp from loading or from the last save, or
    :data:`NO_FILE` for a file that must not exist yet), a file that another program
    has changed since then is not overwritten: ProjectChangedError (a
    ProjectFileError) instead, and nothing is written. The check and the replace are
    one step under the save lock (see :mod:`factcheck.atomicwrite`). A file that is
    gone is simply written. The returned stamp is the one to pass as ``expected``
    next time.

    A project that :func:`load_project` would refuse as too large is not written.
    """
    target = Path(path)
    _check_within_limits(project, str(target))
    try:
        data = dumps_project(project).encode("utf-8")
    except UnicodeEncodeError:
        raise ProjectFileError(
            str(target),
            "not saved: the project holds text that is not valid Unicode (a lone surrogate)",
        ) from None
    if len(data) > MAX_PROJECT_BYTES:
        raise _too_large_to_save(str(target), f"{len(data):,} bytes")
    check = None if expected is None else partial(_check_unchanged, expected=expected)
    write_atomic(target, data, keep_backup=True, check=check)
    try:
        mtime_ns = target.stat().st_mtime_ns
    except OSError:
        mtime_ns = 0  # saved, but cannot be looked at any more: the hash still tells
    return FileStamp.of(data, mtime_ns)


def _check_within_limits(project: Project, name: str) -> None:
    """Refuse, before anything is serialised, a project that could not be opened again:
    more annotations, links or orphans than a project file may hold, or more text
    than :data:`MAX_PROJECT_BYTES` (every character is at least one byte)."""
    for what, items in (
        ("annotations", project.annotations),
        ("links", project.links),
        ("orphans", project.orphans),
    ):
        if len(items) > MAX_ITEMS:
            raise ProjectFileError(
                name,
                f"not saved: {len(items):,} {what} are more than a project file may hold "
                f"({MAX_ITEMS:,}); it could not be opened again",
            )
    chars = sum(len(a.text) for a in project.articles)
    for annotation in _all_annotations(project):
        chars += len(annotation.note) + len(annotation.anchor.exact)
        if chars > MAX_PROJECT_BYTES:
            raise _too_large_to_save(name, f"more than {MAX_PROJECT_BYTES:,} bytes")


def _all_annotations(project: Project) -> Iterator[Annotation]:
    yield from project.annotations
    for orphan in project.orphans:
        if orphan.annotation is not None:
            yield orphan.annotation


def _too_large_to_save(name: str, size: str) -> ProjectFileError:
    return ProjectFileError(
        name,
        f"not saved: the project file would be too large to open again ({size}; "
        f"the limit is {MAX_PROJECT_BYTES:,})",
    )


def stamp_of_file(path: str | os.PathLike[str]) -> FileStamp:
    """The stamp of the file at ``path`` as it is now (:data:`NO_FILE` if there is none),
    without reading it as a project: for a save that replaces whatever is there."""
    p = Path(path)
    try:
        if not stat.S_ISREG(os.stat(p).st_mode):  # never open a pipe: that blocks
            return FileStamp(-2, 0, "not a file")  # write_atomic refuses it, by name
        with p.open("rb") as handle:
            mtime_ns = os.fstat(handle.fileno()).st_mtime_ns
            data = handle.read()
    except FileNotFoundError:
        return NO_FILE
    except OSError as exc:
        raise ProjectFileError(str(p), f"cannot be read ({exc.strerror or exc})") from None
    return FileStamp.of(data, mtime_ns)


def _check_unchanged(target: Path, *, expected: FileStamp) -> None:
    """ProjectFileError when ``target`` is no longer the file ``expected`` describes."""
    try:
        size = target.stat().st_size
        same = size == expected.size and (
            hashlib.sha256(target.read_bytes()).hexdigest() == expected.sha256
        )
    except FileNotFoundError:
        return  # nothing there to overwrite
    except OSError as exc:
        raise ProjectFileError(
            str(target), f"could not be checked before saving ({exc.strerror or exc})"
        ) from None
    if expected == NO_FILE:
        raise ProjectChangedError(
            str(target), "was created by another program meanwhile; it is not overwritten"
        )
    if not same:
        raise ProjectChangedError(
            str(target),
            "was changed on disk by another program since it was opened; "
            "save under another name or reload",
        )


def _schema_text(problem: SchemaProblem) -> str:
    """jsonschema's message, without pages of the offending value."""
    limit = problem.limit
    if problem.keyword == "maxItems":
        return f"too many items (the limit is {limit:,})"
    if problem.keyword == "maxLength":
        return f"too long (the limit is {limit:,} characters)"
    message = problem.message
    shown = repr(problem.instance)
    if len(shown) > 80:
        message = message.replace(shown, _short(shown, 60))
    return _short(message)


def _short(message: str, limit: int = 200) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"
