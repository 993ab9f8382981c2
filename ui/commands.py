"""Every undo command of the app: one per user change. Each calls a store setter; undo
restores the exact previous value (timestamps included), so undo → save gives the same
file. :class:`ReplaceStoreCommand` is the exception: it swaps whole stores (an article
update), through the callables the window gives it.

Typing in a note pushes a :class:`SetNoteCommand` per keystroke; consecutive ones on
the same claim merge (``id()``/``mergeWith()``), so one Ctrl+Z removes the whole edit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from factcheck.claimref import claim_label
from factcheck.models import (
    Annotation,
    Article,
    Link,
    LinkState,
    Match,
    MatchConfig,
    Orphan,
    ReviewerSettings,
    Verdict,
)
from factcheck.store import ProjectStore

if TYPE_CHECKING:
    from factcheck.library import AddResult, ClaimLibrary, LibraryEntry

NOTE_COMMAND_ID = 1001


class _AnnotationCommand(QUndoCommand):
    """Redo applies the change once, then replays the exact resulting annotation."""

    def __init__(self, store: ProjectStore, claim_id: str, text: str) -> None:
        super().__init__(text)
        self._store = store
        self.claim_id = claim_id
        self._before: Annotation | None = None
        self._after: Annotation | None = None

    def redo(self) -> None:
        if self._after is None:
            self._before = self._store.annotation(self.claim_id)
            self._apply()
            self._after = self._store.annotation(self.claim_id)
        else:
            self._store.set_annotation(self.claim_id, self._after)

    def undo(self) -> None:
        self._store.set_annotation(self.claim_id, self._before)

    def _apply(self) -> None:
        raise NotImplementedError


class SetVerdictCommand(_AnnotationCommand):
    def __init__(self, store: ProjectStore, claim_id: str, verdict: Verdict) -> None:
        super().__init__(store, claim_id, f"Mark {claim_label(claim_id)} {verdict.value}")
        self.verdict = verdict

    def _apply(self) -> None:
        self._store.set_verdict(self.claim_id, self.verdict)


class SetNoteCommand(_AnnotationCommand):
    def __init__(self, store: ProjectStore, claim_id: str, note: str) -> None:
        super().__init__(store, claim_id, f"Edit note on {claim_label(claim_id)}")
        self.note = note

    def _apply(self) -> None:
        self._store.set_note(self.claim_id, self.note)

    def id(self) -> int:
        return NOTE_COMMAND_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetNoteCommand) or other.claim_id != self.claim_id:
            return False
        self.note = other.note
        self._after = other._after
        return True


class SetEvidenceCommand(_AnnotationCommand):
    def __init__(self, store: ProjectStore, claim_id: str, urls: Sequence[str]) -> None:
        super().__init__(store, claim_id, f"Edit evidence on {claim_label(claim_id)}")
        self.urls = tuple(urls)

    def _apply(self) -> None:
        self._store.set_evidence(self.claim_id, self.urls)


class SetTagsCommand(_AnnotationCommand):
    def __init__(self, store: ProjectStore, claim_id: str, tags: Sequence[str]) -> None:
        super().__init__(store, claim_id, f"Edit tags on {claim_label(claim_id)}")
        self.tags = tuple(tags)

    def _apply(self) -> None:
        self._store.set_tags(self.claim_id, self.tags)


class SetLinkCommand(QUndoCommand):
    """Confirm, reject, link by hand or forget (``state=None``) the pair ``a_id``–``b_id``."""

    def __init__(self, store: ProjectStore, a_id: str, b_id: str, state: LinkState | None) -> None:
        verb = {
            None: "Reset link",
            LinkState.CONFIRMED: "Confirm link",
            LinkState.REJECTED: "Reject link",
            LinkState.MANUAL: "Link",
            LinkState.SUGGESTED: "Reset link",
        }[state]
        super().__init__(f"{verb} {claim_label(a_id)}–{claim_label(b_id)}")
        self._store = store
        self.key = (a_id, b_id)
        self.state = state
        self._before: Link | None = None
        self._after: Link | None = None
        self._done = False

    def redo(self) -> None:
        if not self._done:
            self._before = self._store.link(*self.key)
            self._store.set_link(*self.key, self.state)
            self._after = self._store.link(*self.key)
            self._done = True
        else:
            self._store.put_link(self.key, self._after)

    def undo(self) -> None:
        self._store.put_link(self.key, self._before)


class SetMatchConfigCommand(QUndoCommand):
    """New matcher settings with the matches computed for them (off the GUI thread)."""

    def __init__(
        self, store: ProjectStore, config: MatchConfig, matches: tuple[Match, ...]
    ) -> None:
        super().__init__(f"Match with {config.scorer} ≥ {config.threshold:g}")
        self._store = store
        self.config = config
        self._matches = matches
        self._before: tuple[MatchConfig, tuple[Match, ...]] | None = None

    def redo(self) -> None:
        self._before = self._store.set_matches(self.config, self._matches)

    def undo(self) -> None:
        assert self._before is not None
        self._store.set_matches(*self._before)


class SetReviewerCommand(QUndoCommand):
    """Who reviews (name and page URL), as ClaimReview export needs it."""

    def __init__(self, store: ProjectStore, reviewer: ReviewerSettings) -> None:
        super().__init__("Set reviewer")
        self._store = store
        self.reviewer = reviewer
        self._before: ReviewerSettings | None = None

    def redo(self) -> None:
        settings = self._store.settings
        self._before = settings.reviewer
        self._store.set_settings(replace(settings, reviewer=self.reviewer))

    def undo(self) -> None:
        assert self._before is not None
        self._store.set_settings(replace(self._store.settings, reviewer=self._before))


class ReattachOrphanCommand(QUndoCommand):
    """Put orphan ``index`` back on ``claim_id``. The constructor raises ``ValueError``
    (with a reason written for the user) when that is not possible.

    The core (:func:`factcheck.update.reattach_orphan`) decides: an orphaned link's other
    end is looked up again by its quote, in case that article was updated since."""

    def __init__(self, store: ProjectStore, index: int, claim_id: str) -> None:
        from factcheck.update import reattach_orphan

        orphan = store.orphans[index]
        what = "note" if orphan.annotation is not None else "link"
        super().__init__(f"Re-attach orphaned {what} to {claim_label(claim_id)}")
        self._store = store
        self.claim_id = claim_id
        updated = reattach_orphan(store.project(), index, claim_id)
        self._orphans = updated.orphans
        self._annotation: Annotation | None = None
        self._link: Link | None = None
        if orphan.annotation is not None:
            self._annotation = next(a for a in updated.annotations if a.claim_id == claim_id)
        else:
            old_keys = {link.key for link in store.links()}
            self._link = next(lk for lk in updated.links if lk.key not in old_keys)
        self._before: tuple[tuple[Orphan, ...], Annotation | Link | None] | None = None

    def redo(self) -> None:
        if self._annotation is not None:
            previous: Annotation | Link | None = self._store.set_annotation(
                self.claim_id, self._annotation
            )
        else:
            assert self._link is not None
            previous = self._store.put_link(self._link.key, self._link)
        self._before = (self._store.set_orphans(self._orphans), previous)

    def undo(self) -> None:
        assert self._before is not None
        orphans, previous = self._before
        if self._annotation is not None:
            assert previous is None or isinstance(previous, Annotation)
            self._store.set_annotation(self.claim_id, previous)
        else:
            assert self._link is not None and (previous is None or isinstance(previous, Link))
            self._store.put_link(self._link.key, previous)
        self._store.set_orphans(orphans)


class ReplaceStoreCommand(QUndoCommand):
    """Show another store (a new version of the project); undo shows the previous store
    object again, so the commands below this one still act on it.

    ``current()`` is the store shown now, ``matching()`` whether its matching is still
    running, and ``show(store, needs_matching)`` shows a store keeping the selection."""

    def __init__(
        self,
        store: ProjectStore,
        text: str,
        *,
        needs_matching: bool,
        current: Callable[[], ProjectStore | None],
        matching: Callable[[], bool],
        show: Callable[[ProjectStore, bool], None],
    ) -> None:
        super().__init__(text)
        self._new = store
        self._old: ProjectStore | None = None
        self._needs: dict[int, bool] = {id(store): needs_matching}
        self._current, self._matching, self._show_store = current, matching, show

    def redo(self) -> None:
        if self._old is None:
            self._old = self._current()
            assert self._old is not None
            # A store whose matching was still running when it was replaced matches again.
            self._needs[id(self._old)] = self._matching()
        self._show(self._new)

    def undo(self) -> None:
        assert self._old is not None
        self._show(self._old)

    def _show(self, store: ProjectStore) -> None:
        self._show_store(store, self._needs[id(store)] and not store.matches)


class ReconfirmCommand(QUndoCommand):
    """The reviewer has checked a claim's new text: clear its "changed since reviewed"
    state (its annotation's and its link ends'); undo puts the old quotes back."""

    def __init__(self, store: ProjectStore, claim_id: str) -> None:
        super().__init__(f"Re-confirm {claim_label(claim_id)} on its new text")
        self._store = store
        self.claim_id = claim_id
        self._before: tuple[Annotation | None, tuple[Link, ...]] | None = None
        self._after: tuple[Annotation | None, tuple[Link | None, ...]] | None = None

    def redo(self) -> None:
        if self._after is None:
            self._before = self._store.reconfirm(self.claim_id)
            links = tuple(self._store.link(*link.key) for link in self._before[1])
            self._after = (self._store.annotation(self.claim_id), links)
            return
        annotation, links = self._after
        self._store.set_annotation(self.claim_id, annotation)
        assert self._before is not None
        for old, new in zip(self._before[1], links, strict=True):
            self._store.put_link(old.key, new)

    def undo(self) -> None:
        assert self._before is not None
        annotation, links = self._before
        self._store.set_annotation(self.claim_id, annotation)
        for link in links:
            self._store.put_link(link.key, link)


class ApplyPriorCheckCommand(_AnnotationCommand):
    """A prior check's verdict and note on the current claim, as one step."""

    def __init__(self, store: ProjectStore, claim_id: str, verdict: Verdict, note: str) -> None:
        super().__init__(store, claim_id, f"Apply prior check to {claim_label(claim_id)}")
        self.verdict, self.note = verdict, note

    def _apply(self) -> None:
        self._store.set_verdict(self.claim_id, self.verdict)
        self._store.set_note(self.claim_id, self.note)


#: An add from the app embeds its entries at once up to this many (a fraction of a
#: second); a bigger one leaves them to the next lookup, in the background.
EMBED_IN_APP = 200


def _embed_now(count: int) -> bool | None:
    return None if count <= EMBED_IN_APP else False


class AddToLibraryCommand(QUndoCommand):
    """Entries into the claim library; undo removes the new ones and puts back the ones
    it updated. ``library`` opens the library (each step opens and closes it).

    :meth:`run` does the first add, raising ``LibraryError``, before the command is
    pushed (a failed add never reaches the undo stack); ``redo`` repeats it later."""

    def __init__(
        self, library: Callable[[], ClaimLibrary], entries: Sequence[LibraryEntry]
    ) -> None:
        count = len(entries)
        super().__init__(f"Add {count} claim{'s' if count != 1 else ''} to the library")
        self._library = library
        self._entries = tuple(entries)
        self._before: dict[str, LibraryEntry] = {}
        self._done = False
        self.result: AddResult | None = None

    def run(self) -> AddResult:
        with self._library() as library:
            self._before = library.by_keys(e.key for e in self._entries)
            self.result = library.add(self._entries, embed=_embed_now(len(self._entries)))
        self._done = True
        return self.result

    def redo(self) -> None:
        if not self._done:
            self.run()

    def undo(self) -> None:
        with self._library() as library:
            library.remove({e.key for e in self._entries} - set(self._before))
            library.add(self._before.values(), embed=_embed_now(len(self._before)))
        self._done = False


class SetArticleDetailsCommand(QUndoCommand):
    """An article's title, URL, date, author and outlet (Article ▸ Details…)."""

    def __init__(self, store: ProjectStore, article: Article) -> None:
        super().__init__(f"Edit details of article {article.id.upper()}")
        self._store = store
        self._article = article
        self._before: Article | None = None

    def redo(self) -> None:
        self._before = self._store.set_article_details(self._article)

    def undo(self) -> None:
        assert self._before is not None
        self._store.set_article_details(self._before)


class SetSummaryCommand(_AnnotationCommand):
    """The claim's ClaimReview summary (``claimReviewed``); "" restores the default."""

    def __init__(self, store: ProjectStore, claim_id: str, summary: str) -> None:
        super().__init__(store, claim_id, f"Edit ClaimReview summary of {claim_label(claim_id)}")
        self.summary = summary

    def _apply(self) -> None:
        self._store.set_summary(self.claim_id, self.summary)
