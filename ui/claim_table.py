"""The claims of both articles as a table, and the filters over it.

:class:`ClaimTableModel` is a thin adapter (napari style): it reads the store and
turns store changes into ``dataChanged``/model resets; it holds no state of its own
besides the row order and the link index the window hands it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush

from factcheck.claimref import parse_claim_ref
from factcheck.models import Claim, Verdict
from factcheck.store import ChangeKind, ProjectStore, StoreChange
from factcheck.textutil import excerpt

from .claim_style import CHANGED_MARK, VERDICT_STYLES
from .link_index import LinkIndex

_Index = QModelIndex | QPersistentModelIndex
COL_ARTICLE, COL_NUMBER, COL_CLAIM, COL_VERDICT, COL_SCORE, COL_CHECKED, COL_NOTE = range(7)
HEADERS = ("Article", "#", "Claim", "Verdict", "Match", "Checked", "Note")
CLAIM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
NOTE_EXCERPT = 60
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
#: The roles :meth:`ClaimTableModel.data` answers.
_ROLES = frozenset(
    {
        CLAIM_ID_ROLE,
        SORT_ROLE,
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.TextAlignmentRole,
    }
)


class ClaimTableModel(QAbstractTableModel):
    def __init__(self, store: ProjectStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._index = LinkIndex(store)
        self._claims: tuple[Claim, ...] = store.all_claims()
        self._rows = {c.id: i for i, c in enumerate(self._claims)}
        self._changed = frozenset(store.changed_claims())
        #: Prior checks in the claim library per claim id (see ui.library_panel).
        self._checked: dict[str, int] = {}
        self._unsubscribe: Callable[[], None] | None = store.subscribe(self._on_store_changed)

    def close(self) -> None:
        """Stop following the store (the window calls this before dropping the model)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    # -- reading -------------------------------------------------------------------

    def claim_at(self, row: int) -> Claim:
        return self._claims[row]

    def row_of(self, claim_id: str) -> int:
        return self._rows[claim_id]

    def verdict_at(self, row: int) -> Verdict:
        return self._store.verdict(self._claims[row].id)

    def note_at(self, row: int) -> str:
        return self._store.annotation(self._claims[row].id).note

    def changed_at(self, row: int) -> bool:
        """The claim's verdict or a link on it was made on text that has changed since."""
        return self._claims[row].id in self._changed

    def best_score_at(self, row: int) -> float | None:
        return self._index.best_score(self._claims[row].id)

    def checked_at(self, row: int) -> int:
        """How many prior checks the claim library holds for the claim (0: none found)."""
        return self._checked.get(self._claims[row].id, 0)

    def set_checked(self, counts: dict[str, int]) -> None:
        self._checked = dict(counts)
        if self._claims:
            last = len(self._claims) - 1
            self.dataChanged.emit(self.index(0, COL_CHECKED), self.index(last, COL_CHECKED))

    def has_match_at(self, row: int) -> bool:
        """A suggested, confirmed or hand link that is not rejected (a hand link has
        no score, and is a match all the same)."""
        return self._index.has_match(self._claims[row].id)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._claims)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return HEADERS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._claims):
            return str(section + 1)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The delegate asks about a dozen roles per cell on every repaint (a click
        # scrolls the table): answer the ones this model has nothing for at once.
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._claims):
            return None
        row, col = index.row(), index.column()
        claim = self._claims[row]
        if role == CLAIM_ID_ROLE:
            return claim.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == SORT_ROLE:
            return self._sort_key(row, col)
        if role == Qt.ItemDataRole.ToolTipRole and col in (COL_CLAIM, COL_NOTE):
            return claim.text if col == COL_CLAIM else (self.note_at(row) or None)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_VERDICT:
            return QBrush(VERDICT_STYLES[self.verdict_at(row)].mark)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_NUMBER, COL_SCORE):
            return _RIGHT
        return None

    def multiData(
        self,
        index: _Index,
        roleDataSpan: QModelRoleDataSpan | QModelRoleData,
    ) -> None:
        """Every role the span asks for in one call: the delegate asks 7 roles per cell
        on every repaint, each a call into Python through the proxy (a click scrolls
        the table, which repaints it whole). The same answers as :meth:`data`."""
        span: Any = roleDataSpan  # a sequence of QModelRoleData (not in the stubs)
        for n in range(len(span)):
            role_data = span[n]
            role = role_data.role()
            role_data.setData(self.data(index, role) if role in _ROLES else None)

    def _display(self, row: int, col: int) -> str:
        claim = self._claims[row]
        if col == COL_ARTICLE:
            return claim.article_id.upper()
        if col == COL_NUMBER:
            return str(claim.index + 1)
        if col == COL_CLAIM:
            return claim.text
        if col == COL_VERDICT:
            style = VERDICT_STYLES[self.verdict_at(row)]
            if self.changed_at(row):  # first: the column is narrow
                return f"Δ {style.symbol} {style.label} · {CHANGED_MARK}"
            return f"{style.symbol} {style.label}"
        if col == COL_SCORE:
            score = self.best_score_at(row)
            if score is None:
                return "linked" if self.has_match_at(row) else ""
            return f"{score:.0f}"
        if col == COL_CHECKED:
            count = self.checked_at(row)
            return f"◆ {count}" if count else ""
        return excerpt(self.note_at(row), NOTE_EXCERPT)

    def _sort_key(self, row: int, col: int) -> Any:
        claim = self._claims[row]
        if col in (COL_ARTICLE, COL_NUMBER):
            return row  # article, then position in it
        if col == COL_SCORE:
            score = self.best_score_at(row)
            if score is None:
                return 0.0 if self.has_match_at(row) else -1.0
            return score
        if col == COL_VERDICT:
            return list(Verdict).index(self.verdict_at(row))
        if col == COL_CHECKED:
            return self.checked_at(row)
        return self._display(row, col).casefold() if col == COL_NOTE else claim.text.casefold()

    # -- following the store ------------------------------------------------------

    def set_link_index(self, index: LinkIndex) -> None:
        """New matches or links: only the score column changes."""
        self._index = index
        if self._claims:
            self.dataChanged.emit(
                self.index(0, COL_SCORE), self.index(len(self._claims) - 1, COL_SCORE)
            )

    def _on_store_changed(self, change: StoreChange) -> None:
        if change.kind in (ChangeKind.ANNOTATION, ChangeKind.LINK):
            before, self._changed = self._changed, frozenset(self._store.changed_claims())
            for claim_id in before ^ self._changed:
                row = self._rows.get(claim_id)
                if row is not None:
                    self.dataChanged.emit(
                        self.index(row, COL_VERDICT), self.index(row, COL_VERDICT)
                    )
        if change.kind is ChangeKind.ANNOTATION:
            for claim_id in change.ids:
                row = self._rows.get(claim_id)
                if row is not None:
                    self.dataChanged.emit(self.index(row, COL_VERDICT), self.index(row, COL_NOTE))
        elif change.kind is ChangeKind.ARTICLE:
            self.beginResetModel()
            self._claims = self._store.all_claims()
            self._rows = {c.id: i for i, c in enumerate(self._claims)}
            self.endResetModel()


class ClaimFilterModel(QSortFilterProxyModel):
    """Filters by verdict, article, whether a claim has a match, whether it changed since
    reviewed, and text (claim or note; a claim's number, A18 or a:17, finds that claim)."""

    MATCH_ANY, MATCH_HAS, MATCH_NONE = "any", "matched", "unmatched"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._verdict: Verdict | None = None
        self._article: str | None = None
        self._match = self.MATCH_ANY
        self._checked: bool | None = None
        self._text = ""
        self._claim_ref: str | None = None
        self._changed_only = False

    def multiData(
        self,
        index: _Index,
        roleDataSpan: QModelRoleDataSpan | QModelRoleData,
    ) -> None:
        # QSortFilterProxyModel would ask the source one role at a time.
        self._source().multiData(self.mapToSource(index), roleDataSpan)

    def _source(self) -> ClaimTableModel:
        model = self.sourceModel()
        assert isinstance(model, ClaimTableModel)
        return model

    def set_verdict(self, verdict: Verdict | str | None) -> None:
        # A combo box hands its Verdict item data back as a plain str.
        self._begin_change()
        self._verdict = None if verdict is None else Verdict(verdict)
        self._end_change()

    def set_article(self, article_id: str | None) -> None:
        self._begin_change()
        self._article = article_id
        self._end_change()

    def set_match(self, which: str) -> None:
        self._begin_change()
        self._match = which
        self._end_change()

    def set_checked(self, checked: bool | None) -> None:
        """Only claims checked before (True), only the others (False), or all (None)."""
        self._begin_change()
        self._checked = checked
        self._end_change()

    def set_text(self, text: str) -> None:
        self._begin_change()
        self._text = text.strip().casefold()
        try:
            self._claim_ref = parse_claim_ref(text) if self._text else None
        except ValueError:
            self._claim_ref = None
        self._end_change()

    def set_changed_only(self, on: bool) -> None:
        self._begin_change()
        self._changed_only = on
        self._end_change()

    def _begin_change(self) -> None:
        # Qt 6.9 replaced invalidateFilter() (now deprecated) by begin/endFilterChange.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()

    def _end_change(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange()
        else:  # pragma: no cover - Qt < 6.9
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self._source()
        claim = model.claim_at(source_row)
        if self._article is not None and claim.article_id != self._article:
            return False
        if self._verdict is not None and model.verdict_at(source_row) is not self._verdict:
            return False
        if self._changed_only and not model.changed_at(source_row):
            return False
        if self._match != self.MATCH_ANY:
            matched = model.has_match_at(source_row)
            if matched != (self._match == self.MATCH_HAS):
                return False
        if self._checked is not None and (model.checked_at(source_row) > 0) != self._checked:
            return False
        if self._text:
            if claim.id == self._claim_ref:
                return True
            haystack = f"{claim.text}\n{model.note_at(source_row)}".casefold()
            return self._text in haystack
        return True
