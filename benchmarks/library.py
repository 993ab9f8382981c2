"""The claim library, measured on both back ends: one table.

    python benchmarks/library.py                 # quality, 1,000,000-claim scale, 8 writers × 60 s
    python benchmarks/library.py --smoke         # seconds: small slices (CI)
    python benchmarks/library.py --size 200000 --writers 4 --seconds 20

* Quality: CheckThat! 2020 task 2 train and dev (``../shared/benchmarks``): the
  verified claims go into the library and are embedded (``index``), each tweet is
  looked up; MAP@1, MAP@5 and R@5 of the ranking through the store (the "same claim"
  confidence with the stored embeddings), next to the in-memory matcher's over the
  same claims (``engine._score`` with the default scorer, as ``benchmarks/harness.py``
  ranks them). Also the embedding rate of ``index`` and the lookup of 100 tweets in
  that embedded library.
* Scale: a library of ``--size`` claims (the benchmark sentences, then variants of
  them: words swapped for other words, numbers changed), bulk import time, size on
  disk, and lookup of a 100-claim article (100 CheckThat dev tweets; median of 3, in a
  fresh process, whose peak memory is the app's memory for a lookup). Next to each
  wall time, the CPU time of our own process: the machine may be shared, and a
  PostgreSQL server's work is not in it. The import does not embed (a million entries
  take over half an hour at the encoder's rate: ``factcheck library index`` does that
  afterwards), so this lookup is the lexical one.
* Concurrency: ``--writers`` processes adding for ``--seconds`` each (batches of 10,
  a share of them re-adding the same claims): entries written = entries found, errors,
  and the busy retries the back end documented.

PostgreSQL: ``$FACTCHECK_TEST_POSTGRES_DSN`` (``.ci/run`` sets it), else a throwaway
cluster started here (tests/pg_cluster.py) when PostgreSQL is installed. Each run uses a
new database and drops it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks import harness  # noqa: E402
from benchmarks._memory import peak_rss_mb  # noqa: E402
from factcheck.library import LibraryEntry, LibraryError, open_library  # noqa: E402
from factcheck.library.lookup import rank  # noqa: E402
from factcheck.matching import engine  # noqa: E402
from factcheck.models import MatchConfig  # noqa: E402

SHARED = harness.SHARED
_CLAIM_URL = "urn:checkthat:vclaim:"


# --- back ends --------------------------------------------------------------------


class Backends:
    """The library URLs to measure: a SQLite file and a fresh PostgreSQL database."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.cluster: Path | None = None
        self.server = os.environ.get("FACTCHECK_TEST_POSTGRES_DSN", "").strip()
        self.reason = ""
        self.databases: list[str] = []
        if not self.server:
            from tests import pg_cluster

            try:
                self.cluster = folder / "postgres"
                self.server = pg_cluster.start(self.cluster)
            except Exception as exc:
                self.reason = f"PostgreSQL not measured: {exc}"
                self.cluster = None

    def urls(self, name: str) -> list[tuple[str, str]]:
        found = [("sqlite", f"sqlite:///{self.folder / (name + '.sqlite3')}")]
        if self.server:
            import psycopg

            from tests.library_fixtures import with_database

            database = f"bench_{name}_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(self.server, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{database}"')  # type: ignore[arg-type]
            self.databases.append(database)
            found.append(("postgresql", with_database(self.server, database)))
        return found

    def close(self) -> None:
        if self.server and self.databases:
            import psycopg

            with psycopg.connect(self.server, autocommit=True) as admin:
                for database in self.databases:
                    admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')  # type: ignore[arg-type]
        if self.cluster is not None:
            from tests import pg_cluster

            pg_cluster.stop(self.cluster)


def size_on_disk(url: str) -> float:
    """MB the library takes (SQLite: file + WAL; PostgreSQL: the database)."""
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite://") :])
        parts = [path, Path(f"{path}-wal")]
        return sum(p.stat().st_size for p in parts if p.exists()) / 1e6
    import psycopg

    with psycopg.connect(url) as db:
        row = db.execute("SELECT pg_database_size(current_database())").fetchone()
    return float(row[0]) / 1e6 if row else 0.0


# --- quality ----------------------------------------------------------------------


def quality(
    url: str, split: str, limit: int | None, claim_limit: int | None = None
) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """(store, in-memory) ranking metrics on a CheckThat split, and the store's timings:
    entries embedded per second, lookup of 100 tweets (s)."""
    tweets, claims, relevant = harness.load_checkthat(split, limit)
    claims = claims[:claim_limit]
    with open_library(url) as library:
        library.add(
            (LibraryEntry(text=c, source_url=f"{_CLAIM_URL}{n}") for n, c in enumerate(claims)),
            embed=False,
        )
        started = time.perf_counter()
        embedded = library.index()
        rate = embedded / max(time.perf_counter() - started, 1e-9)
        ranked = rank(library.backend, tweets, keep=5)
        if ranked.note:
            print(f"  ({split}, {url.partition(':')[0]}: {ranked.note})")
        times = []
        for _ in range(3):
            started = time.perf_counter()
            library.lookup(tweets[:100])
            times.append(time.perf_counter() - started)
    found = [
        [int(ranked.entries[i].source_url.removeprefix(_CLAIM_URL)) for i in ids[:5]]
        for ids in ranked.ids
    ]
    scored = engine._score(tweets, claims, MatchConfig(), None, same_side=False)
    memory = harness._per_query_ranking(scored.a_index, scored.b_index, scored.score, len(tweets))
    timing = {"embedded/s": rate, "lookup 100 s": statistics.median(times)}
    return (
        harness.ranking_metrics(found, relevant),
        harness.ranking_metrics(memory, relevant),
        timing,
    )


# --- scale ------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+")


def benchmark_sentences() -> list[str]:
    """Real sentences of the benchmark sets (verified claims, tweets, STS, MRPC)."""
    sentences: list[str] = []
    _tweets, claims, _ = harness.load_checkthat("dev")
    sentences += claims
    for split in ("train", "dev"):
        sentences += harness.load_checkthat(split)[0]
    sts = harness.load_sts("train")
    mrpc = harness.load_mrpc("train")
    sentences += sts.a + sts.b + mrpc.a + mrpc.b
    return list(dict.fromkeys(s.strip() for s in sentences if s.strip()))


def generated(base: list[str], size: int, seed: int = 0) -> Iterator[LibraryEntry]:
    """``size`` entries: the base sentences, then variants (swapped words, new numbers)."""
    rng = random.Random(seed)
    vocabulary = sorted({w for s in base[:5000] for w in s.split() if w.isalpha()})
    for n in range(size):
        text = base[n % len(base)]
        if n >= len(base):
            words = text.split()
            for _ in range(1 + n % 3):
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            text = _NUMBER.sub(lambda m: str(int(m.group()) + rng.randrange(1, 9)), " ".join(words))
        yield LibraryEntry(
            text=text,
            verdict=rng.choice(list(_VERDICTS)),
            note="generated for the library benchmark",
            reviewer="bench",
            source_url=f"urn:bench:{n}",
        )


def _verdicts() -> tuple[object, ...]:
    from factcheck.models import Verdict

    return (Verdict.SUPPORTED, Verdict.CONTESTED)


_VERDICTS = _verdicts()


def lookup_child(url: str, article: Path) -> str:
    """Wall and CPU time (medians of 3) and peak memory of looking up one article's
    claims, in this process."""
    texts = article.read_text(encoding="utf-8").splitlines()
    times, cpu = [], []
    with open_library(url) as library:
        for _ in range(3):
            started, used = time.perf_counter(), time.process_time()
            library.lookup(texts)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
    return f"{statistics.median(times):.2f} {statistics.median(cpu):.2f} {peak_rss_mb():.0f}"


def scale(url: str, size: int, article: Path) -> dict[str, str]:
    base = benchmark_sentences()
    # Making the claims is the benchmark's work, inside the import's time (they are made
    # as the import reads them): timed alone first, to be told apart.
    started = time.perf_counter()
    for _ in generated(base, size):
        pass
    generating = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    with open_library(url) as library:
        library.add(generated(base, size), embed=False)
        count = library.count()
    imported, cpu = time.perf_counter() - started, time.process_time() - cpu
    out = subprocess.run(
        [sys.executable, __file__, "--lookup-child", url, str(article)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {
        "entries": f"{count:,}",
        "import s": f"{imported:.1f}",
        "(making s)": f"{generating:.1f}",
        "(CPU s)": f"{cpu:.1f}",
        "size MB": f"{size_on_disk(url):.0f}",
        "lookup 100 s": out[0],
        "(our CPU s)": out[1],
        "memory MB": out[2],
    }


# --- concurrency ------------------------------------------------------------------


def _writer(url: str, writer: int, seconds: float, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    written: set[str] = set()
    errors = 0
    retries = 0
    try:
        with open_library(url) as library:
            deadline = time.monotonic() + seconds
            n = 0
            while time.monotonic() < deadline:
                batch = []
                for _ in range(10):
                    # Every fifth claim is one all writers share: re-adds update it.
                    shared = n % 5 == 0
                    source = f"urn:shared:{n // 5 % 50}" if shared else f"urn:w{writer}:{n}"
                    text = f"Claim {source} checked by writer {writer}"
                    if shared:
                        text = f"Shared claim {source}"
                    batch.append(LibraryEntry(text=text, source_url=source, added_by=f"w{writer}"))
                    n += 1
                try:
                    library.add(batch)
                    written.update(e.key for e in batch)
                except LibraryError:
                    errors += 1
            retries = library.backend.busy_retries
    except LibraryError:
        errors += 1
    queue.put((sorted(written), errors, retries))


def concurrency(url: str, writers: int, seconds: float) -> dict[str, str]:
    open_library(url).close()  # the schema, before the writers race for it
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    processes = [
        multiprocessing.Process(target=_writer, args=(url, w, seconds, queue))
        for w in range(writers)
    ]
    for p in processes:
        p.start()
    results = [queue.get() for _ in processes]
    for p in processes:
        p.join()
    keys = {k for r in results for k in r[0]}
    with open_library(url) as library:
        found = {e.key for e in library.entries()}
    return {
        "written": f"{len(keys):,}",
        "found": f"{len(found):,}",
        "lost": str(len(keys - found)),
        "errors": str(sum(r[1] for r in results)),
        "busy retries": str(sum(r[2] for r in results)),
    }


# --- the table --------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="seconds: small slices (CI)")
    parser.add_argument("--size", type=int, default=1_000_000, help="claims of the scale test")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--lookup-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.lookup_child:
        print(lookup_child(args.lookup_child[0], Path(args.lookup_child[1])))
        return 0
    if not SHARED.is_dir():
        print(f"skipped: benchmark data not found at {SHARED} (set FACTCHECK_SHARED)")
        return 0
    splits = ("train", "dev")
    limit = claim_limit = None
    if args.smoke:
        args.size, args.writers, args.seconds = 2_000, 2, 1.0
        splits, limit, claim_limit = ("dev",), 20, 300
    with tempfile.TemporaryDirectory(prefix="factcheck-library-bench-") as tmp:
        folder = Path(tmp)
        backends = Backends(folder)
        try:
            article = folder / "article.txt"
            article.write_text("\n".join(harness.load_checkthat("dev")[0][:100]), encoding="utf-8")
            print(
                "Quality: CheckThat! 2020 task 2, verified claims in the library, tweets looked up"
            )
            print(
                f"{'split':<6}{'back end':<12}{'ranking':<11}{'MAP@1':>7}{'MAP@5':>7}{'R@5':>7}"
                f"{'embedded/s':>12}{'lookup 100 s':>14}"
            )
            for split in splits:
                for name, url in backends.urls(f"quality_{split}"):
                    store, memory, timing = quality(url, split, limit, claim_limit)
                    for label, m in (("store", store), ("in memory", memory)):
                        extra = ""
                        if label == "store":
                            extra = f"{timing['embedded/s']:>12.0f}{timing['lookup 100 s']:>14.2f}"
                        print(
                            f"{split:<6}{name:<12}{label:<11}"
                            + "".join(f"{m[k]:>7.3f}" for k in ("MAP@1", "MAP@5", "R@5"))
                            + extra
                        )
            print(
                f"\nScale: {args.size:,} claims, not embedded (goals: import ≤ 180 s, "
                f"lookup ≤ 1 s, ≤ 500 MB); load average {os.getloadavg()[0]:.1f}"
            )
            columns = ["entries", "import s", "(making s)", "(CPU s)", "size MB", "lookup 100 s"]
            columns += ["(our CPU s)", "memory MB"]
            print(f"{'back end':<12}" + "".join(f"{c:>14}" for c in columns))
            for name, url in backends.urls("scale"):
                row = scale(url, args.size, article)
                print(f"{name:<12}" + "".join(f"{row[c]:>14}" for c in columns))
            print(f"\nConcurrency: {args.writers} writer processes × {args.seconds:g} s")
            columns = ["written", "found", "lost", "errors", "busy retries"]
            print(f"{'back end':<12}" + "".join(f"{c:>14}" for c in columns))
            for name, url in backends.urls("writers"):
                row = concurrency(url, args.writers, args.seconds)
                print(f"{name:<12}" + "".join(f"{row[c]:>14}" for c in columns))
            if backends.reason:
                print(backends.reason)
            if args.smoke:
                print("(smoke: small slices, figures not comparable)")
        finally:
            backends.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
