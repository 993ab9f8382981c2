"""Matches kept on disk between runs: ``factcheck compare`` on two articles it matched
before, with the same settings, reads the matches back instead of importing the
matcher (numpy, rapidfuzz, the index) and matching again.

An entry is named by a hash of everything the matches depend on: the claims (ids and
texts, in order), the settings, and the identity (path, size, modification time) of
every file of the ``factcheck`` package, the sentence encoder's model among them, and
of the numerical libraries the matcher runs on. Changing any of them, by editing,
upgrading or reinstalling, names another entry. Scores and sub-scores are stored as
JSON numbers, which give back the very floats: a run served from here prints what a
run without it prints, byte for byte.

Entries live beside the embeddings (:mod:`.embedding_cache`): the same folder, the
same ``FACTCHECK_EMBEDDING_CACHE=off`` switch and the same size limit. A damaged or
foreign entry is ignored (and matched again), never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

from ..models import Claim, Match, MatchConfig
from .embedding_cache import cache_dir, installed_files, model_key, read_entry, write_entry

_SUFFIX = ".matches"
#: Bumped when an entry's layout changes.
_FORMAT = "1"
#: Compiled libraries whose upgrade could change a score (found, not imported).
_LIBRARIES = ("numpy", "rapidfuzz", "onnxruntime")


def match_claims_cached(
    a_claims: Sequence[Claim], b_claims: Sequence[Claim], config: MatchConfig
) -> tuple[Match, ...]:
    """:func:`~.engine.match_claims`, read from the cache when these claims were matched
    before with these settings (and stored there when not)."""
    folder = cache_dir()
    path = None if folder is None else _path(folder, a_claims, b_claims, config)
    if path is not None:
        found = _parse(read_entry(path))
        if found is not None:
            return found
    from .engine import match_claims

    matches = match_claims(a_claims, b_claims, config)
    if path is not None:
        write_entry(path, _dump(matches))
    return matches


def _path(
    folder: Path, a_claims: Sequence[Claim], b_claims: Sequence[Claim], config: MatchConfig
) -> Path:
    digest = hashlib.sha256(f"{_FORMAT}\0{code_key()}\0{config!r}".encode())
    for claims in (a_claims, b_claims):
        digest.update(len(claims).to_bytes(8, "little"))
        for claim in claims:
            for part in (claim.id, claim.text):
                encoded = part.encode("utf-8", "surrogatepass")
                digest.update(len(encoded).to_bytes(8, "little"))
                digest.update(encoded)
    return folder / f"{digest.hexdigest()}{_SUFFIX}"


@cache
def code_key() -> str:
    """What identifies the code that matches: the package's files and the libraries'."""
    return model_key(sorted(_package_files(Path(__file__).resolve().parents[1])))


def _package_files(root: Path) -> Iterator[Path]:
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        yield from (Path(folder, name) for name in files)
    yield from installed_files(_LIBRARIES)


def _dump(matches: Sequence[Match]) -> bytes:
    rows = [[m.a_id, m.b_id, m.score, m.scorer, [list(c) for c in m.components]] for m in matches]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _parse(data: bytes | None) -> tuple[Match, ...] | None:
    if data is None:
        return None
    try:
        return tuple(
            Match(_text(a), _text(b), _number(score), _text(scorer), _components(parts))
            for a, b, score, scorer, parts in json.loads(data)
        )
    except (ValueError, TypeError):  # damaged, cut short or written by something else
        return None


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(value)
    return float(value)


def _components(parts: object) -> tuple[tuple[str, float], ...]:
    if not isinstance(parts, list):
        raise TypeError(parts)
    return tuple((_text(name), _number(value)) for name, value in parts)
