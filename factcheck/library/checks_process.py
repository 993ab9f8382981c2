"""Looking a project's claims up in the claim library in a child process.

The app looks every claim up after it opens two articles. With 10,000 claims that is
seconds of Python work (normalising, candidate lists, ranking, building the entries),
which in a thread of the app's process shared the GIL with the GUI thread: clicks
waited for it (the 5,000-claim pair's click took 115 ms instead of 49 while it ran).
A child process shares nothing with the GUI thread, and it runs at a lower priority
(``nice`` 10; below normal on Windows), so a busy machine gives the GUI thread a core
first. Starting it costs about 0.4 s of a core (Python, numpy and the matcher's imports).

The request and the answer go pickled over the child's stdin and stdout (the answer in
parts, so that reading it never holds the GIL for long). Afterwards
the child watches its stdin: when the app cancels the lookup or goes away, the pipe
closes and the child ends at once.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from ..errors import FactcheckError
from .entry import PriorCheck, norm_key

#: The child's niceness (added to the app's), where the system has one.
NICENESS = 10
#: How soon a cancelled lookup's child is ended (seconds).
CANCEL_POLL_S = 0.1
#: Claims per part of the child's answer: up to 5 entries each, a part is unpickled in
#: about a millisecond.
ANSWER_PART = 64


@dataclass(frozen=True)
class ChecksRequest:
    """Claims to look up in the library at ``url``: each text with the source identity
    of its article (:func:`.entry.source_identity`), so that a claim's own entry (this
    claim from this source) is never its prior check."""

    url: str
    texts: tuple[str, ...]
    sources: tuple[str, ...]
    #: Entries without an embedding to embed first (a bounded share of what big adds
    #: left), when the encoder is there; 0: none.
    index_first: int = 0
    #: Claims whose prior checks the child sends in one part of its answer.
    answer_part: int = ANSWER_PART


@dataclass(frozen=True)
class ChecksFound:
    """The prior checks of the texts that have any (by position in the request), and
    "" or why the ranking was lexical only."""

    checks: dict[int, tuple[PriorCheck, ...]]
    note: str


class LookupCancelled(FactcheckError):
    """The lookup was cancelled before it answered."""


def find_prior_checks(request: ChecksRequest) -> ChecksFound:
    """The lookup itself, in this process (the child runs this)."""
    from ..matching.encoder import encoder_available
    from ..matching.normalize import normalize_text
    from .library import open_library

    with open_library(request.url) as library:
        if request.index_first and encoder_available():
            library.index(limit=request.index_first)
        found = library.lookup(request.texts)
        note = library.note
    checks: dict[int, tuple[PriorCheck, ...]] = {}
    for n, (text, source, candidates) in enumerate(
        zip(request.texts, request.sources, found, strict=True)
    ):
        if not candidates:
            continue
        own = norm_key(normalize_text(text), source)
        if kept := tuple(c for c in candidates if c.entry.key != own):
            checks[n] = kept
    return ChecksFound(checks, note)


def look_up_in_child(request: ChecksRequest, cancelled: threading.Event) -> ChecksFound:
    """The answer of :func:`find_prior_checks` from a child process; blocks (call it
    from a worker thread). Setting ``cancelled`` ends the child within
    :data:`CANCEL_POLL_S`, and this raises :class:`LookupCancelled`; a failure in the
    child raises :class:`FactcheckError` with its message (the library unreachable, a
    newer schema…)."""
    if cancelled.is_set():
        raise LookupCancelled("the lookup was cancelled")
    process = subprocess.Popen(
        [sys.executable, "-m", __name__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=_child_environment(),
        # Windows has no nice: the child asks for a lower priority class there instead.
        creationflags=getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0),
    )
    threading.Thread(
        target=_kill_when_cancelled,
        args=(process, cancelled),
        name="factcheck-lookup-cancel",
        daemon=True,  # the app may end meanwhile: its child ends with it (stdin closes)
    ).start()
    assert process.stdin is not None and process.stdout is not None
    try:
        pickle.dump(request, process.stdin, pickle.HIGHEST_PROTOCOL)
        process.stdin.flush()
        kind, value = pickle.load(process.stdout)
        if kind == "ok":
            # By parts: one load of every entry found held the GIL for 0.1-0.2 s (10,000
            # claims), and a click waited; between two parts the GUI thread can take it.
            checks: dict[int, tuple[PriorCheck, ...]] = {}
            while (part := pickle.load(process.stdout)) is not None:
                checks.update(part)
            value = ChecksFound(checks, str(value))
    except (OSError, EOFError, pickle.UnpicklingError):
        kind, value = "ended", None
    finally:
        _close(process)
    if cancelled.is_set():
        raise LookupCancelled("the lookup was cancelled")
    if kind == "ok" and isinstance(value, ChecksFound):
        return value
    if kind == "error":
        raise FactcheckError(str(value))
    raise FactcheckError(
        f"the lookup process ended without an answer (exit status {process.returncode})"
    )


def _kill_when_cancelled(process: subprocess.Popen[bytes], cancelled: threading.Event) -> None:
    while not cancelled.wait(CANCEL_POLL_S):
        if process.poll() is not None:
            return
    process.kill()


def _close(process: subprocess.Popen[bytes]) -> None:
    for pipe in (process.stdin, process.stdout):
        try:
            if pipe is not None:
                pipe.close()
        except OSError:
            pass  # the child is gone already (killed, cancelled)
    process.wait()


def _child_environment() -> dict[str, str]:
    """The app's environment, with this very ``factcheck`` first on the path."""
    env = dict(os.environ)
    ours = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(x for x in (ours, env.get("PYTHONPATH", "")) if x)
    return env


def _end_when_stdin_closes() -> None:
    sys.stdin.buffer.read()  # returns at end of file: the app closed the pipe, or went away
    os._exit(0)


def _child() -> NoReturn:
    request = pickle.load(sys.stdin.buffer)
    threading.Thread(target=_end_when_stdin_closes, daemon=True).start()
    if hasattr(os, "nice"):
        os.nice(NICENESS)
    out = sys.stdout.buffer
    try:
        found = find_prior_checks(request)
    except FactcheckError as error:
        pickle.dump(("error", str(error)), out)
    except Exception as error:  # a bug: said, as the app's worker thread said it
        pickle.dump(("error", f"{type(error).__name__}: {error}"), out)
    else:
        # ("ok", note), the checks in parts of answer_part claims, then None.
        pickle.dump(("ok", found.note), out)
        items = list(found.checks.items())
        for start in range(0, len(items), request.answer_part):
            part = dict(items[start : start + request.answer_part])
            pickle.dump(part, out, pickle.HIGHEST_PROTOCOL)
        pickle.dump(None, out)
    out.flush()
    # Not through the interpreter's shutdown: it would wait for the lock of stdin, which
    # the watching thread holds in its read ("Fatal Python error: could not acquire lock").
    os._exit(0)


if __name__ == "__main__":
    # Run from the module under its own name: what the child pickles must unpickle in
    # the app as factcheck.library.checks_process's classes, not __main__'s.
    from factcheck.library import checks_process

    checks_process._child()
