"""How long a command and the app take to start: wall time of ``factcheck compare
A.txt B.txt`` on the seed pair, and of ``factcheck-gui`` until its window has painted,
next to a bare PySide6 window (a QMainWindow with a QPlainTextEdit of article A)
measured in the same run. Each run is a fresh process; medians.

    python benchmarks/startup.py [--repeat N] [--reference PATH] [--smoke]

``--reference PATH`` also times another checkout (a folder with ``factcheck/`` and
``ui/``, e.g. ``git worktree add ../old main~5``), interleaved with this one.
Goals: compare ≤ 0.3 s; the window ≤ 1.3 × the bare window.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: Shows the app's window (or the bare one) and exits once its text pane has painted.
WINDOW = r"""
import os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit
app = QApplication([])
painted = []
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            painted.append(1)
        return False
watch = Watch()
if sys.argv[1] == "bare":
    window = QMainWindow()
    text = QPlainTextEdit()
    text.setPlainText(open("A.txt", encoding="utf-8").read())
    window.setCentralWidget(text)
    target = text.viewport()
else:
    from ui.app import create_window
    window, _recovery = create_window(["A.txt", "B.txt"])
    target = window.panes["a"].view.viewport()
target.installEventFilter(watch)
window.resize(1400, 860)
window.show()
while not painted:
    app.processEvents()
os._exit(0)
"""


def wall(command: list[str], code: Path, folder: Path) -> float:
    env = {
        **os.environ,
        "PYTHONPATH": str(code),
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        # The app's settings and recovery files go to the scratch folder, not the user's.
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_STATE_HOME": str(folder / "state"),
    }
    start = time.perf_counter()
    subprocess.run(command, cwd=folder, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--reference", type=Path, help="another checkout, timed alongside")
    parser.add_argument("--smoke", action="store_true", help="one run of each (CI)")
    args = parser.parse_args()
    repeat = 1 if args.smoke else args.repeat
    sys.path.insert(0, str(REPO))
    from factcheck.seeds import seed_pair

    codes = {"this": REPO, **({"reference": args.reference.resolve()} if args.reference else {})}
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        a, b = seed_pair()
        (folder / "A.txt").write_text(a.text, encoding="utf-8")
        (folder / "B.txt").write_text(b.text, encoding="utf-8")
        py = sys.executable
        for _ in range(repeat):
            for name, code in codes.items():
                compare = [py, "-m", "factcheck.cli", "compare", "A.txt", "B.txt"]
                times.setdefault(f"compare ({name})", []).append(wall(compare, code, folder))
                window = [py, "-c", WINDOW, "app"]
                times.setdefault(f"window ({name})", []).append(wall(window, code, folder))
            bare = [py, "-c", WINDOW, "bare"]
            times.setdefault("bare window", []).append(wall(bare, REPO, folder))
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"{'what':<22}{'median s':>10}{'min s':>8}{'runs':>6}")
    for name, values in times.items():
        print(f"{name:<22}{medians[name]:>10.3f}{min(values):>8.3f}{len(values):>6}")
    for name in codes:
        ratio = medians[f"window ({name})"] / medians["bare window"]
        print(f"window ({name}) / bare window: {ratio:.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
