"""File ▸ Compare versions…: two versions of one article in the window's panes, the
old on the left, the new on the right, aligned in order (:mod:`factcheck.versions`).

The comparison is shown as a project whose links are the aligned pairs (edited,
moved and unchanged sentences), so the inspector shows the word diff and its fact
flags for the pair in focus and every review command still works. While it is
shown, the strip between the panes is a :class:`VersionMap` of the changes, and
Next/Previous change (Alt+Down/Alt+Up, as in Meld) walk them. The project says it
is a version comparison (``settings.versions``), so saved and opened again it comes
back in this mode (:meth:`VersionsMode.reopen`), notes and decisions and all.

Signals: ``storeReady(object store)``: show this store of the two versions (the
window replaces its project; for :meth:`reopen`, the store it already shows, now
with the aligned pairs as its matches); ``claimRequested(str claim_id)``: select this claim,
the first of the change being visited; ``failed(str title, str message)``;
``described(str html)``: what became of a sentence only one version has, for the
inspector (where a pair would show its word diff); ``message(str text)``: for the
status bar while the comparison runs ("" when it is done).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QSplitter, QWidget

from factcheck.errors import FactcheckError
from factcheck.loading import load_article
from factcheck.models import Article, Match, Project, ProjectSettings
from factcheck.store import ProjectStore

from .article_view import ArticleView
from .new_comparison import ARTICLE_FILTER
from .tasks import FunctionTask
from .version_map import VersionMap

if TYPE_CHECKING:
    # factcheck.versions (with rapidfuzz) runs in the comparison's worker thread.
    from factcheck.versions import ChangeChunk, SentenceChange, VersionComparison

SCORER = "versions"


class VersionsMode(QObject):
    storeReady = Signal(object)
    claimRequested = Signal(str)
    failed = Signal(str, str)
    described = Signal(str)
    message = Signal(str)

    def __init__(
        self,
        splitter: QSplitter,
        link_view: QWidget,
        views: tuple[ArticleView, ArticleView],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._link_view = link_view
        self.map = VersionMap(*views)
        splitter.insertWidget(splitter.indexOf(link_view) + 1, self.map)
        self.map.hide()
        self.comparison: VersionComparison | None = None
        self._store: ProjectStore | None = None
        self._chunks: tuple[ChangeChunk, ...] = ()
        self._chunk_of: dict[str, int] = {}
        self._row_of: dict[str, int] = {}
        self._current: str | None = None
        self._task = FunctionTask(self)
        self._task.finished.connect(self._on_task_finished)
        self._task.failed.connect(
            lambda error: self.failed.emit("Cannot compare versions", str(error))
        )

    @property
    def active(self) -> bool:
        return self._store is not None

    # -- starting and stopping ---------------------------------------------------

    def ask(self, parent: QWidget, folder: str = "") -> tuple[Path, Path] | None:
        """The old and the new version's files, asked one after the other."""
        old, _ = QFileDialog.getOpenFileName(
            parent, "Compare versions: the OLD version", folder, ARTICLE_FILTER
        )
        if not old:
            return None
        new, _ = QFileDialog.getOpenFileName(
            parent, "Compare versions: the NEW version", str(Path(old).parent), ARTICLE_FILTER
        )
        return (Path(old), Path(new)) if new else None

    def open_files(self, old: Path, new: Path) -> bool:
        try:
            articles = load_article(old, article_id="a"), load_article(new, article_id="b")
        except FactcheckError as error:
            self.failed.emit("Cannot compare versions", str(error))
            return False
        self.start(*articles)
        return True

    def start(self, old: Article, new: Article) -> None:
        """Compare ``old`` with ``new`` off the GUI thread (long articles take seconds);
        ``storeReady`` asks for the result to be shown."""
        self.message.emit("Comparing versions…")
        self._task.start(lambda: (*_compared(old, new), None))

    def reopen(self, store: ProjectStore) -> None:
        """``store`` (shown, without matches) is a saved version comparison: align its
        two articles off the GUI thread, then make the pairs its matches and show the
        changes (dropped if the window shows another project first)."""
        old, new = store.article("a"), store.article("b")
        self.message.emit("Comparing versions…")
        self._task.start(lambda: _reopened(old, new, store))

    def _on_task_finished(
        self, result: tuple[VersionComparison, ProjectStore, tuple[Match, ...] | None]
    ) -> None:
        cmp, store, matches = result
        self.message.emit("")
        if matches is not None:  # reopened: the store shown gets them, on this thread
            store.set_matches(store.settings.match, matches)
        self.comparison, self._store = cmp, store
        self._chunks = cmp.chunks()
        self._chunk_of, self._row_of = {}, {}
        for n, row in enumerate(cmp.rows):
            for claim in (row.old, row.new):
                if claim is not None:
                    self._row_of[claim.id] = n
        for n, chunk in enumerate(self._chunks):
            for row in chunk.rows:
                for claim in (row.old, row.new):
                    if claim is not None:
                        self._chunk_of[claim.id] = n
        self._current = None
        self.map.set_chunks(self._chunks)
        self._link_view.hide()
        self.map.show()
        self.storeReady.emit(store)
        self.step(1)

    def showing(self, store: ProjectStore) -> None:
        """The window now shows ``store``: another project ends the version compare (and
        drops one still being computed); a saved version comparison starts again."""
        if self._task.is_running():
            self._task.abandon()
        if self._store is not None and store is not self._store:
            self.stop()
        if store.settings.versions and store is not self._store:
            self.reopen(store)

    def stop(self) -> None:
        self.comparison, self._store, self._chunks = None, None, ()
        self._chunk_of, self._row_of, self._current = {}, {}, None
        self.map.set_chunks(())
        self.map.hide()
        self._link_view.show()

    # -- navigation ----------------------------------------------------------------

    @property
    def chunks(self) -> tuple[ChangeChunk, ...]:
        return self._chunks

    @property
    def current_chunk(self) -> int | None:
        return self._chunk_of.get(self._current) if self._current else None

    def follow(self, claim_id: str) -> None:
        """The window selected ``claim_id``: highlight the change it belongs to."""
        self._current = claim_id or None
        self.map.set_current(self.current_chunk)
        row = self._row(claim_id)
        if row is not None and (row.old is None or row.new is None):
            self.described.emit(_describe(row))

    def step(self, step: int) -> bool:
        """Visit the next (``step=1``) or previous change; False when there is none."""
        if not self._chunks or self.comparison is None:
            return False
        starts = [self._first_row(c) for c in self._chunks]
        here = self._row_of.get(self._current, -1) if self._current else -1
        chunk = self.current_chunk
        if step > 0:
            after = starts[chunk] if chunk is not None else here
            target = next((n for n, s in enumerate(starts) if s > after), None)
        else:
            before = starts[chunk] if chunk is not None else here
            if here < 0:
                before = len(self.comparison.rows)
            target = next((n for n in range(len(starts) - 1, -1, -1) if starts[n] < before), None)
        if target is None:
            return False
        first = self._chunks[target].rows[0]
        claim = first.old if first.old is not None else first.new
        assert claim is not None
        self.claimRequested.emit(claim.id)
        return True

    def _row(self, claim_id: str) -> SentenceChange | None:
        n = self._row_of.get(claim_id) if claim_id else None
        return self.comparison.rows[n] if n is not None and self.comparison else None

    def _first_row(self, chunk: ChangeChunk) -> int:
        row = chunk.rows[0]
        claim = row.old if row.old is not None else row.new
        assert claim is not None
        return self._row_of[claim.id]


def _aligned(old: Article, new: Article) -> tuple[VersionComparison, tuple[Match, ...]]:
    """The comparison and its aligned pairs as matches (no Qt: runs in a worker thread)."""
    from factcheck.versions import compare_versions

    cmp = compare_versions(old, new)
    matches = tuple(
        Match(row.old.id, row.new.id, row.similarity, SCORER)
        for row in cmp.rows
        if row.old is not None and row.new is not None
    )
    return cmp, matches


def _reopened(
    old: Article, new: Article, store: ProjectStore
) -> tuple[VersionComparison, ProjectStore, tuple[Match, ...]]:
    """A saved comparison's alignment, for ``store`` (no Qt: runs in a worker thread)."""
    cmp, matches = _aligned(old, new)
    return cmp, store, matches


def _compared(old: Article, new: Article) -> tuple[VersionComparison, ProjectStore]:
    """The comparison and a new version-comparison project's store whose matches are
    the aligned pairs (no Qt: this runs in a worker thread)."""
    cmp, matches = _aligned(old, new)
    project = Project(
        article_a=old,
        article_b=new,
        settings=ProjectSettings(versions=True),
        name=f"Versions {Path(old.source).name} → {Path(new.source).name}",
    )
    return cmp, ProjectStore(project, matches=matches)


def _describe(row: SentenceChange) -> str:
    """An added or removed sentence, in words, with where it goes in the other version."""
    if row.new is not None:
        return (
            f"<p><b>Added</b> in the new version (B{row.new.index + 1}); in the old one it "
            f"would stand before A{row.old_gap + 1}.</p>"
        )
    assert row.old is not None
    return (
        f"<p><b>Removed</b> from the new version (A{row.old.index + 1} of the old one); it "
        f"stood before what is now B{row.new_gap + 1}.</p>"
    )
