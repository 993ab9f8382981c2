"""How long a command and the app take to start: wall time of ``factcheck compare
A.txt B.txt`` on the seed pair, and of ``factcheck-gui`` until its window has painted,
next to a bare PySide6 window (a QMainWindow with a QPlainTextEdit of article A) and
``python -c "import numpy"`` (the floor of anything that matches) measured in the same
run. Each run is a fresh process; medians and 95th percentiles of the wall time, and
the median CPU time (user + system, all threads: less sensitive than the wall time to
the other work of a shared machine, whose load average is printed).

    python benchmarks/startup.py [--repeat N] [--reference PATH] [--smoke]

``compare`` is timed twice: with the disk cache holding the seed pair's embeddings and
matches (every run after the first, the usual case: neither the encoder nor the matcher
is loaded) and with the cache off (a pair never seen: onnxruntime, the model, the
encoding and the matching). ``--reference PATH`` also
times another checkout (a folder with ``factcheck/`` and ``ui/``, e.g. /work/base or
``git worktree add ../old main~5``), interleaved with this one. The app's window counts
until its articles have painted; its docks and menus are built right after that.

Modules are imported from compiled bytecode, as from an installed copy: the children
keep their ``.pyc`` files in a scratch folder (``PYTHONPYCACHEPREFIX``, even where
``PYTHONDONTWRITEBYTECODE`` is set), written by one untimed run of each command first,
which also fills the embedding cache. Settings, recovery files and the cache live in
the scratch folder, never the user's.
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
COMPARE_GOAL = 0.3
WINDOW_GOAL = 1.3

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


def timed(command: list[str], code: Path, folder: Path, **extra: str) -> tuple[float, float]:
    """Wall time of a run and the CPU time (user + system, all threads) it used."""
    env = {
        **os.environ,
        "PYTHONPATH": str(code),
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        # The app's settings and recovery files go to the scratch folder, not the user's.
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_STATE_HOME": str(folder / "state"),
        "FACTCHECK_EMBEDDING_CACHE": str(folder / "embeddings"),
        # Bytecode as an installed copy has it, one folder per checkout.
        "PYTHONPYCACHEPREFIX": str(folder / "pyc" / code.name),
        **extra,
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert child.stderr is not None
    errors = child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise subprocess.CalledProcessError(code, command, None, errors)
    return elapsed, usage.ru_utime + usage.ru_stime


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--reference", type=Path, help="another checkout, timed alongside")
    parser.add_argument("--smoke", action="store_true", help="one run of each (CI)")
    args = parser.parse_args()
    repeat = 1 if args.smoke else args.repeat
    sys.path.insert(0, str(REPO))
    from factcheck.seeds import seed_pair

    load_before = os.getloadavg()[0]
    codes = {"this": REPO, **({"before": args.reference.resolve()} if args.reference else {})}
    times: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        a, b = seed_pair()
        (folder / "A.txt").write_text(a.text, encoding="utf-8")
        (folder / "B.txt").write_text(b.text, encoding="utf-8")
        py = sys.executable
        compare = [py, "-m", "factcheck.cli", "compare", "A.txt", "B.txt"]
        runs: list[tuple[str, list[str], Path, dict[str, str]]] = []
        for name, code in codes.items():
            runs.append((f"compare ({name})", compare, code, {}))
            if not args.smoke:
                off = {"FACTCHECK_EMBEDDING_CACHE": "off"}
                runs.append((f"compare, no cache ({name})", compare, code, off))
            runs.append((f"window ({name})", [py, "-c", WINDOW, "app"], code, {}))
        runs.append(("bare window", [py, "-c", WINDOW, "bare"], REPO, {}))
        if not args.smoke:
            runs.append(("python: import numpy", [py, "-c", "import numpy"], REPO, {}))
        # Bytecode and the embedding cache (a smoke run only fills the cache: quick).
        for _name, command, code, extra in runs[:1] if args.smoke else runs:
            timed(command, code, folder, **extra)
        for _ in range(repeat):
            for name, command, code, extra in runs:
                elapsed, used = timed(command, code, folder, **extra)
                times.setdefault(name, []).append(elapsed)
                cpu.setdefault(name, []).append(used)
    medians = {name: statistics.median(values) for name, values in times.items()}
    cpu_medians = {name: statistics.median(values) for name, values in cpu.items()}
    print(f"load average before and after: {load_before:.1f} / {os.getloadavg()[0]:.1f}")
    print(f"{'what':<30}{'median s':>10}{'p95 s':>8}{'min s':>8}{'CPU s':>8}{'runs':>6}")
    for name, values in times.items():
        print(
            f"{name:<30}{medians[name]:>10.3f}{p95(values):>8.3f}{min(values):>8.3f}"
            f"{cpu_medians[name]:>8.3f}{len(values):>6}"
        )
    print(f"goal: compare ≤ {COMPARE_GOAL} s (warm cache)")
    for name in codes:
        ratio = medians[f"window ({name})"] / medians["bare window"]
        cpu_ratio = cpu_medians[f"window ({name})"] / cpu_medians["bare window"]
        verdict = "met" if ratio <= WINDOW_GOAL else "NOT met"
        print(
            f"window ({name}) / bare window: {ratio:.2f}× (goal ≤ {WINDOW_GOAL}×: {verdict}); "
            f"CPU {cpu_ratio:.2f}×"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
