"""The matching toolbar (threshold, scorer) and the status bar's progress and counts.

With the default ``confidence`` scorer the threshold is a minimum confidence (%) that
two claims state the same fact ("Min. confidence %"); with the other scorers it is a
minimum score on their own 0–100 scale ("Min. score"). A project saved with an older
scorer keeps it, and its threshold keeps its meaning. Each run's related candidates
(below the threshold) are kept here for the inspector, not saved.

Scorers that need the semantic stage (the shipped sentence encoder) are listed even
when its model files are missing, disabled, with a tooltip that says which file.

Changing a setting re-matches in a :class:`MatchJob` (off the GUI thread) with a
progress bar and a Cancel button in the status bar; the result becomes one undo
command (the window applies it: ``matchesReady``). Cancelling puts the controls back
to the settings in use. With a semantic scorer the lexical matches come first, while
the encoder loads and encodes ("Semantic refinement…" follows): cancelling then keeps
them when the project had no matches before (a newly opened one), and otherwise goes
back to the settings and matches in use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QProgressBar,
    QStatusBar,
    QToolBar,
    QToolButton,
    QWidget,
)

from factcheck.errors import FactcheckError

# Only the light parts of the matcher here: the engine (numpy, rapidfuzz) is imported
# by the matching job's worker thread, after the window has shown.
from factcheck.matching import SCORERS, encoder_problem
from factcheck.models import Match, MatchConfig

from .background import MatchJob
from .mnemonics import warning
from .own_keys import keep_own_keys
from .project_io import SYNC_MATCH_PAIRS
from .threshold_scale import threshold_for_scorer

if TYPE_CHECKING:
    from factcheck.matching import MatchResult
    from factcheck.store import ProjectStore

    from .app_settings import AppSettings

#: Wait this long after the last threshold step before re-matching.
DEBOUNCE_MS = 350


#: The threshold's label and tooltip per meaning of the score.
CONFIDENCE_LABEL = " &Threshold: min. confidence % "
CONFIDENCE_TIP = (
    "Show a link when the confidence that both claims state the same fact is at least"
    " this much (%); weaker candidates are listed as related in the inspector"
)
SCORE_LABEL = " &Threshold: min. score "
SCORE_TIP = "Keep matches scoring at least this much (0–100)"


def related_by_claim(related: Sequence[Match]) -> dict[str, list[tuple[float, str]]]:
    """Each claim's related candidates (score, other claim id), best first."""
    out: dict[str, list[tuple[float, str]]] = {}
    for m in related:
        out.setdefault(m.a_id, []).append((m.score, m.b_id))
        out.setdefault(m.b_id, []).append((m.score, m.a_id))
    for partners in out.values():
        partners.sort(key=lambda p: -p[0])
    return out


class MatchControls(QObject):
    """The toolbar's widgets and the status bar's progress, cancel and counts. It reads
    the store through ``store()``, remembers a changed setting in ``settings``.

    Signals: ``matchesReady(MatchConfig config, tuple matches, bool undoable)`` when a
    run finished (undoable unless it was a newly opened project's first matching), and
    not undoable for the lexical preview of a semantic run and for putting back what
    the preview replaced;
    ``relatedChanged()`` when the related candidates kept for the inspector changed."""

    matchesReady = Signal(object, object, bool)
    #: The related candidates of the last run changed (see ``related_of``).
    relatedChanged = Signal()

    def __init__(
        self,
        window: QWidget,
        status: QStatusBar,
        store: Callable[[], ProjectStore | None],
        settings: AppSettings | None = None,
    ) -> None:
        super().__init__(window)
        self._parent = window
        self._status = status
        self._store = store
        self._settings = settings
        self.toolbar = QToolBar("Matching", window)
        self.toolbar.setObjectName("matchToolbar")
        self.threshold = QDoubleSpinBox(window)
        self.threshold.setObjectName("threshold")
        self.threshold.setRange(0, 100)
        self.threshold.setDecimals(0)
        self.threshold.setSingleStep(5)
        self.threshold.setToolTip(CONFIDENCE_TIP)
        self.threshold_label = QLabel(CONFIDENCE_LABEL, window)
        self.threshold_label.setObjectName("thresholdLabel")
        self.threshold_label.setBuddy(self.threshold)
        #: claim id → (score, other claim id) below the threshold, from the last run,
        #: and the settings of that run (related candidates of other settings are stale).
        self.related: dict[str, list[tuple[float, str]]] = {}
        self.related_config: MatchConfig | None = None
        self.scorer = QComboBox(window)
        self.scorer.setObjectName("scorer")
        semantic_off = encoder_problem()
        for name, spec in SCORERS.items():
            self.scorer.addItem(name, name)
            i = self.scorer.count() - 1
            tip = spec.description
            if spec.semantic and semantic_off:
                # Listed, so the user learns the scorer exists, but not choosable.
                tip = f"Semantic stage off (lexical only): {semantic_off}"
                item = cast(QStandardItemModel, self.scorer.model()).item(i)
                item.setEnabled(False)
            self.scorer.setItemData(i, tip, Qt.ItemDataRole.ToolTipRole)
        self.scorer.setToolTip(
            "How claims are compared"
            + (f" (semantic stage off: {semantic_off})" if semantic_off else "")
        )
        keep_own_keys(self.threshold)
        keep_own_keys(self.scorer, typing=True)
        # Alt+T and Alt+O reach the toolbar from anywhere (the labels' buddies).
        scorer_label = QLabel("  Sc&orer ", window)
        scorer_label.setBuddy(self.scorer)
        for label, control in (
            (self.threshold_label, self.threshold),
            (scorer_label, self.scorer),
        ):
            self.toolbar.addWidget(label)
            self.toolbar.addWidget(control)

        self.counts = QLabel(window)
        self.counts.setObjectName("reviewCounts")
        self.progress = QProgressBar(window)
        self.progress.setObjectName("matchProgress")
        self.progress.setMaximumWidth(200)
        self.progress.setFormat("Matching… %p%")
        self.cancel_button = QToolButton(window)
        self.cancel_button.setObjectName("cancelMatching")
        self.cancel_button.setText("Cancel")
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)
        status.addPermanentWidget(self.counts)
        self.progress.hide()
        self.cancel_button.hide()

        self.job = MatchJob(self)
        self._pending: MatchConfig | None = None
        self._initial = False
        # While a preview is shown: the settings and matches it replaced.
        self._before_preview: tuple[MatchConfig, tuple[Match, ...]] | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_settings_changed)
        self.threshold.valueChanged.connect(lambda _v: self._debounce.start())
        self.scorer.currentIndexChanged.connect(lambda _i: self._on_scorer_changed())
        self.cancel_button.clicked.connect(self.job.cancel)
        self.job.progress.connect(self._on_job_progress)
        self.job.preview.connect(self._on_job_preview)
        self.job.finished.connect(self._on_job_finished)
        self.job.failed.connect(self._on_job_failed)
        self.job.cancelled.connect(self._on_job_cancelled)

    def show_config(self, config: MatchConfig) -> None:
        """Show the settings in use (after load, undo, cancel) without re-matching."""
        with QSignalBlocker(self.threshold), QSignalBlocker(self.scorer):
            self.threshold.setValue(config.threshold)
            i = self.scorer.findData(config.scorer)
            if i < 0:  # e.g. a scorer of a newer version
                self.scorer.addItem(config.scorer, config.scorer)
                i = self.scorer.count() - 1
            self.scorer.setCurrentIndex(i)
        self._show_meaning(config.scorer)

    def _show_meaning(self, scorer: str) -> None:
        is_confidence = scorer == "confidence"
        self.threshold_label.setText(CONFIDENCE_LABEL if is_confidence else SCORE_LABEL)
        self.threshold.setToolTip(CONFIDENCE_TIP if is_confidence else SCORE_TIP)

    def current_config(self) -> MatchConfig:
        store = self._store()
        base = store.settings.match if store is not None else MatchConfig()
        return replace(
            base, threshold=float(self.threshold.value()), scorer=str(self.scorer.currentData())
        )

    def is_running(self) -> bool:
        return self.job.is_running()

    def start(self, config: MatchConfig, *, initial: bool = False) -> None:
        store = self._store()
        assert store is not None
        self._drop_preview()
        self._pending, self._initial = config, initial
        self.progress.setFormat("Matching… %p%")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.job.start(store.claims("a"), store.claims("b"), config)

    def cancel(self) -> None:
        """Stop any run and forget its result (a new project is being loaded)."""
        self._debounce.stop()
        if self.job.is_running():
            self.job.shutdown()
        self._pending = None
        self._before_preview = None
        self._hide_progress()
        if self.related:
            self.related, self.related_config = {}, None
            self.relatedChanged.emit()

    def find_related(self) -> None:
        """The related candidates of a project opened with its matches (small ones only,
        here and now: a large one has them after its next matching run)."""
        store = self._store()
        if store is None:
            return
        a, b, config = store.claims("a"), store.claims("b"), store.settings.match
        if len(a) * len(b) > SYNC_MATCH_PAIRS:
            return
        from factcheck.matching import match_with_related

        try:
            related = match_with_related(a, b, config).related
        except (FactcheckError, ValueError):  # e.g. a scorer whose stage is missing
            return
        self.related, self.related_config = related_by_claim(related), config
        self.relatedChanged.emit()

    def related_of(self, claim_id: str, config: MatchConfig) -> list[tuple[float, str]]:
        """The claim's related candidates, if they come from a run with ``config``."""
        return self.related.get(claim_id, []) if config == self.related_config else []

    def _on_scorer_changed(self) -> None:
        store = self._store()
        if store is not None:  # the threshold keeps its meaning on the new scale
            value = threshold_for_scorer(
                store.settings.match.scorer, str(self.scorer.currentData()), self.threshold.value()
            )
            with QSignalBlocker(self.threshold):
                self.threshold.setValue(value)
        self._show_meaning(str(self.scorer.currentData()))
        self._on_settings_changed()

    def _on_settings_changed(self) -> None:
        store = self._store()
        if store is None:
            return
        config = self.current_config()
        if config == store.settings.match and not self.job.is_running():
            return
        if self._settings is not None:
            self._settings.set_match_config(config)
        self.start(config)

    def _on_job_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _on_job_preview(self, config: MatchConfig, matches: tuple[Match, ...]) -> None:
        store = self._store()
        if self._pending is None or store is None:
            return
        if self._before_preview is None:
            self._before_preview = (store.settings.match, store.matches)
        self.matchesReady.emit(config, matches, False)
        self.progress.setFormat("Semantic refinement… %p%")
        self.progress.setRange(0, 0)
        self._status.showMessage(
            f"{len(matches)} lexical matches shown; semantic refinement running", 5000
        )

    def _drop_preview(self) -> None:
        """Put back what a preview replaced (no undo step)."""
        before, self._before_preview = self._before_preview, None
        if before is not None:
            self.matchesReady.emit(*before, False)

    def _on_job_finished(self, result: MatchResult | tuple[Match, ...]) -> None:
        config, initial = self._pending, self._initial
        self._pending = None
        self._hide_progress()
        if config is None:
            return
        if initial:
            self._before_preview = None
        self._drop_preview()  # the undo step goes from the settings before the preview
        from factcheck.matching import MatchResult, stage_note

        matches = result.shown if isinstance(result, MatchResult) else result
        related = result.related if isinstance(result, MatchResult) else ()
        self.related, self.related_config = related_by_claim(related), config
        self.matchesReady.emit(config, matches, not initial)
        self.relatedChanged.emit()
        if config.scorer == "confidence":
            message = (
                f"{len(matches)} likely the same claim (confidence ≥ {config.threshold:g} %),"
                f" {len(related)} related"
            )
            note = stage_note(config.scorer)
            if note:
                message += f"; {note}"
        else:
            message = f"{len(matches)} matches with {config.scorer} ≥ {config.threshold:g}"
        self._status.showMessage(message, 8000)

    def _on_job_failed(self, message: str) -> None:
        self._pending = None
        self._drop_preview()
        self._hide_progress()
        self._restore()
        warning(self._parent, "Matching failed", message)

    def _on_job_cancelled(self) -> None:
        self._pending = None
        self._hide_progress()
        if self._initial and self._before_preview is not None:
            # Nothing to go back to: the lexical matches stay, under their own settings.
            self._before_preview = None
            self._restore()
            self._status.showMessage("Semantic refinement cancelled; lexical matches shown.", 5000)
            return
        self._drop_preview()
        self._restore()
        self._status.showMessage("Matching cancelled; settings unchanged.", 5000)

    def _restore(self) -> None:
        store = self._store()
        if store is not None:
            self.show_config(store.settings.match)

    def _hide_progress(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
