"""MatchJob: matching in a worker thread with progress, cancel and stale-result guarding."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence

import pytest
from pytestqt.qtbot import QtBot

from factcheck.matching import MatchCancelled
from factcheck.models import Article, Claim, Match, MatchConfig
from factcheck.segmentation import segment_claims
from tests.core.helpers import TEXT_A, TEXT_B
from ui.background import MatchJob

Progress = Callable[[int, int], bool]
CONFIG = MatchConfig()
TIMEOUT_MS = 5000


def _claims(article_id: str, n: int) -> tuple[Claim, ...]:
    return tuple(Claim(f"{article_id}:{i}", article_id, i, 0, 1, f"claim {i}") for i in range(n))


def _pairs(a: Sequence[Claim], b: Sequence[Claim]) -> tuple[Match, ...]:
    return tuple(Match(x.id, y.id, 75.0, "fake") for x, y in zip(a, b, strict=False))


def counting_match(
    a: Sequence[Claim], b: Sequence[Claim], config: MatchConfig, *, progress: Progress
) -> tuple[Match, ...]:
    """Reports progress once per A claim, like the real matcher, and honours cancel."""
    for done in range(1, len(a) + 1):
        if not progress(done, len(a)):
            raise MatchCancelled
    return _pairs(a, b)


class GatedMatch:
    """Keeps reporting progress until released or cancelled (polls, as a matcher does)."""

    def __init__(self, *, honour_cancel: bool = True) -> None:
        self.release = threading.Event()
        self.honour_cancel = honour_cancel
        self.calls = 0

    def __call__(
        self, a: Sequence[Claim], b: Sequence[Claim], config: MatchConfig, *, progress: Progress
    ) -> tuple[Match, ...]:
        self.calls += 1
        done = 0
        while not self.release.wait(0.005):
            done = min(done + 1, 999)
            if not progress(done, 1000) and self.honour_cancel:
                raise MatchCancelled
        return _pairs(a, b)


@pytest.fixture
def make_job(qtbot: QtBot) -> Iterator[Callable[..., MatchJob]]:
    jobs: list[MatchJob] = []

    def make(match_fn: Callable[..., tuple[Match, ...]] | None = None) -> MatchJob:
        job = MatchJob(match_fn=match_fn)
        jobs.append(job)
        return job

    yield make
    for job in jobs:
        job.shutdown()


def test_finishes_with_results_and_reports_progress(
    qtbot: QtBot, make_job: Callable[..., MatchJob]
) -> None:
    job = make_job(counting_match)
    a, b = _claims("a", 40), _claims("b", 40)
    reports: list[tuple[int, int]] = []
    job.progress.connect(lambda done, total: reports.append((done, total)))
    with qtbot.waitSignal(job.finished, timeout=TIMEOUT_MS) as blocker:
        job.start(a, b, CONFIG)
        assert job.is_running()
    assert blocker.args == [_pairs(a, b)]
    assert not job.is_running()
    # Throttled, but the first and the last report always arrive, in order.
    assert reports[0] == (1, 40)
    assert reports[-1] == (40, 40)
    assert reports == sorted(reports)


def test_real_matcher_runs_by_default(qtbot: QtBot, make_job: Callable[..., MatchJob]) -> None:
    a = segment_claims(Article(id="a", title="A", source="a", text=TEXT_A))
    b = segment_claims(Article(id="b", title="B", source="b", text=TEXT_B))
    job = make_job()
    with qtbot.waitSignal(job.finished, timeout=TIMEOUT_MS) as blocker:
        job.start(a, b, CONFIG)
    (result,) = blocker.args
    matches = result.shown  # the links, and the related candidates next to them
    assert isinstance(matches, tuple) and matches
    pairs = {(m.a_id, m.b_id) for m in matches}
    rome_a = next(c.id for c in a if "Rome Statute" in c.text)
    rome_b = next(c.id for c in b if "Rome Statute" in c.text)
    assert (rome_a, rome_b) in pairs


def test_cancel_emits_cancelled_and_never_finished(
    qtbot: QtBot, make_job: Callable[..., MatchJob]
) -> None:
    gated = GatedMatch()
    job = make_job(gated)
    with qtbot.waitSignal(job.progress, timeout=TIMEOUT_MS):
        job.start(_claims("a", 3), _claims("b", 3), CONFIG)
    with (
        qtbot.assertNotEmitted(job.finished, wait=50),
        qtbot.assertNotEmitted(job.failed),
        qtbot.waitSignal(job.cancelled, timeout=TIMEOUT_MS),
    ):
        job.cancel()
        assert job.is_running()  # until the worker has actually stopped
    assert not job.is_running()


def test_result_arriving_after_cancel_is_reported_as_cancelled(
    qtbot: QtBot, make_job: Callable[..., MatchJob]
) -> None:
    gated = GatedMatch(honour_cancel=False)  # a matcher that never checks
    job = make_job(gated)
    with qtbot.waitSignal(job.progress, timeout=TIMEOUT_MS):
        job.start(_claims("a", 3), _claims("b", 3), CONFIG)
    with (
        qtbot.assertNotEmitted(job.finished, wait=50),
        qtbot.waitSignal(job.cancelled, timeout=TIMEOUT_MS),
    ):
        job.cancel()
        gated.release.set()


def test_restart_cancels_the_old_run_and_discards_its_result(
    qtbot: QtBot, make_job: Callable[..., MatchJob]
) -> None:
    first_run = GatedMatch(honour_cancel=False)  # would deliver a stale result

    def dispatch(
        a: Sequence[Claim], b: Sequence[Claim], config: MatchConfig, *, progress: Progress
    ) -> tuple[Match, ...]:
        if config.threshold == 10.0:
            return first_run(a, b, config, progress=progress)
        return counting_match(a, b, config, progress=progress)

    job = make_job(dispatch)
    with qtbot.waitSignal(job.progress, timeout=TIMEOUT_MS):
        job.start(_claims("a", 2), _claims("b", 2), MatchConfig(threshold=10.0))
    finished: list[object] = []
    job.finished.connect(finished.append)
    new_a, new_b = _claims("a", 5), _claims("b", 5)
    with (
        qtbot.assertNotEmitted(job.cancelled),
        qtbot.waitSignal(job.finished, timeout=TIMEOUT_MS) as blocker,
    ):
        job.start(new_a, new_b, MatchConfig(threshold=20.0))
        first_run.release.set()
    assert blocker.args == [_pairs(new_a, new_b)]
    assert finished == [_pairs(new_a, new_b)]


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (RuntimeError("index exploded"), "matching failed: RuntimeError: index exploded"),
        (ValueError("unknown scorer 'nope'"), "unknown scorer 'nope'"),
    ],
)
def test_exception_is_reported_as_failed(
    qtbot: QtBot, make_job: Callable[..., MatchJob], error: Exception, message: str
) -> None:
    def broken(*args: object, progress: Progress) -> tuple[Match, ...]:
        progress(0, 1)
        raise error

    job = make_job(broken)
    with (
        qtbot.assertNotEmitted(job.finished),
        qtbot.waitSignal(job.failed, timeout=TIMEOUT_MS) as blocker,
    ):
        job.start(_claims("a", 1), _claims("b", 1), CONFIG)
    assert blocker.args == [message]
    assert not job.is_running()


def test_shutdown_stops_a_running_job_silently(
    qtbot: QtBot, make_job: Callable[..., MatchJob]
) -> None:
    gated = GatedMatch()
    job = make_job(gated)
    with qtbot.waitSignal(job.progress, timeout=TIMEOUT_MS):
        job.start(_claims("a", 3), _claims("b", 3), CONFIG)
    with (
        qtbot.assertNotEmitted(job.cancelled, wait=50),
        qtbot.assertNotEmitted(job.finished),
    ):
        job.shutdown()
        assert not job.is_running()
    # The worker thread has ended: the job can be deleted without Qt warnings.
    job.deleteLater()
