"""Two programs saving one project at once: no lost update, no partial or empty file,
no backup lost, nothing but a clear refusal; and what killed saves leave is cleaned up.

Real processes race here (``_racing_saver`` and ``_save_writer`` children), killed at
random moments or at chosen steps, as another program or a crash would.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from factcheck import atomicwrite
from factcheck.atomicwrite import backup_path, lock_path, remove_stale_temp_files
from factcheck.projectfile import load_project, load_project_with_stamp, save_project
from tests.core._save_writer import NO_HARD_LINKS, STOP_POINTS, big_project
from tests.core.helpers import tiny_project
from tests.core.test_save_faults import Writer, _same_project_named, _temp_files

REPO = Path(__file__).resolve().parents[2]
WAIT_S = 60  # generous bound for children on a loaded machine; never reached normally


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.core._racing_saver", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_ready(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if line != "ready":
        _out, err = process.communicate(timeout=WAIT_S)
        raise AssertionError(f"the saver did not start: {line!r} {err}")


def _finish(process: subprocess.Popen[str]) -> list[str]:
    out, err = process.communicate(timeout=WAIT_S)
    assert process.returncode == 0, err
    return out.splitlines()


# -- 1. lost updates: the check and the replace are one step -------------------------


def test_two_savers_with_stamps_never_both_succeed(tmp_path: Path) -> None:
    path = tmp_path / "p.factcheck.json"
    for round_no in range(8):
        save_project(tiny_project(name="base"), path)
        go = tmp_path / f"go-{round_no}"
        savers = [_start("stamp", str(path), f"saver {i}", str(go)) for i in range(2)]
        for saver in savers:
            _wait_ready(saver)
        go.touch()  # both load done; now both save at the same instant
        outcomes = [_finish(saver)[0] for saver in savers]
        assert sorted(o.partition(":")[0] for o in outcomes) == ["refused", "saved"], outcomes
        refused = next(o for o in outcomes if o.startswith("refused"))
        assert f"{path}: was changed on disk by another program" in refused
        winner = f"saver {outcomes.index('saved')}"
        assert load_project(path).name == winner  # and nothing else overwrote it
        assert load_project(backup_path(path)).name == "base"


def test_savers_in_tight_loops_succeed_or_are_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "p.factcheck.json"
    save_project(tiny_project(name="base"), path)
    go = tmp_path / "go"
    savers = [_start("loop", str(path), f"saver {i}", str(go), "2") for i in range(2)]
    for saver in savers:
        _wait_ready(saver)
    go.touch()
    lines = [_finish(saver) for saver in savers]
    for own in lines:
        assert own.count("saved") > 5, own[:5]  # both got their turns
        for line in own:
            assert line == "saved" or "another program is saving this project" in line, line
    assert load_project(path).name.startswith("saver ")
    assert load_project(backup_path(path)).name.startswith(("saver ", "base"))
    assert _temp_files(tmp_path) == []


def test_a_save_waits_for_the_lock_then_is_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from filelock import FileLock

    path = tmp_path / "p.factcheck.json"
    save_project(tiny_project(name="mine"), path)
    before = path.read_bytes()
    monkeypatch.setattr(atomicwrite, "LOCK_WAIT_S", 0.2)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, filelock; lock = filelock.FileLock(sys.argv[1]); lock.acquire(); "
            "print('held', flush=True); sys.stdin.read()",
            str(lock_path(path)),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(atomicwrite.ProjectFileError) as caught:
            save_project(tiny_project(name="theirs"), path)
    finally:
        holder.communicate("", timeout=WAIT_S)
    assert str(caught.value) == (
        f"{path}: another program is saving this project (waited 0.2 s); try again in a moment"
    )
    assert path.read_bytes() == before
    assert _temp_files(tmp_path) == []
    with FileLock(lock_path(path), timeout=0):  # released with the holder
        pass
    save_project(tiny_project(name="theirs"), path)
    assert load_project(path).name == "theirs"


# -- 2. interleaved saves, killed: the project name always holds a whole version ----


@pytest.mark.parametrize("stop", STOP_POINTS)
def test_interleaved_saves_killed_at_each_step(tmp_path: Path, stop: str) -> None:
    chars = 20_000
    path = tmp_path / "p.factcheck.json"
    save_project(replace(big_project(chars), name="older"), path)
    save_project(replace(big_project(chars), name="old"), path)
    first = Writer(path, "first", chars, stop)
    assert first.wait_for_first_line() == f"stopped at {stop}"
    second = Writer(path.parent / ".." / path.parent.name / path.name, "second", chars)
    threading.Event().wait(0.2)  # let it reach the lock the first one may hold
    first.kill()
    second.wait_for_first_line()
    threading.Event().wait(random.Random(stop).uniform(0.0, 0.1))
    second.kill()
    names = {"older", "old", "first 1"} | {f"second {n}" for n in range(1, 10_000)}
    for version in (path, backup_path(path)):
        loaded = load_project(version)
        assert loaded.name in names
        assert _same_project_named(loaded, loaded.name, chars)


@pytest.mark.parametrize("links", [(True, True), (True, False), (False, False)])
def test_concurrent_savers_killed_at_random_moments(
    tmp_path: Path, links: tuple[bool, bool]
) -> None:
    """Both save in loops (with hard links for the backup, or copies where a file
    system has none) while this test reads the project; then both are killed."""
    chars = 100_000
    path = tmp_path / "p.factcheck.json"
    save_project(replace(big_project(chars), name="initial"), path)
    rng = random.Random(20261203)
    for round_no in range(3):
        writers = [
            Writer(path, f"round {round_no} w{i}", chars, None if linked else NO_HARD_LINKS)
            for i, linked in enumerate(links)
        ]
        for writer in writers:
            writer.wait_for_first_line()
        for _ in range(10):  # while they save, the name always holds a whole version
            loaded = load_project(path)
            assert _same_project_named(loaded, loaded.name, chars)
        for writer in writers:
            threading.Event().wait(rng.uniform(0.0, 0.1))
            writer.kill()
        for version in (path, backup_path(path)):
            loaded = load_project(version)
            assert loaded.name.startswith(("round", "initial"))
            assert _same_project_named(loaded, loaded.name, chars)


# -- 3. temporary files that killed saves leave are removed later ------------------


def _make_temp(folder: Path, name: str, age_s: float) -> Path:
    temp = folder / name
    temp.write_bytes(b"{half a project")
    then = time.time() - age_s
    os.utime(temp, (then, then))
    return temp


def test_stale_temporary_files_are_removed_on_the_next_save(tmp_path: Path) -> None:
    from filelock import lock_descriptor

    path = tmp_path / "p.factcheck.json"
    save_project(tiny_project(name="first"), path)
    stale = [
        _make_temp(tmp_path, ".p.factcheck.json.k2j4_x9a.tmp", 120),
        _make_temp(tmp_path, ".p.factcheck.json.bak.0a1b2c3d.tmp", 3600),
        _make_temp(tmp_path, ".p.factcheck.json.bak.tmp", 3600),  # older versions' name
    ]
    young = _make_temp(tmp_path, ".p.factcheck.json.abcdefgh.tmp", 5)
    in_use = _make_temp(tmp_path, ".p.factcheck.json.zzzzzzzz.tmp", 600)
    others = [
        _make_temp(tmp_path, ".q.factcheck.json.abcdefgh.tmp", 600),  # another project's
        _make_temp(tmp_path, ".p.factcheck.json.x.abcdefgh.tmp", 600),
        _make_temp(tmp_path, "p.factcheck.json.abcdefgh.tmp", 600),
    ]
    fd = os.open(in_use, os.O_RDONLY)  # as a save in progress holds its temporary file
    try:
        assert lock_descriptor(fd, blocking=False)
        save_project(tiny_project(name="second"), path)
        assert all(not p.exists() for p in stale)
        assert young.exists() and in_use.exists() and all(p.exists() for p in others)
    finally:
        os.close(fd)
    assert remove_stale_temp_files(path) == 1  # no longer locked: now it goes
    assert load_project(path).name == "second"


def test_a_killed_save_leaves_a_temporary_file_that_opening_removes(tmp_path: Path) -> None:
    chars = 20_000
    path = tmp_path / "p.factcheck.json"
    save_project(replace(big_project(chars), name="old"), path)
    writer = Writer(path, "new", chars, "replace")
    writer.wait_for_first_line()
    writer.kill()
    (left,) = _temp_files(tmp_path)
    load_project_with_stamp(path)
    assert left.exists(), "a minute old at least before it counts as left over"
    then = time.time() - 2 * atomicwrite.STALE_TEMP_S
    os.utime(left, (then, then))
    assert load_project(path).name == "old"
    assert _temp_files(tmp_path) == []
