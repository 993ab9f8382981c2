"""One undo command per user change. Each calls a store setter; undo restores the
exact previous value (timestamps included), so undo → save gives the same file.

Typing in a note pushes a :class:`SetNoteCommand` per keystroke; consecutive ones on
the same claim merge (``id()``/``mergeWith()``), so one Ctrl+Z removes the whole edit.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QUndoCommand

from factcheck.claimref import claim_label
from factcheck.models import Annotation, Link, LinkState, Match, MatchConfig, Verdict
from factcheck.store import ProjectStore

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
