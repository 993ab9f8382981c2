"""Every command of the window as a QAction with its shortcut, and the menus.

One table lists them, so the menus, the inspector's buttons and the README's
shortcut table cannot disagree. Single-key shortcuts are window-wide; text fields
(note, search, spin box) take printable keys first, so typing in them is safe.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from factcheck.models import Verdict

_Std = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    shortcuts: tuple[str | QKeySequence.StandardKey, ...] = ()
    tip: str = ""
    checkable: bool = False


MENUS: dict[str, tuple[ActionSpec | None, ...]] = {
    "&File": (
        ActionSpec("new", "&New comparison…", (_Std.New,), "Compare two files or pasted texts"),
        ActionSpec("open", "&Open project…", (_Std.Open,)),
        ActionSpec("open_url", "Open &URL…", ("Ctrl+Shift+O",), "Fetch an article from the web"),
        ActionSpec(
            "compare_versions",
            "Compare &versions…",
            (),
            "Two versions of one article side by side: what was changed, added, removed",
        ),
        ActionSpec("recent", "Recent &files"),
        None,
        ActionSpec("save", "&Save", (_Std.Save,)),
        ActionSpec("save_as", "Save &as…", ("Ctrl+Shift+S",)),
        None,
        # Not "&A": "Save &as…" has that key in this menu.
        ActionSpec("update_a", "Upda&te article A…", (), "Load a new version of article A"),
        ActionSpec("update_b", "Update article &B…", (), "Load a new version of article B"),
        ActionSpec("export", "&Export…", ("Ctrl+E",)),
        None,
        ActionSpec("quit", "&Quit", ("Ctrl+Q",)),
    ),
    "&Edit": (
        ActionSpec("undo", "&Undo", ("Ctrl+Z",)),
        ActionSpec("redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y")),
        None,
        ActionSpec("find", "&Find claims…", (_Std.Find,), "Search claims and notes"),
    ),
    "&Article": (
        ActionSpec(
            "article_details",
            "&Details…",
            ("Ctrl+I",),
            "Title, URL, date, author and outlet of an article (ClaimReview uses them)",
        ),
    ),
    "&Review": (
        ActionSpec("next", "&Next claim", ("J", "Down")),
        ActionSpec("previous", "&Previous claim", ("K", "Up")),
        ActionSpec("next_keep", "Next claim, keep other pane", ("Shift+J",)),
        ActionSpec("previous_keep", "Previous claim, keep other pane", ("Shift+K",)),
        ActionSpec("next_unreviewed", "Next &unreviewed claim", ("U",)),
        ActionSpec("previous_unreviewed", "Previous unreviewed claim", ("Shift+U",)),
        ActionSpec(
            "next_changed",
            "Next change&d claim",
            ("D",),
            "Go to the next claim whose text changed since it was reviewed",
        ),
        ActionSpec("previous_changed", "Previous changed claim", ("Shift+D",)),
        ActionSpec("switch_pane", "S&witch pane", ("S", "Ctrl+Tab")),
        ActionSpec("pane_a", "Go to article A", ("Left", "H")),
        ActionSpec("pane_b", "Go to article B", ("Right", "L")),
        None,
        ActionSpec("verdict_supported", "✓ &Supported", ("1",), checkable=True),
        ActionSpec("verdict_contested", "✗ &Contested", ("2",), checkable=True),
        ActionSpec("verdict_opinion", "≈ &Opinion", ("3",), checkable=True),
        ActionSpec("verdict_unreviewed", "· Un&reviewed", ("0",), checkable=True),
        ActionSpec("note", "Ed&it note", ("N",), "Type a note; Esc returns to the article"),
        ActionSpec(
            "reconfirm",
            "Re-confirm on changed te&xt",
            ("V",),
            "The claim's new text still deserves its verdict: clear the changed mark",
        ),
        None,
        ActionSpec("confirm", "Con&firm link", ("C",), "Confirm the suggested link"),
        ActionSpec("reject", "Re&ject link", ("X",), "Reject the suggested link"),
        ActionSpec("link", "&Link selected claims", ("Ctrl+L",), "Link A's and B's selection"),
        ActionSpec("next_match", "Next candidate &match", ("M",), "Compare with the next match"),
        ActionSpec("next_change", "Next chan&ge", ("Alt+Down",), "Compare versions: next change"),
        ActionSpec(
            "previous_change", "Previous change", ("Alt+Up",), "Compare versions: previous change"
        ),
        None,
        ActionSpec(
            "reattach",
            "Re-&attach orphan to claim",
            ("R",),
            "Put the orphan chosen in “Orphaned notes” on the selected claim",
        ),
    ),
    "Li&brary": (
        ActionSpec(
            "library_add",
            "&Add claim to library",
            ("B",),
            "Keep this claim, its verdict and note in the claim library",
        ),
        ActionSpec(
            "library_add_all",
            "Add all &reviewed claims to library",
            ("Ctrl+Shift+B",),
            "Keep every claim with a verdict in the claim library",
        ),
        ActionSpec(
            "library_apply",
            "A&pply prior check",
            ("P",),
            "Give the claim the verdict and note of the prior check chosen in “Checked before”",
        ),
    ),
    "&View": (
        ActionSpec(
            "sync",
            "&Lock scrolling",
            ("Ctrl+Shift+L",),
            "Scroll both panes along links",
            checkable=True,
        ),
        None,
        ActionSpec("show_claims", "&Claims table", ("Alt+1",), checkable=True),
        ActionSpec("show_inspector", "&Inspector", ("Alt+2",), checkable=True),
        None,
        ActionSpec("zoom_in", "Zoom i&n", ("Ctrl+=", "Ctrl++"), "Larger text in the panes"),
        ActionSpec("zoom_out", "Zoom ou&t", ("Ctrl+-",), "Smaller text in the panes"),
        ActionSpec("zoom_reset", "Reset &zoom", ("Ctrl+0",), "The panes' usual text size"),
    ),
    "&Help": (
        ActionSpec("shortcuts", "&Keyboard shortcuts", ("F1",), "Every command and its keys"),
        ActionSpec("about", "&About factcheck"),
    ),
}

VERDICT_ACTIONS = {
    "verdict_supported": Verdict.SUPPORTED,
    "verdict_contested": Verdict.CONTESTED,
    "verdict_opinion": Verdict.OPINION,
    "verdict_unreviewed": Verdict.UNREVIEWED,
}


def _sequences(spec: ActionSpec) -> list[QKeySequence]:
    keys: list[QKeySequence] = []
    for s in spec.shortcuts:
        if isinstance(s, str):
            keys.append(QKeySequence(s))
        else:
            keys.extend(QKeySequence.keyBindings(s))
    return keys


def build_actions(window: QMainWindow, docks: dict[str, QDockWidget]) -> dict[str, QAction]:
    """The window's actions by name, with menus in its menu bar. ``docks`` maps an
    action name to the dock it shows and hides (its own toggle action is used)."""
    actions: dict[str, QAction] = {}
    verdicts = QActionGroup(window)
    for title, specs in MENUS.items():
        menu = window.menuBar().addMenu(title)
        for spec in specs:
            if spec is None:
                menu.addSeparator()
                continue
            if spec.name == "recent":
                submenu = QMenu(spec.text, menu)
                submenu.setObjectName("recentMenu")
                menu.addMenu(submenu)
                actions[spec.name] = submenu.menuAction()
                continue
            if spec.name in docks:
                action = dock_action(docks[spec.name], window)
            else:
                action = QAction(spec.text, window)
            action.setText(spec.text)
            action.setObjectName(spec.name)
            action.setShortcuts(_sequences(spec))
            action.setCheckable(spec.checkable)
            shown = ", ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
            )
            tip = spec.tip or spec.text.replace("&", "").rstrip("…")
            action.setToolTip(f"{tip} ({shown})" if shown else tip)
            action.setStatusTip(tip)
            if spec.name in VERDICT_ACTIONS:
                verdicts.addAction(action)
            window.addAction(action)
            menu.addAction(action)
            actions[spec.name] = action
    return actions


def dock_action(dock: QDockWidget, window: QMainWindow) -> QAction:
    """An action that brings ``dock`` to the front: it opens a closed dock, raises one
    hidden behind another dock's tab, and closes only a dock already in front. Checked
    while the dock is open."""
    action = QAction(window)
    action.setCheckable(True)

    def trigger() -> None:
        if dock.isHidden():
            dock.show()
            dock.raise_()
        elif not dock.isVisible() or dock.visibleRegion().isEmpty():
            dock.raise_()  # open, but behind another tab
        else:
            dock.hide()
        action.setChecked(not dock.isHidden())

    action.triggered.connect(trigger)
    dock.visibilityChanged.connect(lambda _v: action.setChecked(not dock.isHidden()))
    action.setChecked(not dock.isHidden())
    return action


def shortcut_table() -> list[tuple[str, str, str]]:
    """(menu, action, keys) rows, for documentation."""
    rows = []
    for title, specs in MENUS.items():
        for spec in specs:
            if spec is None or not spec.shortcuts:
                continue
            # A standard key's first binding is the usual one (Ctrl+N); the others are
            # dedicated keys few keyboards have ("New").
            keys = ", ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText)
                for s in spec.shortcuts
                for k in (
                    [QKeySequence(s)] if isinstance(s, str) else QKeySequence.keyBindings(s)[:1]
                )
            )
            rows.append((title.replace("&", ""), spec.text.replace("&", ""), keys))
    return rows
