"""A process that races another one to save the same project, for test_save_races.py.

``python -m tests.core._racing_saver stamp PATH LABEL GO`` loads PATH with its stamp,
prints ``ready``, waits until the file GO exists, then saves a project named LABEL
with ``expected=`` that stamp, and prints ``saved`` or ``refused: <error>``.

``python -m tests.core._racing_saver loop PATH LABEL GO SECONDS`` waits for GO, then
saves (without a stamp) as fast as it can for SECONDS, printing one line per save:
``saved`` or ``refused: <error>``.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import replace

from factcheck.errors import ProjectFileError
from factcheck.projectfile import load_project_with_stamp, save_project
from tests.core.helpers import tiny_project


def _wait_for(go: str) -> None:
    deadline = time.monotonic() + 30
    while not os.path.exists(go):
        if time.monotonic() > deadline:
            raise SystemExit("never told to go")
        time.sleep(0.0005)


def main(argv: list[str]) -> None:
    mode, path, label, go = argv[:4]
    if mode == "stamp":
        project, stamp = load_project_with_stamp(path)
        print("ready", flush=True)
        _wait_for(go)
        try:
            save_project(replace(project, name=label), path, expected=stamp)
            print("saved", flush=True)
        except ProjectFileError as exc:
            print(f"refused: {exc}", flush=True)
        return
    seconds = float(argv[4])
    project = tiny_project(name=label)
    print("ready", flush=True)
    _wait_for(go)
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
        try:
            save_project(replace(project, name=f"{label} {n}"), path)
            print("saved", flush=True)
        except ProjectFileError as exc:
            print(f"refused: {exc}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
