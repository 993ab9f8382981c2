"""The claim library in the app, on both back ends: adding claims with real key presses
(undoable), the background lookup's marks, the table column and filter, and applying
a prior check (one undo step)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from factcheck.library import LibraryEntry, open_library
from factcheck.models import Verdict
from ui.claim_table import COL_CHECKED

from .helpers import activate

Key, Mod = Qt.Key, Qt.KeyboardModifier
#: How long a test waits for the background lookup: a child process that starts Python
#: and the matcher (seconds on a busy machine).
LOOKUP_WAIT_MS = 120_000


@pytest.fixture
def library(library_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The app's library (the CLI's setting) is a new one on each back end."""
    monkeypatch.setenv("FACTCHECK_LIBRARY", library_url)
    return library_url


def _entries(url: str) -> list[LibraryEntry]:
    with open_library(url) as lib:
        return list(lib.entries())


def _ready(window: Any, qtbot: QtBot) -> Any:
    activate(window, qtbot)
    view = window.panes["a"].view
    view.setFocus()
    status = window.library_panel.status
    qtbot.waitUntil(
        lambda: not status.text().startswith(("Not looked up", "Looking")), timeout=LOOKUP_WAIT_MS
    )
    return view


def _review_two_and_add_all(view: Any, qtbot: QtBot) -> None:
    """Supported (1) on the claim, contested (2) on the next (J), then Ctrl+Shift+B:
    Library ▸ Add all reviewed claims."""
    qtbot.keyClick(view, Key.Key_1)
    qtbot.keyClick(view, Key.Key_J)
    qtbot.keyClick(view, Key.Key_2)
    qtbot.keyClick(view, Key.Key_B, Mod.ControlModifier | Mod.ShiftModifier)


def test_b_adds_the_claim_and_undo_takes_it_out(
    library: str, make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = make_window()
    view = _ready(window, qtbot)
    qtbot.keyClick(view, Key.Key_J)
    claim = window.store.claim(window.current_claim)
    qtbot.keyClick(view, Key.Key_2)
    qtbot.keyClick(view, Key.Key_B)
    (entry,) = _entries(library)
    assert (entry.text, entry.verdict) == (claim.text, Verdict.CONTESTED)
    assert entry.source_title == window.store.article("a").title
    qtbot.keyClick(view, Key.Key_Z, Mod.ControlModifier)
    assert _entries(library) == []
    qtbot.keyClick(view, Key.Key_Z, Mod.ControlModifier | Mod.ShiftModifier)
    assert [e.text for e in _entries(library)] == [claim.text]


def test_add_all_reviewed_claims_is_one_undo_step(
    library: str, make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = make_window()
    view = _ready(window, qtbot)
    _review_two_and_add_all(view, qtbot)
    assert sorted(e.verdict for e in _entries(library)) == [Verdict.CONTESTED, Verdict.SUPPORTED]
    assert "2 reviewed claims added" in window.statusBar().currentMessage()
    qtbot.keyClick(view, Key.Key_Z, Mod.ControlModifier)
    assert _entries(library) == []
    assert window.store.annotation(window.current_claim).verdict is Verdict.CONTESTED


def test_claims_checked_before_are_marked_listed_and_applied(
    library: str, make_window: Callable[..., Any], qtbot: QtBot
) -> None:

    target = "a:3"
    window = make_window()
    claim = window.store.claim(target)
    with open_library(library) as lib:
        lib.add(
            [
                LibraryEntry(
                    text=claim.text,
                    verdict=Verdict.CONTESTED,
                    note="Checked for another outlet in 2025.",
                    reviewer="Bo",
                    review_date="2025-06-01",
                    source_url="https://elsewhere.example/story",
                )
            ]
        )
    window.match_controls.start(window.store.settings.match)  # re-matching looks up again
    qtbot.waitUntil(lambda: bool(window.library_panel.checks_of(target)), timeout=LOOKUP_WAIT_MS)
    # The claim itself is marked (the confidence may mark a weaker one too).
    marked = window.panes["a"].view.marked
    assert target in marked
    model = window.claim_panel.proxy.sourceModel()
    assert model.index(model.row_of(target), COL_CHECKED).data() == "◆ 1"
    window.claim_panel.checked.setCurrentIndex(1)  # "Checked before"
    assert window.claim_panel.proxy.rowCount() == len(marked | window.panes["b"].view.marked)

    view = _ready(window, qtbot)
    window.select_claim(target)
    listed = window.library_panel.list
    assert listed.topLevelItemCount() == 1
    assert [listed.topLevelItem(0).text(n) for n in (1, 2, 3)] == ["contested", "2025-06-01", "Bo"]
    qtbot.keyClick(view, Key.Key_P)
    annotation = window.store.annotation(target)
    assert (annotation.verdict, annotation.note) == (
        Verdict.CONTESTED,
        "Checked for another outlet in 2025.",
    )
    qtbot.keyClick(view, Key.Key_Z, Mod.ControlModifier)
    annotation = window.store.annotation(target)
    assert (annotation.verdict, annotation.note) == (Verdict.UNREVIEWED, "")


def test_an_unusable_library_is_said_in_the_dock(
    make_window: Callable[..., Any], qtbot: QtBot, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"not a database" * 100)
    monkeypatch.setenv("FACTCHECK_LIBRARY", f"sqlite:///{corrupt}")
    window = make_window()
    status = window.library_panel.status
    qtbot.waitUntil(lambda: status.text().startswith("Claim library not available"))
    assert "corrupt, or not an SQLite file" in status.text()
    qtbot.keyClick(window.panes["a"].view, Key.Key_B)
    assert window.statusBar().currentMessage().startswith("Not added: ")
    assert not window.undo_stack.canUndo()


def test_opening_a_project_makes_no_library_file(
    make_window: Callable[..., Any], qtbot: QtBot, private_library: Any
) -> None:
    window = make_window()
    status = window.library_panel.status
    qtbot.waitUntil(lambda: status.text().startswith("No claim library yet"))
    assert not private_library.exists()
    assert window.panes["a"].view.marked == frozenset()


def test_a_big_add_is_embedded_by_the_next_lookup_in_the_background(
    library: str, make_window: Callable[..., Any], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import commands

    monkeypatch.setattr(commands, "EMBED_IN_APP", 1)  # two claims make a big add here
    window = make_window()
    view = _ready(window, qtbot)
    _review_two_and_add_all(view, qtbot)
    with open_library(library) as lib:
        assert (lib.count(), lib.unembedded_count()) == (2, 2)
    with qtbot.waitSignal(window.library_panel.lookupDone, timeout=60_000):
        window.match_controls.start(window.store.settings.match)  # re-matching looks up again
    with open_library(library) as lib:
        assert lib.unembedded_count() == 0
    assert "lexical" not in window.library_panel.status.text()


def test_the_lookup_goes_on_beside_the_keys_and_its_checks_show(
    library: str, make_window: Callable[..., Any], qtbot: QtBot
) -> None:
    """The lookup runs in a child process: keys move through the claims meanwhile, its
    prior checks show when it ends, and asking again for the same claims while it runs
    goes on with it (no second lookup, no marks cleared)."""
    window = make_window()
    view = _ready(window, qtbot)
    targets = ["a:1", "a:3"]
    with open_library(library) as lib:
        lib.add(
            LibraryEntry(
                text=window.store.claim(t).text,
                verdict=Verdict.CONTESTED,
                source_url=f"https://elsewhere.example/{t}",
            )
            for t in targets
        )
    panel = window.library_panel
    with qtbot.waitSignal(panel.lookupDone, timeout=LOOKUP_WAIT_MS):
        panel.look_up()
        assert panel.is_looking_up()
        with qtbot.assertNotEmitted(panel.checkedChanged):
            panel.look_up()
        for _ in range(3):
            before = window.current_claim
            qtbot.keyClick(view, Key.Key_J)
            assert window.current_claim != before
        assert panel.is_looking_up()
    assert set(targets) <= window.panes["a"].view.marked
    window.select_claim(targets[1])
    assert panel.list.topLevelItemCount() >= 1
    assert panel.list.topLevelItem(0).text(1) == "contested"
