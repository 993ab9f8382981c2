"""Escape sequences in articles, notes and file names reach the terminal as visible
symbols, never as controls: compare, show, errors, --json, and documents on stdout."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck.cli import main
from factcheck.export import export_project
from factcheck.projectfile import load_project, save_project
from factcheck.store import ProjectStore
from factcheck.terminal import terminal_safe

#: Window title, clear screen, clipboard write (OSC 52), a C1 CSI, DEL, a bell.
ESCAPES = ("\x1b]0;pwned\x07", "\x1b[2J\x1b[H", "\x1b]52;c;ZXZpbA==\x07", "\x9b31m", "\x7f", "\x08")
ALLOWED = {"\n", "\t"}


def _controls(text: str) -> set[str]:
    return {c for c in text if (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0) and c not in ALLOWED}


def _article(n: int) -> str:
    lines = [
        f"The harbour bridge reopened on Monday after {8 + n} months {esc}of repairs."
        for esc in ESCAPES
    ]
    filler = [f"Officials said traffic was light during hour {h} of the day." for h in range(40)]
    return "\n".join(lines + filler) + "\n"


@pytest.fixture
def articles(tmp_path: Path) -> tuple[str, str]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(_article(0), encoding="utf-8")
    b.write_text(_article(1), encoding="utf-8")
    return str(a), str(b)


@pytest.fixture
def project(tmp_path: Path, articles: tuple[str, str]) -> Path:
    path = tmp_path / "p.factcheck.json"
    assert main(["new", *articles, "-o", str(path)]) == 0
    store = ProjectStore(load_project(path), matches=())
    first = store.claims("a")[0].id
    store.set_note(first, "note \x1b]52;c;ZXZpbA==\x07 with a clipboard write")
    save_project(store.project(), path)
    return path


def test_terminal_safe_shows_controls_and_keeps_tab_newline_crlf() -> None:
    assert terminal_safe("a\x1b[2Jb\tc\nd\r\ne\rf\x7fg\x9bh") == "a␛[2Jb\tc\nd\r\ne␍f␡g\ufffdh"


def test_compare_prints_no_control_characters(
    articles: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", *articles]) == 0
    out = capsys.readouterr().out
    assert "months ␛]0;pwned␇of repairs" in out
    assert _controls(out) == set()


def test_compare_json_keeps_the_text_escaped(
    articles: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", *articles, "--json"]) == 0
    out = capsys.readouterr().out
    assert _controls(out) == set()
    texts = [c["text"] for c in json.loads(out)["articles"][0]["claims"]]
    for escape in ESCAPES:  # the data is all there, as JSON escapes
        assert any(escape in t for t in texts)


def test_show_prints_no_control_characters(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["show", str(project)], ["show", str(project), "--json"]):
        assert main(argv) == 0
        out = capsys.readouterr().out
        assert _controls(out) == set(), argv


def test_error_naming_a_hostile_file_name_is_safe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = str(tmp_path / "\x1b]0;pwned\x07.txt")
    assert main(["compare", name, name]) == 1
    err = capsys.readouterr().err
    assert "␛]0;pwned␇.txt" in err and _controls(err) == set()


def test_export_to_a_pipe_is_the_file_byte_for_byte(
    project: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["export", str(project), "-f", "csv", "-o", "-"]) == 0
    out = capsysbinary.readouterr().out
    assert out == export_project(load_project(project), "csv").encode("utf-8")
    assert b"\r\n" in out


def _on_a_terminal(argv: list[str]) -> str:
    """What ``factcheck ARGV`` shows on a pseudo-terminal."""
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    process = subprocess.Popen(
        [sys.executable, "-m", "factcheck.cli", *argv],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    chunks = []
    try:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the other end is closed
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
        assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8")


def test_on_a_terminal_compare_and_an_exported_report_are_safe(
    articles: tuple[str, str], project: Path
) -> None:
    shown = _on_a_terminal(["compare", *articles])
    assert "␛]0;pwned␇" in shown
    assert _controls(shown.replace("\r\n", "\n")) == set()
    report = _on_a_terminal(["export", str(project), "-f", "markdown", "-o", "-"])
    assert "clipboard write" in report
    assert _controls(report.replace("\r\n", "\n")) == set()
