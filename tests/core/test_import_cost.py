"""A command imports only what its task needs: ``factcheck compare A.txt B.txt`` (two
plain-text UTF-8 files) never imports the HTML extractor, the encoding detector, the
schema validators, the export formats, the ONNX sentence encoder's runtime (once its
embeddings are cached) or Qt; the app's window paints before the matcher, numpy and
the claim library are imported. Measured with ``python -X importtime``, which lists
every module a process imports, and with ``sys.modules`` at the first paint."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

#: Modules (with their submodules) that ``compare`` on .txt files must not import, and why
#: they are heavy (import time on the 2-core CI machine).
HEAVY = {
    "trafilatura": "HTML main-text extraction (0.5 s with courlan, htmldate)",
    "courlan": "trafilatura's URL tools",
    "htmldate": "trafilatura's date finder",
    "lxml": "HTML parsing",
    "charset_normalizer": "encoding detection (only for text that is not UTF-8)",
    "jsonschema": "project-file validation (pure Python)",
    "jsonschema_rs": "project-file validation",
    "referencing": "jsonschema's $ref resolution",
    "factcheck.export": "the export formats",
    "onnxruntime": "the sentence encoder's runtime (semantic stage only)",
    "tokenizers": "the sentence encoder's tokenizer (semantic stage only)",
    "PySide6": "Qt",
}

SENTENCES = (
    "The council approved a budget of {n} million euros on Tuesday.",
    "Residents said the new bridge had cut their commute by {n} minutes.",
    "The minister denied that {n} jobs would be lost in the region.",
    "Officials expect the project to be finished within {n} years.",
)


def _article(path: Path, offset: int) -> Path:
    lines = [SENTENCES[(i + offset) % len(SENTENCES)].format(n=i + 3) for i in range(40)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def imported_modules(args: list[str], cwd: Path) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "factcheck.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                names.add(name)
    return names


def heavy_among(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(f"{h}.") for h in HEAVY))


def test_compare_of_two_text_files_imports_nothing_heavy(tmp_path: Path) -> None:
    a, b = _article(tmp_path / "A.txt", 0), _article(tmp_path / "B.txt", 1)
    # The default scorer (confidence) runs the sentence encoder: only it may be imported.
    modules = imported_modules(["compare", str(a), str(b)], tmp_path)
    assert "factcheck.matching.engine" in modules, "the command ran and matched"
    assert heavy_among(modules - _encoder_runtime(modules)) == []
    lexical = imported_modules(["compare", str(a), str(b), "--scorer", "lexical"], tmp_path)
    assert heavy_among(lexical) == []


def test_compare_again_needs_no_encoder_runtime(tmp_path: Path) -> None:
    # Other settings on texts encoded before: the embeddings come from the disk cache (a
    # folder in tmp_path, see tests/conftest.py), onnxruntime, the model and the
    # tokenizer stay unloaded.
    a, b = _article(tmp_path / "A.txt", 0), _article(tmp_path / "B.txt", 1)
    first = imported_modules(["compare", str(a), str(b)], tmp_path)
    if not _encoder_runtime(first):
        pytest.skip("the sentence encoder is not available here: nothing to cache")
    again = imported_modules(["compare", str(a), str(b), "--threshold", "30"], tmp_path)
    assert "factcheck.matching.confidence" in again, "the command ran the default scorer"
    assert heavy_among(again) == []
    assert "factcheck.matching.wordpiece" not in again


def test_compare_of_a_pair_matched_before_imports_no_matcher(tmp_path: Path) -> None:
    # The same pair with the same settings: the matches come from the disk cache too.
    a, b = _article(tmp_path / "A.txt", 0), _article(tmp_path / "B.txt", 1)
    first = imported_modules(["compare", str(a), str(b)], tmp_path)
    assert "numpy" in first and "factcheck.matching.engine" in first
    again = imported_modules(["compare", str(a), str(b)], tmp_path)
    assert "factcheck.matching.match_cache" in again, "the command ran"
    assert heavy_among(again) == []
    matcher = {"numpy", "rapidfuzz", "factcheck.matching.engine", "factcheck.matching.lexindex"}
    assert sorted(again & matcher) == []


def _encoder_runtime(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in ("onnxruntime", "tokenizers")}


def test_the_check_sees_a_heavy_import(tmp_path: Path) -> None:
    # Exporting a project needs the export formats: the same check names them.
    a, b = _article(tmp_path / "A.txt", 0), _article(tmp_path / "B.txt", 1)
    project = tmp_path / "p.factcheck.json"
    subprocess.run(
        [sys.executable, "-m", "factcheck.cli", "new", str(a), str(b), "-o", str(project)],
        cwd=tmp_path,
        capture_output=True,
        check=True,
    )
    args = ["export", str(project), "--format", "csv", "-o", str(tmp_path / "p.csv")]
    assert "factcheck.export" in heavy_among(imported_modules(args, tmp_path))


#: What the app's window may not have imported when it first paints: all of it is for
#: matching, the library, updates or dialogs, which come after (a subprocess; Qt is
#: never imported by the core tests themselves).
NOT_BEFORE_FIRST_PAINT = {
    **HEAVY,
    "numpy": "the matcher's arrays (0.1-0.3 s)",
    "rapidfuzz": "the matcher's and re-anchoring's string similarity",
    "factcheck.matching.engine": "the matcher (numpy, rapidfuzz)",
    "factcheck.matching.scoring": "the matcher's scores (numpy, rapidfuzz)",
    "factcheck.library": "the claim library (numpy and the matcher through its lookup)",
    "factcheck.update": "re-anchoring after an article update",
    "importlib.metadata": "the version number in Help ▸ About",
    # The window's parts built right after the first paint (ui.main_window._build):
    "ui.actions": "the menus and their shortcuts",
    "ui.claim_panel": "the claims table",
    "ui.inspector": "the inspector",
    "ui.library_panel": "the claim library's dock",
    "ui.match_controls": "the matching toolbar",
    "ui.file_ops": "the file commands",
    "ui.orphans_panel": "the orphans' dock",
    "ui.versions_mode": "comparing versions",
    "ui.help_dialog": "the shortcut list and About",
    "ui.mnemonics": "dialogs",
    "factcheck.projectfile": "project files (a comparison of two articles opens none)",
    "factcheck.worddiff": "the inspector's word diff",
    "ctypes": "ui.none_guard's fix, for a binding that loses references to None only",
    "ui.commands": "the undo commands (0.004 G instructions)",
    "ui.background": "the worker threads' jobs (0.005 G)",
    # Standard modules the first paint goes without (instructions under callgrind):
    "hashlib": "OpenSSL and every algorithm (0.011 G): the content hash uses _sha256",
    "platformdirs": "the recovery folder, looked up when first needed (0.022 G)",
    "json": "recovery files' infos (0.008 G)",
    "datetime": "timestamps come from time.strftime (0.007 G)",
}
del NOT_BEFORE_FIRST_PAINT["PySide6"]

#: PySide classes built (with their enum classes) on first use, which the first paint
#: does without: the ``Qt`` namespace (93 enum classes, a sixth of a bare window's
#: start), QTextCharFormat (11, 0.014 G instructions; the claims' formats) and the
#: classes for painting claims and ribbons, placing claims and autosaving.
LAZY_QT = [
    ("PySide6.QtCore", "Qt"),
    ("PySide6.QtGui", "QTextCharFormat"),
    ("PySide6.QtGui", "QTextCursor"),
    ("PySide6.QtGui", "QPainter"),
    ("PySide6.QtGui", "QPen"),
    ("PySide6.QtGui", "QRegion"),
    ("PySide6.QtCore", "QLockFile"),
]

FIRST_PAINT = r"""
LAZY_QT = %r
import os, sys  # (json after the first paint: it is one of the modules checked)
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui.app import create_window
window, _recovery = create_window(sys.argv[1:])
seen = []
class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not seen:
            seen.append(sorted(sys.modules))
            # Which of PySide's classes with many enums it has built yet.
            seen.append(sorted(n for m, n in LAZY_QT if n in vars(sys.modules[m])))
        return False
watch = Watch()
window.panes["a"].view.viewport().installEventFilter(watch)
window.show()
while not seen:
    app.processEvents()
matched = []
window.matchesApplied.connect(lambda: matched.append(1))
while not matched:
    app.processEvents()
import json
qt_after = sorted(n for m, n in LAZY_QT if n in vars(sys.modules[m]))
print(json.dumps({"at_first_paint": seen[0], "qt_built": [seen[1], qt_after],
                  "after": sorted(sys.modules)}), flush=True)
os._exit(0)  # not through Qt's and the worker threads' teardown
"""


def test_the_window_paints_before_the_matcher_is_imported(tmp_path: Path) -> None:
    if importlib.util.find_spec("PySide6") is None:
        pytest.skip("PySide6 is not installed (the app's extra)")
    a, b = _article(tmp_path / "A.txt", 0), _article(tmp_path / "B.txt", 1)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    done = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT % (LAZY_QT,), str(a), str(b)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    modules = json.loads(done.stdout.splitlines()[-1])
    before = set(modules["at_first_paint"])
    assert "ui.main_window" in before
    early = sorted(
        m for m in before if any(m == h or m.startswith(f"{h}.") for h in NOT_BEFORE_FIRST_PAINT)
    )
    assert early == []
    # Not before the first paint; then, the menus, docks and claims need (some of) them.
    before_paint, after_matching = modules["qt_built"]
    assert before_paint == []
    assert {"Qt", "QTextCharFormat", "QTextCursor"} <= set(after_matching)
    # ...and then it built the rest and matched: the check would see them.
    assert {"factcheck.matching.engine", "ui.inspector", "ui.actions"} <= set(modules["after"])
