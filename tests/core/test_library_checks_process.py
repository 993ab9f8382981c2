"""The app's lookup of a project's claims in a child process, on every back end: the same
prior checks as the lookup in this process (a claim's own entry left out), the child's
errors with their message, and cancelling (the child ends, no answer)."""

from __future__ import annotations

import socket
import threading

import pytest

from factcheck.errors import FactcheckError
from factcheck.library import LibraryEntry, open_library
from factcheck.library.checks_process import (
    ChecksRequest,
    LookupCancelled,
    find_prior_checks,
    look_up_in_child,
)
from factcheck.library.entry import source_identity
from factcheck.models import Verdict

SOURCE = "https://example.org/today"
CHECKED = [
    "The unemployment rate fell to four percent last year.",
    "The president vetoed the budget bill in March.",
    "The city built three new bridges in 2020.",
]


def _request(url: str, answer_part: int = 64) -> ChecksRequest:
    here = source_identity(LibraryEntry(text="", source_url=SOURCE))
    texts = (
        "Unemployment fell to four percent last year.",
        "Bananas are rich in potassium.",
        CHECKED[2],  # its own entry (same claim, same source) is in the library too
        "In March the president vetoed the budget bill.",
    )
    return ChecksRequest(url, texts, (here,) * len(texts), answer_part=answer_part)


@pytest.mark.parametrize("answer_part", [1, 64])
def test_the_child_finds_what_the_lookup_here_finds(library_url: str, answer_part: int) -> None:
    """In one part or a part per claim, the answer is the lookup's."""
    with open_library(library_url) as library:
        library.add(
            [
                LibraryEntry(text=t, verdict=Verdict.CONTESTED, source_url=f"urn:before:{n}")
                for n, t in enumerate(CHECKED)
            ]
            + [LibraryEntry(text=CHECKED[2], source_url=SOURCE)]
        )
    request = _request(library_url, answer_part)
    here = find_prior_checks(request)
    child = look_up_in_child(request, threading.Event())
    assert child == here
    assert sorted(child.checks) == [0, 2, 3]
    assert {c.entry.source_url for c in child.checks[2]} == {"urn:before:2"}
    assert child.checks[0][0].entry.text == CHECKED[0]


def test_an_error_in_the_child_comes_back_with_its_message() -> None:
    request = ChecksRequest("mysql://db.example/library", ("A claim.",), ("url:x",))
    with pytest.raises(FactcheckError, match="unknown kind of library 'mysql'"):
        look_up_in_child(request, threading.Event())


def test_cancelling_ends_the_child_and_gives_no_answer() -> None:
    """A server that accepts the connection and never answers keeps the child waiting;
    cancelling ends it (its end of the connection closes)."""
    pytest.importorskip("psycopg")
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(120)  # a failure, not a hang, if the child never connects
        url = f"postgresql://someone:secret@127.0.0.1:{server.getsockname()[1]}/library"
        cancelled = threading.Event()
        outcome: list[BaseException] = []

        def run() -> None:
            try:
                look_up_in_child(ChecksRequest(url, ("A claim.",), ("url:x",)), cancelled)
            except BaseException as error:  # what the run ended with
                outcome.append(error)

        worker = threading.Thread(target=run)
        worker.start()
        connection, _ = server.accept()
        with connection:
            connection.settimeout(120)
            assert connection.recv(8)  # the child's first message: it waits for an answer
            cancelled.set()
            worker.join()
            while connection.recv(65536):
                pass  # until the end: the child is gone
    assert len(outcome) == 1 and isinstance(outcome[0], LookupCancelled)


def test_a_lookup_cancelled_before_it_starts_starts_no_child() -> None:
    cancelled = threading.Event()
    cancelled.set()
    with pytest.raises(LookupCancelled):
        look_up_in_child(ChecksRequest("sqlite:///nowhere", ("A claim.",), ("x",)), cancelled)
