"""The claims dock: filter controls over a sortable table of both articles' claims.

Signals: ``claimActivated(str claim_id)`` when the user moves to a row; ``escaped()``
when Esc leaves the search box or the table (back to the article pane). Down in the
search box goes to the results.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .claim_style import VERDICT_STYLES
from .claim_table import (
    CLAIM_ID_ROLE,
    COL_ARTICLE,
    COL_CHECKED,
    COL_CLAIM,
    COL_NUMBER,
    COL_SCORE,
    COL_VERDICT,
    ClaimFilterModel,
    ClaimTableModel,
)
from .field_keys import leave_on_escape
from .own_keys import keep_own_keys


class ClaimTableView(QTableView):
    """A table that tells which current-row changes the user made (a click or a key)
    from those a filter or sort makes when it hides or moves the current row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user_moving = False

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.user_moving = True
        try:
            super().mousePressEvent(event)
        finally:
            self.user_moving = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.user_moving = True
        try:
            super().keyPressEvent(event)
        finally:
            self.user_moving = False


class ClaimPanel(QWidget):
    claimActivated = Signal(str)
    escaped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.proxy = ClaimFilterModel(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search claims and notes, or a claim number (A18)…")
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("claimSearch")
        self.verdict = QComboBox(self)
        self.verdict.addItem("All verdicts", None)
        for verdict, style in VERDICT_STYLES.items():
            self.verdict.addItem(style.label, verdict)
        self.article = QComboBox(self)
        for label, value in (("Both articles", None), ("Article A", "a"), ("Article B", "b")):
            self.article.addItem(label, value)
        self.match = QComboBox(self)
        for label, value in (
            ("Matched or not", ClaimFilterModel.MATCH_ANY),
            ("Has a match", ClaimFilterModel.MATCH_HAS),
            ("Unmatched", ClaimFilterModel.MATCH_NONE),
        ):
            self.match.addItem(label, value)
        self.changed = QCheckBox("Δ C&hanged since reviewed", self)
        self.changed.setObjectName("changedOnly")
        self.changed.setToolTip(
            "Only claims whose text an article update changed after their verdict or link "
            "was made (D walks them, V re-confirms one)"
        )
        self.checked = QComboBox(self)
        self.checked.setObjectName("checkedFilter")
        for label, checked in (
            ("Checked before or not", None),
            ("Checked before", True),
            ("Not checked before", False),
        ):
            self.checked.addItem(label, checked)
        self.table = ClaimTableView(self)
        self.table.setObjectName("claimTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_NUMBER, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        # Up/Down walk the table's own (sorted, filtered) rows, not the pane's claims.
        for widget in (self.table, self.verdict, self.article, self.match, self.checked):
            keep_own_keys(widget)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(COL_CLAIM, QHeaderView.ResizeMode.Interactive)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.verdict)
        filters.addWidget(self.article)
        filters.addWidget(self.match)
        filters.addWidget(self.changed)
        filters.addWidget(self.checked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.table)

        self._selecting = False
        self._claim_id: str | None = None
        self._follow = QTimer(self)  # scrolls the table to the current row (select_claim)
        self._follow.setSingleShot(True)
        self._follow.setInterval(0)
        self._follow.timeout.connect(self._scroll_to_current)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        # A filter or sort that hides or moves the current row must not pick another
        # claim: put the row highlight back on the claim the window shows.
        for signal in (
            self.proxy.layoutChanged,
            self.proxy.modelReset,
            self.proxy.rowsRemoved,
            self.proxy.rowsInserted,
        ):
            signal.connect(self._on_proxy_rows_changed)
        self.search.textChanged.connect(self.proxy.set_text)
        self.changed.toggled.connect(self.proxy.set_changed_only)
        leave_on_escape(self.search, self.escaped.emit, down=self.enter_results)
        leave_on_escape(self.table, self.escaped.emit)
        self.verdict.currentIndexChanged.connect(
            lambda _i: self.proxy.set_verdict(self.verdict.currentData())
        )
        self.article.currentIndexChanged.connect(
            lambda _i: self.proxy.set_article(self.article.currentData())
        )
        self.match.currentIndexChanged.connect(
            lambda _i: self.proxy.set_match(self.match.currentData())
        )
        self.checked.currentIndexChanged.connect(
            lambda _i: self.proxy.set_checked(self.checked.currentData())
        )

    def set_model(self, model: ClaimTableModel) -> None:
        old = self.proxy.sourceModel()
        self.proxy.setSourceModel(model)
        if isinstance(old, ClaimTableModel):
            old.close()
        self._size_columns()  # the columns exist only once there is a model

    def _size_columns(self) -> None:
        for col, width in (
            (COL_ARTICLE, 56),
            (COL_NUMBER, 40),
            (COL_VERDICT, 100),
            (COL_SCORE, 56),
            (COL_CHECKED, 64),
            (COL_CLAIM, 420),
        ):
            self.table.setColumnWidth(col, width)

    def select_claim(self, claim_id: str | None) -> None:
        """Make ``claim_id``'s row current (None: no row) without announcing it back."""
        model = self.proxy.sourceModel()
        self._claim_id = claim_id
        if not isinstance(model, ClaimTableModel):
            return
        row = QModelIndex()
        if claim_id is not None:
            row = self.proxy.mapFromSource(model.index(model.row_of(claim_id), 0))
        if not row.isValid():  # filtered out (or none): no row stands for it
            self._selecting = True
            try:
                self.table.selectionModel().clear()
            finally:
                self._selecting = False
            return
        self._selecting = True
        # The row is scrolled to right after this event (a zero timer), not now: a
        # click in a pane then paints the panes and ribbons first, and the table,
        # which scrolls whole when the claim is far from the last one, a moment after.
        self.table.setAutoScroll(False)
        try:
            self.table.selectionModel().setCurrentIndex(
                row,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self.table.setAutoScroll(True)
            self._selecting = False
        self._follow.start()

    def _scroll_to_current(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            self.table.scrollTo(current)

    def enter_results(self) -> None:
        """Focus the table; with no row current, the first row becomes the claim."""
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.table.currentIndex().isValid() or self.proxy.rowCount() == 0:
            return
        first = self.proxy.index(0, COL_CLAIM)
        self.table.user_moving = True
        try:
            self.table.setCurrentIndex(first)
        finally:
            self.table.user_moving = False

    def _on_proxy_rows_changed(self, *_args: object) -> None:
        if self._claim_id is not None and not self._selecting:
            self.select_claim(self._claim_id)

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._selecting or not self.table.user_moving or not current.isValid():
            return
        self._claim_id = current.data(CLAIM_ID_ROLE)
        self.claimActivated.emit(self._claim_id)
