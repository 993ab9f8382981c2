"""How fast the real window opens two big articles, and how fast a click repaints.

    python benchmarks/gui_open.py            # seeds and 2 × 5,000 claims, 5 repeats
    python benchmarks/gui_open.py --smoke    # 2 × 200 claims, one repeat, library of 300 (CI)
    python benchmarks/gui_open.py --profile  # cProfile of one 5,000-claim open + clicks
    python benchmarks/gui_open.py --before ../base   # also time that checkout's app
    python benchmarks/gui_open.py --library 10000    # also click while a library is looked up

Runs on the offscreen platform unless ``QT_QPA_PLATFORM`` says otherwise, with the
window at its default size (1400 × 860: the offscreen screen is 800 × 800, which would
leave panes 135 pixels wide). Each size runs in a fresh subprocess, so its peak memory
is its own; with ``--before DIR`` each case runs once more with DIR's ``factcheck`` and
``ui`` (another checkout, e.g. the code before a change), in the same run, printed as a
``before`` row. Measured, per repeat:

* build: ``MainWindow(project)`` (segmentation, the views' text and decorations; small
  pairs are matched here too, big ones by a background job after the window shows),
* first paint: build + ``show()`` until both article panes have painted,
* match: the background matching job, from start to its result in the store,
* ribbons: from the first paint until matches are applied and the ribbons repainted,
* select: a mouse click on a claim of A (the user's path: ``mouseReleaseEvent`` →
  ``claimClicked`` → ``select_claim``) until the ribbons have repainted; the median
  (and 95th percentile) over claims spread through the article, each scrolled into
  view first; and until every view has repainted (the claims table scrolls to the
  claim's row just after the panes and ribbons have painted),
* page / notch: scrolling pane A by a page (PageDown) or one mouse-wheel notch until
  the pane and the ribbons have repainted (median and 95th percentile).

Select, page and notch are also given in the GUI thread's CPU time (``CPU`` rows): on
a machine busy with other work, wall time mostly measures waiting for a core (and the
thread's time leaves out background jobs such as matching or the library lookup).

Each child runs with its settings, claim library and recovery files in a scratch
folder (no library: nothing is looked up behind the clicks); the embedding cache is
the user's.

``--library N`` adds a ``library`` row: the big pair again, with a scratch claim library
of N embedded claims (article A's sentences of a pair of N claims a side: half of the
opened claims have one checked before). Opening looks every claim up there in the
background; the claims of A are clicked over and over (as above) while that lookup
runs (``during``), then the same claims once it has ended (``after``), in the same
window: median and p95, wall and the GUI thread's CPU.

The reference, in the same process: a bare ``QPlainTextEdit`` with article A's text,
as big as pane A's view, clicked, paged and wheeled the same way (``bare`` rows).

Times are medians over repeats. Peak memory is the process's max RSS (and its growth
over a bare QApplication); the Python-side peak comes from one extra tracemalloc run.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
# FACTCHECK_CODE=PATH times another checkout's app (its factcheck/ and ui/) with this
# benchmark, e.g. the code before a change, in the same run.
if os.environ.get("FACTCHECK_CODE"):
    sys.path.insert(0, os.environ["FACTCHECK_CODE"])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: Give up waiting for a paint or for matching after this long.
TIMEOUT_S = 300.0
#: Claims of A clicked per repeat, spread through the article.
CLICKS = 9
#: Clicks at most per repeat while the library lookup runs (``--library``).
LOOKUP_CLICKS = 4 * CLICKS
#: The window's size: the app's default (ui.window_size.PREFERRED) on a big screen.
WINDOW_SIZE = (1400, 860)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _project(case: str) -> Any:
    from ui.project_io import new_project

    if case == "seeds":
        from factcheck.seeds import seed_pair

        a, b = seed_pair()
    else:
        from benchmarks.corpus import article_pair

        a, b, _origin = article_pair(int(case))
    return new_project(a, b)


class _PaintWatch:
    """Notes when watched widgets have painted (an event filter on each); with
    ``counts``, only paints made while it returns true."""

    def __init__(self, widgets: list[Any], counts: Any = None) -> None:
        from PySide6.QtCore import QEvent, QObject

        watch = self
        self.painted: set[int] = set()

        class Filter(QObject):
            def eventFilter(self, obj: Any, event: Any) -> bool:
                if event.type() == QEvent.Type.Paint and (counts is None or counts()):
                    watch.painted.add(id(obj))
                return False

        self._filter = Filter()
        self._ids = {id(w) for w in widgets}
        for w in widgets:
            w.installEventFilter(self._filter)

    def reset(self) -> None:
        self.painted.clear()

    def done(self) -> bool:
        return self._ids <= self.painted


def _wait(app: Any, condition: Any, what: str) -> None:
    deadline = time.perf_counter() + TIMEOUT_S
    while not condition():
        app.processEvents()
        if time.perf_counter() > deadline:
            raise TimeoutError(f"waited {TIMEOUT_S:.0f} s for {what}")
        if not condition():
            time.sleep(0.0005)


def _open_once(app: Any, project: Any) -> tuple[Any, dict[str, float]]:
    """Open ``project`` in a window; return it with its timings (seconds)."""
    from ui.main_window import MainWindow

    job_times: dict[str, float] = {}
    t0 = time.perf_counter()
    window = MainWindow(project)
    window.resize(*WINDOW_SIZE)
    t_build = time.perf_counter()
    controls = window.match_controls
    background = controls.is_running()
    # Watched from the start: the ribbons may paint before the first paint is noticed.
    ribbons = _PaintWatch([window.link_view])
    if background:
        job_times["start"] = t_build  # MatchJob.start ran at the end of the constructor

        def on_finished(_m: object) -> None:
            job_times.setdefault("end", time.perf_counter())
            ribbons.reset()  # only a paint after the matches arrived counts

        controls.job.finished.connect(on_finished)
    views = [window.panes[s].view.viewport() for s in ("a", "b")]
    watch = _PaintWatch(views)
    window.show()
    _wait(app, watch.done, "the first paint")
    t_paint = time.perf_counter()

    if background:
        _wait(app, lambda: not controls.is_running(), "matching")
        _wait(app, ribbons.done, "the ribbons")
        match_s = job_times["end"] - job_times["start"]
    else:
        match_s = _sync_match_time(window)
    t_ribbons = time.perf_counter()
    return window, {
        "build_s": t_build - t0,
        "paint_s": t_paint - t0,
        "match_s": match_s,
        "ribbons_s": t_ribbons - t_paint,
        "background": float(background),
    }


def _sync_match_time(window: Any) -> float:
    """Small pairs were matched inside the constructor: time that step alone."""
    from factcheck.matching import match_claims

    store = window.store
    t0 = time.perf_counter()
    match_claims(store.claims("a"), store.claims("b"), store.settings.match)
    return time.perf_counter() - t0


def _click_times(
    app: Any,
    window: Any,
    cpu: list[float] | None = None,
    settled: dict[str, list[float]] | None = None,
) -> list[float]:
    """Click claims of A spread through the article; time click → ribbons repainted.

    With ``settled``, also click → every view repainted (``wall`` and ``cpu`` lists):
    the claims table scrolls to the claim's row just after the panes and ribbons have
    painted, and has painted with that row in view."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    view = window.panes["a"].view
    claims = window.store.claims("a")
    picks = sorted({round(i * (len(claims) - 1) / max(1, CLICKS - 1)) for i in range(CLICKS)})
    watch = _PaintWatch([window.link_view])
    table = window.claim_panel.table

    def row_in_view() -> bool:
        return bool(table.viewport().rect().contains(table.visualRect(table.currentIndex())))

    table_watch = _PaintWatch([table.viewport()], counts=row_in_view)
    times = []
    for i in picks:
        claim_id = claims[i].id
        view.scroll_to_claim(claim_id)
        app.processEvents()  # the scroll's repaint is not part of the click
        rects = view.claim_rects(claim_id)
        if not rects:
            continue
        point = rects[0].center().toPoint()
        watch.reset()
        table_watch.reset()
        t0, c0 = time.perf_counter(), time.thread_time()
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        _wait(app, watch.done, "the ribbons after a click")
        times.append(time.perf_counter() - t0)
        if cpu is not None:
            cpu.append(time.thread_time() - c0)
        if settled is not None and table.isVisible():
            _wait(app, table_watch.done, "the claims table after a click")
            settled["wall"].append(time.perf_counter() - t0)
            settled["cpu"].append(time.thread_time() - c0)
        if window.current_claim != claim_id:
            raise RuntimeError(f"clicking {claim_id} selected {window.current_claim}")
    return times


def _lookup_running(window: Any) -> bool:
    panel = window.library_panel
    if hasattr(panel, "is_looking_up"):
        return bool(panel.is_looking_up())
    return bool(panel._task.is_running())  # a checkout from before is_looking_up


def _lookup_clicks(app: Any, window: Any, cpu: dict[str, list[float]]) -> dict[str, list[float]]:
    """Clicks on A's claims while the library lookup runs (at most LOOKUP_CLICKS), then
    as many once it has ended and its worker threads are gone; and the lookup's time
    from the ribbons on (``left_s``)."""
    import threading

    times: dict[str, list[float]] = {"during": [], "after": [], "left_s": []}
    t0 = time.perf_counter()
    while _lookup_running(window) and len(times["during"]) < LOOKUP_CLICKS:
        times["during"] += _click_times(app, window, cpu["during"])
    _wait(app, lambda: not _lookup_running(window), "the library lookup")
    times["left_s"].append(time.perf_counter() - t0)
    _wait(
        app,
        lambda: not any(t.name == "factcheck-task" for t in threading.enumerate()),
        "the lookup's worker threads",
    )
    while len(times["after"]) < len(times["during"]):
        times["after"] += _click_times(app, window, cpu["after"])
    del times["after"][len(times["during"]) :], cpu["after"][len(times["during"]) :]
    return times


def _measure_lookup(case: str, repeat: int) -> dict[str, object]:
    """The ``library`` row (see the module docstring)."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication([])
    QMessageBox.question = lambda *a, **k: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
    project = _project(case)
    times: dict[str, list[float]] = {"during": [], "after": [], "left_s": []}
    cpu: dict[str, list[float]] = {"during": [], "after": []}
    for _ in range(repeat):
        window, _timings = _open_once(app, project)
        for kind, values in _lookup_clicks(app, window, cpu).items():
            times[kind] += values
        _close(app, window)
    result: dict[str, object] = {"lookup_s": statistics.median(times["left_s"])}
    for kind in ("during", "after"):
        result[f"{kind}_clicks"] = len(times[kind])
        for p in (50, 95):
            result[f"{kind}_{p}_ms"] = _ms(times[kind], p)
            result[f"{kind}_cpu_{p}_ms"] = _ms(cpu[kind], p)
    return result


def _build_library(size: int) -> str:
    """A scratch library of ``size`` embedded claims (see the module docstring): its URL."""
    from benchmarks.corpus import article_pair
    from factcheck.library import LibraryEntry, open_library

    url = f"sqlite:///{_PROFILE.name}/library-{size}.sqlite3"
    a, _b, _origin = article_pair(size)
    started = time.perf_counter()
    with open_library(url) as library:
        library.add(
            (
                LibraryEntry(text=text, note="gui_open benchmark", source_url=f"urn:bench:{n}")
                for n, text in enumerate(a.text.splitlines())
            ),
            embed=True,
        )
    print(f"library of {size:,} claims built and embedded in {time.perf_counter() - started:.1f} s")
    return url


def _scroll_times(
    app: Any,
    view: Any,
    watched: list[Any],
    steps: int = 24,
    cpu: dict[str, list[float]] | None = None,
) -> dict[str, list[float]]:
    """Time PageDown presses and wheel notches on ``view`` until ``watched`` repainted."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    watch = _PaintWatch(watched)
    bar = view.verticalScrollBar()
    times: dict[str, list[float]] = {"page": [], "notch": []}
    for kind in ("page", "notch"):
        bar.setValue(bar.maximum() // 3)
        app.processEvents()
        for _ in range(steps):
            before = bar.value()
            watch.reset()
            t0, c0 = time.perf_counter(), time.thread_time()
            if kind == "page":
                bar.triggerAction(bar.SliderAction.SliderPageStepAdd)
            else:
                centre = QPointF(view.viewport().rect().center())
                wheel = QWheelEvent(
                    centre,
                    QPointF(view.viewport().mapToGlobal(QPoint(0, 0))) + centre,
                    QPoint(0, 0),
                    QPoint(0, -120),
                    Qt.MouseButton.NoButton,
                    Qt.KeyboardModifier.NoModifier,
                    Qt.ScrollPhase.NoScrollPhase,
                    False,
                )
                QApplication.sendEvent(view.viewport(), wheel)
            if bar.value() == before:
                continue
            _wait(app, watch.done, f"the repaint after a {kind} scroll")
            times[kind].append(time.perf_counter() - t0)
            if cpu is not None:
                cpu[kind].append(time.thread_time() - c0)
        QTest.qWait(0)
    return times


def _bare_times(
    app: Any, text: str, size: tuple[int, int], cpu: dict[str, list[float]]
) -> dict[str, list[float]]:
    """The reference: a plain text view with the same text and size, clicked and
    scrolled."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QPlainTextEdit

    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setPlainText(text)
    view.resize(*size)
    view.show()
    watch = _PaintWatch([view.viewport()])
    _wait(app, watch.done, "the bare view's first paint")
    clicks = []
    bar = view.verticalScrollBar()
    for i in range(CLICKS):
        bar.setValue(round(i * bar.maximum() / max(1, CLICKS - 1)))
        app.processEvents()
        watch.reset()
        t0, c0 = time.perf_counter(), time.thread_time()
        centre = view.viewport().rect().center()
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        _wait(app, watch.done, "the bare view's repaint after a click")
        clicks.append(time.perf_counter() - t0)
        cpu["click"].append(time.thread_time() - c0)
    times = _scroll_times(app, view, [view.viewport()], cpu=cpu)
    times["click"] = clicks
    view.close()
    view.deleteLater()
    return times


def _close(app: Any, window: Any) -> None:
    from PySide6.QtCore import QEvent, Qt

    window.match_controls.cancel()
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.close()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    gc.collect()


def pyside_none_leak() -> bool:
    """Whether this PySide6 loses references to ``None`` (6.12.0 on Python < 3.12 does,
    on every call of a void method, until the process aborts). Importing ``ui`` makes
    ``None`` immortal then (:mod:`ui.none_guard`), so the runs survive; the table says
    so because such a binding is not fit to ship."""
    from ui.none_guard import binding_loses_none

    return binding_loses_none()


def _measure(case: str, repeat: int) -> dict[str, object]:
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication([])
    leak = pyside_none_leak()
    # A window with the default (empty) project is never modified: no save prompt.
    QMessageBox.question = lambda *a, **k: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
    base_rss = _rss_mb()
    project = _project(case)
    _close(app, _open_once(app, _project("seeds"))[0])  # warm imports and caches

    runs: list[dict[str, float]] = []
    clicks: list[float] = []
    settled: dict[str, list[float]] = {"wall": [], "cpu": []}
    scrolls: dict[str, list[float]] = {"page": [], "notch": []}
    bare: dict[str, list[float]] = {"click": [], "page": [], "notch": []}
    # The GUI thread's CPU time of the same events: a busy machine inflates it far less.
    cpu: dict[str, list[float]] = {"click": [], "page": [], "notch": []}
    bare_cpu: dict[str, list[float]] = {"click": [], "page": [], "notch": []}
    claims = (0, 0)
    for _ in range(repeat):
        window, timings = _open_once(app, project)
        clicks += _click_times(app, window, cpu["click"], settled)
        view = window.panes["a"].view
        watched = [view.viewport(), window.link_view]
        for kind, values in _scroll_times(app, view, watched, cpu=cpu).items():
            scrolls[kind] += values
        claims = (len(window.store.claims("a")), len(window.store.claims("b")))
        size = view.size().toTuple()
        runs.append(timings)
        _close(app, window)
        for kind, values in _bare_times(app, project.article_a.text, size, bare_cpu).items():
            bare[kind] += values
    peak_rss = _rss_mb()

    tracemalloc.start()
    window, _timings = _open_once(app, project)
    _click_times(app, window)
    _current, py_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    _close(app, window)

    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    return {
        "case": case,
        "claims": list(claims),
        "repeats": repeat,
        "build_s": median("build_s"),
        "paint_s": median("paint_s"),
        "match_s": median("match_s"),
        "ribbons_s": median("ribbons_s"),
        "background": bool(runs[0]["background"]),
        "select_ms": _ms(clicks, 50),
        "select_p95_ms": _ms(clicks, 95),
        "select_max_ms": max(clicks) * 1000 if clicks else float("nan"),
        "settled_ms": _ms(settled["wall"], 50),
        "settled_p95_ms": _ms(settled["wall"], 95),
        "cpu_settled_ms": _ms(settled["cpu"], 50),
        "page_ms": _ms(scrolls["page"], 50),
        "page_p95_ms": _ms(scrolls["page"], 95),
        "notch_ms": _ms(scrolls["notch"], 50),
        "notch_p95_ms": _ms(scrolls["notch"], 95),
        "bare_click_ms": _ms(bare["click"], 50),
        "bare_click_p95_ms": _ms(bare["click"], 95),
        "bare_page_ms": _ms(bare["page"], 50),
        "bare_notch_ms": _ms(bare["notch"], 50),
        "cpu_select_ms": _ms(cpu["click"], 50),
        "cpu_select_p95_ms": _ms(cpu["click"], 95),
        "cpu_page_ms": _ms(cpu["page"], 50),
        "cpu_notch_ms": _ms(cpu["notch"], 50),
        "bare_cpu_click_ms": _ms(bare_cpu["click"], 50),
        "bare_cpu_page_ms": _ms(bare_cpu["page"], 50),
        "bare_cpu_notch_ms": _ms(bare_cpu["notch"], 50),
        "clicks": len(clicks),
        "rss_mb": peak_rss,
        "rss_growth_mb": peak_rss - base_rss,
        "py_peak_mb": py_peak / 2**20,
        "none_leak": leak,
    }


def _ms(seconds: list[float], percentile: int) -> float:
    """The ``percentile`` (50: the median) of ``seconds``, in milliseconds."""
    if not seconds:
        return float("nan")
    ordered = sorted(seconds)
    if percentile == 50:
        return statistics.median(ordered) * 1000
    return ordered[min(len(ordered) - 1, round(percentile / 100 * (len(ordered) - 1)))] * 1000


def _profile(case: str) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    project = _project(case)
    profiler = cProfile.Profile()
    profiler.enable()
    window, timings = _open_once(app, project)
    clicks = _click_times(app, window)
    profiler.disable()
    print(json.dumps(timings), [round(c * 1000, 1) for c in clicks])
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    _close(app, window)


#: The children's settings, claim library and recovery files: a scratch folder, never
#: the user's. A library there would be looked up in the background right after the
#: window opens, while the clicks are timed (in two idle runs, the 5,000-claim click's
#: p95 was 121 ms with a small library, 37 ms without). The embedding cache stays the user's.
_PROFILE = tempfile.TemporaryDirectory(prefix="gui-open-")


def _run_child(
    case: str, repeat: int, code: str | None = None, library: str | None = None
) -> dict[str, object]:
    env = dict(os.environ)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        env[name] = os.path.join(_PROFILE.name, name.lower())
    env.pop("FACTCHECK_LIBRARY", None)
    if library is not None:
        env["FACTCHECK_LIBRARY"] = library
        case = f"{case}+library"
    if code is not None:
        env["FACTCHECK_CODE"] = code
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, str(repeat)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{case}: the measuring process failed ({out.returncode})")
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="2 × 200 claims, one repeat (CI)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--claims", type=int, default=5000, help="claims per article")
    parser.add_argument("--profile", action="store_true", help="cProfile one open + clicks")
    parser.add_argument(
        "--before", metavar="DIR", help="also time the app of this checkout (same run)"
    )
    parser.add_argument(
        "--library",
        type=int,
        metavar="N",
        help="also click while a scratch library of N claims is looked up (a 'library' row)",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        case, repeat = args.child
        measure = _measure_lookup if case.endswith("+library") else _measure
        print(json.dumps(measure(case.removesuffix("+library"), int(repeat))))
        return 0
    if args.profile:
        _profile(str(args.claims))
        return 0

    cases = ["200"] if args.smoke else ["seeds", str(args.claims)]
    repeat = 1 if args.smoke else args.repeat
    if args.smoke and not args.library:
        args.library = 300  # CI runs the library row too (the lookup's child process)
    print(
        f"{'case':>6} {'claims A×B':>11} {'build s':>8} {'1st paint s':>11} {'match s':>8} "
        f"{'ribbons s':>9} {'select ms':>9} {'max ms':>7} {'RSS MB':>7} {'+RSS MB':>7} "
        f"{'py MB':>6}"
    )
    leak = False
    runs = [
        (case, code) for case in cases for code in ([None, args.before] if args.before else [None])
    ]
    for case, code in runs:
        r = _run_child(case, repeat, code)
        leak = leak or bool(r["none_leak"])
        claims = r["claims"]
        assert isinstance(claims, list)
        if code is not None:
            print(f"{'':>6} before: the app of {code}, same run:")
        print(
            f"{case:>6} {claims[0]:>5}×{claims[1]:<5} {r['build_s']:>8.3f} {r['paint_s']:>11.3f} "
            f"{r['match_s']:>8.3f} {r['ribbons_s']:>9.3f} {r['select_ms']:>9.1f} "
            f"{r['select_max_ms']:>7.1f} {r['rss_mb']:>7.0f} {r['rss_growth_mb']:>7.0f} "
            f"{r['py_peak_mb']:>6.0f}"
        )
        print(
            f"{'':>6} select p95 {r['select_p95_ms']:.1f} ms; page {r['page_ms']:.1f} ms "
            f"(p95 {r['page_p95_ms']:.1f}); wheel notch {r['notch_ms']:.1f} ms "
            f"(p95 {r['notch_p95_ms']:.1f}) | bare text view: click {r['bare_click_ms']:.1f} ms "
            f"(p95 {r['bare_click_p95_ms']:.1f}), page {r['bare_page_ms']:.1f} ms, "
            f"notch {r['bare_notch_ms']:.1f} ms"
        )
        print(
            f"{'':>6} select until every view repainted (the claims table scrolled to the "
            f"row): {r['settled_ms']:.1f} ms (p95 {r['settled_p95_ms']:.1f}), "
            f"CPU {r['cpu_settled_ms']:.1f} ms"
        )
        print(
            f"{'':>6} CPU: select {r['cpu_select_ms']:.1f} ms (p95 {r['cpu_select_p95_ms']:.1f}); "
            f"page {r['cpu_page_ms']:.1f} ms; notch {r['cpu_notch_ms']:.1f} ms | bare: click "
            f"{r['bare_cpu_click_ms']:.1f} ms, page {r['bare_cpu_page_ms']:.1f} ms, notch "
            f"{r['bare_cpu_notch_ms']:.1f} ms"
        )
    print(
        "times are medians over repeats (select: over clicks on claims spread through A);\n"
        "1st paint includes build; match is the background job (timed alone when small\n"
        "pairs are matched in build); ribbons = first paint → matches shown; RSS MB is the\n"
        "peak, +RSS MB its growth over a bare QApplication; py MB the tracemalloc peak;\n"
        "CPU rows: the GUI thread's CPU time of the same clicks and scrolls (medians), which\n"
        "a busy machine inflates far less than the wall times above"
    )
    if args.library:
        _print_lookup_rows(cases[-1], repeat, args.library, args.before)
    if leak:
        print("warning: this PySide6 loses references to None (guarded by ui.none_guard)")
    return 0


def _print_lookup_rows(case: str, repeat: int, size: int, before: str | None) -> None:
    """The ``library`` rows: clicks during the lookup and after it, same window."""
    url = _build_library(size)
    print(f"library: {case} claims a side, a library of {size:,} claims looked up on opening")
    for code in [None, before] if before else [None]:
        r = _run_child(case, repeat, code, library=url)
        if code is not None:
            print(f"{'':>6} before: the app of {code}, same run:")
        print(f"{'':>6} lookup ended {r['lookup_s']:.1f} s after the ribbons (median)")
        for kind in ("during", "after"):
            print(
                f"{'':>6} click {kind:<6} the lookup: {r[f'{kind}_50_ms']:.1f} ms "
                f"(p95 {r[f'{kind}_95_ms']:.1f}), CPU {r[f'{kind}_cpu_50_ms']:.1f} ms "
                f"(p95 {r[f'{kind}_cpu_95_ms']:.1f}); {r[f'{kind}_clicks']} clicks"
            )


if __name__ == "__main__":
    raise SystemExit(main())
