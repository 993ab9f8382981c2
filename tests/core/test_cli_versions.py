"""``factcheck versions OLD NEW``: text, JSON, and the HTML/Markdown change report."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from factcheck.cli import main

from .test_versions import _seed_with_hand_edits

HOSTILE = (
    'Editor’s note: <script>alert("x")</script> & [link](javascript:alert(1)) **bold** updated'
)


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = _seed_with_hand_edits()
    paths = tmp_path / "old.txt", tmp_path / "new.txt"
    paths[0].write_text(old.text, "utf-8")
    paths[1].write_text(
        new.text.replace("Editor’s note: this article was updated", HOSTILE), "utf-8"
    )
    return paths


def test_text_lists_each_change_with_its_word_diff(
    versions: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["versions", *map(str, versions)]) == 0
    out = capsys.readouterr().out
    assert "4 sentences differ: 1 changed, 1 added, 1 removed, 1 moved" in out
    assert "[-2022-]{+2021+}" in out and "{+tacit +}" in out
    assert "! date: 2022  ≠  2021" in out
    assert "- deleted   old 4 " in out
    assert "↕ moved     old 21 → new 48" in out
    assert str(versions[0].parent) not in out  # file names, not the reviewer's folders


def test_identical_versions_say_so(
    versions: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["versions", str(versions[0]), str(versions[0])]) == 0
    assert "say the same, sentence for sentence" in capsys.readouterr().out


def test_json_has_every_row_with_offsets(
    versions: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["versions", *map(str, versions), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    old_text, new_text = (p.read_text("utf-8") for p in versions)
    assert data["counts"]["changed"] == 1 and data["counts"]["moved"] == 1
    for row in data["rows"]:
        for side, text in (("old", old_text), ("new", new_text)):
            if row[side] is not None:
                assert text[row[side]["start"] : row[side]["end"]] == row[side]["text"]
    (changed,) = [r for r in data["rows"] if r["kind"] == "changed"]
    rebuilt = "".join(op["text"] for op in changed["diff"] if op["op"] != "insert")
    assert rebuilt == changed["old"]["text"]
    assert [(d["kind"], d["a_text"], d["b_text"]) for d in changed["differences"]] == [
        ("date", "2022", "2021")
    ]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.dels: list[str] = []
        self.ins: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1] in ("del", "ins"):
            (self.dels if self._open[-1] == "del" else self.ins).append(data)


def test_html_report_is_escaped_and_marks_the_changes(
    versions: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "changes.html"
    assert main(["versions", *map(str, versions), "--format", "html", "-o", str(out)]) == 0
    assert "4 sentences differ" in capsys.readouterr().err
    html = out.read_text("utf-8")
    parser = _Parser()
    parser.feed(html)
    assert "script" not in parser.tags and "a" not in parser.tags
    assert "&lt;script&gt;" in html
    assert "2022" in parser.dels and "2021" in parser.ins
    assert "Putin cannot defeat Ukraine." in parser.dels
    assert "Differences: date: 2022 → 2021" in html
    assert str(tmp_path) not in html


def test_markdown_report_escapes_and_marks_the_changes(
    versions: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["versions", *map(str, versions), "-f", "markdown", "-o", "-"]) == 0
    md = capsys.readouterr().out
    assert "~~2022~~**2021**" in md
    assert "### Moved: old 21 → new 48" in md
    assert "\\[link\\](javascript:alert(1)) \\*\\*bold\\*\\*" in md
    assert "\\<script\\>" in md


def test_report_never_replaces_a_version(
    versions: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before = versions[1].read_bytes()
    assert main(["versions", *map(str, versions), "-f", "html", "-o", str(versions[1])]) == 1
    assert "is one of the versions" in capsys.readouterr().err
    assert versions[1].read_bytes() == before


def test_format_needs_an_output(versions: tuple[Path, Path]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["versions", *map(str, versions), "-f", "html"])
    assert exc.value.code == 2


def test_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "gone.txt"
    assert main(["versions", str(missing), str(missing)]) == 1
    assert "gone.txt" in capsys.readouterr().err
