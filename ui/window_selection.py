"""The claim selection of the main window and the keyboard navigation between claims
and panes: the current claim, the claim selected in each pane, the match chosen for
it, and how the views, the link view, the claims table and the inspector show them.

A base of :class:`ui.main_window.MainWindow`, which builds the parts declared here.

Signals: ``matchesApplied()`` after new matches reach the store (initial matching or
a settings change); ``storeShown()`` after a project (store) is shown;
``selectionChanged(str claim_id)`` (empty when nothing is selected).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from factcheck.models import LinkState, Verdict

from .placement import SIDES

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from factcheck.store import ProjectStore

    from .article_pane import ArticlePane
    from .article_view import ArticleView
    from .claim_panel import ClaimPanel
    from .inspector import Inspector
    from .link_index import LinkIndex
    from .link_view import LinkView
    from .match_controls import MatchControls

__all__ = ["SIDES", "PaintAfter", "SelectionWindow", "other_side"]


def other_side(side: str) -> str:
    return "b" if side == "a" else "a"


class SelectionWindow(QMainWindow):
    matchesApplied = Signal()
    storeShown = Signal()
    selectionChanged = Signal(str)

    # Built by MainWindow.__init__.
    store: ProjectStore | None
    _index: LinkIndex | None
    _current: str | None
    _selected: dict[str, str | None]
    _chosen: str | None
    #: Made on the first selection (see _paint_docks_later).
    _held_docks: PaintAfter | None
    panes: dict[str, ArticlePane]
    link_view: LinkView
    claim_panel: ClaimPanel
    claims_dock: QDockWidget
    inspector_dock: QDockWidget
    inspector: Inspector
    match_controls: MatchControls
    actions_by_name: dict[str, QAction]

    @property
    def current_claim(self) -> str | None:
        return self._current

    @property
    def chosen_match(self) -> str | None:
        return self._chosen

    def selected_in(self, side: str) -> str | None:
        return self._selected[side]

    def select_claim(self, claim_id: str, *, follow: bool = True) -> None:
        """Make ``claim_id`` current. With ``follow``, the other pane's selection moves to
        its best match (if it has one); either way the other pane shows the match."""
        assert self.store is not None and self._index is not None
        side = self.store.claim(claim_id).article_id
        self._current = claim_id
        self._selected[side] = claim_id
        best = self._index.best(claim_id)
        if follow and best is not None:
            self._selected[other_side(side)] = best.claim_id
        self._choose_partner()
        self._refresh_selection(scroll=True)
        self.selectionChanged.emit(claim_id)

    def clear_selection(self) -> None:
        """Select nothing (``selectionChanged`` gives an empty id)."""
        self._current, self._chosen = None, None
        self._selected = dict.fromkeys(SIDES)
        self._refresh_selection(scroll=False)
        self.selectionChanged.emit("")

    def _choose_partner(self) -> None:
        assert self._index is not None
        if self._current is None:
            self._chosen = None
            return
        partners = [p.claim_id for p in self._index.partners(self._current)]
        if self.store is not None:  # a related candidate can be chosen too
            config = self.store.settings.match
            partners += [c for _, c in self.match_controls.related_of(self._current, config)]
        side = self.store.claim(self._current).article_id if self.store else "a"
        other = self._selected[other_side(side)]
        best = self._index.best(self._current)
        self._chosen = other if other in partners else (best.claim_id if best else None)

    def _refresh_selection(self, *, scroll: bool) -> None:
        store, index, current = self.store, self._index, self._current
        if store is None or index is None:
            return
        if current is None:
            for view in self.views():
                view.set_selection(None, frozenset(), active=False)
            self.link_view.set_selection(None, None, None)
            self.claim_panel.select_claim(None)
            self.inspector.show_claim(None, None, [], None, None)
            self._update_action_state()
            return
        side = store.claim(current).article_id
        other = other_side(side)
        related = frozenset(p.claim_id for p in index.partners(current, include_rejected=False))
        self.panes[side].view.set_selection(current, frozenset(), active=True)
        self.panes[other].view.set_selection(self._selected[other], related, active=False)
        if scroll:
            self.panes[side].view.scroll_to_claim(current)
            target = self._chosen or self._selected[other]
            if target is not None:
                self.panes[other].view.scroll_to_claim(target)
        pair = self._pair()
        self.link_view.set_selection(current, *(pair or (None, None)))
        self._paint_docks_later()
        self.claim_panel.select_claim(current)
        partners = [(p, store.claim(p.claim_id)) for p in index.partners(current)]
        linked = {p.claim_id for p, _ in partners}
        weaker = [
            (score, store.claim(cid))
            for score, cid in self.match_controls.related_of(current, store.settings.match)
            if cid not in linked
        ]
        diff = None
        if pair is not None:
            from factcheck.worddiff import word_diff

            diff = word_diff(store.claim(pair[0]).text, store.claim(pair[1]).text)
        self.inspector.show_claim(
            store.claim(current), store.annotation(current), partners, self._chosen, diff, weaker
        )
        self.inspector.show_changed(store.changed_of(current), store.claim(current).text)
        self._update_action_state()

    def _paint_docks_later(self) -> None:
        """Hold the docks' repaint (the inspector's new content, the table's new row)
        until the panes and ribbons have painted. Their content changes now; only the
        pixels follow a moment later."""
        held = getattr(self, "_held_docks", None)
        if held is None:
            docks = (self.inspector_dock.widget(), self.claim_panel.table)
            held = self._held_docks = PaintAfter(self, docks)
        held.hold()

    def _pair(self) -> tuple[str, str] | None:
        """The (A claim, B claim) pair in focus: the current claim and its chosen match."""
        if self._current is None or self._chosen is None:
            return None
        if self._current.startswith("a:"):
            return (self._current, self._chosen)
        return (self._chosen, self._current)

    def _update_action_state(self) -> None:
        from .actions import VERDICT_ACTIONS

        a = self.actions_by_name
        has_claim = self._current is not None and self.store is not None
        for name, verdict in VERDICT_ACTIONS.items():
            a[name].setEnabled(has_claim)
            if has_claim:
                assert self.store is not None and self._current is not None
                a[name].setChecked(self.store.annotation(self._current).verdict is verdict)
        pair = self._pair()
        state = self._index.state(*pair) if pair and self._index else None
        a["confirm"].setEnabled(pair is not None and state is not LinkState.CONFIRMED)
        a["reject"].setEnabled(pair is not None and state is not LinkState.REJECTED)
        a["link"].setEnabled(all(self._selected.values()))
        a["note"].setEnabled(has_claim)

    def current_side(self) -> str:
        if self._current is not None:
            return self._current.split(":", 1)[0]
        return "a"

    def step_claim(self, step: int, *, follow: bool = True) -> None:
        """Select the next (``step=1``) or previous claim of the current pane."""
        assert self.store is not None
        claims = self.store.claims(self.current_side())
        if not claims:
            return
        if self._current is None:
            target = 0
        else:
            i = self.store.claim(self._current).index
            target = max(0, min(len(claims) - 1, i + step))
        self.select_claim(claims[target].id, follow=follow)

    def next_unreviewed(self, step: int = 1) -> None:
        """The next claim without a verdict, in this pane and then the other one."""
        assert self.store is not None
        side = self.current_side()
        order = list(self.store.claims(side)) + list(self.store.claims(other_side(side)))
        if step < 0:
            order.reverse()
        start = next((i for i, c in enumerate(order) if c.id == self._current), -1)
        for claim in order[start + 1 :] + order[: start + 1]:
            if claim.id != self._current and (
                self.store.annotation(claim.id).verdict is Verdict.UNREVIEWED
            ):
                self.select_claim(claim.id)
                self.focus_pane(claim.article_id)
                return
        self.statusBar().showMessage("Every claim has a verdict.", 4000)

    def switch_pane(self) -> None:
        self.go_to_pane(other_side(self.current_side()))

    def go_to_pane(self, side: str) -> None:
        assert self.store is not None
        if self._current is not None and self.current_side() == side:
            self.focus_pane(side)
            return
        target = self._selected[side] or self._chosen
        if target is None or not target.startswith(f"{side}:"):
            visible = self.panes[side].view.visible_claims()
            claims = self.store.claims(side)
            target = visible[0].claim_id if visible else (claims[0].id if claims else None)
        if target is not None:
            self.select_claim(target, follow=False)
        self.focus_pane(side)

    def focus_pane(self, side: str) -> None:
        from PySide6.QtCore import Qt  # (not at the first paint: see MainWindow)

        self.panes[side].view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_current_pane(self) -> None:
        self.focus_pane(self.current_side())

    def next_match(self) -> None:
        """Compare the current claim with its next candidate match."""
        if self._current is None or self._index is None:
            return
        partners = [p.claim_id for p in self._index.partners(self._current)]
        if not partners:
            return
        i = partners.index(self._chosen) if self._chosen in partners else -1
        self._selected[other_side(self.current_side())] = partners[(i + 1) % len(partners)]
        self._choose_partner()
        self._refresh_selection(scroll=True)

    def _on_view_claim_clicked(self, claim_id: str, keep_other: bool) -> None:
        self.select_claim(claim_id, follow=not keep_other)

    def _on_inspector_match_chosen(self, claim_id: str) -> None:
        self._selected[claim_id.split(":", 1)[0]] = claim_id
        self._choose_partner()
        self._refresh_selection(scroll=True)

    def _on_find(self) -> None:
        self.claims_dock.show()
        self.claims_dock.raise_()  # in front of a dock tabbed with it
        from PySide6.QtCore import Qt

        self.claim_panel.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.claim_panel.search.selectAll()

    def views(self) -> tuple[ArticleView, ArticleView]:
        return (self.panes["a"].view, self.panes["b"].view)


class PaintAfter(QObject):
    """Holds the repaint of some widgets until the window has painted: :meth:`hold`
    disables their updates, a zero timer (which fires after the window's pending
    paint) enables them again, and they repaint then. (Their layouts still work at
    once: a layout held back too left the inspector's buttons unplaced.)"""

    def __init__(self, parent: QObject, widgets: tuple[QWidget, ...]) -> None:
        super().__init__(parent)
        from PySide6.QtCore import QTimer

        self._widgets = widgets
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._release)

    def hold(self) -> None:
        for widget in self._widgets:
            widget.setUpdatesEnabled(False)
        self._timer.start()

    def _release(self) -> None:
        for widget in self._widgets:
            widget.setUpdatesEnabled(True)
