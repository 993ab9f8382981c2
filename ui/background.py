"""Claim matching off the GUI thread, with progress, cancel and stale-result guarding.

A scorer with the semantic stage first gives the lexical result (``preview``) when
the sentence encoder still has texts to encode (loading the model and encoding two
long articles takes a while), then the semantic one; both in the same worker. The
default ``confidence`` scorer does the same on long articles, its first result coming
from its lexical-only model (the one it uses when the encoder is missing).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from factcheck.errors import FactcheckError
from factcheck.models import Claim, MatchConfig

#: What a run returns: the links, or (the default, ``match_with_related``) a
#: ``MatchResult`` with the links and the related candidates.
MatchFn = Callable[..., object]
#: What to match first, without the sentence encoder, while the full run follows (None:
#: no preview needed).
PreviewFn = Callable[[Sequence[Claim], Sequence[Claim], MatchConfig], MatchConfig | None]
#: Texts to encode from which the confidence scorer shows its lexical-only result
#: first (encoding runs at a few hundred sentences a second on two cores).
CONFIDENCE_PREVIEW_TEXTS = 500

#: Progress reports closer together than this are dropped (the first and last are
#: always sent): a matcher may report thousands of times a second.
PROGRESS_INTERVAL_S = 0.03


class MatchJob(QObject):
    """Runs ``match_claims`` in a worker thread; one run at a time.

    Signals (each run ends with exactly one of the last three, unless a newer
    ``start()`` replaced it, in which case it ends silently):

    * ``progress(done, total)`` — restarts from 0 after a preview
    * ``preview(config, matches)`` — the quick result of ``config`` (lexical, or the
      confidence without the encoder) while the semantic refinement of the requested
      settings runs; at most once per run
    * ``finished(matches)`` — a ``tuple[Match, ...]``
    * ``failed(message)``
    * ``cancelled()``
    """

    progress = Signal(int, int)
    preview = Signal(object, object)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        match_fn: MatchFn | None = None,
        preview_fn: PreviewFn | None = None,
    ) -> None:
        super().__init__(parent)
        self._match_fn = match_fn
        self._preview_fn = preview_fn or lexical_preview
        # A private pool of one thread: a replaced run is cancelled and ends at its
        # next progress report before the new one starts, so runs never compete.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._bridge = _Bridge(self)
        self._bridge.progress.connect(self._on_bridge_progress)
        self._bridge.preview.connect(self._on_bridge_preview)
        self._bridge.finished.connect(self._on_bridge_finished)
        self._bridge.failed.connect(self._on_bridge_failed)
        self._bridge.cancelled.connect(self._on_bridge_cancelled)
        self._generation = 0
        self._stop: threading.Event | None = None  # the current run's, while it runs

    def start(
        self, a_claims: Sequence[Claim], b_claims: Sequence[Claim], config: MatchConfig
    ) -> None:
        """Match in the background; a run still going is cancelled and its result dropped."""
        if self._stop is not None:
            self._stop.set()
        self._generation += 1
        self._stop = threading.Event()
        run = _MatchRun(
            self._generation,
            (self._resolved_match_fn(), self._preview_fn),
            (tuple(a_claims), tuple(b_claims), config),
            self._stop,
            self._bridge,
        )
        self._pool.start(run)

    def cancel(self) -> None:
        """Ask the current run to stop; ``cancelled`` follows once it has."""
        if self._stop is not None:
            self._stop.set()

    def is_running(self) -> bool:
        """True from ``start()`` until the run's final signal."""
        return self._stop is not None

    def shutdown(self) -> None:
        """Cancel, wait for the worker thread and drop any result still on its way."""
        self.cancel()
        self._generation += 1
        self._stop = None
        self._pool.waitForDone()

    def _resolved_match_fn(self) -> MatchFn:
        if self._match_fn is None:
            from factcheck.matching import match_with_related  # heavy (numpy): when needed

            self._match_fn = match_with_related
        return self._match_fn

    def _is_current(self, generation: int) -> bool:
        return generation == self._generation and self._stop is not None

    @Slot(int, int, int)
    def _on_bridge_progress(self, generation: int, done: int, total: int) -> None:
        if self._is_current(generation):
            self.progress.emit(done, total)

    @Slot(int, object, object)
    def _on_bridge_preview(self, generation: int, config: object, matches: object) -> None:
        if self._is_current(generation) and not (self._stop is not None and self._stop.is_set()):
            self.preview.emit(config, matches)

    @Slot(int, object)
    def _on_bridge_finished(self, generation: int, matches: object) -> None:
        if not self._is_current(generation):
            return
        stop, self._stop = self._stop, None
        # cancel() may have come after the worker finished but before this arrived.
        if stop is not None and stop.is_set():
            self.cancelled.emit()
        else:
            self.finished.emit(matches)

    @Slot(int, str)
    def _on_bridge_failed(self, generation: int, message: str) -> None:
        if self._is_current(generation):
            self._stop = None
            self.failed.emit(message)

    @Slot(int)
    def _on_bridge_cancelled(self, generation: int) -> None:
        if self._is_current(generation):
            self._stop = None
            self.cancelled.emit()


class _Bridge(QObject):
    """Lives in the GUI thread: signals emitted from the worker arrive there queued."""

    progress = Signal(int, int, int)
    preview = Signal(int, object, object)
    finished = Signal(int, object)
    failed = Signal(int, str)
    cancelled = Signal(int)


class _MatchRun(QRunnable):
    def __init__(
        self,
        generation: int,
        functions: tuple[MatchFn, PreviewFn],
        args: tuple[tuple[Claim, ...], tuple[Claim, ...], MatchConfig],
        stop: threading.Event,
        bridge: _Bridge,
    ) -> None:
        super().__init__()
        self._generation = generation
        self._match_fn, self._preview_fn = functions
        self._args = args
        self._stop = stop
        self._bridge = bridge
        self._last_report = 0.0

    def run(self) -> None:
        generation = self._generation
        if self._stop.is_set():  # replaced before it even started
            self._bridge.cancelled.emit(generation)
            return
        a, b, config = self._args
        try:
            quick = self._preview_fn(a, b, config)
            if quick is not None:
                first: Any = self._match_fn(a, b, quick, progress=self._report, with_encoder=False)
                if self._stop.is_set():
                    self._bridge.cancelled.emit(generation)
                    return
                self._bridge.preview.emit(generation, quick, _links(first))
                self._last_report = 0.0
            matches: Any = self._match_fn(*self._args, progress=self._report)
        except Exception as error:
            if self._stop.is_set() or _is_match_cancelled(error):
                self._bridge.cancelled.emit(generation)
            else:
                self._bridge.failed.emit(generation, _message(error))
            return
        if self._stop.is_set():
            self._bridge.cancelled.emit(generation)
        else:
            self._bridge.finished.emit(
                generation, matches if hasattr(matches, "shown") else tuple(matches)
            )

    def _report(self, done: int, total: int) -> bool:
        if self._stop.is_set():
            return False
        now = time.monotonic()
        first = self._last_report == 0.0
        if first or done >= total or now - self._last_report >= PROGRESS_INTERVAL_S:
            self._last_report = now
            self._bridge.progress.emit(self._generation, done, total)
        return True


def _links(result: Any) -> tuple[Any, ...]:
    """The links of a run's result (a ``MatchResult`` or the links themselves)."""
    return tuple(result.shown if hasattr(result, "shown") else result)


def _message(error: Exception) -> str:
    if isinstance(error, FactcheckError | ValueError) and str(error):
        return str(error)  # written for users: bad settings, bad input
    detail = f": {error}" if str(error) else ""
    return f"matching failed: {type(error).__name__}{detail}"


def _is_match_cancelled(error: Exception) -> bool:
    from factcheck.matching import MatchCancelled

    return isinstance(error, MatchCancelled)


def lexical_preview(
    a: Sequence[Claim], b: Sequence[Claim], config: MatchConfig
) -> MatchConfig | None:
    """The settings to match first, without the sentence encoder, when ``config`` uses
    it and some of the texts are not encoded yet (None: the run is quick as it is).

    A semantic scorer shows the ``lexical`` scorer first; ``confidence`` itself (its
    lexical-only model) when at least ``CONFIDENCE_PREVIEW_TEXTS`` texts are to encode.
    """
    from factcheck.matching import SCORERS, encoder

    spec = SCORERS.get(config.scorer)
    needs_encoder = spec is not None and (spec.semantic or config.scorer == "confidence")
    if not needs_encoder or encoder.encoder_problem():
        return None
    missing = encoder.uncached([c.text for c in (*a, *b)])
    if spec is not None and spec.semantic:
        return replace(config, scorer="lexical") if missing else None
    return config if missing >= CONFIDENCE_PREVIEW_TEXTS else None
